"""OpenAPI 3.0/3.1 traversal: match operations, compare their parts, report each change once."""

from __future__ import annotations

from typing import Any, TypeGuard

from ..collect import Collector
from ..jsontypes import mapping_at
from ..rules import openapi_rules as R
from ..pointers import join
from ..schema import Node, Normaliser, Walker
from .compare import OperationDiffer
from .events import EventGlobs, diff_event_catalogues
from .index import Deref, index_paths
from .places import Placer


def is_openapi(data: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(data, dict) and ("openapi" in data or "swagger" in data)


def diff_openapi(old: dict[str, Any], new: dict[str, Any], old_norm: Normaliser, new_norm: Normaliser, walker: Walker,
                 out: Collector, events: EventGlobs = ((), ())) -> None:
    deref_old = _dereferencer(old_norm)
    deref_new = _dereferencer(new_norm)
    out.placer = Placer(old, new, deref_old, deref_new)
    differ = OperationDiffer(walker, out, deref_old, deref_new, old, new)
    for kind, field in (("path", "paths"), ("webhook", "webhooks")):
        old_ops = index_paths(old.get(field), f"#/{field}", kind, deref_old)
        new_ops = index_paths(new.get(field), f"#/{field}", kind, deref_new)
        added_rule, removed_rule = (R.ENDPOINT_ADDED, R.ENDPOINT_REMOVED) if kind == "path" else (
            R.WEBHOOK_ADDED, R.WEBHOOK_REMOVED)
        for key, op in old_ops.items():
            other = new_ops.get(key)
            if other is None:
                rule = removed_rule
                detail = ""
                if kind == "path" and op.raw.get("deprecated"):
                    rule = R.ENDPOINT_DEPRECATED_REMOVED
                    detail = _deprecated_since(op.raw)
                out.add(rule, op.pointer, op.name, detail=detail)
                continue
            differ.diff(op, other)
        for key, op in new_ops.items():
            if key not in old_ops:
                out.add(added_rule, op.pointer, op.name, new_pointer=op.pointer)
    differ.finish()
    _document_level(old, new, out)
    diff_event_catalogues(old, new, old_norm, new_norm, walker, out, events)


def _deprecated_since(op: dict[str, Any]) -> str:
    for key in ("x-deprecated-since", "x-deprecated-at", "x-deprecation-date", "x-sunset"):
        if key in op:
            return f" since {op[key]}"
    return ""


def _document_level(old: dict[str, Any], new: dict[str, Any], out: Collector) -> None:
    oi, ni = old.get("info"), new.get("info")
    ov = oi.get("version") if isinstance(oi, dict) else None
    nv = ni.get("version") if isinstance(ni, dict) else None
    if ov != nv and ov is not None and nv is not None:
        out.add(R.API_VERSION_CHANGED, "#/info/version", None, old=str(ov), new=str(nv))
    os_ = mapping_at(mapping_at(old, "components"), "schemas")
    ns = mapping_at(mapping_at(new, "components"), "schemas")
    for name in os_:
        if name not in ns:
            out.add(R.API_SCHEMA_REMOVED, join("#/components/schemas", name), None, detail=str(name))


def _dereferencer(norm: Normaliser) -> Deref:
    """Follow `$ref`s of any OpenAPI object (parameters, bodies, responses, headers, path items)."""

    def deref(value: Any, pointer: str) -> tuple[Any, str]:
        if not isinstance(value, dict) or "$ref" not in value:
            return value, pointer
        node = norm.deref(Node({"$ref": value["$ref"]}, pointer))
        return node.raw, node.ptr

    return deref
