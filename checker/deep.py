"""Run work on a thread with a large stack, so deeply nested (but bounded) documents are diffed
rather than crashing the interpreter; the recursion limit turns anything deeper into an error.

What this changes in the process, and for how long (apicompat is also a library and a pytest
plugin, so it must not leave state behind):
- the 512 MB stack is set for the creation of the deep thread only, under a lock, and the previous
  size is restored as soon as that thread has started, before it begins the work: threads made by
  anyone else, before, during or after, get their usual stack;
- the recursion limit is process-wide in CPython (no per-thread setting), so it is raised while at
  least one deep run is active and restored when the last one ends, whether it returns, raises or is
  interrupted. Nested calls (a deep run inside a deep run) run inline on the deep thread.
"""

from __future__ import annotations

import sys
import threading
from typing import TypeVar
from collections.abc import Callable

T = TypeVar("T")

STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 60_000

_lock = threading.Lock()
_active = 0  # deep runs in progress (guarded by _lock)
_saved_limit = 0  # the recursion limit before the first of them began
_on_deep_thread = threading.local()


def run_deep(fn: Callable[[], T]) -> T:
    if getattr(_on_deep_thread, "active", False):
        return fn()  # already on a deep thread: its stack and the raised limit hold
    result: dict[str, object] = {}
    stack_restored = threading.Event()

    def target() -> None:
        stack_restored.wait()  # the work never runs while the process's stack size is changed
        _on_deep_thread.active = True
        try:
            result["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=target, name="apicompat-deep", daemon=True)
    _enter()
    try:
        with _lock:  # the big stack for this one thread's creation, then the old size again
            old_size = threading.stack_size(STACK_BYTES)
            try:
                thread.start()
            finally:
                threading.stack_size(old_size)
                stack_restored.set()
        while thread.is_alive():
            thread.join(0.2)  # short waits keep Ctrl-C responsive
    finally:
        _leave()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["value"]  # type: ignore[return-value]


def _enter() -> None:
    global _active, _saved_limit
    with _lock:
        if _active == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(RECURSION_LIMIT, _saved_limit))
        _active += 1


def _leave() -> None:
    global _active
    with _lock:
        _active -= 1
        if _active == 0:
            sys.setrecursionlimit(_saved_limit)
