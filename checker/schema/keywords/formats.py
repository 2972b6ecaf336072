"""`format`: a set of formats (allOf may give several; the value must have each).

Validating formats are assertions (POLICY.md treats a format change as a contract change); others
(unixtime, password, ...) are documentation. Only numeric widths are ordered (int32 -> int64,
float -> double): string formats are not (`date` and `date-time` are different sets of strings).
An opaque string (an id) may change its format; a number's width is no string's format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Norm
from .common import STRING, Findings, finding

if TYPE_CHECKING:  # pragma: no cover
    from ..walker import Walker

KEYWORDS = ("format",)
APPLIES_TO = ("string", "number", "integer")
SPELLINGS = {"format": STRING}
EMITS = (R.FORMAT_WIDENED, R.FORMAT_NARROWED, R.FORMAT_CHANGED, R.FORMAT_ADDED, R.FORMAT_ANNOTATION_CHANGED,
         R.OPAQUE_STRING_CHANGED)
# Formats a validator checks; the one list the differ, subsumption and unions use.
VALIDATING_FORMATS = frozenset({
    "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
    "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template",
    "json-pointer", "relative-json-pointer", "regex", "int32", "int64", "float", "double", "byte",
})
# (narrower, wider): every value of the first is a value of the second.
FORMAT_WIDENINGS = frozenset({("int32", "int64"), ("float", "double")})
NUMERIC_FORMATS = frozenset({"int32", "int64", "float", "double"})


def read(n: Norm, raw: dict) -> None:
    set_formats(n, frozenset({raw["format"]}))


def merge(n: Norm, m: Norm) -> None:
    if m.formats:
        set_formats(n, n.formats | m.formats)


def prune(n: Norm) -> None:
    set_formats(n, frozenset())


def set_formats(n: Norm, formats: frozenset) -> None:
    n.formats = formats
    n.format = None if not formats else " & ".join(sorted(formats))


def _admits(formats: frozenset, fmt: str) -> bool:
    """Does a value holding every format of `formats` always have format `fmt`?"""
    return fmt in formats or any((f, fmt) in FORMAT_WIDENINGS for f in formats)


def _opaque(o: Norm, n: Norm, ctx: Ctx) -> bool:
    if not ctx.opaque or (o.formats | n.formats) & NUMERIC_FORMATS:
        return False
    return all(t is None or "string" in t for t in (o.types, n.types))


def diff_format(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """The new side accepts every old value when each validating format it asks for is one the old
    side had, or implies (int32 -> int64)."""
    of, nf = o.formats, n.formats
    if of == nf:
        return
    if _opaque(o, n, ctx):
        yield finding(R.OPAQUE_STRING_CHANGED, o, n, o.format, n.format, "format")
        return
    o_valid, n_valid = of & VALIDATING_FORMATS, nf & VALIDATING_FORMATS
    new_admits_old = all(_admits(o_valid, f) for f in n_valid)
    old_admits_new = all(_admits(n_valid, f) for f in o_valid)
    if new_admits_old and old_admits_new:
        kind = R.FORMAT_ANNOTATION_CHANGED
    elif new_admits_old:
        kind = R.FORMAT_WIDENED
    elif old_admits_new:
        kind = R.FORMAT_NARROWED if o_valid else R.FORMAT_ADDED
    else:
        kind = R.FORMAT_CHANGED
    yield finding(kind, o, n, o.format, n.format)
