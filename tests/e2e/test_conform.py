"""`apicompat conform`: recorded snapshots (written by the recorder's own writer, or recorded for
real from the mock server) validated against small OpenAPI 3.1 and 3.0 specs, through the CLI."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
from conftest import run_cli
import yaml

from apicompat.record.mock_server import Routes, start_in_thread
from apicompat.record.store import dump_snapshot

HEADERS = {"content-type": "application/json", "x-request-id": "req_1", "openai-version": "2020-10-01"}
SSE = {**HEADERS, "content-type": "text/event-stream; charset=utf-8"}

SPEC31 = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "paths": {
        "/models/{model}": {"get": {"responses": {
            "200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Model"}}}},
            "default": {"description": "error", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}}}}},
        "/models/special": {"get": {"responses": {
            "200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"special": {"const": True}},
                           "required": ["special"]}}}}}}},
        "/things": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}},
        "/stream": {"post": {"responses": {"2XX": {"description": "events", "content": {"text/event-stream": {
            "schema": {"$ref": "#/components/schemas/Event"}}}}}}},
    },
    "components": {"schemas": {
        "Model": {"type": "object", "required": ["id", "object"], "properties": {
            "id": {"type": "string"}, "object": {"type": "string", "enum": ["model"]},
            "created": {"type": "integer"}, "owner": {"type": ["string", "null"]},
            "meta": {"type": "object", "additionalProperties": {"type": "string"}}}},
        "Error": {"type": "object", "properties": {"error": {"type": "object"}}},
        "Event": {"oneOf": [{"$ref": "#/components/schemas/Created"}, {"$ref": "#/components/schemas/Delta"}]},
        "Created": {"type": "object", "required": ["type", "id"], "properties": {
            "type": {"const": "resp.created"}, "id": {"type": "string"}}},
        "Delta": {"type": "object", "required": ["type", "delta"], "properties": {
            "type": {"type": "string", "enum": ["resp.delta"]}, "delta": {"type": "string"}}},
    }},
}

SPEC30 = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "/v1"}],
    "paths": {"/models/{model}": {"get": {"responses": {"200": {"description": "ok", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Model"}}}}}}}},
    "components": {"schemas": {
        "Model": {"type": "object", "required": ["id", "owner"], "example": {"id": "m", "owner": None},
                  "properties": {
                      "id": {"type": "string"},
                      "owner": {"type": "string", "nullable": True},
                      "tier": {"type": "string", "enum": ["free", "paid"], "nullable": True},
                      "parent": {"allOf": [{"$ref": "#/components/schemas/Ref"}], "nullable": True},
                      "score": {"type": "number", "minimum": 0, "exclusiveMinimum": True}}},
        "Ref": {"type": "object", "properties": {"id": {"type": "string"}}},
    }},
}


def model_body(**extra) -> dict:
    return {"id": "gpt-4", "object": "model", "created": 1700000000, "owner": None, **extra}


def snapshot(case: str, method: str, path: str, body=None, status: int = 200, events=None,
             headers=None) -> dict:
    sample = {"status": status, "client_request_id": "c1", "headers": dict(headers or (SSE if events else HEADERS))}
    if events is not None:
        sample["events"] = events
        sample["done"] = False
    else:
        sample["body"] = body
    return {"case": case, "request": {"method": method, "path": path, "body": None},
            "stream": events is not None, "samples": [sample]}


EVENTS = [{"event": "resp.created", "data": {"type": "resp.created", "id": "r_1"}},
          {"event": "resp.delta", "data": {"type": "resp.delta", "delta": "Hel"}},
          {"event": "resp.delta", "data": {"type": "resp.delta", "delta": "lo"}}]


def run(*args: str) -> int:
    return run_cli(*args)


def write(tmp: Path, spec: dict, *snaps: dict, name: str = "openapi.yaml") -> tuple[str, str]:
    spec_path = tmp / name
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    sdir = tmp / "snapshots"
    sdir.mkdir(exist_ok=True)
    for snap in snaps:
        (sdir / f"{snap['case']}.yaml").write_text(dump_snapshot(snap))
    return str(spec_path), str(sdir)


def conform(tmp: Path, spec: dict, *snaps: dict, extra=()) -> tuple[int, dict]:
    spec_path, sdir = write(tmp, spec, *snaps)
    out = tmp / "report.json"
    code = run("conform", "--spec", spec_path, "--snapshots", sdir, "--plan", str(tmp / "none.yaml"),
               "--format", "json", "--output", str(out), *extra)
    return code, json.loads(out.read_text())


def rules(report: dict) -> list[str]:
    return sorted(c["rule"] for c in report["changes"] if "suppressed" not in c)


def test_conforming_recording_is_no_change(tmp_path):
    code, report = conform(tmp_path, SPEC31,
                           snapshot("model", "GET", "/v1/models/gpt-4", model_body(meta={"k": "v"})),
                           snapshot("stream", "POST", "/stream", events=EVENTS),
                           snapshot("err", "GET", "/models/nope", {"error": {"message": "no"}}, status=404))
    assert code == 0
    assert report["changes"] == []
    assert "3 recording(s)" in report["notes"][0]


def test_undocumented_field_is_additive(tmp_path):
    code, report = conform(tmp_path, SPEC31, snapshot("model", "GET", "/models/gpt-4", model_body(extra=1)))
    assert code == 0
    assert rules(report) == ["conform-undocumented-property"]
    change = report["changes"][0]
    assert change["severity"] == "additive"
    assert change["pointer"] == "#/components/schemas/Model/properties/extra"
    assert change["operations"] == ["GET /models/{model}"]
    assert "body.extra" in change["message"]


def test_type_violation_is_breaking_and_fails(tmp_path):
    code, report = conform(tmp_path, SPEC31,
                           snapshot("model", "GET", "/v1/models/gpt-4", model_body(created="yesterday")))
    assert code == 1
    assert rules(report) == ["conform-schema-violation"]
    change = report["changes"][0]
    assert change["severity"] == "breaking"
    assert change["pointer"] == "#/components/schemas/Model/properties/created/type"
    assert "body.created" in change["message"] and "integer" in change["message"]


def test_stream_event_violating_its_schema_is_breaking(tmp_path):
    events = copy.deepcopy(EVENTS)
    events[2]["data"]["delta"] = 5
    code, report = conform(tmp_path, SPEC31, snapshot("stream", "POST", "/v1/stream", events=events))
    assert code == 1
    assert rules(report) == ["conform-schema-violation"]
    change = report["changes"][0]
    assert change["pointer"] == "#/components/schemas/Delta/properties/delta/type"
    assert "event resp.delta data.delta" in change["message"]


def test_undocumented_event_type_is_additive(tmp_path):
    events = [*EVENTS, {"event": "resp.progress", "data": {"type": "resp.progress", "pct": 5}}]
    code, report = conform(tmp_path, SPEC31, snapshot("stream", "POST", "/stream", events=events))
    assert code == 0
    assert rules(report) == ["conform-undocumented-event-type"]


def test_unknown_operation_is_a_warning(tmp_path):
    snaps = (snapshot("files", "GET", "/v1/files/f1", {"id": "f1"}),
             snapshot("model", "DELETE", "/models/gpt-4", {"deleted": True}))
    code, report = conform(tmp_path, SPEC31, *snaps)
    assert code == 0
    assert rules(report) == ["conform-undocumented-operation"] * 2
    assert all(c["severity"] == "warning" for c in report["changes"])
    code, _ = conform(tmp_path, SPEC31, *snaps, extra=("--fail-on", "warning"))
    assert code == 1


def test_undocumented_status_and_media_type_are_warnings(tmp_path):
    code, report = conform(tmp_path, SPEC31,
                           snapshot("gone", "GET", "/things", {"error": "gone"}, status=410),
                           snapshot("text", "GET", "/models/special", "hello",
                                    headers={**HEADERS, "content-type": "text/plain"}))
    assert code == 0
    assert rules(report) == ["conform-undocumented-media-type", "conform-undocumented-status"]


def test_literal_path_wins_over_template(tmp_path):
    code, report = conform(tmp_path, SPEC31, snapshot("special", "GET", "/v1/models/special", {"special": True}))
    assert code == 0 and report["changes"] == []  # matched against /models/{model} it would miss id and object


def test_openapi_30_nullable_null_is_no_violation(tmp_path):
    body = {"id": "m1", "owner": None, "tier": None, "parent": None, "score": 0.5}
    code, report = conform(tmp_path, SPEC30, snapshot("model", "GET", "/v1/models/m1", body))
    assert code == 0, report
    assert report["changes"] == []
    assert any("3.0" in n for n in report["notes"])


def test_openapi_30_still_validates(tmp_path):
    body = {"id": "m1", "owner": 5, "tier": "gold", "parent": {"id": 3}, "score": 0}
    code, report = conform(tmp_path, SPEC30, snapshot("model", "GET", "/models/m1", body))
    assert code == 1
    pointers = sorted(c["pointer"] for c in report["changes"])
    assert pointers == [
        "#/components/schemas/Model/properties/owner/type",
        "#/components/schemas/Model/properties/score/exclusiveMinimum",
        "#/components/schemas/Model/properties/tier/enum",
        "#/components/schemas/Ref/properties/id/type",
    ]


def test_recorded_from_mock_server(tmp_path):
    """Really record (plan -> mock server -> snapshots), then conform the recording."""
    served = [snapshot("model", "GET", "/models/gpt-4", model_body(extra="x")),
              snapshot("stream", "POST", "/stream", events=EVENTS)]
    server, url = start_in_thread(Routes(served))
    try:
        plan = tmp_path / "apicompat.yaml"
        plan.write_text(f"base_url: {url}/v1\ncases:\n  - {{name: model, method: GET, path: /models/gpt-4}}\n"
                        "  - {name: stream, method: POST, path: /stream, json: {stream: true}, stream: true, terminal: null}\n")
        sdir = tmp_path / "snapshots"
        assert run("record", "--plan", str(plan), "--snapshots", str(sdir), "--schemas", str(tmp_path / "schemas"),
                   "--timeout", "5", "--max-retry-wait", "0.05") == 0
    finally:
        server.shutdown()
        server.server_close()
    spec_path = tmp_path / "openapi.yaml"
    spec_path.write_text(yaml.safe_dump(SPEC31))
    out = tmp_path / "r.json"
    code = run("conform", "--spec", str(spec_path), "--snapshots", str(sdir), "--plan", str(plan),
               "--format", "json", "-o", str(out))
    report = json.loads(out.read_text())
    assert code == 0
    assert rules(report) == ["conform-undocumented-property"]


def test_bad_inputs_exit_2(tmp_path, capsys):
    spec_path, sdir = write(tmp_path, SPEC31)
    assert run("conform", "--spec", spec_path, "--snapshots", sdir, "--plan", "none.yaml") == 2
    assert "no recorded snapshots" in capsys.readouterr().err
    (tmp_path / "s.yaml").write_text("openapi: 3.1.0\npaths:\n  /x: {get: {responses: {'200': {content: "
                                     "{application/json: {schema: {$ref: 'other.yaml#/X'}}}}}}}\n")
    (Path(sdir) / "x.yaml").write_text(dump_snapshot(snapshot("x", "GET", "/x", {"a": 1})))
    assert run("conform", "--spec", str(tmp_path / "s.yaml"), "--snapshots", sdir, "--plan", "none.yaml") == 2
    assert "cannot resolve $ref" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif", "github", "junit", "html"])
def test_every_format_renders(tmp_path, fmt):
    spec_path, sdir = write(tmp_path, SPEC31, snapshot("model", "GET", "/models/gpt-4", model_body(created="x")))
    out = tmp_path / f"r.{fmt}"
    assert run("conform", "--spec", spec_path, "--snapshots", sdir, "--plan", "none.yaml",
               "--format", fmt, "-o", str(out)) == 1
    assert os.path.getsize(out) > 0
