"""The policy file: severity overrides, ignore entries (rule, operation glob, pointer glob,
fingerprint, reason, until), opaque globs, and every way a policy file can be wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from apicompat import policy as policy_module
from apicompat.api import diff_files
from apicompat.cli import main
from apicompat.errors import InputError
from apicompat.model import Severity

from test_formats import write_pair  # noqa: E402  (tests/unit is on sys.path)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pair(tmp_path):
    return write_pair(tmp_path)


@pytest.fixture
def report(pair):
    return diff_files(*pair)


def load(tmp_path: Path, text: str):
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return policy_module.load(str(path))


def by_rule(report):
    return {c.rule: c for c in report.changes}


def test_severity_override(tmp_path, report):
    pol = load(tmp_path, "severity:\n  response-enum-value-added: breaking\n  api-version-changed: warning\n")
    out = pol.apply(report)
    assert by_rule(out)["response-enum-value-added"].severity is Severity.BREAKING
    assert by_rule(out)["api-version-changed"].severity is Severity.WARNING
    assert out.summary == {"breaking": 2, "warning": 1, "additive": 1, "info": 0, "suppressed": 0}
    assert out.changes[0].severity is Severity.BREAKING  # re-sorted worst first
    assert by_rule(report)["response-enum-value-added"].severity is Severity.WARNING  # input untouched


def test_ignore_with_operation_and_pointer_globs(tmp_path, report):
    pol = load(tmp_path, """
ignore:
  - rule: response-property-removed
    operation: "GET /jobs/*"
    pointer: "#/components/schemas/Job/**"
    reason: "legacy_score was never documented"
""")
    out = pol.apply(report)
    c = by_rule(out)["response-property-removed"]
    assert c.suppressed == "legacy_score was never documented"
    assert out.summary["breaking"] == 0 and out.summary["suppressed"] == 1
    assert len(out.changes) == len(report.changes)  # suppressed changes stay in the report
    assert not out.fails(Severity.BREAKING) and out.fails(Severity.WARNING)


@pytest.mark.parametrize("entry", [
    'operation: "POST /*"',                        # the glob matches no operation of the change
    'operation: "GET /jobs*"',                     # `*` never crosses a `/` (GET /jobs/{id})
    'pointer: "#/components/schemas/Other/**"',    # nor its pointer
    'pointer: "#/components/schemas/Job/*"',       # one segment below Job only
    "fingerprint: 000000000000",
])
def test_ignore_entry_that_does_not_match(tmp_path, report, entry):
    pol = load(tmp_path, f"ignore:\n  - rule: response-property-removed\n    {entry}\n    reason: x\n")
    assert by_rule(pol.apply(report))["response-property-removed"].suppressed is None


def test_ignore_by_fingerprint(tmp_path, report):
    fp = by_rule(report)["response-enum-value-added"].fingerprint
    pol = load(tmp_path, f"ignore:\n  - fingerprint: {fp}\n    reason: clients tolerate it\n")
    out = pol.apply(report)
    assert by_rule(out)["response-enum-value-added"].suppressed == "clients tolerate it"
    assert out.summary["warning"] == 0


def test_until_in_the_future_applies_and_expired_is_noted(tmp_path, report):
    text = """
ignore:
  - rule: response-property-removed
    reason: migration window
    until: 2027-01-31
