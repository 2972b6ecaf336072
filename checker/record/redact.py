"""Scrub secrets out of everything the recorder writes or prints, on the data before it is dumped.

A secret is the API key value, the value of any header named in SECRET_HEADERS or in the plan's
`redact:` list (sent by us or returned by the server), and the value of any JSON field with one of
those names. Wherever such a value appears — header value or name, body key or value, stream event
name or data, error text — it becomes `[REDACTED]`. A secret is also found when line breaks split it
(an SSE event whose `data:` lines cut the key in two), and in header names whatever their case (HTTP
lowercases them). Values shorter than MIN_SUBSTRING are replaced only where they are a whole string,
so that a one-character secret cannot shred unrelated text. Scrubbing works on strings inside the
data (never on dumped YAML), so no secret value can break the file's syntax.

Query parameters (a case's `query:` and a query string written into its `path:`, for HTTP requests and
WebSocket sessions alike, through `query` and `url` below) are secret when their name is a secret name
above or one of SECRET_PARAMS, `-` and `_` alike (`api_key` is `api-key`): their values are written as
`[REDACTED]`, and `learn_query` makes the values sent a credential scrubbed wherever a server echoes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus

REDACTED = "[REDACTED]"
SECRET_HEADERS = ("authorization", "cookie", "set-cookie", "openai-organization", "openai-project",
                  "proxy-authorization", "x-api-key", "api-key")
COOKIE_HEADERS = ("cookie", "set-cookie")
# Query parameter names that carry credentials (besides SECRET_HEADERS and the plan's `redact:`), compared
# with `_` read as `-`: API keys, OAuth and session tokens, client secrets, signed-URL signatures.
SECRET_PARAMS = ("apikey", "key", "token", "access-token", "refresh-token", "id-token", "auth", "client-secret",
                 "secret", "password", "sig", "signature", "x-amz-signature", "x-amz-security-token",
                 "x-amz-credential", "x-goog-signature", "x-goog-credential")
MIN_SUBSTRING = 4
_SCHEMES = ("bearer", "basic", "token", "digest")


class Redactor:
    def __init__(self, names: Iterable[str] = (), values: Iterable[str] = ()) -> None:
        self.names = {n.lower() for n in SECRET_HEADERS} | {n.lower() for n in names}
        self._params = {n.strip().replace("_", "-") for n in self.names} | set(SECRET_PARAMS)
        self._values: set[str] = set()
        self._pattern: re.Pattern | None = None
        self._given: set[str] = set()  # the credentials we send (key, secret plan headers)
        for v in values:
            self.add_value(v)
            self._given.add(str(v))

    def add_value(self, value: str | None, header: str = "") -> None:
        """A secret value; "Bearer sk-..." also hides the bare token. For a cookie header only the
        cookie values are secret (`Set-Cookie: sid=abc; Path=/; Max-Age=3600`: `abc`, not `/` or
        `3600`), so that ordinary words and numbers elsewhere stay readable."""
        if not value:
            return
        value = str(value)
        self._add(value)
        if header.lower() in COOKIE_HEADERS:
            pairs = value.split(";") if header.lower() == "cookie" else value.split(";")[:1]
            for pair in pairs:
                self._add(pair.partition("=")[2].strip().strip('"'))
            return
        for part in value.replace(",", " ").split():
            if part.lower() not in _SCHEMES:
                self._add(part)

    def _add(self, value: str) -> None:
        if value and value not in self._values:
            self._values.add(value)
            self._pattern = None

    def learn_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        """Remember the values of secret headers (e.g. the server's Set-Cookie) before scrubbing."""
        for name, value in headers:
            if name.lower() in self.names:
                self.add_value(value, name)

    def is_secret_name(self, name: str) -> bool:
        return name.lower() in self.names

    def is_secret_param(self, name: str) -> bool:
        """A query parameter whose value is a credential: a secret name, or one of SECRET_PARAMS."""
        return name.strip().lower().replace("_", "-") in self._params

    def query(self, query: dict) -> dict:
        """A case's `query:` as written to a snapshot: secret parameters' values `[REDACTED]`, the rest
        scrubbed of secret values."""
        return {self.text(str(k)): (REDACTED if self.is_secret_param(str(k)) else self.value(v))
                for k, v in query.items()}

    def url(self, target: str) -> str:
        """A path or URL as written to a snapshot or printed: each secret parameter of its query string
        `name=[REDACTED]` (the rest of the text kept as written), then secret values scrubbed."""
        return self.text(_scrub_query(target, self.is_secret_param))

    def learn_query(self, target: str, query: dict) -> None:
        """The values of secret parameters we send (in `target`'s query string and in `query`) are
        credentials: scrubbed wherever they show, and looked for before a file is written."""
        for name, value in [*_params(target), *((str(k), str(v)) for k, v in query.items())]:
            if self.is_secret_param(name):
                self.add_given(value)

    def _compiled(self) -> re.Pattern | None:
        if self._pattern is None:
            self._pattern = _search_pattern(self._values, re.IGNORECASE)
        return self._pattern

    def text(self, value: str) -> str:
        """`value` with every secret in it replaced, in any letter case (HTTP lowercases header
        names, and a server may echo a key lowercased)."""
        if value in self._values:
            return REDACTED
        pattern = self._compiled()
        return value if pattern is None else pattern.sub(REDACTED, value)

    def value(self, value: object) -> object:
        """Deep-scrub a JSON-like value: secret-named fields and secret values anywhere."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            out: dict[object, object] = {}
            for k, v in value.items():
                key = self.text(k) if isinstance(k, str) else k
                if isinstance(k, str) and self.is_secret_name(k) and v is not None:
                    out[key] = REDACTED
                else:
                    out[key] = self.value(v)
            return out
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {self.text(k): (REDACTED if self.is_secret_name(k) else self.text(v)) for k, v in headers.items()}

    def add_given(self, value: str | None) -> None:
        """A credential we send (a secret header of the plan): scrubbed, and looked for last."""
        if value:
            self.add_value(value)
            self._given.add(str(value))

    def find_in(self, value: object) -> str | None:
        """Where a credential we send still shows in `value` (keys and strings, any case), or None:
        the last look before a file is written. (Values learned from the server, such as a cookie,
        are scrubbed but not looked for here: a cookie `sid=samples` must not stop the word
        `samples` in the file's own layout.)"""
        pattern = _search_pattern({p for v in self._given for p in (v, *v.split())
                                   if p.lower() not in _SCHEMES}, re.IGNORECASE)
        if pattern is None:
            return None
        stack: list[tuple[object, str]] = [(value, "#")]
        while stack:
            node, where = stack.pop()
            if isinstance(node, str):
                if pattern.search(node):
                    return where
            elif isinstance(node, dict):
                for k, v in node.items():
                    if isinstance(k, str) and pattern.search(k):
                        return where
                    stack.append((v, f"{where}/{k}"))
            elif isinstance(node, list):
                stack.extend((v, f"{where}/{i}") for i, v in enumerate(node))
        return None


def _search_pattern(secrets, flags: int) -> re.Pattern | None:
    """One pattern for every secret long enough to search for, longest first, each allowing a line
    break (CRLF, LF, CR) between any two of its characters."""
    long = sorted((s for s in secrets if len(s) >= MIN_SUBSTRING), key=len, reverse=True)
    if not long:
        return None
    return re.compile("|".join("(?:\r\n|\n|\r)?".join(re.escape(c) for c in s) for s in long), flags)


def _split_target(target: str) -> tuple[str, str, str]:
    """(before the query, the query, from the fragment on): `/a?x=1#f` -> ('/a?', 'x=1', '#f')."""
    head, mark, rest = target.partition("?")
    if not mark:
        return target, "", ""
    query, hash_, fragment = rest.partition("#")
    return head + mark, query, hash_ + fragment


def _params(target: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of `target`'s query string, percent-decoded."""
    query = _split_target(target)[1]
    return [(unquote_plus(n), unquote_plus(v)) for n, _, v in (p.partition("=") for p in query.split("&") if p)]


def _scrub_query(target: str, secret) -> str:
    head, query, tail = _split_target(target)
    if not query:
        return target
    parts = []
    for part in query.split("&"):
        name, eq, _ = part.partition("=")
        parts.append(f"{name}={REDACTED}" if eq and secret(unquote_plus(name)) else part)
    return head + "&".join(parts) + tail
