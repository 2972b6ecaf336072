"""What each differ verdict promises about the two schemas, and the exceptions POLICY.md allows.

A verdict's promise is a set inclusion between what the old schema accepts (L(old)) and what the
new one accepts (L(new)):

- request side, nothing `breaking`: every request an old client could send is still accepted,
  L_sent(old) <= L(new);
- response side, nothing at or above `warning`: every value the new server may send is one an
  old client could receive, L(new) <= L(old). (A loosening on the response side is a `warning`,
  so a response verdict of `warning` promises nothing about inclusion.)

Where the policy allows a change, an instance that differs only in the allowed way is not a
counterexample. Each exception is a transformation of a schema, so that it can be validated:

- `sent_by_old_clients` (request, the domain): old clients send the properties the old schema
  declares, not ones it merely leaves open. At every value position (the root, property values,
  items, ...) whose schema declares properties, an object may carry only those (2020-12's
  `unevaluatedProperties: false`, which sees through `allOf`/`anyOf`/`$ref`). A schema that is
  open on purpose (`additionalProperties: true` or a schema, `patternProperties`) keeps what it
  opens. This is the "new optional request parameter/property" clause: a property the new schema
  declares, and an old client never sent, may be typed however the new schema likes.
- `opaque` (both sides): a string property named `id` or ending in `_id` (declared, or an entry
  of an `additionalProperties` schema), or a schema marked `x-opaque: true`, may change length,
  format and pattern: their `minLength`, `maxLength`, `pattern` and string `format` are dropped
  from the schema that judges the instance.
- `new_response_properties` (response): "new properties in JSON response objects" are allowed, also
  where the old schema closed the object (`additionalProperties: false` or `unevaluatedProperties:
  false`; where it was open, the old schema accepted them anyway): the old schema's closed objects
  are opened. A typed map (`additionalProperties` a schema) keeps its type: a new property must be
  a value the map allowed. Opened, the closed members of a oneOf may overlap and reject what each
  took alone; so a value is also excused when, with every property the old schema names nowhere
  removed, it is one the old schema accepts (`new_property_stripper`, judge.py).
- `new_event_types` (response): an event union (a `oneOf`/`anyOf` whose members are objects told
  apart by `discriminator.propertyName`, or by a one-value `enum`/`const` on `type`; a `false` or
  null member tells nothing apart and is passed over) accepts, in the old schema, any object whose
  tag no event union at the same value position used.

`$ref`s are inlined (to a bounded depth; deeper ones stay as references to the same `$defs`) before
a transformation, so that it reaches every place a schema is used.

An exception may only widen what the old side accepts. Each transformation widens where it acts
(drops a constraint, adds a union member), and so widens every schema built from it monotonically
(allOf, anyOf, properties, items, ...); but not a `oneOf` (a widened member can overlap another and
reject a value that matched one), a `not` or an `if` (widened, they narrow), nor a `contains` bounded
by `maxContains`. Where a transformation changed such a node, the node becomes `anyOf: [itself,
transformed]` (`widening`), so that the relaxed schema accepts every value the original did.
"""

from __future__ import annotations

import re
from typing import Any
from collections.abc import Callable

from .dialect import map_subschemas, resolve

REQUEST, RESPONSE = "request", "response"
INLINE_DEPTH = 3
INLINE_BUDGET = 3000
STRING_FORMATS_KEEP = frozenset({"int32", "int64", "float", "double"})  # numeric: not an opaque string's
OPAQUE_STRING_KEYS = ("minLength", "maxLength", "pattern")
IN_PLACE = ("allOf", "anyOf", "oneOf")
IN_PLACE_ONE = ("not", "if", "then", "else")
VALUE_ONE = ("additionalProperties", "items", "contains", "unevaluatedItems", "additionalItems")
VALUE_NAMED = ("properties", "patternProperties")
NOT_MONOTONE = ("oneOf", "not", "if")  # keywords whose subschemas, widened, may narrow the node
ROOT_ONLY = ("$schema", "$id", "$defs", "definitions")  # stay at the root, where references find them


def widening(original: Any, transformed: Any) -> Any:
    """`transformed` (the node `original` with its subschemas, or itself, relaxed) where that cannot
    narrow `original`, else `anyOf: [original, transformed]`: a superset of what `original` accepts
    either way (see the module doc)."""
    if not isinstance(original, dict) or not isinstance(transformed, dict) or transformed == original:
        return transformed
    if not (any(kw in original for kw in NOT_MONOTONE) or ("contains" in original and "maxContains" in original)):
        return transformed
    kept = {k: transformed[k] for k in ROOT_ONLY if k in transformed}
    return {"anyOf": [{k: v for k, v in original.items() if k not in ROOT_ONLY},
                      {k: v for k, v in transformed.items() if k not in ROOT_ONLY}], **kept}