"""
    pol = load(tmp_path, text)
    before = pol.apply(report, today=dt.date(2027, 1, 31))
    assert by_rule(before)["response-property-removed"].suppressed == "migration window"
    assert not before.notes
    after = pol.apply(report, today=dt.date(2027, 2, 1))
    assert by_rule(after)["response-property-removed"].suppressed is None
    assert after.summary["breaking"] == 1
    assert len(after.notes) == 1
    assert "expired on 2027-01-31" in after.notes[0] and "response-property-removed" in after.notes[0]
    assert "1 change(s)" in after.notes[0]


def test_expired_entry_via_cli_is_in_the_json_notes(tmp_path, pair, capsys):
    path = tmp_path / "p.yaml"
    path.write_text("ignore:\n  - rule: response-property-removed\n    reason: old\n    until: 2020-01-01\n")
    with pytest.raises(SystemExit) as exc:
        main(["diff", *pair, "--policy", str(path), "--format", "json"])
    assert exc.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert any("expired on 2020-01-01" in n for n in data["notes"])


def test_opaque_globs_reach_the_differ(tmp_path, capsys):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"type": "object", "properties": {"token": {"type": "string", "maxLength": 10}}}))
    new.write_text(json.dumps({"type": "object", "properties": {"token": {"type": "string", "maxLength": 40}}}))
    path = tmp_path / "p.yaml"
    path.write_text('opaque:\n  - "#/properties/tok*"\n')
    for extra, expected in (([], "warning"), (["--policy", str(path)], "additive")):
        with pytest.raises(SystemExit):
            main(["diff", str(old), str(new), "--format", "json", *extra])
        changes = json.loads(capsys.readouterr().out)["changes"]
        assert [c["severity"] for c in changes] == [expected]
    assert load(tmp_path, 'opaque: ["#/a/*"]').opaque == ["#/a/*"]


@pytest.mark.parametrize("text, place, words", [
    ("ignore:\n  - rule: response-property-removed\n", "line 2, ignore[0]", "missing 'reason': say why"),
    ("ignore:\n  - rule: no-such-rule\n    reason: x\n", "line 2, ignore[0].rule", "unknown rule id 'no-such-rule'"),
    ("severity:\n  no-such-rule: breaking\n", "line 2, severity.no-such-rule", "unknown rule id"),
    ("severity:\n  Bad_Rule: breaking\n", "line 2, severity.Bad_Rule", "expected a rule id"),
    ("severity:\n  response-property-removed: fatal\n", "line 2, severity.response-property-removed",
     "expected a severity (breaking, warning, additive, info), not 'fatal'"),
    ("colour: red\n", "line 1, colour", "unknown key 'colour' (expected: severity, ignore, opaque, events)"),
    ("ignore:\n  - rule: response-property-removed\n    reason: x\n    owner: me\n", "line 4, ignore[0].owner",
     "unknown key 'owner'"),
    ("ignore:\n  - rule: response-property-removed\n    reason: x\n    until: 2027-02-30\n", "line 4, ignore[0].until",
     "expected a date (YYYY-MM-DD), not '2027-02-30'"),
    ("ignore:\n  - rule: response-property-removed\n    reason: x\n    until: next week\n", "line 4, ignore[0].until",
     "expected a date"),
    ("ignore:\n  - rule: response-property-removed\n    reason: '  '\n", "line 3, ignore[0].reason",
     "expected a reason in words"),
    ("ignore:\n  - rule: response-property-removed\n    reason: true\n", "line 3, ignore[0].reason",
     "expected a reason in words, not True"),
    ("ignore:\n  - reason: no selector\n", "line 2, ignore[0]", "at least one of: rule, fingerprint, pointer, operation"),
    ("ignore:\n  - fingerprint: xyz\n    reason: x\n", "line 2, ignore[0].fingerprint", "12 hex digits"),
    ("ignore: {rule: x}\n", "line 1, ignore", "expected a list, not a mapping"),
    ("- just\n- a list\n", None, "expected a mapping (keys: severity, ignore, opaque, events), not a list"),
    ("severity: [unclosed\n", "line 2", "malformed policy"),
    ("events: [a]\n", "line 1, events", "expected a mapping (keys: server, client)"),
    ("events:\n  both: []\n", "line 2, events.both", "unknown key 'both'"),
    ("events:\n  server: '#/a'\n", "line 2, events.server", "expected a list"),
    ("events:\n  client: [components/schemas/A]\n", "line 2, events.client[0]", "starting with '#/'"),
    ("opaque:\n  - '#/a'\n  - {x: 1}\n", "line 3, opaque[1]", "expected a glob"),
    # in file order: the first wrong place is reported, whatever the schema's order
    ("events:\n  both: []\nseverity:\n  x: y\n", "line 2, events.both", "unknown key"),
])
def test_bad_policy_files(tmp_path, text, place, words):
    with pytest.raises(InputError) as exc:
        load(tmp_path, text)
    assert exc.value.place == place
    assert words in exc.value.message
    assert str(exc.value).startswith(str(tmp_path / "policy.yaml"))


def test_bad_policy_on_the_cli_is_one_line_and_exit_2(tmp_path, pair, capsys):
    path = tmp_path / "p.yaml"
    path.write_text("ignore:\n  - rule: response-property-removed\n")
    with pytest.raises(SystemExit) as exc:
        main(["diff", *pair, "--policy", str(path)])
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"apicompat: error: {path}: line 2, ignore[0]: missing 'reason'")


def test_empty_policy_file_is_a_no_op(tmp_path, report):
    out = load(tmp_path, "# nothing yet\n").apply(report)
    assert [c.to_dict() for c in out.changes] == [c.to_dict() for c in report.changes]


def test_policy_schema_agrees():
    schema = json.loads((ROOT / "checker" / "schemas" / "policy.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = yaml.safe_load("""
