"""The pytest plugin: --apicompat-update writes a baseline, --apicompat-check fails on a breaking
change and passes on an additive one; responses with `.json()` and dicts both work."""

from __future__ import annotations

import json

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
    snap_dir = pytester.path / "__apicompat__"
    baseline = json.loads((snap_dir / "test_job.json").read_text())
    assert baseline["type"] == "object" and set(baseline["required"]) == {"id", "status", "score", "steps"}
    assert baseline["properties"]["steps"]["items"]["properties"]["name"]["type"] == "string"
    assert (snap_dir / "jobs_list.json").exists()

    result = run(pytester, monkeypatch, base, "--apicompat-check")
    result.assert_outcomes(passed=2)

    additive = dict(base, created=123)
    run(pytester, monkeypatch, additive, "--apicompat-check").assert_outcomes(passed=2)

    broken = {k: v for k, v in base.items() if k != "score"}
    result = run(pytester, monkeypatch, broken, "--apicompat-check")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*breaks its baseline test_job.json*", "*score*"])

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