# -- $ref inlining ----------------------------------------------------------------------------------

def inline_refs(root: Any, depth: int = INLINE_DEPTH, budget: int = INLINE_BUDGET) -> Any:
    """`root` with local `$ref`s replaced by `allOf: [target]` down to `depth` nested references and
    while fewer than `budget` schema nodes have been copied; deeper ones (recursive schemas) keep
    pointing into the unchanged `$defs`."""
    spent = [0]

    def walk(schema: Any, left: int) -> Any:
        if not isinstance(schema, dict):
            return schema
        spent[0] += 1
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#") and left > 0 and spent[0] < budget:
            target = resolve(root, ref)
            if target is not None:
                rest = {k: v for k, v in schema.items() if k != "$ref"}
                rest = map_subschemas(rest, lambda s: walk(s, left))
                members = list(rest.get("allOf", [])) if isinstance(rest.get("allOf"), list) else []
                rest["allOf"] = [walk(target, left - 1)] + members
                return rest
        return map_subschemas(schema, lambda s: walk(s, left))

    if not isinstance(root, dict) or not _has_ref(root):
        return root
    defs = {k: root[k] for k in ("$defs", "definitions") if k in root}
    body = walk({k: v for k, v in root.items() if k not in defs}, depth)
    return {**body, **defs}


