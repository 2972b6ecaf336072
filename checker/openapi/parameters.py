"""Parameters as the client sends them: where (`in`), under which name, and serialised how.

Two parameters are the same when a client sends them the same way: header names are compared
without case, path parameters by their position in the template. A serialisation (`style`,
`explode`, `content`) is compared by the text it puts on the wire for the shapes of value the old
schema admits, defaults included (query and cookie: form, explode; path and header: simple), so
`style: form, explode: true` and nothing at all are the same request, and so are `explode` on and
off for a single value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from collections.abc import Iterator
from typing import Any

from ..pointers import join
from ..schema.findings import Finding
from .index import Deref, Operation
from .media import is_json, media_key, parameters

DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
LOCATIONS = ("query", "header", "path", "cookie")
SHAPES = ("primitive", "array", "object")
_SHAPE_OF_TYPE = {"string": "primitive", "integer": "primitive", "number": "primitive", "boolean": "primitive",
                  "null": "primitive", "array": "array", "object": "object"}
OPAQUE_NAMES = ("id",)
# OpenAPI: a header parameter with one of these names SHALL be ignored (content negotiation and
# security say what they carry).
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
ParamKey = tuple[str, str]  # (in, identity): how a parameter is matched across versions


@dataclass
class Param:
    raw: dict[str, Any]
    pointer: str
    where: str  # query, header, path or cookie
    name: str  # as written

    @property
    def label(self) -> str:
        return f"{self.where} parameter '{self.name}'"

    @property
    def required(self) -> bool:
        return self.where == "path" or flag(self.raw.get("required"))

    @property
    def opaque(self) -> bool:
        """POLICY.md: a parameter named `id` or ending in `_id` is an opaque string."""
        return self.name in OPAQUE_NAMES or self.name.endswith("_id")


def flag(value: object) -> bool:
    """A boolean field; `"true"` (a quoted boolean, an irregularity read as meant) counts."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def params_of(op: Operation, deref: Deref) -> dict[ParamKey, Param]:
    """(in, identity) -> the parameter; operation-level parameters override path-level ones."""
    found: dict[ParamKey, Param] = {}
    position = {name: f"#{i}" for i, name in enumerate(op.path_params)}
    for source, base in ((op.path_item, op.path_pointer), (op.raw, op.pointer)):
        params = source.get("parameters")
        if not isinstance(params, list):
            continue
        for i, p in enumerate(params):
            p, ptr = deref(p, join(base, "parameters", i))
            if not isinstance(p, dict) or not isinstance(p.get("name"), str) or p.get("in") not in LOCATIONS:
                continue
            where: str = p["in"]
            name: str = p["name"]
            if where == "header" and name.lower() in IGNORED_HEADERS:
                continue
            ident = name.lower() if where == "header" else position.get(name, name) if where == "path" else name
            found[(where, ident)] = Param(p, ptr, where, name)
    return found


def moves(old: dict[ParamKey, Param], new: dict[ParamKey, Param]) -> Iterator[tuple[ParamKey, ParamKey]]:
    """(old key, new key) of parameters that moved between query, header and cookie under the same
    name (compared without case: `X-Api-Key` the header is `x-api-key` the query parameter)."""
    gone = {(k[1].lower()): k for k in old if k not in new and k[0] != "path"}
    for key in new:
        if key in old or key[0] == "path":
            continue
        match = gone.pop(key[1].lower(), None)
        if match is not None:
            yield match, key


# -- serialisation ---------------------------------------------------------------------------------

def style_of(p: dict[str, Any]) -> tuple[str, bool]:
    where = str(p.get("in"))
    given = p.get("style")
    style = given if isinstance(given, str) else DEFAULT_STYLE.get(where, "form")
    explode = p.get("explode")
    return style, flag(explode) if explode is not None else style == "form"


def _wire(style: str, explode: bool, shape: str) -> str:
    """How a value of `shape` named `n` travels (OpenAPI's style table; n/a cells read as form)."""
    if shape == "primitive":
        return {"simple": "v", "label": ".v", "matrix": ";n=v"}.get(style, "n=v")
    if shape == "array":
        table = {("simple", False): "a,b", ("simple", True): "a,b", ("label", False): ".a.b", ("label", True): ".a.b",
                 ("matrix", False): ";n=a,b", ("matrix", True): ";n=a;n=b", ("form", False): "n=a,b",
                 ("spaceDelimited", False): "n=a%20b", ("pipeDelimited", False): "n=a|b",
                 ("deepObject", False): "n[]=a&n[]=b", ("deepObject", True): "n[]=a&n[]=b"}
        return table.get((style, explode), "n=a&n=b")
    table = {("simple", False): "k,v", ("simple", True): "k=v", ("label", False): ".k.v", ("label", True): ".k=v",
             ("matrix", False): ";n=k,v", ("matrix", True): ";k=v", ("form", False): "n=k,v",
             ("spaceDelimited", False): "n=k%20v", ("pipeDelimited", False): "n=k|v",
             ("deepObject", False): "n[k]=v", ("deepObject", True): "n[k]=v"}
    return table.get((style, explode), "k=v")


