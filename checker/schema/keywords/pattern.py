"""`pattern`, by language containment (checker/patterns: our own bounded ECMA-262 automata).

Every pattern a schema conjoins (its own and its allOf members') is one constraint; the new one is
compared with the old schema as a whole, so an `enum` replaced by a pattern that admits every old value
breaks nothing, and `pattern: ''` restricts nothing. A pattern the automata cannot model (a
backreference, lookaround, a word boundary) leaves the question open: a warning that says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import patterns
from ...rules import schema_rules as R
from ..findings import Ctx, Finding
from ..form import Node, Norm, canonical
from .parts import own_patterns
from .judged import Findings, Verdicts, judge

if TYPE_CHECKING:  # pragma: no cover
    from ..walker import Walker

KINDS = Verdicts(R.PATTERN_ADDED, R.PATTERN_REMOVED, R.PATTERN_TIGHTENED, R.PATTERN_LOOSENED, R.PATTERN_REPLACED,
                 R.PATTERN_CHANGED)


def _constraint(n: Norm) -> Node | None:
    """Every pattern the form conjoins (Norm.patterns: its allOf members' too, '' dropped, none where the
    value cannot be a string) as one schema."""
    kept = sorted(p for p in n.patterns if not patterns.matches_everything(p))
    if not kept:
        return None
    raw = {"pattern": kept[0]} if len(kept) == 1 else {"allOf": [{"pattern": p} for p in kept]}
    return Node(raw, n.ptr, f"{n.key}|patterns#{hash(canonical(raw)) & 0xFFFFFFFFFFFF:x}", n.node.base)


def diff_pattern(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    op, np_ = own_patterns(o), own_patterns(n)
    if op == np_:
        return
    if ctx.opaque:
        yield Finding(R.OPAQUE_STRING_CHANGED, o.ptr, o.ptr, " & ".join(op) or None, " & ".join(np_) or None,
                      "pattern", n.ptr)
        return
    for f in judge(w, o, n, _constraint(o), _constraint(n), KINDS, "pattern"):
        detail = f.detail
        if f.kind == R.PATTERN_CHANGED:
            verdict = patterns.contains(np_, op)
            if verdict.holds is None and verdict.reason:
                detail = f"{verdict.reason}: whether the new pattern accepts every string the old one did " \
                         "cannot be decided by automata; review it"
        yield Finding(f.kind, f.pointer, f.subject, " & ".join(op) or None, " & ".join(np_) or None, detail,
                      f.new_pointer)
