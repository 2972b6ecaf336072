"""Does a schema accept one value? True, False, or None when this cannot be told exactly here.

The differ proves a change breaking by a witness: a value one schema accepts and the other rejects.
A witness is only as good as the validation behind it, so this validator is three-valued: it says
True or False only where it models the keyword exactly (the whole 2020-12 validation vocabulary, with
OpenAPI 3.0's `nullable` and boolean exclusive bounds, draft-07's array `items`, `additionalItems` and
`dependencies`), and None where it does not (a string `format` it does not check, a pattern with a
backreference or lookaround, an `unevaluated*` keyword whose annotations come from a branch). It reads
the raw schema, following `$ref` (and a local `$dynamicRef`) through the document's normaliser: the same
resolution the differ uses, never the network.

It knows no keyword itself: each keyword unit (keywords/) holds its part of acceptance under `ACCEPTS`
(keyword -> part, one signature: `(acceptor, node, value, depth) -> True | False | None`), and a schema
is validated by the parts of the keywords it has, as python-jsonschema's validators dispatch.
"""

from __future__ import annotations

from typing import Any

from .form import Node
from .keywords import (arrays, bounds, conditional, dependent, enums, formats, inplace, items, multiple_of, negation,
                       objects_extra, properties, strings, types)
from .keywords.parts import Accepts
from .normalise import Normaliser

MAX_DEPTH = 48
# Validations one acceptor runs at most (each a memo entry): past this every answer is None. Subsumption
# stops its witness search at fewer (MAX_STEPS); this bounds one call on a hostile schema (an allOf tree
# whose every member is a new mapping) too.
MAX_VALIDATIONS = 1_000_000
# The units with a part of acceptance, in the order their parts are asked (the cheap assertions first,
# then what looks into members and subschemas); a value is rejected at the first part that rejects it.
UNITS = (types, enums, bounds, multiple_of, formats, strings, properties, objects_extra, dependent, items, arrays,
         inplace, negation, conditional)
_ORDER: dict[Accepts, int] = {}
_BY_KEYWORD: dict[str, list[Accepts]] = {}
for _unit in UNITS:
    for _kw, _part in _unit.ACCEPTS.items():
        _ORDER.setdefault(_part, len(_ORDER))
        _BY_KEYWORD.setdefault(_kw, []).append(_part)


def plan(raw: dict[str, Any]) -> tuple[Accepts, ...]:
    """The parts that validate a mapping: those of the keywords it has, each once, in the units' order."""
    found = {part for kw in raw if kw in _BY_KEYWORD for part in _BY_KEYWORD[kw]}
    return tuple(sorted(found, key=_ORDER.__getitem__))


class Acceptor:
    """The three-valued validator of one document's schemas (memoised per node and value)."""

    def __init__(self, normaliser: Normaliser) -> None:
        self.normaliser = normaliser
        self._memo: dict[tuple[str, str], bool | None] = {}
        self._plans: dict[str, tuple[Accepts, ...]] = {}
        self.steps = 0  # validations run (each a memo entry): the caller bounds the work with it

    def accepts(self, node: Node, value: Any, depth: int = 0) -> bool | None:
        key = (node.key, repr(value))  # repr, not canonical JSON: cheaper; equal values in other key orders only miss
        if key in self._memo:
            return self._memo[key]
        if depth > MAX_DEPTH or self.steps >= MAX_VALIDATIONS:
            return None
        self.steps += 1
        self._memo[key] = None  # a cycle that reaches itself tells nothing
        try:
            result = self._accepts(node, value, depth)
        except Exception:  # a malformed corner (a dangling ref, a bad pattern): no verdict, not a crash
            result = None
        self._memo[key] = result
        return result

    def deref(self, node: Node) -> Node:
        return self.normaliser.deref(node)  # $ref and a local $dynamicRef, as the differ reads them

    def _accepts(self, node: Node, value: Any, depth: int) -> bool | None:
        node = self.deref(node)
        raw = node.raw
        if raw is True:
            return True
        if raw is False:
            return False
        if not isinstance(raw, dict):
            return None
        if types.nullable_admits(raw, value):
            return True  # OpenAPI 3.0: nullable adds null to whatever the rest accepts
        parts = self._plans.get(node.key)
        if parts is None:
            parts = self._plans[node.key] = plan(raw)
        unknown = False
        for part in parts:
            result = part(self, node, value, depth + 1)
            if result is False:
                return False
            if result is None:
                unknown = True
        return None if unknown else True
