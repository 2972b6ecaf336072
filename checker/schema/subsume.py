"""Does one schema accept every value another accepts?

`covers` is a conservative answer (False when unsure), used to judge a union as a whole: a request
union member that covers an old value makes the narrowing of another member harmless, and so on.
`relate` is three-valued: True when `covers` proves it, False when a witness shows it (a value the
narrow schema accepts and the wide one rejects, found among candidates built from both schemas'
own constants and checked by the exact three-valued validator of accepts.py), None when neither:
the keyword units turn None into a warning that says so, never into "additive".

It knows the shape of a form (false, null, unions, a finite enum) and no keyword: each keyword unit
(keywords/) holds its part, `includes(rel, wide, narrow, wide_side, narrow_side, depth) -> bool`, asked in
the order of `INCLUSION`, and each applicator unit its parts by kind (`INCLUDES`), asked for the kinds the
wide side has, as python-jsonschema dispatches by the keywords present.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from .. import patterns
from .accepts import Acceptor
from .form import Node, Norm, canonical
from .keywords import (arrays, bounds, conditional, content, dependent, enums, formats, inplace, items, multiple_of,
                       negation, objects_extra, properties, strings, types)
from .keywords.inplace import member_covers_whole
from .keywords.parts import LISTED, NAMED, ONE, Atoms, Constants, Holds, Includes, own_patterns, trivial
from .normalise import Normaliser

# `trivial` (keywords/parts.py) is read by unions.py from here.
__all__ = ["APPLICATORS", "INCLUSION", "MAX_DEPTH", "MAX_STEPS", "Subsumption", "candidates", "constants_of", "outer",
           "trivial"]

MAX_DEPTH = 32
MAX_STEPS = 500_000  # validations per diff for witness search (each one memoised): the bound on its time and memory
# Each keyword unit's part of "does a accept everything b accepts", asked of every pair in this order (each
# part holds trivially when a lacks the unit's keywords); True only when sure.
INCLUSION: tuple[Includes, ...] = (enums.includes, types.includes, bounds.includes, strings.includes,
                                   multiple_of.includes, formats.includes, properties.includes, items.includes)
# The types a unit's keywords apply to, where the unit says (b's values of other types pass them).
_APPLIES: dict[Includes, frozenset[str]] = {
    unit.includes: frozenset(unit.APPLIES_TO) | ({"integer"} if "number" in unit.APPLIES_TO else set())
    for unit in (strings, multiple_of, formats, properties, items)}
# The parts of the applicators (Norm.applicators: `not`, `contains`, ...), asked for the kinds a has.
APPLICATORS: dict[str, Includes] = {**negation.INCLUDES, **arrays.INCLUDES, **objects_extra.INCLUDES,
                                    **dependent.INCLUDES, **conditional.INCLUDES, **content.INCLUDES}
# The units' constants, read from every mapping a witness search walks, in this order (the names first).
CONSTANTS: tuple[Constants, ...] = (properties.constants, dependent.constants, properties.required_constants,
                                    enums.constants, bounds.constants, multiple_of.constants, strings.constants,
                                    formats.constants)


# Where subschemas are: each unit says how its keywords hold them (the witness search walks them).
SUBSCHEMAS: dict[str, Holds] = {kw: holds for unit in (properties, objects_extra, dependent, items, arrays, inplace,
                                                       negation, conditional, content)
                                for kw, holds in unit.SUBSCHEMAS.items()}


class Subsumption:
    # The units' constants its witness searches read (overlap.py's too: it reads them from here, not by import).
    constants = CONSTANTS

    def __init__(self, sides: dict[str, Normaliser]) -> None:
        self.sides = sides  # "old"/"new" -> Normaliser
        self._memo: dict[tuple[str, str, str, str], bool] = {}
        self._relations: dict[tuple[str, str, str, str], tuple[bool | None, Any]] = {}
        self.acceptors = {side: Acceptor(normaliser) for side, normaliser in sides.items()}

    def spent(self) -> int:
        return sum(a.steps for a in self.acceptors.values())

    def accepts(self, side: str, node: Node, value: Any) -> bool | None:
        return self.acceptors[side].accepts(node, value)

    def norm(self, side: str, node: Node) -> Norm:
        return self.sides[side].norm(node)

    def relate(self, wide: Norm, narrow: Norm, wide_side: str, narrow_side: str) -> tuple[bool | None, Any]:
        """(True, None): `wide` accepts all `narrow` does; (False, witness); (None, None): not known."""
        key = (wide.key, narrow.key, wide_side, narrow_side)
        hit = self._relations.get(key)
        if hit is not None:
            return hit
        if self.covers(wide, narrow, wide_side, narrow_side):
            result: tuple[bool | None, Any] = (True, None)
        else:
            result = (None, None)
            first = _pattern_witness(wide, narrow)
            for value in itertools.chain(first, candidates(self, (wide_side, wide.node), (narrow_side, narrow.node))):
                if self.spent() > MAX_STEPS:  # a document that changes thousands of keywords: undecided past this
                    break
                if self.accepts(narrow_side, narrow.node, value) is True \
                        and self.accepts(wide_side, wide.node, value) is False:
                    result = (False, value)
                    break
        self._relations[key] = result
        return result

    def covers(self, wide: Norm, narrow: Norm, wide_side: str, narrow_side: str, depth: int = 0) -> bool:
        key = (wide.key, narrow.key, wide_side, narrow_side)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        if depth > MAX_DEPTH:
            return False
        self._memo[key] = True  # co-inductive: a cycle that reaches itself is consistent
        result = self._covers(wide, narrow, wide_side, narrow_side, depth)
        self._memo[key] = result
        return result

    def _covers(self, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
        """The form's shape first (false, null, unions, a finite b: each decides the whole question),
        then each keyword unit's part, then each applicator's."""
        if b.false or trivial(a):
            return True
        if a.false:
            return False
        if b.nullable and not a.nullable and (
                not (a.types is None and a.union is None and a.enum is None)
                or self.accepts(sa, a.node, None) is not True):
            return False
        if a.union is not None:
            # a's own keywords beside its union bind every member: they must cover b too
            if not self.covers(outer(a), b, sa, sb, depth + 1):
                return False
            if any(self.covers(self.norm(sa, m), b, sa, sb, depth + 1) and member_covers_whole(self, a, m, b, sa, sb)
                   for m in a.union):
                return True
            if b.union is not None:
                return all(self.covers(a, self.norm(sb, m), sa, sb, depth + 1) for m in b.union)
            return False
        if b.union is not None:
            # b accepts no more than its own keywords beside the union allow, nor more than its members
            if self.covers(a, outer(b), sa, sb, depth + 1):
                return True
            return all(self.covers(a, self.norm(sb, m), sa, sb, depth + 1) for m in b.union)
        if b.enum is not None:  # finitely many values: each of them, against a whole
            return self._covers_values(a, b, sa, sb, depth)
        return self._covers_parts(a, b, sa, sb, depth)

    def _covers_values(self, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
        """b's finitely many values, each against a whole. A value neither validator decides (a format
        it cannot check) is still covered when a's own enum admits it and a's other keywords cover b's:
        b accepting it then means b's other keywords do, and so a's (an enum respelled as a const
        beside a format)."""
        a_values = None if a.enum is None else {canonical(v) for v in a.enum}
        undecided = False
        for v in b.enum or ():
            if self.accepts(sb, b.node, v) is False or self.accepts(sa, a.node, v) is True:
                continue
            if a_values is not None and canonical(v) not in a_values:
                return False
            undecided = True
        return not undecided or self._covers_parts(dataclasses.replace(a, enum=None), dataclasses.replace(b, enum=None),
                                                   sa, sb, depth)

    def _covers_parts(self, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
        """Each keyword unit's part, then each applicator's (a and b past their shape)."""
        for part in INCLUSION:
            applies = _APPLIES.get(part)
            if applies is not None and b.types is not None and not applies & set(b.types):
                continue  # a keyword for types b excludes constrains nothing b accepts
            if not part(self, a, b, sa, sb, depth):
                return False
        for kind, text in a.applicators.items():
            applicator = APPLICATORS.get(kind)
            if applicator is None:  # an applicator no unit judges: the same text, or unsure
                if b.applicators.get(kind) != text or len(a.parts) > 1:
                    return False
            elif not applicator(self, a, b, sa, sb, depth):
                return False
        return True


def outer(n: Norm) -> Norm:
    """A union-shaped form without its union: what its own keywords (beside oneOf/anyOf) accept."""
    node = Node(n.node.raw, n.node.ptr, n.node.key + "|outer", n.node.base)
    return dataclasses.replace(n, union=None, node=node)


def _pattern_witness(wide: Norm, narrow: Norm) -> list[str]:
    """A shortest string the narrow side's patterns (and length bounds) match and the wide side's
    patterns do not (a candidate)."""
    pw = own_patterns(wide)
    if not pw:
        return []
    pn = own_patterns(narrow)
    lo, hi = narrow.bounds.get("min-length", 0), narrow.bounds.get("max-length")
    if (lo or hi is not None) and (hi is None or hi < 1000):
        pn = pn + ["^[\\s\\S]{%d,%s}$" % (lo, "" if hi is None else hi)]
    verdict = patterns.contains(pw, pn)
    return [verdict.counterexample] if verdict.counterexample is not None else []


# -- witness candidates -----------------------------------------------------------------------------
MAX_CANDIDATES = 900
MAX_MIXED = 6  # values mixed in arrays of one odd value among copies of another
MAX_REPEATED = 16  # values repeated into arrays of each length the schemas name
MAX_WALK = 400  # schema mappings read per candidate pool
MAX_MEMBERS, MAX_MEMBER_DEPTH = 8, 2  # union members whose accepted objects are candidates
MAX_HOT_NAMES, MAX_HOT_VALUES = 4, 40  # names a constraint mentions, each tried with this many values
MAX_NEST, MAX_BUILT, MAX_FITTING = 1, 12, 3  # objects built inside objects: levels, tried; values kept of each kind
# one of each type first
_BASIC: list[Any] = [None, True, 0, "a", {}, [], 0.5, "", False, 1, -1, 2, 3, -0.5, 100, "x", "ab", "null"]
Root = tuple[str, Node]  # (side, schema) a candidate pool is built from


def _walk(rel: Subsumption, roots: Iterable[Root], atoms: Atoms, seen: set[tuple[str, str]]) -> None:
    """Each unit's constants of every mapping below the roots, once per (side, schema): the two sides
    name their schemas by the same pointers."""
    stack = list(roots)
    while stack and len(seen) < MAX_WALK:
        side, node = stack.pop()
        try:
            node = rel.sides[side].deref(node)
        except Exception:  # a dangling ref: the validator says None there anyway
            continue
        if (side, node.key) in seen or not isinstance(node.raw, dict):
            continue
        seen.add((side, node.key))
        raw = node.raw
        for constants in CONSTANTS:
            constants(raw, atoms)
        for kw, value in raw.items():
            holds = SUBSCHEMAS.get(kw)
            if holds is None:
                continue
            if isinstance(value, dict) and NAMED <= holds:
                stack.extend((side, node.child(kw, k)) for k, v in value.items() if isinstance(v, (dict, bool)))
            elif isinstance(value, list) and LISTED <= holds:
                stack.extend((side, node.child(kw, i)) for i in range(len(value)))
            elif isinstance(value, dict) and ONE <= holds:
                stack.append((side, node.child(kw)))


def constants_of(rel: Subsumption, *roots: Root) -> Atoms:
    """The units' constants of the schemas and every subschema they hold (up to MAX_WALK mappings), each
    root's taken in turn, so that both sides' come early."""
    atoms = Atoms()
    seen: set[tuple[str, str]] = set()
    own: list[list[str]] = []
    for root in roots:
        before = set(atoms.scalars)
        _walk(rel, [root], atoms, seen)
        own.append([k for k in atoms.scalars if k not in before])
    turns = itertools.zip_longest(*own, fillvalue=None)
    atoms.scalars = {k: atoms.scalars[k] for turn in turns for k in turn if k is not None}
    return atoms


def candidates(rel: Subsumption, *roots: Root) -> Iterator[Any]:
    """Values built from the schemas' constants: scalars, objects naming their properties, arrays."""
    atoms = constants_of(rel, *roots)
    found = list(atoms.scalars.values())
    scalars = list({canonical(v): v for v in _BASIC[:6] + found[:6] + _BASIC + found}.values())
    names = list(dict.fromkeys([*atoms.hot, *atoms.names]))[:16]
    count = 0
    required = list(atoms.required)[:8]
    satisfied = (_satisfying(rel, side, node, scalars, names, len(atoms.hot)) for side, node in roots)
    for value in itertools.chain(scalars, *satisfied, _objects(names, scalars, required, len(atoms.hot)),
                                 _arrays(atoms.lengths, scalars)):
        yield value
        count += 1
        if count >= MAX_CANDIDATES:
            return


