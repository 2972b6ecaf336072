"""Errors the CLI turns into one line on stderr and exit status 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: names the file, the place in it, and what is wrong."""

    def __init__(self, source: str, message: str, place: str | None = None) -> None:
        self.source = source
        self.place = place
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}: {self.place}" if self.place else self.source
        return f"{where}: {self.message}"
