"""Witnesses for a oneOf overlap: a value that two members of a new oneOf both match, that the old
schema accepted and the new one rejects (a oneOf allows exactly one match).

Where overlap.py cannot prove an overlap from the canonical forms, a bounded search over candidate
values decides it: the candidates are built from the two members' and the old schema's own constants
(subsume.candidates), and objects each member accepts are merged (two open objects that each insist
on their own property share the object that has both). Every candidate is checked by the exact
three-valued validator (accepts.py) against the two members and the two whole schemas: only a True
from the old schema and the members and a False from the new schema make a witness, so a witness
found is a proof, and none found leaves the overlap undecided. The work is bounded three ways:
candidates per pair, merged objects per pair, and validation steps (the diff's shared MAX_STEPS,
and a share of it per pair).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .form import Norm
from .keywords import arrays, multiple_of
from .keywords.parts import Atoms
from .normalise import Node, canonical
from .subsume import CONSTANTS, MAX_STEPS, Subsumption, candidates, constants_of

MAX_CANDIDATES = 400  # candidate values tried per member pair
MAX_MERGED = 4  # objects each member accepts, kept to merge with the other's
MAX_PAIR_STEPS = 20_000  # validation steps one pair's search may spend


@dataclass(frozen=True)
class Witness:
    """A value the old schema accepts and the new one rejects, matched by both members."""

    value: Any


def overlap_witness(rel: Subsumption, old_whole: Node, new_whole: Node, p: Node, q: Node) -> Witness | None:
    """A value that new members `p` and `q` both accept, the old schema (`old_whole`) accepts and the
    new schema (`new_whole`) rejects, if a bounded search finds one."""
    start = rel.spent()

    def over() -> bool:
        spent = rel.spent()
        return spent > MAX_STEPS or spent - start > MAX_PAIR_STEPS

    def member(node: Node, value: Any) -> bool:
        return rel.accepts("new", node, value) is True

    def proves(value: Any) -> bool:
        return (member(p, value) and member(q, value) and rel.accepts("old", old_whole, value) is True
                and rel.accepts("new", new_whole, value) is False)

    objects: dict[str, list[dict[str, Any]]] = {"p": [], "q": []}
    roots = (("new", p), ("new", q), ("old", old_whole))
    pool = itertools.chain(itertools.islice(candidates(rel, *roots), MAX_CANDIDATES),
                           multiple_of.multiples(constants_of(rel, *roots)))
    for value in pool:
        if over():
            return None
        in_p, in_q = member(p, value), member(q, value)
        if in_p and in_q:
            if proves(value):
                return Witness(value)
            continue
        if isinstance(value, dict) and value:
            for name, accepted in (("p", in_p), ("q", in_q)):
                if accepted and len(objects[name]) < MAX_MERGED:
                    objects[name].append(value)
    # Values built from each schema's own keywords (what each accepts), alone and merged: an object
    # the old schema accepts with what each member needs, an object each member accepts together.
    made_new, made_old = Examples(rel, "new", over), Examples(rel, "old", over)
    ps, qs, olds = made_new.of(p), made_new.of(q), made_old.of(old_whole)
    ps_objects = [v for v in ps if isinstance(v, dict)] + objects["p"]
    qs_objects = [v for v in qs if isinstance(v, dict)] + objects["q"]
    olds_objects = [v for v in olds if isinstance(v, dict)] + [{}]
    merged = ({**c, **a, **b} for c in olds_objects[:MAX_MERGED]
              for a, b in itertools.product(ps_objects[:2 * MAX_MERGED], qs_objects[:2 * MAX_MERGED]))
    seen: set[str] = set()
    for value in itertools.chain(ps, qs, olds, merged):
        key = canonical(value)
        if key in seen:
            continue
        seen.add(key)
        if over():
            return None
        if proves(value):
            return Witness(value)
    return None


MAX_EXAMPLES = 4  # values kept per schema
MAX_EXAMPLE_DEPTH = 4
MAX_TRIED = 32  # values tried per schema
MAX_NAMES = 8  # properties filled per object
_PLAIN = [0, "a", True, {}, [], None, 1, False]


class Examples:
    """Values one schema accepts, built from its canonical form (required properties filled with values
    their schemas accept, an optional one more, items, a union's members) and its keywords' constants as
    the units give them (enum values, pattern samples, bounds, steps), kept only where the exact validator
    says True. Memoised per node; cycles give nothing."""

    def __init__(self, rel: Subsumption, side: str, over: Callable[[], bool]) -> None:
        self.rel, self.side, self.over = rel, side, over
        self._memo: dict[str, list[Any]] = {}

    def of(self, node: Node, depth: int = 0) -> list[Any]:
        hit = self._memo.get(node.key)
        if hit is not None:
            return hit
        self._memo[node.key] = []  # a cycle reaching itself finds nothing
        out: list[Any] = []
        seen: set[str] = set()
        if depth <= MAX_EXAMPLE_DEPTH:
            for value in itertools.islice(self._made(node, depth), MAX_TRIED):
                key = canonical(value)
                if key in seen or self.over():
                    continue
                seen.add(key)
                if self.rel.accepts(self.side, node, value) is True:
                    out.append(value)
                    if len(out) >= MAX_EXAMPLES:
                        break
        self._memo[node.key] = out
        return out

    def _made(self, node: Node, depth: int) -> Iterator[Any]:
        try:
            node = self.rel.sides[self.side].deref(node)
            n = self.rel.norm(self.side, node)
        except Exception:  # a dangling ref: nothing to build from
            return
        if not isinstance(node.raw, dict):
            yield from _PLAIN
            return
        atoms = Atoms()
        for part in n.parts:
            if isinstance(part.raw, dict):
                for constants in CONSTANTS:
                    constants(part.raw, atoms)
        found = list(atoms.scalars.values())
        yield from found[:MAX_EXAMPLES]  # an enum's first values
        yield from self._object(n, depth)
        yield from self._array(n, depth)
        yield from found[MAX_EXAMPLES:MAX_TRIED]
        yield from multiple_of.multiples(atoms)[:MAX_TRIED // 2]
        for member in (n.union or [])[:MAX_NAMES]:
            yield from self.of(member, depth + 1)
        yield from _PLAIN

    def _object(self, n: Norm, depth: int) -> Iterator[dict[str, Any]]:
        if not n.props and not n.required:
            return

        def values(name: str) -> list[Any]:
            return self.of(n.props[name], depth + 1) if name in n.props else [0]

        base: dict[str, Any] = {}
        for name in sorted(n.required)[:MAX_NAMES]:
            found = values(name)
            base[name] = found[0] if found else 0
        yield base
        for name in [m for m in n.props if m not in base][:MAX_NAMES]:
            for value in values(name)[:2]:
                yield {**base, name: value}

    def _array(self, n: Norm, depth: int) -> Iterator[list[Any]]:
        inner = n.items if n.items is not None else next(iter(arrays.contained(n)), None)
        least = n.bounds.get("min-items", 0)
        if inner is None and not least:
            return
        found = self.of(inner, depth + 1) if inner is not None else [0]
        count = max(1, min(least, MAX_NAMES))
        for value in found[:2]:
            yield [value] * count
        if len(found) >= count:
            yield found[:count]
