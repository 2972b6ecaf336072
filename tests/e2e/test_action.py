"""The composite GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml), run
the way GitHub's runner and pre-commit run them: each `run:` script with `bash --noprofile --norc
-eo pipefail`, the env the runner sets (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP,
GITHUB_BASE_REF, GITHUB_ACTION_PATH, ...) and the step's `env:` with its expressions evaluated, in
a real git repository made in a temporary directory, with apicompat installed from the built wheel.

The install step itself needs PyPI for apicompat's dependencies: it runs only with
APICOMPAT_NETWORK_TESTS=1; otherwise the later steps use the session's wheel install, which is
what that step makes (a venv with apicompat built from the action's checkout)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import JOBS_SPEC, JOBS_SPEC_ADDITIVE, JOBS_SPEC_BREAKING

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())

SPEC_V1, SPEC_V2, SPEC_ADDITIVE = JOBS_SPEC, JOBS_SPEC_BREAKING, JOBS_SPEC_ADDITIVE


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.email=ci@example.com", "-c", "user.name=ci",
                           "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", *args],
                          check=True, capture_output=True, text=True)


def origin_repo(tmp_path: Path) -> Path:
    """The repository a checkout clones: openapi.yaml (SPEC_V1) committed on main."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q")
    (origin / "openapi.yaml").write_text(SPEC_V1)
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "v1")
    return origin


def pull_request_repo(tmp_path: Path, new_spec: str = SPEC_V2) -> Path:
    """A clone as actions/checkout leaves it on a pull request: the PR branch checked out shallow,
    single-branch, so the base branch (origin/main) is not there until fetched."""
    origin = origin_repo(tmp_path)
    git(origin, "checkout", "-qb", "feature")
    (origin / "openapi.yaml").write_text(new_spec)
    git(origin, "commit", "-qam", "v2")
    git(origin, "checkout", "-q", "main")
    work = tmp_path / "work"
    subprocess.run(["git", "-c", "protocol.file.allow=always", "clone", "-q", "--depth", "1", "--branch",
                    "feature", "--single-branch", origin.as_uri(), str(work)], check=True, capture_output=True)
    assert git(work, "branch", "-r").stdout.strip() == "origin/feature"
    return work


class Runner:
    """What the Actions runner provides to a composite action's steps."""

    def __init__(self, tmp_path: Path, installed, **extra: str) -> None:
        self.temp = tmp_path / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.output = tmp_path / "github-output"
        self.summary = tmp_path / "step-summary.md"
        self.installed = installed
        self.env = {**installed.env(), "GITHUB_ACTIONS": "true", "CI": "true", "RUNNER_TEMP": str(self.temp),
                    "GITHUB_OUTPUT": str(self.output), "GITHUB_STEP_SUMMARY": str(self.summary),
                    "GITHUB_ACTION_PATH": str(installed.source), "GITHUB_SERVER_URL": "https://github.com",
                    "GITHUB_REPOSITORY": "octo/api", "GITHUB_RUN_ID": "42", **extra}

    def outputs(self) -> dict[str, str]:
        if not self.output.exists():
            return {}
        return dict(line.split("=", 1) for line in self.output.read_text().splitlines() if "=" in line)

    def run(self, step_id: str, cwd: Path, inputs: dict[str, str], steps: dict[str, dict]) -> subprocess.CompletedProcess:
        step = next(s for s in ACTION["runs"]["steps"] if s.get("id") == step_id)
        defaults = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
        values = {**defaults, **inputs}

        def evaluate(match: re.Match) -> str:
            expr = match.group(1)
            if expr.startswith("inputs."):
                return values[expr[len("inputs."):]]
            kind, name, _, key = expr.split(".")
            assert kind == "steps"
            return steps[name][key]

        env = {**self.env, **{k: re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", evaluate, str(v))
                              for k, v in (step.get("env") or {}).items()}}
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=cwd,
                              env=env, capture_output=True, text=True, timeout=300)


def run_action(tmp_path: Path, installed, cwd: Path, inputs: dict[str, str], **runner_env: str):
    runner = Runner(tmp_path, installed, **runner_env)
    result = runner.run("diff", cwd, inputs, {"install": {"bin": str(installed.bin)}})
    return result, runner


