"""Objects: `properties`, `required`, `additionalProperties`, `unevaluatedProperties: false`, and
the access marks of a property (`readOnly`, `writeOnly`).

Under allOf the properties merge by name, and a name one member declares and another does not falls,
in that other member, under its additionalProperties (false: the name is refused); `required` is
united; additionalProperties intersected. In a diff, a name one side declares and the other does not
is compared, on the other side, with its additionalProperties. readOnly values are never sent in
requests, writeOnly ones never come back: such properties are left out on that side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import patterns
from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm, accepts_all, both
from .common import BOOLEAN, MAPPING, SCHEMA, STRINGS, Findings, finding
from . import parts
from .parts import NAMED, ONE, Atoms, pattern_properties, same_unevaluated, trivial, unevaluated_node

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker

KEYWORDS = ("properties", "required", "additionalProperties", "unevaluatedProperties", "readOnly", "writeOnly")
APPLIES_TO = ("object",)
SPELLINGS = {"properties": MAPPING, "required": STRINGS, "additionalProperties": SCHEMA,
             "unevaluatedProperties": SCHEMA, "readOnly": BOOLEAN, "writeOnly": BOOLEAN}
EMITS = (R.PROPERTY_ADDED_REQUIRED, R.PROPERTY_ADDED_OPTIONAL, R.PROPERTY_TYPED_IN_FREE_FORM_OBJECT,
         R.PROPERTY_REMOVED, R.PROPERTY_BECAME_REQUIRED, R.PROPERTY_BECAME_OPTIONAL, R.ADDITIONAL_PROPERTIES_CLOSED,
         R.ADDITIONAL_PROPERTIES_OPENED, R.UNEVALUATED_PROPERTIES_CLOSED, R.UNEVALUATED_PROPERTIES_OPENED,
         R.BECAME_READ_ONLY, R.BECAME_NOT_READ_ONLY, R.BECAME_WRITE_ONLY, R.BECAME_NOT_WRITE_ONLY)


def read(n: Norm, raw: dict[str, Any]) -> None:
    node = n.node
    props = raw.get("properties")
    if isinstance(props, dict):
        n.props = {k: node.child("properties", k) for k in props if isinstance(k, str)}
    req = raw.get("required")
    if isinstance(req, list):
        n.required = frozenset(x for x in req if isinstance(x, str))
    if "additionalProperties" in raw:
        ap = raw["additionalProperties"]
        if ap is False:
            n.additional = False
        else:
            n.additional = None if ap is True or ap == {} else node.child("additionalProperties")
    if raw.get("unevaluatedProperties") is False:
        n.unevaluated_closed = True
    n.read_only = raw.get("readOnly") is True
    n.write_only = raw.get("writeOnly") is True


def merge(n: Norm, m: Norm) -> None:
    _merge_properties(n, m)
    n.required = n.required | m.required
    n.unevaluated_closed = n.unevaluated_closed or m.unevaluated_closed
    n.read_only = n.read_only or m.read_only
    n.write_only = n.write_only or m.write_only


def prune(n: Norm) -> None:
    n.props, n.required, n.additional, n.unevaluated_closed = {}, frozenset(), None, False


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """b requires what a requires; each property of a covers b's (or, where b declares none, b's other
    names cannot carry it); a closed a admits only what b does; a's additionalProperties covers the rest."""
    if not a.required <= b.required or not same_unevaluated(a, b, "unevaluatedProperties"):
        return False
    for name, child in a.props.items():
        if name in b.props:
            if not rel.covers(rel.norm(sa, child), rel.norm(sb, b.props[name]), sa, sb, depth + 1):
                return False
        elif b.additional is not False and not trivial(rel.norm(sa, child)):
            return False
    if a.additional is False:
        return b.additional is False and set(b.props) <= set(a.props) \
            and set(pattern_properties(b)) <= set(pattern_properties(a))
    if isinstance(a.additional, Node):
        return _includes_additional(rel, a, b, sa, sb, depth)
    return True