def _content_wire(where: str, media: str, shape: str, types: frozenset[Any]) -> str:
    """A `content` parameter is one value in the media type's text: JSON quotes strings and
    writes arrays and objects as JSON; numbers and booleans read the same either way. The media
    type's parameters (a profile, a version) are part of that text's format, as meant
    (apicompat.openapi.media)."""
    style = DEFAULT_STYLE.get(where, "form")
    plain = _wire(style, style == "form", "primitive")
    bare = media_key(media)
    if shape == "primitive":
        if is_json(bare) and "string" not in types:
            return plain
        if bare.startswith("text/"):
            return plain
    return "".join([f"{plain} as {bare}", *(f"; {k}={v}" for k, v in parameters(media))])


def shapes_of(schema: object, deref: Deref, depth: int = 0) -> tuple[frozenset[Any], frozenset[Any]]:
    """(shapes, JSON types) a parameter schema admits at its top level; unknown means all of them."""
    everything = (frozenset(SHAPES), frozenset(_SHAPE_OF_TYPE))
    schema, _ = deref(schema, "#")
    if not isinstance(schema, dict) or depth > 8:
        return everything
    t = schema.get("type")
    types = [t] if isinstance(t, str) else t if isinstance(t, list) else None
    if types:
        known = [x for x in types if x in _SHAPE_OF_TYPE]
        return frozenset(_SHAPE_OF_TYPE[x] for x in known) or everything[0], frozenset(known)
    for key in ("allOf",):  # a typed member constrains the whole
        members = schema.get(key)
        for member in members if isinstance(members, list) else ():
            shapes, kinds = shapes_of(member, deref, depth + 1)
            if shapes != everything[0]:
                return shapes, kinds
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        values = schema["enum"]
        kinds = frozenset("array" if isinstance(v, list) else "object" if isinstance(v, dict) else
                          "string" if isinstance(v, str) else "number" for v in values)
        return frozenset(_SHAPE_OF_TYPE.get(k, "primitive") for k in kinds), kinds
    return everything


def wire_form(p: dict[str, Any], shapes: frozenset[Any], types: frozenset[Any]) -> dict[str, str]:
    """shape -> what the client sends, for each shape of value the schema admits."""
    content = p.get("content")
    if isinstance(content, dict) and content:
        media = next(iter(content))
        return {shape: _content_wire(str(p.get("in")), str(media), shape, types) for shape in shapes}
    style, explode = style_of(p)
    return {shape: _wire(style, explode, shape) for shape in shapes}


def describe_style(p: dict[str, Any]) -> str:
    content = p.get("content")
    if isinstance(content, dict) and content:
        return f"content {', '.join(map(str, content))}"
    style, explode = style_of(p)
    return f"style={style}, explode={str(explode).lower()}"


def schema_of(p: dict[str, Any]) -> tuple[object, tuple[Any, ...]] | None:
    """The parameter's schema and its place (relative tokens): `schema`, or the one media type of
    `content`; None when there is none."""
    if "schema" in p:
        return p["schema"], ("schema",)
    content = p.get("content")
    if isinstance(content, dict) and len(content) == 1:
        media, mt = next(iter(content.items()))
        if isinstance(mt, dict) and "schema" in mt:
            return mt["schema"], ("content", media, "schema")
    return None


_TEXT_TYPES = frozenset({"string", "integer", "number", "boolean"})


def read_as_text(found: list[Finding], root: str) -> list[Finding]:
    """A style-serialised parameter is text on the wire: a value typed `string` accepts every text
    an old client sent for an untyped value (nothing changes for the client) or for a number or a
    boolean (the new server accepts more). Only the parameter's own type, at `root`, is read so."""
    out: list[Finding | None] | None = None
    for i, f in enumerate(found):
        if f.pointer != root or f.kind not in ("type-narrowed", "type-changed") or f.new != "string":
            continue
        if f.old == "any":
            replacement = None
        elif set(str(f.old).split("|")) <= _TEXT_TYPES:
            replacement = replace(f, kind="type-widened")
        else:
            continue
        if out is None:
            out = list(found)
        out[i] = replacement
    return found if out is None else [f for f in out if f is not None]