def test_the_action_is_composite_and_pastes_nothing_into_scripts():
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], step["name"]
    install = ACTION["runs"]["steps"][0]["run"]
    (pip_line,) = [line for line in install.splitlines() if "pip install" in line]
    assert pip_line.rstrip().endswith('"$GITHUB_ACTION_PATH"')  # the action's own checkout, never PyPI
    assert " apicompat" not in pip_line
    assert {"spec", "base", "revision", "fail-on", "policy", "format", "sarif"} <= set(ACTION["inputs"])


def test_a_breaking_pull_request(tmp_path, installed):
    work = pull_request_repo(tmp_path)
    result, runner = run_action(tmp_path, installed, work, {"sarif": "apicompat.sarif"}, GITHUB_BASE_REF="main")
    assert result.returncode == 1, result.stderr
    assert "reach --fail-on breaking" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::notice title=apicompat summary::apicompat: 1 breaking")
    assert any(line.startswith("::error file=openapi.yaml,line=") and "title=response-property-removed" in line
               for line in lines)
    summary = runner.summary.read_text()
    assert summary.startswith("## API compatibility report") and "`response-property-removed`" in summary
    outputs = runner.outputs()
    assert outputs["breaking"] == "1" and outputs["warning"] == "0"
    report = json.loads(Path(outputs["report"]).read_text())
    assert report["old"] == "git:origin/main:./openapi.yaml" and report["new"] == "openapi.yaml"
    sarif = json.loads((work / "apicompat.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "response-property-removed"
    assert git(work, "branch", "-r").stdout.split() == ["origin/feature", "origin/main"]  # fetched the base


def test_an_additive_pull_request_passes_and_fail_on_decides(tmp_path, installed):
    work = pull_request_repo(tmp_path, SPEC_ADDITIVE)
    result, runner = run_action(tmp_path, installed, work, {}, GITHUB_BASE_REF="main")
    assert result.returncode == 0, result.stderr
    assert runner.outputs()["additive"] == "1"
    result, _ = run_action(tmp_path, installed, work, {"fail-on": "additive", "format": "text"},
                           GITHUB_BASE_REF="main")
    assert result.returncode == 1 and "response-property-added" in result.stdout
    assert not result.stdout.startswith("::")


def test_push_compares_with_the_previous_commit_and_skips_a_new_spec(tmp_path, installed):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README").write_text("x\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "start")
    (repo / "openapi.yaml").write_text(SPEC_V1)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "the spec arrives")
    result, runner = run_action(tmp_path, installed, repo, {})  # no GITHUB_BASE_REF: base HEAD^
    assert result.returncode == 0 and "not in HEAD^ (a new spec)" in result.stderr
    assert runner.outputs()["breaking"] == "0"
    (repo / "openapi.yaml").write_text(SPEC_V2)
    git(repo, "commit", "-qam", "v2")
    result, runner = run_action(tmp_path, installed, repo, {})
    assert result.returncode == 1 and runner.outputs()["breaking"] == "1"


def test_a_base_missing_from_a_shallow_checkout_is_an_error_not_a_new_spec(tmp_path, installed):
    """A push checked out as actions/checkout does by default (one commit): HEAD^ is not there, so
    nothing can be compared; that is exit 2 with one line, never "a new spec" and a pass."""
    origin = origin_repo(tmp_path)
    (origin / "openapi.yaml").write_text(SPEC_V2)
    git(origin, "commit", "-qam", "v2")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "-c", "protocol.file.allow=always", "clone", "-q", "--depth", "1", origin.as_uri(),
                    str(shallow)], check=True, capture_output=True)
    result, runner = run_action(tmp_path, installed, shallow, {})  # a push: base HEAD^
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "apicompat: error: base HEAD^ is not a commit in this checkout (a shallow one? actions/checkout with "
        "fetch-depth: 0)"]
    assert "breaking" not in runner.outputs()
    full = tmp_path / "full"  # the same push with its history: compared
    subprocess.run(["git", "clone", "-q", str(origin), str(full)], check=True, capture_output=True)
    result, runner = run_action(tmp_path, installed, full, {})
    assert result.returncode == 1 and runner.outputs()["breaking"] == "1"


def test_inputs_are_data_not_shell(tmp_path, installed):
    """Hostile inputs arrive through env: and are never evaluated by the shell."""
    work = pull_request_repo(tmp_path)
    result, _ = run_action(tmp_path, installed, work, {"policy": "$(touch pwned)`touch pwned2`"},
                           GITHUB_BASE_REF="main")
    assert result.returncode == 2 and "$(touch pwned)" in result.stderr
    result, _ = run_action(tmp_path, installed, work, {"base": "--upload-pack=touch pwned3"})
    assert result.returncode == 2
    assert not list(work.glob("pwned*")) and not list(tmp_path.glob("pwned*"))


