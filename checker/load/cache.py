"""A cache of parsed documents, so a big spec is parsed once per content and apicompat version.

- Where: `$XDG_CACHE_HOME/apicompat` (default `~/.cache/apicompat`), one file per document.
- Key: sha256 of the file's bytes and the apicompat version (a new version never reads an old
  entry). Only inputs over `MIN_BYTES` are cached: smaller ones parse faster than a cache round trip
  is worth.
- Format: `marshal` (data only: dicts, lists, strings, numbers, booleans, None; never pickle, so
  a cache file cannot make apicompat run code), written atomically (apicompat.atomic).
- `put` is only called with data that parsed and passed the loader's checks, so nothing from a file
  that failed to parse is ever stored. A corrupt or unreadable entry is ignored (and rewritten by the
  next `put`); a cache directory that cannot be written is ignored.
- Off with `APICOMPAT_NO_CACHE=1` or `apicompat --no-cache ...` (`disable()`).
"""

from __future__ import annotations

import hashlib
import marshal
import os

MIN_BYTES = 256 * 1024
MAGIC = b"apicompat-cache\x00"
ENV_OFF = "APICOMPAT_NO_CACHE"
_disabled = False


def disable(flag: bool = True) -> None:
    """`apicompat --no-cache` (each CLI run sets it afresh)."""
    global _disabled
    _disabled = flag


def enabled() -> bool:
    return not _disabled and os.environ.get(ENV_OFF, "").strip().lower() in ("", "0", "false", "no")


def directory() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "apicompat")


def _version() -> str:
    from .. import __version__

    return __version__


def key(raw: bytes) -> str:
    h = hashlib.sha256(raw)
    h.update(b"\x00apicompat " + _version().encode())
    return h.hexdigest()


def path_for(raw: bytes) -> str:
    return os.path.join(directory(), key(raw) + ".marshal")


def _wanted(raw: bytes) -> bool:
    return len(raw) > MIN_BYTES and enabled()


def get(raw: bytes) -> object | None:
    """The parsed document for these bytes, or None (not cached, disabled, or a corrupt entry)."""
    if not _wanted(raw):
        return None
    try:
        with open(path_for(raw), "rb") as fh:
            blob = fh.read()
    except OSError:
        return None
    if not blob.startswith(MAGIC):
        return None
    try:
        data = marshal.loads(blob[len(MAGIC):])
    except (ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def put(raw: bytes, data: object) -> None:
    """Store the parsed document for these bytes; never fails the caller."""
    if not _wanted(raw) or not isinstance(data, dict):
        return
    try:
        blob = MAGIC + marshal.dumps(data)
    except ValueError:  # a type marshal does not take, or nested too deeply
        return
    from ..atomic import write_atomic_bytes

    try:
        os.makedirs(directory(), mode=0o700, exist_ok=True)
        write_atomic_bytes(path_for(raw), blob)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
        return
