"""One diff function per keyword family, all with one signature: (walker, old, new, ctx) -> findings.

Functions compare canonical forms (see normalise.py) and yield neutral *kinds*; the registry
gives each kind its rule id and severity for the context. Dialects are plain mappings of keyword
to function (dialects.py), the way python-jsonschema composes validators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..findings import Ctx, Finding
from ..normalise import Node, Norm, canonical, stricter
from ..subsume import trivial

if TYPE_CHECKING:  # pragma: no cover
    from ..walker import Walker

Findings = Iterator[Finding]

# Formats a validator checks; others (unixtime, password, binary, ...) are documentation.
VALIDATING_FORMATS = frozenset({
    "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
    "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template",
    "json-pointer", "relative-json-pointer", "regex", "int32", "int64", "float", "double", "byte",
})
# (narrower, wider): every value of the first is a value of the second. Only numeric widths are
# ordered (POLICY.md): `date` and `date-time` are different sets of strings.
FORMAT_WIDENINGS = frozenset({("int32", "int64"), ("float", "double")})
NUMERIC_FORMATS = frozenset({"int32", "int64", "float", "double"})
OPAQUE_DETAILS = {"max-length": "maxLength", "min-length": "minLength"}


def _f(kind: str, o: Norm, n: Norm, old=None, new=None, detail: str = "", at: Node | None = None,
       new_at: Node | None = None) -> Finding:
    pointer = (at or o.node).ptr
    return Finding(kind, pointer, o.ptr, old, new, detail, (new_at or n.node).ptr)


# --- types ---------------------------------------------------------------------------------------

def _covers_types(wide: frozenset | None, narrow: frozenset | None) -> bool:
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _type_text(types: frozenset | None) -> str:
    if types is None:
        return "any"
    if not types:
        return "null"
    return "|".join(sorted(types))


def _with_null(norm: Norm) -> frozenset | None:
    """The types a value may have, null included (None: any)."""
    if norm.types is None:
        return None
    return norm.types | {"null"} if norm.nullable else norm.types


def diff_type(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """Judged with null counted in (integer -> null is a change, not a narrowing); null alone
    coming or going is diff_nullable's."""
    if o.types == n.types:
        return
    old_text, new_text = _type_text(o.types), _type_text(n.types)
    ot, nt = _with_null(o), _with_null(n)
    if _covers_types(nt, ot):
        yield _f("type-widened", o, n, old_text, new_text)
    elif _covers_types(ot, nt):
        yield _f("type-narrowed", o, n, old_text, new_text)
    else:
        yield _f("type-changed", o, n, old_text, new_text)


