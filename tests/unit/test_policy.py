"""The policy file: severity overrides, ignore entries (rule, operation glob, pointer glob,
fingerprint, reason, until), opaque globs, and every way a policy file can be wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

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
    ("ignore:\n  - rule: response-property-removed\n", "ignore[0]", "missing 'reason'"),
    ("ignore:\n  - rule: no-such-rule\n    reason: x\n", "ignore[0].rule", "unknown rule id 'no-such-rule'"),
    ("severity:\n  no-such-rule: breaking\n", "severity.no-such-rule", "unknown rule id"),
    ("severity:\n  response-property-removed: fatal\n", "severity.response-property-removed", "unknown severity"),
    ("colour: red\n", "colour", "unknown key 'colour'"),
    ("ignore:\n  - rule: response-property-removed\n    reason: x\n    owner: me\n", "ignore[0].owner", "unknown key"),
    ("ignore:\n  - rule: response-property-removed\n    reason: x\n    until: 2027-02-30\n", "ignore[0].until", "bad date"),
    ("ignore:\n  - rule: response-property-removed\n    reason: x\n    until: next week\n", "ignore[0].until", "bad date"),
    ("ignore:\n  - rule: response-property-removed\n    reason: '  '\n", "ignore[0].reason", "non-empty"),
    ("ignore:\n  - reason: no selector\n", "ignore[0]", "at least one of"),
    ("ignore:\n  - fingerprint: xyz\n    reason: x\n", "ignore[0].fingerprint", "bad fingerprint"),
    ("ignore: {rule: x}\n", "ignore", "list"),
    ("- just\n- a list\n", None, "must be a mapping"),
    ("severity: [unclosed\n", "line 2", "malformed policy file"),
    ("events: [a]\n", "events", "must be a mapping"),
    ("events:\n  both: []\n", "events.both", "unknown key 'both'"),
    ("events:\n  server: '#/a'\n", "events.server", "must be a list"),
    ("events:\n  client: [components/schemas/A]\n", "events.client[0]", "is not a JSON pointer"),
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
    assert err.startswith(f"apicompat: error: {path}: ignore[0]: missing 'reason'")


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
