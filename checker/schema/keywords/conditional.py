"""`if`/`then`/`else`: `then` applies where `if` holds, `else` where it does not; either missing is
`true`. With no `then` and no `else` the keyword restricts nothing, whatever `if` says."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm
from .judged import Findings, Verdicts, carries, constraint, judge
from .parts import ONE, both, disjoint

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker

KINDS = Verdicts(R.CONDITIONAL_ADDED, R.CONDITIONAL_REMOVED, R.CONDITIONAL_TIGHTENED, R.CONDITIONAL_LOOSENED,
                 R.CONDITIONAL_REPLACED, R.CONDITIONAL_CHANGED)


def _pick(raw: dict[str, Any]) -> dict[str, Any] | None:
    if "if" not in raw or ("then" not in raw and "else" not in raw):
        return None  # an `if` alone (or a `then` without `if`) asserts nothing
    return {k: raw[k] for k in ("if", "then", "else") if k in raw}


def diff_conditional(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not carries(o, n, "if"):
        return
    yield from judge(w, o, n, constraint(o, _pick, "if"), constraint(n, _pick, "if"), KINDS, "if/then/else")


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """Each conditional of a: both its branches cover b, or b has one with the same `if` whose
    branches each are covered by a's."""
    def branch(side: str, part: Node, kw: str) -> Norm | None:
        return rel.norm(side, part.child(kw)) if kw in part.raw else None

    def within(wide: Norm | None, narrow: Norm | None, whole: Norm) -> bool:
        if wide is None:
            return True
        return rel.covers(wide, narrow if narrow is not None else whole, sa, sb, depth + 1)

    b_conds = [p for p in b.parts if isinstance(p.raw, dict) and _pick(p.raw)]
    for part in a.parts:
        if not (isinstance(part.raw, dict) and _pick(part.raw)):
            continue
        then, other = branch(sa, part, "then"), branch(sa, part, "else")
        if within(then, None, b) and within(other, None, b):
            continue
        cond = rel.norm(sa, part.child("if"))
        if within(other, None, b) and disjoint(rel, cond, b, sa, sb, depth + 1):
            continue  # b never meets the condition: only `else` applies
        if within(then, None, b) and rel.covers(cond, b, sa, sb, depth + 1):
            continue  # b always meets it: only `then` applies
        ok = False
        for q in b_conds:
            q_if = rel.norm(sb, q.child("if"))
            if not (rel.covers(cond, q_if, sa, sb, depth + 1) and rel.covers(q_if, cond, sb, sa, depth + 1)):
                continue
            if within(then, branch(sb, q, "then"), b) and within(other, branch(sb, q, "else"), b):
                ok = True
                break
        if not ok:
            return False
    return True


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    """`then` where `if` holds, `else` where it does not; when `if` cannot be told, both holding is enough."""
    raw = node.raw
    cond = acc.accepts(node.child("if"), value, depth)
    then = acc.accepts(node.child("then"), value, depth) if "then" in raw else True
    other = acc.accepts(node.child("else"), value, depth) if "else" in raw else True
    if cond is None:
        return True if both([then, other]) is True else None
    return then if cond else other


INCLUDES = {"conditional": includes}
ACCEPTS = {"if": accepts}
SUBSCHEMAS = {"if": ONE, "then": ONE, "else": ONE}
