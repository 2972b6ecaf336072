"""Media types as the wire carries them: `text/csv; charset=utf-8` is the type `text/csv` with the
parameter `charset=utf-8`, and the parameters change what the bytes mean (how a client decodes a
response, what `Content-Type` an old client sends). So a body's media types are paired by type and
parameters both; a type kept with other parameters is a change of its own.

Parameter names are case-insensitive (RFC 9110 8.3.1), and so are `charset` values; other values are
compared as written, quotes removed. JSON is UTF-8 by definition (RFC 8259 8.1: "No 'charset' parameter
is defined for this registration"; the same holds for `+json` types, RFC 6839), so `charset=utf-8` on a
JSON type says nothing and is dropped: `application/json` and `application/json; charset=utf-8` are one
media type. For `text/*` it is not dropped: a text type without a charset defaults to another one
(US-ASCII, RFC 2046 4.1.2), so adding or removing it changes how the text is read.

Media type ranges (`application/*`, `*/*`) stand for many types: they are matched by the range alone,
parameters ignored, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

Params = tuple[tuple[str, str], ...]  # (name, value) sorted by name, names lower-case


def media_key(media: str) -> str:
    """The type without its parameters, lower-case: `Application/JSON; charset=x` -> `application/json`."""
    return media.split(";", 1)[0].strip().lower()


def is_range(key: str) -> bool:
    return "*" in key


def is_json(key: str) -> bool:
    return key == "application/json" or key.endswith("+json")


def parameters(media: str) -> Params:
    """The parameters as they are meant: names and `charset` values lower-case, quotes removed, JSON's
    `charset=utf-8` dropped (see the module docstring)."""
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
            if is_json(key) and value in ("utf-8", "utf8"):
                continue
        out[name] = value
    return tuple(sorted(out.items()))


@dataclass(frozen=True)
class Pairing:
    """How the media types of an old body stand to a new one's (the names as written in each)."""

    same: list[tuple[str, str]]  # one media type (parameters equal as meant)
    reparametrised: list[tuple[str, str]]  # one type, other parameters
    removed: list[str]
    added: list[str]


def pair_media(old: list[str], new: list[str]) -> Pairing:
    """Pair equal media types first, then what is left of one type with what is left of it on the
    other side (in document order); ranges by the range alone."""
    def meant(media: str) -> tuple[str, Params]:
        key = media_key(media)
        return (key, ()) if is_range(key) else (key, parameters(media))

    new_left = {meant(m): m for m in reversed(new)}  # the first of duplicates wins
    taken: dict[tuple[str, Params], str] = {}  # meaning -> the new media type it was paired with
    same, rest = [], []
    for media in old:
        meaning = meant(media)
        found = new_left.pop(meaning, None) or taken.get(meaning)
        if found is None:
            rest.append(media)
        else:
            taken[meaning] = found
            same.append((media, found))
    by_type: dict[str, list[str]] = {}
    for meaning, media in sorted(new_left.items(), key=lambda kv: new.index(kv[1])):
        by_type.setdefault(meaning[0], []).append(media)
    reparametrised, removed = [], []
    for media in rest:
        candidates = by_type.get(media_key(media))
        if candidates:
            reparametrised.append((media, candidates.pop(0)))
        else:
            removed.append(media)
    added = [m for ms in by_type.values() for m in ms]
    added.sort(key=new.index)
    return Pairing(same, reparametrised, removed, added)


def describe_parameters(media: str) -> str:
    """`charset=utf-8, version=2`, or `no parameters`: what a message says a media type carries."""
    params = parameters(media)
    return ", ".join(f"{k}={v}" for k, v in params) if params else "no parameters"
