"""Edge instances from the difference between two schemas: where a witness of the change must sit.

instances.Generator draws candidates from one schema, and its caps (a few values per nested node)
lose the one value that tells two versions apart: a string of the old maximum length two levels
down, the enum value the new schema dropped, an object with one property more. This module reads
both (translated) schemas together:

1. `sites`: every subschema of a schema, filed under the instance place it judges (a path of steps:
   a declared property, a property no keyword names, a property matching a `patternProperties`
   pattern, a `prefixItems` position, an item past them). In-place keywords (allOf/anyOf/oneOf,
   not, if/then/else, dependentSchemas, $ref) file their members under the same place.
2. The places whose local keywords differ between the two schemas (or that only one has) come
   first. At each, every keyword either schema carries there yields its edge values (`edits`),
   those of the keywords that differ first: values at and just past each bound of both sides
   (numbers, with the multiples next to them; lengths; item, property and contains counts), the
   enum and const values of both sides and their neighbours, a string of each format and one of
   none, pattern samples, a value of each JSON type, an array with a duplicate, an object with one
   property more (a name neither side declares, one matching each pattern, names at the edges of
   `propertyNames`), without each required property, with each dependentRequired trigger alone.
3. Each edge value is put at its place inside a few instances that one of the schemas accepts
   (the smallest, and one that already reaches the place), with the containers on the way created
   from values seen there.

Everything is bounded: the places walked, the path length, the values per place, the candidates
per pair. The judge (python-jsonschema) decides what each candidate shows; nothing here has to be
exact, only to reach.
"""

from __future__ import annotations

import collections
import copy
import json
import math
import random
import re
from collections.abc import Callable
from typing import Any

import jsonschema

from . import instances, regexgen
from .dialect import resolve
from .instances import _fit, _make_distinct as _distinct, _num

MAX_SITES = 400          # subschemas filed per schema
MAX_PATH = 6             # steps from the root
REF_DEPTH = 3
MAX_EDGE_LENGTH = 1 << 20  # longest string built for a length bound: longer bounds stay unreached (time, memory)
LONG = 1 << 12           # past this length, one string per length (no variants)
MAX_COUNT = 60           # most items or properties built for a count bound
PER_SITE = 24            # edits per place
TYPE_SAMPLES: list[Any] = [None, True, 0, 1.5, "x", [], {}]
TYPE_DEFAULT: dict[str, Any] = {"null": None, "boolean": True, "integer": 1, "number": 1, "string": "x", "array": []}
FORMAT_GOOD: dict[str, list[Any]] = {
    "date": ["2024-02-29"], "date-time": ["2024-02-29T12:30:00Z"], "time": ["12:30:00Z"],
    "email": ["a@example.com"], "uuid": ["123e4567-e89b-12d3-a456-426614174000"],
    "uri": ["https://example.com/x"], "uri-reference": ["/relative/path"], "hostname": ["example.com"],
    "ipv4": ["192.168.0.1"], "ipv6": ["::1"], "byte": ["aGVsbG8="], "regex": ["^a+$"], "duration": ["P1D"],
    "int32": [2**31 - 1, 2**31, -(2**31) - 1], "int64": [2**63 - 1, 2**63, -(2**63) - 1],
    "float": [3.4e38, 3.5e38, -3.5e38], "double": [1e308],
}
NOT_A_FORMAT = ["x y", "2024-13-45", 1.5]  # a string of no format we check; a non-integer number
BOUND_KEYS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
LENGTH_KEYS = ("minLength", "maxLength")
ITEM_COUNT_KEYS = ("minItems", "maxItems")
PROPERTY_COUNT_KEYS = ("minProperties", "maxProperties")
CONTAINS_COUNT_KEYS = ("minContains", "maxContains")
# Keywords whose value holds subschemas: compared through the places they file, not locally.
SUB_KEYS = frozenset({"properties", "patternProperties", "additionalProperties", "unevaluatedProperties",
                      "items", "prefixItems", "contains", "unevaluatedItems", "additionalItems", "allOf", "anyOf",
                      "oneOf", "not", "if", "then", "else", "dependentSchemas", "$defs", "definitions", "$ref"})
ANNOTATIONS = frozenset({"description", "title", "default", "examples", "example", "$comment", "deprecated",
                         "readOnly", "writeOnly", "discriminator", "xml", "externalDocs"})
