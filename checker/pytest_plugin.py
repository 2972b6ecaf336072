"""pytest plugin (entry point `apicompat`): snapshot the schema of API responses in your tests.

    def test_job(client, apicompat_snapshot):
        apicompat_snapshot(client.get("/jobs/1"))

* `pytest --apicompat-update` writes `<rootdir>/__apicompat__/<test-name>.json`: the schema
  inferred from the response body (types, required properties, array items).
* `pytest --apicompat-check` infers the schema again, diffs the baseline against it as a response
  (`checker.api.diff_schemas`) and fails the test on a breaking change.
* Without either option the fixture only returns the inferred schema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

SNAPSHOT_DIR = "__apicompat__"


def pytest_addoption(parser) -> None:
    group = parser.getgroup("apicompat", "API response schema snapshots (apicompat)")
    group.addoption("--apicompat-check", action="store_true", default=False,
                    help="Fail tests whose response schema breaks its __apicompat__ baseline.")
    group.addoption("--apicompat-update", action="store_true", default=False,
                    help="Write the __apicompat__ baselines from the current responses.")


def pytest_configure(config) -> None:
    if config.getoption("apicompat_check", False) and config.getoption("apicompat_update", False):
        raise pytest.UsageError("--apicompat-check and --apicompat-update are exclusive")


# ---- schema inference (a small one; checker.infer.infer_schema is used when it exists) ----

def _type_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def _merge(a: dict, b: dict) -> dict:
    """The schema of values seen as `a` or as `b`."""
    if a == b:
        return a
    ta, tb = a.get("type"), b.get("type")
    if ta == tb == "object":
        props = dict(a.get("properties", {}))
        for k, v in b.get("properties", {}).items():
            props[k] = _merge(props[k], v) if k in props else v
        required = sorted(set(a.get("required", [])) & set(b.get("required", [])))
        out: dict = {"type": "object", "properties": props}
        if required:
            out["required"] = required
        return out
    if ta == tb == "array":
        if "items" in a and "items" in b:
            return {"type": "array", "items": _merge(a["items"], b["items"])}
        return {"type": "array", **({"items": a.get("items") or b.get("items")} if (a.get("items") or b.get("items")) else {})}
    if {ta, tb} == {"integer", "number"}:
        return {"type": "number"}
    if isinstance(ta, str) and isinstance(tb, str) and "null" in (ta, tb):
        base = a if tb == "null" else b
        return {**base, "type": [base["type"], "null"]} if isinstance(base.get("type"), str) else base
    return {"anyOf": [a, b]}


def infer_schema(value: object) -> dict:
    kind = _type_of(value)
    if kind == "object":
        props = {str(k): infer_schema(v) for k, v in value.items()}  # type: ignore[union-attr]
        out: dict = {"type": "object", "properties": props}
        if props:
            out["required"] = sorted(props)
        return out
    if kind == "array":
        items = [infer_schema(v) for v in value]  # type: ignore[union-attr]
        if not items:
            return {"type": "array"}
        merged = items[0]
        for item in items[1:]:
            merged = _merge(merged, item)
        return {"type": "array", "items": merged}
    return {"type": kind}


def _infer(value: object) -> dict:
    """The recorder's inference (checker.infer) when present, else the small one above."""
    try:
        from checker import infer as external  # type: ignore[attr-defined]
    except ImportError:
        return infer_schema(value)
    if hasattr(external, "infer_schema"):
        return external.infer_schema(value)
    if hasattr(external, "infer_values"):
        return external.infer_values([value])
    return infer_schema(value)


def body_of(response: object) -> object:
    """A dict/list as is; an httpx or requests response through `.json()`."""
    if isinstance(response, (dict, list)):
        return response
    method = getattr(response, "json", None)
    if callable(method):
        return method()
    raise TypeError(f"apicompat_snapshot: expected a response or a dict, got {type(response).__name__}")


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "snapshot"


class Snapshot:
    def __init__(self, request) -> None:
        self.request = request
        config = request.config
        self.check = config.getoption("apicompat_check", False)
        self.update = config.getoption("apicompat_update", False)
        self.directory = Path(str(config.rootpath)) / SNAPSHOT_DIR
        self.calls = 0

    def path_for(self, name: str | None) -> Path:
        self.calls += 1
        if name is None:
            name = _safe_name(self.request.node.name)
            if self.calls > 1:
                name = f"{name}-{self.calls}"
        else:
            name = _safe_name(name)
        return self.directory / f"{name}.json"

    def __call__(self, response: object, name: str | None = None) -> dict:
        schema = _infer(body_of(response))
        path = self.path_for(name)
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        elif self.check:
            if not path.exists():
                pytest.fail(f"apicompat: no baseline {path}; run pytest --apicompat-update first", pytrace=False)
            baseline = json.loads(path.read_text(encoding="utf-8"))
            from checker.api import diff_schemas
            from checker.model import Severity
            from checker.report.text import render

            report = diff_schemas(baseline, schema, "response")
            if report.fails(Severity.BREAKING):
                breaking = [c for c in report.active if c.severity is Severity.BREAKING]
                lines = [f"apicompat: the response schema breaks its baseline {path.name} "
                         f"({len(breaking)} breaking change(s)):"]
                lines += [f"  {c.rule}: {c.message} at {c.pointer}" for c in breaking]
                pytest.fail("\n".join(lines) + "\n\n" + render(report, colour=False), pytrace=False)
        return schema


@pytest.fixture
def apicompat_snapshot(request) -> Snapshot:
    """`apicompat_snapshot(response, name=None)`: write (--apicompat-update) or check
    (--apicompat-check) the schema of a response body against `__apicompat__/<name>.json`."""
    return Snapshot(request)
