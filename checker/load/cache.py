"""A cache of parsed documents, so a big spec is parsed once per content and loader.

- Where: `$XDG_CACHE_HOME/apicompat` (default `~/.cache/apicompat`), one file per document.
- Key: sha256 of the file's bytes and of the loader's identity: the YAML parser in use and its version
  (apicompat.load.yamlread.parser_identity), a hash of the loader's own code (the modules of
  apicompat.load), the limits it checked against, and the Python version (marshal's format). A change
  to any of them, even in a checkout whose package version never moves, never reads an old entry.
  Only inputs over `MIN_BYTES` are cached: smaller ones parse faster than a cache round trip is worth.
- Format: `marshal` (data only: dicts, lists, strings, numbers, booleans, None; never pickle, so
  a cache file cannot make apicompat run code), written atomically (apicompat.atomic).
- Bounds: an entry is at most `ENTRY_FACTOR` times its document's size plus `ENTRY_EXTRA_BYTES`
  (larger ones are not written, and not read); the folder holds at most `APICOMPAT_CACHE_MAX_MB`
  (default `DEFAULT_MAX_MB`) and evicts the least recently used entries (by mtime: a hit touches its
  entry) after each write.
- `put` is only called with data that parsed and passed the loader's checks, so nothing from a file
  that failed to parse is ever stored. A corrupt or unreadable entry is ignored (and rewritten by the
  next `put`); a cache directory that cannot be written is ignored.
- Off with `APICOMPAT_NO_CACHE=1` or `apicompat --no-cache ...` (`disable()`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import stat
import sys
import time
from functools import lru_cache
from pathlib import Path

from ..atomic import write_atomic_bytes
from .limits import DEFAULT_LIMITS, MB, Limits
from .yamlread import parser_identity

MIN_BYTES = 256 * 1024
MAGIC = b"apicompat-cache\x00"
SUFFIX = ".marshal"
ENV_OFF = "APICOMPAT_NO_CACHE"
ENV_MAX_MB = "APICOMPAT_CACHE_MAX_MB"
DEFAULT_MAX_MB = 512
# A parsed document marshals to ~0.6-0.8x its YAML (the corpus); aliases may add up to its own size
# again plus 1 MiB (apicompat.load.limits). Anything larger than this is not a document we made.
ENTRY_FACTOR = 4
ENTRY_EXTRA_BYTES = 4 * MB
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


def max_folder_bytes() -> int:
    try:
        return max(0, int(os.environ.get(ENV_MAX_MB, DEFAULT_MAX_MB))) * MB
    except ValueError:
        return DEFAULT_MAX_MB * MB


def max_entry_bytes(raw_size: int) -> int:
    return min(raw_size * ENTRY_FACTOR + ENTRY_EXTRA_BYTES, max_folder_bytes())


@lru_cache(maxsize=1)
def loader_code_hash() -> str:
    """sha256 over the loader's source files (this package): a changed loader never reads old entries."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(path.name.encode() + b"\x00" + path.read_bytes() + b"\x00")
    return h.hexdigest()


def identity(limits: Limits = DEFAULT_LIMITS) -> str:
    """Everything besides the bytes that decides what a document parses to."""
    checked = dataclasses.replace(limits, max_bytes=0)  # the size is checked before the cache is asked
    return (f"{parser_identity()}\x00{loader_code_hash()}\x00{checked!r}\x00"
            f"python {sys.version_info[0]}.{sys.version_info[1]} marshal {marshal.version}")


def key(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    h = hashlib.sha256(raw)
    h.update(b"\x00apicompat loader\x00" + identity(limits).encode())
    return h.hexdigest()


def path_for(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    return os.path.join(directory(), key(raw, limits) + SUFFIX)


def _wanted(raw: bytes) -> bool:
    return len(raw) > MIN_BYTES and enabled()


def get(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> object | None:
    """The parsed document for these bytes, or None (not cached, disabled, too large, or corrupt)."""
    if not _wanted(raw):
        return None
    path = path_for(raw, limits)
    cap = max_entry_bytes(len(raw))
    try:  # only a regular file of a bounded size: never a FIFO, a device or a symlink planted there
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > cap:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            blob = fh.read(cap + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(blob) > cap:
        return None
    data = decode(blob)
    if data is None:
        return None
    try:
        os.utime(path)  # recently used: evicted last
    except OSError:
        pass
    return data


def put(raw: bytes, data: object, limits: Limits = DEFAULT_LIMITS) -> None:
    """Store the parsed document for these bytes, then keep the folder within its bound; never fails
    the caller."""
    if not _wanted(raw) or not isinstance(data, dict):
        return
    blob = encode(data)
    if blob is not None:
        store(raw, blob, limits)


def encode(data: dict) -> bytes | None:
    """An entry's bytes for parsed data (None: not data marshal takes)."""
    try:
        return MAGIC + marshal.dumps(data)
    except ValueError:  # a type marshal does not take, or nested too deeply
        return None


def decode(blob: bytes) -> object | None:
    """The data of an entry's bytes; None when they are not an entry of a document."""
    if not blob.startswith(MAGIC):
        return None
    try:
        data = marshal.loads(blob[len(MAGIC):])
    except (ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def store(raw: bytes, blob: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """put() with the entry's bytes already made (`encode`)."""
    if not _wanted(raw) or len(blob) > max_entry_bytes(len(raw)):
        return
    path = path_for(raw, limits)
    try:
        os.makedirs(directory(), mode=0o700, exist_ok=True)
        write_atomic_bytes(path, blob)
        evict(keep=path)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
        return


def evict(keep: str | None = None) -> None:
    """Delete the least recently used entries (oldest mtime first) until the folder is within
    `max_folder_bytes()`; `keep` (the entry just written) goes last. Temp files a killed run left
    behind are deleted once they are an hour old."""
    limit = max_folder_bytes()
    stale = time.time() - 3600
    entries = []
    with os.scandir(directory()) as found:
        for entry in found:
            if not entry.is_file(follow_symlinks=False):
                continue
            st = entry.stat(follow_symlinks=False)
            if entry.name.startswith(".apicompat-") and entry.name.endswith(".tmp") and st.st_mtime < stale:
                _unlink(entry.path)
            elif entry.name.endswith(SUFFIX):
                entries.append((entry.path == keep, st.st_mtime_ns, st.st_size, entry.path))
    total = sum(size for _, _, size, _ in entries)
    for _, _, size, path in sorted(entries):
        if total <= limit:
            break
        if _unlink(path):
            total -= size


def _unlink(path: str) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False
