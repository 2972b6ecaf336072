"""The pytest plugin: --apicompat-update writes a baseline, --apicompat-check fails on a breaking
change and passes on an additive one; responses with `.json()` and dicts both work."""

from __future__ import annotations

import json

from apicompat.pytest_plugin import safe_segment

pytest_plugins = ["pytester"]

TEST_FILE = """
import json, os

class FakeResponse:  # stands in for an httpx / requests response
    def __init__(self, body):
        self._body = body
    def json(self):
        return self._body

BODY = json.loads(os.environ["APICOMPAT_BODY"])

def test_job(apicompat_snapshot):
    apicompat_snapshot(FakeResponse(BODY))

def test_named(apicompat_snapshot):
    schema = apicompat_snapshot({"object": "list", "data": [{"id": "a"}]}, name="jobs list")
    assert schema["type"] == "object"
"""


def run(pytester, monkeypatch, body: dict, *args: str):
    monkeypatch.setenv("APICOMPAT_BODY", json.dumps(body))
    return pytester.runpytest_inprocess(*args, "-p", "no:cacheprovider")


def test_update_then_check(pytester, monkeypatch):
    pytester.makepyfile(test_api=TEST_FILE)
    base = {"id": "job_1", "status": "done", "score": 0.5, "steps": [{"name": "a"}]}

    result = run(pytester, monkeypatch, base, "--apicompat-update")
    result.assert_outcomes(passed=2)
    snap_dir = pytester.path / "__apicompat__" / "test_api.py"
    baseline = json.loads((snap_dir / "test_job.json").read_text())
    assert baseline["type"] == "object" and set(baseline["required"]) == {"id", "status", "score", "steps"}
    assert baseline["properties"]["steps"]["items"]["properties"]["name"]["type"] == "string"
    assert (snap_dir / "test_named" / f"{safe_segment('jobs list')}.json").exists()
    assert safe_segment("jobs list").startswith("jobs_list-")

    result = run(pytester, monkeypatch, base, "--apicompat-check")
    result.assert_outcomes(passed=2)

    additive = dict(base, created=123)
    run(pytester, monkeypatch, additive, "--apicompat-check").assert_outcomes(passed=2)

    broken = {k: v for k, v in base.items() if k != "score"}
    result = run(pytester, monkeypatch, broken, "--apicompat-check")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*breaks its baseline __apicompat__/test_api.py/test_job.json*", "*score*"])

    # without either option the fixture only infers
    run(pytester, monkeypatch, broken).assert_outcomes(passed=2)


def test_check_without_baseline_fails(pytester, monkeypatch):
    pytester.makepyfile(test_api=TEST_FILE)
    result = run(pytester, monkeypatch, {"id": "x"}, "--apicompat-check")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*no baseline*--apicompat-update*"])


def test_options_are_exclusive(pytester, monkeypatch):
    pytester.makepyfile(test_api=TEST_FILE)
    result = run(pytester, monkeypatch, {}, "--apicompat-check", "--apicompat-update")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*exclusive*"])


SAME_NAME = """
def test_job(apicompat_snapshot):
    apicompat_snapshot({"kind": KIND, "n": 1})
"""


def test_same_test_name_in_two_files_keeps_two_baselines(pytester, monkeypatch):
    """Baselines are named from the whole node id: tests/a/test_x.py::test_job and
    tests/b/test_x.py::test_job (and test_y.py::test_job) never share a file."""
    for folder, kind in (("a", "a-string"), ("b", 2)):
        pytester.mkpydir(f"tests_{folder}")
        (pytester.path / f"tests_{folder}" / "test_x.py").write_text(f"KIND = {kind!r}\n" + SAME_NAME)
    pytester.makepyfile(test_y="KIND = None\n" + SAME_NAME)
    run(pytester, monkeypatch, {}, "--apicompat-update").assert_outcomes(passed=3)
    snaps = pytester.path / "__apicompat__"
    a = json.loads((snaps / "tests_a" / "test_x.py" / "test_job.json").read_text())
    b = json.loads((snaps / "tests_b" / "test_x.py" / "test_job.json").read_text())
    assert a["properties"]["kind"] == {"type": "string"} and b["properties"]["kind"] == {"type": "integer"}
    assert (snaps / "test_y.py" / "test_job.json").exists()
    run(pytester, monkeypatch, {}, "--apicompat-check").assert_outcomes(passed=3)