def diff_nullable(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """`nullable` is canonical (whether null is accepted), whichever way it was spelled. A type
    restriction coming or going (any <-> string) says it already: diff_type reports that."""
    if o.nullable != n.nullable and (o.types is None) == (n.types is None):
        yield _f("became-nullable" if n.nullable else "became-not-nullable", o, n)


# --- formats -------------------------------------------------------------------------------------

def _admits_format(formats: frozenset, fmt: str) -> bool:
    """Does a value holding every format of `formats` always have format `fmt`?"""
    return fmt in formats or any((f, fmt) in FORMAT_WIDENINGS for f in formats)


def _opaque_format(o: Norm, n: Norm, ctx: Ctx) -> bool:
    """An opaque string's format may change; a number's width is no string's format."""
    if not ctx.opaque or (o.formats | n.formats) & NUMERIC_FORMATS:
        return False
    return all(t is None or "string" in t for t in (o.types, n.types))


def diff_format(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """Formats as sets (an allOf may give several): the new side accepts every old value when each
    validating format it asks for is one the old side had, or implies (int32 -> int64)."""
    of, nf = o.formats, n.formats
    if of == nf:
        return
    o_text, n_text = o.format, n.format
    if _opaque_format(o, n, ctx):
        yield _f("opaque-string-changed", o, n, o_text, n_text, "format")
        return
    o_valid, n_valid = of & VALIDATING_FORMATS, nf & VALIDATING_FORMATS
    if o_valid == n_valid:
        yield _f("format-annotation-changed", o, n, o_text, n_text)
        return
    new_admits_old = all(_admits_format(o_valid, f) for f in n_valid)
    old_admits_new = all(_admits_format(n_valid, f) for f in o_valid)
    if new_admits_old and old_admits_new:
        kind = "format-annotation-changed"
    elif new_admits_old:
        kind = "format-widened"
    elif old_admits_new:
        kind = "format-added" if not o_valid else "format-narrowed"
    else:
        kind = "format-changed"
    yield _f(kind, o, n, o_text, n_text)


# --- enums -----------------------------------------------------------------------------------------

def _values(values: tuple) -> dict[str, object]:
    return {canonical(v): v for v in values}


def diff_enum(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    oe, ne = o.enum, n.enum
    if oe is None and ne is None:
        return
    if oe is None:
        yield _f("became-enum", o, n, None, list(ne))
        return
    if ne is None:
        yield _f("enum-removed", o, n, list(oe), None)
        return
    ov, nv = _values(oe), _values(ne)
    if ov.keys() == nv.keys():
        return
    if len(ov) == 1 and len(nv) == 1:
        yield _f("const-changed", o, n, oe[0], ne[0])
        return
    added = [nv[k] for k in nv if k not in ov]
    removed = [ov[k] for k in ov if k not in nv]
    if added:
        yield _f("enum-value-added", o, n, None, added)
    if removed:
        yield _f("enum-value-removed", o, n, removed, None)


def diff_extensible_enum(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.ext_enum is None or n.ext_enum is None:
        return
    ov, nv = _values(o.ext_enum), _values(n.ext_enum)
    added = [nv[k] for k in nv if k not in ov]
    removed = [ov[k] for k in ov if k not in nv]
    if added:
        yield _f("extensible-enum-value-added", o, n, None, added)
    if removed:
        yield _f("enum-value-removed", o, n, removed, None)


# --- objects ---------------------------------------------------------------------------------------

def _hidden(norm: Norm, ctx: Ctx) -> bool:
    """readOnly values are never sent in requests; writeOnly ones never come back."""
    return norm.read_only if ctx.request else norm.write_only


def diff_properties(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """Properties by name. A name one side declares and the other does not falls, on the other
    side, under additionalProperties: its schema is compared with that (a removed property now
    checked by the map's value schema; a new one that old maps typed otherwise)."""
    for name, o_child in o.props.items():
        n_child = n.props.get(name)
        o_norm = w.old.norm(o_child)
        if n_child is None:
            if _hidden(o_norm, ctx):
                continue
            yield _f("property-removed", o, n, name, None, at=o_child)
            if n.additional is not None:
                yield from w.diff_nodes(o_child, _extra_node(n), ctx.context, _opaque_name(name, ctx))
            continue
        n_norm = w.new.norm(n_child)
        yield from _diff_access(o, n, name, o_child, n_child, o_norm, n_norm, ctx)
        if _hidden(n_norm, ctx):
            continue
        n_req = name in n.required
        if _hidden(o_norm, ctx):  # not sent before (readOnly): now it is, as a new property
            if n_req:
                yield _f("property-became-required", o, n, None, name, at=o_child, new_at=n_child)
            continue
        o_req = name in o.required
        if n_req and not o_req:
            yield _f("property-became-required", o, n, None, name, at=o_child, new_at=n_child)
        elif o_req and not n_req:
            yield _f("property-became-optional", o, n, name, None, at=o_child, new_at=n_child)
        yield from w.diff_nodes(o_child, n_child, ctx.context, _opaque_name(name, ctx),
                                expandable=name in _expandable_fields(n))
    for name, n_child in n.props.items():
        if name in o.props:
            continue
        n_norm = w.new.norm(n_child)
        if _hidden(n_norm, ctx):
            continue
        kind = "property-added-required" if name in n.required else "property-added-optional"
        yield _f(kind, o, n, None, name, at=n_child, new_at=n_child)
        if o.additional is not None and o.additional is not False:
            yield from w.diff_nodes(o.additional, n_child, ctx.context, _opaque_name(name, ctx))
        elif ctx.request and o.additional is None and not o.props and not trivial(n_norm):
            yield _f("property-typed-in-free-form-object", o, n, None, name, at=n_child, new_at=n_child)
    # Required names without a property on the side that requires them.
    for name in sorted(n.required - o.required):
        if name not in n.props:
            yield _f("property-became-required", o, n, None, name)
    for name in sorted(o.required - n.required):
        if name not in o.props:
            yield _f("property-became-optional", o, n, name, None)


def _extra_node(norm: Norm) -> Node:
    """additionalProperties of `norm` as a node (the false schema when closed)."""
    if norm.additional is False:
        return Node(False, norm.ptr + "/additionalProperties", norm.key + "/additionalProperties", norm.node.base)
    return norm.additional


def _expandable_fields(norm: Norm) -> tuple:
    """Stripe's `x-expandableFields`: ids that become objects only when the client asks."""
    raw = norm.node.raw
    fields = raw.get("x-expandableFields") if isinstance(raw, dict) else None
    return tuple(fields) if isinstance(fields, list) else ()


def _opaque_name(name: str, ctx: Ctx) -> bool:
    return name == "id" or name.endswith("_id")


def _diff_access(o, n, name, o_child, n_child, o_norm: Norm, n_norm: Norm, ctx: Ctx) -> Findings:
    if n_norm.read_only and not o_norm.read_only:
        yield _f("became-read-only", o, n, None, name, at=o_child, new_at=n_child)
    elif o_norm.read_only and not n_norm.read_only:
        yield _f("became-not-read-only", o, n, None, name, at=o_child, new_at=n_child)
    if n_norm.write_only and not o_norm.write_only:
        yield _f("became-write-only", o, n, None, name, at=o_child, new_at=n_child)
    elif o_norm.write_only and not n_norm.write_only:
        yield _f("became-not-write-only", o, n, None, name, at=o_child, new_at=n_child)


def diff_additional_properties(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    oa, na = o.additional, n.additional
    if oa is None and na is None:
        return
    if na is False and oa is not False:
        yield _f("additional-properties-closed", o, n)
    elif oa is False and na is not False:
        yield _f("additional-properties-opened", o, n)
    elif oa is not False and na is not False:
        o_node = oa if oa is not None else Node(True, o.ptr + "/additionalProperties", o.key + "/additionalProperties")
        n_node = na if na is not None else Node(True, n.ptr + "/additionalProperties", n.key + "/additionalProperties")
        yield from w.diff_nodes(o_node, n_node, ctx.context)


def diff_unevaluated_properties(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if n.unevaluated_closed and not o.unevaluated_closed:
        yield _f("unevaluated-properties-closed", o, n)
    elif o.unevaluated_closed and not n.unevaluated_closed:
        yield _f("unevaluated-properties-opened", o, n)


# --- arrays ----------------------------------------------------------------------------------------

def diff_items(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.items is None and n.items is None:
        return
    o_node = o.items or Node(True, o.ptr + "/items", o.key + "/items")
    n_node = n.items or Node(True, n.ptr + "/items", n.key + "/items")
    yield from w.diff_nodes(o_node, n_node, ctx.context)


def diff_prefix_items(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    for i in range(min(len(o.prefix), len(n.prefix))):
        yield from w.diff_nodes(o.prefix[i], n.prefix[i], ctx.context)
    for extra in o.prefix[len(n.prefix):]:
        yield _f("prefix-items-removed", o, n, extra.ptr.rsplit("/", 1)[-1], None, at=extra)
    for extra in n.prefix[len(o.prefix):]:
        yield _f("prefix-items-added", o, n, None, extra.ptr.rsplit("/", 1)[-1], new_at=extra)


def diff_unique_items(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if n.unique_items and not o.unique_items:
        yield _f("unique-items-set", o, n)
    elif o.unique_items and not n.unique_items:
        yield _f("unique-items-unset", o, n)


# --- bounds ----------------------------------------------------------------------------------------

def _bound_text(value) -> object:
    if isinstance(value, tuple):
        return f"{value[0]} (exclusive)" if value[1] else value[0]
    return value


def bound_differ(name: str):
    upper = name.startswith("max")
    tighten, loosen = ("decreased", "increased") if upper else ("increased", "decreased")

    def diff_bound(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
        ob, nb = o.bounds.get(name), n.bounds.get(name)
        if ob == nb:
            return
        if ctx.opaque and name in OPAQUE_DETAILS:
            yield _f("opaque-string-changed", o, n, ob, nb, OPAQUE_DETAILS[name])
            return
        if ob is None:
            kind = f"{name}-set"
        elif nb is None:
            kind = f"{name}-unset"
        elif stricter(name, nb, ob):
            kind = f"{name}-{tighten}"
        else:
            kind = f"{name}-{loosen}"
        yield _f(kind, o, n, _bound_text(ob), _bound_text(nb))

    diff_bound.__name__ = f"diff_{name.replace('-', '_')}"
    return diff_bound


def diff_multiple_of(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    om, nm = o.multiple_of, n.multiple_of
    if om == nm:
        return
    if om is None:
        yield _f("multiple-of-set", o, n, None, nm)
    elif nm is None:
        yield _f("multiple-of-unset", o, n, om, None)
    else:
        yield _f("multiple-of-changed", o, n, om, nm)


def diff_pattern(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """Patterns as sets (an allOf may conjoin several): more of them is a tightening, fewer a
    loosening; other changes are judged by the pattern unit where it can."""
    op, np_ = o.patterns, n.patterns
    if op == np_:
        return
    if ctx.opaque:
        yield _f("opaque-string-changed", o, n, o.pattern, n.pattern, "pattern")
    elif op < np_:
        yield _f("pattern-added", o, n, None, " & ".join(sorted(np_ - op)))
    elif np_ < op:
        yield _f("pattern-removed", o, n, " & ".join(sorted(op - np_)), None)
    else:
        yield _f("pattern-changed", o, n, o.pattern, n.pattern)


# --- applicators compared by presence and content ------------------------------------------------

def applicator_differ(kind: str):
    def diff_applicator(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
        oa, na = o.applicators.get(kind), n.applicators.get(kind)
        if oa == na:
            return
        if oa is None:
            yield _f(f"{kind}-added", o, n)
        elif na is None:
            yield _f(f"{kind}-removed", o, n)
        else:
            yield _f(f"{kind}-changed", o, n)

    diff_applicator.__name__ = f"diff_{kind.replace('-', '_')}"
    return diff_applicator


# --- annotations, defaults, lifecycle ----------------------------------------------------------------

def diff_default(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not o.has_default and not n.has_default:
        return
    if not o.has_default:
        yield _f("default-added", o, n, None, n.default)
    elif not n.has_default:
        yield _f("default-removed", o, n, o.default, None)
    elif canonical(o.default) != canonical(n.default):
        yield _f("default-changed", o, n, o.default, n.default)


def diff_deprecated(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if n.deprecated and not o.deprecated:
        yield _f("deprecated", o, n)
    elif o.deprecated and not n.deprecated:
        yield _f("reactivated", o, n)


def diff_description(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.description != n.description:
        yield _f("description-changed", o, n)


def diff_title(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.title != n.title:
        yield _f("title-changed", o, n, o.title, n.title)


def diff_example(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.example != n.example:
        yield _f("example-changed", o, n)


def diff_discriminator(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    od, nd = o.discriminator, n.discriminator
    if od == nd:
        return
    if od is None:
        yield _f("discriminator-added", o, n, None, nd.get("propertyName"))
        return
    if nd is None:
        yield _f("discriminator-removed", o, n, od.get("propertyName"), None)
        return
    if od.get("propertyName") != nd.get("propertyName"):
        yield _f("discriminator-property-changed", o, n, od.get("propertyName"), nd.get("propertyName"))
    om, nm = od.get("mapping"), nd.get("mapping")
    om = om if isinstance(om, dict) else {}
    nm = nm if isinstance(nm, dict) else {}
    for value, target in om.items():
        if value in nm and nm[value] != target and not w.same_target(target, nm[value]):
            yield _f("discriminator-mapping-changed", o, n, f"{value} -> {target}", f"{value} -> {nm[value]}")
        elif value not in nm:
            yield _f("discriminator-mapping-changed", o, n, f"{value} -> {target}", None)
