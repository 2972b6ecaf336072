"""Event catalogues in OpenAPI documents: `...ServerEvent` / `...ClientEvent` unions no operation
references, and those the policy file names, judged on their side under `EVENTS <name>`."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from apicompat import DiffOptions, diff_documents
from apicompat.cli import main
from apicompat.errors import InputError
from apicompat.load import Document
from apicompat.rules.event_rules import event

S = {"type": "string"}


def union(*events) -> dict:
    return {"anyOf": list(events), "discriminator": {"propertyName": "type"}}


def spec(paths: dict | None = None, **schemas) -> dict:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths or {},
            "components": {"schemas": schemas}}


SERVER = union(event("session.created", id=S, model=S), event("response.done", id=S), event("error", message=S))
CLIENT = union(event("session.update", voice=S), event("response.create"), event("response.cancel"))
BASE = spec(RealtimeServerEvent=SERVER, RealtimeClientEvent=CLIENT)


def diff(old: dict, new: dict, **options):
    return diff_documents(Document("old.yaml", old), Document("new.yaml", new), DiffOptions(**options))


def changed(mutate) -> dict:
    out = copy.deepcopy(BASE)
    mutate(out["components"]["schemas"])
    return out


def summary(report) -> list[tuple[str, str, tuple]]:
    return sorted((c.rule, c.severity.label, c.operations) for c in report.changes)


SERVER_OP, CLIENT_OP = ("EVENTS RealtimeServerEvent",), ("EVENTS RealtimeClientEvent",)


@pytest.mark.parametrize("mutate, expected", [
    (lambda s: s["RealtimeServerEvent"]["anyOf"].append(event("rate_limits.updated")),
     [("response-event-type-added", "additive", SERVER_OP)]),
    (lambda s: s["RealtimeServerEvent"]["anyOf"].pop(),
     [("response-event-type-removed", "breaking", SERVER_OP)]),
    (lambda s: s["RealtimeServerEvent"]["anyOf"][0]["properties"].pop("model"),
     [("response-property-removed", "breaking", SERVER_OP)]),
    (lambda s: s["RealtimeServerEvent"]["anyOf"][0]["properties"].update(usage=S),
     [("response-property-added-optional", "additive", SERVER_OP)]),
    (lambda s: s["RealtimeClientEvent"]["anyOf"].pop(),
     [("request-event-type-removed", "breaking", CLIENT_OP)]),
    (lambda s: s["RealtimeClientEvent"]["anyOf"].append(event("input_audio_buffer.clear")),
     [("request-event-type-added", "additive", CLIENT_OP)]),
    (lambda s: s["RealtimeClientEvent"]["anyOf"][0].update(required=["type", "voice"]),
     [("request-property-became-required", "breaking", CLIENT_OP)]),
    (lambda s: s["RealtimeClientEvent"]["anyOf"].reverse(), []),
])
def test_catalogue_changes_on_their_side(mutate, expected):
    assert summary(diff(BASE, changed(mutate))) == expected


def test_a_change_is_reported_once_with_the_catalogue_label():
    shared = event("error", message=S)
    old = spec(RealtimeServerEvent=union(event("a"), {"$ref": "#/components/schemas/Err"}),
               BetaRealtimeServerEvent=union(event("b"), {"$ref": "#/components/schemas/Err"}), Err=shared)
    new = copy.deepcopy(old)
    del new["components"]["schemas"]["Err"]["properties"]["message"]
    (change,) = diff(old, new).changes
    assert change.rule == "response-property-removed" and change.pointer == "#/components/schemas/Err/properties/message"
    assert sorted(change.operations) == ["EVENTS BetaRealtimeServerEvent", "EVENTS RealtimeServerEvent"]


def test_catalogue_added_and_removed():
    assert summary(diff(spec(), BASE)) == [("event-catalogue-added", "additive", CLIENT_OP),
                                           ("event-catalogue-added", "additive", SERVER_OP)]
    assert ("event-catalogue-removed", "breaking", SERVER_OP) in summary(diff(BASE, spec(RealtimeClientEvent=CLIENT)))


def test_a_renamed_catalogue_with_the_same_event_types_is_the_same_catalogue():
    renamed = spec(RealtimeV2ServerEvent=SERVER, RealtimeClientEvent=CLIENT)
    assert [c.rule for c in diff(BASE, renamed).changes] == ["api-schema-removed"]
    fewer = spec(RealtimeV2ServerEvent=union(*SERVER["anyOf"][:2]), RealtimeClientEvent=CLIENT)
    assert [(c.rule, c.operations) for c in diff(BASE, fewer).changes if c.rule != "api-schema-removed"] == [
        ("response-event-type-removed", ("EVENTS RealtimeV2ServerEvent",))]


def test_only_unions_no_operation_uses_are_catalogues():
    # A single event named ...ServerEvent is not a catalogue.
    single = spec(FooServerEvent=event("foo", a=S))
    assert diff(single, spec(FooServerEvent=event("foo"))).changes == []
    # A catalogue that operations use in both documents is judged there, under the operation.
    ref = {"$ref": "#/components/schemas/StreamServerEvent"}
    paths = {"/stream": {"get": {"responses": {"200": {"description": "ok", "content": {
        "text/event-stream": {"schema": ref}}}}}}}
    old = spec(paths, StreamServerEvent=SERVER)
    new = spec(paths, StreamServerEvent=union(*SERVER["anyOf"][:2]))
    assert [(c.rule, c.operations) for c in diff(old, new).changes] == [("response-event-type-removed", ("GET /stream",))]


def test_policy_names_other_catalogues():
    old = spec(Commands=CLIENT, Notifications=SERVER)
    new = spec(Commands=union(*CLIENT["anyOf"][:2]), Notifications=union(*SERVER["anyOf"][:2]))
    assert diff(old, new).changes == []
    report = diff(old, new, server_events=("#/components/schemas/Notif*",), client_events=("#/components/schemas/Commands",))
    assert summary(report) == [("request-event-type-removed", "breaking", ("EVENTS Commands",)),
                               ("response-event-type-removed", "breaking", ("EVENTS Notifications",))]
    with pytest.raises(InputError, match="'#/components/schemas/Nope' is in neither document"):
        diff(old, new, server_events=("#/components/schemas/Nope",))


def test_policy_file_events_reach_the_differ(tmp_path, capsys):
    old, new, policy = tmp_path / "old.yaml", tmp_path / "new.yaml", tmp_path / "policy.yaml"
    old.write_text(yaml.safe_dump(spec(Commands=CLIENT)))
    new.write_text(yaml.safe_dump(spec(Commands=union(*CLIENT["anyOf"][:2]))))
    policy.write_text('events:\n  client: ["#/components/schemas/Commands"]\n')
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(old), str(new)])
    assert exc.value.code == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(old), str(new), "--policy", str(policy), "--format", "json"])
    assert exc.value.code == 1
    (change,) = json.loads(capsys.readouterr().out)["changes"]
    assert change["rule"] == "request-event-type-removed" and change["operations"] == ["EVENTS Commands"]


FORMATS = ("text", "json", "markdown", "junit", "sarif", "github", "html")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_format_shows_the_catalogue_label(tmp_path, capsys, fmt):
    old, new, out = tmp_path / "old.yaml", tmp_path / "new.yaml", tmp_path / "report.out"
    old.write_text(yaml.safe_dump(BASE))
    new.write_text(yaml.safe_dump(changed(lambda s: s["RealtimeServerEvent"]["anyOf"].pop())))
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(old), str(new), "--format", fmt, "--output", str(out)])
    assert exc.value.code == 1
    assert "EVENTS RealtimeServerEvent" in out.read_text()
