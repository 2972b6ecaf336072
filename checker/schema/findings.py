"""What a keyword diff function yields: a kind of change at a place, before it is given a rule id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    pointer: str  # where the change is (the old document's pointer when the thing existed there)
    subject: str  # pointer of the schema the message talks about
    old: Any = None
    new: Any = None
    detail: str = ""
    new_pointer: str | None = None


class Ctx(NamedTuple):
    context: str  # request, response, request-parameter, response-header
    opaque: bool = False
    expandable: bool = False  # a response field whose object form only comes when the client asks (expand[])

    @property
    def request(self) -> bool:
        return self.context.startswith("request")