def _has_ref(value: Any) -> bool:
    if isinstance(value, dict):
        return "$ref" in value or any(_has_ref(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_ref(v) for v in value)
    return False


# -- the request domain -----------------------------------------------------------------------------

def sent_by_old_clients(schema: Any) -> Any:
    """The requests old clients send: objects carry only declared properties (see the module doc).
    `schema` is inlined already (inline_refs)."""
    return _at_value_positions(schema, _close_undeclared)


def _close_undeclared(schema: Any) -> Any:
    if not isinstance(schema, dict) or "unevaluatedProperties" in schema:
        return schema
    if _declares_properties(schema):
        return {**schema, "unevaluatedProperties": False}
    return schema


def _declares_properties(schema: Any, depth: int = 0) -> bool:
    """Does the in-place tree of `schema` (itself, its allOf/anyOf/oneOf members, if/then/else) name
    properties? Free-form objects (`type: object` alone) declare none and stay open."""
    if not isinstance(schema, dict) or depth > 8:
        return False
    if isinstance(schema.get("properties"), dict) and schema["properties"]:
        return True
    for kw in IN_PLACE:
        if isinstance(schema.get(kw), list) and any(_declares_properties(m, depth + 1) for m in schema[kw]):
            return True
    return any(_declares_properties(schema.get(kw), depth + 1) for kw in ("then", "else"))


def _at_value_positions(schema: Any, fn: Callable[[Any], Any], in_place: bool = False) -> Any:
    """Apply `fn` at each value position of `schema` (the root and every place an instance's value
    is judged on its own: property values, items, additionalProperties, ...), not at in-place
    members (allOf/anyOf/oneOf/not/if/then/else), where `unevaluatedProperties` would not see the
    siblings' properties. `$defs` are left alone (inline_refs has copied what is used)."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    for kw in IN_PLACE:
        if isinstance(out.get(kw), list):
            out[kw] = [_at_value_positions(m, fn, True) for m in out[kw]]
    for kw in IN_PLACE_ONE:
        if isinstance(out.get(kw), dict):
            out[kw] = _at_value_positions(out[kw], fn, True)
    for kw in VALUE_ONE:
        if isinstance(out.get(kw), dict):
            out[kw] = _at_value_positions(out[kw], fn)
    if isinstance(out.get("prefixItems"), list):
        out["prefixItems"] = [_at_value_positions(m, fn) for m in out["prefixItems"]]
    if isinstance(out.get("items"), list):
        out["items"] = [_at_value_positions(m, fn) for m in out["items"]]
    for kw in VALUE_NAMED:
        if isinstance(out.get(kw), dict):
            out[kw] = {k: _at_value_positions(v, fn) for k, v in out[kw].items()}
    if isinstance(out.get("dependentSchemas"), dict):
        out["dependentSchemas"] = {k: _at_value_positions(v, fn, True) for k, v in out["dependentSchemas"].items()}
    return out if in_place else fn(out)


# -- opaque strings ---------------------------------------------------------------------------------

def is_opaque_name(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def without_opaque_constraints(schema: Any) -> Any:
    """`schema` (inlined) with the length, pattern and string format of opaque strings dropped."""
    return _strip_opaque(schema, False)


def _strip_opaque(schema: Any, opaque: bool) -> Any:
    if not isinstance(schema, dict):
        return schema
    opaque = opaque or schema.get("x-opaque") is True
    out = dict(schema)
    if opaque:
        for kw in OPAQUE_STRING_KEYS:
            out.pop(kw, None)
        if isinstance(out.get("format"), str) and out["format"] not in STRING_FORMATS_KEEP:
            out.pop("format")
    for kw in IN_PLACE:
        if isinstance(out.get(kw), list):
            out[kw] = [_strip_opaque(m, opaque) for m in out[kw]]
    props = out.get("properties")
    if isinstance(props, dict):
        out["properties"] = {k: _strip_opaque(v, is_opaque_name(k)) for k, v in props.items()}
    if isinstance(out.get("additionalProperties"), dict):
        out = _opaque_entries(out)
    return widening(schema, _strip_rest(out))


def _opaque_entries(schema: dict) -> dict:
    """An opaque name this mapping does not declare (`id`, `..._id`) reaches its additionalProperties
    schema: a property all the same, so that schema, relaxed as opaque, judges it instead (a
    patternProperties entry for those names, declared ones left out: additionalProperties no longer
    sees them; other patterns still apply)."""
    declared = sorted(schema["properties"]) if isinstance(schema.get("properties"), dict) else []
    skip = f"(?!(?:{'|'.join(re.escape(k) for k in declared)})$)" if declared else ""
    patterns = dict(schema["patternProperties"]) if isinstance(schema.get("patternProperties"), dict) else {}
    patterns.setdefault(f"^{skip}(?:id|.*_id)$", _strip_opaque(schema["additionalProperties"], True))
    return {**schema, "patternProperties": patterns}


def _strip_rest(schema: dict) -> dict:
    """Recurse into the subschemas `_strip_opaque` did not handle itself (not opaque there)."""
    handled = set(IN_PLACE) | {"properties"}
    out = dict(schema)
    rest = {k: v for k, v in out.items() if k not in handled}
    rest = map_subschemas(rest, lambda s: _strip_opaque(s, False))
    out.update(rest)
    return out


# -- new response properties ------------------------------------------------------------------------

def declared_names(schema: Any) -> set[str]:
    """Every property name declared anywhere in `schema`."""
    names: set[str] = set()

    def walk(s: Any, depth: int) -> None:
        if not isinstance(s, dict) or depth > 64:
            return
        if isinstance(s.get("properties"), dict):
            names.update(k for k in s["properties"] if isinstance(k, str))
        map_subschemas(s, lambda sub: walk(sub, depth + 1))

    walk(schema, 0)
    return names


def with_new_properties_allowed(schema: Any) -> Any:
    """`schema` where every closed object (`additionalProperties: false`, `unevaluatedProperties:
    false`) is open: a response object may carry properties it did not declare. Typed maps
    (`additionalProperties` a schema) keep their type."""

    def walk(s: Any) -> Any:
        if not isinstance(s, dict):
            return s
        out = map_subschemas(s, walk)
        for kw in ("additionalProperties", "unevaluatedProperties"):
            if out.get(kw) is False:
                out.pop(kw)
        return widening(s, out)

    return walk(schema)


def new_property_stripper(old: Any) -> Callable[[Any], Any] | None:
    """The instance side of `new_response_properties`, for a union the opening cannot judge (opened,
    the members of a oneOf overlap): a function that removes from a value, at every depth, each
    property an old client could not know (a name the old schema declares in no `properties`,
    matching none of its `patternProperties`); the value is excused when what is left is one the
    old schema accepts. None when the old schema has a typed map (`additionalProperties` or
    `unevaluatedProperties` a schema): there an undeclared name is a map entry the map must type,
    not a new property; nor where it bounds the names or their number (`propertyNames`,
    `maxProperties`), which the opening keeps too. `old` is inlined already."""
    declared = declared_names(old)
    regexes: set[str] = set()
    typed = [False]

    def walk(s: Any, depth: int) -> None:
        if not isinstance(s, dict) or depth > 64:
            return
        if isinstance(s.get("patternProperties"), dict):
            regexes.update(k for k in s["patternProperties"] if isinstance(k, str))
        for kw in ("additionalProperties", "unevaluatedProperties"):
            if isinstance(s.get(kw), dict) and s[kw]:
                typed[0] = True
        if "maxProperties" in s or "propertyNames" in s:
            typed[0] = True  # bounds on the names or their number: a property more is theirs to judge
        map_subschemas(s, lambda sub: walk(sub, depth + 1))

    walk(old, 0)
    if typed[0]:
        return None
    compiled = []
    for r in sorted(regexes):
        try:
            compiled.append(re.compile(r))
        except re.error:
            return None  # a pattern Python cannot read: which names it takes is not known

    def known(name: str) -> bool:
        return name in declared or any(c.search(name) for c in compiled)

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if known(k)}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip


# -- new event types --------------------------------------------------------------------------------

def with_new_event_types(schema: Any) -> Any:
    """`schema` where each event union also accepts objects whose tag was never used at its value
    position: by no event union of the same in-place tree (with unions nested in a oneOf, or side by
    side in an allOf, an old tag of one union is not new to another). A union at another position
    (the event at /data, beside the envelope's own `type` at the root) is another stream of values:
    its tags say nothing about what is new here."""
    return _at_value_positions(schema, _new_event_types_here)


def _new_event_types_here(schema: Any) -> Any:
    known: dict[str, list] = {}

    def collect(s: Any, depth: int) -> None:
        if not isinstance(s, dict) or depth > 16:
            return
        for kw in ("oneOf", "anyOf"):
            found = event_tags(s, kw)
            if found is not None:
                tags = known.setdefault(found[0], [])
                tags += [t for t in found[1] if t not in tags]
        for sub in _in_place_children(s):
            collect(sub, depth + 1)

    def add(s: Any, depth: int) -> Any:
        if not isinstance(s, dict) or depth > 16:
            return s
        out = _map_in_place(s, lambda sub: add(sub, depth + 1))
        for kw in ("oneOf", "anyOf"):
            found = event_tags(s, kw)
            if found is not None:
                prop = found[0]
                out[kw] = list(out[kw]) + [{"type": "object", "required": [prop],
                                            "properties": {prop: {"not": {"enum": known[prop]}}}}]
        return widening(s, out)

    collect(schema, 0)
    return add(schema, 0) if known else schema


def _in_place_children(s: dict) -> list:
    """The subschemas that judge the same value as `s` (allOf/anyOf/oneOf members, not, if/then/else,
    dependentSchemas)."""
    out: list = []
    for kw in IN_PLACE:
        if isinstance(s.get(kw), list):
            out += s[kw]
    out += [s[kw] for kw in IN_PLACE_ONE if isinstance(s.get(kw), dict)]
    if isinstance(s.get("dependentSchemas"), dict):
        out += list(s["dependentSchemas"].values())
    return out


def _map_in_place(s: dict, fn: Callable[[Any], Any]) -> dict:
    out = dict(s)
    for kw in IN_PLACE:
        if isinstance(out.get(kw), list):
            out[kw] = [fn(m) for m in out[kw]]
    for kw in IN_PLACE_ONE:
        if isinstance(out.get(kw), dict):
            out[kw] = fn(out[kw])
    if isinstance(out.get("dependentSchemas"), dict):
        out["dependentSchemas"] = {k: fn(v) for k, v in out["dependentSchemas"].items()}
    return out


def event_tags(schema: dict, kw: str) -> tuple[str, list] | None:
    """(tag property, tags) when `schema[kw]` is an event union (see the module doc), else None."""
    members = schema.get(kw)
    if not isinstance(members, list) or len(members) < 1:
        return None
    disc = schema.get("discriminator")
    prop = disc.get("propertyName") if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str) else "type"
    tags: list = []
    for m in members:
        if m is False or (isinstance(m, dict) and m.get("type") == "null"):
            continue  # a member that accepts nothing, or null, tells no event apart
        tag = _member_tag(m, prop, 0)
        if tag is None:
            return None
        tags.append(tag)
    return (prop, tags) if tags else None


def _member_tag(member: Any, prop: str, depth: int) -> Any:
    if not isinstance(member, dict) or depth > 6:
        return None
    props = member.get("properties")
    if isinstance(props, dict) and isinstance(props.get(prop), dict):
        p = props[prop]
        if "const" in p:
            return p["const"]
        if isinstance(p.get("enum"), list) and len(p["enum"]) == 1:
            return p["enum"][0]
    for m in member.get("allOf", []) if isinstance(member.get("allOf"), list) else []:
        tag = _member_tag(m, prop, depth + 1)
        if tag is not None:
            return tag
    return None


# -- the exceptions of a side -----------------------------------------------------------------------

def exceptions(direction: str, old: Any, new: Any) -> dict[str, Any]:
    """name -> the schema that judges an instance when that exception applies (all of a side's
    exceptions together under "all"). Request: relaxations of the new schema; response: of the old.
    `old` and `new` are inlined already (inline_refs)."""
    if direction == REQUEST:
        relaxed = without_opaque_constraints(new)
        return {"opaque": relaxed, "all": relaxed}
    each = {
        "opaque": without_opaque_constraints(old),
        "new-response-property": with_new_properties_allowed(old),
        "new-event-type": with_new_event_types(old),
    }
    together = with_new_event_types(with_new_properties_allowed(each["opaque"]))
    return {**each, "all": together}
