"""The two documents of a diff, read at once: on Linux, when both are large and neither is in the
parse cache, the new one is parsed in a forked process while this one parses the old (yaml-rs holds
the GIL while it parses, so a thread would not run beside it), and comes back through a pipe as
marshal data, the parse cache's format (data only: mappings, lists, strings, numbers, booleans, None).

The result is the same as `load_document(old)` then `load_document(new)`, errors included: the old
document is read first and its error wins; whatever goes wrong in the child (an error in the
document, a limit, a signal, a crash) makes this process parse the new document itself, which then
fails or succeeds as it would have alone. Off with APICOMPAT_PARALLEL=0.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from . import cache
from .documents import Document, decode, document, load_document, parse_cached, parse_data, read_source
from .limits import DEFAULT_LIMITS, Limits

ENV_OFF = "APICOMPAT_PARALLEL"
# Below this, parsing costs less than a fork (the parse cache's own threshold: smaller documents are
# not worth a cache round trip either).
MIN_BYTES = cache.MIN_BYTES


def _nothing(*args: object) -> None:
    return None


def parallel_enabled() -> bool:
    return (sys.platform == "linux" and hasattr(os, "fork")
            and os.environ.get(ENV_OFF, "").strip().lower() not in ("0", "false", "no"))


def load_pair(old: str, new: str, limits: Limits = DEFAULT_LIMITS, stage: Callable[[str], None] = _nothing,
              meanwhile: Callable[[], object] = _nothing) -> tuple[Document, Document]:
    """`stage` hears what is being done ("reading OLD", "reading NEW"), for a progress line;
    `meanwhile` is called once the old document is read, while the new one may still be parsed
    beside (the CLI imports the differ then)."""
    stage(f"reading {old}")
    if not parallel_enabled():
        old_doc = load_document(old, limits)
        meanwhile()
        stage(f"reading {new}")
        return old_doc, load_document(new, limits)
    old_raw, old_path = read_source(old, limits)
    old_text = decode(old, old_raw)
    try:
        new_raw, new_path = read_source(new, limits)
        new_text = decode(new, new_raw)
    except Exception:  # noqa: BLE001 - raised again, after the old document (whose error comes first)
        document(old, parse_cached(old, old_raw, old_text, limits), old_text, old_path)
        raise
    child = None
    if len(old_raw) > MIN_BYTES and len(new_raw) > MIN_BYTES and cache.get(new_raw, limits) is None \
            and cache.get(old_raw, limits) is None:
        child = _Child.start(new, new_raw, new_text, limits)
    try:
        old_doc = document(old, parse_cached(old, old_raw, old_text, limits), old_text, old_path)
        meanwhile()
        stage(f"reading {new}")
        data = child.result() if child is not None else None
    finally:
        if child is not None:
            child.end()
    if data is None:  # no child, or it failed: as if read alone
        data = parse_cached(new, new_raw, new_text, limits)
    return old_doc, document(new, data, new_text, new_path)


class _Child:
    """A forked process parsing one document: its data comes back on a pipe, an entry's bytes."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self.reaped = False

    @classmethod
    def start(cls, source: str, raw: bytes, text: str, limits: Limits) -> _Child | None:
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:  # no process to spare: read it here
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: parse, answer, and leave without running anything of the parent's
            status = 1
            try:
                os.close(read_fd)
                status = _answer(source, raw, text, limits, write_fd)
            finally:
                os._exit(status)
        os.close(write_fd)
        return cls(pid, read_fd)

    def result(self) -> object | None:
        """The child's data; None when it did not give whole data (the caller parses it then)."""
        chunks = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
        except OSError:
            return None
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        return cache.decode(b"".join(chunks))

    def end(self) -> None:
        """Close the pipe; a child still running (this process was interrupted) is stopped."""
        os.close(self.fd)
        if not self.reaped:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.reaped = True


def _answer(source: str, raw: bytes, text: str, limits: Limits, fd: int) -> int:
    """In the child: the document parsed and checked, written to `fd` as a cache entry's bytes (and
    to the parse cache). Exit status 0 only when all of it was written."""
    data = parse_data(source, text, limits)
    blob = cache.encode(data) if isinstance(data, dict) else None
    if blob is None:
        return 1
    cache.store(raw, blob, limits)
    view = memoryview(blob)
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)
    return 0
