"""apicompat.patterns: language containment of ECMA-262 patterns under JSON Schema's search semantics,
checked by hand-picked cases and against brute-force matching with Python's `re`."""

from __future__ import annotations

import itertools
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apicompat.patterns import Verdict, admits_all, contains, matches_everything


def holds(wide, narrow):
    return contains(wide, narrow).holds


# -- containment: true, false, undecided --------------------------------------------------------------
@pytest.mark.parametrize("wide, narrow", [
    (["^[a-z]+$"], ["^[a-c]+$"]),
    (["^[a-z0-9_]+$"], ["^\\w+$", "^[^A-Z_]*$"]),  # a conjunction on the narrow side
    (["abc"], ["^abc$"]),  # an anchored pattern is narrower than the same one unanchored
    (["^abc"], ["^abcd"]),
    (["\\d"], ["^[0-9]{3}$"]),
    (["^[a-z]{2,8}$"], ["^[a-z]{3,5}$"]),
    (["^(cat|dog)s?$"], ["^(?:cats|dog)$"]),
    (["^a+?$"], ["^a{2}$"]),  # lazy and greedy quantifiers: the same language
    (["(^|,)x"], ["^x"]),  # an anchor inside a group
    (["^(?<prefix>sk|pk)_[A-Za-z0-9]+$"], ["^sk_[a-z]+$"]),  # named groups
    (["^[\\s\\S]{0,10}$"], ["^.{0,10}$"]),
    (["^\\s*$"], ["^[ \\t\\u3000\\ufeff]*$"]),  # ECMA's \s holds U+3000 and U+FEFF
    ([".*"], ["^x$"]),
    (["^\\x41\\u0042\\u{43}$"], ["^ABC$"]),  # escapes
    (["^[\\-\\/]$"], ["^-$"]),
    (["^x{2,}$"], ["^xxx+$"]),
    (["a"], ["a", "b"]),
    (["^[a-z]{3}$", "^u"], ["^usd$"]),  # a conjunction on the wide side
])
def test_contains_holds(wide, narrow):
    assert contains(wide, narrow) == Verdict(True)


@pytest.mark.parametrize("wide, narrow, example", [
    (["^[a-c]+$"], ["^[a-z]+$"], set("defghijklmnopqrstuvwxyz")),
    (["^abc$"], ["abc"], None),
    (["^[a-z]{3,5}$"], ["^[a-z]{2,8}$"], {"aa"}),
    (["^\\d+$"], ["^[0-9٠-٩]+$"], set("٠١٢٣٤٥٦٧٨٩")),  # ECMA's \d is ASCII only
    (["^\\w+$"], ["^[a-zé]+$"], {"é"}),  # and so is \w
    (["^.*$"], [], {"\n", "\r", "\u2028", "\u2029"}),  # `.` stops at a line terminator and `$` is the end of the string
    (["^.+$"], ["^[^\\n]+$"], {"\r", "\u2028", "\u2029"}),
    (["^a$"], ["^a"], None),
    (["a^b"], ["ab"], {"ab"}),  # an anchor in the middle matches nothing
    (["x"], [], {""}),
    (["^(cat|dog)$"], ["^(cat|dog)s?$"], None),
])
def test_contains_fails_with_a_counterexample(wide, narrow, example):
    verdict = contains(wide, narrow)
    assert verdict.holds is False
    assert verdict.counterexample is not None
    if example is not None:
        assert verdict.counterexample in example
    assert repr(verdict.counterexample) in verdict.reason


def test_a_counterexample_matches_narrow_and_not_wide_under_python_re():
    verdict = contains(["^[a-z]+(-[a-z]+)*$"], ["^[a-z-]+$"])
    s = verdict.counterexample
    assert verdict.holds is False
    assert re.fullmatch("[a-z-]+", s) and not re.fullmatch("[a-z]+(-[a-z]+)*", s)


