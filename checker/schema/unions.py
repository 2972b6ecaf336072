"""oneOf/anyOf: match members by what they are, never by position, and judge what the whole
union accepts rather than each keyword of each member.

Members are matched by discriminator value (or a one-value `type` enum/const), then by the
component they reference, then by content, then by title, by required one-value properties, by
shape, and last by structural similarity (within a type, past a size against a few neighbours).
Each matched pair is diffed; a finding is excused when another member accepts what was lost (on
a oneOf, only a member that no other member of its oneOf may share the values with).

A oneOf rejects a value that matches two of its members, so its overlaps are judged too
(overlap.py says which members may share a value): new overlaps on values the old schema
accepted (`oneof-overlap-added`, proven; `oneof-overlap-possible`, not proven either way) and
old overlaps whose values the new schema may now accept (`oneof-overlap-removed`). All pairwise
work of one union is bounded (Budget); past the bound the answer is the conservative one.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Iterator

from ..model import Severity
from ..rules import schema_rules as R
from .findings import Ctx, Finding
from .form import admits_null
from .normalise import Node, Norm, Normaliser, canonical
from .overlap import CONJOINED, Tags, accepts, covers_minimal, disjoint, object_candidates, scalar_candidates, tag_key
from .keywords.judged import show
from .subsume import MAX_STEPS, trivial
from .witness import overlap_witness

if TYPE_CHECKING:  # pragma: no cover
    from .walker import Walker

EVENT_KEY = "type"
# Said of a member as a whole, these belong to the union (nullability, defaults) or were already
# compared on the outer schema (annotations, when one side was not a union at all).
WHOLE_UNION_KINDS = frozenset({"became-nullable", "became-not-nullable", "default-added", "default-removed",
                               "default-changed"})
# Annotations: found anywhere in a member, they say nothing about what it accepts.
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
        out: list[tuple[Node, Norm | None]] = []
        raw = norm.node.raw if isinstance(norm.node.raw, dict) else {}
        for t in sorted(norm.types):
            single = {**raw, "type": t}
            single.pop("nullable", None)
            out.append((Node(single, norm.ptr, f"{norm.key}|{t}", norm.node.base), None))
        return out
    return [(norm.node, norm)]


def is_union_shaped(norm: Norm) -> bool:
    return norm.union is not None or (norm.types is not None and len(norm.types) > 1)


def discriminator_value(w_side: Normaliser, norm: Norm, prop: str) -> str | None:
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
    raw = norm.node.raw
    return raw["type"] if isinstance(raw, dict) and isinstance(raw.get("type"), str) else _type_label(norm)


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
        score += 0.1 * _bounds_alike(o, n)
        score += 0.1 * (_item_shape(o) == _item_shape(n))
    return score


def _item_shape(norm: Norm) -> str | None:
    """What an array member's items are, read from their own keywords (type, $ref, nesting): arrays
    of integers and arrays of arrays tell apart without resolving anything."""
    raw = norm.items.raw if norm.items is not None else None
    if not isinstance(raw, dict):
        return canonical(raw)
    props = sorted(raw["properties"]) if isinstance(raw.get("properties"), dict) else None
    return canonical([raw.get("type"), raw.get("$ref"), "items" in raw, props])


def _bounds_alike(o: Norm, n: Norm) -> float:
    """The share of bounds (and multipleOf, pattern) two members agree on: it tells apart members
    of one type that differ only there, so that the pairing never falls back on their order."""
    a = {**o.bounds, "multipleOf": o.multiple_of, "pattern": o.pattern}
    b = {**n.bounds, "multipleOf": n.multiple_of, "pattern": n.pattern}
    names = {k for k in a.keys() | b.keys() if a.get(k) is not None or b.get(k) is not None}
    return sum(a.get(k) == b.get(k) for k in names) / len(names) if names else 1.0


class Budget:
    """The pairwise work one union may do (matching, coverage, overlap). When it runs out, the
    answer is the conservative one: members stay unpaired, uncovered, or possibly overlapping."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, n: int = 1) -> bool:
        self.left -= n
        return self.left >= 0


MAX_PAIR_WORK = 60_000  # member pairs looked at per union, over all steps
FULL_SCORING = 10_000  # a type bucket scored pair by pair only up to this many pairs
WINDOW = 6  # past it, each member is scored against this many neighbours on either side
UNION_KEYWORDS = ("oneOf", "anyOf")


