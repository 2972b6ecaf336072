"""Run work on a thread with a large stack, so deeply nested (but bounded) documents are diffed
rather than crashing the interpreter; the recursion limit turns anything deeper into an error."""

from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

T = TypeVar("T")

STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 60_000


def run_deep(fn: Callable[[], T]) -> T:
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc

    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size()
    try:
        threading.stack_size(STACK_BYTES)
        sys.setrecursionlimit(RECURSION_LIMIT)
        thread = threading.Thread(target=target, name="apicompat-deep", daemon=True)
        thread.start()
        while thread.is_alive():
            thread.join(0.2)  # short waits keep Ctrl-C responsive
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["value"]  # type: ignore[return-value]
