"""`type` and null: the JSON types a value may have, null apart (the canonical `nullable`).

Spellings: `type: X` or `type: [X, "null"]` (2020-12, 3.1), Swagger 2.0's `file` (a string),
OpenAPI 3.0's `nullable: true` (admits null beside everything else: normalise.py applies it last),
`anyOf: [X, {type: null}]` (normalise.py's unions). Under allOf: the types are intersected (integer
inside number), and null passes only where every member admits it (normalise.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...jsontypes import json_type
from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm
from . import formats, multiple_of
from .common import BOOLEAN, Findings, Spelling, finding

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker

KEYWORDS = ("type",)
TYPE_NAMES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})


def _unknown(value: Any) -> str | None:
    for x in [value] if isinstance(value, str) else value:
        if x not in TYPE_NAMES and x != "file":  # `file`: Swagger 2.0's upload type, common in 3.0 files
            return f"unknown type {x!r} (expected one of: {', '.join(sorted(TYPE_NAMES))})"
    return None


SPELLINGS = {
    "type": Spelling("a string or a list of strings", lambda v: isinstance(v, str) or isinstance(v, list) and all(
        isinstance(x, str) for x in v), _unknown),
    "nullable": BOOLEAN,  # OpenAPI 3.0 (normalise.py applies it)
}
EMITS = (R.TYPE_CHANGED, R.TYPE_WIDENED, R.TYPE_NARROWED, R.BECAME_NULLABLE, R.BECAME_NOT_NULLABLE)


_ONE = {name: frozenset({name}) for name in TYPE_NAMES if name != "null"} | {"file": frozenset({"string"})}


def read(n: Norm, raw: dict[str, Any]) -> None:
    t = raw["type"]
    if isinstance(t, str) and t in _ONE:  # the common case, without building sets
        n.nullable, n.types = False, _ONE[t]
        return
    names = {("string" if x == "file" else x) for x in ([t] if isinstance(t, str) else t)
             if x in TYPE_NAMES or x == "file"}
    n.nullable = n.nullable and "null" in names
    names.discard("null")
    n.types = frozenset(names)


def merge(n: Norm, m: Norm) -> None:
    if m.types is not None:
        n.types = m.types if n.types is None else intersect(n.types, m.types)


def intersect(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    out = set(a & b)
    if "integer" in a and "number" in b or "number" in a and "integer" in b:
        out.add("integer")
    return frozenset(out)


def covers(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """Does every value of the types `narrow` have one of the types `wide`? (None: any type.)"""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """Every value of b has one of a's types (null is the form's own: subsume.py asks it first). A number
    b's other keywords keep whole (a whole multipleOf, an integer format) is an integer."""
    if covers(a.types, b.types):
        return True
    if b.types is None or "number" not in b.types or not (multiple_of.whole(b) or formats.whole(b)):
        return False
    return covers(a.types, (b.types - {"number"}) | {"integer"})


def nullable_admits(raw: dict[str, Any], value: Any) -> bool:
    """OpenAPI 3.0's `nullable: true` admits null whatever the rest of the mapping says."""
    return value is None and raw.get("nullable") is True


def _is_type(value: Any, name: str) -> bool:
    t = json_type(value, integral_floats=True)
    return t == name or (name == "number" and t == "integer")


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    t = node.raw["type"]
    if t is None:
        return True
    names = [t] if isinstance(t, str) else t if isinstance(t, list) else []
    return any(_is_type(value, "string" if x == "file" else x) for x in names if isinstance(x, str))


ACCEPTS = {"type": accepts}


def _text(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    if not types:
        return "null"
    return "|".join(sorted(types))


def _value_types(norm: Norm) -> frozenset[str]:
    """The JSON types of the enum values the schema's type lets through (7.0 is an integer, as JSON
    Schema counts it). Values of one JSON type pass a type or fail it together, so two sides with the
    same set let through the same values as far as `type` goes."""
    return frozenset(json_type(v, integral_floats=True) for v in norm.enum or ()
                     if norm.types is None or any(_is_type(v, t) for t in norm.types))


def _with_null(norm: Norm) -> frozenset[str] | None:
    """The types a value may have, null included (None: any)."""
    if norm.types is None:
        return None
    return norm.types | {"null"} if norm.nullable else norm.types


def diff_type(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """Judged with null counted in (integer -> null is a change, not a narrowing); null alone
    coming or going is diff_nullable's."""
    if o.types == n.types:
        return
    if o.enum is not None and n.enum is not None and _value_types(o) == _value_types(n):
        return  # each side lets through enum values of the same types: the type adds nothing (diff_enum judges them)
    old_text, new_text = _text(o.types), _text(n.types)
    ot, nt = _with_null(o), _with_null(n)
    if covers(nt, ot):
        yield finding(R.TYPE_WIDENED, o, n, old_text, new_text)
    elif covers(ot, nt):
        yield finding(R.TYPE_NARROWED, o, n, old_text, new_text)
    else:
        yield finding(R.TYPE_CHANGED, o, n, old_text, new_text)


def diff_nullable(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """`nullable` is canonical (whether null is accepted), whichever way it was spelled. A type
    restriction coming or going (any <-> string) says it already: diff_type reports that."""
    if o.nullable != n.nullable and (o.types is None) == (n.types is None):
        yield finding(R.BECAME_NULLABLE if n.nullable else R.BECAME_NOT_NULLABLE, o, n)