class Side:
    def __init__(self, normaliser: Normaliser, items: list[tuple[Node, Norm | None]], disc_prop: str | None,
                 whole: Norm) -> None:
        self.normaliser = normaliser
        self.whole = len(items) == 1 and items[0][1] is not None  # the schema itself, not a union
        self.split_at: str | None = None  # pointer of the discriminator property when split by value
        self.nodes = [node for node, _ in items]
        self.norms = [norm if norm is not None else normaliser.norm(node) for node, norm in items]
        self.keys: list[str | None] = []
        for norm in self.norms:
            self.keys.append(discriminator_value(normaliser, norm, disc_prop) if disc_prop else None)
        raw = whole.node.raw if isinstance(whole.node.raw, dict) else {}
        self.top = next((kw for kw in UNION_KEYWORDS if kw in raw), None)
        self.origins = [_origin(node.ptr) for node in self.nodes]
        # The members of two unions in one allOf, one of them a oneOf: each pair of their members
        # is one member here, at the pointer of one of the pair; which of the two a oneOf rules
        # is not kept, so any two of them may be rejected together, and none surely is.
        self.product = whole.union_kind == "oneOf" and _product(self.nodes)
        self.exclusive_any = not self.whole and (
            self.product or any(o is not None and o[1] == "oneOf" for o in self.origins))
        # Every member written in one oneOf (so that oneOf applies to the whole value): a value
        # matching two of them is surely rejected. (In a nested oneOf it only fails that group;
        # another member may still match alone, so the whole may accept it.)
        self.flat = self.exclusive_any and not self.product and len(set(self.origins)) == 1
        self._content: list[str] | None = None
        self._tags: Tags | None = None
        self.wrapped_in: int | None = None  # the other side's member this whole union stands in

    def __len__(self) -> int:
        return len(self.norms)

    def content(self, i: int) -> str:
        if self._content is None:
            self._content = [canonical(_unordered(node.raw)) for node in self.nodes]
        return self._content[i]

    def tags(self) -> Tags:
        if self._tags is None:
            self._tags = Tags(self.norms, self.normaliser)
        return self._tags

    def surely_exclusive(self, a: int, b: int) -> bool:
        """Is every value that matches both members a and b rejected by the whole?"""
        return self.flat and self.nodes[a].ptr != self.nodes[b].ptr

    def exclusive(self, a: int, b: int) -> bool:
        """May a value matching both members a and b be rejected (they share a oneOf)?"""
        if not self.exclusive_any:
            return False
        if self.product:
            return self.nodes[a].key != self.nodes[b].key
        pa, pb = self.nodes[a].ptr, self.nodes[b].ptr
        if pa == pb:
            return False  # one schema split by type or by discriminator value
        sa, sb = pa.split("/"), pb.split("/")
        k = 0
        while k < len(sa) and k < len(sb) and sa[k] == sb[k]:
            k += 1
        if 0 < k < len(sa) and k < len(sb) and sa[k - 1] in UNION_KEYWORDS and sa[k].isdigit() and sb[k].isdigit():
            return sa[k - 1] == "oneOf"  # the innermost union both were written in
        if self.top is not None:
            return self.top == "oneOf"
        oa, ob = self.origins[a], self.origins[b]
        return (oa is not None and oa[1] == "oneOf") or (ob is not None and ob[1] == "oneOf")




def _product(nodes: list[Node]) -> bool:
    """Members of two unions in one allOf: the normaliser builds one (a AND b) per pair, at b's
    pointer, so that one pointer stands for several built members."""
    seen: dict[str, str] = {}
    for node in nodes:
        if CONJOINED in node.key and seen.setdefault(node.ptr, node.key) != node.key:
            return True
    return False


def _origin(ptr: str) -> tuple[str, str] | None:
    """(parent pointer, keyword) of the union a member was written in, if any."""
    head, _, last = ptr.rpartition("/")
    if not last.isdigit():
        return None
    parent, _, kw = head.rpartition("/")
    return (parent, kw) if kw in UNION_KEYWORDS else None


def _disc_prop(o: Norm, n: Norm) -> str:
    for norm in (n, o):
        name = norm.discriminator.get("propertyName") if norm.discriminator else None
        if isinstance(name, str):
            return name
    return EVENT_KEY


