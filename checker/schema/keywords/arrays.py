"""Arrays: positions (`prefixItems`, draft-07's array `items`, then `items` / `additionalItems` for the
rest), `contains` with `minContains`/`maxContains`, and `unevaluatedItems`.

Positions are compared one by one, each with the schema that governs it on each side: a positional
schema added where `items` was is a change of what that position accepts, judged like any other schema
(a prefixItems equal to items changes nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx, Finding
from ..form import Node, Norm, canonical, stricter
from .common import DiffFn
from .judged import Findings, Verdicts, accepts_unevaluated, carries, combine, constraint, evaluated, judge
from .parts import ONE, is_number, position, values

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..normalise import Normaliser
    from ..subsume import Subsumption
    from ..walker import Walker

CONTAINS_KINDS = Verdicts(R.CONTAINS_ADDED, R.CONTAINS_REMOVED, R.CONTAINS_TIGHTENED, R.CONTAINS_LOOSENED,
                          R.CONTAINS_REPLACED, R.CONTAINS_CHANGED)
UNEVALUATED_KINDS = Verdicts(R.UNEVALUATED_ITEMS_ADDED, R.UNEVALUATED_ITEMS_REMOVED, R.UNEVALUATED_ITEMS_TIGHTENED,
                             R.UNEVALUATED_ITEMS_LOOSENED, R.UNEVALUATED_ITEMS_REPLACED, R.UNEVALUATED_ITEMS_CHANGED)


def _anything(n: Norm, tail: str) -> Node:
    return Node(True, n.ptr + tail, n.key + tail)


def diff_positions(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """Each position either side fixes, then the rest."""
    for i in range(max(len(o.prefix), len(n.prefix))):
        o_at, n_at = position(o, i), position(n, i)
        if o_at is None and n_at is None:
            continue
        tail = f"/prefixItems/{i}"
        yield from w.diff_nodes(o_at or _anything(o, tail), n_at or _anything(n, tail), ctx.context)
    for extra in o.prefix[len(n.prefix):]:
        yield Finding(R.PREFIX_ITEMS_REMOVED, extra.ptr, o.ptr, extra.ptr.rsplit("/", 1)[-1], None, "", n.ptr)
    for extra in n.prefix[len(o.prefix):]:
        yield Finding(R.PREFIX_ITEMS_ADDED, o.ptr, o.ptr, None, extra.ptr.rsplit("/", 1)[-1], "", extra.ptr)
    if o.items is None and n.items is None:
        return
    yield from w.diff_nodes(o.items or _anything(o, "/items"), n.items or _anything(n, "/items"), ctx.context)


def _pick_contains(raw: dict[str, Any]) -> dict[str, Any] | None:
    if "contains" not in raw:
        return None
    return {k: raw[k] for k in ("contains", "minContains", "maxContains") if k in raw}


def contained(n: Norm) -> list[Node]:
    """The `contains` schemas the form conjoins: what some element must match."""
    return values(n, "contains")


def _contains_text(n: Norm) -> list[str]:
    return [canonical(p.raw["contains"]) for p in n.parts if isinstance(p.raw, dict) and "contains" in p.raw]


def diff_contains(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """The `contains` schema itself; a change of its bounds alone is minContains's or maxContains's."""
    if not carries(o, n, "contains", applies_to=("array",)):
        return
    if _contains_text(o) == _contains_text(n):
        return
    yield from judge(w, o, n, constraint(o, _pick_contains, "contains"), constraint(n, _pick_contains, "contains"),
                     CONTAINS_KINDS, "`contains`")


def contains_bound_differ(name: str, keyword: str, floor: int | None, kinds: tuple[str, str, str, str]) -> DiffFn:
    """minContains / maxContains, read where `contains` gives them meaning; minContains defaults to 1."""
    tighten, loosen, set_, unset = kinds

    def diff_bound(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
        if not carries(o, n, "contains", applies_to=("array",)):
            return
        if not _contains_text(o) and not _contains_text(n):
            return
        ob = o.bounds.get(name, floor if _contains_text(o) else None)
        nb = n.bounds.get(name, floor if _contains_text(n) else None)
        if ob == nb:
            return
        if ob is None:
            kind = set_
        elif nb is None:
            kind = unset
        else:
            kind = tighten if stricter(name, nb, ob) else loosen
        yield Finding(kind, o.ptr, o.ptr, ob, nb, "", n.ptr)

    diff_bound.__name__ = f"diff_{keyword}"
    return diff_bound


diff_min_contains = contains_bound_differ(
    "min-contains", "minContains", 1,
    (R.MIN_CONTAINS_INCREASED, R.MIN_CONTAINS_DECREASED, R.MIN_CONTAINS_SET, R.MIN_CONTAINS_UNSET))
diff_max_contains = contains_bound_differ(
    "max-contains", "maxContains", None,
    (R.MAX_CONTAINS_DECREASED, R.MAX_CONTAINS_INCREASED, R.MAX_CONTAINS_SET, R.MAX_CONTAINS_UNSET))


def includes_contains(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """a's `contains` (at least min, at most max matches) holds for every array b accepts: b has a
    `contains` no wider than a's, at least as many times; with a maximum, the same schema."""
    b_parts = [p for p in b.parts if isinstance(p.raw, dict) and "contains" in p.raw]
    for p in a.parts:
        if not (isinstance(p.raw, dict) and "contains" in p.raw):
            continue
        lo, hi = p.raw.get("minContains", 1), p.raw.get("maxContains")
        if lo == 0 and hi is None:
            continue
        wide = rel.norm(sa, p.child("contains"))
        ok = False
        for q in b_parts:
            narrow = rel.norm(sb, q.child("contains"))
            q_lo, q_hi = q.raw.get("minContains", 1), q.raw.get("maxContains")
            if not (isinstance(q_lo, (int, float)) and isinstance(lo, (int, float)) and q_lo >= lo):
                continue
            if not rel.covers(wide, narrow, sa, sb, depth + 1):
                continue
            if hi is not None and not (q_hi is not None and q_hi <= hi and rel.covers(narrow, wide, sb, sa, depth + 1)):
                continue
            ok = True
            break
        if not ok:
            return False
    return True


