"""What every keyword unit shares: the signature of a diff function and how a finding is made.

A unit's diff function is `(walker, old, new, ctx) -> findings`: it compares the canonical forms of
both sides (normalise.py) and yields neutral *kinds* (named constants of rules/schema_rules.py);
the registry gives each kind its rule id and severity for the context.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..findings import Ctx, Finding
from ..form import Node, Norm

if TYPE_CHECKING:  # pragma: no cover
    from ..walker import Walker

Findings = Iterator[Finding]
# The one signature of a unit's diff function (the dialects map each keyword to one).
DiffFn = Callable[["Walker", Norm, Norm, Ctx], Findings]


def finding(kind: str, o: Norm, n: Norm, old: Any = None, new: Any = None, detail: str = "", at: Node | None = None,
            new_at: Node | None = None) -> Finding:
    """A finding about the pair (o, n); `at`/`new_at`: a part of it (a property) where it is."""
    pointer = (at or o.node).ptr
    return Finding(kind, pointer, o.ptr, old, new, detail, (new_at or n.node).ptr)


@dataclass(frozen=True)
class Spelling:
    """What JSON a keyword's value must be; `problem` says what is wrong with a value of that JSON
    type that still cannot be read (an unknown type name), or None."""

    what: str
    ok: Callable[[Any], bool]
    problem: Callable[[Any], str | None] | None = None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


MAPPING = Spelling("a mapping", lambda v: isinstance(v, dict))
SCHEMA = Spelling("a schema (a mapping or a boolean)", lambda v: isinstance(v, (dict, bool)))
LIST = Spelling("a list", lambda v: isinstance(v, list))
STRINGS = Spelling("a list of strings", lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v))
BOOLEAN = Spelling("a boolean", lambda v: isinstance(v, bool))
STRING = Spelling("a string", lambda v: isinstance(v, str))
NUMBER = Spelling("a number", _is_number)
COUNT = Spelling("a non-negative integer", lambda v: _is_number(v) and v >= 0 and v == int(v))
