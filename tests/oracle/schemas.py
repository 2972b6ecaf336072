"""Random JSON Schemas, named mutations of a schema, and the spelling of each flavour.

Schemas are generated and mutated in one neutral spelling, 2020-12's: null is a type (or an
`anyOf` member, or an `enum` value), exclusive bounds are numbers, `prefixItems` and
`dependentRequired` are themselves. `spell(schema, flavour)` then writes a schema the way its
flavour does: OpenAPI 3.0's `nullable` and boolean `exclusiveMaximum`, `enum` for `const`;
draft-07's array `items` with `additionalItems`, `dependencies` and `definitions`. Each flavour
generates only the vocabulary it has (`VOCABULARY`).

A mutation is a function of (schema node, rnd, context) that returns the changed node, or None when
it does not apply there; `mutate` picks a node of the whole schema where the kind applies. A kind
marked equivalent keeps what the schema accepts (reordering, splitting an allOf, inlining a $ref,
another spelling of null): the differ must say nothing above `info` of it.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from .dialect import map_subschemas, subschemas

NAMES = ["a", "b", "c", "id", "user_id", "type", "kind", "data"]
STRING_FORMATS = ["date", "date-time", "uuid", "email", "uri", "byte", "hostname", "ipv4", "password"]
PATTERNS = ["^[a-z]+$", "^[a-z0-9]+$", "^a", "^ab", "[0-9]", "^[A-Z]{2,4}$", "^x_[a-z]*$", "^[a-c]{1,3}$", "b"]
STRING_VALUES = ["a", "b", "c", "ab", "x_y", "AB", "2024-02-29"]
EVENT_TAGS = ["created", "updated", "deleted", "delta", "done"]
SCALARS = ["string", "integer", "number", "boolean"]

COMMON = frozenset({
    "type", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "pattern", "format", "properties", "required", "additionalProperties",
    "items", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
    "allOf", "anyOf", "oneOf", "not", "null", "description", "default",
})
VOCABULARY = {
    "openapi-3.0": COMMON | {"discriminator", "$ref"},
    "2020-12": COMMON | {"const", "prefixItems", "contains", "minContains", "maxContains", "if",
                         "dependentRequired", "dependentSchemas", "unevaluatedProperties",
                         "unevaluatedItems", "propertyNames", "patternProperties", "$ref", "type-list",
                         "discriminator"},
    "draft-07": COMMON | {"const", "prefixItems", "contains", "if", "dependentRequired",
                          "dependentSchemas", "propertyNames", "patternProperties", "$ref", "type-list"},
}


# -- random schemas ---------------------------------------------------------------------------------

class SchemaGen:
    def __init__(self, rnd: random.Random, flavour: str) -> None:
        self.rnd = rnd
        self.flavour = flavour
        self.vocab = VOCABULARY[flavour]
        self.defs: dict[str, Any] = {}
        self.usable: list[str] = []  # defs a schema may reference (never one being generated: no left recursion)

    def has(self, kw: str) -> bool:
        return kw in self.vocab

    def document(self, depth: int = 3) -> Any:
        """A root schema, sometimes with `$defs` it references."""
        rnd = self.rnd
        if self.has("$ref") and rnd.random() < 0.25:
            for name in rnd.sample(["A", "B", "Node"], rnd.randint(1, 2)):
                self.defs[name] = None
            for name in list(self.defs):
                self.defs[name] = self.schema(depth - 1, recursive=name if name == "Node" else None)
                self.usable.append(name)
        root = self.schema(depth)
        if self.defs:
            if not isinstance(root, dict):
                root = {"allOf": [root]} if root is not True else {}
            root = {**root, "$defs": self.defs}
            if not _mentions_ref(root):
                root["allOf"] = list(root.get("allOf", [])) + [{"$ref": f"#/$defs/{next(iter(self.defs))}"}]
        return root

    def schema(self, depth: int, recursive: str | None = None) -> Any:
        rnd = self.rnd
        r = rnd.random()
        if depth <= 0 or r < 0.32:
            out = self.scalar()
        elif r < 0.55:
            out = self.object(depth, recursive)
        elif r < 0.65:
            out = self.array(depth)
        elif r < 0.8:
            out = self.union(depth)
        elif r < 0.9:
            out = self.all_of(depth)
        else:
            out = self.special(depth)
        if rnd.random() < 0.12 and isinstance(out, dict):
            out = make_nullable(out)
        return out

    def scalar(self, t: str | None = None) -> dict:
        rnd = self.rnd
        t = t or rnd.choice(SCALARS + (["null"] if self.flavour != "openapi-3.0" and rnd.random() < 0.1 else []))
        out: dict = {"type": t}
        if t == "string":
            for kw, make in (("minLength", lambda: rnd.randint(0, 4)), ("maxLength", lambda: rnd.randint(2, 12)),
                             ("pattern", lambda: rnd.choice(PATTERNS)), ("format", lambda: rnd.choice(STRING_FORMATS))):
                if rnd.random() < 0.25:
                    out[kw] = make()
            if rnd.random() < 0.2:
                out["enum"] = rnd.sample(STRING_VALUES, rnd.randint(1, 3))
        elif t in ("integer", "number"):
            for kw, make in (("minimum", lambda: rnd.randint(-5, 5)), ("maximum", lambda: rnd.randint(5, 100)),
                             ("exclusiveMinimum", lambda: rnd.randint(-5, 5)),
                             ("exclusiveMaximum", lambda: rnd.randint(5, 100)),
                             ("multipleOf", lambda: rnd.choice([2, 3, 5, 0.5] if t == "number" else [2, 3, 5])),
                             ("format", lambda: rnd.choice(["int32", "int64"] if t == "integer" else ["float", "double"]))):
                if rnd.random() < 0.2:
                    out[kw] = make()
            if rnd.random() < 0.12:
                out["enum"] = rnd.sample([0, 1, 2, 7, 42, -3], rnd.randint(1, 3))
        elif t == "boolean" and rnd.random() < 0.15:
            out["enum"] = [rnd.choice([True, False])]
        if self.has("const") and "enum" in out and len(out["enum"]) == 1 and rnd.random() < 0.5:
            out["const"] = out.pop("enum")[0]
        if rnd.random() < 0.08:
            out["description"] = rnd.choice(["a value", "the thing"])
        return out

    def object(self, depth: int, recursive: str | None = None, names: list[str] | None = None) -> dict:
        rnd = self.rnd
        names = names or rnd.sample(NAMES, rnd.randint(1, 4))
        props = {n: self.schema(depth - 1) for n in names}
        if recursive and rnd.random() < 0.7:
            props["child"] = {"$ref": f"#/$defs/{recursive}"}
        elif self.usable and rnd.random() < 0.4:
            props[rnd.choice(["ref", "b"])] = {"$ref": f"#/$defs/{rnd.choice(self.usable)}"}
        out: dict = {"type": "object", "properties": props}
        if rnd.random() < 0.6:
            out["required"] = rnd.sample(list(props), rnd.randint(0, len(props)))
        r = rnd.random()
        if r < 0.2:
            out["additionalProperties"] = False
        elif r < 0.27:
            out["additionalProperties"] = self.scalar()
        elif r < 0.3:
            out["additionalProperties"] = True
        if self.has("patternProperties") and rnd.random() < 0.08:
            out["patternProperties"] = {"^x_": self.scalar()}
        if self.has("propertyNames") and rnd.random() < 0.05:
            out["propertyNames"] = {"pattern": "^[a-z_]+$"}
        if self.has("dependentRequired") and rnd.random() < 0.1 and len(props) >= 2:
            a, b = rnd.sample(list(props), 2)
            out["dependentRequired"] = {a: [b]}
        if self.has("dependentSchemas") and rnd.random() < 0.05:
            out["dependentSchemas"] = {rnd.choice(list(props)): {"required": [rnd.choice(NAMES)]}}
        if self.has("unevaluatedProperties") and rnd.random() < 0.05 and "additionalProperties" not in out:
            out["unevaluatedProperties"] = False
        for kw, make in (("minProperties", lambda: rnd.randint(0, 2)), ("maxProperties", lambda: rnd.randint(1, 5))):
            if rnd.random() < 0.06:
                out[kw] = make()
        if self.has("if") and rnd.random() < 0.06:
            name = rnd.choice(list(props))
            out["if"] = {"properties": {name: {"const" if self.has("const") else "enum":
                                               "x" if self.has("const") else ["x"]}}, "required": [name]}
            out["then"] = {"required": [rnd.choice(NAMES)]}
            if rnd.random() < 0.5:
                out["else"] = {"properties": {name: {"type": "string"}}}
        return out

    def array(self, depth: int) -> dict:
        rnd = self.rnd
        out: dict = {"type": "array"}
        if self.has("prefixItems") and rnd.random() < 0.15:
            out["prefixItems"] = [self.schema(depth - 1) for _ in range(rnd.randint(1, 3))]
            if rnd.random() < 0.5:
                out["items"] = rnd.choice([False, self.scalar()])
        else:
            out["items"] = self.schema(depth - 1)
        for kw, make in (("minItems", lambda: rnd.randint(0, 3)), ("maxItems", lambda: rnd.randint(1, 6)),
                         ("uniqueItems", lambda: True)):
            if rnd.random() < 0.2:
                out[kw] = make()
        if self.has("contains") and rnd.random() < 0.1:
            out["contains"] = self.scalar()
            if self.has("minContains") and rnd.random() < 0.5:
                out["minContains"] = rnd.randint(1, 2)
            if self.has("maxContains") and rnd.random() < 0.3:
                out["maxContains"] = rnd.randint(2, 3)
        if self.has("unevaluatedItems") and rnd.random() < 0.04:
            out["unevaluatedItems"] = False
        return out

    def union(self, depth: int) -> dict:
        rnd = self.rnd
        kw = rnd.choice(["oneOf", "anyOf"])
        r = rnd.random()
        if r < 0.3:  # distinct scalar types
            members = [self.scalar(t) for t in rnd.sample(SCALARS, rnd.randint(2, 3))]
        elif r < 0.55:  # an event union told apart by `type`
            tags = rnd.sample(EVENT_TAGS, rnd.randint(2, 3))
            members = []
            for tag in tags:
                member = self.object(depth - 1, names=rnd.sample(["a", "b", "data", "id"], rnd.randint(1, 2)))
                tag_schema = {"const": tag} if self.has("const") and rnd.random() < 0.5 else {"type": "string", "enum": [tag]}
                member["properties"] = {"type": tag_schema, **member["properties"]}
                member["required"] = ["type"] + [n for n in member.get("required", []) if n != "type"]
                members.append(member)
            out = {kw: members}
            if self.has("discriminator") and rnd.random() < 0.4:
                out["discriminator"] = {"propertyName": "type"}
            return out
        elif r < 0.8:  # overlapping objects: a body with both properties matches both members
            shared = rnd.choice(NAMES)
            members = [self.object(depth - 1, names=[shared] + rnd.sample(NAMES, 1)) for _ in range(2)]
        else:
            members = [self.schema(depth - 1) for _ in range(rnd.randint(2, 3))]
        return {kw: members}

    def all_of(self, depth: int) -> dict:
        rnd = self.rnd
        r = rnd.random()
        if r < 0.4:  # an object next to a union (the Cloudflare shape)
            return {"allOf": [self.object(depth - 1), self.union(depth - 1)]}
        if r < 0.6:  # an object's properties spread over members
            return {"allOf": [self.object(depth - 1), self.object(depth - 1)]}
        if r < 0.9:  # one scalar's constraints spread over members
            whole = self.scalar(rnd.choice(["string", "integer"]))
            return split_all_of(whole, rnd) or {"allOf": [whole]}
        return {"allOf": [self.schema(depth - 1) for _ in range(rnd.randint(2, 3))]}

    def special(self, depth: int) -> Any:
        rnd = self.rnd
        r = rnd.random()
        if self.usable and r < 0.35:
            return {"$ref": f"#/$defs/{rnd.choice(self.usable)}"}
        if r < 0.6:
            inner = rnd.choice([{"type": "null"}, {"enum": ["a", "b"]}, {"type": "string", "pattern": "^x"},
                                {"type": "integer", "minimum": 10}])
            base = self.scalar(rnd.choice(["string", "integer"]))
            return {**base, "not": inner}
        if self.has("if") and r < 0.85:
            return {"type": "integer", "if": {"minimum": 0}, "then": {"multipleOf": 2},
                    **({"else": {"maximum": -10}} if rnd.random() < 0.5 else {})}
        if self.has("type-list"):
            return {"type": rnd.sample(SCALARS, 2)}
        return self.scalar()


def _mentions_ref(schema: Any) -> bool:
    if isinstance(schema, dict):
        return "$ref" in schema or any(_mentions_ref(v) for k, v in schema.items() if k != "$defs")
    if isinstance(schema, list):
        return any(_mentions_ref(v) for v in schema)
    return False


def make_nullable(schema: dict) -> dict:
    t = schema.get("type")
    if isinstance(t, str) and t != "null":
        out = {**schema, "type": [t, "null"]}
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = out["enum"] + [None]
        if "const" in out:
            out["enum"] = [out.pop("const"), None]
        return out
    return {"anyOf": [schema, {"type": "null"}]}


def is_nullable_wrap(schema: Any) -> bool:
    return (isinstance(schema, dict) and isinstance(schema.get("anyOf"), list) and len(schema["anyOf"]) == 2
            and schema["anyOf"].count({"type": "null"}) == 1 and len(schema) == 1)


# -- spelling -------------------------------------------------------------------------------------

def spell(schema: Any, flavour: str) -> Any:
    """The neutral `schema` written as `flavour` writes it (see the module doc)."""
    if flavour == "openapi-3.0":
        return _spell_30(schema)
    if flavour == "draft-07":
        out = _spell_07(schema)
        if isinstance(out, dict):
            out = {"$schema": "http://json-schema.org/draft-07/schema#", **out}
        return out
    return schema


# Keywords beside a null-admitting type that may still reject null.
_REJECT_NULL_TOO = ("not", "if", "allOf", "anyOf", "oneOf", "const")


def _spell_30(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    s = map_subschemas(schema, _spell_30)
    if is_nullable_wrap(s):
        inner = next(m for m in s["anyOf"] if m != {"type": "null"})
        if isinstance(inner, dict) and "$ref" not in inner and "nullable" not in inner:
            return {**inner, "nullable": True}
        return {"allOf": [inner], "nullable": True}
    t = s.get("type")
    if isinstance(t, list) and "null" in t and any(k in s for k in _REJECT_NULL_TOO):
        # `nullable: true` would admit null past these; keep the nullable type in a member of its own
        s = {k: v for k, v in s.items() if k != "type"}
        s["allOf"] = list(s.get("allOf", [])) + [_spell_30({"type": t})]
        return s
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        if len(rest) == 1:
            s["type"] = rest[0]
        elif rest:
            s.pop("type")
            s = {"anyOf": [{"type": x} for x in rest], **{k: v for k, v in s.items()}}
        else:
            s.pop("type")
        if "null" in t:
            s["nullable"] = True
    if "const" in s:
        s["enum"] = [s.pop("const")]
    for bound, excl in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        if isinstance(s.get(excl), (int, float)) and not isinstance(s.get(excl), bool):
            value = s.pop(excl)
            current = s.get(bound)
            upper = bound == "maximum"
            if current is None or (value <= current if upper else value >= current):
                s[bound] = value
                s[excl] = True
    return s


def _spell_07(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    s = map_subschemas(schema, _spell_07)
    if "prefixItems" in s:
        prefix = s.pop("prefixItems")
        if "items" in s:
            s["additionalItems"] = s.pop("items")
        s["items"] = prefix
    deps = {}
    if isinstance(s.get("dependentRequired"), dict):
        deps.update(s.pop("dependentRequired"))
    if isinstance(s.get("dependentSchemas"), dict):
        deps.update(s.pop("dependentSchemas"))
    if deps:
        s["dependencies"] = deps
    if "$defs" in s:
        s["definitions"] = s.pop("$defs")
    if isinstance(s.get("$ref"), str):
        s["$ref"] = s["$ref"].replace("#/$defs/", "#/definitions/", 1)
    return s


# -- mutation machinery ---------------------------------------------------------------------------

@dataclass
class Ctx:
    root: Any
    flavour: str
    rnd: random.Random
    path: tuple

    def has(self, kw: str) -> bool:
        return kw in VOCABULARY.get(self.flavour, VOCABULARY["2020-12"])


Mutation = Callable[[Any, random.Random, Ctx], Any]


@dataclass(frozen=True)
class Kind:
    name: str
    fn: Mutation
    equivalent: bool = False


def nodes(schema: Any, path: tuple = (), depth: int = 0):
    """(path, node) of every schema node of `schema`, the root first."""
    yield path, schema
    if depth > 12:
        return
    for sub_path, sub in subschemas(schema):
        yield from nodes(sub, path + sub_path, depth + 1)


def get_at(schema: Any, path: tuple) -> Any:
    for token in path:
        schema = schema[token]
    return schema


def set_at(schema: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    parent = get_at(schema, path[:-1])
    parent[path[-1]] = value
    return schema


def mutate(schema: Any, kind: Kind, rnd: random.Random, flavour: str) -> Any | None:
    """`schema` with `kind` applied at a node where it applies (None when it applies nowhere)."""
    spots = list(nodes(schema))
    rnd.shuffle(spots)
    for path, node in spots:
        out = kind.fn(copy.deepcopy(node), rnd, Ctx(schema, flavour, rnd, path))
        if out is None:
            continue
        new = set_at(copy.deepcopy(schema), path, out)
        if new != schema:
            return new
    return None


def _typed(node: Any, *types: str) -> bool:
    if not isinstance(node, dict):
        return False
    t = node.get("type")
    t = [t] if isinstance(t, str) else t if isinstance(t, list) else []
    return any(x in t for x in types)


def _is_object(node: Any) -> bool:
    return isinstance(node, dict) and (_typed(node, "object") or isinstance(node.get("properties"), dict))


# -- the kinds ------------------------------------------------------------------------------------

BOUNDS = {
    "maximum": ("number", "max"), "exclusiveMaximum": ("number", "max"), "minimum": ("number", "min"),
    "exclusiveMinimum": ("number", "min"), "maxLength": ("string", "max"), "minLength": ("string", "min"),
    "maxItems": ("array", "max"), "minItems": ("array", "min"), "maxProperties": ("object", "max"),
    "minProperties": ("object", "min"), "maxContains": ("contains", "max"), "minContains": ("contains", "min"),
}


def _bound_kws(node: Any) -> list[str]:
    return [k for k in BOUNDS if isinstance(node, dict) and isinstance(node.get(k), (int, float))
            and not isinstance(node.get(k), bool)]


def bound_tighten(node, rnd, ctx):
    kws = _bound_kws(node)
    if not kws:
        return None
    kw = rnd.choice(kws)
    step = rnd.choice([1, 1, 2, 5])
    node[kw] = node[kw] - step if BOUNDS[kw][1] == "max" else node[kw] + step
    if BOUNDS[kw][0] != "number" and node[kw] < 0:
        return None
    return node


def bound_loosen(node, rnd, ctx):
    kws = _bound_kws(node)
    if not kws:
        return None
    kw = rnd.choice(kws)
    step = rnd.choice([1, 1, 2, 5])
    node[kw] = node[kw] + step if BOUNDS[kw][1] == "max" else node[kw] - step
    if BOUNDS[kw][0] != "number" and node[kw] < 0:
        return None
    return node


def bound_add(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    options = []
    if _typed(node, "string"):
        options += [("maxLength", rnd.randint(1, 8)), ("minLength", rnd.randint(1, 3))]
    if _typed(node, "integer", "number"):
        options += [("maximum", rnd.randint(0, 50)), ("minimum", rnd.randint(-3, 10)),
                    ("exclusiveMaximum", rnd.randint(0, 50)), ("exclusiveMinimum", rnd.randint(-3, 10))]
    if _typed(node, "array"):
        options += [("maxItems", rnd.randint(1, 4)), ("minItems", rnd.randint(1, 2))]
    if _is_object(node):
        options += [("maxProperties", rnd.randint(1, 3)), ("minProperties", rnd.randint(1, 2))]
    options = [(k, v) for k, v in options if k not in node]
    if not options:
        return None
    k, v = rnd.choice(options)
    node[k] = v
    return node


def bound_remove(node, rnd, ctx):
    kws = _bound_kws(node)
    if not kws:
        return None
    node.pop(rnd.choice(kws))
    return node


def exclusive_toggle(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    for a, b in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum"),
                 ("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
        if a in node and b not in node and isinstance(node[a], (int, float)):
            node[b] = node.pop(a)
            return node
    return None


def multiple_of_change(node, rnd, ctx):
    if not _typed(node, "integer", "number"):
        return None
    if "multipleOf" in node and rnd.random() < 0.4:
        node.pop("multipleOf")
    else:
        node["multipleOf"] = rnd.choice([2, 3, 4, 6, 10] + ([0.5, 0.25] if _typed(node, "number") else []))
    return node


def required_add(node, rnd, ctx):
    if not _is_object(node):
        return None
    missing = [n for n in node.get("properties", {}) if n not in node.get("required", [])]
    if not missing:
        return None
    node["required"] = list(node.get("required", [])) + [rnd.choice(missing)]
    return node


def required_remove(node, rnd, ctx):
    if not isinstance(node, dict) or not node.get("required"):
        return None
    req = list(node["required"])
    req.remove(rnd.choice(req))
    if req:
        node["required"] = req
    else:
        node.pop("required")
    return node


def _fresh_name(node: dict, rnd) -> str:
    names = [n for n in NAMES + ["extra", "note_id", "new_field"] if n not in node.get("properties", {})]
    return rnd.choice(names)


def property_add(node, rnd, ctx, required=False):
    if not _is_object(node):
        return None
    name = _fresh_name(node, rnd)
    node["properties"] = {**node.get("properties", {}), name: SchemaGen(rnd, ctx.flavour).schema(1)}
    if required:
        node["required"] = list(node.get("required", [])) + [name]
    return node


def property_remove(node, rnd, ctx):
    if not _is_object(node) or not node.get("properties"):
        return None
    name = rnd.choice(list(node["properties"]))
    node["properties"] = {k: v for k, v in node["properties"].items() if k != name}
    if name in node.get("required", []):
        node["required"] = [r for r in node["required"] if r != name]
        if not node["required"]:
            node.pop("required")
    return node


def ap_close(node, rnd, ctx):
    if not _is_object(node) or node.get("additionalProperties") is False:
        return None
    node["additionalProperties"] = False
    return node


def ap_open(node, rnd, ctx):
    if not isinstance(node, dict) or "additionalProperties" not in node:
        return None
    node.pop("additionalProperties")
    return node


def ap_schema(node, rnd, ctx):
    if not _is_object(node):
        return None
    node["additionalProperties"] = SchemaGen(rnd, ctx.flavour).scalar()
    return node


def _enum_pool(node: dict) -> list:
    if _typed(node, "string"):
        return STRING_VALUES + ["zz", "a b"]
    if _typed(node, "integer", "number"):
        return [0, 1, 2, 3, 7, 42, -3, 100]
    if _typed(node, "boolean"):
        return [True, False]
    return ["a", 1, True]


def enum_value_add(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    if "const" in node:
        node["enum"] = [node.pop("const")]
    if not isinstance(node.get("enum"), list):
        return None
    extra = [v for v in _enum_pool(node) if v not in node["enum"]]
    if not extra:
        return None
    node["enum"] = node["enum"] + [rnd.choice(extra)]
    return node


def enum_value_remove(node, rnd, ctx):
    if not isinstance(node, dict) or not isinstance(node.get("enum"), list) or len(node["enum"]) < 2:
        return None
    values = list(node["enum"])
    values.pop(rnd.randrange(len(values)))
    node["enum"] = values
    return node


def enum_add(node, rnd, ctx):
    if not isinstance(node, dict) or "enum" in node or "const" in node or not _typed(node, *SCALARS):
        return None
    node["enum"] = rnd.sample(_enum_pool(node), min(2, len(_enum_pool(node))))
    return node


def enum_remove(node, rnd, ctx):
    if not isinstance(node, dict) or ("enum" not in node and "const" not in node):
        return None
    node.pop("enum", None)
    node.pop("const", None)
    return node


def const_change(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    key = "const" if "const" in node else "enum" if isinstance(node.get("enum"), list) and len(node["enum"]) == 1 else None
    if key is None:
        return None
    current = node[key] if key == "const" else node[key][0]
    others = [v for v in _enum_pool(node) if v != current]
    if not others:
        return None
    value = rnd.choice(others)
    node[key] = value if key == "const" else [value]
    return node


def type_change(node, rnd, ctx):
    if not isinstance(node, dict) or not isinstance(node.get("type"), str) or node["type"] == "null":
        return None
    node["type"] = rnd.choice([t for t in SCALARS + ["object", "array"] if t != node["type"]])
    return node


def type_widen(node, rnd, ctx):
    if not isinstance(node, dict) or not isinstance(node.get("type"), str):
        return None
    if node["type"] == "integer":
        node["type"] = "number"
    elif ctx.has("type-list"):
        node["type"] = [node["type"], rnd.choice([t for t in SCALARS if t != node["type"]])]
    else:
        return None
    return node


def type_narrow(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    t = node.get("type")
    if t == "number":
        node["type"] = "integer"
    elif isinstance(t, list) and len([x for x in t if x != "null"]) >= 2:
        rest = list(t)
        rest.remove(rnd.choice([x for x in t if x != "null"]))
        node["type"] = rest if len(rest) > 1 else rest[0]
    else:
        return None
    return node


def nullable_toggle(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    if is_nullable_wrap(node):
        return next(m for m in node["anyOf"] if m != {"type": "null"})
    t = node.get("type")
    if isinstance(t, list) and "null" in t:
        rest = [x for x in t if x != "null"]
        node["type"] = rest[0] if len(rest) == 1 else rest
        if isinstance(node.get("enum"), list):
            node["enum"] = [v for v in node["enum"] if v is not None] or node["enum"]
        return node
    if t == "null":
        return None
    return make_nullable(node)


def format_change(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    if _typed(node, "string"):
        pool = STRING_FORMATS
    elif _typed(node, "integer"):
        pool = ["int32", "int64"]
    elif _typed(node, "number"):
        pool = ["float", "double"]
    else:
        return None
    choices = [f for f in pool if f != node.get("format")] + ([None] if "format" in node else [])
    value = rnd.choice(choices)
    if value is None:
        node.pop("format")
    else:
        node["format"] = value
    return node


def pattern_change(node, rnd, ctx):
    if not _typed(node, "string"):
        return None
    choices = [p for p in PATTERNS if p != node.get("pattern")] + ([None] if "pattern" in node else [])
    value = rnd.choice(choices)
    if value is None:
        node.pop("pattern")
    else:
        node["pattern"] = value
    return node


def pattern_empty_add(node, rnd, ctx):
    """`pattern: ''` matches every string: no change at all."""
    if not _typed(node, "string") or "pattern" in node:
        return None
    node["pattern"] = ""
    return node


def _sibling(node: Any, rnd, ctx) -> Any:
    """A schema that overlaps `node`: the same with one property more or fewer, or another type."""
    if _is_object(node):
        other = copy.deepcopy(node)
        other.pop("required", None)
        other["properties"] = {**other.get("properties", {}), _fresh_name(other, rnd): {"type": "string"}}
        other.pop("additionalProperties", None)
        return other
    return SchemaGen(rnd, ctx.flavour).scalar()


def wrap_one_of(node, rnd, ctx):
    if not isinstance(node, dict) or "$defs" in node:
        return None
    members = [node, _sibling(node, rnd, ctx)]
    rnd.shuffle(members)
    return {"oneOf": members}


def wrap_any_of(node, rnd, ctx):
    if not isinstance(node, dict) or "$defs" in node:
        return None
    members = [node, _sibling(node, rnd, ctx)]
    rnd.shuffle(members)
    return {"anyOf": members}


def member_add(node, rnd, ctx):
    for kw in ("oneOf", "anyOf"):
        if isinstance(node, dict) and isinstance(node.get(kw), list):
            tags = [m.get("properties", {}).get("type") for m in node[kw] if isinstance(m, dict)]
            if tags and all(isinstance(t, dict) for t in tags):  # an event union: a new event type
                new = copy.deepcopy(rnd.choice(node[kw]))
                used = {str(t.get("const", t.get("enum"))) for t in tags}
                fresh = [e for e in EVENT_TAGS if str(e) not in used and str([e]) not in used]
                if not fresh:
                    return None
                tag = rnd.choice(fresh)
                new["properties"]["type"] = {"const": tag} if ctx.has("const") else {"type": "string", "enum": [tag]}
                node[kw] = node[kw] + [new]
            else:
                node[kw] = node[kw] + [_sibling(rnd.choice(node[kw]), rnd, ctx)]
            return node
    return None


def member_remove(node, rnd, ctx):
    for kw in ("oneOf", "anyOf"):
        if isinstance(node, dict) and isinstance(node.get(kw), list) and len(node[kw]) >= 2:
            members = list(node[kw])
            members.pop(rnd.randrange(len(members)))
            node[kw] = members
            return node
    return None


def union_unwrap(node, rnd, ctx):
    for kw in ("oneOf", "anyOf"):
        if isinstance(node, dict) and isinstance(node.get(kw), list) and len(node) == 1:
            return copy.deepcopy(rnd.choice(node[kw]))
    return None


def one_of_any_of_swap(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    for a, b in (("oneOf", "anyOf"), ("anyOf", "oneOf")):
        if a in node and b not in node:
            node[b] = node.pop(a)
            return node
    return None


def reorder(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    changed = False
    items = list(node.items())
    rnd.shuffle(items)
    node = dict(items)
    for kw in ("properties",):
        if isinstance(node.get(kw), dict) and len(node[kw]) > 1:
            pairs = list(node[kw].items())
            rnd.shuffle(pairs)
            node[kw] = dict(pairs)
            changed = True
    for kw in ("oneOf", "anyOf", "allOf", "required", "enum", "type"):
        if isinstance(node.get(kw), list) and len(node[kw]) > 1:
            values = list(node[kw])
            rnd.shuffle(values)
            node[kw] = values
            changed = True
    return node if changed else None


def all_of_shuffle(node, rnd, ctx):
    if not isinstance(node, dict) or not isinstance(node.get("allOf"), list) or len(node["allOf"]) < 2:
        return None
    members = list(node["allOf"])
    for _ in range(4):
        rnd.shuffle(members)
        if members != node["allOf"]:
            break
    node["allOf"] = members[::-1] if members == node["allOf"] else members
    return node


# Keywords that must stay together in one allOf member: each reads the others beside it.
_GROUPS = [("properties", "patternProperties", "additionalProperties"), ("prefixItems", "items"),
           ("contains", "minContains", "maxContains"), ("if", "then", "else"), ("oneOf", "discriminator"),
           ("anyOf",)]
_OUTER_ONLY = ("unevaluatedProperties", "unevaluatedItems", "$defs", "$schema", "description", "default", "title")


def split_all_of(node: Any, rnd: random.Random) -> dict | None:
    """`node` as an allOf of two parts with the same meaning (type repeated in both)."""
    if not isinstance(node, dict) or "$ref" in node:
        return None
    outer = {k: node[k] for k in _OUTER_ONLY if k in node}
    body = {k: v for k, v in node.items() if k not in _OUTER_ONLY and k != "type"}
    units: list[dict] = []
    taken: set[str] = set()
    for group in _GROUPS:
        unit = {k: body[k] for k in group if k in body}
        if unit:
            units.append(unit)
            taken.update(unit)
    units += [{k: v} for k, v in body.items() if k not in taken]
    if len(units) < 2:
        return None
    rnd.shuffle(units)
    cut = rnd.randint(1, len(units) - 1)
    left = {k: v for u in units[:cut] for k, v in u.items()}
    right = {k: v for u in units[cut:] for k, v in u.items()}
    if "type" in node:
        left = {"type": node["type"], **left}
        if rnd.random() < 0.5:
            right = {"type": node["type"], **right}
    members = [left, right]
    if "allOf" in left or "allOf" in right:
        return None
    return {**outer, "allOf": members}


def all_of_split(node, rnd, ctx):
    return split_all_of(node, rnd)


def all_of_add_member(node, rnd, ctx):
    if not isinstance(node, dict) or not isinstance(node.get("allOf"), list):
        return None
    gen = SchemaGen(rnd, ctx.flavour)
    node["allOf"] = node["allOf"] + [gen.scalar(rnd.choice(["string", "integer"]))
                                     if rnd.random() < 0.5 else {"required": [rnd.choice(NAMES)]}]
    return node


def ref_inline(node, rnd, ctx):
    if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
        return None
    name = node["$ref"].rsplit("/", 1)[-1]
    defs = ctx.root.get("$defs", {}) if isinstance(ctx.root, dict) else {}
    target = defs.get(name)
    if target is None or _mentions_ref(target):  # a recursive or nested reference: keep it
        return None
    rest = {k: v for k, v in node.items() if k != "$ref"}
    if not rest:
        return copy.deepcopy(target)
    return {"allOf": [copy.deepcopy(target)], **rest}


def respell_null(node, rnd, ctx):
    """Another spelling of the same nullability: type list <-> anyOf with a null member."""
    if not isinstance(node, dict) or any(k in node for k in _REJECT_NULL_TOO + ("enum", "$ref")):
        return None  # these may reject null past a null type: the two spellings would differ
    t = node.get("type")
    if isinstance(t, list) and "null" in t and len(t) == 2:
        inner = {**node, "type": next(x for x in t if x != "null")}
        return {"anyOf": [inner, {"type": "null"}]}
    if is_nullable_wrap(node):
        inner = next(m for m in node["anyOf"] if m != {"type": "null"})
        if (isinstance(inner, dict) and isinstance(inner.get("type"), str)
                and not any(k in inner for k in _REJECT_NULL_TOO + ("enum", "$ref"))):
            return {**inner, "type": [inner["type"], "null"]}
    return None


def respell_const(node, rnd, ctx):
    if not isinstance(node, dict) or not ctx.has("const"):
        return None
    if "const" in node and "enum" not in node:
        node["enum"] = [node.pop("const")]
        return node
    if isinstance(node.get("enum"), list) and len(node["enum"]) == 1:
        node["const"] = node.pop("enum")[0]
        return node
    return None


def annotation_change(node, rnd, ctx):
    if not isinstance(node, dict):
        return None
    node[rnd.choice(["description", "title"])] = rnd.choice(["changed", "another text", "x"])
    return node


def default_change(node, rnd, ctx):
    if not _typed(node, *SCALARS):
        return None
    node["default"] = rnd.choice(_enum_pool(node))
    return node


def prefix_items_add(node, rnd, ctx):
    if not _typed(node, "array") or not ctx.has("prefixItems"):
        return None
    node["prefixItems"] = list(node.get("prefixItems", [])) + [SchemaGen(rnd, ctx.flavour).scalar()]
    return node


def prefix_items_remove(node, rnd, ctx):
    if not isinstance(node, dict) or not node.get("prefixItems"):
        return None
    node["prefixItems"] = node["prefixItems"][:-1]
    if not node["prefixItems"]:
        node.pop("prefixItems")
    return node


def unique_items_toggle(node, rnd, ctx):
    if not _typed(node, "array"):
        return None
    if node.get("uniqueItems"):
        node.pop("uniqueItems")
    else:
        node["uniqueItems"] = True
    return node


def not_add(node, rnd, ctx):
    if not isinstance(node, dict) or "not" in node or "$ref" in node:
        return None
    if _typed(node, "string"):
        node["not"] = rnd.choice([{"enum": ["a", "b"]}, {"pattern": "^x"}, {"maxLength": 1}])
    elif _typed(node, "integer", "number"):
        node["not"] = rnd.choice([{"enum": [0, 1]}, {"minimum": 50}])
    elif _is_object(node):
        node["not"] = {"required": [rnd.choice(NAMES)]}
    else:
        node["not"] = {"type": "null"}
    return node


def not_remove(node, rnd, ctx):
    if not isinstance(node, dict) or "not" not in node:
        return None
    node.pop("not")
    return node


def conditional_add(node, rnd, ctx):
    if not ctx.has("if") or not isinstance(node, dict) or "if" in node:
        return None
    if _is_object(node) and node.get("properties"):
        name = rnd.choice(list(node["properties"]))
        node["if"] = {"properties": {name: {"type": "string"}}, "required": [name]}
        node["then"] = {"required": [rnd.choice(NAMES)]}
    elif _typed(node, "integer", "number"):
        node["if"] = {"minimum": rnd.randint(0, 10)}
        node["then"] = {"multipleOf": 2}
    else:
        return None
    if rnd.random() < 0.4:
        node["else"] = {"not": {"type": "null"}}
    return node


def conditional_remove(node, rnd, ctx):
    if not isinstance(node, dict) or "if" not in node:
        return None
    for kw in ("if", "then", "else"):
        node.pop(kw, None)
    return node


def conditional_change(node, rnd, ctx):
    if not isinstance(node, dict) or "if" not in node:
        return None
    branch = rnd.choice(["then", "else"])
    if branch in node and rnd.random() < 0.5:
        node.pop(branch)
    else:
        node[branch] = rnd.choice([{"required": [rnd.choice(NAMES)]}, {"not": {"type": "null"}},
                                   {"maxProperties": 2}, {"multipleOf": 3}])
    return node


def dependent_required_add(node, rnd, ctx):
    if not ctx.has("dependentRequired") or not _is_object(node) or len(node.get("properties", {})) < 1:
        return None
    a = rnd.choice(list(node["properties"]))
    b = rnd.choice([n for n in NAMES if n != a])
    deps = dict(node.get("dependentRequired", {}))
    deps[a] = list(dict.fromkeys(list(deps.get(a, [])) + [b]))
    node["dependentRequired"] = deps
    return node


def dependent_required_remove(node, rnd, ctx):
    if not isinstance(node, dict) or not node.get("dependentRequired"):
        return None
    deps = dict(node["dependentRequired"])
    deps.pop(rnd.choice(list(deps)))
    if deps:
        node["dependentRequired"] = deps
    else:
        node.pop("dependentRequired")
    return node


def unevaluated_close(node, rnd, ctx):
    if not ctx.has("unevaluatedProperties") or not _is_object(node) or "unevaluatedProperties" in node:
        return None
    node["unevaluatedProperties"] = False
    return node


def unevaluated_open(node, rnd, ctx):
    if not isinstance(node, dict) or "unevaluatedProperties" not in node:
        return None
    node.pop("unevaluatedProperties")
    return node


def property_names_toggle(node, rnd, ctx):
    if not ctx.has("propertyNames") or not _is_object(node):
        return None
    if "propertyNames" in node:
        node.pop("propertyNames")
    else:
        node["propertyNames"] = {"pattern": rnd.choice(["^[a-z_]+$", "^[a-c]+$", "^[a-z]{1,4}$"])}
    return node


def pattern_properties_toggle(node, rnd, ctx):
    if not ctx.has("patternProperties") or not _is_object(node):
        return None
    if "patternProperties" in node:
        node.pop("patternProperties")
    else:
        node["patternProperties"] = {rnd.choice(["^x_", "^[ab]$", "_id$"]): SchemaGen(rnd, ctx.flavour).scalar()}
    return node


def contains_toggle(node, rnd, ctx):
    if not ctx.has("contains") or not _typed(node, "array"):
        return None
    if "contains" in node:
        for kw in ("contains", "minContains", "maxContains"):
            node.pop(kw, None)
    else:
        node["contains"] = SchemaGen(rnd, ctx.flavour).scalar()
    return node


def items_replace(node, rnd, ctx):
    if not _typed(node, "array"):
        return None
    node["items"] = SchemaGen(rnd, ctx.flavour).schema(1)
    return node


# A kind that removes or changes a keyword a schema seldom has: the kind that adds it first.
PREPARED_BY = {
    "unevaluatedProperties-open": "unevaluatedProperties-close", "dependentRequired-remove": "dependentRequired-add",
    "conditional-remove": "conditional-add", "conditional-change": "conditional-add",
    "prefixItems-remove": "prefixItems-add", "not-remove": "not-add", "additionalProperties-open": "additionalProperties-close",
}

KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("bound-tighten", bound_tighten), Kind("bound-loosen", bound_loosen), Kind("bound-add", bound_add),
    Kind("bound-remove", bound_remove), Kind("exclusive-toggle", exclusive_toggle),
    Kind("multipleOf-change", multiple_of_change),
    Kind("required-add", required_add), Kind("required-remove", required_remove),
    Kind("property-add", property_add),
    Kind("property-add-required", lambda n, r, c: property_add(n, r, c, required=True)),
    Kind("property-remove", property_remove),
    Kind("additionalProperties-close", ap_close), Kind("additionalProperties-open", ap_open),
    Kind("additionalProperties-schema", ap_schema),
    Kind("enum-value-add", enum_value_add), Kind("enum-value-remove", enum_value_remove),
    Kind("enum-add", enum_add), Kind("enum-remove", enum_remove), Kind("const-change", const_change),
    Kind("type-change", type_change), Kind("type-widen", type_widen), Kind("type-narrow", type_narrow),
    Kind("nullable-toggle", nullable_toggle), Kind("format-change", format_change),
    Kind("pattern-change", pattern_change), Kind("pattern-empty-add", pattern_empty_add, equivalent=True),
    Kind("wrap-oneOf", wrap_one_of), Kind("wrap-anyOf", wrap_any_of), Kind("union-member-add", member_add),
    Kind("union-member-remove", member_remove), Kind("union-unwrap", union_unwrap),
    Kind("oneOf-anyOf-swap", one_of_any_of_swap),
    Kind("reorder", reorder, equivalent=True), Kind("allOf-shuffle", all_of_shuffle, equivalent=True),
    Kind("allOf-split", all_of_split, equivalent=True), Kind("allOf-add-member", all_of_add_member),
    Kind("ref-inline", ref_inline, equivalent=True), Kind("respell-null", respell_null, equivalent=True),
    Kind("respell-const", respell_const, equivalent=True),
    Kind("annotation-change", annotation_change, equivalent=True), Kind("default-change", default_change),
    Kind("prefixItems-add", prefix_items_add), Kind("prefixItems-remove", prefix_items_remove),
    Kind("uniqueItems-toggle", unique_items_toggle), Kind("items-replace", items_replace),
    Kind("not-add", not_add), Kind("not-remove", not_remove),
    Kind("conditional-add", conditional_add), Kind("conditional-remove", conditional_remove),
    Kind("conditional-change", conditional_change),
    Kind("dependentRequired-add", dependent_required_add),
    Kind("dependentRequired-remove", dependent_required_remove),
    Kind("unevaluatedProperties-close", unevaluated_close), Kind("unevaluatedProperties-open", unevaluated_open),
    Kind("propertyNames-toggle", property_names_toggle),
    Kind("patternProperties-toggle", pattern_properties_toggle), Kind("contains-toggle", contains_toggle),
]}
