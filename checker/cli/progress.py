"""A one-line status on stderr while a long command works (`diff` of two big specs takes seconds):
what it is doing and for how long, redrawn in place, erased at the end.

Only on a terminal (stderr is a TTY) and never under CI (env CI set): logs and pipes get nothing.
Nothing shows for the first DELAY seconds, so quick runs do not flicker (APICOMPAT_PROGRESS_DELAY sets
another number of seconds: 0 shows the status at once)."""

from __future__ import annotations

import os
import sys
import threading
import time

from ..safetext import printable

DELAY = 1.0
TICK = 0.25
ENV_DELAY = "APICOMPAT_PROGRESS_DELAY"


def default_delay() -> float:
    """DELAY, or the seconds APICOMPAT_PROGRESS_DELAY gives (0-60; anything else is ignored)."""
    try:
        seconds = float(os.environ.get(ENV_DELAY, ""))
    except ValueError:
        return DELAY
    return seconds if 0 <= seconds <= 60 else DELAY


def progress_enabled(stream=None) -> bool:
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("CI")


class Progress:
    """`with Progress() as p: p.stage("reading old.yaml"); ...`: a no-op when not enabled."""

    def __init__(self, enabled: bool | None = None, stream=None, delay: float | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = progress_enabled(self.stream) if enabled is None else enabled
        self.delay = default_delay() if delay is None else delay
        self.text = ""
        self.width = 0
        self._started = 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._started = time.monotonic()
            self._thread = threading.Thread(target=self._run, name="apicompat-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._write("")

    def stage(self, text: str) -> None:
        self.text = printable(text)

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            elapsed = time.monotonic() - self._started
            self._write(f"apicompat: {self.text} ({elapsed:.0f} s)")
            self._stop.wait(TICK)

    def _write(self, line: str) -> None:
        with self._lock:
            if not line and not self.width:
                return
            columns = _columns(self.stream)
            line = line[: columns - 1]
            pad = max(0, self.width - len(line))
            try:
                self.stream.write("\r" + line + " " * pad + ("\r" if not line else ""))
                self.stream.flush()
            except (OSError, ValueError):
                self._stop.set()
            self.width = len(line)


def _columns(stream) -> int:
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        columns = 0
    return max(20, columns) if columns else 80  # a terminal that reports no size: assume 80
