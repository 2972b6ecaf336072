"""`enum`, `const` (a one-value enum) and `x-extensible-enum` (values clients must expect to grow).

null among the values is the canonical `nullable` (normalise.py); the rest are kept in order. Under
allOf the values are intersected; normalise.py keeps only the values of the schema's types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm, canonical
from .common import LIST, Findings, finding
from .parts import Atoms

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker

KEYWORDS = ("enum", "const", "x-extensible-enum")
SPELLINGS = {"enum": LIST}
EMITS = (R.BECAME_ENUM, R.ENUM_REMOVED, R.CONST_CHANGED, R.ENUM_VALUE_ADDED, R.ENUM_VALUE_REMOVED,
         R.EXTENSIBLE_ENUM_VALUE_ADDED)


def read(n: Norm, raw: dict[str, Any]) -> None:
    if "const" in raw:
        values: tuple[Any, ...] | None = (raw["const"],)
    elif isinstance(raw.get("enum"), list):
        values = tuple(raw["enum"])
    else:
        values = None
    if values is not None:
        n.nullable = n.nullable and any(v is None for v in values)
        n.enum = tuple(v for v in values if v is not None)
    if isinstance(raw.get("x-extensible-enum"), list):
        n.ext_enum = tuple(raw["x-extensible-enum"])


def merge(n: Norm, m: Norm) -> None:
    if m.enum is not None:
        if n.enum is None:
            n.enum = m.enum
        else:
            keep = {canonical(v) for v in m.enum}
            n.enum = tuple(v for v in n.enum if canonical(v) in keep)
    if m.ext_enum is not None and n.ext_enum is None:
        n.ext_enum = m.ext_enum


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """An enum in a covers only a finite b (subsume.py checks each value of an enum in b, whole, first)."""
    return a.enum is None


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    raw = node.raw
    text = canonical(value)
    if "const" in raw and canonical(raw["const"]) != text:
        return False
    return not (isinstance(raw.get("enum"), list) and text not in {canonical(v) for v in raw["enum"]})


ACCEPTS = {"const": accepts, "enum": accepts}


def constants(raw: dict[str, Any], atoms: Atoms) -> None:
    for v in ([raw["const"]] if "const" in raw else []) + (raw["enum"] if isinstance(raw.get("enum"), list) else []):
        atoms.scalar(v)


def _values(values: tuple[Any, ...]) -> dict[str, object]:
    return {canonical(v): v for v in values}


def diff_enum(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    oe, ne = o.enum, n.enum
    if oe is None:
        if ne is not None:
            yield finding(R.BECAME_ENUM, o, n, None, list(ne))
        return
    if ne is None:
        yield finding(R.ENUM_REMOVED, o, n, list(oe), None)
        return
    ov, nv = _values(oe), _values(ne)
    if ov.keys() == nv.keys():
        return
    if len(ov) == 1 and len(nv) == 1:
        yield finding(R.CONST_CHANGED, o, n, oe[0], ne[0])
        return
    yield from _values_changed(o, n, ov, nv, R.ENUM_VALUE_ADDED)


def diff_extensible_enum(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.ext_enum is None or n.ext_enum is None:
        return
    yield from _values_changed(o, n, _values(o.ext_enum), _values(n.ext_enum), R.EXTENSIBLE_ENUM_VALUE_ADDED)


def _values_changed(o: Norm, n: Norm, ov: dict[str, object], nv: dict[str, object], added_kind: str) -> Findings:
    added = [nv[k] for k in nv if k not in ov]
    removed = [ov[k] for k in ov if k not in nv]
    if added:
        yield finding(added_kind, o, n, None, added)
    if removed:
        yield finding(R.ENUM_VALUE_REMOVED, o, n, removed, None)
