"""Media types as the wire carries them: `text/csv; charset=utf-8` is the type `text/csv` with the
parameter `charset=utf-8`, and the parameters change what the bytes mean (how a client decodes a
response, what `Content-Type` an old client sends). So a body's media types are paired by type and
parameters both; a type kept with other parameters is a change of its own.

Parameter names are case-insensitive (RFC 9110 8.3.1), and so are `charset` values; other values are
compared as written, quotes removed. JSON is UTF-8 by definition (RFC 8259 8.1: "No 'charset' parameter
is defined for this registration"; the same holds for `+json` types, RFC 6839), so `charset=utf-8` on a
JSON type says nothing and is dropped: `application/json` and `application/json; charset=utf-8` are one
media type. So for `text/event-stream`, which the HTML standard always decodes as UTF-8. For other
`text/*` types it is not dropped: a text type without a charset defaults to another one (US-ASCII,
RFC 2046 4.1.2), so adding or removing it changes how the text is read.

Where the client sends the body (a request, a webhook's reply), the most specific key applies (OpenAPI,
Media Types): a new key with fewer parameters (`text/plain`) still reads what old clients send as
`text/plain; charset=utf-8`. Where the server sends it, a client sees exactly the parameters given.

Media type ranges (`application/*`, `*/*`) stand for many types: they are matched by the range alone,
parameters ignored, as before.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import combinations

Params = tuple[tuple[str, str], ...]  # (name, value) sorted by name, names lower-case
COVER_PARAMETERS = 8  # a media type with more is only read by its bare type (see _cover)


def media_key(media: str) -> str:
    """The type without its parameters, lower-case: `Application/JSON; charset=x` -> `application/json`."""
    return media.split(";", 1)[0].strip().lower()


def is_range(key: str) -> bool:
    return "*" in key


def is_json(key: str) -> bool:
    return key == "application/json" or key.endswith("+json")


def is_utf8_only(key: str) -> bool:
    """Types whose text is UTF-8 by definition: JSON (RFC 8259) and server-sent events (the HTML
    standard decodes an event stream as UTF-8 whatever it says)."""
    return is_json(key) or key == "text/event-stream"


def parameters(media: str) -> Params:
    """The parameters as they are meant: names and `charset` values lower-case, quotes removed, JSON's
    `charset=utf-8` dropped, and an event stream's (see the module docstring)."""
    key = media_key(media)
    out: dict[str, str] = {}
    for part in media.split(";")[1:]:
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if not name or not sep:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        if name == "charset":
            value = value.lower()
            if is_utf8_only(key) and value in ("utf-8", "utf8"):
                continue
        out[name] = value
    return tuple(sorted(out.items()))


@dataclass(frozen=True)
class Pairing:
    """How the media types of an old body stand to a new one's (the names as written in each)."""

    same: list[tuple[str, str]]  # one media type (parameters equal as meant)
    covered: list[tuple[str, str]]  # a request's type now read by a key with fewer parameters
    reparametrised: list[tuple[str, str]]  # one type, other parameters
    removed: list[str]
    added: list[str]


def _meant(media: str) -> tuple[str, Params]:
    key = media_key(media)
    return (key, ()) if is_range(key) else (key, parameters(media))


def pair_media(old: list[str], new: list[str], covering: bool = False) -> Pairing:
    """Pair equal media types first, then what is left of one type with what is left of it on the
    other side (in document order); ranges by the range alone.

    `covering`: the media types are what the client sends (a request body, a webhook's reply). The
    most specific key applies to a request (OpenAPI, Media Types), so a new `text/plain` still
    reads what an old client sends as `text/plain; charset=utf-8`: that old type is `covered`."""
    first: dict[tuple[str, Params], str] = {}
    for media in new:
        first.setdefault(_meant(media), media)  # the first of duplicates wins
    used: set[str] = set()
    same, rest = [], []
    for media in old:
        found = first.get(_meant(media))
        if found is None:
            rest.append(media)
        else:
            used.add(found)
            same.append((media, found))
    unused: dict[str, deque[str]] = {}
    for media in first.values():
        if media not in used:
            unused.setdefault(media_key(media), deque()).append(media)
    covered, reparametrised, removed = [], [], []
    for media in rest:
        key, params = _meant(media)
        cover = _cover(first, key, params) if covering and not is_range(key) else None
        if cover is not None:
            used.add(cover)
            covered.append((media, cover))
        elif unused.get(key):
            found = unused[key].popleft()
            used.add(found)
            reparametrised.append((media, found))
        else:
            removed.append(media)
    added = [m for m in first.values() if m not in used]
    return Pairing(same, covered, reparametrised, removed, added)


def _cover(first: dict[tuple[str, Params], str], key: str, params: Params) -> str | None:
    """The most specific new key of type `key` whose parameters are some of `params`, the largest
    subsets first. Subsets are tried for up to COVER_PARAMETERS parameters (2^8 lookups; real types
    carry one to three); beyond that, a hostile key, only the bare type."""
    if len(params) <= COVER_PARAMETERS:
        for size in range(len(params) - 1, 0, -1):
            for subset in combinations(params, size):
                found = first.get((key, subset))
                if found is not None:
                    return found
    return first.get((key, ()))


def describe_parameters(media: str) -> str:
    """`charset=utf-8, version=2`, or `no parameters`: what a message says a media type carries."""
    params = parameters(media)
    return ", ".join(f"{k}={v}" for k, v in params) if params else "no parameters"
