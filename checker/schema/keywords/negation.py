"""`not`: a value is valid when the inner schema rejects it. A wider inner schema forbids more."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm
from .judged import Findings, Verdicts, carries, constraint, judge
from .parts import ONE, negate, values

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker

KINDS = Verdicts(R.NOT_ADDED, R.NOT_REMOVED, R.NOT_TIGHTENED, R.NOT_LOOSENED, R.NOT_REPLACED, R.NOT_CHANGED)


def _pick(raw: dict[str, Any]) -> dict[str, Any] | None:
    return {"not": raw["not"]} if "not" in raw else None


def diff_not(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not carries(o, n, "not"):
        return
    yield from judge(w, o, n, constraint(o, _pick, "not"), constraint(n, _pick, "not"), KINDS, "`not`")


def _disjoint_types(x: Norm, y: Norm) -> bool:
    if x.types is None or y.types is None or (x.nullable and y.nullable):
        return False
    wide = set(x.types) | ({"integer"} if "number" in x.types else set())
    return not any(t in wide or (t == "number" and "integer" in x.types) for t in y.types)


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """b stays out of every schema a forbids: b forbids a wider one, or shares no type with it."""
    b_nots = values(b, "not")
    for node in values(a, "not"):
        forbidden = rel.norm(sa, node)
        if forbidden.false:
            continue
        if _disjoint_types(forbidden, b) and (rel.accepts(sa, forbidden.node, None) is False
                                              or rel.accepts(sb, b.node, None) is False):
            continue
        if not any(rel.covers(rel.norm(sb, x), forbidden, sb, sa, depth + 1) for x in b_nots):
            return False
    return True


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    return negate(acc.accepts(node.child("not"), value, depth))


INCLUDES = {"not": includes}
ACCEPTS = {"not": accepts}
SUBSCHEMAS = {"not": ONE}
