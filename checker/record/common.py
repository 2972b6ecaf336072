"""What the HTTP recorder (client.py) and the WebSocket recorder (websocket.py) share: the error that
ends a case, the retry policy, the headers kept, the bound on body depth. Its own module so that
websocket.py (which plan.py imports) need not import client.py (which imports plan.py)."""

from __future__ import annotations

import email.utils
import re
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from .client import ClientOptions

KEPT_HEADERS = ("content-type", "x-request-id", "openai-version", "openai-processing-ms")
RETRY_STATUSES = {429, 500, 502, 503, 504}

MAX_BODY_DEPTH = 128  # deeper responses could not be written, inferred or diffed safely


def _snippet(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _depth_over(value: object, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return False


class CaseError(Exception):
    """One case could not be recorded; the message is already scrubbed of secrets. `status`: the
    HTTP status that ended it, when one did (401, 403, 429 after retries: see run.auth_failure)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


def parse_duration(text: str) -> float | None:
    """`x-ratelimit-reset-*` values: "1s", "6m0s", "20ms", "1h2m3.5s", or bare seconds."""
    text = text.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    return sum(float(n) * scale[u] for n, u in parts)


def retry_wait(headers: httpx.Headers, attempt: int, options: ClientOptions) -> float:
    waits = []
    ra = headers.get("retry-after-ms")
    if ra:
        try:
            waits.append(float(ra) / 1000)
        except ValueError:
            pass
    ra = headers.get("retry-after")
    if ra:
        seconds = parse_duration(ra)
        if seconds is None:
            try:
                when = email.utils.parsedate_to_datetime(ra)
                seconds = max(0.0, when.timestamp() - time.time())
            except (TypeError, ValueError, OverflowError):
                seconds = None
        if seconds is not None:
            waits.append(seconds)
    if not waits:
        for name in ("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"):
            value = headers.get(name)
            seconds = parse_duration(value) if value else None
            if seconds is not None:
                waits.append(seconds)
    wait = max(waits) if waits else options.backoff * (2 ** attempt)
    return min(wait, options.max_retry_wait)


def kept_headers(headers: httpx.Headers) -> dict[str, str]:
    out = {}
    for name in KEPT_HEADERS:
        if name in headers:
            out[name] = headers[name]
    for name in sorted(k.lower() for k in headers.keys()):
        if name.startswith("x-ratelimit-"):
            out[name] = headers[name]
    return out