PARAMETRISED = """
import pytest

@pytest.mark.parametrize("value", ["a/b", "a:b", "a_b", "../up", "x\\ny"], ids=lambda v: v)
def test_p(apicompat_snapshot, value):
    apicompat_snapshot({"id": value, value.replace("/", "").replace(":", "").replace(".", "") or "k": 1})
"""


def test_parametrised_ids_never_share_a_file_nor_leave_the_folder(pytester, monkeypatch):
    """pytest ids `[a/b]` and `[a:b]` both read `[a_b]` once made safe: the digest of the whole id
    keeps them apart; `..` and newlines never reach the file system as such."""
    pytester.makepyfile(test_p=PARAMETRISED)
    run(pytester, monkeypatch, {}, "--apicompat-update").assert_outcomes(passed=5)
    snaps = pytester.path / "__apicompat__"
    files = sorted(p for p in snaps.rglob("*.json"))
    assert len(files) == 5, files
    assert all(p.resolve().is_relative_to(snaps.resolve()) for p in files)
    assert (snaps / "test_p.py" / "test_p[a_b].json").exists()  # the plainly safe id is kept as is
    assert all("\n" not in p.name and ":" not in p.name for p in files)
    assert not list(pytester.path.glob("up*")) and not list((pytester.path.parent).glob("*up*.json"))
    run(pytester, monkeypatch, {}, "--apicompat-check").assert_outcomes(passed=5)


NULL_FIELD = """
import json, os

def test_user(apicompat_snapshot):
    apicompat_snapshot(json.loads(os.environ["APICOMPAT_BODY"]))
"""


def test_a_field_null_in_the_only_sample_is_unknown_not_null(pytester, monkeypatch):
    pytester.makepyfile(test_user=NULL_FIELD)
    run(pytester, monkeypatch, {"id": "u1", "nickname": None}, "--apicompat-update").assert_outcomes(passed=1)
    baseline = json.loads((pytester.path / "__apicompat__" / "test_user.py" / "test_user.json").read_text())
    assert "type" not in baseline["properties"]["nickname"], baseline  # any value, nullable
    assert "nickname" in baseline["required"]
    # the field later holds a string, or stays null: neither breaks the baseline
    run(pytester, monkeypatch, {"id": "u1", "nickname": "bo"}, "--apicompat-check").assert_outcomes(passed=1)
    run(pytester, monkeypatch, {"id": "u1", "nickname": None}, "--apicompat-check").assert_outcomes(passed=1)
    # near pair: a field seen as a string that turns null is still breaking, and so is its removal
    run(pytester, monkeypatch, {"id": "u1", "nickname": "bo"}, "--apicompat-update").assert_outcomes(passed=1)
    run(pytester, monkeypatch, {"id": "u1", "nickname": None}, "--apicompat-check").assert_outcomes(failed=1)
    run(pytester, monkeypatch, {"id": "u1"}, "--apicompat-check").assert_outcomes(failed=1)


def test_loading_the_plugin_imports_nothing_heavy(pytester):
    """The plugin is loaded in every pytest run where apicompat is installed: until a test uses the
    fixture with one of its options, only the plugin module itself (and the light package) loads."""
    pytester.makepyfile(test_plain="""
import sys

def test_modules():
    ours = sorted(m for m in sys.modules if m.startswith("apicompat"))
    heavy = sorted(m for m in ("jsonschema", "httpx", "yaml", "yaml_rs", "click", "referencing") if m in sys.modules)
    print("OURS", ours, "HEAVY", heavy)
""")
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    line = next(line for line in result.outlines if "OURS" in line)
    assert line[line.index("OURS"):] == "OURS ['apicompat', 'apicompat.pytest_plugin'] HEAVY []", line