def test_a_bad_spec_fails_with_one_clear_line(tmp_path, installed):
    work = pull_request_repo(tmp_path, "openapi: 3.1.0\npaths: [\n")
    result, _ = run_action(tmp_path, installed, work, {}, GITHUB_BASE_REF="main")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("apicompat: error: openapi.yaml")


@pytest.mark.skipif(not os.environ.get("APICOMPAT_NETWORK_TESTS"),
                    reason="installs apicompat's dependencies from PyPI: set APICOMPAT_NETWORK_TESTS=1")
def test_the_install_step_installs_from_the_action_checkout(tmp_path, installed):
    runner = Runner(tmp_path, installed)
    result = runner.run("install", tmp_path, {}, {})
    assert result.returncode == 0, result.stderr
    bin_dir = Path(runner.outputs()["bin"])
    assert bin_dir.is_relative_to(runner.temp) and (bin_dir / "apicompat").exists()
    version = subprocess.run([str(bin_dir / "apicompat"), "--version"], capture_output=True, text=True).stdout
    assert version.startswith("apicompat, version ")


# -- pre-commit ---------------------------------------------------------------------------------

def hook(hook_id: str) -> dict:
    return next(h for h in HOOKS if h["id"] == hook_id)


def run_hook(repo: Path, installed, filenames: list[str], args: list[str] = ()) -> subprocess.CompletedProcess:
    """As pre-commit runs a hook: its entry, then args, then the staged files that match `files`."""
    h = hook("apicompat-diff")
    matching = [f for f in filenames if re.search(h["files"], f)]
    if not matching:
        return subprocess.CompletedProcess([], 0, "", "")
    argv = shlex.split(h["entry"]) + list(args) + matching
    return subprocess.run(argv, cwd=repo, env=installed.env(), capture_output=True, text=True, timeout=120)


def test_the_hook_definition():
    h = hook("apicompat-diff")
    assert h["language"] == "python" and h["pass_filenames"] is True
    assert h["entry"].split()[:2] == ["apicompat", "diff-files"] and "--base HEAD" in h["entry"]
    for name, matches in (("openapi.yaml", True), ("api/openapi.v2.json", True), ("specs/swagger.yml", True),
                          ("asyncapi.yaml", True), (".github/workflows/ci.yml", False), ("config.json", False)):
        assert bool(re.search(h["files"], name)) is matches, name


def committed_spec_repo(tmp_path: Path) -> Path:
    """A repository whose last commit has api/openapi.yaml (SPEC_V1)."""
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "api" / "openapi.yaml").write_text(SPEC_V1)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v1")
    return repo


def test_the_hook_against_the_last_commit(tmp_path, installed):
    repo = committed_spec_repo(tmp_path)

    (repo / "api" / "openapi.yaml").write_text(SPEC_ADDITIVE)
    r = run_hook(repo, installed, ["api/openapi.yaml"])
    assert r.returncode == 0, r.stdout + r.stderr

    (repo / "api" / "openapi.yaml").write_text(SPEC_V2)
    r = run_hook(repo, installed, ["api/openapi.yaml", "README.md"])
    assert r.returncode == 1
    assert "api/openapi.yaml (against HEAD)" in r.stdout and "response-property-removed" in r.stdout
    r = run_hook(repo, installed, ["api/openapi.yaml"], ["--fail-on", "none"])
    assert r.returncode == 0

    (repo / "api" / "openapi-v2.yaml").write_text(SPEC_V1)  # a new spec: nothing to compare yet
    r = run_hook(repo, installed, ["api/openapi-v2.yaml"])
    assert r.returncode == 0 and "not in HEAD (a new file)" in r.stdout

    (repo / "api" / "openapi.yaml").write_text("openapi: [\n")
    r = run_hook(repo, installed, ["api/openapi.yaml", "api/openapi-v2.yaml"])
    assert r.returncode == 2 and "apicompat: error: api/openapi.yaml" in r.stderr


def test_the_hook_from_a_subdirectory_reads_paths_from_there(tmp_path, installed):
    repo = committed_spec_repo(tmp_path)
    (repo / "api" / "openapi.yaml").write_text(SPEC_V2)
    r = subprocess.run(["apicompat", "diff-files", "openapi.yaml"], cwd=repo / "api", env=installed.env(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "response-property-removed" in r.stdout
