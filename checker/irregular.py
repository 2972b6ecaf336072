"""Irregular but readable documents (POLICY.md, "Documents that are not quite valid").

Real specs carry small mistakes (`type: int`, an empty `responses:`, `oneOf: []`). Whoever reads such a
place notes it here with how it was read, and goes on; the diff reports each note once as an `info`
change (rule `input-irregular`). Under `--strict` the first note is refused instead (exit status 2).
Only what cannot be read at all raises InputError directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Iterator

from .errors import InputError


@dataclass(frozen=True)
class Irregularity:
    source: str  # the input's name, as given on the command line
    pointer: str  # where in that document
    found: str  # what is there, e.g. "type: int"
    read_as: str  # how it was read, e.g. "integer"

    @property
    def message(self) -> str:
        return f"{self.found} is irregular; read as {self.read_as}"


class Irregularities:
    """One collector per diff, shared by every reader of both documents; deduplicated, in order."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self._seen: dict[tuple[str, str, str], Irregularity] = {}
        self._places: dict[str, Callable[[str], str]] = {}

    def map_places(self, source: str, place: Callable[[str], str]) -> None:
        """Pointers noted for `source` name places in a converted copy (Swagger 2.0 read as OpenAPI
        3.0): `place` turns them into the file's own."""
        self._places[source] = place

    def note(self, source: str, pointer: str, found: str, read_as: str) -> None:
        if source in self._places:
            pointer = self._places[source](pointer)
        if self.strict:
            raise InputError(source, f"{found} is irregular (--strict refuses it; without --strict it is "
                             f"read as {read_as})", pointer)
        key = (source, pointer, found)
        if key not in self._seen:
            self._seen[key] = Irregularity(source, pointer, found, read_as)

    def __iter__(self) -> Iterator[Irregularity]:
        return iter(self._seen.values())

    def __len__(self) -> int:
        return len(self._seen)
