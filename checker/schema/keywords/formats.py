"""`format`: a set of formats (allOf may give several; the value must have each).

Validating formats are assertions (POLICY.md treats a format change as a contract change); others
(unixtime, password, ...) are documentation. Only numeric widths are ordered (int32 -> int64,
float -> double): string formats are not (`date` and `date-time` are different sets of strings).
An opaque string (an id) may change its format; a number's width is no string's format.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm
from .common import STRING, Findings, finding

if TYPE_CHECKING:  # pragma: no cover
    from .parts import Atoms
    from ..accepts import Acceptor
    from ..subsume import Subsumption
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
# Formats no empty string has, beside those jsonschema's own checkers decide (CHECKED_FORMATS): a host
# name, an absolute URI (a scheme). (A URI reference, a JSON pointer, a regex, a template and base64 may
# be empty; a duration, an IRI, a relative pointer cannot, but common checkers let them be.)
NONEMPTY_FORMATS = frozenset({"hostname", "idn-hostname", "uri"})
# Formats a validator checks: the one list the differ, subsumption, the validator and unions use.
VALIDATING_FORMATS = STRING_FORMATS | NUMERIC_FORMATS
# (narrower, wider): every value of the first is a value of the second.
FORMAT_WIDENINGS = frozenset({("int32", "int64"), ("float", "double")})
_NUMBERS = frozenset({"number", "integer"})
# The numbers each numeric format admits: integers in a range, or numbers up to a magnitude (the largest
# finite IEEE 754 single and double). The validator checks them exactly; union overlap reads them too.
INT_RANGES: dict[str, tuple[int, int]] = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
FLOAT_LIMITS: dict[str, float] = {"float": 3.4028234663852886e38, "double": 1.7976931348623157e308}
# Validated string formats no one string satisfies two of: a date-time holds a `T`, a date none and
# no `:`, a time no `-` before its `:`, an email an `@`, ipv6 a `:`, ipv4 only digits and dots, a
# uuid 36 characters with `-` at fixed places and no `:` or `.`.
APART_FORMATS = frozenset({"date", "date-time", "time", "email", "ipv4", "ipv6", "uuid"})


def number_has(fmt: str, value: float) -> bool:
    """Does the number `value` have the numeric format `fmt`? (True for a format that binds no number.)"""
    limits = INT_RANGES.get(fmt)
    if limits is not None:
        return value == int(value) and limits[0] <= value <= limits[1]
    limit = FLOAT_LIMITS.get(fmt)
    return limit is None or abs(value) <= limit


def whole(n: Norm) -> bool:
    """Every number the form accepts is an integer: it has an integer format (int32, int64)."""
    return any(f in INT_RANGES for f in n.formats)


def accepts_number(formats: frozenset[str], value: float) -> bool:
    """Does a number have every format of the set? Only numeric formats bind numbers."""
    return all(number_has(f, value) for f in formats)


def accepts_string(formats: frozenset[str], value: str) -> bool | None:
    """Does a string have every format of the set? Its example has it; a format of CHECKED_FORMATS is
    asked of python-jsonschema's checker (as `conform` and `check` check recorded traffic); of any
    other string format this cannot tell (None)."""
    if not value and formats & NONEMPTY_FORMATS:
        return False
    unknown = False
    for f in formats:
        if f not in STRING_FORMATS or value == FORMAT_EXAMPLES[f]:
            continue
        if f in CHECKED_FORMATS:
            checked = _conforms(f, value)
            if checked is False:
                return False
            unknown = unknown or checked is None
        else:
            unknown = True
    return None if unknown else True


# String formats decided by jsonschema's own checkers (or rfc3339-validator, a dependency): the same answer
# on every installation; formats whose checker needs an optional package (hostname, uri) stay undecided.
CHECKED_FORMATS = frozenset({"date", "date-time", "time", "email", "idn-email", "ipv4", "ipv6", "uuid"})


@lru_cache(maxsize=1)
def _checker() -> Any:
    from jsonschema import FormatChecker  # start-up time: only a witness search with a string format needs it
    return FormatChecker(sorted(CHECKED_FORMATS))


def _conforms(fmt: str, value: str) -> bool | None:
    checker = _checker()
    if fmt not in checker.checkers:
        return None
    try:
        return bool(checker.conforms(value, fmt))
    except Exception:  # a checker's own failure on odd input: no verdict
        return None


def surely_number(formats: frozenset[str], value: float, integer: bool) -> bool:
    """True only when a number (`integer`: of JSON type integer) surely has every format of the set, each
    of them a numeric one (any other format: unsure, False)."""
    for f in formats:
        if f in INT_RANGES:
            lo, hi = INT_RANGES[f]
            if not integer or not lo <= value <= hi:
                return False
        elif f in FLOAT_LIMITS:
            if abs(value) > FLOAT_LIMITS[f]:
                return False
        else:
            return False
    return True


def edges(formats: frozenset[str]) -> list[float]:
    """The ends of each numeric format's range, and for integers the values just outside: witness candidates."""
    out: list[float] = []
    for f in sorted(formats):
        if f in INT_RANGES:
            lo, hi = INT_RANGES[f]
            out.extend([lo, hi, lo - 1, hi + 1])
        elif f in FLOAT_LIMITS:
            out.extend([-FLOAT_LIMITS[f], FLOAT_LIMITS[f]])
    return out


def apart(a: frozenset[str], b: frozenset[str]) -> bool:
    """Surely no string has every format of `a` and every format of `b`: two of them are formats no one
    string satisfies both of."""
    mine, theirs = a & APART_FORMATS, b & APART_FORMATS
    return any(x != y for x in mine for y in theirs)


def read(n: Norm, raw: dict[str, Any]) -> None:
    set_formats(n, frozenset({raw["format"]}))


def merge(n: Norm, m: Norm) -> None:
    if m.formats:
        set_formats(n, n.formats | m.formats)


def prune(n: Norm) -> None:
    set_formats(n, frozenset())


def set_formats(n: Norm, formats: frozenset[str]) -> None:
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


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    return covers(a.formats, b.formats, b.types)


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    fmt = node.raw["format"]
    if not isinstance(fmt, str):
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_has(fmt, value)
    if isinstance(value, str):
        return accepts_string(frozenset({fmt}), value)
    return True


ACCEPTS = {"format": accepts}


def constants(raw: dict[str, Any], atoms: Atoms) -> None:
    """The format's one known value (a string format's example); a numeric format's range ends."""
    fmt = raw.get("format")
    if isinstance(fmt, str) and fmt in FORMAT_EXAMPLES:
        atoms.scalar(FORMAT_EXAMPLES[fmt])
    elif isinstance(fmt, str):
        for v in edges(frozenset({fmt})):
            atoms.scalar(v)


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
