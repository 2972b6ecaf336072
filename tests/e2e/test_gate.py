"""`--fail-on` at each level (exit 0/1), `gate --usage` with recordings calling one of two changed
operations, and `changelog`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli_captured


ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit"))
from test_formats import write_pair  # noqa: E402

OLD = """\
openapi: 3.0.3
info: {title: Jobs, version: "1"}
servers:
  - url: https://api.example.com/v1
paths:
  /jobs/{id}:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
  /jobs/search:
    get:
      responses:
        "200": {description: ok}
  /jobs:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "201": {description: created}
"""
# GET /jobs/{id} gains an optional response property (additive);
# POST /jobs makes `name` required (breaking).
NEW = OLD.replace("properties: {id: {type: string}}}",
                  "properties: {id: {type: string}, created: {type: integer}}}").replace(
    "schema: {type: object, properties: {name: {type: string}}}",
    "schema: {type: object, required: [name], properties: {name: {type: string}}}")


run = run_cli_captured


@pytest.mark.parametrize("level, expected", [
    ("breaking", 1), ("warning", 1), ("additive", 1), ("info", 1), ("none", 0)])
def test_fail_on_each_level_with_a_breaking_change(tmp_path, capsys, level, expected):
    pair = write_pair(tmp_path)
    assert run(["diff", *pair, "--fail-on", level], capsys)[0] == expected


@pytest.mark.parametrize("level, expected", [
    ("breaking", 0), ("warning", 0), ("additive", 1), ("info", 1), ("none", 0)])
def test_fail_on_each_level_with_additive_and_info_only(tmp_path, capsys, level, expected):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD)
    new.write_text(OLD.replace("properties: {id: {type: string}}}",
                               "properties: {id: {type: string}, created: {type: integer}}}")
                   .replace('version: "1"', 'version: "2"'))
    assert run(["diff", str(old), str(new), "--fail-on", level], capsys)[0] == expected
    new.write_text(OLD.replace('version: "1"', 'version: "2"'))  # info only
    assert run(["diff", str(old), str(new), "--fail-on", level], capsys)[0] == (1 if level == "info" else 0)


def test_the_installed_cli_exit_status(tmp_path):
    pair = write_pair(tmp_path)
    exe = ROOT / ".venv" / "bin" / "apicompat"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "apicompat"]
    assert subprocess.run([*cmd, "diff", *pair], capture_output=True).returncode == 1
    assert subprocess.run([*cmd, "diff", *pair, "--fail-on", "none"], capture_output=True).returncode == 0


def recording(directory: Path, name: str, method: str, path: str) -> None:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(
        f"request:\n  method: {method}\n  path: {path}\n  headers: {{}}\n"
        "samples:\n  - status: 200\n    body: {\"id\": \"job_1\"}\n")


@pytest.fixture
def gate_pair(tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD)
    new.write_text(NEW)
    return str(old), str(new)


def test_gate_sets_aside_changes_to_operations_not_recorded(tmp_path, gate_pair, capsys):
    snaps = tmp_path / "snapshots"
    recording(snaps, "get_job.yaml", "get", "/v1/jobs/job_123?expand=x")  # servers base path + template
    (snaps / "notes.yaml").write_text("just: notes\n")  # not a recording: skipped
    code, out, err = run(["gate", *gate_pair, "--usage", str(snaps), "--format", "json"], capsys)
    assert err == "" and code == 0  # the breaking change is on POST /jobs, which is not called
    import json

    data = json.loads(out)
    removed = [c for c in data["changes"] if c["rule"] == "request-property-became-required"]
    assert removed and removed[0]["suppressed"] == "not used by you"
    assert data["summary"]["breaking"] == 0 and data["summary"]["suppressed"] == 1
    assert any("1 change(s)" in n and "set aside" in n and "1 breaking" in n for n in data["notes"])
    assert any("GET /jobs/{id}" in n for n in data["notes"])
    # the additive change on the called operation is still reported
    assert any(c["operations"] == ["GET /jobs/{id}"] and "suppressed" not in c for c in data["changes"])


def test_gate_fails_when_recordings_call_the_broken_operation(tmp_path, gate_pair, capsys):
    snaps = tmp_path / "snapshots"
    recording(snaps, "create.yaml", "POST", "/v1/jobs")
    code, out, _ = run(["gate", *gate_pair, "--usage", str(snaps)], capsys)
    assert code == 1
    assert "request-property-became-required" in out
    assert "Suppressed (1)" in out  # the additive change on GET /jobs/{id}, not called


def test_gate_prefers_literal_paths(tmp_path, gate_pair, capsys):
    from apicompat.openapi.match import match_operation

    ops = [("GET", "/jobs/{id}"), ("GET", "/jobs/search"), ("POST", "/jobs")]
    assert match_operation("GET", "/jobs/search", ops, [""]) == "GET /jobs/search"
    assert match_operation("GET", "/jobs/abc", ops, [""]) == "GET /jobs/{id}"
    assert match_operation("GET", "/v1/jobs/abc", ops, ["", "/v1"]) == "GET /jobs/{id}"
    assert match_operation("DELETE", "/jobs/abc", ops, [""]) is None


def test_gate_without_usage_is_diff(gate_pair, capsys):
    assert run(["gate", *gate_pair], capsys)[0] == 1


def test_gate_bad_usage_dirs(tmp_path, gate_pair, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(["gate", *gate_pair, "--usage", str(empty)], capsys)
    assert code == 2 and "holds no recorded snapshots" in err
    (empty / "broken.yaml").write_text("request: [unclosed\n")
    code, _, err = run(["gate", *gate_pair, "--usage", str(empty)], capsys)
    assert code == 2 and "broken.yaml" in err and err.count("\n") == 1


def test_changelog_groups_by_operation(gate_pair, capsys, tmp_path):
    code, out, _ = run(["changelog", *gate_pair], capsys)
    assert code == 0
    assert out.startswith("# API changelog")
    post = out.index("## `POST /jobs`")
    get = out.index("## `GET /jobs/{id}`")
    assert "**Breaking** `request-property-became-required`" in out[post:]
    section_get = out[get:post] if get < post else out[get:]
    assert "**Additive**" in section_get
    target = tmp_path / "CHANGELOG.md"
    assert run(["changelog", *gate_pair, "-o", str(target)], capsys)[0] == 0
    assert target.read_text() == out