EXTRA_NAMES = ("zz", "zz_extra", "Z-9", "_")
MISSING = object()

Step = tuple[str, Any]
Path = tuple[Step, ...]
Edit = Callable[[Any], Any]


# -- 1. the places --------------------------------------------------------------------------------------

def sites(root: Any) -> dict[Path, list[Any]]:
    """Every subschema of `root` (a translated schema) under the instance place it judges, nearest
    the root first (breadth first, so that the bound on places cuts the deepest)."""
    out: dict[Path, list[Any]] = {}
    queue: collections.deque[tuple[Any, Path, int]] = collections.deque([(root, (), 0)])
    count = 0
    while queue and count < MAX_SITES:
        schema, path, refs = queue.popleft()
        if len(path) > MAX_PATH or not isinstance(schema, (dict, bool)):
            continue
        count += 1
        out.setdefault(path, []).append(schema)
        if not isinstance(schema, dict):
            continue
        if "$ref" in schema and refs < REF_DEPTH:
            target = resolve(root, schema["$ref"])
            if target is not None:
                queue.append((target, path, refs + 1))
        in_place = [m for kw in ("allOf", "anyOf", "oneOf") if isinstance(schema.get(kw), list) for m in schema[kw]]
        in_place += [schema[kw] for kw in ("not", "if", "then", "else") if kw in schema]
        if isinstance(schema.get("dependentSchemas"), dict):
            in_place += list(schema["dependentSchemas"].values())
        queue.extend((sub, path, refs) for sub in in_place)
        if isinstance(schema.get("properties"), dict):
            queue.extend((sub, path + (("p", name),), refs) for name, sub in schema["properties"].items())
        if isinstance(schema.get("patternProperties"), dict):
            queue.extend((sub, path + (("n", pat),), refs) for pat, sub in schema["patternProperties"].items())
        queue.extend((schema[kw], path + (("x", None),), refs)
                     for kw in ("additionalProperties", "unevaluatedProperties") if kw in schema)
        if isinstance(schema.get("prefixItems"), list):
            queue.extend((sub, path + (("i", i),), refs) for i, sub in enumerate(schema["prefixItems"]))
        queue.extend((schema[kw], path + (("i", None),), refs)
                     for kw in ("items", "contains", "unevaluatedItems") if kw in schema and not isinstance(schema[kw], list))
    return out


def _local(schema: Any) -> list[tuple[str, str]]:
    """The keywords of `schema` that judge the instance at its own place, as comparable pairs."""
    if not isinstance(schema, dict):
        return [("bool", json.dumps(schema))]
    out = []
    for k, v in schema.items():
        if k in ANNOTATIONS or k.startswith("x-"):
            continue
        if k in ("properties", "patternProperties"):
            out.append((k, json.dumps(sorted(v) if isinstance(v, dict) else v)))
        elif k in SUB_KEYS:
            out.append((k, "bool:" + json.dumps(v) if isinstance(v, bool) else "schema"))
        else:
            out.append((k, json.dumps(v, sort_keys=True, default=str)))
    return out


def differing(old_nodes: list, new_nodes: list) -> set[str]:
    """The keywords whose values at one place are not the same on the two sides."""
    old = {pair for s in old_nodes for pair in _local(s)}
    new = {pair for s in new_nodes for pair in _local(s)}
    return {k for k, _ in old ^ new}


# -- 2. the edge values of one place ---------------------------------------------------------------------

def edits(nodes: list, first: set[str], rnd: random.Random, shape: Shape, path: Path) -> list[Edit]:
    """Edits of the value at one place, from every keyword the `nodes` (both sides) carry there:
    those of the keywords in `first` (where the sides differ) lead. Each keyword gives groups (one
    a bound, a value, a pattern), each group its values nearest the edge first; taking the groups in
    turn keeps every bound's own values inside the cap."""
    by_kw: dict[str, list] = {}
    for s in nodes:
        if isinstance(s, dict):
            for k, v in s.items():
                by_kw.setdefault(k, []).append(v)
    lead: list[list[Edit]] = []
    rest: list[list[Edit]] = []
    for kw, values in by_kw.items():
        made = _keyword_edits(kw, values, by_kw, rnd, shape, path)
        (lead if kw in first else rest).extend(g for g in made if g)
    types = [[_fresh(v) for v in TYPE_SAMPLES]]
    if "type" in first or any(s is False or s is True for s in nodes) or not lead:
        lead += types
    else:
        rest += types
    rnd.shuffle(rest)
    return (_in_turn(lead) + _in_turn(rest))[:PER_SITE]


