"""A fresh recording against the baseline: the inferred schemas are diffed with the schema differ
(`diff_documents`, response direction), fresh bodies are validated against the baseline schema,
and the headers that matter (x-request-id, openai-version, status, content type) are compared.
A violation and the schema change behind it are one entry (`merge_views`). The values themselves
are compared too (record/values.py: deepdiff, volatile paths out, pins breaking)."""

from __future__ import annotations

import dataclasses
import os
import re

import referencing
import referencing.exceptions

from ..api import DiffOptions, diff_documents
from ..collect import Collector
from ..errors import InputError
from .infer import event_type, infer_snapshot
from ..load import Document
from ..load.limits import DEFAULT_LIMITS, Limits
from ..model import Change, Report
from ..patterns import safe_validator_for
from .store import load_json, load_snapshot, schema_path, snapshot_path
from .values import ValueRules, compare_values
from .websocket import is_session, operation

# Validation resolves `$ref`/`$dynamicRef` inside the baseline schema only: a registry that retrieves
# nothing (jsonschema's default fetches URLs and reads files).
LOCAL_ONLY = referencing.Registry()
WATCHED_HEADERS = ("x-request-id", "openai-version", "openai-processing-ms")
MAX_VIOLATIONS = 20  # per case


def _media(sample: dict) -> str:
    return str((sample.get("headers") or {}).get("content-type", "")).split(";")[0].strip().lower()


def _operation(snapshot: dict) -> str:
    req = snapshot.get("request", {})
    if is_session(snapshot):
        return operation(req.get("path", "/"))
    return f"{req.get('method', 'GET')} {req.get('path', '/')}"


def _samples(snapshot: dict) -> list[dict]:
    return [s for s in snapshot.get("samples", []) if isinstance(s, dict)]


def compare_headers(case: str, base: dict, fresh: dict, out: Collector) -> None:
    op = _operation(fresh)
    old, new = _samples(base), _samples(fresh)
    if not old or not new:
        return
    for name in WATCHED_HEADERS:
        if all(name in (s.get("headers") or {}) for s in old):
            for s in new:
                if name not in (s.get("headers") or {}):
                    out.add("recorded-header-missing", f"#/{case}/headers/{name}", op, subject=name)
                    break
    old_versions = {str(v) for s in old if (v := (s.get("headers") or {}).get("openai-version")) is not None}
    new_versions = {str(v) for s in new if (v := (s.get("headers") or {}).get("openai-version")) is not None}
    if old_versions and new_versions and new_versions != old_versions:
        out.add("recorded-version-changed", f"#/{case}/headers/openai-version", op,
                old=", ".join(sorted(old_versions)), new=", ".join(sorted(new_versions)), subject=case)
    old_status = sorted({s.get("status") for s in old}, key=str)
    new_status = sorted({s.get("status") for s in new}, key=str)
    if set(new_status) - set(old_status):
        out.add("recorded-status-changed", f"#/{case}/status", op,
                old=", ".join(map(str, old_status)), new=", ".join(map(str, new_status)), subject=case)
    old_media, new_media = {_media(s) for s in old}, {_media(s) for s in new}
    if new_media - old_media:
        out.add("recorded-content-type-changed", f"#/{case}/content-type", op,
                old=", ".join(sorted(old_media)), new=", ".join(sorted(new_media)), subject=case)


def _pointer(parts) -> str:
    return "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _where(path) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _fields(parts: list, error) -> list[str]:
    """The schema pointers a violation is about: the subschema whose keyword failed, or, for a
    missing required property, that property's place. A schema change at one of them is the same
    change seen from the schema side (compare merges the two)."""
    keyword, parent = (parts[-1], parts[:-1]) if parts else (None, parts)
    if keyword == "required" and isinstance(error.instance, dict) and isinstance(error.validator_value, list):
        missing = [n for n in error.validator_value if isinstance(n, str) and n not in error.instance
                   and error.message.startswith(repr(n))]
        if missing:
            return [_pointer([*parent, "properties", n]) for n in missing]
    return [_pointer(parent)]