def accepts_contains(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    """At least minContains (1 when absent), at most maxContains items match `contains`."""
    if not isinstance(value, list):
        return True
    raw = node.raw
    hits = [acc.accepts(node.child("contains"), v, depth) for v in value]
    yes, unknown = hits.count(True), hits.count(None)
    lo = raw.get("minContains", 1) if is_number(raw.get("minContains", 1)) else 1
    hi = raw.get("maxContains") if is_number(raw.get("maxContains")) else None
    if yes + unknown < lo or (hi is not None and yes > hi):
        return False
    if unknown and not (yes >= lo and (hi is None or yes + unknown <= hi)):
        return None
    return True


def accepts_unevaluated_items(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    return accepts_unevaluated(acc, node, value, depth, "items") if isinstance(value, list) else True


INCLUDES = {"contains": includes_contains}
ACCEPTS = {"contains": accepts_contains, "unevaluatedItems": accepts_unevaluated_items}
SUBSCHEMAS = {"contains": ONE, "unevaluatedItems": ONE}


def diff_unevaluated_items(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """unevaluatedItems reaches the positions nothing else in its mapping evaluated: judged as the
    schema of the items past those positions (the positions' own diff says how they changed)."""
    if not carries(o, n, "unevaluatedItems", applies_to=("array",)):
        return
    oc, nc = _unevaluated(w.old, o), _unevaluated(w.new, n)
    if oc is None and nc is None:
        return
    yield from judge(w, o, n, oc, nc, UNEVALUATED_KINDS, "unevaluatedItems")


def _unevaluated(normaliser: Normaliser, n: Norm) -> Node | None:
    found: list[tuple[Node, dict[str, Any]]] = []
    for part in n.parts:
        if isinstance(part.raw, dict) and "unevaluatedItems" in part.raw:
            reach = evaluated(normaliser, part)
            if not reach.all_items:
                found.append((part, {"prefixItems": [True] * reach.prefix, "items": part.raw["unevaluatedItems"]}))
    return combine(found, "uneval-items")
