"""`format`, one keyword in one place (issue 9): keywords/formats.py holds the one list of validating
formats, and the differ, subsumption (union members covering each other) and the validator all read
it, as sets (an allOf of two formats is judged as both).

Every verdict here is checked by the semantic oracle (tests/oracle: `judge`): where the differ
promises nothing breaking (request) or nothing at warning (response), no instance may break the
promise; where it reports, an instance shows why, whenever the oracle's format checkers can tell
the two formats apart.
"""

from __future__ import annotations

import random

import pytest

from apicompat import Severity, diff_schemas
from apicompat.schema import accepts, overlap, subsume
from apicompat.schema.accepts import Acceptor
from apicompat.schema.keywords import formats
from apicompat.schema.normalise import Node, Normaliser
from apicompat.schema.refs import Resolver
from oracle.dialect import FORMATS
from oracle.dialect import Acceptor as OracleAcceptor
from oracle.judge import Case, judge

I = {"type": "integer"}
REQUEST, RESPONSE = "request", "response"


def S(fmt: str) -> dict:
    return {"type": "string", "format": fmt}


def obj(**props) -> dict:
    return {"type": "object", "properties": props, "required": sorted(props)}


def verdict(old, new, side: str) -> tuple[set[str], Severity | None]:
    """The differ's rules at `warning` and above, its worst severity, and the oracle's agreement."""
    report = diff_schemas(old, new, side)
    j = judge(Case(old, new, side), random.Random(0))
    assert j.unusable is None, j.unusable
    assert j.counterexample is None, j.explain()
    found = {c.rule for c in report.changes if c.severity >= Severity.WARNING}
    return found, max((c.severity for c in report.changes), default=None)


def validates(schema, value):
    """The differ's three-valued validator (accepts.py) on one value."""
    return Acceptor(Normaliser(Resolver(schema, "s"))).accepts(Node(schema, "#"), value)


def witnessed(old, new, side: str) -> bool:
    """Does the oracle find an instance that tells the pair apart on `side` (a reported change is real)?"""
    return judge(Case(old, new, side), random.Random(0)).alarm == "witnessed"


# -- the one list ----------------------------------------------------------------------------------

def test_there_is_one_list_of_validating_formats():
    assert not hasattr(subsume, "_VALIDATING")
    for module in (accepts, overlap, subsume):  # the format facts live in the unit only
        own = [name for name, v in vars(module).items() if name.isupper() or name.startswith("_") and name[1:].isupper()]
        assert not [name for name in own if "FORMAT" in name or name in ("_INT_RANGES", "_FLOAT_LIMITS")], module
    assert formats.VALIDATING_FORMATS == formats.STRING_FORMATS | formats.NUMERIC_FORMATS
    assert {"byte", "duration", "int64", "double", "date", "uuid"} <= formats.VALIDATING_FORMATS
    assert not {"password", "unixtime", "binary"} & formats.VALIDATING_FORMATS


@pytest.mark.parametrize("fmt", sorted(formats.STRING_FORMATS))
def test_the_validator_knows_a_string_format_by_its_example_or_by_jsonschemas_checker(fmt):
    """The differ's validator accepts a format's example (the oracle's checkers agree); a format
    jsonschema checks on every installation (CHECKED_FORMATS) it decides as that checker does, and any
    other it cannot tell: a witness never rests on a format it does not check."""
    example = formats.FORMAT_EXAMPLES[fmt]
    assert validates(S(fmt), example) is True
    assert OracleAcceptor(S(fmt), "2020-12")(example)
    other = "not a " + fmt + " value"
    if fmt in formats.CHECKED_FORMATS:
        assert validates(S(fmt), other) is False
        assert not OracleAcceptor(S(fmt), "2020-12")(other)
    else:
        assert validates(S(fmt), other) is None


@pytest.mark.parametrize("fmt, value, expected", [
    ("date", "2024-02-29", True), ("date", "2023-02-29", False), ("date-time", "2024-01-15T10:00:00+02:00", True),
    ("date-time", "2024-01-15 10:00:00", False), ("ipv4", "10.0.0.1", True), ("ipv4", "10.0.0.256", False),
    ("uuid", "123e4567e89b12d3a456426614174000", False), ("email", "a@b", True), ("hostname", "a..b", None),
])
def test_checked_formats_agree_with_the_oracles_checker(fmt, value, expected):
    assert validates(S(fmt), value) is expected
    if expected is not None:
        assert OracleAcceptor(S(fmt), "2020-12")(value) is expected


