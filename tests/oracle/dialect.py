"""The flavours of JSON Schema the differ reads, and what python-jsonschema validates for each.

The differ reads OpenAPI 3.0 spellings (`nullable`, boolean `exclusiveMaximum`) and draft-07 ones
(`dependencies`, array `items` with `additionalItems`) in every document (apicompat.schema.normalise).
To validate, a schema is translated into the draft its flavour names:

- `nullable: true` adds null to what the schema accepts (`anyOf: [{type: null}, rest]`): the
  differ's reading, also beside an `enum` or with no `type` (OpenAPI 3.0.3 is ambiguous there);
- a boolean `exclusiveMaximum`/`exclusiveMinimum` turns its sibling bound exclusive;
- for 2020-12 (and OpenAPI 3.0, whose schema object is a subset of it here), draft-07's array
  `items`/`additionalItems` become `prefixItems`/`items` and `dependencies` becomes
  `dependentRequired`/`dependentSchemas`;
- `$ref` siblings apply (as in 2020-12 and OpenAPI 3.1; the differ reads 3.0 the same way).

Formats are assertions here (POLICY.md treats a format change as a contract change): python-jsonschema's
own checks plus the ones OpenAPI relies on (date-time, time, uri, hostname, int32, int64, float,
double, byte). A format no check knows stays an annotation.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import unquote
from collections.abc import Callable

import jsonschema
import referencing.exceptions

FLAVOURS = ("2020-12", "openapi-3.0", "draft-07")
DRAFT_07_URI = "http://json-schema.org/draft-07/schema#"

# Keywords whose value is one subschema, a list of them, or a mapping of names to them.
ONE = ("additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
       "unevaluatedProperties", "unevaluatedItems", "additionalItems", "contentSchema")
MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
NAMED = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
# Keywords that stay on the outer schema when `nullable` wraps the rest in an anyOf.
HOISTED = ("$defs", "definitions", "$schema", "$id", "$anchor", "$comment")


def map_subschemas(schema: Any, fn: Callable[[Any], Any]) -> Any:
    """A copy of `schema` with `fn` applied to each of its direct subschemas."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    for kw in ONE:
        if kw in out and isinstance(out[kw], (dict, bool)):
            out[kw] = fn(out[kw])
    if "items" in out:
        items = out["items"]
        out["items"] = [fn(s) for s in items] if isinstance(items, list) else fn(items)
    for kw in MANY:
        if isinstance(out.get(kw), list):
            out[kw] = [fn(s) for s in out[kw]]
    for kw in NAMED:
        if isinstance(out.get(kw), dict):
            out[kw] = {k: fn(s) for k, s in out[kw].items()}
    if isinstance(out.get("dependencies"), dict):
        out["dependencies"] = {k: (v if isinstance(v, list) else fn(v)) for k, v in out["dependencies"].items()}
    return out


def subschemas(schema: Any) -> list[tuple[tuple, Any]]:
    """(path, subschema) of every direct subschema: the path is a tuple of keys into `schema`."""
    out: list[tuple[tuple, Any]] = []
    if not isinstance(schema, dict):
        return out
    for kw in ONE:
        if kw in schema and isinstance(schema[kw], (dict, bool)):
            out.append(((kw,), schema[kw]))
    if "items" in schema:
        items = schema["items"]
        if isinstance(items, list):
            out.extend((("items", i), s) for i, s in enumerate(items))
        elif isinstance(items, (dict, bool)):
            out.append((("items",), items))
    for kw in MANY:
        if isinstance(schema.get(kw), list):
            out.extend(((kw, i), s) for i, s in enumerate(schema[kw]))
    for kw in NAMED:
        if isinstance(schema.get(kw), dict):
            out.extend(((kw, k), s) for k, s in schema[kw].items())
    if isinstance(schema.get("dependencies"), dict):
        out.extend((("dependencies", k), v) for k, v in schema["dependencies"].items() if not isinstance(v, list))
    return out


def resolve(root: Any, ref: Any) -> Any:
    """The subschema of `root` a local `$ref` ("#/$defs/A") points at, or None."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    node = root
    for token in [t for t in unquote(ref[1:]).split("/") if t != ""]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def flavour_of(schema: Any) -> str:
    if isinstance(schema, dict) and isinstance(schema.get("$schema"), str) and "draft-07" in schema["$schema"]:
        return "draft-07"
    return "2020-12"


# -- translation ------------------------------------------------------------------------------------

def for_validation(schema: Any, flavour: str) -> Any:
    """`schema` in 2020-12 as the validator of `flavour` reads it (see the module doc). A draft-07
    `$ref` ignores its siblings (draft-07 says so), which the 2020-12 form drops."""
    return _translate(schema, True, flavour == "draft-07")


def native_form(schema: Any, flavour: str) -> Any:
    """`schema` for its own draft's validator: only the OpenAPI 3.0 extras translated."""
    return _translate(schema, flavour != "draft-07", False)