def validate_fresh(case: str, schema: dict | bool, fresh: dict, out: Collector,
                   source: str = "") -> dict[str, set[str]]:
    """Fresh bodies against the baseline schema, which must itself be a schema (checked against the
    2020-12 meta-schema first: a hand-edited `$schema: 1.5` or `type: 7` is bad input, not a crash)."""
    from jsonschema import Draft202012Validator  # start-up time: jsonschema loads only when a case is compared

    meta = next(iter(Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(schema)), None)
    if meta is not None:
        raise InputError(source or case, f"not a valid JSON Schema: {meta.message[:160]}", _pointer(meta.absolute_path))
    try:
        return _validate_fresh(case, schema, fresh, out)
    except referencing.exceptions.Unresolvable as exc:
        raise InputError(source or case, f"cannot resolve {str(getattr(exc, 'ref', exc))[:80]!r} (only "
                         "references inside the schema are followed)") from None
    except (AttributeError, TypeError, ValueError, LookupError) as exc:  # a malformed schema the meta-schema allows
        raise InputError(source or case, f"malformed schema: {type(exc).__name__}: {str(exc)[:160]}") from None


def _validate_fresh(case: str, schema: dict | bool, fresh: dict, out: Collector) -> dict[str, set[str]]:
    """Validate the fresh samples against the baseline schema into `out`; returns, for each
    violation's pointer, the schema places it is about (see `_fields`)."""
    op = _operation(fresh)
    count = 0
    fields: dict[str, set[str]] = {}

    def report(error, base: list, subject: str) -> None:
        nonlocal count
        count += 1
        if count <= MAX_VIOLATIONS:
            detail = error.message if len(error.message) <= 160 else error.message[:157] + "..."
            parts = [case, *base, *error.absolute_schema_path]
            pointer = _pointer(parts)
            out.add("recorded-schema-violation", pointer, op, subject=subject + _where(error.absolute_path),
                    detail=detail)
            fields.setdefault(pointer, set()).update(_fields(parts, error))

    if fresh.get("stream") or is_session(fresh):
        members = {}
        items = schema.get("items") if isinstance(schema, dict) else None
        union = items.get("anyOf") if isinstance(items, dict) else None
        for i, m in enumerate(union if isinstance(union, list) else []):
            props = m.get("properties") if isinstance(m, dict) else None
            pinned = props.get("type") if isinstance(props, dict) else None
            const = pinned.get("const") if isinstance(pinned, dict) else None
            if isinstance(const, str):
                members[const] = (i, safe_validator_for(m, registry=LOCAL_ONLY, check_formats=True),
                                  safe_validator_for(m.get("x-data", True), registry=LOCAL_ONLY,
                                                     check_formats=True))
        for s in _samples(fresh):
            for e in s.get("events", []) or []:
                name = event_type(e)
                if name not in members:
                    continue  # a new event type: additive, the schema diff reports it
                i, validator, data_validator = members[name]
                data = e.get("data")
                if isinstance(data, dict):  # the type was the dispatch (infer_events pins it to the name)
                    errors = validator.iter_errors({**data, "type": name})
                    where = ["items", "anyOf", i]
                else:  # data that is no object: its values are inferred under x-data
                    errors, where = data_validator.iter_errors(data), ["items", "anyOf", i, "x-data"]
                for error in errors:
                    report(error, where, f"event {name}")
    else:
        validator = safe_validator_for(schema, registry=LOCAL_ONLY, check_formats=True)
        for s in _samples(fresh):
            for error in validator.iter_errors(s.get("body")):
                report(error, [], "body")
    return fields


_SUBJECT = re.compile(r"\bschema(?=[.\[ ])")


