"""Reading a canonical form across the mappings it conjoins (`Norm.parts`: the schema and its allOf
members), for the units' parts of inclusion and acceptance; and the three-valued logic they combine
their answers with (True, False, or None when it cannot be told exactly)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ... import patterns
from ..form import Node, Norm, canonical
from .formats import VALIDATING_FORMATS

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption

# A unit's part of "does the schema at `node` (a mapping) accept `value`?": True, False, or None when it
# cannot be told exactly; `depth` is the one to validate subschemas at (accepts.py, its `ACCEPTS`).
Accepts = Callable[["Acceptor", Node, Any, int], "bool | None"]
# A unit's part of "does `wide` (of side `sa`) accept every value `narrow` (of side `sb`) accepts?", as
# far as the unit's keywords in `wide` go: True only when sure (subsume.py; `includes`, `INCLUDES`).
Includes = Callable[["Subsumption", Norm, Norm, str, str, int], bool]


MAX_STEPS_READ = 4  # multipleOf values kept per pool
MAX_BOUNDS_READ = 6  # numeric bounds kept per pool (zero among them)
MAX_WITNESS_LENGTH = 1024  # strings built to a length bound are at most this long (memory: each is kept and tried)


class Atoms:
    """The constants of some schemas: names, strings, numbers, lengths: where two schemas part. The
    witness search (subsume.py) builds its candidate values from them; each unit reads its own keywords'
    (`constants(raw, atoms)`)."""

    def __init__(self) -> None:
        self.hot: dict[str, None] = {}  # names a constraint mentions (required, dependencies, patterns): first
        self.names: dict[str, None] = {}
        self.required: dict[str, None] = {}
        self.scalars: dict[str, Any] = {}  # the schemas' own constants (basic values join them in candidates)
        self.lengths: set[int] = {0, 1, 2, 3}
        self.steps: dict[Any, None] = {}  # multipleOf values, met with the numeric bounds (multiple_of.multiples)
        self.bounds: dict[Any, None] = {0: None}

    def scalar(self, v: Any) -> None:
        if not isinstance(v, (dict, list)) or len(canonical(v)) < 200:
            self.scalars.setdefault(canonical(v), v)

    def number(self, v: Any) -> None:
        """A numeric constant and its neighbours."""
        if is_number(v):
            for x in (v, v - 1, v + 1, v - 0.5, v + 0.5, 2 * v, -v):
                self.scalar(int(x) if float(x).is_integer() and abs(x) < 2**53 else x)

    def step(self, v: Any) -> None:
        if is_number(v) and math.isfinite(v) and 0 < v < 1e15 and len(self.steps) < MAX_STEPS_READ:
            self.steps.setdefault(v)

    def bound(self, v: Any) -> None:
        if is_number(v) and math.isfinite(v) and abs(v) < 1e15 and len(self.bounds) < MAX_BOUNDS_READ:
            self.bounds.setdefault(v)

    def length(self, v: Any) -> None:
        """A count bound and its neighbours."""
        if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 64:
            self.lengths.update({max(v - 1, 0), v, v + 1})

    def keys(self, raw: dict[str, Any], kw: str) -> None:
        """The names a mapping keyword (`properties`, `dependentRequired`, ...) mentions, and those its
        values list."""
        if not isinstance(raw.get(kw), dict):
            return
        into = self.names if kw == "properties" else self.hot
        for k, v in raw[kw].items():
            into.setdefault(literal(k) if kw == "patternProperties" else k)
            if isinstance(v, list):
                for x in v:
                    if isinstance(x, str):
                        self.hot.setdefault(x)


# How a keyword holds subschemas (a unit's `SUBSCHEMAS`: keyword -> the shapes its value may take): where
# the witness search (subsume.py) finds the mappings whose constants it reads.
ONE = frozenset({"one"})  # the value is a schema
LISTED = frozenset({"listed"})  # a list of schemas
NAMED = frozenset({"named"})  # a mapping of names to schemas (or, draft-07 `dependencies`, to lists of names)
Holds = frozenset[str]

# A unit's contribution to the witness search: the constants of its keywords in one mapping.
Constants = Callable[[dict[str, Any], Atoms], None]


def literal(regex: str) -> str:
    """A name the pattern matches: its plain text when it is one, else a shortest match."""
    plain = regex.strip("^$")
    if plain.replace("_", "").replace("-", "").isalnum():
        return plain
    samples = pattern_samples(regex)
    return samples[0] if samples else plain


def pattern_samples(pattern: str) -> list[str]:
    """A shortest string the pattern matches, and one it does not."""
    out: list[str] = []
    inside = patterns.contains(["[^\\s\\S]"], [pattern])  # nothing matches the wide side
    outside = patterns.contains([pattern], [])
    for verdict in (inside, outside):
        if verdict.counterexample is not None:
            out.append(verdict.counterexample)
    return out


def both(results: Iterable[bool | None]) -> bool | None:
    """Three-valued AND."""
    unknown = False
    for r in results:
        if r is False:
            return False
        if r is None:
            unknown = True
    return None if unknown else True


def either(results: Iterable[bool | None]) -> bool | None:
    """Three-valued OR."""
    return negate(both(negate(r) for r in results))


def negate(r: bool | None) -> bool | None:
    return None if r is None else not r


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def values(n: Norm, keyword: str) -> list[Node]:
    """The nodes of `keyword` in every mapping the form conjoins (its own and its allOf members')."""
    return [p.child(keyword) for p in n.parts if isinstance(p.raw, dict) and keyword in p.raw]


def pattern_properties(n: Norm) -> dict[str, Any]:
    """Every patternProperties entry the form conjoins."""
    out: dict[str, Any] = {}
    for p in n.parts:
        if isinstance(p.raw, dict) and isinstance(p.raw.get("patternProperties"), dict):
            out.update(p.raw["patternProperties"])
    return out


def position(n: Norm, i: int) -> Node | None:
    """The schema array position `i` must match (None: anything)."""
    return n.prefix[i] if i < len(n.prefix) else n.items


def own_patterns(n: Norm) -> list[str]:
    """Every `pattern` the form conjoins (its own and its allOf members'; none where the value cannot be
    a string): the strings unit reads and merges them."""
    return sorted(n.patterns)  # `patterns`, not `pattern`: that one conjoins them with lookaheads


def unevaluated_node(n: Norm, kw: str) -> Node | bool | None:
    """The schema an unevaluated* keyword gives the rest (False when it closes it), else None."""
    for p in n.parts:
        if isinstance(p.raw, dict) and kw in p.raw:
            return False if p.raw[kw] is False else p.child(kw)
    return None


def same_unevaluated(a: Norm, b: Norm, kw: str) -> bool:
    """unevaluated* in a: b has the same value over the same evaluated names (a conservative stand-in
    for the annotation semantics)."""
    mine = [canonical(p.raw[kw]) for p in a.parts if isinstance(p.raw, dict) and kw in p.raw]
    if not mine:
        return True
    theirs = {canonical(p.raw[kw]) for p in b.parts if isinstance(p.raw, dict) and kw in p.raw}
    return set(mine) <= theirs and set(a.props) == set(b.props) and len(a.prefix) == len(b.prefix)


def trivial(n: Norm) -> bool:
    """Admits every value (as far as the canonical form tells: any keyword that restricts says no)."""
    return (n.types is None and n.nullable and n.enum is None and n.union is None and not n.bounds and not n.props
            and n.pattern is None and not n.applicators and not n.false and n.multiple_of is None
            and not n.required and n.additional is None and n.items is None and not n.prefix
            and not n.unique_items and not n.unevaluated_closed and not n.formats & VALIDATING_FORMATS
            and not any(isinstance(p.raw, dict) and ("unevaluatedProperties" in p.raw or "unevaluatedItems" in p.raw)
                        for p in n.parts))


def objects_only(n: Norm) -> bool:
    """Does the schema say `type: object` (not inferred from `properties`, which admit non-objects)?"""
    return not n.nullable and any(isinstance(p.raw, dict) and p.raw.get("type") in ("object", ["object"])
                                  for p in n.parts)


def explicit_types(n: Norm) -> frozenset[str] | None:
    """The types the schema's own `type` keywords allow (integer within number), null apart; None: any."""
    found: set[str] | None = None
    for p in n.parts:
        t = p.raw.get("type") if isinstance(p.raw, dict) else None
        if isinstance(t, str):
            t = [t]
        if isinstance(t, list):
            names = {x for x in t if isinstance(x, str) and x != "null"}
            if "number" in names:
                names.add("integer")
            found = names if found is None else found & names
    return None if found is None else frozenset(found)


def disjoint(rel: Subsumption, x: Norm, y: Norm, sx: str, sy: str, depth: int = 0) -> bool:
    """Surely no value is accepted by both (False when unsure): types that share nothing, enums with no
    common value, or (objects only on one side) a property either requires whose schemas are disjoint."""
    if x.false or y.false:
        return True
    if depth > 8 or (x.nullable and y.nullable) or x.union is not None or y.union is not None:
        return False
    for a, b, sb in ((x, y, sy), (y, x, sx)):
        if a.enum is not None and not a.nullable and all(rel.accepts(sb, b.node, v) is False for v in a.enum):
            return True
        ta, tb = explicit_types(a), explicit_types(b)
        if ta is not None and tb is not None and not ta & tb:
            return True
    if objects_only(x) or objects_only(y):  # a value of both is an object: each side's `required` binds it
        for name in x.required | y.required:
            if name in x.props and name in y.props and disjoint(
                    rel, rel.norm(sx, x.props[name]), rel.norm(sy, y.props[name]), sx, sy, depth + 1):
                return True
    return False
