"""Can one value match two union members? `oneOf` rejects a value that matches more than one of
its members, so what a oneOf accepts depends on which of its members overlap.

`disjoint` answers True only with a proof: types that share no value, enums with no common value,
a required property whose values cannot agree (a discriminator), a closed object that cannot hold
a property the other requires, numeric or length ranges that do not meet. Anything else may
overlap. `Tags` indexes the members of one union by the values of their most common tag (a
required property with a small enum, such as an event's `type`), so that the members that may
overlap (or cover) one member are found without looking at every pair.
"""

from __future__ import annotations

import enum
import json
from collections import Counter
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

from ..jsontypes import json_type
from ..patterns import engine
from .form import Node, Norm, admits_null, canonical
from .keywords import formats
from .normalise import Normaliser

MAX_DEPTH = 4
MAX_TAG_VALUES = 32  # a required property whose enum is longer is not a tag
MAX_NESTED = 16  # a nested union with more members is not looked into


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


def disjoint(a: Norm, b: Norm, na: Normaliser, nb: Normaliser, depth: int = 0) -> bool:
    """True only when no value can match both `a` (of normaliser `na`) and `b` (of `nb`)."""
    if a.false or b.false:
        return True
    if depth > MAX_DEPTH:
        return False
    if accepts_null(a) and accepts_null(b):
        return False
    for u, nu, other, no in ((a, na, b, nb), (b, nb, a, na)):
        if u.union is not None:
            if len(u.union) > MAX_NESTED:
                return False
            # The union's own keywords only narrow it: each member disjoint from `other` suffices.
            return all(disjoint(nu.norm(m), other, nu, no, depth + 1) if u is a
                       else disjoint(other, nu.norm(m), no, nu, depth + 1) for m in u.union)
    return _disjoint_values(a, b, na, nb, depth)


def _disjoint_values(a: Norm, b: Norm, na: Normaliser, nb: Normaliser, depth: int) -> bool:
    """No non-null value matches both (null was handled by the caller)."""
    if a.enum is not None and b.enum is not None and not ({value_key(v) for v in a.enum}
                                                          & {value_key(v) for v in b.enum}):
        return True
    for x, y in ((a, b), (b, a)):
        if x.enum is not None and not any(_may_accept(y, v) for v in x.enum):
            return True
    if a.types is None or b.types is None:
        common = a.types if b.types is None else b.types
    else:
        common = meet(a.types, b.types)
    if common is None:
        return False
    return all(_disjoint_in(t, a, b, na, nb, depth) for t in common)