def _satisfying(rel: Subsumption, side: str, node: Node, scalars: list[Any], names: list[str], hot: int,
                depth: int = 0, nest: int = 0) -> Iterator[dict[str, Any]]:
    """Objects whose required properties (and the names their dependencies bring) each hold a value
    their own schema accepts, with one more name set to each small value (a name a constraint mentions:
    to more values), and with one declared property set to values its schema accepts (an object built the
    same way, one level down, where no small value fits or beside them): what an object schema (or a
    union's member) accepts, varied one name at a time."""
    try:
        norm = rel.norm(side, node)
    except Exception:  # an unreadable corner: other candidates remain
        return
    if norm.union is not None and depth < MAX_MEMBER_DEPTH:
        for member in norm.union[:MAX_MEMBERS]:
            yield from _satisfying(rel, side, member, scalars, names, hot, depth + 1, nest)
    base: dict[str, Any] = {}
    for name in _needed(norm)[:8]:
        child = norm.props.get(name)
        picks = list(itertools.islice(_fitting(rel, side, child, scalars, nest), 1))
        if not picks:  # (null may be the pick: a list, not None, says none was found)
            return
        base[name] = picks[0]
    if base:
        yield base
        for i, name in enumerate(names):
            for v in scalars[:MAX_HOT_VALUES] if i < min(hot, MAX_HOT_NAMES) else scalars[:8]:
                yield {**base, name: v}
    for name, child in list(norm.props.items())[:16]:
        if name not in base:
            for v in _fitting(rel, side, child, scalars, nest):
                yield {**base, name: v}
                if nest:  # an object built inside another: one value per property, so each property has its turn
                    break


