"""Our own file formats (the JSON report, the policy file, the plan) are JSON Schemas shipped inside
the package, in checker/schemas/ (package data: an installed wheel has them too). Inputs in those
formats are checked against them, so a malformed file gets one clear line naming the place. A schema is
then the one description of its format: `check` words its errors from the schema itself (the keys a
mapping allows, a property's `title` for what is expected there, its `description` for what is missing),
so nothing beside it restates the rules.

Each schema's `$id` is SCHEMA_BASE + its file name; a test keeps them so. The repository's top-level
schemas/ folder holds something else: the inferred contracts of the demo baseline (`apicompat record`
writes there by default)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from collections.abc import Sequence

from .errors import InputError
from .lines import find_lines
from .pointers import join
from .safetext import printable

SCHEMA_BASE = "https://apicompat.dev/schemas/"
PACKAGE = "apicompat.schemas"


def names() -> list[str]:
    """The file names of every shipped format schema."""
    return sorted(p.name for p in resources.files(PACKAGE).iterdir()
                  if p.name.endswith(".schema.json"))


@cache
def schema(name: str) -> dict:
    """The shipped schema `name` (e.g. "report.schema.json")."""
    return json.loads(resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8"))


@cache
def _validator(name: str):
    from jsonschema import Draft202012Validator  # start-up time: jsonschema loads on the first validation

    return Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(name: str, source: str, data: object, what: str) -> None:
    """InputError naming `source` and the first failing place when `data` does not match `name`."""
    error = next(iter(_validator(name).iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        raise InputError(source, f"not {what}: {error.message}", f"#/{where}")


def validate_report(source: str, data: object) -> None:
    validate("report.schema.json", source, data, "an apicompat JSON report")


def check(name: str, source: str, data: object, text: str | None = None) -> None:
    """InputError for the first place, in file order, where `data` breaks the shipped schema `name`:
    it names the key (`ignore[0].until`), its line when the file's `text` is given, and what the
    schema expects there in the schema's own words (a title, a description, the keys it allows)."""
    found = [explain(error) for error in _validator(name).iter_errors(data)]
    if not found:
        return
    lines = find_lines(text, [join("#", *path) for path, _ in found], data) if text else {}
    order = {i: lines.get(join("#", *path), len(text or "") + 1) for i, (path, _) in enumerate(found)}
    path, message = found[min(order, key=lambda i: (order[i], i))]
    raise InputError(source, message, place(path, lines.get(join("#", *path))))


def place(path: Sequence[str | int], line: int | None = None) -> str | None:
    """`ignore[0].until`, with `line N, ` before it when the line is known; None for the whole file."""
    keys = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    where = [f"line {line}"] if line is not None and keys else []
    return ", ".join(where + [printable(keys)]) if keys else None


_TYPE_WORDS = {"object": "a mapping", "array": "a list", "string": "text", "integer": "an integer",
               "number": "a number", "boolean": "true or false", "null": "nothing"}


def explain(error) -> tuple[list[str | int], str]:
    """Where a jsonschema ValidationError is (the key path) and what it means, in words."""
    path = list(error.absolute_path)
    sub, value, keyword = error.schema, error.instance, error.validator
    if "propertyNames" in error.schema_path:  # the key itself is wrong
        return path + [value], f"expected {sub.get('title', 'another key')} as a key, not {_shown(value)}"
    if keyword == "additionalProperties" and value is not None:
        allowed = list(sub.get("properties", {}))
        extra = next(k for k in value if k not in allowed)
        return path + [extra], f"unknown key {_shown(extra)} (expected: {', '.join(allowed)})"
    if keyword == "required":
        missing = next(k for k in error.validator_value if k not in value)
        why = sub.get("properties", {}).get(missing, {}).get("description")
        return path, f"missing {_shown(missing)}" + (f": {why[:1].lower()}{why[1:]}" if why else "")
    if keyword == "anyOf" and all("required" in option for option in error.validator_value):
        keys = [key for option in error.validator_value for key in option["required"]]
        return path, f"needs at least one of: {', '.join(keys)}"
    if keyword == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        if "properties" in sub:
            expected = f"a mapping (keys: {', '.join(sub['properties'])})"
        else:
            expected = sub.get("title") or " or ".join(_TYPE_WORDS.get(t, str(t)) for t in types if t != "null")
        return path, f"expected {expected}, not {_kind(value)}"
    if keyword == "enum":
        return path, (f"expected {sub.get('title', 'one of these')} "
                      f"({', '.join(map(str, error.validator_value))}), not {_kind(value)}")
    if "title" in sub:
        return path, f"expected {sub['title']}, not {_kind(value)}"
    return path, printable(error.message)


def _shown(value: object) -> str:
    text = printable(repr(value))
    return text if len(text) <= 80 else text[:77] + "..."


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return _shown(value)
