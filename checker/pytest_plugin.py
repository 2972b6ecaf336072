"""pytest plugin (entry point `apicompat`): snapshot the schema of API responses in your tests.

    def test_job(client, apicompat_snapshot):
        apicompat_snapshot(client.get("/jobs/1"))

* `pytest --apicompat-update` writes `<rootdir>/__apicompat__/<test-name>.json`: the schema
  inferred from the response body (types, required properties, array items).
* `pytest --apicompat-check` infers the schema again, diffs the baseline against it as a response
  (`apicompat.api.diff_schemas`) and fails the test on a breaking change.
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


def _infer(value: object) -> dict:
    from apicompat.record.infer import infer_values

    return infer_values([value])


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
            from apicompat.api import diff_schemas
            from apicompat.model import Severity
            from apicompat.report.text import render

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