def _in_turn(groups: list[list]) -> list:
    out = []
    for i in range(max((len(g) for g in groups), default=0)):
        out += [g[i] for g in groups if i < len(g)]
    return out


def _fresh(value: Any) -> Edit:
    return lambda _old: copy.deepcopy(value)


def _numbers_near(b: float, mults: list[float]) -> list[Any]:
    out: list[Any] = [b, b + 1, b - 1, b + 0.5, b - 0.5]
    if isinstance(b, float) and b.is_integer():
        out += [int(b)]
    elif isinstance(b, int) and abs(b) < 2**53:
        out += [float(b)]
    for m in mults:
        k = math.floor(b / m) if math.isfinite(b / m) and abs(b / m) < 2**53 else None
        if k is not None:
            out += [(k - 1) * m, k * m, (k + 1) * m, (k + 2) * m]
    return out


def _keyword_edits(kw: str, values: list, by_kw: dict, rnd: random.Random, shape: Shape,
                   path: Path) -> list[list[Edit]]:
    nums = [v for v in values if _num(v)]
    mults = [m for m in by_kw.get("multipleOf", []) if _num(m) and m > 0][:3]
    counts = [[n for n in (int(b), int(b) + 1, int(b) - 1) if 0 <= n <= MAX_COUNT] for b in nums[:3]]
    if kw in BOUND_KEYS:
        return [[_fresh(x) for x in _numbers_near(b, mults)] for b in nums[:4]]
    if kw == "multipleOf":
        return [[_fresh(x) for x in (m, 2 * m, 3 * m, m / 2, 1.5 * m, -m)] for m in mults]
    if kw in ("enum", "const"):
        seen = [v for group in values for v in (group if kw == "enum" and isinstance(group, list) else [group])]
        return [[_fresh(v) for v in seen[:16]], [_fresh(x) for v in seen[:6] for x in _near(v)]]
    if kw == "format":
        good = [v for f in values if isinstance(f, str) for v in FORMAT_GOOD.get(f, [])]
        return [[_fresh(v) for v in NOT_A_FORMAT], [_fresh(v) for v in good]]
    if kw == "pattern":
        found = [s for p in values[:3] if isinstance(p, str) for s in regexgen.samples(p, rnd, 2)]
        return [[_fresh(s) for s in found], [_fresh(""), _fresh("!")]]
    if kw in LENGTH_KEYS:
        patterns = [p for p in by_kw.get("pattern", []) if isinstance(p, str)][:2]
        seeds = [s for p in patterns for s in regexgen.samples(p, rnd, 1)]
        groups = []
        for b in nums[:3]:
            lengths = [n for n in (int(b), int(b) + 1, int(b) - 1) if 0 <= n <= MAX_EDGE_LENGTH]
            short = [n for n in lengths if n <= LONG]
            groups.append([_fit_existing(n) for n in lengths] + [_fresh("a" * n) for n in short]
                          + [_fresh(_fit(s, n)) for n in short for s in seeds])
        return groups
    if kw in ITEM_COUNT_KEYS or kw in CONTAINS_COUNT_KEYS:
        items = shape.item_values(path)
        return [[_array_of(n, items, distinct=True) for n in ns] + [_array_of(n, items, distinct=False) for n in ns]
                + [_fresh([copy.deepcopy(v)] * n) for n in ns for v in items[:2]] for ns in counts]
    if kw == "uniqueItems":
        items = shape.item_values(path)
        return [[_duplicate()] + [_fresh([copy.deepcopy(v), copy.deepcopy(v)]) for v in items[:2]]]
    if kw in ("items", "prefixItems", "contains", "unevaluatedItems"):
        items = shape.item_values(path)
        return [[_fresh([]), _append(items[:1])] + [_fresh([copy.deepcopy(v)]) for v in items[:2]]]
    if kw == "required":
        names = list(dict.fromkeys(n for group in values if isinstance(group, list) for n in group
                                   if isinstance(n, str)))[:8]
        return [[_without(n) for n in names], [_with(n, shape.value_for(path, n)) for n in names]]
    if kw in ("additionalProperties", "unevaluatedProperties", "properties", "patternProperties"):
        name = shape.extra_name(path)
        return [[_with(name, v) for v in (1, "x", None, {})]]
    if kw == "propertyNames":
        names = [n for sub in values for n in _name_samples(sub, rnd)][:10]
        return [[_with(n, shape.value_for(path, n)) for n in names]]
    if kw in PROPERTY_COUNT_KEYS:
        return [[_properties_to(n, shape, path) for n in ns] for ns in counts]
    if kw in ("dependentRequired", "dependentSchemas"):
        groups = []
        for group in values:
            if isinstance(group, dict):
                for trigger, needed in list(group.items())[:4]:
                    drop = [n for n in needed if isinstance(n, str)] if isinstance(needed, list) else []
                    groups.append([_trigger(trigger, shape.value_for(path, trigger), drop),
                                   _with(trigger, shape.value_for(path, trigger))])
        return groups
    return []


