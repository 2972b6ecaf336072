"""Arrays: `items` (and draft-07's array `items` with `additionalItems`), `prefixItems`, `uniqueItems`.

Positions are canonical: draft-07's array `items` is read as `prefixItems`, its `additionalItems` as
`items`. Under allOf, positions merge one by one (a position one member lacks falls under its
`items`), `items` are intersected, and uniqueItems holds when any member asks for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm, both, canonical
from .common import BOOLEAN, LIST, SCHEMA, Findings, Spelling, finding
from . import parts
from .parts import LISTED, ONE, position, same_unevaluated, unevaluated_node

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker

KEYWORDS = ("items", "prefixItems", "additionalItems", "uniqueItems")
APPLIES_TO = ("array",)
SPELLINGS = {"items": Spelling(SCHEMA.what, lambda v: isinstance(v, (dict, bool, list))), "prefixItems": LIST,
             "additionalItems": SCHEMA, "unevaluatedItems": SCHEMA, "uniqueItems": BOOLEAN}
EMITS = (R.PREFIX_ITEMS_ADDED, R.PREFIX_ITEMS_REMOVED, R.UNIQUE_ITEMS_SET, R.UNIQUE_ITEMS_UNSET)


def read(n: Norm, raw: dict[str, Any]) -> None:
    node = n.node
    items = raw.get("items")
    if isinstance(items, list):  # draft-07 / OpenAPI 3.0 tuple form
        n.prefix = [node.child("items", i) for i in range(len(items))]
        if "additionalItems" in raw and raw["additionalItems"] not in (True, None):
            n.items = node.child("additionalItems")
    elif items is not None and items is not True:
        n.items = node.child("items")
    if isinstance(raw.get("prefixItems"), list):
        n.prefix = [node.child("prefixItems", i) for i in range(len(raw["prefixItems"]))]
    n.unique_items = raw.get("uniqueItems") is True


def merge(n: Norm, m: Norm) -> None:
    _merge_positions(n, m)
    n.unique_items = n.unique_items or m.unique_items


def prune(n: Norm) -> None:
    n.items, n.prefix, n.unique_items = None, [], False


def _merge_positions(n: Norm, m: Norm) -> None:
    """Positions merged one by one (a position one side lacks falls under its `items`); items
    intersected."""
    if m.prefix or n.prefix:
        prefix = []
        for i in range(max(len(n.prefix), len(m.prefix))):
            parts = [p for p in (n.prefix[i] if i < len(n.prefix) else n.items,
                                 m.prefix[i] if i < len(m.prefix) else m.items) if p is not None]
            prefix.append(parts[0] if len(parts) == 1 else both(parts[0], parts[1]) if parts else
                          Node(True, f"{n.ptr}/prefixItems/{i}", f"{n.key}/prefixItems/{i}", n.node.base))
        n.prefix = prefix
    if m.items is not None:
        n.items = m.items if n.items is None else both(n.items, m.items)


def _at_most_one(n: Norm) -> bool:
    """The form's arrays hold at most one item (maxItems, or `items: false` past at most one prefix item)."""
    closed = n.items is not None and n.items.raw is False
    return n.bounds.get("max-items", 2) <= 1 or (closed and len(n.prefix) <= 1)


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """uniqueItems in a: b asks it too (or holds at most one item). Positions, one by one: a's schema at
    each position (its prefixItems, then items) covers b's there, and a's rest covers b's rest."""
    if a.unique_items and not b.unique_items and not _at_most_one(b):
        return False
    if not same_unevaluated(a, b, "unevaluatedItems"):
        return False
    if a.items is None and not a.prefix:
        return True
    for i in range(max(len(a.prefix), len(b.prefix))):
        wide, narrow = position(a, i), position(b, i)
        if wide is None:
            continue
        if narrow is None or not rel.covers(rel.norm(sa, wide), rel.norm(sb, narrow), sa, sb, depth + 1):
            return False
    if a.items is None:
        return True
    rest = b.items if b.items is not None else unevaluated_node(b, "unevaluatedItems")
    if rest is False:
        return True  # b has no items past its positions
    return isinstance(rest, Node) and rel.covers(rel.norm(sa, a.items), rel.norm(sb, rest), sa, sb, depth + 1)


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    """uniqueItems, then each position by its schema (draft-07's array `items` and `additionalItems`,
    or prefixItems and `items`)."""
    if not isinstance(value, list):
        return True
    raw = node.raw
    if raw.get("uniqueItems") is True and len({canonical(v) for v in value}) < len(value):
        return False
    items = raw.get("items")
    if isinstance(items, list):  # draft-07 tuple form
        prefix_kw, rest_kw = "items", "additionalItems"
        prefix_len = len(items)
    else:
        prefix_kw, rest_kw = "prefixItems", "items"
        prefix_len = len(raw["prefixItems"]) if isinstance(raw.get("prefixItems"), list) else 0
    checks: list[bool | None] = []
    for i, v in enumerate(value):
        if i < prefix_len:
            checks.append(acc.accepts(node.child(prefix_kw, i), v, depth))
        elif rest_kw in raw:
            checks.append(acc.accepts(node.child(rest_kw), v, depth))
        if False in checks:
            return False
    return parts.both(checks)


ACCEPTS = dict.fromkeys(("items", "prefixItems", "additionalItems", "uniqueItems"), accepts)
SUBSCHEMAS = {"items": ONE | LISTED, "prefixItems": LISTED, "additionalItems": ONE}  # items: draft-07 lists too


def diff_items(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.items is None and n.items is None:
        return
    o_node = o.items or Node(True, o.ptr + "/items", o.key + "/items")
    n_node = n.items or Node(True, n.ptr + "/items", n.key + "/items")
    yield from w.diff_nodes(o_node, n_node, ctx.context)


def diff_prefix_items(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    for i in range(min(len(o.prefix), len(n.prefix))):
        yield from w.diff_nodes(o.prefix[i], n.prefix[i], ctx.context)
    for extra in o.prefix[len(n.prefix):]:
        yield finding(R.PREFIX_ITEMS_REMOVED, o, n, extra.ptr.rsplit("/", 1)[-1], None, at=extra)
    for extra in n.prefix[len(o.prefix):]:
        yield finding(R.PREFIX_ITEMS_ADDED, o, n, None, extra.ptr.rsplit("/", 1)[-1], new_at=extra)


def diff_unique_items(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if n.unique_items and not o.unique_items:
        yield finding(R.UNIQUE_ITEMS_SET, o, n)
    elif o.unique_items and not n.unique_items:
        yield finding(R.UNIQUE_ITEMS_UNSET, o, n)


