"""Issue 11 item 7: a catastrophic pattern in a schema (`^(a+)+$` and its family) must not hang
`check` or `conform` validating recorded bodies. Both run through the real CLI on real files: `check`
records from the project's mock server on 127.0.0.1 and finds the pattern in its baseline schema;
`conform` reads it from the spec. Each run must finish well within seconds and name the place."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import run_cli

from apicompat.record.mock_server import Routes, start_in_thread
from apicompat.record.store import dump_snapshot

HEADERS = {"content-type": "application/json", "x-request-id": "req_1", "openai-version": "2020-10-01"}
EVIL = "a" * 50 + "!"  # Python's re takes about 2^50 steps on ^(a+)+$ for this
SLOW_FOR_BACKTRACKING = "a" * 60 + "!"
LIMIT = 8.0  # seconds for a whole CLI run: catastrophic backtracking would take hours

OBJ = {"case": "obj", "request": {"method": "GET", "path": "/obj"}, "stream": False, "samples": [
    {"status": 200, "headers": HEADERS, "body": {"id": "obj_1", "name": "aaaa", "tags": {"aa": 1}}}]}
PLAN = """\
base_url: {url}/v1
cases:
  - {{name: obj, method: GET, path: /obj}}
"""


def in_process(*args: str) -> tuple[int, float]:
    started = time.perf_counter()
    code = run_cli(*args)
    return code, time.perf_counter() - started


def timed(*args: str) -> tuple[int, float]:
    """The CLI in its own process, killed at LIMIT: a regression must fail here, not hang the suite."""
    started = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "apicompat", *args], capture_output=True, text=True,
                              timeout=LIMIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"apicompat {args[0]} did not finish within {LIMIT} s")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, time.perf_counter() - started


# -- check: the baseline schema holds the pattern -------------------------------------------------------
@pytest.fixture()
def recorded(tmp_path):
    server, url = start_in_thread(Routes([OBJ]))
    plan = tmp_path / "apicompat.yaml"
    plan.write_text(PLAN.format(url=url))
    args = ["--plan", str(plan), "--snapshots", str(tmp_path / "snapshots"), "--schemas", str(tmp_path / "schemas"),
            "--max-retry-wait", "0.05", "--timeout", "5"]
    assert run_cli("record", *args) == 0
    yield {"server": server, "args": args, "tmp": tmp_path}
    server.shutdown()
    server.server_close()


def _edit_baseline_schema(tmp: Path, edit) -> None:
    path = tmp / "schemas" / "obj.json"
    schema = json.loads(path.read_text())
    edit(schema)
    path.write_text(json.dumps(schema))


def _serve(env, **body) -> None:
    obj = copy.deepcopy(OBJ)
    obj["samples"][0]["body"].update(body)
    env["server"].RequestHandlerClass.routes = Routes([obj])


def _check(env, run=timed) -> tuple[int, float, list[dict]]:
    out = env["tmp"] / "report.json"
    code, seconds = run("check", *env["args"], "--format", "json", "--output", str(out))
    return code, seconds, json.loads(out.read_text())["changes"]


def test_check_with_catastrophic_patterns_finishes_and_names_each_place(recorded):
    def edit(schema):
        props = schema["properties"]
        props["name"]["pattern"] = "^(a+)+$"  # RE2 decides it in linear time
        props["id"]["pattern"] = "^(?!z)(a|aa)+$"  # lookahead: backtracking with a time limit
        props["tags"] = {"type": "object", "patternProperties": {"^(?!z)(b|bb)+$": {"type": "string"}},
                         "additionalProperties": False}

    _edit_baseline_schema(recorded["tmp"], edit)
    _serve(recorded, name=EVIL, id=SLOW_FOR_BACKTRACKING, tags={"b" * 60 + "!": 1})
    code, seconds, changes = _check(recorded)
    assert seconds < LIMIT
    assert code == 1
    violations = {c["pointer"]: c["message"] for c in changes if c["rule"] == "recorded-schema-violation"}
    assert "does not match" in violations["#/obj/properties/name/pattern"]
    assert "body.name" in violations["#/obj/properties/name/pattern"]
    assert "could not be checked" in violations["#/obj/properties/id/pattern"]
    assert any("property name" in m and "could not be checked" in m for m in violations.values()), violations


def test_check_with_the_same_pattern_and_a_matching_value_reports_no_violation(recorded):
    _edit_baseline_schema(recorded["tmp"], lambda s: s["properties"]["name"].__setitem__("pattern", "^(a+)+$"))
    _serve(recorded, name="a" * 50)
    code, seconds, changes = _check(recorded, run=in_process)
    assert not [c for c in changes if c["rule"] == "recorded-schema-violation"]


# -- conform: the spec holds the pattern -----------------------------------------------------------------
HOSTILE = {  # property -> (pattern, value): each would take Python's re hours
    "p1": ("^(a+)+$", EVIL, "does not match"),
    "p2": ("^(a|aa)+$", SLOW_FOR_BACKTRACKING, "does not match"),
    "p3": ("^(?!z)(a|aa)+$", SLOW_FOR_BACKTRACKING, "could not be checked"),
    "p4": ("^(\\w+\\s?)*$", "word " * 12 + "!", "does not match"),
}


def _spec(properties: dict, pattern_properties: dict) -> dict:
    obj = {"type": "object", "properties": properties, "patternProperties": pattern_properties}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/obj": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Obj"}}}}}}}},
            "components": {"schemas": {"Obj": obj}}}


def _conform(tmp: Path, spec: dict, body: dict, run=timed) -> tuple[int, float, list[dict]]:
    path = tmp / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    sdir = tmp / "snapshots"
    sdir.mkdir(exist_ok=True)
    snap = copy.deepcopy(OBJ)
    snap["samples"][0]["body"] = body
    (sdir / "obj.yaml").write_text(dump_snapshot(snap))
    out = tmp / "report.json"
    code, seconds = run("conform", "--spec", str(path), "--snapshots", str(sdir), "--plan", str(tmp / "none.yaml"),
                        "--format", "json", "--output", str(out))
    return code, seconds, json.loads(out.read_text())["changes"]


def test_conform_with_catastrophic_patterns_finishes_and_names_each_place(tmp_path):
    properties = {name: {"type": "string", "pattern": p} for name, (p, _, _) in HOSTILE.items()}
    pattern_properties = {p: {"type": "integer"} for p, _, _ in HOSTILE.values()}
    body = {name: value for name, (_, value, _) in HOSTILE.items()}
    body.update({value: 1 for _, value, _ in HOSTILE.values()})  # keys for patternProperties
    code, seconds, changes = _conform(tmp_path, _spec(properties, pattern_properties), body)
    assert seconds < LIMIT
    assert code == 1
    violations = {c["pointer"]: c["message"] for c in changes if c["rule"] == "conform-schema-violation"}
    for name, (_, _, expect) in HOSTILE.items():
        message = violations[f"#/components/schemas/Obj/properties/{name}/pattern"]
        assert f"body.{name}" in message and expect in message


def test_conform_matches_ecma_262_not_python(tmp_path):
    """\\d is ASCII in ECMA-262 (Python's re takes any Unicode digit), and `$` is the very end."""
    spec = _spec({"n": {"type": "string", "pattern": "^\\d+$"}}, {})
    for value, conforms in (("١٢٣", False), ("123\n", False), ("123", True)):
        code, _, changes = _conform(tmp_path, spec, {"n": value}, run=in_process)
        assert (code == 0) is conforms, (value, changes)