severity:
  response-enum-value-added: breaking
ignore:
  - rule: response-property-removed
    operation: "GET /jobs/**"
    pointer: "#/components/schemas/Job/**"
    fingerprint: 3f9a0c1d2e4b
    reason: "legacy_score was never documented"
    until: "2027-01-31"
opaque:
  - "#/components/schemas/*/properties/token"
events:
  server: ["#/components/schemas/StreamEvents"]
  client: ["#/components/schemas/Commands*"]
""")
    validator.validate(good)
    parsed = policy_module.parse(good, "good.yaml")
    assert parsed.diff_fields()["client_events"] == ("#/components/schemas/Commands*",)
    assert not validator.is_valid({"events": {"server": ["components/schemas/A"]}})
    assert not validator.is_valid({"events": {"both": []}})
    missing_reason = {"ignore": [{"rule": "response-property-removed"}]}
    assert not validator.is_valid(missing_reason)
    assert not validator.is_valid({"colour": "red"})


# ---- the schema is the format: both directions ----

SCHEMA = json.loads((ROOT / "checker" / "schemas" / "policy.schema.json").read_text())


def _deref(node: dict) -> dict:
    ref = node.get("$ref")
    return SCHEMA["$defs"][ref.rsplit("/", 1)[1]] if ref else node


def schema_keys(node: dict = SCHEMA, at: tuple = ()) -> set[tuple]:
    """Every key path the schema allows: `[]` for a list item, `*` for a key of the user's choosing."""
    node = _deref(node)
    out: set[tuple] = set()
    for name, sub in node.get("properties", {}).items():
        out |= {at + (name,)} | schema_keys(sub, at + (name,))
    if isinstance(node.get("additionalProperties"), dict):
        out |= {at + ("*",)} | schema_keys(node["additionalProperties"], at + ("*",))
    if "items" in node:
        out |= schema_keys(node["items"], at + ("[]",))
    return out


def data_keys(data: object, node: dict = SCHEMA, at: tuple = ()) -> set[tuple]:
    """The key paths a policy uses, spelled as schema_keys spells them."""
    node = _deref(node)
    out: set[tuple] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            sub = node.get("properties", {}).get(key)
            name = key if sub is not None else "*"
            sub = sub if sub is not None else node.get("additionalProperties", {})
            out |= {at + (name,)} | data_keys(value, sub, at + (name,))
    elif isinstance(data, list):
        for item in data:
            out |= data_keys(item, node.get("items", {}), at + ("[]",))
    return out


def yaml_example(text: str, after: str) -> str:
    """The first ```yaml block after the line holding `after`."""
    start = text.index("```yaml", text.index(after)) + len("```yaml\n")
    return text[start:text.index("```", start)]


DOCUMENTED = {
    "docs/reports.md": yaml_example((ROOT / "docs" / "reports.md").read_text(), "### Policy file"),
    "checker/policy.py": yaml_example(policy_module.__doc__, "The policy file"),
}


