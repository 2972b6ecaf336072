"""Standalone schemas cut from the real OpenAI and Stripe documents (../shared/corpus).

A component becomes a JSON Schema of its own: the components it reaches (breadth first, at most
`MAX_DEFS`) go under `$defs` with their `$ref`s rewritten to match, and references past that bound
become `{}` (anything), the same on both sides of a pair, so the pair is still a fair test. The
schema is read into the neutral spelling (schemas.py) so that every mutation applies, and written
back in its document's flavour (OpenAPI 3.0 or 3.1) for the differ.
"""

from __future__ import annotations

import json
from functools import lru_cache, cache
from pathlib import Path
from typing import Any

from .dialect import for_validation

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
# One 3.0 and one 3.1 OpenAI document, and the newer Stripe one.
DOCUMENTS = ("openai/2023-06-19_1620cd2.yaml", "openai/2026-08-15_9b457ac.yaml", "stripe/2023-09-12_63a6746.yaml")
MAX_DEFS = 30
MAX_CHARS = 60_000
PREFIX = "#/components/schemas/"


def available() -> bool:
    return all((CORPUS / d).is_file() for d in DOCUMENTS)


@cache
def document(name: str) -> dict:
    from apicompat.load import load_document

    return load_document(str(CORPUS / name)).data


def flavour_of_document(doc: dict) -> str:
    version = str(doc.get("openapi", ""))
    return "openapi-3.0" if version.startswith("3.0") else "2020-12"


@cache
def component_names(name: str) -> tuple[str, ...]:
    schemas = document(name).get("components", {}).get("schemas", {})
    return tuple(sorted(k for k, v in schemas.items() if isinstance(v, (dict, bool))))


@lru_cache(maxsize=4096)
def _standalone_text(name: str, component: str) -> str | None:
    doc = document(name)
    schemas = doc.get("components", {}).get("schemas", {})
    root = schemas[component]
    defs: dict[str, Any] = {}
    queue = [r for r in _refs(root)]
    while queue and len(defs) < MAX_DEFS:
        ref = queue.pop(0)
        if ref in defs or ref not in schemas:
            continue
        defs[ref] = schemas[ref]
        queue += [r for r in _refs(schemas[ref]) if r not in defs]
    keep = set(defs)
    body = _rewrite(root, keep)
    out = body
    if defs and isinstance(body, dict):
        out = {**body, "$defs": {k: _rewrite(v, keep) for k, v in defs.items()}}
    text = json.dumps(out)
    return text if len(text) <= MAX_CHARS else None


def standalone(name: str, component: str) -> Any | None:
    """The component as a standalone schema in its document's spelling (None when too large)."""
    text = _standalone_text(name, component)
    return None if text is None else json.loads(text)


def neutral(schema: Any, flavour: str) -> Any:
    """The schema in the neutral spelling the mutations read (nullable as a null member, numeric
    exclusive bounds)."""
    return for_validation(schema, flavour)


def _refs(value: Any) -> list[str]:
    out: list[str] = []
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(PREFIX):
            out.append(ref[len(PREFIX):])
        for v in value.values():
            out += _refs(v)
    elif isinstance(value, list):
        for v in value:
            out += _refs(v)
    return out


def _rewrite(value: Any, keep: set[str]) -> Any:
    """References to kept components point into `$defs`; others become `{}` (anything)."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(PREFIX):
            target = ref[len(PREFIX):]
            rest = {k: _rewrite(v, keep) for k, v in value.items() if k != "$ref"}
            if target in keep:
                return {"$ref": "#/$defs/" + target, **rest}
            return rest
        out = {}
        for k, v in value.items():
            if k == "discriminator" and isinstance(v, dict):
                out[k] = {kk: vv for kk, vv in v.items() if kk != "mapping"}  # mapping names components
            else:
                out[k] = _rewrite(v, keep)
        return out
    if isinstance(value, list):
        return [_rewrite(v, keep) for v in value]
    return value
