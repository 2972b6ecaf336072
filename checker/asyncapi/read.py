"""AsyncAPI 2.x and 3.x read into one model: channels, and for each channel what the server sends
(response side) and what it receives (request side), with their messages.

2.x: `subscribe` holds the messages the application sends (clients subscribe to them), `publish`
those it receives. 3.x: operations with `action: send` / `action: receive` point at a channel and
list some of its messages (all of them when `messages` is absent); a `reply` goes the other way.
Channels are known by their address (parameter names ignored), or by their id when a 3.x channel
has no address, so renaming a 3.x channel id or a parameter is not a change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import InputError
from ..eventtypes import EVENT_KEY, tags
from ..pointers import join, tokens
from ..schema import Node, Normaliser
from .traits import Field, apply_traits

RESPONSE, REQUEST = "response", "request"
VERBS = {2: {RESPONSE: "SUBSCRIBE", REQUEST: "PUBLISH"}, 3: {RESPONSE: "SEND", REQUEST: "RECEIVE"}}
_PARAM = re.compile(r"\{[^{}]*\}")
# Payload schema formats the schema differ reads (JSON Schema and its AsyncAPI / OpenAPI supersets).
JSON_SCHEMA_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+", "application/vnd.oai.openapi")


@dataclass
class Message:
    pointer: str
    node: Node
    payload: Node | None
    headers: Node | None
    name: str | None
    message_id: str | None  # 2.x `messageId`, or the 3.x key in the channel's `messages`
    tags: dict[str, tuple[str, ...]]  # payload properties pinned to string values: {"type": ("chat.message",)}
    content_type: str | None
    schema_format: str | None
    raw_fields: dict = field(default_factory=dict, repr=False)

    @property
    def readable(self) -> bool:
        return readable_format(self.schema_format)

    @cached_property
    def content(self) -> str:
        """Payload and headers as written, to recognise the same message under another name."""
        value = [None if n is None else n.raw for n in (self.payload, self.headers)]
        try:
            return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
        except (TypeError, ValueError):  # keys of mixed types
            return repr(value)

    def display(self, key: str = EVENT_KEY) -> str:
        if self.tags.get(key):
            return "|".join(self.tags[key])
        return self.name or self.message_id or self.pointer.rsplit("/", 1)[-1]


@dataclass
class Flow:
    """The messages one side sends on one channel: an operation, as reports name it."""

    side: str
    channel: str
    label: str
    pointer: str
    messages: list[Message] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)

    def add(self, message: Message) -> None:
        if message.pointer not in self._seen:
            self._seen.add(message.pointer)
            self.messages.append(message)


@dataclass
class Channel:
    key: str
    label: str
    pointer: str


@dataclass
class Api:
    major: int
    channels: dict[str, Channel] = field(default_factory=dict)
    flows: dict[tuple[str, str], Flow] = field(default_factory=dict)

    def flow(self, side: str, channel: Channel, pointer: str) -> Flow:
        key = (side, channel.key)
        found = self.flows.get(key)
        if found is None:
            found = self.flows[key] = Flow(side, channel.key, f"{VERBS[self.major][side]} {channel.label}", pointer)
        return found

    def labels_by_channel(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for flow in self.flows.values():
            out.setdefault(flow.channel, []).append(flow.label)
        return out


def major_version(source: str, data: dict) -> int:
    version = data.get("asyncapi")
    if not isinstance(version, str):
        raise InputError(source, f"asyncapi must be a version string like '3.0.0', not {version!r}", "#/asyncapi")
    head = version.strip().split(".", 1)[0]
    if head in ("2", "3"):
        return int(head)
    raise InputError(source, f"AsyncAPI {version} is not supported (2.x and 3.x are)", "#/asyncapi")


def readable_format(schema_format: str | None) -> bool:
    """A payload the schema differ can read: no schemaFormat (the AsyncAPI default) or a JSON Schema one."""
    fmt = (schema_format or "").split(";")[0].strip().lower()
    return not fmt or fmt.startswith(JSON_SCHEMA_FORMATS)


def channel_key(address: str) -> str:
    return _PARAM.sub("{}", address)


class Reader:
    def __init__(self, source: str, data: dict, norm: Normaliser) -> None:
        self.source = source
        self.data = data
        self.norm = norm
        self.root = norm.resolver.base_for_root()
        self.tag_memo: dict = {}
        self.major = major_version(source, data)
        default = data.get("defaultContentType")
        self.default_content_type = default if isinstance(default, str) else None

    # -- helpers ----------------------------------------------------------------------------------
    def deref(self, node: Node) -> Node:
        """Follow a Reference Object (its siblings are ignored, as the specification says)."""
        raw = node.raw
        if not (isinstance(raw, dict) and "$ref" in raw):
            return node
        target = self.norm.deref(Node({"$ref": raw["$ref"]}, node.ptr, node.key, node.base))
        if target.base == self.root:  # the document itself: known by its pointer alone, as elsewhere
            return Node(target.raw, target.ptr, target.key)
        return target

    def entries(self, field: str, what: str) -> list[tuple[str, Node]]:
        """(key, dereferenced value) of each entry of a top-level mapping (`channels`, `operations`)."""
        raw = self.data.get(field)
        if raw is None:
            return []
        if not isinstance(raw, dict):
            raise InputError(self.source, f"{field} must be a mapping", f"#/{field}")
        out = []
        for key in raw:
            node = self.deref(Node(self.data, "#").child(field, key))
            if not isinstance(node.raw, dict):
                raise InputError(self.source, f"{what} must be a mapping", join(f"#/{field}", key))
            out.append((str(key), node))
        return out

    def message(self, ref_or_message: Node, message_id: str | None = None) -> Message:
        node = self.deref(ref_or_message)
        if not isinstance(node.raw, dict):
            raise InputError(self.source, "a message must be a mapping", node.ptr)
        traits_raw = node.raw.get("traits")
        traits = []
        if isinstance(traits_raw, list):
            traits = [self.deref(node.child("traits", i)) for i in range(len(traits_raw))]
        fields = apply_traits(node, traits, self.major)
        payload = fields["payload"].node if "payload" in fields else None
        schema_format = _text(fields.get("schemaFormat"))
        if payload is not None and self.major >= 3:
            payload, schema_format = self.multi_format(payload)
        headers = fields.get("headers")
        headers_node = self.multi_format(headers.node)[0] if headers is not None else None
        name = _text(fields.get("name"))
        if self.major < 3:
            message_id = _text(fields.get("messageId")) or message_id
        pinned = (tags(self.norm, payload, self.tag_memo)
                  if payload is not None and readable_format(schema_format) else {})
        return Message(node.ptr, node, payload, headers_node, name, message_id, pinned,
                       _text(fields.get("contentType")) or self.default_content_type, schema_format,
                       {k: f.value for k, f in fields.items()})

    def multi_format(self, node: Node) -> tuple[Node, str | None]:
        """A 3.x Multi Format Schema Object (`schemaFormat` + `schema`), itself or behind a `$ref`."""
        target = self.deref(node)
        raw = target.raw
        if isinstance(raw, dict) and "schemaFormat" in raw and "schema" in raw:
            return target.child("schema"), _text_value(raw.get("schemaFormat"))
        return node, None

    # -- 2.x ----------------------------------------------------------------------------------------
    def read_v2(self) -> Api:
        api = Api(2)
        for address, item in self.entries("channels", "a channel"):
            channel = Channel(channel_key(address), address, join("#/channels", address))
            api.channels.setdefault(channel.key, channel)
            for verb, side in (("subscribe", RESPONSE), ("publish", REQUEST)):
                if verb not in item.raw:
                    continue
                operation = self.deref(item.child(verb))
                if not isinstance(operation.raw, dict):
                    raise InputError(self.source, f"{verb} must be a mapping", operation.ptr)
                flow = api.flow(side, api.channels[channel.key], operation.ptr)
                for message in self.v2_messages(operation):
                    flow.add(message)
        return api

    def v2_messages(self, operation: Node) -> list[Message]:
        if "message" not in operation.raw:
            return []
        node = self.deref(operation.child("message"))
        raw = node.raw
        if isinstance(raw, dict) and isinstance(raw.get("oneOf"), list) and "payload" not in raw:
            return [self.message(node.child("oneOf", i)) for i in range(len(raw["oneOf"]))]
        return [self.message(node)]

    # -- 3.x ----------------------------------------------------------------------------------------
    def read_v3(self) -> Api:
        api = Api(3)
        by_pointer: dict[str, tuple[Channel, Node]] = {}
        for cid, node in self.entries("channels", "a channel"):
            channel = self.v3_channel(node, cid, join("#/channels", cid))
            api.channels.setdefault(channel.key, channel)
            by_pointer[join("#/channels", cid)] = (api.channels[channel.key], node)
            by_pointer.setdefault(node.ptr, (api.channels[channel.key], node))
        for _, op in self.entries("operations", "an operation"):
            action = op.raw.get("action")
            if action not in ("send", "receive"):
                raise InputError(self.source, f"action must be 'send' or 'receive', not {action!r}", op.ptr + "/action")
            side = RESPONSE if action == "send" else REQUEST
            channel, channel_node = self.v3_operation_channel(api, by_pointer, op)
            flow = api.flow(side, channel, op.ptr)
            for message in self.v3_messages(op, channel_node):
                flow.add(message)
            if "reply" in op.raw:
                reply = self.deref(op.child("reply"))
                if isinstance(reply.raw, dict):
                    other_side = REQUEST if side == RESPONSE else RESPONSE
                    self.v3_reply(api, by_pointer, reply, channel, channel_node, other_side)
        return api

    def v3_channel(self, node: Node, cid: str, pointer: str) -> Channel:
        if not isinstance(node.raw, dict):
            raise InputError(self.source, "a channel must be a mapping", pointer)
        address = node.raw.get("address")
        if isinstance(address, str):
            return Channel(channel_key(address), address, pointer)
        return Channel("#" + cid, cid, pointer)

    def v3_operation_channel(self, api: Api, by_pointer: dict, holder: Node) -> tuple[Channel, Node]:
        if not isinstance(holder.raw.get("channel"), dict):
            raise InputError(self.source, "channel must be a $ref to a channel", holder.ptr + "/channel")
        ref = holder.raw["channel"].get("$ref")
        if isinstance(ref, str) and ref in by_pointer:
            return by_pointer[ref]
        node = self.deref(holder.child("channel"))
        if node.ptr in by_pointer:
            return by_pointer[node.ptr]
        parts = tokens(node.ptr)
        channel = self.v3_channel(node, parts[-1] if parts else node.ptr, node.ptr)
        api.channels.setdefault(channel.key, channel)
        by_pointer[node.ptr] = (api.channels[channel.key], node)
        return by_pointer[node.ptr]

    def v3_messages(self, holder: Node, channel_node: Node) -> list[Message]:
        listed = holder.raw.get("messages")
        if isinstance(listed, list):
            out = []
            for i in range(len(listed)):
                item = holder.child("messages", i)
                ref = item.raw.get("$ref") if isinstance(item.raw, dict) else None
                parts = tokens(ref) if isinstance(ref, str) else []
                out.append(self.message(item, parts[-1] if len(parts) >= 2 and parts[-2] == "messages" else None))
            return out
        messages = channel_node.raw.get("messages") if isinstance(channel_node.raw, dict) else None
        if not isinstance(messages, dict):
            return []
        return [self.message(channel_node.child("messages", mid), str(mid)) for mid in messages]

    def v3_reply(self, api: Api, by_pointer: dict, reply: Node, channel: Channel, channel_node: Node,
                 side: str) -> None:
        if isinstance(reply.raw.get("channel"), dict):
            channel, channel_node = self.v3_operation_channel(api, by_pointer, reply)
        flow = api.flow(side, channel, reply.ptr)
        for message in self.v3_messages(reply, channel_node):
            flow.add(message)


def read_api(source: str, data: dict, norm: Normaliser) -> Api:
    reader = Reader(source, data, norm)
    return reader.read_v2() if reader.major < 3 else reader.read_v3()


def _text(found: Field | None) -> str | None:
    return _text_value(found.value) if found is not None else None


def _text_value(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
