"""Arrays: `items` (and draft-07's array `items` with `additionalItems`), `prefixItems`, `uniqueItems`.

Positions are canonical: draft-07's array `items` is read as `prefixItems`, its `additionalItems` as
`items`. Under allOf, positions merge one by one (a position one member lacks falls under its
`items`), `items` are intersected, and uniqueItems holds when any member asks for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm, both
from .common import BOOLEAN, LIST, SCHEMA, Findings, Spelling, finding

if TYPE_CHECKING:  # pragma: no cover
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