@pytest.mark.parametrize("pattern, reason", [
    ("^(a)\\1$", "backreference"),
    ("^(?<x>a)\\k<x>$", "backreference"),
    ("^(?=.*\\d)\\w+$", "lookahead"),
    ("^(?!x)", "lookahead"),
    ("(?<=a)b", "lookbehind"),
    ("\\bword\\b", "word boundary"),
    ("^\\p{L}+$", "Unicode property"),
    ("(a{1000}){1000}", "too large"),
    ("(", "not a valid ECMA-262 pattern"),
    ("a**", "not a valid ECMA-262 pattern"),
    ("(a|aa)*{1000}", "not a valid ECMA-262 pattern"),  # nothing to repeat, in ECMA-262 as in Python
    ("[z-a]", "not a valid ECMA-262 pattern"),
    ("(?i)abc", "not a valid ECMA-262 pattern"),  # inline flags are Python's, not ECMA-262's
])
def test_what_an_automaton_cannot_model_is_undecided_with_a_reason(pattern, reason):
    for verdict in (contains([pattern], ["^x$"]), contains(["^x"], [pattern])):
        assert verdict.holds is None
        assert reason in verdict.reason
        assert repr(pattern) in verdict.reason  # says which pattern


@pytest.mark.parametrize("hostile, decidable", [
    ("[ab]*a[ab]{20}", False),  # a DFA of 2^21 states
    ("(?:a|b|c|d|e|f|g|h)*a.{15}", False),
    (".{0,5000}x.{0,5000}", False),
    ("((((a{100}){100}){100}){100})", False),
    ("x{99999999999999}", False),
    ("(.*a){30}", True),  # large NFA, small DFA
    ("(a|aa)+" * 40, True),
    ("^(a+)+$", True),
])
def test_hostile_patterns_return_fast(hostile, decidable):
    started = time.process_time()
    verdicts = [contains(["^x"], [hostile]), contains(["^[ab]*$", "y"], [hostile, "q"]), contains([hostile], ["^a"])]
    assert time.process_time() - started < 2.0
    if decidable:
        assert all(v.holds is not None for v in verdicts)
    else:  # whether a string of the hostile pattern lacks an 'x' at the start: only a whole search would tell
        assert verdicts[0].holds is None and verdicts[0].reason


def test_the_same_question_is_answered_from_the_cache():
    wide, narrow = ["^[a-z]{1,40}$", "^[^q]*$"], ["^[a-p]{1,39}$"]
    first = contains(wide, narrow)
    started = time.process_time()
    for _ in range(1000):
        assert contains(list(reversed(wide)), narrow) == first
    assert time.process_time() - started < 0.1


def test_a_single_string_is_refused_rather_than_read_as_characters():
    with pytest.raises(TypeError):
        contains("^a$", ["^a$"])


# -- matches_everything -----------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", ["", ".*", "^.*", "[\\s\\S]*", "^[\\s\\S]*$", "a*", "(x|)", "^(.|\\n|\\r|\\u2028|\\u2029)*$",
                                     "^[^]*$", "(?:)"])
def test_matches_everything(pattern):
    assert matches_everything(pattern)


@pytest.mark.parametrize("pattern", ["^.*$", ".", "^a*$", "a", "(?=x)", "[^]"])
def test_does_not_match_everything(pattern):
    assert not matches_everything(pattern)


# -- admits_all --------------------------------------------------------------------------------------
def test_an_enum_replaced_by_a_pattern_that_admits_every_value():
    assert admits_all(["^[a-z]{3}$"], ["usd", "eur"]) == Verdict(True)


def test_an_enum_with_a_value_the_pattern_rejects():
    verdict = admits_all(["^[a-z]{3}$"], ["usd", "EUR", "gbp"])
    assert verdict.holds is False and verdict.counterexample == "EUR"
    assert "'EUR'" in verdict.reason


def test_admits_all_takes_every_pattern_and_skips_values_pattern_does_not_apply_to():
    assert admits_all(["^[a-z]+$", "^.{2}$"], ["ab", 3, None, True]).holds is True
    assert admits_all(["^[a-z]+$", "^.{2}$"], ["abc"]).holds is False
    assert admits_all([], ["anything"]).holds is True


def test_admits_all_on_a_pattern_no_automaton_models():
    verdict = admits_all(["^(?=.*\\d)"], ["a1"])
    assert verdict.holds in (True, None)
    if verdict.holds is None:
        assert "lookahead" in verdict.reason


