"""Does a schema accept one value? True, False, or None when this cannot be told exactly here.

The differ proves a change breaking by a witness: a value one schema accepts and the other rejects.
A witness is only as good as the validation behind it, so this validator is three-valued: it says
True or False only where it models the keyword exactly (the whole 2020-12 validation vocabulary, with
OpenAPI 3.0's `nullable` and boolean exclusive bounds, draft-07's array `items`, `additionalItems` and
`dependencies`), and None where it does not (a string `format` it does not check, a pattern with a
backreference or lookaround, an `unevaluated*` keyword whose annotations come from a branch). It reads
the raw schema, following `$ref` (and a local `$dynamicRef`) through the document's normaliser: the same
resolution the differ uses, never the network.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

from .. import patterns
from ..jsontypes import json_type
from .keywords import formats
from .normalise import Node, Normaliser, canonical

MAX_DEPTH = 48


def both(results: Iterable) -> bool | None:
    """Three-valued AND."""
    unknown = False
    for r in results:
        if r is False:
            return False
        if r is None:
            unknown = True
    return None if unknown else True


def either(results: Iterable) -> bool | None:
    """Three-valued OR."""
    return negate(both(negate(r) for r in results))


def negate(r: bool | None) -> bool | None:
    return None if r is None else not r


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_type(value: Any, name: str) -> bool:
    t = json_type(value, integral_floats=True)
    return t == name or (name == "number" and t == "integer")


class Acceptor:
    """The three-valued validator of one document's schemas (memoised per node and value)."""

    def __init__(self, normaliser: Normaliser) -> None:
        self.normaliser = normaliser
        self._memo: dict[tuple[str, str], bool | None] = {}
        self.steps = 0  # validations run (each a memo entry): the caller bounds the work with it

    def accepts(self, node: Node, value: Any, depth: int = 0) -> bool | None:
        key = (node.key, repr(value))  # repr, not canonical JSON: cheaper; equal values in other key orders only miss
        if key in self._memo:
            return self._memo[key]
        if depth > MAX_DEPTH:
            return None
        self.steps += 1
        self._memo[key] = None  # a cycle that reaches itself tells nothing
        try:
            result = self._accepts(node, value, depth)
        except Exception:  # a malformed corner (a dangling ref, a bad pattern): no verdict, not a crash
            result = None
        self._memo[key] = result
        return result

    def _deref(self, node: Node) -> Node:
        return self.normaliser.deref(node)  # $ref and a local $dynamicRef, as the differ reads them

    def _accepts(self, node: Node, value: Any, depth: int) -> bool | None:
        node = self._deref(node)
        raw = node.raw
        if raw is True:
            return True
        if raw is False:
            return False
        if not isinstance(raw, dict):
            return None
        if value is None and raw.get("nullable") is True:
            return True  # OpenAPI 3.0: nullable adds null to whatever the rest accepts
        d = depth + 1
        sub = (lambda kw, *more: self.accepts(node.child(kw, *more), value, d))
        checks = [self._type(raw, value), self._enum(raw, value), self._scalar(raw, value)]
        if False in checks:
            return False
        if isinstance(value, dict):
            checks.append(self._object(node, raw, value, d))
        elif isinstance(value, list):
            checks.append(self._array(node, raw, value, d))
        if False in checks:
            return False
        for i in range(len(raw.get("allOf") or [])):
            checks.append(sub("allOf", i))
        if isinstance(raw.get("anyOf"), list):
            checks.append(either(sub("anyOf", i) for i in range(len(raw["anyOf"]))))
        if isinstance(raw.get("oneOf"), list):
            checks.append(self._one_of([sub("oneOf", i) for i in range(len(raw["oneOf"]))]))
        if "not" in raw:
            checks.append(negate(sub("not")))
        if "if" in raw:
            cond = sub("if")
            then = sub("then") if "then" in raw else True
            other = sub("else") if "else" in raw else True
            if cond is None:  # whichever branch applies, both holding is enough; otherwise unknown
                checks.append(True if both([then, other]) is True else None)
            else:
                checks.append(then if cond else other)
        return both(checks)

    @staticmethod
    def _one_of(results: list) -> bool | None:
        yes = sum(1 for r in results if r is True)
        unknown = sum(1 for r in results if r is None)
        if yes > 1:
            return False
        if unknown == 0:
            return yes == 1
        return None

    # -- assertions ---------------------------------------------------------------------------
    @staticmethod
    def _type(raw: dict, value: Any) -> bool | None:
        t = raw.get("type")
        if t is None:
            return True
        names = [t] if isinstance(t, str) else t if isinstance(t, list) else []
        names = ["string" if x == "file" else x for x in names]
        return any(_is_type(value, x) for x in names if isinstance(x, str))

    @staticmethod
    def _enum(raw: dict, value: Any) -> bool | None:
        text = canonical(value)
        if "const" in raw and canonical(raw["const"]) != text:
            return False
        if isinstance(raw.get("enum"), list) and text not in {canonical(v) for v in raw["enum"]}:
            return False
        return True

    @staticmethod
    def _scalar(raw: dict, value: Any) -> bool | None:
        if _number(value):
            return _numeric(raw, value)
        if isinstance(value, str):
            return _string(raw, value)
        return True

    def _object(self, node: Node, raw: dict, value: dict, d: int) -> bool | None:
        checks: list = []
        req = raw.get("required")
        if isinstance(req, list) and any(isinstance(r, str) and r not in value for r in req):
            return False
        n = len(value)
        if _number(raw.get("maxProperties")) and n > raw["maxProperties"]:
            return False
        if _number(raw.get("minProperties")) and n < raw["minProperties"]:
            return False
        props = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
        pattern_props = raw.get("patternProperties") if isinstance(raw.get("patternProperties"), dict) else {}
        for name, v in value.items():
            matched: bool | None = name in props
            if name in props:
                checks.append(self.accepts(node.child("properties", name), v, d))
            for regex in pattern_props:
                hit = patterns_search(regex, name)
                if hit is None:
                    matched = None if matched is False else matched
                    checks.append(None)
                elif hit:
                    matched = True
                    checks.append(self.accepts(node.child("patternProperties", regex), v, d))
            if "additionalProperties" in raw:
                if matched is None:
                    checks.append(None)
                elif not matched:
                    checks.append(self.accepts(node.child("additionalProperties"), v, d))
            if "propertyNames" in raw:
                checks.append(self.accepts(node.child("propertyNames"), name, d))
            if False in checks:
                return False
        deps = raw.get("dependentRequired") if isinstance(raw.get("dependentRequired"), dict) else {}
        schema_deps = dict(raw.get("dependentSchemas")) if isinstance(raw.get("dependentSchemas"), dict) else {}
        old_deps = raw.get("dependencies") if isinstance(raw.get("dependencies"), dict) else {}
        for key, need in list(deps.items()) + [(k, v) for k, v in old_deps.items() if isinstance(v, list)]:
            if key in value and any(isinstance(x, str) and x not in value for x in need):
                return False
        for key in schema_deps:
            if key in value:
                checks.append(self.accepts(node.child("dependentSchemas", key), value, d))
        for key, v in old_deps.items():
            if not isinstance(v, list) and key in value:
                checks.append(self.accepts(node.child("dependencies", key), value, d))
        if "unevaluatedProperties" in raw:
            checks.append(self._unevaluated(node, raw, value, d, "properties"))
        return both(checks)

    def _array(self, node: Node, raw: dict, value: list, d: int) -> bool | None:
        n = len(value)
        if _number(raw.get("maxItems")) and n > raw["maxItems"]:
            return False
        if _number(raw.get("minItems")) and n < raw["minItems"]:
            return False
        checks: list = []
        if raw.get("uniqueItems") is True and len({canonical(v) for v in value}) < n:
            return False
        items = raw.get("items")
        if isinstance(items, list):  # draft-07 tuple form
            prefix_kw, rest_kw = "items", "additionalItems"
            prefix_len = len(items)
        else:
            prefix_kw, rest_kw = "prefixItems", "items"
            prefix_len = len(raw["prefixItems"]) if isinstance(raw.get("prefixItems"), list) else 0
        for i, v in enumerate(value):
            if i < prefix_len:
                checks.append(self.accepts(node.child(prefix_kw, i), v, d))
            elif rest_kw in raw:
                checks.append(self.accepts(node.child(rest_kw), v, d))
            if False in checks:
                return False
        if "contains" in raw:
            hits = [self.accepts(node.child("contains"), v, d) for v in value]
            yes, unknown = hits.count(True), hits.count(None)
            lo = raw.get("minContains", 1) if _number(raw.get("minContains", 1)) else 1
            hi = raw.get("maxContains") if _number(raw.get("maxContains")) else None
            if yes + unknown < lo or (hi is not None and yes > hi):
                return False
            if unknown and not (yes >= lo and (hi is None or yes + unknown <= hi)):
                checks.append(None)
        if "unevaluatedItems" in raw:
            checks.append(self._unevaluated(node, raw, value, d, "items"))
        return both(checks)

    def _unevaluated(self, node: Node, raw: dict, value: Any, d: int, what: str) -> bool | None:
        """Exact when every annotation comes from the schema itself or what it applies unconditionally
        (allOf, $ref); a branch (anyOf, oneOf, if, dependentSchemas) that could evaluate more: None."""
        kw = "unevaluatedProperties" if what == "properties" else "unevaluatedItems"
        covered, branched = self._evaluated(node, what, 0)
        rest = [k for k in (value if what == "properties" else range(len(value))) if not covered(k)]
        if not rest:
            return True
        checks = [self.accepts(node.child(kw), value[k], d) for k in rest]
        if branched and False in checks:
            return None
        return both(checks)

    def _evaluated(self, node: Node, what: str, depth: int):
        """(is this name / index evaluated?, whether a branch may evaluate more)."""
        names: set = set()
        regexes: list = []
        everything = False
        prefix = 0
        branched = False
        stack = [(node, 0)]
        while stack:
            current, level = stack.pop()
            current = self._deref(current)
            raw = current.raw
            if not isinstance(raw, dict) or level > 16:
                continue
            if what == "properties":
                if isinstance(raw.get("properties"), dict):
                    names.update(raw["properties"])
                if isinstance(raw.get("patternProperties"), dict):
                    regexes.extend(raw["patternProperties"])
                everything = everything or "additionalProperties" in raw
                everything = everything or (level > 0 and "unevaluatedProperties" in raw)
            else:
                items = raw.get("items")
                if isinstance(items, list):
                    prefix = max(prefix, len(items))
                    everything = everything or "additionalItems" in raw
                else:
                    if isinstance(raw.get("prefixItems"), list):
                        prefix = max(prefix, len(raw["prefixItems"]))
                    everything = everything or "items" in raw
                everything = everything or (level > 0 and "unevaluatedItems" in raw)
                branched = branched or "contains" in raw
            for i in range(len(raw.get("allOf") or [])):
                stack.append((current.child("allOf", i), level + 1))
            if any(k in raw for k in ("anyOf", "oneOf", "if", "dependentSchemas", "dependencies", "not")):
                branched = True

        def covered(key) -> bool:
            if everything:
                return True
            if what == "properties":
                return key in names or any(patterns_search(r, key) is True for r in regexes)
            return key < prefix

        return covered, branched