@pytest.mark.parametrize("side", [REQUEST, RESPONSE])
def test_an_enum_of_values_no_format_admits_is_the_same_empty_set_in_any_order(side):
    """The minimised `reorder` false alarm: neither "c" nor "2024-02-29" is an email, so both
    patternProperties schemas accept nothing: no change. The near pair: an email value in the new
    enum is one more value (a loosening, request-side fine)."""
    old = {"patternProperties": {"^x_": {"enum": ["c"], "format": "email"}}}
    new = {"patternProperties": {"^x_": {"enum": ["2024-02-29"], "format": "email"}}}
    found, worst = verdict(old, new, side)
    assert worst is None or worst <= Severity.INFO, found
    grown = {"patternProperties": {"^x_": {"enum": ["user@example.com"], "format": "email"}}}
    found, worst = verdict(old, grown, side)
    assert worst is not None and (worst >= Severity.WARNING) == (side == RESPONSE), found


@pytest.mark.parametrize("fmt", sorted(formats.NONEMPTY_FORMATS))
def test_the_empty_string_is_no_host_name_nor_absolute_uri(fmt):
    """Formats jsonschema leaves to optional packages, known by one more fact: no value is empty
    (the oracle's checkers agree); a URI reference may be (near pair: still undecided)."""
    assert validates(S(fmt), "") is False and not OracleAcceptor(S(fmt), "2020-12")("")
    assert validates(S("uri-reference"), "") is None


@pytest.mark.parametrize("fmt, good, bad", [("int32", 2**31 - 1, 2**31), ("int64", -(2**63), -(2**63) - 1),
                                            ("float", 3.4e38, 3.5e38), ("double", 1e308, float("inf"))])
def test_the_validator_checks_numeric_formats_exactly(fmt, good, bad):
    schema = {"type": "number", "format": fmt}
    assert validates(schema, good) is True and validates(schema, bad) is False


def _norm(schema):
    normaliser = Normaliser(Resolver(schema, "s"))
    return normaliser.norm(Node(schema, "#")), normaliser


def _rel(schema, other):
    na, nb = Normaliser(Resolver(schema, "a")), Normaliser(Resolver(other, "b"))
    rel = subsume.Subsumption({"old": na, "new": nb})
    return rel, na.norm(Node(schema, "#")), nb.norm(Node(other, "#"))


def test_overlap_reads_the_set_of_formats():
    """Two formats conjoined by allOf are both asked for: a string that is a date and a uuid is no email
    either (apart), and an integer that is int32 and int64 is surely 5 (the validator says so)."""
    both_ = {"type": "string", "allOf": [{"format": "date"}, {"format": "uuid"}]}
    rel, a, b = _rel(both_, S("email"))
    assert overlap.disjoint(rel, a, b, "old", "new")
    rel, a, b = _rel(S("date"), S("date"))
    assert not overlap.disjoint(rel, a, b, "old", "new")
    widths = {"type": "integer", "allOf": [{"format": "int32"}, {"format": "int64"}]}
    rel, n, _ = _rel(widths, {})
    assert overlap.accepts(rel, "old", n, 5) is True
    assert overlap.accepts(rel, "old", n, 2**31) is False


def test_numeric_ranges_are_one_fact():
    """overlap's witness candidates are the ends of the unit's ranges, exactly (the formats unit's constants)."""
    n, _ = _norm({"type": "number", "format": "float"})
    assert formats.FLOAT_LIMITS["float"] in overlap.scalar_candidates(subsume.Subsumption, [("old", n)])
    n, _ = _norm({"type": "integer", "format": "int32"})
    assert all(v in overlap.scalar_candidates(subsume.Subsumption, [("old", n)]) for v in (2**31 - 1, 2**31, -(2**31) - 1))


# -- a change inside a request union is reported as it is outside one ------------------------------

BYTE_TO_DATE = [
    ("bare", S("byte"), S("date")),
    ("oneOf member", {"oneOf": [S("byte"), I]}, {"oneOf": [S("date"), I]}),
    ("oneOf object member", {"oneOf": [obj(a=S("byte")), obj(b=I)]}, {"oneOf": [obj(a=S("date")), obj(b=I)]}),
]


@pytest.mark.parametrize("where, old, new", BYTE_TO_DATE, ids=[c[0] for c in BYTE_TO_DATE])
def test_byte_to_date_is_breaking_inside_a_request_union_as_outside(where, old, new):
    found, worst = verdict(old, new, REQUEST)
    assert "request-format-changed" in found and worst is Severity.BREAKING, (where, found)
    assert witnessed(old, new, REQUEST)


