"""Event-API rules: AsyncAPI channels, operations and messages (`form="asyncapi"`: the example pairs
are whole AsyncAPI documents), and event catalogues in OpenAPI documents (`form="openapi"`).

What a message's payload or headers change to is judged by the schema rules (`response-*` for what
the server sends, `request-*` for what it receives); these rules say what appeared or went away.
`asyncapi()` builds the same API as a 2.6 or a 3.0 document, for the examples and the tests.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Direction, Severity
from .registry import Example, Registry, Rule
from . import clauses as C

B, W, A, I = Severity.BREAKING, Severity.WARNING, Severity.ADDITIVE, Severity.INFO
REQ, RESP, NONE = Direction.REQUEST, Direction.RESPONSE, Direction.NONE


def event(type_: str, **props) -> dict:
    """An event payload told apart by its `type` const."""
    return {"type": "object", "properties": {"type": {"const": type_}, **props}, "required": ["type"]}


def message(type_: str, name: str | None = None, **extra) -> dict:
    out = {"name": name or type_, "payload": event(type_)}
    out.update(extra)
    return out


def _id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text) or "_"


def asyncapi(version: str, channels: dict, **extra) -> dict:
    """`channels`: address -> {"server": [messages], "client": [messages]}. 2.x puts what the server
    sends under `subscribe` and what it receives under `publish`; 3.x lists the channel's messages and
    one `send` / `receive` operation per side."""
    doc: dict = {"asyncapi": version, "info": {"title": "t", "version": "1"}}
    if version.startswith("2"):
        doc["channels"] = {}
        for address, sides in channels.items():
            item = {}
            for side, verb in (("server", "subscribe"), ("client", "publish")):
                if side in sides:
                    msgs = sides[side]
                    item[verb] = {} if not msgs else {"message": msgs[0] if len(msgs) == 1 else {"oneOf": list(msgs)}}
            doc["channels"][address] = item
    else:
        doc["channels"], doc["operations"] = {}, {}
        for address, sides in channels.items():
            cid = _id(address)
            listed: dict = {}
            for side, action in (("server", "send"), ("client", "receive")):
                if side not in sides:
                    continue
                refs = []
                for i, msg in enumerate(sides[side]):
                    mid = _id(msg.get("name") or f"{side}{i}")
                    listed[mid] = msg
                    refs.append({"$ref": f"#/channels/{cid}/messages/{mid}"})
                doc["operations"][f"{cid}.{action}"] = {"action": action, "channel": {"$ref": f"#/channels/{cid}"},
                                                        "messages": refs}
            doc["channels"][cid] = {"address": address, "messages": listed}
    doc.update(extra)
    return doc


def v26(channels: dict, **extra) -> dict:
    return asyncapi("2.6.0", channels, **extra)


def catalogues(**schemas) -> dict:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": schemas}}


A_, B_, X_ = message("chat.message"), message("chat.typing"), message("session.update")
AVRO = {"type": "record", "name": "Tick", "fields": [{"name": "price", "type": "double"}]}
AVRO_2 = {**AVRO, "fields": [{"name": "price", "type": "float"}]}
AVRO_FORMAT = "application/vnd.apache.avro;version=1.9.0"
UNION_AB: dict[str, Any] = {"anyOf": [event("a.created"), event("a.done")], "discriminator": {"propertyName": "type"}}

# (id, severity, direction, area, clause, doc, message, old, new, near_old, near_new, form)
RULES = [
    ("channel-added", A, NONE, "asyncapi", C.NEW_RESOURCE,
     "A new AsyncAPI channel (address).", "channel {detail} was added",
     v26({"chat": {"server": [A_]}}), v26({"chat": {"server": [A_]}, "news": {"server": [B_]}}),
     v26({"rooms/{roomId}": {"server": [A_]}}), v26({"rooms/{id}": {"server": [A_]}}), "asyncapi"),
    ("channel-removed", B, NONE, "asyncapi", C.ENDPOINT_REMOVED,
     "An AsyncAPI channel was removed: clients using it lose every message on it.", "channel {detail} was removed",
     v26({"chat": {"server": [A_]}, "news": {"server": [B_]}}), v26({"chat": {"server": [A_]}}),
     v26({"chat": {"server": [A_], "client": [X_]}}), asyncapi("3.0.0", {"chat": {"server": [A_], "client": [X_]}}),
     "asyncapi"),
    ("channel-operation-added", A, NONE, "asyncapi", C.NEW_RESOURCE,
     "A channel gained a direction: the server now sends (2.x subscribe, 3.x send) or receives "
     "(2.x publish, 3.x receive) messages on it.", "{operation} was added",
     v26({"chat": {"server": [A_]}}), v26({"chat": {"server": [A_], "client": [X_]}}),
     v26({"chat": {"server": [A_]}}), v26({"chat": {"server": [A_, B_]}}), "asyncapi"),
    ("channel-operation-removed", B, NONE, "asyncapi", C.ENDPOINT_REMOVED,
     "A channel lost a direction: the server no longer sends, or no longer receives, messages on it.",
     "{operation} was removed",
     v26({"chat": {"server": [A_], "client": [X_]}}), v26({"chat": {"server": [A_]}}),
     v26({"chat": {"server": [A_]}, "news": {"client": [X_]}}), v26({"chat": {"server": [A_]}}), "asyncapi"),
    ("server-message-added", A, RESP, "asyncapi", C.NEW_EVENT_TYPE,
     "The server sends a new message (event type) on a channel.", "{operation} now sends message {new}",
     v26({"chat": {"server": [A_]}}), v26({"chat": {"server": [A_, B_]}}),
     v26({"chat": {"server": [A_, B_]}}), v26({"chat": {"server": [B_, A_]}}), "asyncapi"),
    ("server-message-removed", B, RESP, "asyncapi", C.UNION_REMOVED,
     "The server no longer sends a message (event type) on a channel: clients waiting for it wait forever.",
     "{operation} no longer sends message {old}",
     v26({"chat": {"server": [A_, B_]}}), v26({"chat": {"server": [A_]}}),
     v26({"chat": {"server": [A_, B_]}}), v26({"chat": {"server": [A_, message("chat.typing", "Typing")]}}),
     "asyncapi"),
    ("client-message-added", A, REQ, "asyncapi", C.NEW_CLIENT_EVENT,
     "The server accepts a new message (event type) from clients on a channel.",
     "{operation} now accepts message {new}",
     v26({"chat": {"client": [X_]}}), v26({"chat": {"client": [X_, A_]}}),
     v26({"chat": {"client": [X_]}}), v26({"chat": {"client": [X_], "server": [A_]}}), "asyncapi"),
    ("client-message-removed", B, REQ, "asyncapi", C.CLIENT_EVENT_REMOVED,
     "The server no longer accepts a message (event type) clients send on a channel.",
     "{operation} no longer accepts message {old}",
     v26({"chat": {"client": [X_, A_]}}), v26({"chat": {"client": [X_]}}),
     v26({"chat": {"client": [X_, A_]}}), v26({"chat": {"client": [A_, X_]}}), "asyncapi"),
    ("message-content-type-changed", B, NONE, "asyncapi", C.MEDIA_TYPE_REMOVED,
     "A message's content type changed (its own `contentType` or the document's `defaultContentType`).",
     "{operation} message content type changed from {old} to {new}",
     v26({"chat": {"server": [message("chat.message", contentType="application/json")]}}),
     v26({"chat": {"server": [message("chat.message", contentType="application/xml")]}}),
     v26({"chat": {"server": [A_]}}, defaultContentType="application/json"),
     v26({"chat": {"server": [message("chat.message", contentType="application/json; charset=utf-8")]}}),
     "asyncapi"),
    ("message-payload-unjudged", W, NONE, "asyncapi", C.UNJUDGED,
     "A message payload written in a schema format other than JSON Schema (Avro, Protobuf, RAML) changed: "
     "apicompat cannot say whether old clients still read it.",
     "{operation} message payload ({detail}) changed and was not judged",
     v26({"ticks": {"server": [{"name": "tick", "schemaFormat": AVRO_FORMAT, "payload": AVRO}]}}),
     v26({"ticks": {"server": [{"name": "tick", "schemaFormat": AVRO_FORMAT, "payload": AVRO_2}]}}),
     v26({"ticks": {"server": [{"name": "tick", "schemaFormat": AVRO_FORMAT, "payload": AVRO}]}}),
     v26({"ticks": {"server": [{"name": "tick", "schemaFormat": AVRO_FORMAT, "payload": AVRO,
                                "description": "now documented"}]}}), "asyncapi"),
    ("event-catalogue-added", A, NONE, "events", C.NEW_EVENT_TYPE,
     "A new event catalogue: a union of WebSocket events no operation references (`...ServerEvent`, "
     "`...ClientEvent`, or named under `events:` in the policy file).", "event catalogue {detail} was added: {new}",
     catalogues(), catalogues(ChatServerEvent=UNION_AB),
     catalogues(ChatServerEvent=UNION_AB),
     catalogues(ChatServerEvent={**UNION_AB, "anyOf": UNION_AB["anyOf"][::-1]}), "openapi"),
    ("event-catalogue-removed", B, NONE, "events", C.UNION_REMOVED,
     "An event catalogue was removed: every event type in it is gone.", "event catalogue {detail} was removed: {old}",
     catalogues(ChatServerEvent=UNION_AB), catalogues(),
     catalogues(ChatServerEvent=UNION_AB), catalogues(ChatV2ServerEvent=UNION_AB), "openapi"),
]


def register(registry: Registry) -> None:
    for (rid, sev, direction, area, clause, text, msg, old, new, near_old, near_new, form) in RULES:
        registry.add(Rule(id=rid, severity=sev, direction=direction, clause=clause, doc=text, message=msg,
                          example=Example(old, new, near_old, near_new, form), area=area))
