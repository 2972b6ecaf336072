"""Can one value match two union members? `oneOf` rejects a value that matches more than one of
its members, so what a oneOf accepts depends on which of its members overlap.

`disjoint` answers True only with a proof: types that share no value, enums whose every value the
other member rejects, a required property whose values cannot agree (a discriminator), a closed
object that cannot hold a property the other requires, numeric or length ranges that do not meet.
Anything else may overlap. `Tags` indexes the members of one union by the values of their most
common tag (a required property with a small enum, such as an event's `type`), so that the members
that may overlap (or cover) one member are found without looking at every pair.

What one member accepts is never worked out here: `accepts` asks the exact three-valued validator
(accepts.py, through the diff's Subsumption), and the values worth trying as a witness come from the
keyword units' constants (`scalar_candidates`, `object_candidates`). This module knows the shape of
unions and pairs of members.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .form import Node, Norm, admits_null, canonical
from .keywords import formats, multiple_of
from .keywords.parts import Atoms
from .normalise import Normaliser

if TYPE_CHECKING:  # pragma: no cover
    from .subsume import Subsumption  # the units import overlap (negation: disjoint); subsume imports the units

MAX_DEPTH = 4
MAX_TAG_VALUES = 32  # a required property whose enum is longer is not a tag
MAX_NESTED = 16  # a nested union with more members is not looked into
MAX_ENUM_TRIED = 1024  # enum values validated against the other member in one disjointness proof
CONJOINED = "|&"  # how the normaliser joins the keys of a member it built as (rest AND member)
MAX_REST_WALK = 64  # mappings read to tell whether a built member's rest holds a oneOf


class _Absent(enum.Enum):
    ABSENT = "absent"  # a property the object cannot have


_ABSENT = _Absent.ABSENT
Child = Norm | _Absent | None  # the schema a property must match: a form, _ABSENT, or None (anything)


def value_key(value: Any) -> str:
    """One spelling per JSON value (1 and 1.0 are the same number)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return canonical(value)


def accepts_null(n: Norm) -> bool:
    """`nullable` is the canonical form's word on null (for a union: the union's as a whole)."""
    return admits_null(n)


def accepts(rel: Subsumption, side: str, n: Norm, value: Any) -> bool | None:
    """Does the member `n` (of `side`) accept `value`? The exact validator's answer on its schema. A
    member the normaliser built (rest AND member) is validated as written, with the rest's unions as
    wholes: a True holds for the member; a False only where the member's own part rejects, or where
    no oneOf in the rest could be the one rejecting (a value matching two of its members fails that
    oneOf, not the member): else None."""
    node = n.node
    answer = rel.accepts(side, node, value)
    if answer is not False or CONJOINED not in node.key:
        return answer
    raw = node.raw
    if not (isinstance(raw, dict) and isinstance(raw.get("allOf"), list) and len(raw["allOf"]) == 2):
        return None
    if rel.accepts(side, node.child("allOf", 1), value) is False:
        return False
    return None if _holds_exclusive(rel, side, node.child("allOf", 0)) else False


def _holds_exclusive(rel: Subsumption, side: str, node: Node) -> bool:
    """Does a oneOf apply in place in this schema (itself, its allOf members, what they refer to)?
    True when unsure (past the walk's bound, an unreadable corner)."""
    stack, seen = [node], 0
    while stack:
        seen += 1
        if seen > MAX_REST_WALK:
            return True
        try:
            current = rel.sides[side].deref(stack.pop())
        except Exception:  # a dangling ref: not known
            return True
        raw = current.raw
        if not isinstance(raw, dict):
            continue
        if "oneOf" in raw:
            return True
        members = raw.get("allOf")
        if isinstance(members, list):
            stack.extend(current.child("allOf", i) for i in range(len(members)))
    return False


def disjoint(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int = 0) -> bool:
    """True only when no value can match both `a` (of side `sa`) and `b` (of side `sb`)."""
    if a.false or b.false:
        return True
    if depth > MAX_DEPTH:
        return False
    if accepts_null(a) and accepts_null(b):
        return False
    for u, su, other, so in ((a, sa, b, sb), (b, sb, a, sa)):
        if u.union is not None:
            if len(u.union) > MAX_NESTED:
                return False
            # The union's own keywords only narrow it: each member disjoint from `other` suffices.
            return all(disjoint(rel, rel.norm(su, m), other, su, so, depth + 1) if u is a
                       else disjoint(rel, other, rel.norm(su, m), so, su, depth + 1) for m in u.union)
    return _disjoint_values(rel, a, b, sa, sb, depth)


