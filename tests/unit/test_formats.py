"""Every report format on one pair with a breaking, a warning, an additive and an info change."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import run_cli_captured

from apicompat.api import diff_files
from apicompat.model import Severity
from apicompat.report import FORMATTERS
from apicompat.report.github import escape_data, escape_property
from apicompat.rules import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = ROOT.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"

OLD = """\
openapi: 3.0.3
info: {title: Jobs, version: "1.0"}
paths:
  /jobs/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Job"
  /jobs:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name:
                  type: string
      responses:
        "201": {description: created}
components:
  schemas:
    Job:
      type: object
      required: [id, status]
      properties:
        id:
          type: string
        status:
          type: string
          enum: [queued, done]
        legacy_score:
          type: number
"""

NEW = """\
openapi: 3.0.3
info: {title: Jobs, version: "1.1"}
paths:
  /jobs/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Job"
  /jobs:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name:
                  type: string
                tags:
                  type: array
                  items: {type: string}
      responses:
        "201": {description: created}
components:
  schemas:
    Job:
      type: object
      required: [id, status]
      properties:
        id:
          type: string
        status:
          type: string
          enum: [queued, done, failed]
"""

EXPECTED = {
    "response-property-removed": Severity.BREAKING,
    "response-enum-value-added": Severity.WARNING,
    "api-version-changed": Severity.INFO,
}


def write_pair(directory: Path) -> tuple[str, str]:
    old, new = directory / "old.yaml", directory / "new.yaml"
    old.write_text(OLD)
    new.write_text(NEW)
    return str(old), str(new)


run = run_cli_captured


@pytest.fixture
def pair(tmp_path, monkeypatch) -> tuple[str, str]:
    monkeypatch.chdir(tmp_path)
    return write_pair(tmp_path)


def rendered(pair, capsys, fmt: str, *extra: str) -> str:
    code, out, err = run(["diff", *pair, "--format", fmt, *extra], capsys)
    assert code == 1, err  # the pair has a breaking change
    assert err == ""
    return out


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_pair_has_every_severity(pair):
    report = diff_files(*pair)
    sev = {c.rule: c.severity for c in report.changes}
    for rule, severity in EXPECTED.items():
        assert sev[rule] is severity
    assert {c.severity for c in report.changes} == set(Severity)
    assert report.summary == {"breaking": 1, "warning": 1, "additive": 1, "info": 1, "suppressed": 0}


def test_every_format_is_registered():
    assert {"text", "json", "markdown", "junit", "sarif", "github", "html"} <= set(FORMATTERS)


def test_json_validates_against_report_schema(pair, capsys, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("ignore:\n  - rule: api-version-changed\n    reason: version bumps are expected\n")
    data = json.loads(rendered(pair, capsys, "json", "--policy", str(policy)))
    schema = json.loads((ROOT / "checker" / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["summary"]["suppressed"] == 1
    assert any(c.get("suppressed") == "version bumps are expected" for c in data["changes"])
    bad = dict(data, summary={**data["summary"], "breaking": -1})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(bad)


def test_markdown_summary_table_then_breaking_first(pair, capsys):
    md = rendered(pair, capsys, "markdown")
    assert re.search(r"^\| 🔴 breaking \| 1 \|$", md, re.M)
    assert re.search(r"^\| 🟠 warning \| 1 \|$", md, re.M)
    assert re.search(r"^\| 🟢 additive \| 1 \|$", md, re.M)
    assert re.search(r"^\| ⚪ info \| 1 \|$", md, re.M)
    positions = [md.index(h) for h in ("### 🔴 Breaking", "### 🟠 Warning", "### 🟢 Additive", "### ⚪ Info")]
    assert positions == sorted(positions)
    assert md.index("| Severity |") < positions[0]
    for rule in EXPECTED:
        assert f"`{rule}`" in md
    assert md.index("`response-property-removed`") < md.index("`response-enum-value-added`")


def test_markdown_escapes_pipes():
    from apicompat.model import Change, Direction, Report
    from apicompat.report.markdown import render

    c = Change("response-property-removed", Severity.BREAKING, Direction.RESPONSE, "a | b\nc", "#/x")
    row = [line for line in render(Report([c])).splitlines() if "response-property-removed" in line][0]
    assert row.count(" | ") == 3 and "`a \\| b\\nc`" in row


def test_junit_one_testcase_per_operation_failure_per_breaking(pair, capsys):
    root = ET.fromstring(rendered(pair, capsys, "junit"))
    cases = {tc.get("name"): tc for tc in root.iter("testcase")}
    assert set(cases) == {"GET /jobs/{id}", "POST /jobs", pair[1]}  # info.version has no operation
    failures = [(name, f.get("type")) for name, tc in cases.items() for f in tc.findall("failure")]
    assert failures == [("GET /jobs/{id}", "response-property-removed")]
    suite = root.find("testsuite")
    assert suite.get("tests") == "3" and suite.get("failures") == "1"
    assert "response-enum-value-added" in cases["GET /jobs/{id}"].find("system-out").text


def test_junit_schema_pair_is_named_by_new_source(tmp_path, capsys):
    old, new = tmp_path / "a.json", tmp_path / "b.json"
    old.write_text(json.dumps({"type": "object", "properties": {"x": {"type": "string"}}}))
    new.write_text(json.dumps({"type": "object", "properties": {}}))
    code, out, _ = run(["diff", str(old), str(new), "--format", "junit", "--fail-on", "warning"], capsys)
    root = ET.fromstring(out)
    assert [tc.get("name") for tc in root.iter("testcase")] == [str(new)]
    assert len(list(root.iter("failure"))) == 1


def sarif_schema() -> dict:
    if not SARIF_SCHEMA.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{SARIF_SCHEMA} is missing, and CI must have it")
        pytest.skip(f"{SARIF_SCHEMA} is absent (../shared is only present in the project's workspace and CI)")
    return json.loads(SARIF_SCHEMA.read_text())


def test_sarif_is_valid_2_1_0_with_rules_levels_and_lines(pair, capsys):
    schema = sarif_schema()
    log = json.loads(rendered(pair, capsys, "sarif"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft7Validator if "draft-07" in schema.get("$schema", "")
                        else jsonschema.validators.validator_for(schema))
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert set(rules) == {c.rule for c in diff_files(*pair).changes}
    for rule_id, rule in rules.items():
        assert rule["shortDescription"]["text"] == REGISTRY[rule_id].doc
        assert rule["properties"]["policy"] == REGISTRY[rule_id].clause
        assert rule["help"]["text"]
    levels = {r["ruleId"]: r["level"] for r in run_["results"]}
    assert levels["response-property-removed"] == "error"
    assert levels["response-enum-value-added"] == "warning"
    assert levels["api-version-changed"] == "note"
    new_text = Path(pair[1]).read_text()
    by_rule = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in run_["results"]}
    # the removed property is gone from the new file: the result points at its schema there
    assert by_rule["response-property-removed"]["artifactLocation"]["uri"] == "new.yaml"
    assert by_rule["response-property-removed"]["region"]["startLine"] == line_of(new_text, "    Job:")
    assert by_rule["response-enum-value-added"]["region"]["startLine"] == line_of(new_text, "        status:")
    for r in run_["results"]:
        assert r["ruleIndex"] == list(rules).index(r["ruleId"])


def test_sarif_suppressed_changes_carry_suppressions(pair, capsys, tmp_path):
    sarif_schema()
    policy = tmp_path / "p.yaml"
    policy.write_text("ignore:\n  - rule: response-property-removed\n    reason: never documented\n")
    code, out, _ = run(["diff", *pair, "--format", "sarif", "--policy", str(policy)], capsys)
    assert code == 0
    results = json.loads(out)["runs"][0]["results"]
    sup = [r for r in results if r.get("suppressions")]
    assert [r["ruleId"] for r in sup] == ["response-property-removed"]
    assert sup[0]["suppressions"][0]["justification"] == "never documented"


def test_github_annotations(pair, capsys):
    lines = rendered(pair, capsys, "github").splitlines()
    new_text = Path(pair[1]).read_text()
    err = [l for l in lines if l.startswith("::error ")]
    assert err == [l for l in lines if "title=response-property-removed" in l]
    assert err[0].startswith(f"::error file=new.yaml,line={line_of(new_text, '    Job:')},title=response-property-removed::")
    assert any(l.startswith("::warning ") and "title=response-enum-value-added" in l for l in lines)
    assert sum(1 for l in lines if l.startswith("::notice ")) == 3  # additive, info, summary
    assert all("\n" not in l for l in lines)


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    from apicompat.report.github import annotation

    assert annotation("error", "x\ny", file="d:/a,b.yaml", line=3, title="r") == \
        "::error file=d%3A/a%2Cb.yaml,line=3,title=r::x%0Ay"


def test_html_is_self_contained_with_fragments(pair, capsys):
    page = rendered(pair, capsys, "html")
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page, re.I)
    assert "<script>" in page and "<link" not in page
    for rule in EXPECTED:
        assert f'data-rule="{rule}"' in page
    # the old side of the removed property shows its schema fragment from the old document
    article = page[page.index('data-rule="response-property-removed"'):]
    article = article[:article.index("</article>")]
    assert "&quot;type&quot;: &quot;number&quot;" in article
    assert 'id="count-breaking"><b>1</b>' in page
    assert "GET /jobs/{id}" in page and "operation-filter" in page


def test_text_still_works(pair, capsys):
    out = rendered(pair, capsys, "text")
    assert "1 breaking, 1 warning, 1 additive, 1 info" in out


def test_output_file(pair, capsys, tmp_path):
    target = tmp_path / "report.sarif"
    code, out, _ = run(["diff", *pair, "--format", "sarif", "--output", str(target)], capsys)
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"