def _numeric(raw: dict, value: float) -> bool | None:
    for kw, upper in (("maximum", True), ("minimum", False)):
        bound = raw.get(kw)
        excl_kw = "exclusiveMaximum" if upper else "exclusiveMinimum"
        excl = raw.get(excl_kw)
        if _number(bound):
            if (value > bound if upper else value < bound) or (excl is True and value == bound):
                return False
        if _number(excl) and (value >= excl if upper else value <= excl):
            return False
    mo = raw.get("multipleOf")
    if _number(mo) and mo > 0:
        q = value / mo
        if not (math.isfinite(q) and abs(q - round(q)) < 1e-9):
            return False
    fmt = raw.get("format")
    return not isinstance(fmt, str) or formats.accepts_number(frozenset({fmt}), value)


def _string(raw: dict, value: str) -> bool | None:
    n = len(value)
    if _number(raw.get("maxLength")) and n > raw["maxLength"]:
        return False
    if _number(raw.get("minLength")) and n < raw["minLength"]:
        return False
    result: bool | None = True
    if isinstance(raw.get("pattern"), str):
        hit = patterns_search(raw["pattern"], value)
        if hit is False:
            return False
        if hit is None:
            result = None
    fmt = raw.get("format")
    if isinstance(fmt, str) and formats.accepts_string(frozenset({fmt}), value) is None:
        result = None  # not checked here: only its plain example is known to conform
    return result


def patterns_search(pattern: str, value: str) -> bool | None:
    return patterns.matches(pattern, value)
