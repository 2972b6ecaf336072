"""conform of recorded WebSocket sessions against an OpenAPI event catalogue or an AsyncAPI channel,
and gate --usage mapping sessions onto `EVENTS ...` / `SEND ...` labels. Real files in tmp_path."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from conftest import run_cli_captured

from apicompat.load import load_document
from apicompat.record.conform import conform
from apicompat.record.store import dump_snapshot

EVENTS = [
    {"event": "session.created", "data": {"type": "session.created", "event_id": "e1", "session": {"id": "s1"}}},
    {"event": "response.done", "data": {"type": "response.done", "response": {"id": "r1", "status": "completed"}}},
]
SESSION = {"case": "rt", "websocket": True,
           "request": {"method": "GET", "path": "/realtime", "send": [{"type": "response.create"}]},
           "samples": [{"status": 101, "headers": {}, "events": EVENTS, "ended": "until"}]}


def member(name: str, **props) -> dict:
    return {"type": "object", "properties": {"type": {"const": name}, **props}, "required": ["type"]}


STR = {"type": "string"}
SESSION_CREATED = member("session.created", event_id=STR, session={"type": "object", "properties": {"id": STR}})
RESPONSE_DONE = member("response.done", response={"type": "object", "properties": {"id": STR, "status": STR}})
OPENAPI = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {
    "RealtimeServerEvent": {"anyOf": [{"$ref": "#/components/schemas/SessionCreated"},
                                      {"$ref": "#/components/schemas/ResponseDone"}]},
    "ResponsesServerEvent": {"anyOf": [member("response.created"), member("response.done")]},
    "RealtimeClientEvent": {"anyOf": [member("response.create")]},
    "SessionCreated": SESSION_CREATED, "ResponseDone": RESPONSE_DONE}}}


def asyncapi(version: int) -> dict:
    created, done, create = ({"payload": copy.deepcopy(m)} for m in (SESSION_CREATED, RESPONSE_DONE, member("response.create")))
    if version == 3:
        return {"asyncapi": "3.0.0", "info": {"title": "t", "version": "1"},
                "servers": {"prod": {"host": "api.example.com", "pathname": "/v1", "protocol": "wss"}},
                "channels": {"realtime": {"address": "/realtime", "messages": {
                    "sessionCreated": created, "responseDone": done, "responseCreate": create}},
                    "other": {"address": "/other", "messages": {"o": {"payload": member("other.event")}}}},
                "operations": {
                    "send": {"action": "send", "channel": {"$ref": "#/channels/realtime"}, "messages": [
                        {"$ref": "#/channels/realtime/messages/sessionCreated"},
                        {"$ref": "#/channels/realtime/messages/responseDone"}]},
                    "receive": {"action": "receive", "channel": {"$ref": "#/channels/realtime"}, "messages": [
                        {"$ref": "#/channels/realtime/messages/responseCreate"}]},
                    "other": {"action": "send", "channel": {"$ref": "#/channels/other"}}}}
    return {"asyncapi": "2.6.0", "info": {"title": "t", "version": "1"},
            "servers": {"prod": {"url": "wss://api.example.com/v1", "protocol": "wss"}},
            "channels": {"realtime": {"subscribe": {"message": {"oneOf": [created, done]}},
                                      "publish": {"message": create}},
                         "other": {"subscribe": {"message": {"payload": member("other.event")}}}}}


def run(tmp_path, spec: dict, *snaps: dict):
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    d = tmp_path / "snaps"
    d.mkdir(exist_ok=True)
    for snap in snaps:
        (d / f"{snap['case']}.yaml").write_text(dump_snapshot(snap))
    report = conform(load_document(str(tmp_path / "spec.json")), str(d))
    return [(c.rule, c.severity.label, c.operations, c.pointer, c.message) for c in report.changes]


def changed(**data_by_type) -> dict:
    snap = copy.deepcopy(SESSION)
    for e in snap["samples"][0]["events"]:
        if e["event"] in data_by_type:
            e["data"] = data_by_type[e["event"]]
    return snap


SPECS = {"openapi": (OPENAPI, "EVENTS RealtimeServerEvent"), "asyncapi3": (asyncapi(3), "SEND /realtime"),
         "asyncapi2": (asyncapi(2), "SUBSCRIBE realtime")}


@pytest.mark.parametrize("kind", SPECS)
def test_a_conforming_session_has_no_findings(tmp_path, kind):
    assert run(tmp_path, SPECS[kind][0], SESSION) == []


@pytest.mark.parametrize("kind", SPECS)
def test_an_event_that_breaks_its_member(tmp_path, kind):
    spec, label = SPECS[kind]
    bad = changed(**{"response.done": {"type": "response.done", "response": {"id": 7, "status": "completed"}}})
    [(rule, severity, ops, pointer, message)] = run(tmp_path, spec, bad)
    assert (rule, severity, ops) == ("conform-schema-violation", "breaking", (label,))
    assert "event response.done data.response.id" in message and "7 is not of type 'string'" in message
    assert pointer.endswith("/properties/response/properties/id/type")


@pytest.mark.parametrize("kind", SPECS)
def test_an_undocumented_event_type_and_property(tmp_path, kind):
    spec, label = SPECS[kind]
    snap = copy.deepcopy(SESSION)
    events = snap["samples"][0]["events"]
    events.insert(1, {"event": "rate_limits.updated", "data": {"type": "rate_limits.updated", "rate_limits": []}})
    events[0]["data"]["session"]["model"] = "gpt-realtime"
    found = run(tmp_path, spec, snap)
    assert sorted((r, s, o) for r, s, o, _, _ in found) == [
        ("conform-undocumented-event-type", "additive", (label,)),
        ("conform-undocumented-property", "additive", (label,))]
    assert any("event type 'rate_limits.updated'" in m for *_, m in found)
    assert any("event session.created data.session.model" in m for *_, m in found)


def test_the_catalogue_is_the_one_documenting_the_session(tmp_path):
    snap = copy.deepcopy(SESSION)
    snap["request"]["path"] = "/responses"
    snap["samples"][0]["events"] = [{"event": "response.created", "data": {"type": "response.created"}},
                                    {"event": "response.done", "data": {"type": "response.done"}}]
    assert run(tmp_path, OPENAPI, snap) == []  # ResponsesServerEvent: both types; Realtime has one


def test_a_session_no_catalogue_documents(tmp_path):
    spec = copy.deepcopy(OPENAPI)
    del spec["components"]["schemas"]["RealtimeServerEvent"], spec["components"]["schemas"]["ResponsesServerEvent"]
    [(rule, severity, ops, _, message)] = run(tmp_path, spec, SESSION)
    assert (rule, severity, ops) == ("conform-undocumented-operation", "warning", ("WEBSOCKET /realtime",))
    assert message.startswith("WEBSOCKET /realtime (case rt)")


def test_asyncapi_channel_by_path_before_event_types(tmp_path):
    snap = copy.deepcopy(SESSION)
    snap["request"]["path"] = "/v1/other"  # the server's pathname is stripped
    found = run(tmp_path, asyncapi(3), snap)
    assert {(r, o) for r, _, o, _, _ in found} == {("conform-undocumented-event-type", ("SEND /other",))}


def test_http_recordings_against_asyncapi_are_undocumented(tmp_path):
    http = {"case": "models", "request": {"method": "GET", "path": "/models"},
            "samples": [{"status": 200, "headers": {}, "body": {}}]}
    found = run(tmp_path, asyncapi(3), SESSION, http)
    assert [(r, o) for r, _, o, _, _ in found] == [("conform-undocumented-operation", ("GET /models",))]


def test_conform_cli_on_asyncapi(tmp_path, capsys):
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(asyncapi(3)))
    (tmp_path / "snaps").mkdir()
    (tmp_path / "snaps" / "rt.yaml").write_text(dump_snapshot(changed(**{"session.created": {"type": "session.created", "event_id": 5}})))
    code, out, err = run_cli_captured(["conform", "--spec", str(tmp_path / "spec.yaml"), "--snapshots",
                                       str(tmp_path / "snaps"), "--plan", str(tmp_path / "none.yaml")], capsys)
    assert code == 1 and "SEND /realtime" in out and "5 is not of type 'string'" in out, out + err


# ---- gate --usage --------------------------------------------------------------------------------

def gate(tmp_path, capsys, old: dict, new: dict, snap: dict) -> tuple[int, dict]:
    for name, doc in (("old.json", old), ("new.json", new)):
        (tmp_path / name).write_text(json.dumps(doc))
    usage = tmp_path / "usage"
    usage.mkdir(exist_ok=True)
    (usage / "rt.yaml").write_text(dump_snapshot(snap))
    code, out, err = run_cli_captured(["gate", str(tmp_path / "old.json"), str(tmp_path / "new.json"),
                                       "--usage", str(usage), "--format", "json"], capsys)
    assert code in (0, 1), err
    return code, json.loads(out)


def test_gate_usage_keeps_the_catalogue_a_session_uses(tmp_path, capsys):
    new = copy.deepcopy(OPENAPI)
    new["components"]["schemas"]["RealtimeServerEvent"]["anyOf"].pop()  # response.done removed: used
    new["components"]["schemas"]["ResponsesServerEvent"]["anyOf"].pop(0)  # response.created removed: not used
    code, report = gate(tmp_path, capsys, OPENAPI, new, SESSION)
    kept = [(c["operations"], c.get("suppressed")) for c in report["changes"] if c["rule"] == "response-event-type-removed"]
    assert code == 1 and sorted(kept, key=str) == [(["EVENTS RealtimeServerEvent"], None),
                                                   (["EVENTS ResponsesServerEvent"], "not used by you")]


def test_gate_usage_client_catalogue_by_what_the_session_sent(tmp_path, capsys):
    new = copy.deepcopy(OPENAPI)
    new["components"]["schemas"]["RealtimeClientEvent"]["anyOf"] = [member("session.update")]
    code, report = gate(tmp_path, capsys, OPENAPI, new, SESSION)
    removed = [c for c in report["changes"] if c["operations"] == ["EVENTS RealtimeClientEvent"] and c["severity"] == "breaking"]
    assert code == 1 and removed and all(c.get("suppressed") is None for c in removed)
    quiet = copy.deepcopy(SESSION)
    quiet["request"]["send"] = []
    code, report = gate(tmp_path, capsys, OPENAPI, new, quiet)
    assert code == 0 and all(c.get("suppressed") == "not used by you" for c in report["changes"]
                             if c["operations"] == ["EVENTS RealtimeClientEvent"])


@pytest.mark.parametrize("version, used, unused", [(3, "SEND /realtime", "SEND /other"),
                                                   (2, "SUBSCRIBE realtime", "SUBSCRIBE other")])
def test_gate_usage_asyncapi_channels(tmp_path, capsys, version, used, unused):
    old, new = asyncapi(version), asyncapi(version)
    if version == 3:
        new["operations"]["send"]["messages"].pop()
        new["channels"]["other"]["messages"]["o"]["payload"] = member("other.renamed")
    else:
        new["channels"]["realtime"]["subscribe"]["message"]["oneOf"].pop()
        new["channels"]["other"]["subscribe"]["message"]["payload"] = member("other.renamed")
    code, report = gate(tmp_path, capsys, old, new, SESSION)
    by_op = {}
    for c in report["changes"]:
        by_op.setdefault(c["operations"][0], set()).add(c.get("suppressed"))
    assert code == 1 and by_op[used] == {None} and by_op[unused] == {"not used by you"}
