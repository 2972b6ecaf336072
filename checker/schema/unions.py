"""oneOf/anyOf: match members by what they are, never by position, and judge what the whole
union accepts rather than each keyword of each member.

Members are matched by discriminator value (or a one-value `type` enum/const), then by the
component they reference, then by content, then by title, then by structural similarity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..model import Severity
from .findings import Ctx, Finding
from .normalise import Node, Norm, canonical

if TYPE_CHECKING:  # pragma: no cover
    from .walker import Walker

EVENT_KEY = "type"
# Said of a member as a whole, these belong to the union (nullability, defaults) or were already
# compared on the outer schema (annotations, when one side was not a union at all).
WHOLE_UNION_KINDS = frozenset({"became-nullable", "became-not-nullable", "default-added", "default-removed",
                               "default-changed"})
OUTER_ANNOTATION_KINDS = frozenset({"description-changed", "title-changed", "example-changed", "deprecated",
                                    "reactivated"})
SPLIT_NOISE_KINDS = frozenset({"enum-value-removed", "enum-value-added", "const-changed", "became-enum",
                               "enum-removed"})


def members(norm: Norm) -> list[tuple[Node, Norm | None]]:
    """The alternatives of a schema: its union members, one per type of a multi-type
    schema, or the schema itself (None as Norm means: the norm given, unchanged)."""
    if norm.union is not None:
        return [(m, None) for m in norm.union]
    if norm.types is not None and len(norm.types) > 1:
        out = []
        raw = norm.node.raw if isinstance(norm.node.raw, dict) else {}
        for t in sorted(norm.types):
            single = {**raw, "type": t}
            single.pop("nullable", None)
            out.append((Node(single, norm.ptr, f"{norm.key}|{t}", norm.node.base), None))
        return out
    return [(norm.node, norm)]


def is_union_shaped(norm: Norm) -> bool:
    return norm.union is not None or (norm.types is not None and len(norm.types) > 1)


def discriminator_value(w_side, norm: Norm, prop: str) -> str | None:
    child = norm.props.get(prop)
    if child is None:
        return None
    cn = w_side.norm(child)
    if cn.enum is not None and len(cn.enum) == 1:
        return canonical(cn.enum[0])
    return None


def _label(norm: Norm, key: str | None) -> str:
    if key is not None:
        return key.strip('"')
    if norm.title:
        return norm.title
    ptr = norm.ptr
    for marker in ("/components/schemas/", "/$defs/", "/definitions/"):
        if marker in ptr:
            tail = ptr.rsplit(marker, 1)[1]
            if "/" not in tail:
                return tail
    return norm.node.raw.get("type", "schema") if isinstance(norm.node.raw, dict) and isinstance(norm.node.raw.get("type"), str) else _type_label(norm)


def _type_label(norm: Norm) -> str:
    if norm.types is None:
        return "any"
    return "|".join(sorted(norm.types)) or "null"


def _similarity(o: Norm, n: Norm) -> float:
    if o.types is not None and n.types is not None and o.types != n.types and not (o.types & n.types or
                                                          ("integer" in o.types and "number" in n.types) or
                                                          ("number" in o.types and "integer" in n.types)):
        return 0.0
    score = 0.3
    if o.types == n.types:
        score += 0.2
    if o.props or n.props:
        a, b = set(o.props), set(n.props)
        score += 0.5 * (len(a & b) / len(a | b)) if a | b else 0.0
    else:
        score += 0.1 * ((o.enum is None) == (n.enum is None))
        score += 0.1 * (o.format == n.format)
        score += 0.1 * ((o.items is None) == (n.items is None))
    return score


class Side:
    def __init__(self, normaliser, items: list[tuple[Node, Norm | None]], disc_prop: str | None) -> None:
        self.normaliser = normaliser
        self.whole = len(items) == 1 and items[0][1] is not None  # the schema itself, not a union
        self.split_at: str | None = None  # pointer of the discriminator property when split by value
        self.nodes = [node for node, _ in items]
        self.norms = [norm if norm is not None else normaliser.norm(node) for node, norm in items]
        self.keys: list[str | None] = []
        for norm in self.norms:
            self.keys.append(discriminator_value(normaliser, norm, disc_prop) if disc_prop else None)


def _disc_prop(o: Norm, n: Norm) -> str | None:
    for norm in (n, o):
        if norm.discriminator and isinstance(norm.discriminator.get("propertyName"), str):
            return norm.discriminator["propertyName"]
    return EVENT_KEY


def match(old: Side, new: Side) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    pairs: list[tuple[int, int]] = []
    free_old = list(range(len(old.norms)))
    free_new = list(range(len(new.norms)))

    def take(key_old, key_new) -> None:
        index: dict = {}
        for j in free_new:
            k = key_new(j)
            if k is not None:
                index.setdefault(k, []).append(j)
        for i in list(free_old):
            k = key_old(i)
            if k is None or not index.get(k):
                continue
            # Several members with one key (two variants of one event type): the closest wins.
            j = max(index[k], key=lambda j: _closeness(old, i, new, j))
            index[k].remove(j)
            pairs.append((i, j))
            free_old.remove(i)
            free_new.remove(j)

    take(lambda i: old.keys[i], lambda j: new.keys[j])
    take(lambda i: _component(old.nodes[i], old.norms[i]), lambda j: _component(new.nodes[j], new.norms[j]))
    take(lambda i: canonical(_unordered(old.nodes[i].raw)), lambda j: canonical(_unordered(new.nodes[j].raw)))
    # From here on, members told apart by a discriminator value never pair with another value.
    take(lambda i: None if old.keys[i] else old.norms[i].title, lambda j: None if new.keys[j] else new.norms[j].title)
    # Objects with the same property names and types: linear, before the quadratic scoring below.
    take(lambda i: None if old.keys[i] else _shape_key(old.norms[i]),
         lambda j: None if new.keys[j] else _shape_key(new.norms[j]))
    # Structural similarity, best pairs first; keyed members never pair with other keys.
    scored = []
    for i in free_old:
        for j in free_new:
            if old.keys[i] is not None and new.keys[j] is not None:
                continue
            s = _similarity(old.norms[i], new.norms[j])
            if s > 0:
                scored.append((-s, i, j))
    scored.sort()
    for _, i, j in scored:
        if i in free_old and j in free_new:
            pairs.append((i, j))
            free_old.remove(i)
            free_new.remove(j)
    return pairs, free_old, free_new


_SET_LIKE = frozenset({"anyOf", "oneOf", "allOf", "required", "enum", "type"})


def _unordered(raw):
    """The content of a schema with the order of set-like lists forgotten."""
    if isinstance(raw, dict):
        return {k: (sorted((_unordered(v) for v in val), key=canonical) if k in _SET_LIKE and isinstance(val, list)
                    else _unordered(val)) for k, val in raw.items()}
    if isinstance(raw, list):
        return [_unordered(v) for v in raw]
    return raw


def _shape_key(norm: Norm) -> tuple | None:
    if not norm.props:
        return None
    return (tuple(sorted(norm.types)) if norm.types is not None else None, tuple(sorted(norm.props)))


def _closeness(old: "Side", i: int, new: "Side", j: int) -> tuple:
    same = canonical(_unordered(old.nodes[i].raw)) == canonical(_unordered(new.nodes[j].raw))
    return (same, _similarity(old.norms[i], new.norms[j]), -j)


def _component(node: Node, norm: Norm) -> str | None:
    ptr = norm.ptr
    if "/components/schemas/" in ptr or "/$defs/" in ptr or "/definitions/" in ptr:
        return ptr
    return None


def is_event_union(side: Side, other: Side) -> bool:
    keyed = [k for k in side.keys if k is not None] + [k for k in other.keys if k is not None]
    total = len(side.keys) + len(other.keys)
    return bool(total) and len(keyed) == total


def _effective_nullable(side, norm: Norm) -> bool:
    if norm.nullable:
        return True
    return norm.union is not None and any(side.norm(m).nullable for m in norm.union)


def diff_union_nullability(w: "Walker", o: Norm, n: Norm) -> Iterator[Finding]:
    """A union admits null when it or any member does: judged once, for the whole."""
    on, nn = _effective_nullable(w.old, o), _effective_nullable(w.new, n)
    if on != nn:
        yield Finding("became-nullable" if nn else "became-not-nullable", o.ptr, o.ptr, None, None, "", n.ptr)


def split_by_discriminator(side: Side, other: Side, prop: str) -> None:
    """One object whose discriminator enum lists several values, against a union with one member
    per value (a message object split into per-role messages): one copy of it per value."""
    if not side.whole or side.keys[0] is not None or not other.keys or any(k is None for k in other.keys):
        return
    norm = side.norms[0]
    child = norm.props.get(prop)
    if child is None:
        return
    values = side.normaliser.norm(child).enum
    if not values or len(values) < 2:
        return
    side.nodes = side.nodes * len(values)
    side.norms = side.norms * len(values)
    side.keys = [canonical(v) for v in values]
    side.split_at = side.normaliser.norm(child).ptr


def _signatures(side: Side) -> list[tuple]:
    """(types, properties a member insists on, all its property names, closed?) per member."""
    from .subsume import trivial

    out = []
    for norm in side.norms:
        needed = frozenset(name for name, node in norm.props.items() if not trivial(side.normaliser.norm(node)))
        out.append((norm.types, needed, frozenset(norm.props), norm.additional is False, norm.union is not None))
    return out


def _may_contain(wide: tuple, narrow: tuple) -> bool:
    w_types, w_needed, _, _, w_union = wide
    n_types, _, n_props, n_closed, n_union = narrow
    if w_union or n_union:
        return True
    if w_types is not None:
        if n_types is None or not all(t in w_types or (t == "integer" and "number" in w_types) for t in n_types):
            return False
    return n_closed or w_needed <= n_props


def _may_cover(wide_key: str | None, narrow_key: str | None) -> bool:
    return wide_key is None or narrow_key is None or wide_key == narrow_key


def _member_filter(found: list[Finding], old: Side, new: Side, i: int, j: int) -> list[Finding]:
    top = old.norms[i].ptr
    drop = WHOLE_UNION_KINDS | (OUTER_ANNOTATION_KINDS if old.whole or new.whole else frozenset())
    split = old.split_at or new.split_at
    kept = []
    for f in found:
        if f.subject == top and f.kind in drop:
            continue
        if split is not None:
            if f.kind in SPLIT_NOISE_KINDS and f.pointer == split:
                continue  # each copy stands for one discriminator value
            if f.subject == top and f.kind == "property-removed" and any(f.old in m.props for m in new.norms):
                continue  # still there in the variant where it belongs
        kept.append(f)
    return kept


def diff_union(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Iterator[Finding]:
    prop = _disc_prop(o, n)
    old = Side(w.old, members(o), prop)
    new = Side(w.new, members(n), prop)
    split_by_discriminator(old, new, prop)
    split_by_discriminator(new, old, prop)
    pairs, removed, added = match(old, new)
    events = is_event_union(old, new)
    old_sig, new_sig = _signatures(old), _signatures(new)

    def coverers(wide: Side, wide_sig: list, narrow: Side, narrow_sig: list, i: int, skip: int | None):
        """Members of `wide` that may accept everything member `i` of `narrow` does. A cheap
        necessary condition first, so a union of hundreds of members stays fast."""
        for k in range(len(wide.norms)):
            if k != skip and _may_cover(wide.keys[k], narrow.keys[i]) and _may_contain(wide_sig[k], narrow_sig[i]):
                yield k

    for i, j in pairs:
        found = w.diff_nodes(old.nodes[i], new.nodes[j], ctx.context, norms=(old.norms[i], new.norms[j]))
        found = _member_filter(found, old, new, i, j)
        if not found:
            continue
        # Members told apart by different discriminator values never cover each other: skipped.
        if ctx.request:
            covered = any(w.covers(new.norms[k], old.norms[i], "new", "old")
                          for k in coverers(new, new_sig, old, old_sig, i, j))
        else:
            covered = any(w.covers(old.norms[k], new.norms[j], "old", "new")
                          for k in coverers(old, old_sig, new, new_sig, j, i))
        if covered:
            found = [f for f in found if w.severity(ctx, f.kind) < Severity.WARNING]
        yield from found
    for i in removed:
        if ctx.request and any(w.covers(new.norms[k], old.norms[i], "new", "old")
                               for k in coverers(new, new_sig, old, old_sig, i, None)):
            continue
        kind = "event-type-removed" if events else "union-member-removed"
        yield Finding(kind, old.nodes[i].ptr, o.ptr, _label(old.norms[i], old.keys[i]), None, "", n.ptr)
    for j in added:
        if not ctx.request and not events and any(w.covers(old.norms[k], new.norms[j], "old", "new")
                                                  for k in coverers(old, old_sig, new, new_sig, j, None)):
            continue
        if (ctx.expandable and not ctx.request and new.norms[j].types == frozenset({"object"})
                and not any(on.types and "object" in on.types for on in old.norms)):
            continue  # newly expandable: sent only to clients that pass expand[], which no old client did
        kind = "event-type-added" if events else "union-member-added"
        at = new.nodes[j].ptr
        yield Finding(kind, at, o.ptr, None, _label(new.norms[j], new.keys[j]), "", at)