def _translate(schema: Any, to_2020: bool, lone_refs: bool) -> Any:
    if not isinstance(schema, dict):
        return schema
    if lone_refs and "$ref" in schema:
        schema = {k: v for k, v in schema.items() if k in ("$ref", "definitions", "$defs", "$schema", "$id")}
    s = map_subschemas(schema, lambda sub: _translate(sub, to_2020, lone_refs))
    for bound, excl in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        if isinstance(s.get(excl), bool):
            if s.pop(excl) and _is_number(s.get(bound)):
                s[excl] = s.pop(bound)
    if to_2020:
        items = s.get("items")
        if isinstance(items, list):
            s["prefixItems"] = s.pop("items")
            if "additionalItems" in s:
                s["items"] = s.pop("additionalItems")
        else:
            s.pop("additionalItems", None)  # ignored beside a single `items` schema in every draft
        deps = s.pop("dependencies", None)
        if isinstance(deps, dict):
            req = {k: v for k, v in deps.items() if isinstance(v, list)}
            sch = {k: v for k, v in deps.items() if not isinstance(v, list)}
            if req:
                s["dependentRequired"] = {**req, **s.get("dependentRequired", {})}
            if sch:
                s["dependentSchemas"] = {**sch, **s.get("dependentSchemas", {})}
        if s.get("$schema") == DRAFT_07_URI:
            s.pop("$schema")
    nullable = s.pop("nullable", None)
    if nullable is True:
        outer = {k: s.pop(k) for k in HOISTED if k in s}
        outer["anyOf"] = [{"type": "null"}, s]
        return outer
    return s


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- formats ----------------------------------------------------------------------------------------

FORMATS = jsonschema.FormatChecker()
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$")
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_BASE64 = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
FLOAT_MAX = 3.4028234663852886e38


def _time_ok(h: str, m: str, s: str, oh: str | None, om: str | None) -> bool:
    return int(h) < 24 and int(m) < 60 and int(s) < 61 and (oh is None or (int(oh) < 24 and int(om) < 60))


@FORMATS.checks("date-time")
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    m = _DATE_TIME.match(value)
    if not m:
        return False
    try:
        datetime.date.fromisoformat(m.group(1))
    except ValueError:
        return False
    return _time_ok(m.group(2), m.group(3), m.group(4), m.group(7), m.group(8))


@FORMATS.checks("time")
def _time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    m = _TIME.match(value)
    return bool(m) and _time_ok(m.group(1), m.group(2), m.group(3), m.group(6), m.group(7))


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


@FORMATS.checks("hostname")
def _hostname(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return 0 < len(value) <= 253 and all(_HOST_LABEL.match(label) for label in value.rstrip(".").split("."))


@FORMATS.checks("byte")
def _byte(value: object) -> bool:
    return not isinstance(value, str) or bool(_BASE64.match(value))


def _integral_within(bits: int) -> Callable[[object], bool]:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value: object) -> bool:
        if not _is_number(value):
            return True
        return float(value).is_integer() and low <= value <= high

    return check


FORMATS.checks("int32")(_integral_within(32))
FORMATS.checks("int64")(_integral_within(64))


@FORMATS.checks("float")
def _float(value: object) -> bool:
    return not _is_number(value) or abs(value) <= FLOAT_MAX


@FORMATS.checks("double")
def _double(value: object) -> bool:
    return True  # every JSON number Python reads is a finite double or an int


# -- validators -------------------------------------------------------------------------------------

def instance_key(value: Any) -> Any:
    """A hashable key of a JSON value: 1, 1.0 and True stay apart (as jsonschema's `enum` and
    `uniqueItems` do not, a type check does): its repr(), or for a long one (a witness of a length bound
    may be a megabyte) a structure where a long string counts by its length and hash, not its text."""
    key = repr(value)
    return key if len(key) <= 4096 else _structural_key(value)


def _structural_key(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= 4096 else ("long", len(value), hash(value))
    if isinstance(value, dict):
        return ("{", tuple((k, _structural_key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("[", tuple(_structural_key(v) for v in value))
    return (type(value).__name__, value)


class Unusable(Exception):
    """A schema the validator cannot use (a pattern Python's re cannot compile, ...): skip the check."""


class Acceptor:
    """What one schema accepts, as python-jsonschema's validator for its flavour says: Draft 7 for
    draft-07, Draft 2020-12 otherwise. `translated` is the schema's 2020-12 form (what the oracle's
    transformations and the instance generator read)."""

    def __init__(self, schema: Any, flavour: str, translated: bool = False) -> None:
        """`translated`: `schema` is in its 2020-12 form already (a transformation of `translated`)."""
        self.flavour = flavour
        self.translated = schema if translated else for_validation(schema, flavour)
        if flavour == "draft-07" and not translated:
            self.validator = jsonschema.Draft7Validator(native_form(schema, flavour), format_checker=FORMATS)
        else:
            self.validator = jsonschema.Draft202012Validator(self.translated, format_checker=FORMATS)
        self.translated_validator = (self.validator if self.validator.schema is self.translated else
                                     jsonschema.Draft202012Validator(self.translated, format_checker=FORMATS))
        self._memo: dict[Any, bool] = {}

    def __call__(self, instance: Any) -> bool:
        key = instance_key(instance)
        hit = self._memo.get(key)
        if hit is None:
            try:
                hit = self.validator.is_valid(instance)
            except (re.error, jsonschema.exceptions.SchemaError, referencing.exceptions.Unresolvable,
                    RecursionError, TypeError, ValueError, OverflowError) as exc:
                raise Unusable(f"the validator cannot use this schema: {type(exc).__name__}: {exc}") from None
            self._memo[key] = hit
        return hit

    def errors(self, instance: Any) -> list[str]:
        """Why the schema rejects `instance`: the innermost failing keywords with their places."""
        out: list[str] = []
        try:
            for err in self.validator.iter_errors(instance):
                out += [f"{leaf.validator} at /{'/'.join(str(p) for p in leaf.absolute_path)}" for leaf in _leaves(err)]
        except Exception as exc:  # noqa: BLE001 - only for reports
            out.append(f"(no errors: {type(exc).__name__})")
        return list(dict.fromkeys(out))


def _leaves(err) -> list:
    if not err.context:
        return [err]
    out = []
    for sub in err.context:
        out += _leaves(sub)
    return out + [err] if err.validator in ("oneOf", "not", "if") else out
