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
# Numeric widths: they bind numbers; every other validating format binds strings.
NUMERIC_FORMATS = frozenset({"int32", "int64", "float", "double"})
# One plain value of each string format that every checker accepts: a witness candidate known to
# conform (the validator of accepts.py knows a string format's value only by this example).
FORMAT_EXAMPLES = {
    "date": "2024-01-15", "date-time": "2024-01-15T10:00:00Z", "time": "10:00:00Z", "duration": "P1D",
    "email": "user@example.com", "idn-email": "user@example.com", "hostname": "example.com",
    "idn-hostname": "example.com", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "uri": "https://example.com/a",
    "uri-reference": "https://example.com/a", "iri": "https://example.com/a", "iri-reference": "https://example.com/a",
    "uuid": "123e4567-e89b-12d3-a456-426614174000", "uri-template": "https://example.com/{id}",
    "json-pointer": "/a", "relative-json-pointer": "0/a", "regex": "^a$", "byte": "YQ==",
}
STRING_FORMATS = frozenset(FORMAT_EXAMPLES)
# Formats a validator checks: the one list the differ, subsumption, the validator and unions use.
VALIDATING_FORMATS = STRING_FORMATS | NUMERIC_FORMATS
# (narrower, wider): every value of the first is a value of the second.
FORMAT_WIDENINGS = frozenset({("int32", "int64"), ("float", "double")})
_NUMBERS = frozenset({"number", "integer"})


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


def _admits(formats: frozenset[str], fmt: str) -> bool:
    """Does a value holding every format of `formats` always have format `fmt`?"""
    return fmt in formats or any((f, fmt) in FORMAT_WIDENINGS for f in formats)


def _binds(fmt: str, types: frozenset[str] | None) -> bool:
    """May a value of `types` (None: any) be one `fmt` checks? A format passes every other type."""
    if types is None:
        return True
    return bool(types & _NUMBERS) if fmt in NUMERIC_FORMATS else "string" in types


def covers(wide: frozenset[str], narrow: frozenset[str], narrow_types: frozenset[str] | None = None) -> bool:
    """Does every value that has each format of `narrow` (and is of `narrow_types`) pass each
    validating format of `wide`? What `format` contributes to subsumption and to the differ; the
    sets, never the joined `Norm.format` text, so an allOf of two formats is judged as both."""
    return all(_admits(narrow, f) or not _binds(f, narrow_types) for f in wide & VALIDATING_FORMATS)


def _opaque(o: Norm, n: Norm, ctx: Ctx) -> bool:
    if not ctx.opaque or (o.formats | n.formats) & NUMERIC_FORMATS:
        return False
    return all(t is None or "string" in t for t in (o.types, n.types))


def diff_format(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    """The new side accepts every old value when each validating format it asks for is one the old
    side had, or implies (int32 -> int64), or one that checks no value of the old side's types."""
    of, nf = o.formats, n.formats
    if of == nf:
        return
    if _opaque(o, n, ctx):
        yield finding(R.OPAQUE_STRING_CHANGED, o, n, o.format, n.format, "format")
        return
    new_admits_old = covers(nf, of, o.types)
    old_admits_new = covers(of, nf, n.types)
    if new_admits_old and old_admits_new:
        kind = R.FORMAT_ANNOTATION_CHANGED
    elif new_admits_old:
        kind = R.FORMAT_WIDENED
    elif old_admits_new:
        kind = R.FORMAT_NARROWED if of & VALIDATING_FORMATS else R.FORMAT_ADDED
    else:
        kind = R.FORMAT_CHANGED
    yield finding(kind, o, n, o.format, n.format)
