"""`allOf`, `anyOf`, `oneOf`: the applicators that apply their members to the value itself.

The normaliser reads them (normalise.py: allOf intersected into one form; a union's members kept with the
keywords beside it distributed into each), unions.py diffs a union as a whole and subsume.py relates
unions member by member. What they contribute to accepting one value is here: every member, at least
one, exactly one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..form import Node
from .parts import both, either

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor


def accepts_all_of(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    members = node.raw["allOf"] or []
    return both([acc.accepts(node.child("allOf", i), value, depth) for i in range(len(members))])


def accepts_any_of(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    members = node.raw["anyOf"]
    if not isinstance(members, list):
        return True
    return either(acc.accepts(node.child("anyOf", i), value, depth) for i in range(len(members)))


def accepts_one_of(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    members = node.raw["oneOf"]
    if not isinstance(members, list):
        return True
    return exactly_one([acc.accepts(node.child("oneOf", i), value, depth) for i in range(len(members))])


def exactly_one(results: list[bool | None]) -> bool | None:
    """Three-valued "exactly one holds"."""
    yes = sum(1 for r in results if r is True)
    unknown = sum(1 for r in results if r is None)
    if yes > 1:
        return False
    if unknown == 0:
        return yes == 1
    return None


ACCEPTS = {"allOf": accepts_all_of, "anyOf": accepts_any_of, "oneOf": accepts_one_of}