def _name_samples(sub: Any, rnd: random.Random) -> list[str]:
    """Property names at the edges of a `propertyNames` schema (and names outside it)."""
    out: list[Any] = ["zz", "Z", "a" * 20]
    if isinstance(sub, dict):
        if isinstance(sub.get("pattern"), str):
            out += regexgen.samples(sub["pattern"], rnd, 2)
        for kw in LENGTH_KEYS:
            b = sub.get(kw)
            if _num(b):
                out += ["n" * n for n in (int(b) - 1, int(b), int(b) + 1) if 0 <= n <= 200]
        for v in sub.get("enum", []) if isinstance(sub.get("enum"), list) else []:
            out.append(v)
        if "const" in sub:
            out.append(sub["const"])
        fmt = sub.get("format")
        if isinstance(fmt, str):
            out += [v for v in FORMAT_GOOD.get(fmt, []) if isinstance(v, str)]
    return [n for n in out if isinstance(n, str)]


# -- edits ------------------------------------------------------------------------------------------------

def _fit_existing(n: int) -> Edit:
    return lambda old: _fit(old if isinstance(old, str) and old else "a", n)


def _array_of(n: int, items: list, distinct: bool) -> Edit:
    def edit(old: Any) -> Any:
        pool = (list(old) if isinstance(old, list) and old else []) + list(items) or [0]
        out = []
        i = 0
        while len(out) < n:
            v = copy.deepcopy(pool[i % len(pool)])
            out.append(_distinct(v, i) if distinct and i >= len(pool) else v)
            i += 1
        return out
    return edit


def _duplicate() -> Edit:
    return lambda old: (list(old) + [copy.deepcopy(old[0])]) if isinstance(old, list) and old else [0, 0]


def _append(items: list) -> Edit:
    return lambda old: (list(old) if isinstance(old, list) else []) + copy.deepcopy(items)


def _with(name: str, value: Any) -> Edit:
    return lambda old: {**(old if isinstance(old, dict) else {}), name: copy.deepcopy(value)}


def _without(name: str) -> Edit:
    return lambda old: {k: v for k, v in old.items() if k != name} if isinstance(old, dict) else old


def _trigger(name: str, value: Any, drop: list[str]) -> Edit:
    def edit(old: Any) -> Any:
        obj = {k: v for k, v in (old if isinstance(old, dict) else {}).items() if k not in drop}
        obj[name] = copy.deepcopy(value)
        return obj
    return edit


def _properties_to(n: int, shape: Shape, path: Path) -> Edit:
    def edit(old: Any) -> Any:
        obj = dict(old) if isinstance(old, dict) else {}
        if len(obj) > n:
            keep = [k for k in obj if k in shape.required(path)] + [k for k in obj if k not in shape.required(path)]
            return {k: obj[k] for k in keep[:n]}
        names = [nm for nm in shape.declared(path) if nm not in obj] + [f"p{i}" for i in range(n)]
        for name in names:
            if len(obj) >= n:
                break
            if name not in obj:
                obj[name] = copy.deepcopy(shape.value_for(path, name))
        return obj
    return edit


# -- 3. placing the edits ----------------------------------------------------------------------------------

