"""pytest plugin (entry point `apicompat`): snapshot the schema of API responses in your tests.

    def test_job(client, apicompat_snapshot):
        apicompat_snapshot(client.get("/jobs/1"))

* `pytest --apicompat-update` writes the schema inferred from the response body (types, required
  properties, array items) to a baseline file named from the test's whole node id:
  `<rootdir>/__apicompat__/tests/test_api.py/test_job.json` for `tests/test_api.py::test_job`, so two
  tests of the same name in two files never share one.
* `pytest --apicompat-check` infers the schema again, diffs the baseline against it as a response
  (`apicompat.api.diff_schemas`) and fails the test on a breaking change.
* Without either option the fixture only returns the inferred schema.

Only `pytest` and the standard library are imported when pytest loads the plugin (it does in every
pytest run where apicompat is installed); apicompat's own modules load when the fixture is used.
"""

from __future__ import annotations

import hashlib
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
    """The schema of one sample (apicompat.record.infer): a place that held only null there is any
    value (`x-apicompat-unknown`), not `type: null`, so a later string is not a breaking change; one
    seen as a string that turns null still is."""
    from .record.infer import infer_values  # start-up time: the plugin loads in every pytest run

    return infer_values([value])


def body_of(response: object) -> object:
    """A dict/list as is; an httpx or requests response through `.json()`."""
    if isinstance(response, (dict, list)):
        return response
    method = getattr(response, "json", None)
    if callable(method):
        return method()
    raise TypeError(f"apicompat_snapshot: expected a response or a dict, got {type(response).__name__}")


_SAFE = re.compile(r"[A-Za-z0-9_.\[\]=+-]+")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.\[\]=+-]+")
MAX_SEGMENT = 80


def safe_segment(text: str) -> str:
    """One file-name segment for `text`: itself when it is plainly safe, else a readable form plus
    8 hex digits of its sha256, so different texts never share a file (`[a/b]` and `[a:b]` both
    read `[a_b]`, with different digits). Never empty, `.` or `..`; at most ~90 characters."""
    if _SAFE.fullmatch(text) and text.strip(".") and len(text) <= MAX_SEGMENT and not text.startswith("."):
        return text
    readable = _UNSAFE.sub("_", text).strip("._")[:MAX_SEGMENT] or "_"
    return f"{readable}-{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def baseline_parts(nodeid: str) -> list[str]:
    """`tests/test_api.py::TestJobs::test_get[a/b]` -> [`tests`, `test_api.py`, `TestJobs`,
    `test_get[a_b]-<hash>`]: the file's path segments, then each `::` part of the node id."""
    file_part, *names = nodeid.split("::")
    parts = [p for p in file_part.split("/") if p not in ("", ".")] + names
    return [safe_segment(p) for p in parts] or ["snapshot"]


class Snapshot:
    def __init__(self, request) -> None:
        self.request = request
        config = request.config
        self.check = config.getoption("apicompat_check", False)
        self.update = config.getoption("apicompat_update", False)
        self.directory = Path(str(config.rootpath)) / SNAPSHOT_DIR
        self.calls = 0

    def path_for(self, name: str | None) -> Path:
        """`<test>.json` (then `<test>-2.json`, ...) for unnamed calls; `<test>/<name>.json` for named ones."""
        *folders, test = baseline_parts(self.request.node.nodeid)
        self.calls += 1
        if name is None:
            file = test if self.calls == 1 else f"{test}-{self.calls}"
            return self.directory.joinpath(*folders, f"{file}.json")
        return self.directory.joinpath(*folders, test, f"{safe_segment(name)}.json")

    def shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.directory.parent).as_posix()
        except ValueError:  # pragma: no cover
            return str(path)

    def __call__(self, response: object, name: str | None = None) -> dict:
        schema = _infer(body_of(response))
        path = self.path_for(name)
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        elif self.check:
            if not path.exists():
                pytest.fail(f"apicompat: no baseline {self.shown(path)}; run pytest --apicompat-update first",
                            pytrace=False)
            baseline = json.loads(path.read_text(encoding="utf-8"))
            from .api import diff_schemas  # start-up time: the plugin loads in every pytest run
            from .model import Severity  # start-up time: the plugin loads in every pytest run
            from .report.options import RenderOptions  # start-up time: the plugin loads in every pytest run
            from .report.text import render  # start-up time: the plugin loads in every pytest run

            report = diff_schemas(baseline, schema, "response")
            if report.fails(Severity.BREAKING):
                breaking = [c for c in report.active if c.severity is Severity.BREAKING]
                lines = [f"apicompat: the response schema breaks its baseline {self.shown(path)} "
                         f"({len(breaking)} breaking change(s)):"]
                lines += [f"  {c.rule}: {c.message} at {c.pointer}" for c in breaking]
                pytest.fail("\n".join(lines) + "\n\n" + render(report, RenderOptions(colour=False)), pytrace=False)
        return schema


@pytest.fixture
def apicompat_snapshot(request) -> Snapshot:
    """`apicompat_snapshot(response, name=None)`: write (--apicompat-update) or check
    (--apicompat-check) the schema of a response body against `__apicompat__/<name>.json`."""
    return Snapshot(request)