@pytest.mark.parametrize("where", sorted(DOCUMENTED))
def test_every_documented_key_is_in_the_schema_and_accepted(tmp_path, where):
    text = DOCUMENTED[where]
    pol = load(tmp_path, text)
    assert data_keys(policy_module._read_yaml(text, where, True)) == schema_keys(), (
        f"{where}'s example and the schema name different keys")
    entry = pol.ignore[0]
    assert pol.severity == {"response-enum-value-added": Severity.BREAKING}
    assert (entry.rule, entry.operation, entry.pointer, entry.fingerprint, entry.until) == (
        "response-property-removed", "GET /jobs/**", "#/components/schemas/Job/**", "3f9a0c1d2e4b",
        dt.date(2027, 1, 31))
    assert entry.reason == "legacy_score was never documented"
    assert pol.opaque == ["#/components/schemas/*/properties/token"]
    assert pol.events == {"server": ["#/components/schemas/StreamEvents"], "client": ["#/components/schemas/Commands*"]}


def _full() -> dict:
    return policy_module._read_yaml(DOCUMENTED["checker/policy.py"], "example", True)


def _mappings(data: object, at: tuple = ()):
    """Every mapping of a policy and where it is."""
    if isinstance(data, dict):
        yield at, data
        for key, value in data.items():
            yield from _mappings(value, at + (key,))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _mappings(item, at + (i,))


