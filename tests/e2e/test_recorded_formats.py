"""`format` on recorded traffic: `conform` (the spec's schema) and `check` (a baseline schema that
says `format`, as a hand-edited one may: inference never writes one) validate recorded values with
the draft's own format checker. A value that is no date-time where the schema says
`format: date-time` is a violation at that `format`; a date-time is not; a date is no date-time
(string formats are different sets of strings, POLICY.md). Real CLI, real files; `check` records
from the project's mock server on 127.0.0.1."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from conftest import run_cli

from apicompat.record.mock_server import Routes, start_in_thread
from apicompat.record.store import dump_snapshot

HEADERS = {"content-type": "application/json", "x-request-id": "req_1", "openai-version": "2020-10-01"}
OBJ = {"case": "obj", "request": {"method": "GET", "path": "/obj"}, "stream": False, "samples": [
    {"status": 200, "headers": HEADERS, "body": {"id": "obj_1", "created_at": "2024-01-15T10:00:00Z"}}]}
SPEC = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/obj": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Obj"}}}}}}}},
        "components": {"schemas": {"Obj": {"type": "object", "properties": {
            "id": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}}}}}}
VALUES = [  # (recorded created_at, whether it breaks `format: date-time`)
    ("2025-06-30T23:59:59+02:00", False),
    ("yesterday", True),
    ("2024-01-15", True),  # a date: no date-time
]


def _violations(changes: list[dict], rule: str) -> dict[str, str]:
    return {c["pointer"]: c["message"] for c in changes if c["rule"] == rule}


@pytest.mark.parametrize("value, breaks", VALUES, ids=[v for v, _ in VALUES])
def test_conform_checks_a_recorded_value_against_the_specs_format(tmp_path, value, breaks):
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(SPEC, sort_keys=False))
    snap = copy.deepcopy(OBJ)
    snap["samples"][0]["body"]["created_at"] = value
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "obj.yaml").write_text(dump_snapshot(snap))
    out = tmp_path / "report.json"
    code = run_cli("conform", "--spec", str(tmp_path / "openapi.yaml"), "--snapshots", str(tmp_path / "snapshots"),
                   "--plan", str(tmp_path / "none.yaml"), "--format", "json", "--output", str(out))
    violations = _violations(json.loads(out.read_text())["changes"], "conform-schema-violation")
    if breaks:
        assert code == 1
        assert list(violations) == ["#/components/schemas/Obj/properties/created_at/format"]
        assert "date-time" in violations["#/components/schemas/Obj/properties/created_at/format"]
    else:
        assert code == 0 and violations == {}


@pytest.fixture()
def recorded(tmp_path):
    server, url = start_in_thread(Routes([OBJ]))
    plan = tmp_path / "apicompat.yaml"
    plan.write_text(f"base_url: {url}/v1\ncases:\n  - {{name: obj, method: GET, path: /obj}}\n")
    args = ["--plan", str(plan), "--snapshots", str(tmp_path / "snapshots"), "--schemas", str(tmp_path / "schemas"),
            "--max-retry-wait", "0.05", "--timeout", "5"]
    assert run_cli("record", *args) == 0
    yield server, args, tmp_path
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("value, breaks", VALUES, ids=[v for v, _ in VALUES])
def test_check_checks_a_recorded_value_against_the_baselines_format(recorded, value, breaks):
    server, args, tmp = recorded
    path = tmp / "schemas" / "obj.json"
    schema = json.loads(path.read_text())
    schema["properties"]["created_at"]["format"] = "date-time"
    path.write_text(json.dumps(schema))
    fresh = copy.deepcopy(OBJ)
    fresh["samples"][0]["body"]["created_at"] = value
    server.RequestHandlerClass.routes = Routes([fresh])
    out = tmp / "report.json"
    run_cli("check", *args, "--format", "json", "--output", str(out))
    violations = _violations(json.loads(out.read_text())["changes"], "recorded-schema-violation")
    if breaks:
        assert list(violations) == ["#/obj/properties/created_at/format"]
        assert "body.created_at" in violations["#/obj/properties/created_at/format"]
    else:
        assert violations == {}
