"""Candidate instances of a JSON Schema, aimed at the boundaries where a change bites.

The generator does not have to be exact: every candidate is validated afterwards (judge.py keeps
only those the source schema accepts), so it may overshoot. What it must do is reach the places
where two versions of a schema part ways, which random values rarely do:

- each bound at, just inside and just past it (lengths, numbers, item and property counts,
  contains counts), multiples of `multipleOf`, int32/int64/float edges;
- each `enum` value and `const`, and values next to them; null; each member of each union, and
  objects that satisfy two members at once (where a `oneOf` bites);
- objects with only the required properties, with each optional one, each required one missing,
  an undeclared property, each `dependentRequired` trigger with and without its dependencies;
- arrays empty, one item, duplicates, each `prefixItems` position varied, one item too many;
- strings matching each `pattern` (regexgen.py), of each `format` (and nearly so);
- random values inside the bounds, and small perturbations of any candidate (`perturb`).

It reads the translated schema (dialect.for_validation): `anyOf`/`allOf` nest as they are, `$ref`s
resolve inside the document to a bounded depth, and an `allOf` is also read flattened (the object,
string, number and array keywords of all its members together) so that its candidates satisfy every
member at once.
"""

from __future__ import annotations

import copy
import math
import random
from typing import Any

from . import dialect, regexgen

GENERIC = [None, True, False, 0, 1, -1, 2.5, "", "x", "abc", [], [1], {}, {"a": 1}]
FORMAT_SAMPLES: dict[str, list] = {
    "date": ["2024-02-29", "2023-01-31", "1999-12-31"],
    "date-time": ["2024-02-29T12:30:00Z", "2023-01-31T00:00:00+01:00", "1999-12-31T23:59:59.5Z"],
    "time": ["12:30:00Z", "23:59:59+01:00"],
    "email": ["a@example.com", "first.last@example.org"],
    "uuid": ["123e4567-e89b-12d3-a456-426614174000", "00000000-0000-0000-0000-000000000000"],
    "uri": ["https://example.com/x", "urn:isbn:0451450523"],
    "uri-reference": ["/relative/path", "https://example.com"],
    "hostname": ["example.com", "a-b.example.org"],
    "ipv4": ["192.168.0.1", "10.0.0.255"],
    "ipv6": ["::1", "2001:db8::8a2e:370:7334"],
    "byte": ["aGVsbG8=", "QUJD"],
    "regex": ["^a+$", "[0-9]{2}"],
    "duration": ["P1D", "PT1H"],
}
INT_EDGES = [2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, 2**63, 2**53 + 1]
FLOAT_EDGES = [3.4e38, 3.5e38, -3.5e38, 1e308]
TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
OBJECT_KEYS = ("properties", "required", "additionalProperties", "patternProperties", "propertyNames",
               "minProperties", "maxProperties", "dependentRequired", "dependentSchemas", "unevaluatedProperties")
ARRAY_KEYS = ("items", "prefixItems", "contains", "minItems", "maxItems", "uniqueItems", "minContains",
              "maxContains", "unevaluatedItems", "additionalItems")
STRING_KEYS = ("minLength", "maxLength", "pattern", "format")
NUMBER_KEYS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
MAX_STRING = 300
MAX_ITEMS = 60


