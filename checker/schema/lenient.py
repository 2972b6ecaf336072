"""How a schema keyword whose value is irregular but has one obvious reading is read (POLICY.md,
"Documents that are not quite valid").

The normaliser asks here before refusing a keyword's value: a `Reading` is the value as read (or
DROP: the keyword says nothing) and the words of the note that says so; None means it cannot be read
and is refused. Readings follow what JSON Schema validators (python-jsonschema) do where they do not
fail, and what the other checkers do where they do (an empty `oneOf`); a misspelt type name is read
only when it names one type without doubt.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .keywords.common import Spelling
from .keywords.types import TYPE_NAMES

DROP = object()  # the keyword is read as absent


@dataclass(frozen=True)
class Reading:
    value: Any  # the value as read, or DROP
    found: str  # what is there, as the note shows it
    read_as: str  # how it was read


# Type names other languages use for one JSON type, read as that type (case aside).
TYPE_ALIASES = {"int": "integer", "long": "integer", "int32": "integer", "int64": "integer",
                "bool": "boolean", "str": "string", "text": "string",
                "float": "number", "double": "number", "decimal": "number",
                "dict": "object", "map": "object", "list": "array"}
_COMBINATORS = ("allOf", "anyOf", "oneOf")
_QUOTED_LITERAL = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false")


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _type_name(name: Any) -> str | None:
    if not isinstance(name, str):
        return None
    low = name.lower()
    if low in TYPE_NAMES or low == "file":
        return low
    return TYPE_ALIASES.get(low)


def _type(value: Any) -> Reading | None:
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if names is None:
        return None
    read = [_type_name(x) for x in names]
    if any(x is None for x in read):
        return None
    if isinstance(value, str):
        return Reading(read[0], f"type: {value}", str(read[0]))
    as_read = list(dict.fromkeys(read))
    return Reading(as_read, f"type: {_shown(value)}", _shown(as_read))


def _required(value: Any) -> Reading:
    """Its strings kept (a single name: that name); a boolean `required` (JSON Schema draft 3's, on a
    property) requires nothing here."""
    kept = [value] if isinstance(value, str) else [x for x in value if isinstance(x, str)] \
        if isinstance(value, list) else []
    return Reading(kept, f"required: {_shown(value)}",
                   f"required: {_shown(kept)}" if kept else "no required properties")


def _quoted(kw: str, value: Any, spelling: Spelling) -> Reading | None:
    """A number or a boolean in quotes (`maximum: "10"`, `nullable: "true"`) read as the literal."""
    if not isinstance(value, str) or not _QUOTED_LITERAL.fullmatch(value):
        return None
    literal = json.loads(value)
    if not spelling.ok(literal) or spelling.problem is not None and spelling.problem(literal) is not None:
        return None
    return Reading(literal, f"{kw}: {_shown(value)}", _shown(literal))


def reading(kw: str, value: Any, spelling: Spelling) -> Reading | None:
    """How `kw: value`, which `spelling` does not accept, is read; None: it cannot be read."""
    if kw == "type":
        return _type(value)
    if kw in _COMBINATORS and value == []:
        return Reading(DROP, f"{kw}: []", f"no constraint (an empty {kw} is ignored)")
    if kw == "required":
        return _required(value)
    if value == [] and spelling.ok({}):  # an empty mapping written as a list (PHP's empty array)
        return Reading({}, f"{kw}: []", f"{kw}: {{}} (empty)")
    return _quoted(kw, value, spelling)


def valid_but_irregular(kw: str, value: Any) -> Reading | None:
    """A value the keyword's spelling accepts that is still irregular: an empty `enum` (OpenAPI 3.0
    and draft 4 require one value at least; later drafts advise it), read as validators do."""
    if kw == "enum" and value == []:
        return Reading(value, "enum: []", "no value is valid (as JSON Schema validators read an empty enum)")
    return None