def diff_schemas(case: str, op: str, base_source: str, base_schema: dict | bool, fresh_schema: dict) -> list[Change]:
    report = diff_documents(Document(base_source, base_schema), Document(f"fresh:{case}", fresh_schema),
                            DiffOptions(direction="response"))
    return [dataclasses.replace(c, operations=(op,), message=_SUBJECT.sub(case, c.message, count=1),
                                pointer=f"#/{case}" + c.pointer[1:], fingerprint="")
            for c in report.changes]


def merge_views(schema_changes: list[Change], violations: list[Change], fields: dict[str, set[str]]) -> list[Change]:
    """One entry per recorded change. A `recorded-schema-violation` joins the schema change at the
    place it is about (see `_fields`; or a change inside that place, or a breaking change around it).
    The entry is named after the worse view: the schema change when it is at least as severe (a
    property removed, a type changed: the violation adds what the fresh body showed), else the
    violation (a value breaking a hand-tightened contract whose keyword the fresh, inferred schema
    lacks: the schema view adds what changed). A violation no schema change explains stays alone."""
    joined: dict[int, list[Change]] = {}
    alone: list[Change] = []
    for v in violations:
        host = _host(schema_changes, fields.get(v.pointer, set()), v)
        if host is None:
            alone.append(v)
        else:
            joined.setdefault(host, []).append(v)
    out = []
    for i, c in enumerate(schema_changes):
        seen = joined.get(i)
        if seen:
            worst = max(seen, key=lambda v: v.severity)
            if worst.severity > c.severity:
                c = dataclasses.replace(worst, message=f"{worst.message} (schema: {c.message})")
            else:
                words = "; ".join(v.message for v in seen[:2])
                words += f"; and {len(seen) - 2} more" if len(seen) > 2 else ""
                c = dataclasses.replace(c, message=f"{c.message} (recorded: {words})")
        out.append(c)
    return out + alone


def _host(changes: list[Change], places: set[str], violation: Change) -> int | None:
    """The schema change a violation is about: at its place, inside it, or a breaking one around it."""
    for test in (lambda c: c.pointer in places,
                 lambda c: any(c.pointer.startswith(p + "/") for p in places),
                 lambda c: c.severity >= violation.severity and any(p.startswith(c.pointer + "/") for p in places)):
        found = next((i for i, c in enumerate(changes) if test(c)), None)
        if found is not None:
            return found
    return None


def compare(fresh: dict[str, dict], fresh_schemas: dict[str, dict], snapshots_dir: str, schemas_dir: str,
            values: dict[str, ValueRules] | None = None, limits: Limits = DEFAULT_LIMITS) -> Report:
    """`fresh`: case name -> snapshot just recorded. The baseline is read from the two directories,
    each file within `limits` (--max-size).
    `values`: case name -> its volatile paths and pins (record/values.py; default: the built-in ones)."""
    out, violations = Collector(), Collector()
    schema_changes: list[Change] = []
    fields: dict[str, set[str]] = {}
    notes: list[str] = []
    for case, snap in fresh.items():
        op = _operation(snap)
        base_path = snapshot_path(snapshots_dir, case)
        if not os.path.exists(base_path):
            out.add("recorded-case-new", f"#/{case}", op, subject=case)
            continue
        base = load_snapshot(base_path, limits)
        spath = schema_path(schemas_dir, case)
        base_schema = load_json(spath, limits) if os.path.exists(spath) else infer_snapshot(base)
        compare_headers(case, base, snap, out)
        schema_changes += diff_schemas(case, op, spath, base_schema, fresh_schemas[case])
        fields.update(validate_fresh(case, base_schema, snap, violations, spath))
        note = compare_values(case, op, base, snap, (values or {}).get(case, ValueRules()), out)
        if note:
            notes.append(note)
    changes = out.changes() + merge_views(schema_changes, violations.changes(), fields)
    return Report(changes=changes, old_source=snapshots_dir, new_source="fresh recording", notes=notes)
