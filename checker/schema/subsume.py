"""Does one schema accept every value another accepts?

`covers` is a conservative answer (False when unsure), used to judge a union as a whole: a request
union member that covers an old value makes the narrowing of another member harmless, and so on.
`relate` is three-valued: True when `covers` proves it, False when a witness shows it (a value the
narrow schema accepts and the wide one rejects, found among candidates built from both schemas'
own constants and checked by the exact three-valued validator of accepts.py), None when neither:
the keyword units turn None into a warning that says so, never into "additive".
"""

from __future__ import annotations

import dataclasses
import itertools
import weakref
from typing import Any, Callable, Iterator

from .. import patterns
from .accepts import Acceptor
from .keywords import formats
from .normalise import Node, Norm, canonical, stricter

MAX_DEPTH = 32
MAX_ALONE = 256  # oneOf members checked for disjointness when one covers: past it, not proven
MAX_STEPS = 500_000  # validations per diff for witness search (each one memoised): the bound on its time and memory
# Applicator kind -> what it contributes to "does a accept everything b accepts" (prover(rel, a, b,
# wide_side, narrow_side, depth) -> bool, True only when sure). Each keyword unit registers its own.
PROVERS: dict[str, Callable[..., bool]] = {}


class Subsumption:
    def __init__(self, sides: dict) -> None:
        self.sides = sides  # "old"/"new" -> Normaliser
        self._memo: dict[tuple[str, str, str, str], bool] = {}
        self._relations: dict[tuple[str, str, str, str], tuple[bool | None, Any]] = {}
        self.acceptors = {side: Acceptor(normaliser) for side, normaliser in sides.items()}

    def spent(self) -> int:
        return sum(a.steps for a in self.acceptors.values())

    def accepts(self, side: str, node: Node, value: Any) -> bool | None:
        return self.acceptors[side].accepts(node, value)

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

    def _norm(self, side: str, node) -> Norm:
        return self.sides[side].norm(node)

    def _covers(self, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
        if b.false:
            return True
        if a.false:
            return False
        if b.nullable and not a.nullable and (
                not (a.types is None and a.union is None and a.enum is None) or self.accepts(sa, a.node, None) is not True):
            return False
        if a.union is not None:
            # a's own keywords beside its union bind every member: they must cover b too
            if not self.covers(outer(a), b, sa, sb, depth + 1):
                return False
            if any(self.covers(self._norm(sa, m), b, sa, sb, depth + 1) and self._alone(a, m, b, sa, sb)
                   for m in a.union):
                return True
            if b.union is not None:
                return all(self.covers(a, self._norm(sb, m), sa, sb, depth + 1) for m in b.union)
            return False
        if b.union is not None:
            # b accepts no more than its own keywords beside the union allow, nor more than its members
            if self.covers(a, outer(b), sa, sb, depth + 1):
                return True
            return all(self.covers(a, self._norm(sb, m), sa, sb, depth + 1) for m in b.union)
        if b.enum is not None:
            return all(self.accepts(sb, b.node, v) is False or self.accepts(sa, a.node, v) is True
                       for v in b.enum)
        if a.enum is not None:
            return False
        if a.types is not None:
            if b.types is None:
                return False
            if not all(t in a.types or (t == "integer" and "number" in a.types) for t in b.types):
                return False
        for name, bound in a.bounds.items():
            other = b.bounds.get(name)
            if other is None or not (other == bound or stricter(name, other, bound)):
                return False
        wide_patterns = own_patterns(a)
        if wide_patterns and patterns.contains(wide_patterns, own_patterns(b)).holds is not True:
            return False
        if a.multiple_of is not None and not _divides(a.multiple_of, b.multiple_of):
            return False
        if a.unique_items and not b.unique_items:
            return False
        if not _same_unevaluated(a, b):
            return False
        for kind, text in a.applicators.items():
            prover = PROVERS.get(kind)
            if prover is not None:
                if not prover(self, a, b, sa, sb, depth + 1):
                    return False
            elif b.applicators.get(kind) != text or len(a.parts) > 1:
                return False
        if not formats.covers(a.formats, b.formats, b.types):
            return False
        if not a.required <= b.required:
            return False
        for name, child in a.props.items():
            if name in b.props:
                if not self.covers(self._norm(sa, child), self._norm(sb, b.props[name]), sa, sb, depth + 1):
                    return False
            elif b.additional is not False and not trivial(self._norm(sa, child)):
                return False
        if a.additional is False:
            if b.additional is not False or not set(b.props) <= set(a.props) \
                    or not set(pattern_properties(b)) <= set(pattern_properties(a)):
                return False
        elif isinstance(a.additional, Node) and not self._covers_additional(a, b, sa, sb, depth):
            return False
        if (a.items is not None or a.prefix) and not self._covers_positions(a, b, sa, sb, depth):
            return False
        return True

    def _alone(self, a: Norm, m: Node, b: Norm, sa: str, sb: str) -> bool:
        """A member m of a's union that covers b covers it for the whole unless a is a oneOf whose
        other members may match a value of b too (then the oneOf rejects that value)."""
        if a.union_kind != "oneOf" or a.union is None:
            return True
        return len(a.union) <= MAX_ALONE and all(x is m or disjoint(self, self._norm(sa, x), b, sa, sb)
                                                 for x in a.union)

    def _covers_additional(self, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
        """a's additionalProperties schema covers every value b allows under a name a does not declare."""
        wide = self._norm(sa, a.additional)
        if trivial(wide):
            return True
        if not set(pattern_properties(b)) <= set(pattern_properties(a)):
            return False  # names b's own patterns admit would fall under a's additionalProperties
        for name, child in b.props.items():
            if name not in a.props and not self.covers(wide, self._norm(sb, child), sa, sb, depth + 1):
                return False
        rest = b.additional if b.additional is not None else _unevaluated_node(b, "unevaluatedProperties")
        if rest is False:
            return True
        return rest is not None and self.covers(wide, self._norm(sb, rest), sa, sb, depth + 1)

    def _covers_positions(self, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
        """Arrays, position by position: a's schema at each position (its prefixItems, then items)
        must cover b's there, and a's rest must cover b's rest."""
        for i in range(max(len(a.prefix), len(b.prefix))):
            wide, narrow = position(a, i), position(b, i)
            if wide is None:
                continue
            if narrow is None or not self.covers(self._norm(sa, wide), self._norm(sb, narrow), sa, sb, depth + 1):
                return False
        if a.items is None:
            return True
        rest = b.items if b.items is not None else _unevaluated_node(b, "unevaluatedItems")
        return rest is not None and self.covers(self._norm(sa, a.items), self._norm(sb, rest), sa, sb, depth + 1)


def trivial(n: Norm) -> bool:
    """Admits every value (as far as the canonical form tells: any keyword that restricts says no)."""
    return (n.types is None and n.enum is None and n.union is None and not n.bounds and not n.props
            and n.pattern is None and not n.applicators and not n.false and n.multiple_of is None
            and not n.required and n.additional is None and n.items is None and not n.prefix
            and not n.unique_items and not n.unevaluated_closed and not n.formats & formats.VALIDATING_FORMATS
            and not any(isinstance(p.raw, dict) and ("unevaluatedProperties" in p.raw or "unevaluatedItems" in p.raw)
                        for p in n.parts))




def _same_unevaluated(a: Norm, b: Norm) -> bool:
    """unevaluated* in a: b has the same value over the same evaluated names (a conservative stand-in
    for the annotation semantics)."""
    for kw in ("unevaluatedProperties", "unevaluatedItems"):
        mine = [canonical(p.raw[kw]) for p in a.parts if isinstance(p.raw, dict) and kw in p.raw]
        if not mine:
            continue
        theirs = {canonical(p.raw[kw]) for p in b.parts if isinstance(p.raw, dict) and kw in p.raw}
        if not set(mine) <= theirs or set(a.props) != set(b.props) or len(a.prefix) != len(b.prefix):
            return False
    return True


def outer(n: Norm) -> Norm:
    """A union-shaped form without its union: what its own keywords (beside oneOf/anyOf) accept."""
    node = Node(n.node.raw, n.node.ptr, n.node.key + "|outer", n.node.base)
    return dataclasses.replace(n, union=None, node=node)


def objects_only(n: Norm) -> bool:
    """Does the schema say `type: object` (not inferred from `properties`, which admit non-objects)?"""
    return not n.nullable and any(isinstance(p.raw, dict) and p.raw.get("type") in ("object", ["object"])
                                  for p in n.parts)


def disjoint(rel: "Subsumption", x: Norm, y: Norm, sx: str, sy: str, depth: int = 0) -> bool:
    """Surely no value is accepted by both (False when unsure): types that share nothing, enums with no
    common value, or (objects only on one side) a property either requires whose schemas are disjoint."""
    if x.false or y.false:
        return True
    if depth > 8 or (x.nullable and y.nullable) or x.union is not None or y.union is not None:
        return False
    for a, b, sa, sb in ((x, y, sx, sy), (y, x, sy, sx)):
        if a.enum is not None and not a.nullable and all(rel.accepts(sb, b.node, v) is False for v in a.enum):
            return True
        if _explicit_types(a) is not None and _explicit_types(b) is not None and not (
                _explicit_types(a) & _explicit_types(b)):
            return True
    if objects_only(x) or objects_only(y):  # a value of both is an object: each side's `required` binds it
        for name in x.required | y.required:
            if name in x.props and name in y.props and disjoint(
                    rel, rel._norm(sx, x.props[name]), rel._norm(sy, y.props[name]), sx, sy, depth + 1):
                return True
    return False


def _explicit_types(n: Norm) -> frozenset | None:
    """The types the schema's own `type` keywords allow (integer within number), null apart; None: any."""
    found = None
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


def values(n: Norm, keyword: str) -> list[Node]:
    """The nodes of `keyword` in every mapping the form conjoins (its own and its allOf members')."""
    return [p.child(keyword) for p in n.parts if isinstance(p.raw, dict) and keyword in p.raw]


def pattern_properties(n: Norm) -> dict:
    """Every patternProperties entry the form conjoins."""
    out: dict = {}
    for p in n.parts:
        if isinstance(p.raw, dict) and isinstance(p.raw.get("patternProperties"), dict):
            out.update(p.raw["patternProperties"])
    return out


def _unevaluated_node(n: Norm, kw: str):
    """The schema an unevaluated* keyword gives the rest (False when it closes it), else None."""
    for p in n.parts:
        if isinstance(p.raw, dict) and kw in p.raw:
            return False if p.raw[kw] is False else p.child(kw)
    return None


def position(n: Norm, i: int) -> Node | None:
    """The schema array position `i` must match (None: anything)."""
    return n.prefix[i] if i < len(n.prefix) else n.items


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


def _divides(wide: float, narrow: float | None) -> bool:
    """Every multiple of `narrow` is a multiple of `wide`."""
    if narrow is None:
        return False
    q = narrow / wide
    return abs(q - round(q)) < 1e-9 and round(q) != 0


def own_patterns(n: Norm) -> list[str]:
    """Every `pattern` the form conjoins (its own and its allOf members'; none where the value cannot be
    a string): the strings unit reads and merges them."""
    return sorted(n.patterns)  # `patterns`, not `pattern`: that one conjoins them with lookaheads


_RELATIONS: "weakref.WeakKeyDictionary[Any, Subsumption]" = weakref.WeakKeyDictionary()


def relations(walker) -> Subsumption:
    """The three-valued relation for one walk (old and new documents), made once per walker."""
    found = _RELATIONS.get(walker)
    if found is None:
        found = _RELATIONS[walker] = Subsumption({"old": walker.old, "new": walker.new})
    return found


# -- witness candidates -----------------------------------------------------------------------------
MAX_CANDIDATES = 900
MAX_WALK = 400  # schema mappings read per candidate pool
_BASIC = [None, True, 0, "a", {}, [], 0.5, "", False, 1, -1, 2, 3, -0.5, 100, "x", "ab", "null"]  # one of each type first


class _Atoms:
    """The constants of some schemas: names, strings, numbers, lengths: where two schemas part."""

    def __init__(self) -> None:
        self.hot: dict[str, None] = {}  # names a constraint mentions (required, dependencies, patterns): first
        self.names: dict[str, None] = {}
        self.required: dict[str, None] = {}
        self.scalars: dict[str, Any] = {}  # the schemas' own constants (basic values join them in candidates)
        self.lengths: set[int] = {0, 1, 2, 3}

    def scalar(self, v: Any) -> None:
        if not isinstance(v, (dict, list)) or len(canonical(v)) < 200:
            self.scalars.setdefault(canonical(v), v)

    def read(self, raw: dict) -> None:
        for kw in ("properties", "patternProperties", "dependentSchemas", "dependencies", "dependentRequired"):
            if isinstance(raw.get(kw), dict):
                into = self.names if kw == "properties" else self.hot
                for k, v in raw[kw].items():
                    into.setdefault(_literal(k) if kw == "patternProperties" else k)
                    if isinstance(v, list):
                        for x in v:
                            if isinstance(x, str):
                                self.hot.setdefault(x)
        if isinstance(raw.get("required"), list):
            for x in raw["required"]:
                if isinstance(x, str):
                    self.hot.setdefault(x)
                    self.required.setdefault(x)
        for v in ([raw["const"]] if "const" in raw else []) + (raw["enum"] if isinstance(raw.get("enum"), list) else []):
            self.scalar(v)
        for kw in ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf"):
            v = raw.get(kw)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                for x in (v, v - 1, v + 1, v - 0.5, v + 0.5, 2 * v, -v):
                    self.scalar(int(x) if float(x).is_integer() and abs(x) < 2**53 else x)
        for kw in ("maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties",
                   "minContains", "maxContains"):
            v = raw.get(kw)
            if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 64:
                self.lengths.update({max(v - 1, 0), v, v + 1})
        if isinstance(raw.get("pattern"), str):
            for sample in _pattern_samples(raw["pattern"]):
                self.scalar(sample)
        if raw.get("format") in formats.FORMAT_EXAMPLES:
            self.scalar(formats.FORMAT_EXAMPLES[raw["format"]])


def _literal(regex: str) -> str:
    """A name the pattern matches: its plain text when it is one, else a shortest match."""
    plain = regex.strip("^$")
    if plain.replace("_", "").replace("-", "").isalnum():
        return plain
    samples = _pattern_samples(regex)
    return samples[0] if samples else plain


def _pattern_samples(pattern: str) -> list[str]:
    """A shortest string the pattern matches, and one it does not."""
    out = []
    inside = patterns.contains(["[^\\s\\S]"], [pattern])  # nothing matches the wide side
    outside = patterns.contains([pattern], [])
    for verdict in (inside, outside):
        if verdict.counterexample is not None:
            out.append(verdict.counterexample)
    return out


def _walk(rel: Subsumption, roots, atoms: _Atoms) -> None:
    seen: set[str] = set()
    stack = list(roots)
    while stack and len(seen) < MAX_WALK:
        side, node = stack.pop()
        try:
            node = rel.sides[side].deref(node)
        except Exception:  # a dangling ref: the validator says None there anyway
            continue
        if node.key in seen or not isinstance(node.raw, dict):
            continue
        seen.add(node.key)
        raw = node.raw
        atoms.read(raw)
        for kw, value in raw.items():
            if kw in ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions", "dependencies"):
                if isinstance(value, dict) and kw not in ("$defs", "definitions"):
                    stack.extend((side, node.child(kw, k)) for k, v in value.items() if isinstance(v, (dict, bool)))
            elif kw in ("allOf", "anyOf", "oneOf", "prefixItems") or (kw == "items" and isinstance(value, list)):
                if isinstance(value, list):
                    stack.extend((side, node.child(kw, i)) for i in range(len(value)))
            elif isinstance(value, dict) and kw in _SUBSCHEMA:
                stack.append((side, node.child(kw)))


_SUBSCHEMA = frozenset({"not", "if", "then", "else", "contains", "items", "additionalItems", "additionalProperties",
                        "unevaluatedProperties", "unevaluatedItems", "propertyNames", "contentSchema"})


def candidates(rel: Subsumption, *roots) -> Iterator[Any]:
    """Values built from the schemas' constants: scalars, objects naming their properties, arrays."""
    atoms = _Atoms()
    _walk(rel, roots, atoms)
    found = list(atoms.scalars.values())
    scalars = list({canonical(v): v for v in _BASIC[:6] + found[:6] + _BASIC + found}.values())
    names = list(dict.fromkeys([*atoms.hot, *atoms.names]))[:16]
    count = 0
    required = list(atoms.required)[:8]
    satisfied = (_satisfying(rel, side, node, scalars, names) for side, node in roots)
    for value in itertools.chain(scalars, *satisfied, _objects(names, scalars, required),
                                 _arrays(atoms.lengths, scalars)):
        yield value
        count += 1
        if count >= MAX_CANDIDATES:
            return


def _satisfying(rel: Subsumption, side: str, node: Node, scalars: list, names: list[str]) -> Iterator[dict]:
    """Objects whose required properties each hold a value their own schema accepts, with one more
    name set to each small value: what an object schema accepts, varied one name at a time."""
    try:
        norm = rel._norm(side, node)
    except Exception:  # an unreadable corner: other candidates remain
        return
    base = {}
    for name in sorted(norm.required)[:8]:
        child = norm.props.get(name)
        pick = next((v for v in scalars if child is None or rel.accepts(side, child, v) is True), None)
        if pick is None:
            return
        base[name] = pick
    if not base:
        return
    yield base
    for name in names:
        for v in scalars[:8]:
            yield {**base, name: v}


def _objects(names: list[str], scalars: list, required: list[str]) -> Iterator[dict]:
    small = scalars[:10]
    for name in names:
        for v in small:
            yield {name: v}
    if required:  # what a schema with required names accepts, with one name set to each value
        keys = [v for v in scalars if isinstance(v, str)][:8]  # and one more name (propertyNames, patterns)
        for filler in (None, "a", 0, {}, True):
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


def _arrays(lengths: set[int], scalars: list) -> Iterator[list]:
    for v in scalars[:24]:
        yield [v]
    for a, b in itertools.permutations(scalars[:8], 2):
        yield [a, b]
    for n in sorted(lengths):
        yield ["a"] * n
        yield [1] * n
        yield list(range(n))