# -- the semantic oracle: contains() against brute force with Python's re --------------------------------
# Pairs of (ECMA-262, Python re) spellings with the same meaning on the alphabet below.
_ATOMS = [("a", "a"), ("b", "b"), ("0", "0"), ("[ab]", "[ab]"), ("[^a]", "[^a]"), ("[a0]", "[a0]"),
          (".", "[^\\n\\r\\u2028\\u2029]"), ("\\d", "[0-9]"), ("\\w", "[A-Za-z0-9_]"), ("\\s", "\\s"),
          ("\\n", "\\n"), ("^", "^"), ("$", "\\Z")]
_QUANTIFIERS = ["*", "+", "?", "{2}", "{1,2}", "{0,3}", "{2,}", "*?", "+?"]
_ALPHABET = "ab0\n "
_STRINGS = [""] + ["".join(t) for n in range(1, 6) for t in itertools.product(_ALPHABET, repeat=n)]


def _regexes():
    leaf = st.sampled_from(_ATOMS)

    def extend(inner):
        both = st.tuples(inner, inner)
        return st.one_of(
            both.map(lambda p: (p[0][0] + p[1][0], p[0][1] + p[1][1])),
            both.map(lambda p: (f"(?:{p[0][0]}|{p[1][0]})", f"(?:{p[0][1]}|{p[1][1]})")),
            st.tuples(inner, st.sampled_from(_QUANTIFIERS)).map(
                lambda p: (f"(?:{p[0][0]}){p[1]}", f"(?:{p[0][1]}){p[1]}")),
        )

    return st.recursive(leaf, extend, max_leaves=6)


def _all_match(pairs, s) -> bool:
    return all(re.search(py, s) for _, py in pairs)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_regexes(), min_size=1, max_size=2), st.lists(_regexes(), max_size=2))
def test_contains_agrees_with_brute_force(wide, narrow):
    verdict = contains([e for e, _ in wide], [e for e, _ in narrow])
    assert verdict.holds is not None, verdict.reason
    if verdict.holds:
        missed = next((s for s in _STRINGS if _all_match(narrow, s) and not _all_match(wide, s)), None)
        assert missed is None, f"{missed!r} matches narrow and not wide"
    else:
        s = verdict.counterexample
        assert _all_match(narrow, s) and not _all_match(wide, s)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_regexes(), st.lists(st.text(_ALPHABET, max_size=6), max_size=5))
def test_admits_all_agrees_with_python_re(regex, values):
    ecma, py = regex
    expected = all(re.search(py, v) for v in values)
    assert admits_all([ecma], values).holds is expected


# -- bounded matching for validation (issue 11 item 7) ----------------------------------------------------
from jsonschema import FormatChecker  # noqa: E402

from apicompat.patterns import engine, safe_validator_for  # noqa: E402

EVIL = "a" * 50 + "!"


def _errors(schema, instance, **kwargs):
    started = time.perf_counter()
    errors = list(safe_validator_for(schema, **kwargs).iter_errors(instance))
    assert time.perf_counter() - started < 3.0
    return errors


@pytest.mark.parametrize("pattern, text, expected", [
    ("^(a+)+$", EVIL, False),  # RE2: linear time
    ("^(a+)+$", "a" * 50, True),
    ("^\\d+$", "١٢٣", False),  # ECMA's \d is ASCII
    ("^\\d+$", "123\n", False),  # ECMA's $ is the end of the string
    ("^\\s$", "\ufeff", True),  # ECMA's \s
    ("\\bcat\\b", "a cat!", True),
    ("\\bcat\\b", "concatenate", False),
    ("^(?=.*\\d)\\w+$", "abc1", True),  # lookahead: the backtracking engine
    ("^(?<q>['\"]).*\\k<q>$", "'x'", True),  # a named backreference
    ("^(?P<x>a)$", "a", True),  # not ECMA-262, but what jsonschema's re read: Python's meaning
    ("^(a+)+$", "a\ud800", False),  # a lone surrogate: RE2 reads UTF-8 only, the fallback takes it
])
def test_bounded_search_has_ecma_meaning(pattern, text, expected):
    assert engine.search(pattern, text) is expected