def _fitting(rel: Subsumption, side: str, child: Node | None, scalars: list[Any], nest: int) -> Iterator[Any]:
    """Values a property's schema accepts (any, without one): a few small values, then a few objects built
    for it."""
    if child is None:
        yield from scalars[:1]
        return
    yield from itertools.islice((v for v in scalars if rel.accepts(side, child, v) is True), MAX_FITTING)
    if nest < MAX_NEST:
        built = _satisfying(rel, side, child, scalars, [], 0, 0, nest + 1)
        fits = (v for v in itertools.islice(built, MAX_BUILT) if rel.accepts(side, child, v) is True)
        yield from itertools.islice(fits, MAX_FITTING)


def _needed(norm: Norm) -> list[str]:
    """The names an object the form accepts must have: its required ones, and those they bring along
    by dependentRequired (draft-07 dependencies)."""
    deps: dict[str, list[Any]] = {}
    for part in norm.parts:
        if isinstance(part.raw, dict):
            for name, more in dependent.required_deps(part.raw).items():
                deps.setdefault(name, []).extend(more)
    needed = sorted(norm.required)
    for name in needed:  # grows while it is read: each name's dependencies once
        needed.extend(m for m in deps.get(name, ()) if isinstance(m, str) and m not in needed)
    return needed