def _keys_place(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _line_of(text: str, path: tuple) -> int:
    from apicompat.lines import find_lines
    from apicompat.pointers import join

    return find_lines(text, [join("#", *path)])[join("#", *path)]


@pytest.mark.parametrize("at", [at for at, node in _mappings(_full()) if at[:1] != ("severity",)],
                         ids=lambda at: _keys_place(at) or "top")
def test_an_unknown_key_is_refused_at_its_line_in_every_mapping(tmp_path, at):
    data = _full()
    node = data
    for step in at:
        node = node[step]
    node["bogus"] = "x"
    text = yaml.safe_dump(data, sort_keys=False)
    with pytest.raises(InputError) as exc:
        load(tmp_path, text)
    assert exc.value.place == f"line {_line_of(text, at + ('bogus',))}, {_keys_place(at + ('bogus',))}"
    assert exc.value.message.startswith("unknown key 'bogus' (expected: ")


def _values(data: object, at: tuple = ()):
    """Every key's value in a policy and where it is (list items too)."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield at + (key,), value
        yield from _values(value, at + (key,))


@pytest.mark.parametrize("at", [at for at, _ in _values(_full())], ids=_keys_place)
def test_a_wrong_type_is_refused_at_its_key(tmp_path, at):
    data = _full()
    node = data
    for step in at[:-1]:
        node = node[step]
    node[at[-1]] = {"a": 1} if isinstance(node[at[-1]], (str, list)) else ["a"]
    text = yaml.safe_dump(data, sort_keys=False)
    with pytest.raises(InputError) as exc:
        load(tmp_path, text)
    assert exc.value.place == f"line {_line_of(text, at)}, {_keys_place(at)}"
    assert exc.value.message.startswith("expected ") and exc.value.message.endswith(("not a mapping", "not a list"))


def test_digits_and_dates_need_no_quotes(tmp_path):
    pol = load(tmp_path, "ignore:\n  - fingerprint: 000123456789\n    reason: 2024\n    until: 2027-01-31\n"
                         "  - fingerprint: 123456789012\n    reason: x\nopaque: [1]\n")
    assert [e.fingerprint for e in pol.ignore] == ["000123456789", "123456789012"]
    assert pol.ignore[0].reason == "2024" and pol.ignore[0].until == dt.date(2027, 1, 31)
    assert pol.opaque == ["1"]


def test_empty_keys_mean_none(tmp_path):
    pol = load(tmp_path, "severity:\nignore:\nopaque:\nevents:\n  server:\n")
    assert (pol.severity, pol.ignore, pol.opaque, pol.events) == ({}, [], [], {"server": [], "client": []})


VALUES = st.sampled_from([None, "", "  ", "x", "breaking", "response-property-removed", "GET /jobs/*",
                          "#/components/schemas/A", "3f9a0c1d2e4b", "2027-01-31", "2027-02-30", True, 7, [], {}])
GOOD = {"rule": "response-property-removed", "operation": "GET /jobs/*", "pointer": "#/components/schemas/A/**",
        "fingerprint": "3F9a0c1d2e4b", "reason": "why", "until": "2027-01-31"}


def mostly(good: object) -> st.SearchStrategy:
    """`good` seven times in eight, else any value."""
    return st.sampled_from([good] * 7 + [None]).flatmap(lambda v: st.just(v) if v is not None else VALUES)


ENTRIES = st.fixed_dictionaries({"reason": mostly("why")}, optional={
    key: mostly(value) for key, value in GOOD.items() if key != "reason"})
SIDES = st.none() | st.lists(mostly("#/b"), max_size=2)
SHAPED = st.fixed_dictionaries({}, optional={  # shaped like a policy, with wrong values here and there
    "severity": st.none() | st.dictionaries(
        st.sampled_from(["response-property-removed"] * 6 + ["no-such-rule", "Bad_Rule"]), mostly("info"), max_size=2),
    "ignore": st.none() | st.lists(ENTRIES, max_size=2),
    "opaque": st.none() | st.lists(mostly("#/a/*"), max_size=3),
    "events": st.one_of(*[st.none() | st.fixed_dictionaries({}, optional={"server": SIDES, "client": SIDES})] * 7,
                        VALUES, st.fixed_dictionaries({"both": SIDES})),
})
POLICIES = SHAPED | SHAPED | SHAPED | st.recursive(VALUES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["severity", "ignore", "opaque", "events", "server", "client", "rule", "reason", "bogus"]),
    inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(POLICIES)
def test_the_code_accepts_exactly_what_the_schema_accepts(data):
    """Whatever the data: the policy reader accepts it exactly when the schema does (and every rule id
    is registered), and refuses it with an InputError, never another exception."""
    from apicompat.rules import REGISTRY

    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    valid = validator.is_valid(data)
    if valid and isinstance(data, dict):
        ids = list(data.get("severity") or {}) + [e["rule"] for e in data.get("ignore") or () if "rule" in e]
        valid = all(rule in REGISTRY for rule in ids)
    try:
        pol = policy_module.parse(data, "generated.yaml")
    except InputError:
        assert not valid
    else:
        assert valid
        data = data or {}
        assert set(pol.severity) == set(data.get("severity") or {})
        assert [e.rule for e in pol.ignore] == [e.get("rule") for e in data.get("ignore") or ()]
        assert pol.opaque == list(data.get("opaque") or ())


def test_policy_reads_yaml_12_booleans(tmp_path):
    """YAML 1.2 like the specs and the plan: yes/no/on/off are text (PyYAML's YAML 1.1 made them
    booleans, so `reason: yes` was refused); true is still a boolean, refused where text is expected."""
    pol = load(tmp_path, "ignore:\n  - {rule: response-property-removed, reason: yes, operation: on}\n"
                         "  - {pointer: no, reason: off}\n")
    assert [(e.reason, e.operation, e.pointer) for e in pol.ignore] == [("yes", "on", None), ("off", None, "no")]
    with pytest.raises(InputError, match="expected a reason in words, not True"):
        load(tmp_path, "ignore:\n  - {rule: response-property-removed, reason: true}\n")


@pytest.mark.parametrize("entry", [
    'fingerprint: "abcdefabcdef\\n"',            # a trailing newline: Python's `$` would let it through
    'rule: "response-property-removed\\n"',
])
def test_a_value_with_a_trailing_newline_is_refused_not_silently_unmatched(tmp_path, entry):
    """The schema's patterns end with a look-ahead, not `$` (which in Python's re, what validates
    them, matches before a final newline): such an entry would match nothing and hide it."""
    with pytest.raises(InputError):
        load(tmp_path, f"ignore:\n  - {entry}\n    reason: x\n")
