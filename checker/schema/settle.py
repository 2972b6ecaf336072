"""A node's keyword-by-keyword findings checked against what the two whole schemas accept.

The keyword units compare one keyword at a time; what a schema accepts is decided by all of its
keywords together. A `minLength` added beside an `enum` whose values are all long enough, a
`uniqueItems` on a `maxItems: 1` array, a member's narrowing another member of the union still
accepts: each unit alone calls its change breaking, yet no value the old schema accepted is
rejected. The question is about whole schemas, so it is asked here, once per node whose own
findings reach a warning, of the inclusion proof (subsume.Subsumption.covers: True only with a
proof): where the proof holds on the finding's side (request: the new schema accepts every value
the old one did; response: it admits no value the old one did not), each such finding about
accepted values becomes `constraint-without-effect` (info), its message keeping what changed.

And the other way round, on the request side: a node whose units could not decide (a warning: members
of a oneOf that may now overlap, a changed `contains`), where the relation's bounded witness search over
the whole schemas finds a value the old schema accepts and the new one rejects (checked by the exact
validator), gains `rejects-accepted-value` (breaking) with that value: the break is proven.

Findings whose severity does not follow from accepted values (a default, readOnly, a removed response
property, an event type a client stops receiving: `NOT_ABOUT_VALUES` in the rules) are left as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Severity
from ..rules import schema_rules as R
from .findings import Ctx, Finding
from .form import Norm
from .keywords.judged import show

if TYPE_CHECKING:  # pragma: no cover
    from .walker import Walker

EMITS = (R.CONSTRAINT_WITHOUT_EFFECT, R.REJECTS_ACCEPTED_VALUE)
_MEMBERS = ("/oneOf/", "/anyOf/")


def settle(w: Walker, o: Norm, n: Norm, ctx: Ctx, found: list[Finding]) -> list[Finding]:
    """`found` (the findings of the pair o, n) with those the whole schemas settle settled."""
    if o.false or n.false or not found:
        return found
    own = [(f, w.severity(ctx, f.kind)) for f in found if _own(f, o, n) and f.kind not in R.NOT_ABOUT_VALUES]
    alarms = {id(f) for f, severity in own if severity >= Severity.WARNING}
    if not alarms:
        return found
    # Only a proof settles (Subsumption.covers: False when unsure).
    holds = w.covers(n, o, "new", "old") if ctx.request else w.covers(o, n, "old", "new")
    if holds:
        return [_without_effect(f, ctx) if id(f) in alarms else f for f in found]
    if ctx.request and not ctx.opaque and max(severity for _, severity in own) < Severity.BREAKING:
        proven, witness = w.relation.relate(n, o, "new", "old")
        if proven is False:  # a value the old schema accepts and the new one rejects, checked exactly
            undecided = sorted({f.kind for f, severity in own if severity == Severity.WARNING})
            detail = f"{show(witness)} (keyword by keyword it was undecided: {', '.join(undecided)})"
            return [*found, Finding(R.REJECTS_ACCEPTED_VALUE, o.ptr, o.ptr, None, None, detail, n.ptr)]
    return found


def _own(f: Finding, o: Norm, n: Norm) -> bool:
    """A finding about this node itself, or (a union on either side) about one of its members as a whole."""
    at = f.pointer
    if at == o.ptr:
        return True
    if (o.union is None and n.union is None) or not at.startswith(o.ptr):
        return False
    rest = at[len(o.ptr):]
    return rest.startswith(_MEMBERS) and rest.count("/") == 2


def _without_effect(f: Finding, ctx: Ctx) -> Finding:
    what = R.rule_id(ctx.context, f.kind)
    change = f" ({_shown(f.old)} -> {_shown(f.new)})" if f.old is not None or f.new is not None else ""
    proof = ("the new schema still accepts every value the old one accepted" if ctx.request
             else "the new schema admits no value the old one did not")
    return Finding(R.CONSTRAINT_WITHOUT_EFFECT, f.pointer, f.subject, f.old, f.new,
                   f"{what}{change}, but {proof}", f.new_pointer)


def _shown(value: object) -> str:
    return "none" if value is None else show(value)