def meet(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    out = set(a & b)
    if ("integer" in a and "number" in b) or ("number" in a and "integer" in b):
        out.add("integer")
    return frozenset(out)


def _may_accept(n: Norm, value: Any, normaliser: Normaliser | None = None, depth: int = 0) -> bool:
    """Could `n` accept this value? (True when unsure; objects are looked into given a normaliser.)"""
    if n.false:
        return False
    if n.union is not None:
        return True
    if value is None:
        return accepts_null(n)
    if n.enum is not None:
        return value_key(value) in {value_key(v) for v in n.enum}
    t = json_type(value, integral_floats=True)
    if n.types is not None and t not in n.types and not (t == "integer" and "number" in n.types):
        return False
    if t in ("integer", "number"):
        return _in_range(n, value)
    if t == "string":
        return bool(n.bounds.get("min-length", 0) <= len(value) <= n.bounds.get("max-length", len(value)))
    if t == "object" and normaliser is not None and depth <= MAX_DEPTH:
        if not n.required <= set(value):
            return False
        for name, v in value.items():
            child = _child(n, name, normaliser)
            if child is _ABSENT or (child is not None and not _may_accept(child, v, normaliser, depth + 1)):
                return False
    return True


def _in_range(n: Norm, value: float) -> bool:
    if "min" in n.bounds:
        lo, excl = n.bounds["min"]
        if value < lo or (excl and value == lo):
            return False
    if "max" in n.bounds:
        hi, excl = n.bounds["max"]
        if value > hi or (excl and value == hi):
            return False
    return True


def _disjoint_in(t: str, a: Norm, b: Norm, na: Normaliser, nb: Normaliser, depth: int) -> bool:
    """No value of JSON type `t` matches both."""
    if t in ("integer", "number"):
        return _ranges_apart(a, b) or _ranges_apart(b, a)
    if t == "string":
        return bool(a.bounds.get("max-length", float("inf")) < b.bounds.get("min-length", 0)
                    or b.bounds.get("max-length", float("inf")) < a.bounds.get("min-length", 0)
                    or formats.apart(a.formats, b.formats))
    if t == "object":
        return _objects_apart(a, b, na, nb, depth) or _objects_apart(b, a, nb, na, depth)
    return False


def _ranges_apart(a: Norm, b: Norm) -> bool:
    """Every value `a` admits lies below every value `b` admits."""
    if "max" not in a.bounds or "min" not in b.bounds:
        return False
    (hi, hi_excl), (lo, lo_excl) = a.bounds["max"], b.bounds["min"]
    return bool(hi < lo or (hi == lo and (hi_excl or lo_excl)))


def _objects_apart(x: Norm, y: Norm, nx: Normaliser, ny: Normaliser, depth: int) -> bool:
    """`x` requires a property whose value `y` cannot hold (or `y` cannot hold it at all)."""
    for name in x.required:
        cy = _child(y, name, ny)
        if cy is _ABSENT:
            return True
        cx = _child(x, name, nx)
        if cx is None or cy is None or cx is _ABSENT:  # (cy is not _ABSENT: returned above)
            continue
        if disjoint(cx, cy, nx, ny, depth + 1):
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


# -- scalar witnesses: a value shown to match ---------------------------------------------------------

_INERT = frozenset({"content-media-type", "content-encoding", "content-schema"})
_ON_OBJECTS = frozenset({"pattern-properties", "property-names", "dependent-required", "dependent-schemas"})
_ON_ARRAYS = frozenset({"contains"})


def _inert_for(value: Any) -> frozenset[str]:
    """Applicators that cannot reject this value: those of other types (on an empty object, the
    object ones too: they only look at properties)."""
    if isinstance(value, dict):
        return _INERT | _ON_ARRAYS | (_ON_OBJECTS if not value else frozenset())
    if isinstance(value, list):
        return _INERT | _ON_OBJECTS
    return _INERT | _ON_OBJECTS | _ON_ARRAYS


def surely_accepts(n: Norm, value: Any, normaliser: Normaliser, depth: int = 0) -> bool:
    """True only when `n` certainly accepts `value`: a scalar, the empty array, or an object of
    such values (False when unsure)."""
    if n.false or depth > MAX_DEPTH or (isinstance(value, list) and value):
        return False
    if value is None:
        return accepts_null(n) and n.union is None
    if n.union is not None:
        return False  # how many members match decides; not worked out here
    if not all(_applicator_passes(kind, text, value) for kind, text in n.applicators.items()
               if kind not in _inert_for(value)):
        return False
    if n.enum is not None and value_key(value) not in {value_key(v) for v in n.enum}:
        return False
    if isinstance(value, list):  # the empty array
        return (n.types is None or "array" in n.types) and not n.bounds.get("min-items")
    if isinstance(value, dict):
        return _surely_object(n, value, normaliser, depth)
    t = json_type(value, integral_floats=True)
    if n.types is not None and t not in n.types and not (t == "integer" and "number" in n.types):
        return False
    if t in ("integer", "number"):
        if not _in_range(n, value):
            return False
        if n.multiple_of is not None and not _multiple(value, n.multiple_of):
            return False
        if n.formats and not formats.surely_number(n.formats, value, t == "integer"):
            return False
    if t == "string":
        if n.pattern or n.formats:
            return False
        if not n.bounds.get("min-length", 0) <= len(value) <= n.bounds.get("max-length", len(value)):
            return False
    return True


def _multiple(value: float, step: float) -> bool:
    """A multiple exactly, and by float division too (as validators compute it)."""
    try:
        exact = Fraction(str(value)) % Fraction(str(step)) == 0
        quotient = value / step
    except (ValueError, OverflowError, ZeroDivisionError):
        return False
    return exact and float(quotient).is_integer()


def scalar_candidates(norms: Iterable[Norm]) -> list[Any]:
    """Values worth trying as a witness: enum values, bounds and their neighbours, small values."""
    out: list[Any] = [0, 1, -1, 0.5, 2, True, False, "", "a", None, [], {}]
    for n in norms:
        if n.enum is not None:
            out.extend(n.enum[:MAX_TAG_VALUES])
        for name in ("min", "max"):
            if name in n.bounds:
                v = n.bounds[name][0]
                out.extend([v, v + 1, v - 1, v + 0.5, v - 0.5])
        if "min-length" in n.bounds:
            out.append("a" * min(int(n.bounds["min-length"]), 256))
        out.extend(formats.edges(n.formats))
        if n.multiple_of is not None:
            out.extend([n.multiple_of, -n.multiple_of, n.multiple_of * 3])
    return out


def disjoint_value(n: Norm, value: Any, normaliser: Normaliser) -> bool:
    """True only when `n` certainly rejects `value`."""
    return not _may_accept(n, value, normaliser)


def _applicator_passes(kind: str, text: str, value: Any) -> bool:
    """True only when the applicator `kind` (its canonical text) surely accepts `value`."""
    try:
        arg = json.loads(text)
    except ValueError:
        return False
    keys = value if isinstance(value, dict) else {}
    if kind == "not":
        return _raw_rejects(arg, value)
    if kind == "conditional":
        cond, then, other = arg if isinstance(arg, list) and len(arg) == 3 else (None, None, None)
        if _raw_trivial(then) and _raw_trivial(other):
            return True
        return _raw_rejects(cond, value) and _raw_trivial(other)
    if kind == "dependent-required":
        return isinstance(arg, dict) and all(
            set(deps) <= set(keys) for name, deps in arg.items() if name in keys and isinstance(deps, list))
    if kind == "dependent-schemas":
        return isinstance(arg, dict) and not any(name in keys for name in arg)
    if kind == "pattern-properties":
        return isinstance(arg, dict) and _none_match(list(arg), list(keys))
    if kind == "property-names":
        if not isinstance(arg, dict) or set(arg) - {"pattern", "type", "minLength", "maxLength"}:
            return False
        if arg.get("type", "string") != "string" or not all(
                arg.get("minLength", 0) <= len(k) <= arg.get("maxLength", len(k)) for k in keys):
            return False
        pattern = arg.get("pattern")
        return pattern is None or (isinstance(pattern, str) and _all_match(pattern, list(keys)))
    return False


def _raw_trivial(schema: Any) -> bool:
    return schema is None or schema is True or schema == {}


def _raw_rejects(schema: Any, value: Any) -> bool:
    """True only when the raw schema surely rejects `value` (its type, enum or const leaves it out)."""
    if schema is False:
        return True
    if not isinstance(schema, dict):
        return False
    if value is None and schema.get("nullable") is True:
        return False
    t = json_type(value, integral_floats=True)
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types
    if isinstance(types, list) and t not in types and not (t == "integer" and "number" in types):
        return True
    if "const" in schema and value_key(schema["const"]) != value_key(value):
        return True
    return isinstance(schema.get("enum"), list) and value_key(value) not in {value_key(v) for v in schema["enum"]}


def _none_match(patterns: list[Any], keys: list[str]) -> bool:
    """No key matches any of the patterns (decided by the pattern engine, never guessed)."""
    try:
        return not any(isinstance(p, str) and engine.search(p, k) for p in patterns for k in keys) and all(
            isinstance(p, str) for p in patterns)
    except engine.MatchUndecided:
        return False


def _all_match(pattern: str, keys: list[str]) -> bool:
    try:
        return all(engine.search(pattern, k) for k in keys)
    except engine.MatchUndecided:
        return False


def _surely_object(n: Norm, value: dict[str, Any], normaliser: Normaliser, depth: int) -> bool:
    if n.types is not None and "object" not in n.types:
        return False
    if not n.required <= set(value) or not n.bounds.get("min-properties", 0) <= len(value):
        return False
    if len(value) > n.bounds.get("max-properties", len(value)):
        return False
    for name, v in value.items():
        child: Norm | None = None
        if name in n.props:
            child = normaliser.norm(n.props[name])
        elif n.additional is False or n.unevaluated_closed:
            return False
        else:  # no patternProperties key matches here (surely_accepts made sure)
            child = normaliser.norm(n.additional) if isinstance(n.additional, Node) else None
        if child is not None and not surely_accepts(child, v, normaliser, depth + 1):
            return False
    return True


MAX_OBJECT_SOURCES = 16
MAX_OPTIONAL = 8


def object_candidates(sources: list[tuple[Norm, Normaliser]]) -> list[dict[str, Any]]:
    """Small objects worth trying as a witness: for each object schema, its required properties
    filled with a value it surely accepts, alone and with one optional property more; and the
    first two such objects together, alone and with each other one."""
    out: list[dict[str, Any]] = []
    bases: list[dict[str, Any]] = []
    for n, normaliser in sources[:MAX_OBJECT_SOURCES]:
        if n.union is not None or (n.types is not None and "object" not in n.types):
            continue
        base: dict[str, Any] = {}
        for name in sorted(n.required):
            v = _value_for(n, name, normaliser)
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
                v = _value_for(n, name, normaliser)
                if v is not _ABSENT:
                    out.append({**base, name: v})
    return out


def _value_for(n: Norm, name: str, normaliser: Normaliser) -> Any:
    """A scalar the property `name` of `n` surely accepts, or _ABSENT."""
    child = _child(n, name, normaliser)
    if child is _ABSENT:
        return _ABSENT
    if child is None:
        return 0
    for v in scalar_candidates([child]):
        if surely_accepts(child, v, normaliser, MAX_DEPTH):
            return v
    return _ABSENT