def _includes_additional(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """a's additionalProperties schema covers every value b allows under a name a does not declare."""
    wide = rel.norm(sa, a.additional)
    if trivial(wide):
        return True
    if not set(pattern_properties(b)) <= set(pattern_properties(a)):
        return False  # names b's own patterns admit would fall under a's additionalProperties
    for name, child in b.props.items():
        if name not in a.props and not rel.covers(wide, rel.norm(sb, child), sa, sb, depth + 1):
            return False
    rest = b.additional if b.additional is not None else unevaluated_node(b, "unevaluatedProperties")
    if rest is False:
        return True
    return isinstance(rest, Node) and rel.covers(wide, rel.norm(sb, rest), sa, sb, depth + 1)


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    """required, then each name by the schema that governs it: its property's, each matching
    patternProperties' (this unit reads them with the additionalProperties whose reach they bound),
    else additionalProperties."""
    if not isinstance(value, dict):
        return True
    raw = node.raw
    req = raw.get("required")
    if isinstance(req, list) and any(isinstance(r, str) and r not in value for r in req):
        return False
    props = raw["properties"] if isinstance(raw.get("properties"), dict) else {}
    pattern_props = raw["patternProperties"] if isinstance(raw.get("patternProperties"), dict) else {}
    checks: list[bool | None] = []
    for name, v in value.items():
        matched: bool | None = name in props
        if name in props:
            checks.append(acc.accepts(node.child("properties", name), v, depth))
        for regex in pattern_props:
            hit = patterns.matches(regex, name)
            if hit is None:
                matched = None if matched is False else matched
                checks.append(None)
            elif hit:
                matched = True
                checks.append(acc.accepts(node.child("patternProperties", regex), v, depth))
        if "additionalProperties" in raw:
            if matched is None:
                checks.append(None)
            elif not matched:
                checks.append(acc.accepts(node.child("additionalProperties"), v, depth))
        if False in checks:
            return False
    return parts.both(checks)


ACCEPTS = dict.fromkeys(("required", "properties", "patternProperties", "additionalProperties"), accepts)
SUBSCHEMAS = {"properties": NAMED, "patternProperties": NAMED, "additionalProperties": ONE}


def constants(raw: dict[str, Any], atoms: Atoms) -> None:
    """The names properties declare, and a name each patternProperties regex matches."""
    atoms.keys(raw, "properties")
    atoms.keys(raw, "patternProperties")


def required_constants(raw: dict[str, Any], atoms: Atoms) -> None:
    if isinstance(raw.get("required"), list):
        for x in raw["required"]:
            if isinstance(x, str):
                atoms.hot.setdefault(x)
                atoms.required.setdefault(x)


def _as_schema(additional: Any, at: Node) -> Node | None:
    """additionalProperties as a node (False: the false schema), None when it allows anything."""
    if additional is False:
        return Node(False, at.ptr + "/additionalProperties", at.key + "/additionalProperties", at.base)
    node: Node | None = additional  # Norm.additional: None, False or a Node
    return node


def _merge_properties(n: Norm, m: Norm) -> None:
    """Properties merged by name; a property one side declares and the other does not falls under
    the other's additionalProperties. additionalProperties intersected."""
    n_extra, m_extra = _as_schema(n.additional, n.node), _as_schema(m.additional, m.node)
    props = {}
    for name in [*n.props, *(k for k in m.props if k not in n.props)]:
        mine, theirs = n.props.get(name), m.props.get(name)
        parts = [p for p in (mine if mine is not None else n_extra, theirs if theirs is not None else m_extra)
                 if p is not None]
        props[name] = parts[0] if len(parts) == 1 else both(parts[0], parts[1])
    n.props = props
    if n.additional is False or m.additional is False:
        n.additional = False
    elif n.additional is None:
        n.additional = m.additional
    elif m.additional is not None:
        n.additional = both(n.additional, m.additional)


def _hidden(norm: Norm, ctx: Ctx) -> bool:
    """readOnly values are never sent in requests; writeOnly ones never come back."""
    return norm.read_only if ctx.request else norm.write_only


def diff_properties(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """Properties by name. A name one side declares and the other does not falls, on the other
    side, under additionalProperties: its schema is compared with that (a removed property now
    checked by the map's value schema; a new one that old maps typed otherwise)."""
    for name, o_child in o.props.items():
        n_child = n.props.get(name)
        o_norm = w.old.norm(o_child)
        if n_child is None:
            if _hidden(o_norm, ctx):
                continue
            yield finding(R.PROPERTY_REMOVED, o, n, name, None, at=o_child)
            extra = _as_schema(n.additional, n.node)
            if extra is not None:
                yield from w.diff_nodes(o_child, extra, ctx.context, _opaque_name(name, ctx))
            continue
        n_norm = w.new.norm(n_child)
        yield from _diff_access(o, n, name, o_child, n_child, o_norm, n_norm, ctx)
        if _hidden(n_norm, ctx):
            continue
        n_req = name in n.required
        if _hidden(o_norm, ctx):  # not sent before (readOnly): now it is, as a new property
            if n_req:
                yield finding(R.PROPERTY_BECAME_REQUIRED, o, n, None, name, at=o_child, new_at=n_child)
            continue
        o_req = name in o.required
        if n_req and not o_req:
            yield finding(R.PROPERTY_BECAME_REQUIRED, o, n, None, name, at=o_child, new_at=n_child)
        elif o_req and not n_req:
            yield finding(R.PROPERTY_BECAME_OPTIONAL, o, n, name, None, at=o_child, new_at=n_child)
        yield from w.diff_nodes(o_child, n_child, ctx.context, _opaque_name(name, ctx),
                                expandable=name in _expandable_fields(n))
    for name, n_child in n.props.items():
        if name in o.props:
            continue
        n_norm = w.new.norm(n_child)
        if _hidden(n_norm, ctx):
            continue
        kind = R.PROPERTY_ADDED_REQUIRED if name in n.required else R.PROPERTY_ADDED_OPTIONAL
        yield finding(kind, o, n, None, name, at=n_child, new_at=n_child)
        if o.additional is not None and o.additional is not False:
            yield from w.diff_nodes(o.additional, n_child, ctx.context, _opaque_name(name, ctx))
        elif ctx.request and o.additional is None and (not o.props or _open_on_purpose(o)) and not accepts_all(n_norm):
            yield finding(R.PROPERTY_TYPED_IN_FREE_FORM_OBJECT, o, n, None, name, at=n_child, new_at=n_child)
    # Required names without a property on the side that requires them.
    for name in sorted(n.required - o.required):
        if name not in n.props:
            yield finding(R.PROPERTY_BECAME_REQUIRED, o, n, None, name)
    for name in sorted(o.required - n.required):
        if name not in o.props:
            yield finding(R.PROPERTY_BECAME_OPTIONAL, o, n, name, None)


def _open_on_purpose(n: Norm) -> bool:
    """`additionalProperties: true` said outright: any other name was welcome with any value."""
    return any(isinstance(p.raw, dict) and p.raw.get("additionalProperties") in (True, {}) for p in n.parts)


def _expandable_fields(norm: Norm) -> tuple[Any, ...]:
    """Stripe's `x-expandableFields`: ids that become objects only when the client asks."""
    raw = norm.node.raw
    fields = raw.get("x-expandableFields") if isinstance(raw, dict) else None
    return tuple(fields) if isinstance(fields, list) else ()


def _opaque_name(name: str, ctx: Ctx) -> bool:
    return name == "id" or name.endswith("_id")


def _diff_access(o: Norm, n: Norm, name: str, o_child: Node, n_child: Node, o_norm: Norm, n_norm: Norm,
                 ctx: Ctx) -> Findings:
    if n_norm.read_only and not o_norm.read_only:
        yield finding(R.BECAME_READ_ONLY, o, n, None, name, at=o_child, new_at=n_child)
    elif o_norm.read_only and not n_norm.read_only:
        yield finding(R.BECAME_NOT_READ_ONLY, o, n, None, name, at=o_child, new_at=n_child)
    if n_norm.write_only and not o_norm.write_only:
        yield finding(R.BECAME_WRITE_ONLY, o, n, None, name, at=o_child, new_at=n_child)
    elif o_norm.write_only and not n_norm.write_only:
        yield finding(R.BECAME_NOT_WRITE_ONLY, o, n, None, name, at=o_child, new_at=n_child)


def diff_additional_properties(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    oa, na = o.additional, n.additional
    if oa is None and na is None:
        return
    if na is False and oa is not False:
        yield finding(R.ADDITIONAL_PROPERTIES_CLOSED, o, n)
    elif oa is False and na is not False:
        yield finding(R.ADDITIONAL_PROPERTIES_OPENED, o, n)
    elif oa is not False and na is not False:
        o_node = oa if oa is not None else Node(True, o.ptr + "/additionalProperties", o.key + "/additionalProperties")
        n_node = na if na is not None else Node(True, n.ptr + "/additionalProperties", n.key + "/additionalProperties")
        yield from w.diff_nodes(o_node, n_node, ctx.context)


def diff_unevaluated_properties(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if n.unevaluated_closed and not o.unevaluated_closed:
        yield finding(R.UNEVALUATED_PROPERTIES_CLOSED, o, n)
    elif o.unevaluated_closed and not n.unevaluated_closed:
        yield finding(R.UNEVALUATED_PROPERTIES_OPENED, o, n)