class Shape:
    """What both schemas say about the places (declared names, patterns, prefix lengths), and the
    values seen there in instances one of them accepts."""

    def __init__(self, both: dict[Path, list], seen: list, rnd: random.Random,
                 roots: tuple[Any, ...] = ()) -> None:
        self.both = both
        self.rnd = rnd
        self.roots = roots  # the two schemas: a member's $refs resolve in its own
        self._holders: dict[tuple[Path, str], Any] = {}
        self.children: dict[Path, set[Step]] = {}
        for path in both:
            if path:
                self.children.setdefault(path[:-1], set()).add(path[-1])
        self.templates: dict[Path, list] = {}
        self._names: dict[str, str | None] = {}
        for x in seen:
            self._record(x, (), 0)

    def declared(self, path: Path) -> list[str]:
        return sorted(str(a) for k, a in self.children.get(path, ()) if k == "p")

    def patterns(self, path: Path) -> list[str]:
        return sorted(str(a) for k, a in self.children.get(path, ()) if k == "n")

    def required(self, path: Path) -> set[str]:
        return {n for s in self.both.get(path, []) if isinstance(s, dict) and isinstance(s.get("required"), list)
                for n in s["required"] if isinstance(n, str)}

    def dependents(self, path: Path, name: str) -> list[str]:
        """The names an object at `path` must also hold when it holds `name` (dependentRequired, and
        the `required` of a dependentSchemas entry)."""
        out: list[str] = []
        for s in self.both.get(path, []):
            if not isinstance(s, dict):
                continue
            needed = s.get("dependentRequired", {}).get(name) if isinstance(s.get("dependentRequired"), dict) else None
            out += needed if isinstance(needed, list) else []
            sub = s.get("dependentSchemas", {}).get(name) if isinstance(s.get("dependentSchemas"), dict) else None
            out += sub["required"] if isinstance(sub, dict) and isinstance(sub.get("required"), list) else []
        return [n for n in dict.fromkeys(out) if isinstance(n, str) and n != name]

    def prefix(self, path: Path) -> int:
        return max([a + 1 for k, a in self.children.get(path, ()) if k == "i" and isinstance(a, int)], default=0)

    def step_of(self, path: Path, key: Any) -> Step:
        if isinstance(key, int):
            return ("i", key) if key < self.prefix(path) else ("i", None)
        if key in self.declared(path):
            return ("p", key)
        for pattern in self.patterns(path):
            if _search(pattern, key):
                return ("n", pattern)
        return ("x", None)

    def _record(self, value: Any, path: Path, depth: int) -> None:
        if depth > MAX_PATH or path not in self.both:
            return
        found = self.templates.setdefault(path, [])
        if len(found) < 8 and not any(type(v) is type(value) and (not isinstance(v, dict) or v.keys() == value.keys())
                                      for v in found):
            found.append(value)  # one of each JSON type seen there, and objects of each set of names
        if isinstance(value, dict):
            for k, v in list(value.items())[:20]:
                self._record(v, path + (self.step_of(path, k),), depth + 1)
        elif isinstance(value, list):
            for i, v in enumerate(value[:10]):
                self._record(v, path + (self.step_of(path, i),), depth + 1)

    def value_at(self, path: Path, depth: int = 0, want: type | None = None) -> Any:
        """A value seen at `path` in an accepted instance (of type `want` if given); else the const or
        first enum value there; else an object of the names required there (made the same way, a few
        levels down); else MISSING."""
        found = [v for v in self.templates.get(path, []) if want is None or type(v) is want]
        if found:
            return copy.deepcopy(found[0])
        if want is list:
            return MISSING
        for s in self.both.get(path, []):
            if isinstance(s, dict):
                if "const" in s:
                    return copy.deepcopy(s["const"])
                if isinstance(s.get("enum"), list) and s["enum"]:
                    return copy.deepcopy(s["enum"][0])
        declared = [t for s in self.both.get(path, []) if isinstance(s, dict)
                    for t in ([s["type"]] if isinstance(s.get("type"), str) else s.get("type", []))
                    if isinstance(t, str)]
        if declared and declared[0] != "object" and want is None:
            return copy.deepcopy(TYPE_DEFAULT.get(declared[0], MISSING))
        required = sorted(self.required(path))[:8]
        if required and depth < 3:
            made = {}
            for name in required:
                v = self.value_at(path + (self.step_of(path, name),), depth + 1)
                made[name] = "x" if v is MISSING else v
            return made
        return MISSING

    def value_for(self, path: Path, name: str) -> Any:
        v = self.value_at(path + (self.step_of(path, name),))
        return "x" if v is MISSING else v

    def item_values(self, path: Path) -> list:
        out = list(self.templates.get(path + (("i", None),), []))
        for s in self.both.get(path + (("i", None),), []):
            if isinstance(s, dict):
                if "const" in s:
                    out.append(s["const"])
                if isinstance(s.get("enum"), list):
                    out += s["enum"][:2]
        return [copy.deepcopy(v) for v in out[:4]] or [0, "x"]

    def extra_name(self, path: Path) -> str:
        taken = set(self.declared(path))
        for name in EXTRA_NAMES:
            if name not in taken and not any(_search(p, name) for p in self.patterns(path)):
                return name
        return "zz"

    def name_for(self, path: Path, step: Step, container: dict) -> str:
        kind, arg = step
        if kind == "p":
            return str(arg)
        if kind == "x":
            for k in container:
                if self.step_of(path, k) == step:
                    return k
            return self.extra_name(path)
        for k in container:  # "n": a name matching the pattern
            if isinstance(k, str) and _search(arg, k):
                return k
        if arg not in self._names:
            found = [s for s in regexgen.samples(arg, self.rnd, 3) if s not in self.declared(path)]
            self._names[arg] = found[0] if found else None
        return self._names[arg] or "zz"

    def holder(self, path: Path, name: str) -> Any:
        """An object a subschema at `path` that declares `name` accepts (a union member no accepted
        instance took), drawn by instances.Generator and checked by jsonschema; None if none is found."""
        if (path, name) in self._holders:
            return self._holders[(path, name)]
        found = None
        members = [s for s in self.both.get(path, []) if isinstance(s, dict)
                   and isinstance(s.get("properties"), dict) and name in s["properties"]]
        for member in members[:2]:
            for root in self.roots:
                if found is not None:
                    break
                try:
                    check = jsonschema.Draft202012Validator(root).evolve(schema=member)
                    gen = instances.Generator(root, self.rnd, per_node=4, max_depth=3)
                    found = next((v for v in gen.values(member, 1, 0)[:12]
                                  if isinstance(v, dict) and name in v and check.is_valid(v)), None)
                except Exception:  # noqa: BLE001 - a member the validator cannot use: no holder
                    found = None
        self._holders[(path, name)] = found
        return found

    def place(self, base: Any, path: Path, edit: Edit, append: bool = False) -> Any:
        """A copy of `base` with the value at `path` edited (the containers on the way made as needed);
        MISSING when the place cannot be made. `append`: an item past the prefix goes after the items
        there (which a `contains` may need) instead of replacing the first of them."""
        root = copy.deepcopy(base)
        if not path:
            return edit(root)
        holder: list = [root]
        node_ref: tuple[Any, Any] = (holder, 0)
        for i, step in enumerate(path):
            parent, key = node_ref
            node = parent[key]
            here = path[:i]
            if step[0] == "i":
                if not isinstance(node, list):
                    node = self.value_at(here, want=list)
                    node = node if isinstance(node, list) else []
                    parent[key] = node
                index = step[1] if step[1] is not None else max(self.prefix(here), len(node) if append else 0)
                while len(node) < index:
                    filler = self.value_at(here + (self.step_of(here, len(node)),))
                    node.append(None if filler is MISSING else filler)
                if len(node) == index:
                    node.append(MISSING)
                node_ref = (node, index)
            else:
                if not isinstance(node, dict):
                    node = self.value_at(here, want=dict)
                    node = node if isinstance(node, dict) else {}
                    parent[key] = node
                name = self.name_for(here, step, node)
                if name not in node:  # an object seen here that holds the name: the union member that has it
                    holder_seen = next((t for t in self.templates.get(here, []) if isinstance(t, dict) and name in t), None)
                    if holder_seen is None and step[0] == "p":
                        holder_seen = self.holder(here, name)
                    if holder_seen is not None:
                        node = copy.deepcopy(holder_seen)
                        parent[key] = node
                if name not in node:
                    node[name] = MISSING
                    for other in self.dependents(here, name):
                        node.setdefault(other, self.value_for(here, other))
                node_ref = (node, name)
            if i < len(path) - 1:
                parent, key = node_ref
                if parent[key] is MISSING:
                    made = self.value_at(path[: i + 1], want=list if path[i + 1][0] == "i" else dict)
                    parent[key] = made if made is not MISSING else ([] if path[i + 1][0] == "i" else {})
        parent, key = node_ref
        parent[key] = edit(parent[key])
        return holder[0]