def match(old: Side, new: Side, budget: Budget | None = None) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair old members with new ones by what they are, never by position. Every step indexes
    members by a key (near-linear); only the last scores pairs, within a type, with a bound."""
    budget = budget if budget is not None else Budget(MAX_PAIR_WORK)
    pairs: list[tuple[int, int]] = []
    free_old = dict.fromkeys(range(len(old.norms)))  # ordered sets
    free_new = dict.fromkeys(range(len(new.norms)))

    def pair(i: int, j: int) -> None:
        pairs.append((i, j))
        del free_old[i]
        del free_new[j]

    def take(key_old: Callable[[int], Any], key_new: Callable[[int], Any]) -> None:
        index: dict[Any, list[int]] = {}
        for j in free_new:
            k = key_new(j)
            if k is not None:
                index.setdefault(k, []).append(j)
        for same_key in index.values():
            if len(same_key) > WINDOW:
                same_key.sort(key=new.content)  # neighbours by content, not by position
        for i in list(free_old):
            k = key_old(i)
            bucket = index.get(k) if k is not None else None
            if not bucket:
                continue
            # Several members with one key (two variants of one event type): the same content
            # wins, else the closest among a few (a bucket of thousands: its neighbours by content).
            at = bisect.bisect_left(bucket, old.content(i), key=new.content) if len(bucket) > WINDOW else 0
            if at < len(bucket) and len(bucket) > WINDOW and new.content(bucket[at]) == old.content(i):
                j = bucket[at]
            else:
                start = max(0, min(at - WINDOW // 2, len(bucket) - WINDOW))
                head = bucket[start:start + WINDOW] if budget.spend(min(len(bucket), WINDOW)) else bucket[at:at + 1]
                j = max(head or bucket[:1], key=lambda j: _closeness(old, i, new, j))
            bucket.remove(j)
            pair(i, j)

    for whole, flip in ((old, False), (new, True)):
        if whole.wrapped_in is not None and whole.wrapped_in in (free_old if flip else free_new):
            pair(*((whole.wrapped_in, 0) if flip else (0, whole.wrapped_in)))
    take(lambda i: old.keys[i], lambda j: new.keys[j])
    take(lambda i: _component(old.nodes[i], old.norms[i]), lambda j: _component(new.nodes[j], new.norms[j]))
    take(old.content, new.content)
    # From here on, members told apart by a discriminator value never pair with another value.
    take(lambda i: None if old.keys[i] else old.norms[i].title, lambda j: None if new.keys[j] else new.norms[j].title)
    take(lambda i: None if old.keys[i] else tag_key(old.norms[i], old.normaliser),
         lambda j: None if new.keys[j] else tag_key(new.norms[j], new.normaliser))
    # Objects with the same property names and types.
    take(lambda i: None if old.keys[i] else _shape_key(old.norms[i]),
         lambda j: None if new.keys[j] else _shape_key(new.norms[j]))
    # Structural similarity, best pairs first; keyed members never pair with other keys. Past a
    # size, only within one type and against a window of neighbours.
    for olds, news, full in _scoring_groups(old, new, list(free_old), list(free_new)):
        scored = []
        for a, i in enumerate(olds):
            window = news if full else news[max(0, a - WINDOW):a + WINDOW + 1]
            if not budget.spend(len(window)):
                break
            for j in window:
                if old.keys[i] is not None and new.keys[j] is not None:
                    continue
                s = _similarity(old.norms[i], new.norms[j])
                if s > 0:
                    scored.append((-s, i, j))
        # Ties go by content, never by position.
        scored.sort(key=lambda t: (t[0], old.content(t[1]), new.content(t[2])))
        for _, i, j in scored:
            if i in free_old and j in free_new:
                pair(i, j)
    return pairs, list(free_old), list(free_new)


def _scoring_groups(old: Side, new: Side, olds: list[int],
                    news: list[int]) -> Iterator[tuple[list[int], list[int], bool]]:
    """(old members, new members, score every pair?) groups for the similarity step."""
    if len(olds) * len(news) <= FULL_SCORING:
        yield olds, news, True
        return
    by_type: dict[str, tuple[list[int], list[int]]] = {}
    for i in olds:
        by_type.setdefault(_type_bucket(old.norms[i]), ([], []))[0].append(i)
    for j in news:
        by_type.setdefault(_type_bucket(new.norms[j]), ([], []))[1].append(j)
    for o_, n_ in by_type.values():
        if o_ and n_:
            full = len(o_) * len(n_) <= FULL_SCORING
            if not full:  # the window's neighbours by content, not by position
                o_.sort(key=old.content)
                n_.sort(key=new.content)
            yield o_, n_, full


def _type_bucket(norm: Norm) -> str:
    """Members of disjoint types never score above zero: one bucket per (first) type."""
    if norm.types is None or not norm.types:
        return "*"
    return "number" if min(norm.types) == "integer" else min(norm.types)


_SET_LIKE = frozenset({"anyOf", "oneOf", "allOf", "required", "type"})
# Keywords that say nothing about what a schema accepts: two members that differ only there are one.
_ANNOTATIONS = frozenset({"title", "description", "examples", "example", "$comment", "externalDocs"})
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
                        "dependencies", "dependentRequired"})
_DATA = frozenset({"const", "default"})


def _unordered(raw: Any, names: bool = False) -> Any:
    """The content of a schema with the order of set-like lists (and enum values) forgotten, and
    its annotations: what it accepts, spelled one way. (`names`: a map of names to schemas.)"""
    if isinstance(raw, list):
        return [_unordered(v) for v in raw]
    if not isinstance(raw, dict):
        return raw
    out: dict[str, Any] = {}
    for k, val in raw.items():
        if names:
            out[k] = _unordered(val)
        elif k in _ANNOTATIONS:
            continue
        elif k in _DATA:
            out[k] = val
        elif k == "enum" and isinstance(val, list):
            out[k] = sorted(val, key=canonical)
        elif k in _NAME_MAPS and isinstance(val, dict):
            out[k] = _unordered(val, names=True)
        elif k in _SET_LIKE and isinstance(val, list):
            out[k] = sorted((_unordered(v) for v in val), key=canonical)
        else:
            out[k] = _unordered(val)
    return out


def _shape_key(norm: Norm) -> tuple[tuple[str, ...] | None, tuple[str, ...]] | None:
    if not norm.props:
        return None
    return (tuple(sorted(norm.types)) if norm.types is not None else None, tuple(sorted(norm.props)))


def _closeness(old: Side, i: int, new: Side, j: int) -> tuple[bool, float, str]:
    return (old.content(i) == new.content(j), _similarity(old.norms[i], new.norms[j]), new.content(j))


COMPONENT_MARKERS = ("/components/schemas/", "/$defs/", "/definitions/")


def _component(node: Node, norm: Norm) -> str | None:
    """The reusable schema a member names, if it names one: the target of its `$ref` (with
    siblings or not). A member written inline has no identity but its content; its pointer
    (".../oneOf/2") says only where it stands, so it is never read as one."""
    root = _component_root(norm.ptr) if norm.ptr != node.ptr else None  # reached through a $ref
    raw = node.raw
    if root is None and isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
        return "$ref " + str(raw["$ref"])  # a $ref with siblings, or to a schema that is no component root
    return root


def _component_root(ptr: str) -> str | None:
    """`ptr` when it is the root of a named schema (#/components/schemas/Foo, #/$defs/Bar)."""
    for marker in COMPONENT_MARKERS:
        head, found, tail = ptr.rpartition(marker)
        if found and tail and "/" not in tail:
            return ptr
    return None


def is_event_union(side: Side, other: Side) -> bool:
    keyed = [k for k in side.keys if k is not None] + [k for k in other.keys if k is not None]
    total = len(side.keys) + len(other.keys)
    return bool(total) and len(keyed) == total


def _effective_nullable(side: Normaliser, norm: Norm) -> bool:
    """The canonical form says it for the whole union (a oneOf whose two members admit null
    rejects it)."""
    return admits_null(norm)


def diff_union_nullability(w: Walker, o: Norm, n: Norm) -> Iterator[Finding]:
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


def regroup_wrapped(side: Side, other: Side, whole: Norm) -> None:
    """A union the other side keeps whole as one of its members (oneOf [A, B] wrapped as anyOf
    [C, oneOf [A, B]]): its members are compared as that one group, not one by one against the
    group's neighbours (a lone member paired with the wrapped group would see the group's old
    overlaps as new)."""
    if side.whole or whole.union is None or len(side) < 2:
        return
    groups = [j for j, norm in enumerate(other.norms) if norm.union is not None and len(norm.union) == len(side)
              and norm.union_kind == whole.union_kind and other.keys[j] is None]
    mine = sorted(side.content(i) for i in range(len(side))) if groups else []
    for j in groups:
        if sorted(canonical(_unordered(m.raw)) for m in other.norms[j].union or ()) == mine:
            side.whole, side.nodes, side.norms, side.keys = True, [whole.node], [whole], [None]
            side.origins, side.exclusive_any, side.flat, side._content, side._tags = [None], False, False, None, None
            side.wrapped_in = j
            return


# (types, properties a member insists on, all its property names, closed?, a union?)
Signature = tuple[frozenset[str] | None, frozenset[str], frozenset[str], bool, bool]


def _signatures(side: Side) -> list[Signature]:
    """(types, properties a member insists on, all its property names, closed?) per member."""
    out: list[Signature] = []
    for norm in side.norms:
        needed = frozenset(name for name, node in norm.props.items() if not trivial(side.normaliser.norm(node)))
        out.append((norm.types, needed, frozenset(norm.props), norm.additional is False, norm.union is not None))
    return out


def _may_contain(wide: Signature, narrow: Signature) -> bool:
    w_types, w_needed, _, _, w_union = wide
    n_types, _, n_props, n_closed, n_union = narrow
    if w_union or n_union:
        return True
    if w_types is not None:
        if n_types is None or not all(t in w_types or (t == "integer" and "number" in w_types) for t in n_types):
            return False
    return n_closed or w_needed <= n_props


def _insists(norm: Norm, prop: str) -> bool:
    """Does a member require its tag property (an object without it matches no event type)?"""
    return prop in norm.required


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


class _Union:
    """One union diff: both sides, the pairing, and the bounded pairwise questions about them."""

    def __init__(self, w: Walker, o: Norm, n: Norm) -> None:
        prop = self.prop = _disc_prop(o, n)
        self.w, self.o, self.n = w, o, n
        self.old = Side(w.old, members(o), prop, o)
        self.new = Side(w.new, members(n), prop, n)
        split_by_discriminator(self.old, self.new, prop)
        split_by_discriminator(self.new, self.old, prop)
        regroup_wrapped(self.old, self.new, o)
        regroup_wrapped(self.new, self.old, n)
        self.budget = Budget(MAX_PAIR_WORK)
        self.pairs, self.removed, self.added = match(self.old, self.new, self.budget)
        self._sig: dict[str, list[Signature]] = {}
        self.side = {"old": self.old, "new": self.new}
        self.same: set[tuple[int, int]] = set()  # pairs whose member diff found nothing but annotations
        self._rejects: dict[tuple[str, int], bool] = {}
        self._texts: dict[int, str] = {}
        self._same_nesting: bool | None = None
        self.searched = 0  # member pairs given a witness search (witness.py)
        # Old members whose partner the policy lets accept more (a response member given new
        # properties: additive): an old overlap value, so extended, may match that partner alone.
        self.widened: set[int] = set()

    def covered(self, wide: str, narrow: str, i: int, skip: int | None) -> bool:
        """Does some member of side `wide` (other than `skip`) accept everything member `i` of
        side `narrow` does? Candidates come from the tag index and a cheap necessary condition;
        past the budget the answer is no (the finding stays)."""
        ws, ns = self.side[wide], self.side[narrow]
        narrow_norm = ns.norms[i]
        tags = ws.tags()
        for k in tags.may_cover(tags.query(narrow_norm, ns.normaliser), narrow_norm.union is not None):
            if not self.budget.spend():
                return False
            if (k != skip and _may_cover(ws.keys[k], ns.keys[i])
                    and _may_contain(self.sig(wide)[k], self.sig(narrow)[i])
                    and self.covers(ws.norms[k], wide, narrow_norm, narrow)
                    and self.alone(wide, k, narrow_norm, narrow)):
                return True
        return False

    def alone(self, side: str, k: int, norm: Norm, norm_side: str) -> bool:
        """Under a oneOf, a value of `norm` that member k accepts counts only if no member that
        shares a oneOf with k may match it too (then the oneOf would reject it)."""
        s = self.side[side]
        if not s.exclusive_any:
            return True
        tags = s.tags()
        other = self.side[norm_side].normaliser
        return all(m == k or not s.exclusive(k, m)
                   or (self.budget.spend() and disjoint(self.w.relation, s.norms[m], norm, side, norm_side))
                   for m in tags.may_meet(tags.query(norm, other)))

    def same_nesting(self) -> bool:
        """Members paired one to one and nested in the same oneOf/anyOf groups as before (members
        reordered, allOf members shuffled): then a member no wider than its partner cannot make
        a value match more members than before, nor one no narrower fewer."""
        if self._same_nesting is None:
            u = self
            ok = not (u.removed or u.added or u.old.whole or u.new.whole)
            if ok:
                partner = {j: i for i, j in u.pairs}
                ok = (_skeleton(u.old, list(range(len(u.old))))
                      == _skeleton(u.new, [partner[j] for j in range(len(u.new))]))
            self._same_nesting = ok
        return self._same_nesting

    def sig(self, side: str) -> list[Signature]:
        """Cheap necessary conditions per member, made on the first coverage question."""
        if side not in self._sig:
            self._sig[side] = _signatures(self.side[side])
        return self._sig[side]

    def covers(self, wide: Norm, wide_side: str, narrow: Norm, narrow_side: str) -> bool:
        """Subsumption, with the same text taken as the same schema (subsumption alone may miss
        that, as where an enum lists values its own pattern rejects)."""
        if wide is narrow:
            return True
        a, b = self._text(wide), self._text(narrow)
        if a == b and (wide_side == narrow_side or '"$ref"' not in a):
            return True
        return self.w.covers(wide, narrow, wide_side, narrow_side)

    def _text(self, norm: Norm) -> str:
        text = self._texts.get(id(norm.node))
        if text is None:
            text = self._texts[id(norm.node)] = canonical(_unordered(norm.node.raw))
        return text

    def within(self, i: int, j: int, narrow: str) -> bool:
        """Does the `narrow` member of pair (i, j) accept nothing its partner does not?"""
        if (i, j) in self.same:
            return True
        o, n = self.old.norms[i], self.new.norms[j]
        return self.covers(o, "old", n, "new") if narrow == "new" else self.covers(n, "new", o, "old")

    def rejects(self, side: str, norm: Norm, norm_side: str) -> bool:
        """Does every member of `side` provably reject every value `norm` accepts?"""
        s = self.side[side]
        tags = s.tags()
        for k in tags.may_meet(tags.query(norm, self.side[norm_side].normaliser)):
            if not self.budget.spend():
                return False
            if not disjoint(self.w.relation, s.norms[k], norm, side, norm_side):
                return False
        return True

    def accepts_whole(self, side: str, k: int | None, norm: Norm, norm_side: str) -> bool:
        """Does side `side` accept every value of `norm` (through its member k, or as a whole)?"""
        s = self.side[side]
        if s.whole:
            return self.covers(s.norms[0], side, norm, norm_side)
        found = [k] if k is not None else list(self.w_cover_candidates(side, norm, norm_side))
        return any(self.covers(s.norms[c], side, norm, norm_side) and self.alone(side, c, norm, norm_side)
                   for c in found)

    def w_cover_candidates(self, side: str, norm: Norm, norm_side: str) -> Iterator[int]:
        s = self.side[side]
        tags = s.tags()
        for k in tags.may_cover(tags.query(norm, self.side[norm_side].normaliser), norm.union is not None):
            if not self.budget.spend():
                return
            yield k


def diff_union(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Iterator[Finding]:
    u = _Union(w, o, n)
    old, new = u.old, u.new
    events = is_event_union(old, new)
    for i, j in u.pairs:
        found = w.diff_nodes(old.nodes[i], new.nodes[j], ctx.context, norms=(old.norms[i], new.norms[j]))
        if all(f.kind in OUTER_ANNOTATION_KINDS for f in found):
            # Nothing but annotations changed, at any depth (the diff resolved every $ref): the
            # member accepts what it did, so its old overlaps are old news. (The same-text shortcut
            # in `covers` cannot say it across sides when a $ref is in the text, and subsumption
            # may not prove a oneOf of overlapping members inside its twin.)
            u.same.add((i, j))
        found = _member_filter(found, old, new, i, j)
        if not found:
            continue
        if (not ctx.request and any(w.severity(ctx, f.kind) == Severity.ADDITIVE for f in found)
                and not u.within(i, j, "new")):
            u.widened.add(i)
        # Members told apart by different discriminator values never cover each other: skipped.
        covered = u.covered("new", "old", i, j) if ctx.request else u.covered("old", "new", j, i)
        if covered:
            found = [f for f in found if w.severity(ctx, f.kind) < Severity.WARNING]
        yield from found
    for i in u.removed:
        if ctx.request and u.covered("new", "old", i, None):
            continue
        kind = "event-type-removed" if events else "union-member-removed"
        yield Finding(kind, old.nodes[i].ptr, o.ptr, _label(old.norms[i], old.keys[i]), None, "", n.ptr)
    old_keys = set(old.keys)
    for j in u.added:
        # Only a type the old union did not have is a new event type: another variant of an old
        # one is a new shape of a known event, and a member that does not require its tag lets
        # objects without one through (no event at all).
        new_event = events and new.keys[j] not in old_keys and _insists(new.norms[j], u.prop)
        if not ctx.request and not new_event and u.covered("old", "new", j, None):
            continue
        if (ctx.expandable and not ctx.request and new.norms[j].types == frozenset({"object"})
                and not any(on.types and "object" in on.types for on in old.norms)):
            continue  # newly expandable: sent only to clients that pass expand[], which no old client did
        kind = "event-type-added" if new_event else "union-member-added"
        at = new.nodes[j].ptr
        yield Finding(kind, at, o.ptr, None, _label(new.norms[j], new.keys[j]), "", at)
    if (new.exclusive_any or old.exclusive_any) and not (u.same_nesting() and len(u.same) == len(u.pairs)):
        if new.exclusive_any:
            yield from _overlaps_gained(u)
        if old.exclusive_any:
            yield from _overlaps_lost(u)


MAX_PROOFS = 8  # partners tried per member for a proven overlap
OVER_BOUND = " (not decided: over the bound of {} member pairs per union)"


def _skeleton(side: Side, ids: list[int]) -> str:
    """The nesting of a union's members, written from their pointers with positions forgotten:
    (oneOf: [(anyOf: [0, 1]), 2]) for oneOf [anyOf [A, B], C], whatever the order."""
    paths = [node.ptr.split("/") for node in side.nodes]
    k = 0
    while all(len(p) > k for p in paths) and len({p[k] for p in paths}) == 1:
        k += 1
    while k > 0 and (paths[0][k - 1].isdigit() or paths[0][k - 1] in UNION_KEYWORDS):
        k -= 1  # the union keywords the members sit in belong to the skeleton
    trie: dict[str, Any] = {}
    for path, ident in zip(paths, ids):
        t = trie
        for tok in path[k:]:
            t = t.setdefault(tok, {})
        t.setdefault("", []).append(ident)

    def canon(t: dict[str, Any]) -> str:
        parts = []
        for tok, sub in t.items():
            if tok == "":
                parts.append("=" + ",".join(map(str, sorted(sub))))
            else:
                parts.append(f"{'#' if tok.isdigit() else tok}:({canon(sub)})")
        return "|".join(sorted(parts))
    return canon(trie)


def _changed_pairs(u: _Union, side: Side, kept: set[int]) -> Iterator[tuple[int, int | None]]:
    """Member pairs of `side` that may meet, at least one of them not in `kept`, each once; a
    pair (i, None) when the budget runs out (the rest is not decided)."""
    tags = side.tags()
    seen: set[tuple[int, int]] = set()
    for i in range(len(side)):
        if i in kept:
            continue  # its pairs with changed members are looked at from their side
        for k in tags.may_meet(tags.query(side.norms[i], side.normaliser)):
            key = (min(i, k), max(i, k))
            if k == i or key in seen:
                continue
            seen.add(key)
            if not u.budget.spend():
                yield i, None
                return
            if side.exclusive(i, k):
                yield i, k


def _overlaps_gained(u: _Union) -> Iterator[Finding]:
    """New oneOf members that may both match a value the old schema accepted: the new schema
    rejects it. A pair already in an old oneOf, each member no wider than before, is old news."""
    old, new = u.old, u.new
    partner = {j: i for i, j in u.pairs}
    kept = {j for i, j in u.pairs if (old.flat or u.same_nesting()) and u.within(i, j, "new")}
    best: dict[int, tuple[str, int, str]] = {}  # member -> (kind, partner, detail): one each, proven first
    tries: dict[int, int] = {}
    for p, q in _changed_pairs(u, new, kept):
        if q is None:
            yield from (_overlap_finding(u, kind, a, b, detail) for a, (kind, b, detail) in best.items())
            yield _overlap_finding(u, R.ONEOF_OVERLAP_POSSIBLE, p, p, OVER_BOUND.format(MAX_PAIR_WORK))
            return
        if best.get(p, ("", 0))[0] == R.ONEOF_OVERLAP_ADDED or tries.get(p, 0) >= MAX_PROOFS:
            continue
        if (q in kept and p in partner and old.surely_exclusive(partner[p], partner[q])
                and u.within(partner[p], p, "new")):
            continue
        if disjoint(u.w.relation, new.norms[p], new.norms[q], "new", "new"):
            continue
        if _old_rejects(u, p) or _old_rejects(u, q):
            continue
        tries[p] = tries.get(p, 0) + 1
        proof = _proof(u, p, q, partner)
        kind = R.ONEOF_OVERLAP_ADDED if proof is not None else R.ONEOF_OVERLAP_POSSIBLE
        if p not in best or kind == R.ONEOF_OVERLAP_ADDED:
            best[p] = (kind, q, proof or "")
    yield from (_overlap_finding(u, kind, a, b, detail) for a, (kind, b, detail) in best.items())


def _old_rejects(u: _Union, p: int) -> bool:
    key = ("old", p)
    if key not in u._rejects:
        u._rejects[key] = u.rejects("old", u.new.norms[p], "new")
    return u._rejects[key]


def _new_rejects(u: _Union, i: int) -> bool:
    key = ("new", i)
    if key not in u._rejects:
        u._rejects[key] = u.rejects("new", u.old.norms[i], "old")
    return u._rejects[key]


def _proof(u: _Union, p: int, q: int, partner: dict[int, int]) -> str | None:
    """Some values match both p and q and the old schema accepted them (the new one rejects them):
    one member inside the other, or an old member inside both, that the old schema accepted as a
    whole; or a value shown to be one. The finding's detail when proven (the value, when one was
    found), else None."""
    new, w = u.new, u.w
    if new.product:  # whether p and q share the oneOf is not known: only a value validated whole shows it
        return _searched(u, p, q)
    np_, nq = new.norms[p], new.norms[q]
    for wide, narrow in ((np_, nq), (nq, np_)):
        if u.covers(wide, "new", narrow, "new") and u.accepts_whole("old", None, narrow, "new"):
            return ""
    value = _witness(u, np_, nq)
    if value is not _NONE:
        return _for_example(value)
    olds = [partner[x] for x in (p, q) if x in partner] or ([0] if u.old.whole else [])

    def inside(m: Norm, oi: Norm) -> bool:
        return covers_minimal(m, oi, w.new, w.old, lambda a, b: u.covers(a, "new", b, "old"))

    for i in dict.fromkeys(olds):
        oi = u.old.norms[i]
        if inside(np_, oi) and inside(nq, oi) and u.accepts_whole("old", i, oi, "old"):
            return ""
    return _searched(u, p, q)


MAX_SEARCHED_PAIRS = 8  # member pairs per union given a witness search
MAX_SEARCHED_MEMBERS = 64  # unions larger than this are not searched (each candidate validates the whole)


def _searched(u: _Union, p: int, q: int) -> str | None:
    """A witness search over candidate values (witness.py), validated exactly, for a pair that
    nothing above proved: bounded in pairs per union, union size and validation steps."""
    if (u.searched >= MAX_SEARCHED_PAIRS or len(u.old) > MAX_SEARCHED_MEMBERS
            or len(u.new) > MAX_SEARCHED_MEMBERS or _built(u.o.node) or _built(u.n.node)):
        return None
    u.searched += 1
    found = overlap_witness(u.w.relation, u.o.node, u.n.node, _own(u.new.nodes[p]), _own(u.new.nodes[q]))
    return None if found is None else _for_example(found.value)


def _built(node: Node) -> bool:
    """A node the normaliser built (rest AND member): its raw names its parts for identity, and
    the rest may hold the whole union it came from, so it is validated only through its member."""
    return CONJOINED in node.key


def _own(node: Node) -> Node:
    """What a member says itself: a built member's own part (the keywords beside its union bind the
    whole schema, which the witness is validated against too)."""
    raw = node.raw
    if _built(node) and isinstance(raw, dict) and isinstance(raw.get("allOf"), list) and len(raw["allOf"]) == 2:
        return node.child("allOf", 1)
    return node


def _for_example(value: object) -> str:
    return f" (for example {show(value)}, which matches both)"


MAX_WITNESS_MEMBERS = 64


_NONE = object()  # no witness (None is a value: null)


def _witness(u: _Union, np_: Norm, nq: Norm) -> Any:
    """A value that both new members and the old schema (exactly one member of an old oneOf) surely
    accept (the validator's True), if a few tries over the members' constants find one (else _NONE).
    Bounded by the union's budget (a try per candidate) and the diff's validation steps."""
    old, rel = u.old, u.w.relation
    if len(old) > MAX_WITNESS_MEMBERS:
        return _NONE
    sources = [("new", np_), ("new", nq), *(("old", m) for m in old.norms)]
    if rel.spent() > MAX_STEPS:
        return _NONE
    candidates = scalar_candidates(rel, sources) + object_candidates(rel, sources)
    if not u.budget.spend(len(candidates)):
        return _NONE
    for value in candidates:
        if rel.spent() > MAX_STEPS:
            return _NONE
        if not (accepts(rel, "new", np_, value) is True and accepts(rel, "new", nq, value) is True):
            continue
        matching = [k for k in range(len(old)) if accepts(rel, "old", old.norms[k], value) is True]
        if not matching:
            continue
        if not old.exclusive_any or all(
                a == b or not old.exclusive(a, b) for a in matching for b in matching):
            # and no other old member may match it: those not surely accepting must surely reject
            others = [k for k in range(len(old)) if k not in matching]
            if all(accepts(rel, "old", old.norms[k], value) is False for k in others
                   if any(old.exclusive(k, m) for m in matching)):
                return value
    return _NONE


def _overlaps_lost(u: _Union) -> Iterator[Finding]:
    """Old oneOf members that may both match a value (which the old schema therefore rejected)
    that the new schema may accept: oneOf became anyOf, or a member was removed or narrowed."""
    old, new = u.old, u.new
    partner = {i: j for i, j in u.pairs}
    # A member no narrower than before keeps its old overlaps, unless the policy widened it: an
    # old overlap value with a new property is excused only where the old schema accepted the
    # value itself, which the overlap rejected (POLICY: new properties of a response object).
    kept = {i for i, j in u.pairs if (new.flat or u.same_nesting()) and u.within(i, j, "old") and i not in u.widened}
    done: set[int] = set()
    for i, k in _changed_pairs(u, old, kept):
        if k is None:
            yield _lost_finding(u, i, i, OVER_BOUND.format(MAX_PAIR_WORK))
            return
        if i in done:
            continue
        if (k in kept and i in partner and partner[i] != partner[k] and new.surely_exclusive(partner[i], partner[k])
                and i not in u.widened and u.within(i, partner[i], "old")):
            continue
        if (i in u.widened and i in partner and k in partner and _open(old.norms[k])
                and u.within(i, partner[i], "old") and u.within(k, partner[k], "old")):
            # k took any property it did not name: an old overlap value with new properties was
            # k's alone (the closed i rejected it), so the old schema accepted it already
            continue
        if disjoint(u.w.relation, old.norms[i], old.norms[k], "old", "old"):
            continue
        if _new_rejects(u, i) or _new_rejects(u, k):
            continue
        done.add(i)
        yield _lost_finding(u, i, k, "")


def _open(norm: Norm) -> bool:
    """Does the member take any property it does not name (an object with one more still matches)?"""
    return norm.additional is None and not norm.unevaluated_closed and norm.union is None


def _overlap_finding(u: _Union, kind: str, p: int, q: int, detail: str) -> Finding:
    at = u.new.nodes[p].ptr
    return Finding(kind, at, u.o.ptr, None, _names(u.new, p, q), detail, at)


def _lost_finding(u: _Union, i: int, k: int, detail: str) -> Finding:
    return Finding(R.ONEOF_OVERLAP_REMOVED, u.old.nodes[i].ptr, u.o.ptr, _names(u.old, i, k), None, detail, u.n.ptr)


def _names(side: Side, a: int, b: int) -> str:
    """Two members, by name and by place ("#1 string and #3 CreateFoo")."""
    def one(i: int) -> str:
        origin = side.origins[i]
        place = side.nodes[i].ptr[len(origin[0]):].lstrip("/") if origin else f"#{i}"
        return f"{place} ({_label(side.norms[i], side.keys[i])})"
    return one(a) if a == b else f"{one(a)} and {one(b)}"
