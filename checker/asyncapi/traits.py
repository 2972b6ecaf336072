"""Message traits, applied as the AsyncAPI version says.

2.x: each trait is a JSON Merge Patch (RFC 7386) applied to the message in order, so a trait
overrides the message. 3.x ("traits merge mechanism"): the merge order is trait1, trait2, ...,
message: the message is the most specific and is never overwritten, only extended.

Every top-level field keeps the node it came from, so a schema inside it is still diffed (and
reported) at its place in the document.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Node


def merge_patch(target: object, patch: object) -> object:
    """RFC 7386: mappings merge recursively, `null` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


@dataclass
class Field:
    """One top-level field of a message after traits: its value and where it lives."""

    value: object
    node: Node


def apply_traits(message: Node, traits: list[Node], major: int) -> dict[str, Field]:
    """The message's fields with its traits merged in; `traits` already dereferenced."""
    sources = [message, *traits] if major < 3 else [*traits, message]
    fields: dict[str, Field] = {}
    for source in sources:
        if not isinstance(source.raw, dict):
            continue
        for key, value in source.raw.items():
            if key == "traits":
                continue
            if value is None:
                fields.pop(key, None)
                continue
            before = fields.get(key)
            if before is None or not (isinstance(before.value, dict) and isinstance(value, dict)):
                fields[key] = Field(value, source.child(key))
            else:  # two mappings merged: a value found at no single place
                merged = merge_patch(before.value, value)
                fields[key] = Field(merged, Node(merged, message.ptr + "/" + key, message.key + "/" + key + "|traits",
                                                 message.base))
    return fields
