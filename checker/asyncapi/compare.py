"""Compare two AsyncAPI documents read into one model (read.py): channels, what each side sends on
them, and each message's payload and headers with the schema differ, on the side that sends it.

Messages are matched by what travels on the wire, never by position: first by the event type
their payload names (`type` const/enum, or another property every message of the flow pins to a
value of its own, like Kraken's `event`), then by identical content, then by `name`, then by
`messageId` (or the 3.x message key); two messages with different event types never pair. A flow
left with one unmatched message on each side pairs them: names are not on the wire, payloads are.
"""

from __future__ import annotations

from collections.abc import Callable

from ..collect import Collector
from ..schema import Node, Walker
from .read import EVENT_KEY, RESPONSE, Api, Flow, Message

ADDED = {RESPONSE: "server-message-added", "request": "client-message-added"}
REMOVED = {RESPONSE: "server-message-removed", "request": "client-message-removed"}
# Messages sharing one key (several variants of one event type) pair with the closest of this many:
# a hostile flow of 100,000 look-alike messages stays linear.
_MAX_CANDIDATES = 64


def _or_document(labels: list[str] | None) -> list[str | None]:
    """The operations a channel's change is listed under; none: the document's own (None)."""
    return list(labels) if labels else [None]


def compare(old: Api, new: Api, walker: Walker, out: Collector) -> None:
    old_labels, new_labels = old.labels_by_channel(), new.labels_by_channel()
    for key, channel in old.channels.items():
        if key not in new.channels:
            for label in _or_document(old_labels.get(key)):
                out.add("channel-removed", channel.pointer, label, detail=channel.label)
    for key, channel in new.channels.items():
        if key not in old.channels:
            for label in _or_document(new_labels.get(key)):
                out.add("channel-added", channel.pointer, label, detail=channel.label, new_pointer=channel.pointer)
    for flow_key, flow in old.flows.items():
        if flow.channel not in new.channels:
            continue  # reported once, as the channel
        other = new.flows.get(flow_key)
        if other is None:
            out.add("channel-operation-removed", flow.pointer, flow.label)
        else:
            compare_flows(flow, other, walker, out)
    for flow_key, flow in new.flows.items():
        if flow_key not in old.flows and flow.channel in old.channels:
            out.add("channel-operation-added", flow.pointer, flow.label, new_pointer=flow.pointer)


def compare_flows(old: Flow, new: Flow, walker: Walker, out: Collector) -> None:
    label = new.label
    key = discriminator(old.messages, new.messages)
    pairs, removed, added = match_messages(old.messages, new.messages, key)
    for i, j in pairs:
        compare_messages(old.messages[i], new.messages[j], old.side, label, walker, out)
    for i in removed:
        m = old.messages[i]
        out.add(REMOVED[old.side], m.pointer, label, old=m.display(key))
    for j in added:
        m = new.messages[j]
        out.add(ADDED[new.side], m.pointer, label, new=m.display(key), new_pointer=m.pointer)


def discriminator(old: list[Message], new: list[Message]) -> str:
    """What tells a flow's messages apart: `type` unless every message of both versions pins another
    property to a value of its own (Kraken's `event: ping`, `event: pong`, ...)."""
    messages = old + new
    common = set(messages[0].tags).intersection(*(m.tags for m in messages[1:])) if messages else set()
    if EVENT_KEY in common or not common:
        return EVENT_KEY
    for key in sorted(common):
        if all(len({m.tags[key] for m in side}) == len(side) for side in (old, new)):
            return key
    return EVENT_KEY


def compare_messages(o: Message, n: Message, side: str, label: str, walker: Walker, out: Collector) -> None:
    if o.readable and n.readable:
        for part in ("payload", "headers"):
            old_node, new_node = _schema(o, part), _schema(n, part)
            if old_node is None and new_node is None:
                continue
            found = walker.diff_nodes(old_node or Node(True, o.pointer + "/" + part),
                                      new_node or Node(True, n.pointer + "/" + part), side)
            out.add_findings(found, side, operation=label)
    elif _raw(o.payload) != _raw(n.payload) or o.schema_format != n.schema_format:
        unread = o.schema_format if not o.readable else n.schema_format
        out.add("message-payload-unjudged", o.pointer, label, detail=str(unread), new_pointer=n.pointer)
    if o.content_type and n.content_type and _media(o.content_type) != _media(n.content_type):
        out.add("message-content-type-changed", o.pointer, label, old=o.content_type, new=n.content_type,
                new_pointer=n.pointer)


def match_messages(old: list[Message], new: list[Message], key: str = EVENT_KEY
                   ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    pairs: list[tuple[int, int]] = []
    free_old, free_new = set(range(len(old))), set(range(len(new)))

    def take(key_of: Callable[[Message], object]) -> None:
        index: dict[object, list[int]] = {}
        for j in sorted(free_new):
            k = key_of(new[j])
            if k is not None:
                index.setdefault(k, []).append(j)
        start: dict[object, int] = {}
        for i in sorted(free_old):
            k = key_of(old[i])
            if k is None or k not in index:
                continue
            taken, at = index[k], start.get(k, 0)
            while at < len(taken) and taken[at] not in free_new:
                at += 1
            start[k] = at
            window = taken[at:at + _MAX_CANDIDATES]
            candidates = [j for j in window if j in free_new and _may_pair(old[i], new[j], key)]
            if not candidates:
                continue
            j = max(candidates, key=lambda j: _closeness(old[i], new[j]))
            pairs.append((i, j))
            free_old.discard(i)
            free_new.discard(j)

    take(lambda m: m.tags.get(key))
    take(lambda m: m.content if m.payload is not None else None)
    take(lambda m: m.name)
    take(lambda m: m.message_id)
    if len(free_old) == 1 == len(free_new) and _may_pair(old[min(free_old)], new[min(free_new)], key):
        pairs.append((free_old.pop(), free_new.pop()))
    return pairs, sorted(free_old), sorted(free_new)


def _may_pair(o: Message, n: Message, key: str) -> bool:
    """Messages naming different event types are different events, whatever else they share."""
    a, b = o.tags.get(key), n.tags.get(key)
    return not (a and b) or a == b


def _closeness(o: Message, n: Message) -> tuple:
    return (o.content == n.content, o.name == n.name, o.message_id == n.message_id)


def _schema(m: Message, part: str) -> Node | None:
    return m.payload if part == "payload" else m.headers


def _raw(node: Node | None) -> object:
    return None if node is None else node.raw


def _media(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()
