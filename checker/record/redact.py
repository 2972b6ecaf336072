"""Scrub secrets out of everything the recorder writes or prints.

A secret is the API key value, the value of any header named in SECRET_HEADERS or in the plan's
`redact:` list (sent by us or returned by the server), and the value of any JSON field with one of
those names. Wherever such a value appears — header, body, stream data, error text — it becomes
`[REDACTED]`. Values shorter than MIN_SUBSTRING are replaced only where they are a whole string, so
that a one-character secret cannot shred unrelated text.
"""

from __future__ import annotations

from typing import Iterable

REDACTED = "[REDACTED]"
SECRET_HEADERS = ("authorization", "cookie", "set-cookie", "openai-organization", "openai-project",
                  "proxy-authorization", "x-api-key", "api-key")
MIN_SUBSTRING = 4


class Redactor:
    def __init__(self, names: Iterable[str] = (), values: Iterable[str] = ()) -> None:
        self.names = {n.lower() for n in SECRET_HEADERS} | {n.lower() for n in names}
        self._values: set[str] = set()
        for v in values:
            self.add_value(v)

    def add_value(self, value: str | None) -> None:
        if not value:
            return
        value = str(value)
        self._values.add(value)
        # "Bearer sk-..." also hides the bare token, and a cookie hides each of its values
        for part in value.replace(";", " ").replace(",", " ").split():
            if "=" in part:
                part = part.split("=", 1)[1]
            if len(part) >= MIN_SUBSTRING and part.lower() not in ("bearer", "basic", "path", "secure"):
                self._values.add(part)

    def learn_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        """Remember the values of secret headers (e.g. the server's Set-Cookie) before scrubbing."""
        for name, value in headers:
            if name.lower() in self.names:
                self.add_value(value)

    def is_secret_name(self, name: str) -> bool:
        return name.lower() in self.names

    def text(self, value: str) -> str:
        if value in self._values:
            return REDACTED
        for secret in sorted(self._values, key=len, reverse=True):
            if len(secret) >= MIN_SUBSTRING and secret in value:
                value = value.replace(secret, REDACTED)
        return value

    def value(self, value: object) -> object:
        """Deep-scrub a JSON-like value: secret-named fields and secret values anywhere."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                key = self.text(k) if isinstance(k, str) else k
                out[key] = REDACTED if isinstance(k, str) and self.is_secret_name(k) and v is not None else self.value(v)
            return out
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {k: (REDACTED if self.is_secret_name(k) else self.text(v)) for k, v in headers.items()}
