"""What a new user does: build the wheel, install it into a new venv outside the repository, and
run every command from an empty folder. Nothing of the checkout may be needed (the JSON Schemas of
our formats ship in the wheel; the version, licence and URLs are in its metadata)."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import JOBS_SPEC, JOBS_SPEC_BREAKING

from apicompat import __version__

OLD, NEW = JOBS_SPEC, JOBS_SPEC_BREAKING


def run(installed, cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed.apicompat), *args], cwd=cwd, env=installed.env(), input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def empty(tmp_path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_the_wheel_holds_the_package_its_schemas_licence_and_metadata(installed):
    with zipfile.ZipFile(installed.wheel) as whl:
        names = set(whl.namelist())
        meta = whl.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert {"apicompat/schemas/report.schema.json", "apicompat/schemas/policy.schema.json",
            "apicompat/cli/main.py", "apicompat/pytest_plugin.py"} <= names
    assert not any(n.startswith(("checker/", "tests/", "schemas/")) for n in names)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert f"\nVersion: {__version__}\n" in meta
    assert "\nLicense-Expression: Apache-2.0\n" in meta
    assert "\nProject-URL: Homepage, " in meta


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, empty):
    where = subprocess.run([str(installed.python), "-c", "import apicompat, sys; print(apicompat.__file__)"],
                           cwd=empty, env=installed.env(), capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(installed.venv), where


def test_version(installed, empty):
    r = run(installed, empty, "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"apicompat, version {__version__}"
    r = subprocess.run([str(installed.python), "-m", "apicompat", "--version"], cwd=empty, env=installed.env(),
                       capture_output=True, text=True)
    assert r.stdout.strip() == f"apicompat, version {__version__}"


def test_diff_two_small_specs_from_an_empty_folder(installed, empty):
    (empty / "old.yaml").write_text(OLD)
    (empty / "new.yaml").write_text(NEW)
    r = run(installed, empty, "diff", "old.yaml", "new.yaml")
    assert r.returncode == 1 and "response-property-removed" in r.stdout, r.stderr
    assert run(installed, empty, "diff", "old.yaml", "old.yaml").returncode == 0
    r = run(installed, empty, "diff", "old.yaml", "new.yaml", "--format", "sarif", "--fail-on", "none")
    driver = json.loads(r.stdout)["runs"][0]["tool"]["driver"]
    assert driver["version"] == __version__ and driver["informationUri"].startswith("https://")
    assert "openai" not in driver["informationUri"]
    for fmt in ("json", "markdown", "junit", "github", "html", "text"):
        r = run(installed, empty, "diff", "old.yaml", "new.yaml", "--format", fmt, "-o", f"report.{fmt}")
        assert r.returncode == 1 and (empty / f"report.{fmt}").stat().st_size > 0, (fmt, r.stderr)
    r = run(installed, empty, "changelog", "old.yaml", "new.yaml")
    assert r.returncode == 0 and "response-property-removed" in r.stdout


def test_render_checks_reports_against_the_shipped_schema(installed, empty):
    (empty / "old.yaml").write_text(OLD)
    (empty / "new.yaml").write_text(NEW)
    run(installed, empty, "diff", "old.yaml", "new.yaml", "--format", "json", "-o", "report.json")
    r = run(installed, empty, "render", "report.json", "--format", "markdown")
    assert r.returncode == 0 and "response-property-removed" in r.stdout
    (empty / "bad.json").write_text(json.dumps({"summary": {}, "changes": [{"rule": 1}], "old": "", "new": "",
                                                "notes": []}))
    r = run(installed, empty, "render", "bad.json")
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("apicompat: error: bad.json: #/") and "not an apicompat JSON report" in r.stderr
    assert len(r.stderr.splitlines()) == 1 and "internal error" not in r.stderr


def test_rules_and_help(installed, empty):
    r = run(installed, empty, "rules", "--format", "json")
    assert r.returncode == 0 and len(json.loads(r.stdout)) >= 500
    r = run(installed, empty, "--help")
    assert r.returncode == 0
    for command in ("diff", "gate", "changelog", "diff-files", "render", "rules", "record", "check", "accept",
                    "conform", "mock-server"):
        assert f"\n  {command} " in r.stdout, command


def test_the_pytest_plugin_loads_from_the_wheel(installed, empty):
    (empty / "test_api.py").write_text(
        "def test_job(apicompat_snapshot):\n    apicompat_snapshot({'id': 'job_1', 'score': 0.5})\n")
    r = subprocess.run([str(installed.python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--apicompat-update"],
                       cwd=empty, env=installed.env(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (empty / "__apicompat__" / "test_api.py" / "test_job.json").exists()
