"""AsyncAPI 2.6 and 3.0: every AsyncAPI rule triggered (and not, on a near pair) in both versions,
sides, labels, message matching, `$ref`s by content, traits, replies, and whole documents through
the CLI in every report format."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from apicompat import DiffOptions, diff_documents
from apicompat.cli import main
from apicompat.errors import InputError
from apicompat.load import Document
from apicompat.rules.event_rules import asyncapi, event, message

VERSIONS = ("2.6.0", "3.0.0")
VERB = {"2.6.0": {"server": "SUBSCRIBE", "client": "PUBLISH"}, "3.0.0": {"server": "SEND", "client": "RECEIVE"}}
CHAT, TYPING, UPDATE = message("chat.message"), message("chat.typing"), message("session.update")


def msg(type_: str, name: str | None = None, **props) -> dict:
    """A message whose payload is an event of `type_` with these extra properties."""
    return {"name": name or type_, "payload": event(type_, **props)}


def diff(old: dict, new: dict):
    return diff_documents(Document("old.yaml", old), Document("new.yaml", new), DiffOptions())


def found(old: dict, new: dict) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in diff(old, new).changes:
        out.setdefault(c.rule, []).append(c)
    return out


def label(version: str, side: str, channel: str = "chat") -> str:
    return f"{VERB[version][side]} {channel}"


# Each case: rule, then (old, new) and a near (old, new) pair as channel maps for asyncapi(version, ...).
CASES = [
    ("channel-added", ({"chat": {"server": [CHAT]}}, {"chat": {"server": [CHAT]}, "news": {"server": [TYPING]}}),
     ({"rooms/{roomId}": {"server": [CHAT]}}, {"rooms/{id}": {"server": [CHAT]}})),
    ("channel-removed", ({"chat": {"server": [CHAT]}, "news": {"server": [TYPING]}}, {"chat": {"server": [CHAT]}}),
     ({"chat": {"server": [CHAT, TYPING]}}, {"chat": {"server": [TYPING, CHAT]}})),
    ("channel-operation-added", ({"chat": {"server": [CHAT]}}, {"chat": {"server": [CHAT], "client": [UPDATE]}}),
     ({"chat": {"server": [CHAT]}}, {"chat": {"server": [CHAT, TYPING]}})),
    ("channel-operation-removed", ({"chat": {"server": [CHAT], "client": [UPDATE]}}, {"chat": {"server": [CHAT]}}),
     ({"chat": {"server": [CHAT]}, "news": {"client": [UPDATE]}}, {"chat": {"server": [CHAT]}})),
    ("server-message-added", ({"chat": {"server": [CHAT]}}, {"chat": {"server": [CHAT, TYPING]}}),
     ({"chat": {"client": [CHAT]}}, {"chat": {"client": [CHAT, TYPING]}})),
    ("server-message-removed", ({"chat": {"server": [CHAT, TYPING]}}, {"chat": {"server": [CHAT]}}),
     ({"chat": {"server": [CHAT, TYPING]}}, {"chat": {"server": [CHAT, message("chat.typing", "Typing")]}})),
    ("client-message-added", ({"chat": {"client": [UPDATE]}}, {"chat": {"client": [UPDATE, CHAT]}}),
     ({"chat": {"server": [UPDATE]}}, {"chat": {"server": [UPDATE, CHAT]}})),
    ("client-message-removed", ({"chat": {"client": [UPDATE, CHAT]}}, {"chat": {"client": [UPDATE]}}),
     ({"chat": {"server": [UPDATE, CHAT]}}, {"chat": {"server": [UPDATE]}})),
    ("message-content-type-changed",
     ({"chat": {"server": [message("chat.message", contentType="application/json")]}},
      {"chat": {"server": [message("chat.message", contentType="application/xml")]}}),
     ({"chat": {"server": [message("chat.message", contentType="application/json")]}},
      {"chat": {"server": [message("chat.message", contentType="Application/JSON; charset=utf-8")]}})),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("rule, pair, near", CASES, ids=[c[0] for c in CASES])
def test_rule_in_both_versions(version, rule, pair, near):
    assert rule in found(asyncapi(version, pair[0]), asyncapi(version, pair[1]))
    assert rule not in found(asyncapi(version, near[0]), asyncapi(version, near[1]))


def _avro(version: str, payload: dict, fmt="application/vnd.apache.avro;version=1.9.0") -> dict:
    if version.startswith("2"):
        tick = {"name": "tick", "schemaFormat": fmt, "payload": payload}
    else:
        tick = {"name": "tick", "payload": {"schemaFormat": fmt, "schema": payload}}
    return asyncapi(version, {"ticks": {"server": [tick]}})


@pytest.mark.parametrize("version", VERSIONS)
def test_payload_in_another_schema_format_is_flagged_not_judged(version):
    avro = {"type": "record", "name": "Tick", "fields": [{"name": "price", "type": "double"}]}
    changed = {**avro, "fields": []}
    assert [c.rule for c in diff(_avro(version, avro), _avro(version, changed)).changes] == ["message-payload-unjudged"]
    assert diff(_avro(version, avro), _avro(version, avro)).changes == []
    # A JSON Schema format is read by the schema differ.
    json_fmt = "application/schema+json;version=draft-07"
    obj = {"type": "object", "properties": {"price": {"type": "number"}}}
    rules = {c.rule for c in diff(_avro(version, obj, json_fmt), _avro(version, {"type": "object"}, json_fmt)).changes}
    assert rules == {"response-property-removed"}


@pytest.mark.parametrize("version", VERSIONS)
def test_sides_and_labels(version):
    old = asyncapi(version, {"chat": {"server": [msg("chat.message", text={"type": "string"})],
                                      "client": [msg("session.update", voice={"type": "string"})]}})
    new = copy.deepcopy(old)
    server_payload, client_payload = _payloads(new, version)
    del server_payload["properties"]["text"]
    client_payload["required"] = ["type", "voice"]
    report = diff(old, new)
    by_rule = {c.rule: c for c in report.changes}
    assert set(by_rule) == {"response-property-removed", "request-property-became-required"}
    assert by_rule["response-property-removed"].operations == (label(version, "server"),)
    assert by_rule["request-property-became-required"].operations == (label(version, "client"),)
    assert all(c.severity.label == "breaking" for c in report.changes)


def _payloads(doc: dict, version: str) -> tuple[dict, dict]:
    if version.startswith("2"):
        chan = doc["channels"]["chat"]
        return chan["subscribe"]["message"]["payload"], chan["publish"]["message"]["payload"]
    msgs = doc["channels"]["chat"]["messages"]
    return msgs["chat.message"]["payload"], msgs["session.update"]["payload"]


@pytest.mark.parametrize("version", VERSIONS)
def test_messages_are_matched_by_event_type_never_by_position(version):
    a, b = message("a.done", "First"), message("b.done", "Second")
    renamed_and_reordered = [message("b.done", "Zwei"), msg("a.done", "Eins", extra={"type": "string"})]
    report = diff(asyncapi(version, {"c": {"server": [a, b]}}), asyncapi(version, {"c": {"server": renamed_and_reordered}}))
    assert [c.rule for c in report.changes] == ["response-property-added-optional"]
    # Two event types are never the same message, even when each is alone in its flow.
    lone = found(asyncapi(version, {"c": {"server": [a]}}), asyncapi(version, {"c": {"server": [b]}}))
    assert set(lone) == {"server-message-removed", "server-message-added"}
    assert lone["server-message-removed"][0].old_value == "a.done"


def test_anonymous_lone_messages_pair_and_are_diffed():
    old = {"asyncapi": "2.6.0", "info": {"title": "t", "version": "1"},
           "channels": {"feed": {"subscribe": {"message": {"payload": {"type": "object", "properties": {
               "id": {"type": "string"}, "score": {"type": "number"}}}}}}}}
    new = copy.deepcopy(old)
    del new["channels"]["feed"]["subscribe"]["message"]["payload"]["properties"]["score"]
    changes = diff(old, new).changes
    assert [(c.rule, c.operations) for c in changes] == [("response-property-removed", ("SUBSCRIBE feed",))]


@pytest.mark.parametrize("version", VERSIONS)
def test_refs_are_compared_by_content(version):
    inline = asyncapi(version, {"chat": {"server": [msg("chat.message", text={"type": "string"})]}})
    moved = copy.deepcopy(inline)
    if version.startswith("2"):
        holder = moved["channels"]["chat"]["subscribe"]
        moved["components"] = {"messages": {"Chat": holder["message"]},
                               "schemas": {"ChatPayload": holder["message"]["payload"]}}
        moved["components"]["messages"]["Chat"] = {**holder["message"], "payload": {"$ref": "#/components/schemas/ChatPayload"}}
        holder["message"] = {"$ref": "#/components/messages/Chat"}
    else:
        chat = moved["channels"]["chat"]["messages"]["chat.message"]
        moved["components"] = {"messages": {"Renamed": {**chat, "payload": {"$ref": "#/components/schemas/P"}}},
                               "schemas": {"P": chat["payload"]}}
        moved["channels"]["chat"]["messages"] = {"renamed": {"$ref": "#/components/messages/Renamed"}}
        moved["operations"]["chat.send"]["messages"] = [{"$ref": "#/channels/chat/messages/renamed"}]
    assert diff(inline, moved).changes == []
    assert diff(moved, inline).changes == []


def test_the_same_api_in_2_6_and_3_0_has_no_changes():
    channels = {"chat/{room}": {"server": [CHAT, TYPING], "client": [UPDATE]}, "news": {"server": [TYPING]}}
    assert diff(asyncapi("2.6.0", channels), asyncapi("3.0.0", channels)).changes == []
    report = diff(asyncapi("2.6.0", channels), asyncapi("3.0.0", {**channels, "chat/{room}": {"server": [CHAT]}}))
    assert [(c.rule, c.operations) for c in report.changes] == [
        ("channel-operation-removed", ("PUBLISH chat/{room}",)),
        ("server-message-removed", ("SEND chat/{room}",))]


def test_3_0_channel_ids_are_not_on_the_wire():
    old = asyncapi("3.0.0", {"chat": {"server": [CHAT]}})
    new = json.loads(json.dumps(old).replace('"chat"', '"room"').replace("/chat/", "/room/").replace('/chat"', '/room"')
                     .replace("chat.send", "room.send"))
    new["channels"]["room"]["address"] = "chat"
    assert diff(old, new).changes == []
    new["channels"]["room"]["address"] = "rooms"
    assert {c.rule for c in diff(old, new).changes} == {"channel-removed", "channel-added"}


def test_3_0_operation_without_messages_means_every_channel_message():
    old = asyncapi("3.0.0", {"chat": {"server": [CHAT, TYPING]}})
    new = copy.deepcopy(old)
    del new["operations"]["chat.send"]["messages"]
    assert diff(old, new).changes == []
    del new["channels"]["chat"]["messages"]["chat.typing"]
    assert [c.rule for c in diff(old, new).changes] == ["server-message-removed"]


def test_3_0_reply_goes_the_other_way():
    doc = asyncapi("3.0.0", {"rpc": {"client": [message("ping")]}})
    doc["channels"]["rpc"]["messages"]["pong"] = message("pong")
    doc["channels"]["rpc"]["messages"]["pong.v2"] = message("pong.v2")
    doc["operations"]["rpc.receive"]["reply"] = {"channel": {"$ref": "#/channels/rpc"}, "messages": [
        {"$ref": "#/channels/rpc/messages/pong"}, {"$ref": "#/channels/rpc/messages/pong.v2"}]}
    new = copy.deepcopy(doc)
    new["operations"]["rpc.receive"]["reply"]["messages"].pop()
    changes = diff(doc, new).changes
    assert [(c.rule, c.operations, c.old_value) for c in changes] == [("server-message-removed", ("SEND rpc",), "pong.v2")]


@pytest.mark.parametrize("version, expect", [("2.6.0", {"message-content-type-changed"}), ("3.0.0", set())])
def test_traits_merge_as_each_version_says(version, expect):
    """2.x: a trait is a merge patch over the message; 3.x: the message wins over its traits."""
    base = message("chat.message", contentType="application/json")
    with_trait = {**base, "traits": [{"$ref": "#/components/messageTraits/Xml"}]}
    old = asyncapi(version, {"chat": {"server": [base]}})
    new = asyncapi(version, {"chat": {"server": [with_trait]}},
                   components={"messageTraits": {"Xml": {"contentType": "application/xml"}}})
    assert {c.rule for c in diff(old, new).changes} == expect


@pytest.mark.parametrize("version", VERSIONS)
def test_headers_from_traits_are_judged_on_the_sending_side(version):
    headers = {"type": "object", "properties": {"x-trace": {"type": "string"}}, "required": ["x-trace"]}
    traited = {**CHAT, "traits": [{"headers": headers}]}
    old = asyncapi(version, {"chat": {"server": [traited], "client": [{**UPDATE, "traits": [{"headers": headers}]}]}})
    new = asyncapi(version, {"chat": {"server": [{**CHAT, "traits": [{"headers": {"type": "object"}}]}], "client": [{**UPDATE, "traits": [{"headers": {
        **headers, "required": ["x-trace", "x-id"], "properties": {**headers["properties"], "x-id": {"type": "string"}}}}]}]}})
    rules = {c.rule: c.operations for c in diff(old, new).changes}
    assert rules == {"response-property-removed": (label(version, "server"),),
                     "request-property-added-required": (label(version, "client"),)}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_message_shared_by_two_channels_is_reported_once(version):
    shared = {"$ref": "#/components/messages/Chat"}
    payload = event("chat.message", text={"type": "string"})
    old = asyncapi(version, {"a": {"server": [shared]}, "b": {"server": [shared]}},
                   components={"messages": {"Chat": {"name": "chat.message", "payload": payload}}})
    new = copy.deepcopy(old)
    del new["components"]["messages"]["Chat"]["payload"]["properties"]["text"]
    changes = diff(old, new).changes
    assert len(changes) == 1 and changes[0].rule == "response-property-removed"
    assert sorted(changes[0].operations) == [label(version, "server", "a"), label(version, "server", "b")]


def test_asyncapi_1_and_mixed_pairs_are_refused():
    v3 = asyncapi("3.0.0", {"chat": {"server": [CHAT]}})
    openapi = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    for old, new, words in ((v3, openapi, "is an OpenAPI document while old.yaml is an AsyncAPI document"),
                            (openapi, v3, "is an AsyncAPI document while old.yaml is an OpenAPI document"),
                            (v3, {"type": "object"}, "is a JSON Schema while"),
                            ({**v3, "asyncapi": "1.2.0"}, v3, "AsyncAPI 1.2.0 is not supported")):
        with pytest.raises(InputError, match=words):
            diff(old, new)


FORMATS = ("text", "json", "markdown", "junit", "sarif", "github", "html")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_format_names_the_operation(tmp_path, capsys, fmt):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump(asyncapi("3.0.0", {"chat": {"server": [CHAT, TYPING]}})))
    new.write_text(yaml.safe_dump(asyncapi("3.0.0", {"chat": {"server": [CHAT]}})))
    out = tmp_path / "report.out"
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(old), str(new), "--format", fmt, "--output", str(out)])
    assert exc.value.code == 1
    assert "SEND chat" in out.read_text()


def test_cli_exit_status_follows_the_sides(tmp_path, capsys):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(asyncapi("2.6.0", {"chat": {"server": [CHAT], "client": [UPDATE]}})))
    new.write_text(json.dumps(asyncapi("2.6.0", {"chat": {"server": [CHAT, TYPING], "client": [UPDATE, CHAT]}})))
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(old), str(new), "--format", "json"])
    assert exc.value.code == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert sorted((c["rule"], c["severity"], c["operations"][0]) for c in changes) == [
        ("client-message-added", "additive", "PUBLISH chat"), ("server-message-added", "additive", "SUBSCRIBE chat")]
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(new), str(old)])
    assert exc.value.code == 1


def _kraken_style(version: str, messages: dict[str, dict]) -> dict:
    """Messages without names, told apart by an `event` const (as Kraken's WebSocket API does)."""
    doc = asyncapi(version, {"/": {"server": [{"name": mid, **m} for mid, m in messages.items()]}})
    for m in _all_messages(doc):
        m.pop("name")
    return doc


def _all_messages(doc: dict) -> list[dict]:
    if doc["asyncapi"].startswith("2"):
        message = doc["channels"]["/"]["subscribe"]["message"]
        return message["oneOf"] if "oneOf" in message else [message]
    return list(doc["channels"]["_"]["messages"].values())


def _on(event_name: str, **props) -> dict:
    return {"payload": {"type": "object", "properties": {"event": {"const": event_name}, **props}}}


@pytest.mark.parametrize("version", VERSIONS)
def test_another_property_that_tells_every_message_apart_is_the_event_type(version):
    old = _kraken_style(version, {"a": _on("ping"), "b": _on("pong")})
    new = _kraken_style(version, {"x": _on("pong", reqid={"type": "integer"}), "y": _on("ping")})
    assert [c.rule for c in diff(old, new).changes] == ["response-property-added-optional"]
    lone = found(_kraken_style(version, {"a": _on("ping")}), _kraken_style(version, {"a": _on("pong")}))
    assert set(lone) == {"server-message-removed", "server-message-added"}
    assert (lone["server-message-removed"][0].old_value, lone["server-message-added"][0].new_value) == ("ping", "pong")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_union_payload_names_the_event_its_members_share(version):
    status = {"payload": {"oneOf": [
        {"allOf": [{"properties": {"error": {"type": "string"}}}, {"$ref": "#/components/schemas/Status"}]},
        {"allOf": [{"properties": {"channel": {"type": "string"}}}, {"$ref": "#/components/schemas/Status"}]}]}}
    common = {"schemas": {"Status": {"type": "object", "properties": {"event": {"const": "subscriptionStatus"}}}}}
    old = _kraken_style(version, {"a": _on("heartbeat"), "b": status})
    new = _kraken_style(version, {"a": _on("hb"), "b": status})
    old["components"] = new["components"] = common
    report = found(old, new)
    assert set(report) == {"server-message-removed", "server-message-added"}
    assert report["server-message-removed"][0].old_value == "heartbeat"
