"""`not`: a value is valid when the inner schema rejects it. A wider inner schema forbids more."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm
from ..overlap import disjoint
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


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """b stays out of every schema a forbids: b forbids a wider one, or shares no value with it."""
    b_nots = values(b, "not")
    for node in values(a, "not"):
        forbidden = rel.norm(sa, node)
        if forbidden.false:
            continue
        if disjoint(rel, forbidden, b, sa, sb):  # no value of b is one it forbids
            continue
        if not any(rel.covers(rel.norm(sb, x), forbidden, sb, sa, depth + 1) for x in b_nots):
            return False
    return True


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    return negate(acc.accepts(node.child("not"), value, depth))


INCLUDES = {"not": includes}
ACCEPTS = {"not": accepts}
SUBSCHEMAS = {"not": ONE}
