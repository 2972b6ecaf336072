"""Our own file formats (the JSON report, the policy file, the plan) are JSON Schemas shipped inside
the package, in checker/schemas/ (package data: an installed wheel has them too). Inputs in those
formats are checked against them, so a malformed file gets one clear line naming the place.

Each schema's `$id` is SCHEMA_BASE + its file name; a test keeps them so. The repository's top-level
schemas/ folder holds something else: the inferred contracts of the demo baseline (`apicompat record`
writes there by default)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from .errors import InputError

SCHEMA_BASE = "https://apicompat.dev/schemas/"
PACKAGE = "apicompat.schemas"


def names() -> list[str]:
    """The file names of every shipped format schema."""
    return sorted(p.name for p in resources.files(PACKAGE).iterdir()
                  if p.name.endswith(".schema.json"))


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """The shipped schema `name` (e.g. "report.schema.json")."""
    return json.loads(resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(name: str):
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


def validate(name: str, source: str, data: object, what: str) -> None:
    """InputError naming `source` and the first failing place when `data` does not match `name`."""
    error = next(iter(_validator(name).iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        raise InputError(source, f"not {what}: {error.message}", f"#/{where}")


def validate_report(source: str, data: object) -> None:
    validate("report.schema.json", source, data, "an apicompat JSON report")
