"""The plan's `policy:` key: a policy file beside the plan, or an inline mapping, used by `check`
and `conform` when `--policy` is not given."""

from __future__ import annotations

import json

import pytest
import yaml

from apicompat.errors import InputError
from apicompat.record.mock_server import Routes, start_in_thread
from apicompat.record.plan import parse_plan
from apicompat.record.store import dump_snapshot

from test_conform import SPEC31, model_body, run, snapshot

PLAN_HEAD = "base_url: http://127.0.0.1:1/v1\ncases:\n  - {name: model, method: GET, path: /models/gpt-4}\n"
IGNORE = {"ignore": [{"rule": "conform-schema-violation", "reason": "the server is being fixed"}]}


def setup(tmp, body, plan_extra: str):
    (tmp / "openapi.yaml").write_text(yaml.safe_dump(SPEC31))
    sdir = tmp / "snapshots"
    sdir.mkdir()
    (sdir / "model.yaml").write_text(dump_snapshot(snapshot("model", "GET", "/models/gpt-4", body)))
    plan = tmp / "conf" / "apicompat.yaml"
    plan.parent.mkdir()
    plan.write_text(PLAN_HEAD + plan_extra)
    return plan, sdir


def conform(tmp, plan, sdir, *extra) -> tuple[int, dict]:
    out = tmp / "report.json"
    code = run("conform", "--spec", str(tmp / "openapi.yaml"), "--snapshots", str(sdir), "--plan", str(plan),
               "--format", "json", "-o", str(out), *extra)
    return code, (json.loads(out.read_text()) if out.exists() else {})


def test_parse_plan_policy_forms(tmp_path):
    plan = parse_plan(PLAN_HEAD + "policy: policies/p.yaml\n", str(tmp_path / "apicompat.yaml"))
    assert plan.policy == str(tmp_path / "policies" / "p.yaml") and plan.policy_text is None
    plan = parse_plan(PLAN_HEAD + "policy:\n  severity: {conform-undocumented-property: breaking}\n", "apicompat.yaml")
    assert plan.policy is None and "conform-undocumented-property" in plan.policy_text
    assert parse_plan(PLAN_HEAD, "apicompat.yaml").policy is None
    with pytest.raises(InputError, match="expected a policy file name or an inline policy mapping"):
        parse_plan(PLAN_HEAD + "policy: [a]\n", "apicompat.yaml")


def test_conform_reads_policy_file_beside_the_plan(tmp_path):
    plan, sdir = setup(tmp_path, model_body(created="x"), "policy: policy.yaml\n")
    (plan.parent / "policy.yaml").write_text(yaml.safe_dump(IGNORE))
    code, report = conform(tmp_path, plan, sdir)
    assert code == 0
    assert [c["suppressed"] for c in report["changes"]] == ["the server is being fixed"]


def test_conform_reads_inline_policy(tmp_path):
    plan, sdir = setup(tmp_path, model_body(extra=1),
                       "policy:\n  severity:\n    conform-undocumented-property: breaking\n")
    code, report = conform(tmp_path, plan, sdir)
    assert code == 1
    assert [c["severity"] for c in report["changes"]] == ["breaking"]


def test_policy_option_wins_over_the_plan(tmp_path):
    plan, sdir = setup(tmp_path, model_body(created="x"), "policy:\n  ignore:\n"
                       "    - {rule: conform-schema-violation, reason: inline}\n")
    other = tmp_path / "other.yaml"
    other.write_text("severity: {conform-undocumented-property: breaking}\n")
    code, report = conform(tmp_path, plan, sdir, "--policy", str(other))
    assert code == 1 and "suppressed" not in report["changes"][0]
    code, report = conform(tmp_path, plan, sdir)
    assert code == 0 and report["changes"][0]["suppressed"] == "inline"


def test_bad_inline_policy_is_an_input_error(tmp_path, capsys):
    plan, sdir = setup(tmp_path, model_body(), "policy:\n  ignore:\n    - {rule: no-such-rule, reason: x}\n")
    code, _ = conform(tmp_path, plan, sdir)
    assert code == 2
    err = capsys.readouterr().err
    assert "apicompat.yaml (policy)" in err and "no-such-rule" in err


def test_check_reads_the_plan_policy(tmp_path):
    obj = {"case": "obj", "request": {"method": "GET", "path": "/obj"}, "stream": False, "samples": [
        {"status": 200, "headers": {"content-type": "application/json"}, "body": {"id": "o1", "name": "a"}}]}
    server, url = start_in_thread(Routes([obj]))
    try:
        plan = tmp_path / "apicompat.yaml"
        plan.write_text(f"base_url: {url}/v1\ncases:\n  - {{name: obj, path: /obj}}\n"
                        "policy:\n  ignore:\n    - {rule: response-property-removed, reason: name is going away}\n")
        args = ["--plan", str(plan), "--snapshots", str(tmp_path / "s"), "--schemas", str(tmp_path / "sc"),
                "--timeout", "5", "--max-retry-wait", "0.05"]
        assert run("record", *args) == 0
        changed = json.loads(json.dumps(obj))
        del changed["samples"][0]["body"]["name"]
        server.RequestHandlerClass.routes = Routes([changed])
        out = tmp_path / "r.json"
        assert run("check", *args, "--format", "json", "-o", str(out)) == 0
        report = json.loads(out.read_text())
        # one entry: the schema change with the recorded violation in it (check.merge_views)
        assert [(c["rule"], c.get("suppressed")) for c in report["changes"]] == [
            ("response-property-removed", "name is going away")]
        assert "recorded:" in report["changes"][0]["message"]
        bare = tmp_path / "bare.yaml"
        bare.write_text("{}\n")
        assert run("check", *args, "--policy", str(bare), "--format", "json", "-o", str(out)) == 1
    finally:
        server.shutdown()
        server.server_close()
