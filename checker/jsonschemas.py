"""Our own file formats are JSON Schemas under schemas/; inputs in those formats are checked
against them so a malformed file gets one clear line naming the place."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from .errors import InputError

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


# Used where the repository's schemas/ is absent (a wheel install): the report's bare shape.
_MINIMAL = {
    "report.schema.json": {"type": "object", "required": ["summary", "changes"],
                           "properties": {"changes": {"type": "array", "items": {
                               "type": "object", "required": ["rule", "severity", "direction", "message", "pointer"]}}}},
}


@lru_cache(maxsize=None)
def _validator(name: str) -> Draft202012Validator:
    path = SCHEMAS / name
    schema = json.loads(path.read_text()) if path.exists() else _MINIMAL[name]
    return Draft202012Validator(schema)


def validate_report(source: str, data: object) -> None:
    error = next(iter(_validator("report.schema.json").iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        raise InputError(source, f"not an apicompat JSON report: {error.message}", f"#/{where}")