@pytest.mark.parametrize("other", ["byte", "duration", "int64"])
def test_a_member_with_another_validating_format_covers_no_changed_member(other):
    """A union member with a validating format (byte, duration, ...) is no catch-all: it does not
    cover another member whose format changed, so that change stays reported."""
    keep = S(other) if other != "int64" else {"type": "integer", "format": other}
    old = {"anyOf": [S("date"), keep]}
    new = {"anyOf": [S("uuid"), keep]}
    found, worst = verdict(old, new, REQUEST)
    assert "request-format-changed" in found and worst is Severity.BREAKING
    if other in FORMATS.checkers:  # the oracle checks no `duration`: to it that member accepts any string
        assert witnessed(old, new, REQUEST)


def test_a_member_with_an_annotation_format_still_covers():
    """`password` checks nothing: a member `{type: string, format: password}` accepts every string,
    so the date -> uuid change of another member loses no value the union accepted."""
    old = {"anyOf": [S("date"), S("password")]}
    new = {"anyOf": [S("uuid"), S("password")]}
    found, _ = verdict(old, new, REQUEST)
    assert not {r for r in found if "format" in r}


# -- an allOf with two formats is judged as both -----------------------------------------------------

TWO = {"allOf": [S("date"), {"format": "uuid"}]}


def test_an_allof_of_two_formats_is_narrower_than_either():
    found, worst = verdict(S("date"), TWO, REQUEST)
    assert found == {"request-format-narrowed"} and worst is Severity.BREAKING
    assert witnessed(S("date"), TWO, REQUEST)
    found, worst = verdict(S("date"), TWO, RESPONSE)
    assert not found and worst is Severity.INFO


def test_one_of_two_formats_is_wider():
    found, worst = verdict(TWO, S("date"), REQUEST)
    assert not found and worst is Severity.ADDITIVE
    found, _ = verdict(TWO, S("date"), RESPONSE)
    assert found == {"response-format-widened"}
    assert witnessed(TWO, S("date"), RESPONSE)


def test_a_member_with_two_formats_covers_no_member_with_one():
    """Subsumption reads the set: a union member with `date & uuid` does not cover a `date` member."""
    old = {"anyOf": [S("date"), TWO]}
    new = {"anyOf": [S("uuid"), TWO]}
    found, worst = verdict(old, new, REQUEST)
    assert "request-format-changed" in found and worst is Severity.BREAKING
    assert witnessed(old, new, REQUEST)


def test_two_formats_in_any_order_are_no_change():
    for side in (REQUEST, RESPONSE):
        found, _ = verdict(TWO, {"allOf": [{"format": "uuid"}, S("date")]}, side)
        assert not found


# -- validating vs annotation-only formats, on both sides ---------------------------------------------

def pair(old: dict, new: dict, wrap: str) -> tuple[dict, dict]:
    """The pair as it is, or each side as the string member of a oneOf beside an integer."""
    return (old, new) if wrap == "bare" else ({"oneOf": [old, I]}, {"oneOf": [new, I]})


@pytest.mark.parametrize("wrap", ["bare", "union"])
def test_a_validating_format_added_in_place_of_password(wrap):
    old, new = pair(S("password"), S("date"), wrap)
    found, worst = verdict(old, new, REQUEST)
    assert found == {"request-format-added"} and worst is Severity.BREAKING
    assert witnessed(old, new, REQUEST)
    found, worst = verdict(old, new, RESPONSE)
    assert not found and worst is Severity.INFO


@pytest.mark.parametrize("wrap", ["bare", "union"])
def test_a_validating_format_replaced_by_password(wrap):
    old, new = pair(S("date"), S("password"), wrap)
    found, worst = verdict(old, new, REQUEST)
    assert not found and worst is Severity.ADDITIVE
    found, _ = verdict(old, new, RESPONSE)
    assert found == {"response-format-widened"}
    assert witnessed(old, new, RESPONSE)


def test_password_to_another_annotation_is_an_annotation_change():
    for side in (REQUEST, RESPONSE):
        found, worst = verdict(S("password"), S("unixtime"), side)
        assert not found and worst is Severity.INFO


# -- a format binds only values of its own type ----------------------------------------------------

def test_a_string_format_on_an_integer_checks_nothing():
    old, new = {"type": "integer", "format": "date"}, {"type": "integer", "format": "uuid"}
    for side in (REQUEST, RESPONSE):
        found, _ = verdict(old, new, side)
        assert not found, (side, found)


def test_a_numeric_format_still_binds_integers():
    old, new = {"type": "integer", "format": "int64"}, {"type": "integer", "format": "int32"}
    found, worst = verdict(old, new, REQUEST)
    assert found == {"request-format-narrowed"} and worst is Severity.BREAKING
    assert witnessed(old, new, REQUEST)