def _disjoint_values(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """No non-null value matches both (null was handled by the caller)."""
    if a.enum is not None and b.enum is not None and not ({value_key(v) for v in a.enum}
                                                          & {value_key(v) for v in b.enum}):
        return True
    for x, y, sy in ((a, b, sb), (b, a, sa)):
        if x.enum is not None and len(x.enum) <= MAX_ENUM_TRIED and all(
                accepts(rel, sy, y, v) is False for v in x.enum):
            return True
    if a.types is None or b.types is None:
        common = a.types if b.types is None else b.types
    else:
        common = meet(a.types, b.types)
    if common is None:
        return False
    return all(_disjoint_in(rel, t, a, b, sa, sb, depth) for t in common)


def meet(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    out = set(a & b)
    if ("integer" in a and "number" in b) or ("number" in a and "integer" in b):
        out.add("integer")
    return frozenset(out)


def _disjoint_in(rel: Subsumption, t: str, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """No value of JSON type `t` matches both."""
    if t in ("integer", "number"):
        return _ranges_apart(a, b) or _ranges_apart(b, a)
    if t == "string":
        return bool(a.bounds.get("max-length", float("inf")) < b.bounds.get("min-length", 0)
                    or b.bounds.get("max-length", float("inf")) < a.bounds.get("min-length", 0)
                    or formats.apart(a.formats, b.formats))
    if t == "object":
        return _objects_apart(rel, a, b, sa, sb, depth) or _objects_apart(rel, b, a, sb, sa, depth)
    return False


def _ranges_apart(a: Norm, b: Norm) -> bool:
    """Every value `a` admits lies below every value `b` admits."""
    if "max" not in a.bounds or "min" not in b.bounds:
        return False
    (hi, hi_excl), (lo, lo_excl) = a.bounds["max"], b.bounds["min"]
    return bool(hi < lo or (hi == lo and (hi_excl or lo_excl)))


def _objects_apart(rel: Subsumption, x: Norm, y: Norm, sx: str, sy: str, depth: int) -> bool:
    """`x` requires a property whose value `y` cannot hold (or `y` cannot hold it at all)."""
    for name in x.required:
        cy = _child(y, name, rel.sides[sy])
        if cy is _ABSENT:
            return True
        cx = _child(x, name, rel.sides[sx])
        if cx is None or cy is None or cx is _ABSENT:  # (cy is not _ABSENT: returned above)
            continue
        if disjoint(rel, cx, cy, sx, sy, depth + 1):
            return True
    return False


def _child(n: Norm, name: str, normaliser: Normaliser) -> Child:
    """The schema a property `name` of `n` must match: a Norm, _ABSENT, or None (anything)."""
    if name in n.props:
        return normaliser.norm(n.props[name])
    if "pattern-properties" in n.applicators:
        return None
    if n.additional is False:
        return _ABSENT
    if isinstance(n.additional, Node):
        return normaliser.norm(n.additional)
    return None


# -- tags: which members can possibly meet ------------------------------------------------------------

def tag_values(n: Norm, prop: str, normaliser: Normaliser) -> frozenset[str] | None:
    """The values a member insists `prop` takes (it requires `prop`, with a small enum), or None."""
    if n.union is not None or n.false or prop not in n.required or prop not in n.props:
        return None
    child = normaliser.norm(n.props[prop])
    if child.enum is None or child.union is not None or len(child.enum) > MAX_TAG_VALUES:
        return None
    return frozenset(value_key(v) for v in child.enum) | ({value_key(None)} if child.nullable else frozenset())


def tag_key(n: Norm, normaliser: Normaliser) -> tuple[tuple[str, str], ...] | None:
    """Every required one-value property of a member, as a key: (prop, value) pairs."""
    if n.union is not None or n.false:
        return None
    out = []
    for prop in sorted(n.required):
        values = tag_values(n, prop, normaliser)
        if values is not None and len(values) == 1:
            out.append((prop, next(iter(values))))
    return tuple(out) or None


class Tags:
    """The members of one union by the values of the tag most of them carry."""

    def __init__(self, norms: list[Norm], normaliser: Normaliser) -> None:
        counts: Counter[str] = Counter()
        for n in norms:
            if n.union is None:
                counts.update(p for p in n.required if p in n.props)
        self.prop: str | None = None
        self.values: list[frozenset[str] | None] = [None] * len(norms)
        self.by_value: dict[str, list[int]] = {}
        self.untagged: list[int] = list(range(len(norms)))
        self.size = len(norms)
        for prop, _ in counts.most_common(4):
            values = [tag_values(n, prop, normaliser) for n in norms]
            if sum(v is not None for v in values) >= max(2, len(norms) // 2):
                self.prop, self.values = prop, values
                break
        if self.prop is None:
            return
        self.untagged = [i for i, v in enumerate(self.values) if v is None]
        for i, vals in enumerate(self.values):
            for v in vals or ():
                self.by_value.setdefault(v, []).append(i)

    def query(self, n: Norm, normaliser: Normaliser) -> frozenset[str] | None:
        return tag_values(n, self.prop, normaliser) if self.prop is not None else None

    def may_meet(self, values: frozenset[str] | None) -> Iterable[int]:
        """Members that may share a value with a member whose tag values are `values`."""
        if values is None:
            return range(self.size)
        seen: set[int] = set()
        for v in values:
            seen.update(self.by_value.get(v, ()))
        return sorted(seen.union(self.untagged))

    def may_cover(self, values: frozenset[str] | None, whole_union: bool) -> Iterable[int]:
        """Members that may accept every value of a member whose tag values are `values`: one
        that insists on the tag covers only members that insist on it too, with fewer values."""
        if whole_union or self.prop is None:
            return range(self.size)
        if values is None:
            return self.untagged
        first = min(values)
        return sorted(set(i for i in self.by_value.get(first, ()) if values <= (self.values[i] or frozenset()))
                      .union(self.untagged))


def covers_minimal(wide: Norm, narrow: Norm, nw: Normaliser, nn: Normaliser,
                   covers: Callable[[Norm, Norm], bool]) -> bool:
    """Does `wide` accept the values of `narrow` that carry only the properties `narrow` requires?
    Enough to prove that two open objects share values: each ignores the other's optional
    properties. `covers(a, b)` is the full subsumption test, used for everything else."""
    if (narrow.types != frozenset({"object"}) or narrow.union is not None or narrow.enum is not None
            or narrow.applicators or wide.union is not None or wide.enum is not None or wide.applicators
            or "min-properties" in narrow.bounds or "max-properties" in narrow.bounds or wide.bounds
            or accepts_null(narrow) and not accepts_null(wide)):
        return covers(wide, narrow)
    if wide.types is not None and "object" not in wide.types:
        return False
    if not wide.required <= narrow.required:
        return False
    for name in narrow.required:
        mine, theirs = _child(wide, name, nw), _child(narrow, name, nn)
        if mine is _ABSENT or theirs is _ABSENT:
            return False
        if mine is not None and (theirs is None or not covers(mine, theirs)):
            return False
    return True


# -- witness candidates: values worth trying, from the keyword units' constants ---------------------------

_BASIC: list[Any] = [0, 1, -1, 0.5, 2, True, False, "", "a", None, [], {}]
MAX_SOURCE_CONSTANTS = 48  # constants taken of each member's own keywords
MAX_OBJECT_SOURCES = 16
MAX_OPTIONAL = 8
Source = tuple[str, Norm]  # (side, member)


def scalar_candidates(rel: Subsumption, sources: Iterable[Source]) -> list[Any]:
    """Values worth trying as a witness: a few of each type, then the constants of each member's own
    keywords (every mapping its form conjoins), as the keyword units give them: enum values, bounds
    and their neighbours, pattern samples, format examples and ends, multiples of steps past bounds,
    strings of the counted lengths."""
    out: list[Any] = list(_BASIC)
    for _, n in sources:
        atoms = Atoms()
        for part in n.parts:
            if isinstance(part.raw, dict):
                for constants in rel.constants:
                    constants(part.raw, atoms)
        out.extend(list(atoms.scalars.values())[:MAX_SOURCE_CONSTANTS])
        out.extend(multiple_of.multiples(atoms))
    return out


def object_candidates(rel: Subsumption, sources: list[Source]) -> list[dict[str, Any]]:
    """Small objects worth trying as a witness: for each object schema, its required properties
    filled with a value the validator says it accepts, alone and with one optional property more;
    and the first two such objects together, alone and with each other one."""
    out: list[dict[str, Any]] = []
    bases: list[dict[str, Any]] = []
    for side, n in sources[:MAX_OBJECT_SOURCES]:
        if n.union is not None or (n.types is not None and "object" not in n.types):
            continue
        base: dict[str, Any] = {}
        for name in sorted(n.required):
            v = _value_for(rel, side, n, name)
            if v is _ABSENT:
                break
            base[name] = v
        else:
            out.append(base)
            bases.append(base)
            if len(bases) == 2:  # the first two sources (the two members in question) together
                out.append({**bases[0], **bases[1]})
            elif len(bases) > 2:  # ... and with each other source
                out.append({**bases[0], **bases[1], **base})
            for name in sorted(set(n.props) - n.required)[:MAX_OPTIONAL]:
                v = _value_for(rel, side, n, name)
                if v is not _ABSENT:
                    out.append({**base, name: v})
    return out


def _value_for(rel: Subsumption, side: str, n: Norm, name: str) -> Any:
    """A value the property `name` of `n` surely accepts (the validator's True), or _ABSENT."""
    child = _child(n, name, rel.sides[side])
    if child is _ABSENT:
        return _ABSENT
    if child is None:
        return 0
    for v in scalar_candidates(rel, [(side, child)]):
        if accepts(rel, side, child, v) is True:
            return v
    return _ABSENT