def reaches(value: Any, path: Path, shape: Shape) -> bool:
    """Does `value` already hold something at `path`?"""
    for i, step in enumerate(path):
        here = path[:i]
        if step[0] == "i":
            if not isinstance(value, list):
                return False
            index = step[1] if step[1] is not None else shape.prefix(here)
            if len(value) <= index:
                return False
            value = value[index]
        else:
            if not isinstance(value, dict):
                return False
            keys = [k for k in value if shape.step_of(here, k) == step]
            if not keys:
                return False
            value = value[keys[0]]
    return True


def candidates(old: Any, new: Any, accepted_old: list, accepted_new: list, rnd: random.Random,
               limit: int = 80) -> list:
    """At most `limit` edge instances of the pair (old, new): translated schemas; `accepted_*`: instances
    each accepts (the bases the edits are placed in)."""
    old_sites, new_sites = sites(old), sites(new)
    both = {p: old_sites.get(p, []) + new_sites.get(p, []) for p in set(old_sites) | set(new_sites)}
    seen = sorted(accepted_old + accepted_new, key=_size)[:80]
    shape = Shape(both, seen, rnd, (old, new))
    ranked = []
    for path, nodes in both.items():
        first = differing(old_sites.get(path, []), new_sites.get(path, []))
        ranked.append((0 if first else 1, len(path), rnd.random(), path, first, nodes))
    ranked.sort(key=lambda r: r[:3])
    bases_old = sorted(accepted_old, key=_size)[:60]
    bases_new = sorted(accepted_new, key=_size)[:60]
    lanes: list[tuple[bool, list]] = []
    for changed, _, _, path, first, nodes in ranked[:16]:
        if changed and len(lanes) >= 4:
            break  # the places that differ first; places alike on both sides only while there are few
        made = []
        bases = _bases(path, bases_old, shape) + _bases(path, bases_new, shape)
        place_edits = edits(nodes, first, rnd, shape, path)
        ways = [(base, False) for base in (bases or [MISSING])[:2]]
        if any(step == ("i", None) for step in path):
            ways.insert(1, (ways[0][0], True))
        for base, append in ways:
            for edit in place_edits[: limit // 2]:  # a place never gets more than half the budget
                try:
                    x = shape.place({} if base is MISSING else base, path, edit, append)
                except (TypeError, ValueError, RecursionError, IndexError, KeyError):
                    continue
                if x is not MISSING and not _has_missing(x):
                    made.append(x)
        lanes.append((bool(first), made))
    # The places that differ first (three quarters of the budget), then all in turn, so that one
    # place's many edits do not crowd out the others.
    out: list = []
    for share, wanted in ((limit * 3 // 4, True), (limit, False)):
        chosen = [made for differs, made in lanes if differs or not wanted]
        while len(out) < share and any(chosen):
            for made in chosen:
                if made and len(out) < share:
                    out.append(made.pop(0))
    return out


def _bases(path: Path, accepted: list, shape: Shape) -> list:
    """The smallest accepted instance, and the smallest that already reaches `path` (if another)."""
    if not accepted:
        return []
    out = [accepted[0]]
    for x in accepted:
        if reaches(x, path, shape):
            if x is not accepted[0]:
                out.append(x)
            break
    return out[:2] if len(out) > 1 else out


# -- helpers ----------------------------------------------------------------------------------------------

def _near(v: Any) -> list:
    if isinstance(v, bool) or v is None:
        return [not v] if isinstance(v, bool) else []
    if isinstance(v, (int, float)):
        return [v + 1, v - 1]
    if isinstance(v, str):
        return [v + "x", v[:-1]]
    return []


def _search(pattern: str, text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return re.search(pattern, text) is not None
    except (re.error, RecursionError):
        return False


def _size(x: Any) -> int:
    try:
        return len(json.dumps(x, default=str))
    except (TypeError, ValueError):
        return 1 << 30


def _has_missing(x: Any) -> bool:
    if x is MISSING:
        return True
    if isinstance(x, dict):
        return any(_has_missing(v) for v in x.values())
    if isinstance(x, list):
        return any(_has_missing(v) for v in x)
    return False