@pytest.mark.parametrize("pattern, text, reason", [
    ("^(?!z)(a|aa)+$", "a" * 60 + "!", "did not finish"),
    ("(", "x", "not a valid regular expression"),
    ("((a{1000}){1000}){1000}", "aaa", "too large"),
    ("(?P<x>((a{1000}){1000}){1000})", "aaa", "too large"),
    ("x" * 20_000, "x", "longer than"),
])
def test_bounded_search_is_undecided_past_its_bounds(pattern, text, reason):
    started = time.perf_counter()
    with pytest.raises(engine.MatchUndecided, match=reason):
        engine.search(pattern, text)
    assert time.perf_counter() - started < 2.0


def test_the_budget_stops_backtracking_matches_once_spent():
    budget = engine.Budget(0.2)
    reasons = []
    started = time.perf_counter()
    for _ in range(50):
        with pytest.raises(engine.MatchUndecided) as caught:
            engine.search("^(?!z)(a|aa)+$", "a" * 60 + "!", budget)
        reasons.append(caught.value.reason)
    assert time.perf_counter() - started < 3.0
    assert "budget" in reasons[-1] and "did not finish" in reasons[0]


def test_safe_validator_pattern_reports_the_place():
    errors = _errors({"properties": {"name": {"pattern": "^(a+)+$"}}}, {"name": EVIL})
    assert [list(e.absolute_schema_path) for e in errors] == [["properties", "name", "pattern"]]
    assert list(errors[0].absolute_path) == ["name"] and "does not match" in errors[0].message


def test_safe_validator_undecided_match_is_an_error_at_its_place():
    errors = _errors({"items": {"pattern": "^(?!z)(a|aa)+$"}}, ["aa", "a" * 60 + "!"])
    assert len(errors) == 1
    assert list(errors[0].absolute_path) == [1]
    assert "could not be checked against the pattern" in errors[0].message


def test_safe_validator_pattern_properties_and_additional_properties():
    schema = {"patternProperties": {"^(b+)+$": {"type": "integer"}}, "additionalProperties": False}
    errors = _errors(schema, {"bbb": "x", "b" * 40 + "!": 1})
    paths = sorted((list(e.absolute_path), e.validator) for e in errors)
    assert paths == [([], "additionalProperties"), (["bbb"], "type")]
    assert not _errors(schema, {"bbb": 2})
    undecided = _errors({"patternProperties": {"^(?!z)(b|bb)+$": True}, "additionalProperties": False},
                        {"b" * 60 + "!": 1})
    assert [list(e.absolute_path) for e in undecided] == [["b" * 60 + "!"]]
    assert "property name" in undecided[0].message


def test_safe_validator_unevaluated_properties():
    schema = {"allOf": [{"patternProperties": {"^x(a+)+$": True}}], "properties": {"id": True},
              "unevaluatedProperties": False}
    assert not _errors(schema, {"id": 1, "xaaa": 2})
    errors = _errors(schema, {"id": 1, "xaaa": 2, "x" + EVIL: 3})
    assert len(errors) == 1 and "Unevaluated properties are not allowed" in errors[0].message
    assert repr("x" + EVIL) in errors[0].message


def test_safe_validator_format_regex_uses_the_ecma_parser():
    assert not _errors({"format": "regex"}, "(a", )  # formats are not asserted without a checker
    errors = _errors({"format": "regex"}, "(a", format_checker=FormatChecker())
    assert len(errors) == 1 and "regex" in errors[0].message
    assert not _errors({"format": "regex"}, "^\\d{3}$", format_checker=FormatChecker())
    assert _errors({"format": "date"}, "nope", format_checker=FormatChecker())  # other formats kept


def test_safe_validator_follows_schema_dialect_and_refs():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    draft7 = {"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"pattern": "^a$"}]}
    assert [e.validator for e in _errors(draft7, ["b"])] == ["pattern"]  # draft-07 array `items`
    registry = Registry().with_resource("urn:spec", Resource(contents={"S": {"pattern": "^(a+)+$"}},
                                                             specification=DRAFT202012))
    errors = _errors({"$ref": "urn:spec#/S"}, EVIL, registry=registry)
    assert [e.validator for e in errors] == ["pattern"]
    unknown = {"$schema": "https://spec.openapis.org/oas/3.1/dialect/base", "pattern": "^a$"}
    assert [e.validator for e in _errors(unknown, "b")] == ["pattern"]