def _objects(names: list[str], scalars: list[Any], required: list[str], hot: int = 0) -> Iterator[dict[str, Any]]:
    small = scalars[:10]
    for i, name in enumerate(names):  # a name a constraint mentions (a pattern's, a dependency's): more values
        for v in scalars[:MAX_HOT_VALUES] if i < min(hot, MAX_HOT_NAMES) else small:
            yield {name: v}
    if required:  # what a schema with required names accepts, with one name set to each value
        keys = [v for v in scalars if isinstance(v, str)][:8]  # and one more name (propertyNames, patterns)
        fillers: tuple[Any, ...] = (None, "a", 0, {}, True)
        for filler in fillers:
            base = {r: filler for r in required}
            for name in names:
                for v in small[:8]:
                    yield {**base, name: v}
            for key in keys:
                yield {**base, key: filler}
    for key in [v for v in scalars if isinstance(v, str)][:15]:
        yield {key: "a"}
        yield {key: 1}
    for v in small:
        yield {n: v for n in names}
    for a, b in itertools.combinations(names, 2):
        yield {a: "a", b: "a"}
    for n in range(len(names)):
        yield {m: "a" for i, m in enumerate(names) if i != n}
    yield {"zz_other": "a"}


def _arrays(lengths: set[int], scalars: list[Any]) -> Iterator[list[Any]]:
    for v in scalars[:24]:
        yield [v]
    for a, b in itertools.permutations(scalars[:8], 2):
        yield [a, b]
    for n in sorted(lengths):
        for v in scalars[:MAX_REPEATED]:  # n copies of one value: what minContains, maxItems and uniqueItems
            yield [v] * n               # count (two strings a contains' pattern rejects, where it asks two)
        yield list(range(n))
    for n in sorted(lengths):  # one value among n - 1 copies of another: what a contains with maxContains counts
        if n > 2:
            for a, b in itertools.permutations(scalars[:MAX_MIXED], 2):
                yield [a] + [b] * (n - 1)
