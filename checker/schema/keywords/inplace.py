"""`allOf`, `anyOf`, `oneOf`: the applicators that apply their members to the value itself.

The normaliser reads them (normalise.py: allOf intersected into one form; a union's members kept with the
keywords beside it distributed into each), unions.py diffs a union as a whole and subsume.py relates
unions member by member. What they contribute to accepting one value is here: every member, at least
one, exactly one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..form import Node, Norm
from .parts import LISTED, both, disjoint, either

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption

MAX_ALONE = 256  # oneOf members checked for disjointness when one covers: past it, not proven


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


def member_covers_whole(rel: Subsumption, a: Norm, m: Node, b: Norm, sa: str, sb: str) -> bool:
    """A member m of a's union that accepts every value of b does so for the whole union unless the
    union is a oneOf whose other members may match a value of b too (the oneOf rejects that value)."""
    if a.union_kind != "oneOf" or a.union is None:
        return True
    return len(a.union) <= MAX_ALONE and all(x is m or disjoint(rel, rel.norm(sa, x), b, sa, sb) for x in a.union)


ACCEPTS = {"allOf": accepts_all_of, "anyOf": accepts_any_of, "oneOf": accepts_one_of}
SUBSCHEMAS = dict.fromkeys(("allOf", "anyOf", "oneOf"), LISTED)