class Generator:
    """Candidates of the subschemas of one (translated) document `root`."""

    def __init__(self, root: Any, rnd: random.Random, *, per_node: int = 8, max_depth: int = 5,
                 ref_depth: int = 3, validator: Any = None, hint_names: tuple[str, ...] = ()) -> None:
        self.root = root
        # Property names the other schema of the pair declares: where two versions part, an undeclared
        # property of one is often a declared one of the other.
        self.hint_names = tuple(sorted(hint_names))
        self.validator = validator  # a jsonschema validator of `root`: puts valid candidates first
        self.rnd = rnd
        self.per_node = per_node
        self.max_depth = max_depth
        self.ref_depth = ref_depth

    # -- entry --------------------------------------------------------------------------------------
    def candidates(self, limit: int = 150) -> list:
        return self._cap(self.values(self.root, 0, 0), limit)

    def values(self, schema: Any, depth: int, refs: int) -> list:
        if schema is True or schema == {} or not isinstance(schema, (dict, bool)):
            return self._sample(GENERIC, 6)
        if schema is False:
            return []
        flat = self.flatten(schema, refs)
        out: list = []
        if "$ref" in schema:
            target = self.resolve(schema["$ref"])
            if target is not None and refs < self.ref_depth:
                out += self.values(target, depth, refs + 1)
        if "const" in flat:
            out.append(flat["const"])
            out += _near_value(flat["const"])
        if isinstance(flat.get("enum"), list):
            out += flat["enum"]
            for v in flat["enum"][:4]:
                out += _near_value(v)
        for kw in ("anyOf", "oneOf"):
            members = schema.get(kw)
            if isinstance(members, list):
                per_member = [self.values(m, depth, refs) for m in members]
                for vals in per_member:
                    out += self._cap(vals, max(3, self.per_node // max(1, len(members)) + 2))
                out += self._overlaps(per_member)
        members = schema.get("allOf")
        if isinstance(members, list):
            for m in members:
                out += self._cap(self.values(m, depth, refs), 3)
        if "if" in schema:
            cond = self.values(schema["if"], depth, refs)
            then = self.values(schema.get("then", True), depth, refs)
            out += self._cap(cond, 3) + self._cap(then, 3) + self._merges(cond[:3], then[:3])
            if "else" in schema:
                out += self._cap(self.values(schema["else"], depth, refs), 3)
        if "not" in schema:
            out += self._sample(GENERIC, 5)
            out += self._cap(self.values(schema["not"], depth, refs), 3)
        for t in self._types(flat):
            out += self._typed(t, flat, depth, refs)
        return self._ranked(schema, out, self.limit_at(depth), depth)

    def limit_at(self, depth: int) -> int:
        return (self.per_node * 12, self.per_node, self.per_node // 2)[min(depth, 2)]

    # -- $ref and allOf ---------------------------------------------------------------------------
    def resolve(self, ref: Any) -> Any:
        return dialect.resolve(self.root, ref)

    def flatten(self, schema: Any, refs: int) -> dict:
        """`schema` with the keywords of its `allOf` members (and `$ref` targets) folded in:
        properties merged (as allOf), required united, bounds the tightest, patterns kept apart."""
        if not isinstance(schema, dict):
            return {}
        out: dict = {k: v for k, v in schema.items() if k not in ("allOf", "$ref")}
        parts = list(schema.get("allOf", [])) if isinstance(schema.get("allOf"), list) else []
        if "$ref" in schema and refs < self.ref_depth:
            target = self.resolve(schema["$ref"])
            if target is not None:
                parts.append(target)
        patterns = [out["pattern"]] if isinstance(out.get("pattern"), str) else []
        for part in parts:
            if not isinstance(part, dict):
                continue
            sub = self.flatten(part, refs + 1)
            for k, v in sub.items():
                if k == "properties" and isinstance(v, dict):
                    props = dict(out.get("properties", {})) if isinstance(out.get("properties"), dict) else {}
                    for name, s in v.items():
                        props[name] = {"allOf": [props[name], s]} if name in props else s
                    out["properties"] = props
                elif k == "required" and isinstance(v, list):
                    out["required"] = list(dict.fromkeys(list(out.get("required", [])) + v))
                elif k == "pattern":
                    patterns.append(v)
                elif k in ("maximum", "maxLength", "maxItems", "maxProperties", "exclusiveMaximum", "maxContains"):
                    out[k] = min(out[k], v) if _num(out.get(k)) and _num(v) else out.get(k, v)
                elif k in ("minimum", "minLength", "minItems", "minProperties", "exclusiveMinimum", "minContains"):
                    out[k] = max(out[k], v) if _num(out.get(k)) and _num(v) else out.get(k, v)
                elif k == "type":
                    mine = _type_set(out.get("type"))
                    theirs = _type_set(v)
                    if mine is None:
                        out["type"] = sorted(theirs) if theirs is not None else None
                    elif theirs is not None:
                        both = (mine & theirs) | ({"integer"} if ("integer" in mine and "number" in theirs) or
                                                 ("number" in mine and "integer" in theirs) else set())
                        out["type"] = sorted(both)
                    if out.get("type") is None:
                        out.pop("type", None)
                elif k == "enum" and isinstance(out.get("enum"), list) and isinstance(v, list):
                    out["enum"] = [x for x in out["enum"] if x in v] or out["enum"]
                else:
                    out.setdefault(k, v)
        if patterns:
            out["pattern"] = patterns[0]
            out["x-patterns"] = patterns
        return out

    def _types(self, flat: dict) -> list[str]:
        declared = _type_set(flat.get("type"))
        if declared is not None:
            return [t for t in TYPES if t in declared]
        if "enum" in flat or "const" in flat:
            return []
        inferred = []
        if any(k in flat for k in OBJECT_KEYS):
            inferred.append("object")
        if any(k in flat for k in ARRAY_KEYS):
            inferred.append("array")
        if any(k in flat for k in STRING_KEYS):
            inferred.append("string")
        if any(k in flat for k in NUMBER_KEYS):
            inferred.append("number")
        if inferred:
            return inferred + ["null"]
        if any(k in flat for k in ("anyOf", "oneOf", "not", "if")):
            return []
        return list(TYPES)

    # -- by type ----------------------------------------------------------------------------------
    def _typed(self, t: str, s: dict, depth: int, refs: int) -> list:
        if t == "null":
            return [None]
        if t == "boolean":
            return [True, False]
        if t in ("integer", "number"):
            return self._numbers(s, integer=t == "integer")
        if t == "string":
            return self._strings(s)
        if depth >= self.max_depth:
            return [[]] if t == "array" else [self._base_object(s, depth, refs)]
        if t == "array":
            return self._arrays(s, depth, refs)
        return self._objects(s, depth, refs)

    def _numbers(self, s: dict, integer: bool) -> list:
        rnd = self.rnd
        points: list[float] = [0, 1, -1, 7]
        for kw in NUMBER_KEYS[:4]:
            b = s.get(kw)
            if _num(b):
                points += [b, b - 1, b + 1, b - 0.5, b + 0.5]
        low = _first_num(s.get("minimum"), s.get("exclusiveMinimum"))
        high = _first_num(s.get("maximum"), s.get("exclusiveMaximum"))
        if low is not None and high is not None and low <= high:
            points += [rnd.uniform(low, high) for _ in range(2)] + [(low + high) / 2]
        elif low is not None:
            points += [low + rnd.uniform(0, 100)]
        elif high is not None:
            points += [high - rnd.uniform(0, 100)]
        else:
            points += [rnd.uniform(-1000, 1000), rnd.randint(-(10**6), 10**6)]
        m = s.get("multipleOf")
        if _num(m) and m > 0:
            for p in list(points)[:8]:
                k = math.floor(p / m) if math.isfinite(p / m) else 0
                points += [k * m, (k + 1) * m]
            points += [m, 2 * m, m / 2, 3 * m]
        fmt = s.get("format")
        if fmt in ("int32", "int64"):
            points += INT_EDGES
        elif fmt in ("float", "double"):
            points += FLOAT_EDGES
        else:
            points += rnd.sample(INT_EDGES, 2)
        out: list = []
        for p in points:
            if not math.isfinite(p):
                continue
            if integer or (isinstance(p, float) and p.is_integer() and abs(p) < 2**53):
                for q in {math.floor(p), math.ceil(p)}:
                    out.append(int(q))
            if not integer:
                out.append(p)
                if isinstance(p, int) and abs(p) < 2**53:
                    out.append(float(p))  # 2.0: an integer to jsonschema, a float to a type check
        return unique(out)

    def _strings(self, s: dict) -> list:
        rnd = self.rnd
        out: list = ["", "x", "abc", "Hello world"]
        patterns = s.get("x-patterns") or ([s["pattern"]] if isinstance(s.get("pattern"), str) else [])
        pattern_samples: list[str] = []
        for p in patterns[:3]:
            pattern_samples += regexgen.samples(p, rnd, 4)
        out += pattern_samples
        for smp in pattern_samples[:2]:
            out += ["x" + smp, smp + "x", smp + " "]
        fmt = s.get("format")
        if isinstance(fmt, str):
            samples = FORMAT_SAMPLES.get(fmt, [])
            out += samples
            out += [v[:-1] for v in samples[:1] if v] + [v + "x" for v in samples[:1]]
        else:
            out += [rnd.choice(v) for v in rnd.sample(list(FORMAT_SAMPLES.values()), 2)]
        base = (pattern_samples or [v for v in out if v] or ["a"])
        lengths = set()
        for kw in ("minLength", "maxLength"):
            b = s.get(kw)
            if _num(b):
                lengths.update({int(b) - 1, int(b), int(b) + 1})
        lo = s.get("minLength") if _num(s.get("minLength")) else 0
        hi = s.get("maxLength") if _num(s.get("maxLength")) else lo + 20
        if lo <= hi:
            lengths.add(rnd.randint(int(lo), int(min(hi, lo + MAX_STRING))))
        for n in sorted(lengths):
            if 0 <= n <= MAX_STRING:
                seed = rnd.choice(base)
                out.append(_fit(seed, n))
                out.append("a" * n)
        return unique(out)

    def _arrays(self, s: dict, depth: int, refs: int) -> list:
        rnd = self.rnd
        prefix = s.get("prefixItems") if isinstance(s.get("prefixItems"), list) else (
            s.get("items") if isinstance(s.get("items"), list) else [])
        rest = s.get("items") if not isinstance(s.get("items"), list) else s.get("additionalItems", True)
        if rest is None:
            rest = True
        item_vals = self._cap(self.values(rest, depth + 1, refs), 5) if rest is not False else []
        prefix_vals = [self._cap(self.values(p, depth + 1, refs), 4) for p in prefix]
        out: list = [[]]
        head = [vals[0] if vals else None for vals in prefix_vals]
        if prefix:
            out.append(list(head))
            out.append(list(head[:-1]))
            for i, vals in enumerate(prefix_vals):
                for v in vals[1:3]:
                    out.append(head[:i] + [v] + head[i + 1:])
            out += [head + [v] for v in (item_vals[:2] or GENERIC[3:5])]
        for v in item_vals:
            out.append(head + [v])
        if item_vals:
            out.append(head + [item_vals[0], item_vals[0]])
            out.append(head + item_vals[:3])
        contains = s.get("contains")
        if contains is not None:
            c_vals = self._cap(self.values(contains, depth + 1, refs), 3)
            for c in c_vals:
                out.append(head + [c])
                for kw in ("minContains", "maxContains"):
                    b = s.get(kw)
                    if _num(b):
                        for n in (int(b) - 1, int(b), int(b) + 1):
                            if 0 <= n <= MAX_ITEMS:
                                out.append(head + [copy.deepcopy(c) for _ in range(n)])
        fill = item_vals or [v for vals in prefix_vals for v in vals] or [0]
        for kw in ("minItems", "maxItems"):
            b = s.get(kw)
            if _num(b):
                for n in (int(b) - 1, int(b), int(b) + 1):
                    if 0 <= n <= MAX_ITEMS:
                        out.append(_filled(head, fill, n, distinct=True))
                        out.append(_filled(head, fill, n, distinct=False))
        out.append(_filled(head, fill, len(head) + rnd.randint(0, 4), distinct=rnd.random() < 0.5))
        return out

    def _base_object(self, s: dict, depth: int, refs: int) -> dict:
        props, required = _props_and_required(s)
        base: dict = {}
        for name in required:
            if name in props and depth < self.max_depth:
                vals = self.values(props[name], depth + 1, refs)
                base[name] = vals[0] if vals else None
            else:
                base[name] = "x"
        return base

    def _objects(self, s: dict, depth: int, refs: int) -> list:
        rnd = self.rnd
        props, required = _props_and_required(s)
        values = {name: self._cap(self.values(sub, depth + 1, refs), 8 if depth == 0 else 4)
                  for name, sub in list(props.items())[:12]}
        base: dict = {}
        for name in required:
            base[name] = values[name][0] if values.get(name) else "x"
        out: list = [base, {}]
        full = dict(base)
        for name, vals in values.items():
            if vals and name not in full:
                full[name] = vals[0]
        out.append(full)
        for name, vals in values.items():
            for v in vals:
                out.append({**base, name: v})
            if name in base:
                out.append({k: v for k, v in base.items() if k != name})
        hints = [n for n in self.hint_names if n not in values]
        names = rnd.sample(hints, min(len(hints), 3 if depth == 0 else 1)) + [rnd.choice(["zz", "extra"])]
        additional = s.get("additionalProperties")
        typed = self._cap(self.values(additional, depth + 1, refs), 2) if isinstance(additional, dict) else []
        for extra in names:
            for v in typed + [1, None, "x"]:
                out.append({**base, extra: v})
            out.append({**full, extra: "x"})
        pattern_props = s.get("patternProperties")
        if isinstance(pattern_props, dict):
            for pat, sub in list(pattern_props.items())[:3]:
                names = regexgen.samples(pat, rnd, 2)
                vals = self._cap(self.values(sub, depth + 1, refs), 2)
                for name in names:
                    for v in vals + ["x"]:
                        out.append({**base, name: v})
        deps = s.get("dependentRequired")
        if isinstance(deps, dict):
            for trigger, needed in list(deps.items())[:4]:
                v = values[trigger][0] if values.get(trigger) else "x"
                out.append({**base, trigger: v})
                if isinstance(needed, list):
                    filled = {n: (values[n][0] if values.get(n) else "x") for n in needed if isinstance(n, str)}
                    out.append({**base, trigger: v, **filled})
        dep_schemas = s.get("dependentSchemas")
        if isinstance(dep_schemas, dict):
            for trigger, sub in list(dep_schemas.items())[:3]:
                v = values[trigger][0] if values.get(trigger) else "x"
                for extra_obj in self._cap(self.values(sub, depth + 1, refs), 2):
                    if isinstance(extra_obj, dict):
                        out.append({**base, **extra_obj, trigger: v})
                out.append({**base, trigger: v})
        for kw in ("minProperties", "maxProperties"):
            b = s.get(kw)
            if _num(b):
                for n in (int(b) - 1, int(b), int(b) + 1):
                    if 0 <= n <= 40:
                        obj = dict(base)
                        names = [p for p in values if p not in obj] + [f"p{i}" for i in range(n)]
                        for name in names:
                            if len(obj) >= n:
                                break
                            obj[name] = values[name][0] if values.get(name) else 1
                        out.append(obj)
        for _ in range(2):  # a random subset of the optional properties
            obj = dict(base)
            for name, vals in values.items():
                if vals and rnd.random() < 0.5:
                    obj[name] = rnd.choice(vals)
            out.append(obj)
        return out

    # -- combining --------------------------------------------------------------------------------
    def _overlaps(self, per_member: list[list]) -> list:
        """Objects that satisfy two union members at once (a `oneOf` rejects them)."""
        out: list = []
        for i in range(len(per_member)):
            for j in range(i + 1, len(per_member)):
                out += self._merges(per_member[i][:3], per_member[j][:3])
        return self._cap(out, 8)

    @staticmethod
    def _merges(left: list, right: list) -> list:
        out = []
        for a in left:
            for b in right:
                if isinstance(a, dict) and isinstance(b, dict):
                    out.append({**a, **b})
        return out

    def _ranked(self, schema: Any, values: list, n: int, depth: int) -> list:
        """At most `n` of `values`, those `schema` accepts first (two thirds), then near misses.
        Ranked down to depth 2 (deeper, validating costs more than it finds)."""
        values = unique(values)
        if self.validator is None or depth > 2:
            return self._cap(values, n)
        sub = self.validator.evolve(schema=schema)
        want = max(1, (2 * n) // 3)
        order = list(range(len(values)))
        head, rest = order[: n // 2], order[n // 2:]
        self.rnd.shuffle(rest)
        good: list = []
        unchecked: list = []
        for i in head + rest:  # validate only until enough are found (the first ones first)
            if len(good) >= want:
                unchecked.append(values[i])
                continue
            try:
                ok = sub.is_valid(values[i])
            except Exception:  # noqa: BLE001 - an unusable pattern and the like: rank it last
                ok = False
            (good if ok else unchecked).append(values[i])
        return good + self._cap(unchecked, n - len(good))

    def _cap(self, values: list, n: int) -> list:
        if len(values) <= n:
            return values
        keep = values[: n // 2]
        return keep + self.rnd.sample(values[n // 2:], n - len(keep))

    def _sample(self, values: list, n: int) -> list:
        return self.rnd.sample(values, min(n, len(values)))


# -- perturbation -------------------------------------------------------------------------------------

def perturb(value: Any, rnd: random.Random, count: int = 6) -> list:
    """Near neighbours of `value`: one node replaced, dropped, added to or nudged."""
    out = []
    for _ in range(count):
        v = copy.deepcopy(value)
        out.append(_perturb_once(v, rnd))
    return out


def _perturb_once(value: Any, rnd: random.Random) -> Any:
    paths = list(_paths(value))
    path = rnd.choice(paths)
    if not path:
        return _nudge(value, rnd)
    parent = value
    for token in path[:-1]:
        parent = parent[token]
    last = path[-1]
    action = rnd.random()
    if action < 0.25 and isinstance(parent, dict):
        del parent[last]
    elif action < 0.3 and isinstance(parent, list):
        del parent[last]
    else:
        parent[last] = _nudge(parent[last], rnd)
    return value


def _paths(value: Any, prefix: tuple = (), depth: int = 0):
    yield prefix
    if depth > 6:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,), depth + 1)


def _nudge(value: Any, rnd: random.Random) -> Any:
    r = rnd.random()
    if r < 0.15:
        return None
    if r < 0.25:
        return rnd.choice(GENERIC)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + rnd.choice([-1, 1, 2**31])
    if isinstance(value, float):
        return value + rnd.choice([-0.5, 0.5, 1e-9])
    if isinstance(value, str):
        return value + "x" if rnd.random() < 0.5 else value[:-1]
    if isinstance(value, list):
        return value + [copy.deepcopy(value[0]) if value else 1]
    if isinstance(value, dict):
        return {**value, rnd.choice(["zz", "id", "type", "a"]): rnd.choice([1, "x", None])}
    return value


# -- helpers ----------------------------------------------------------------------------------------

def _props_and_required(s: dict) -> tuple[dict, list[str]]:
    props = s.get("properties") if isinstance(s.get("properties"), dict) else {}
    required = s.get("required") if isinstance(s.get("required"), list) else []
    return props, [r for r in required if isinstance(r, str)]


def _num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _first_num(*values: Any) -> float | None:
    for v in values:
        if _num(v):
            return v
    return None


def _type_set(t: Any) -> set | None:
    if isinstance(t, str):
        return {t}
    if isinstance(t, list):
        return {x for x in t if isinstance(x, str)}
    return None


def _near_value(v: Any) -> list:
    if isinstance(v, bool) or v is None:
        return []
    if isinstance(v, (int, float)):
        return [v + 1, v - 1]
    if isinstance(v, str):
        return [v + "x", v.upper() if v.upper() != v else v.lower()]
    return []


def _fit(seed: str, n: int) -> str:
    if len(seed) >= n:
        return seed[:n]
    return seed + "a" * (n - len(seed))


def _filled(head: list, fill: list, n: int, distinct: bool) -> list:
    out = list(head[:n])
    i = 0
    while len(out) < n:
        v = copy.deepcopy(fill[i % len(fill)])
        if distinct and i >= len(fill):
            v = _make_distinct(v, i)
        out.append(v)
        i += 1
    return out


def _make_distinct(v: Any, i: int) -> Any:
    if isinstance(v, bool) or v is None:
        return i
    if isinstance(v, (int, float)):
        return v + i
    if isinstance(v, str):
        return v + str(i)
    if isinstance(v, dict):
        return {**v, f"k{i}": i}
    if isinstance(v, list):
        return v + [i]
    return i


def _dedupe_key(v: Any) -> Any:
    return dialect.instance_key(v)  # the same mapping in another order is kept twice: harmless


def unique(values: list) -> list:
    seen: set[Any] = set()
    out = []
    for v in values:
        try:
            key = _dedupe_key(v)
        except (TypeError, ValueError):
            continue
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out
