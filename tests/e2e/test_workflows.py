"""The GitHub Actions workflows under docs/workflows run real commands: run them here, in a real
git repository, against a real HTTP server on 127.0.0.1, the way the runner would."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import JOBS_SPEC, JOBS_SPEC_BREAKING

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SKIPPED_STEPS = ("pip install", "gh pr comment")


def run_steps(workflow: Path, cwd: Path, env: dict, expressions: dict) -> list[subprocess.CompletedProcess]:
    """Run every `run:` step of the workflow's job in order; return each step's result."""
    jobs = yaml.safe_load(workflow.read_text())["jobs"]
    (job,) = jobs.values()
    results = []
    for step in job["steps"]:
        script = step.get("run")
        if not script or any(s in script for s in SKIPPED_STEPS):
            continue
        script = re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: expressions[m.group(1)], script)
        step_env = {**env, **{k: re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: expressions[m.group(1)], str(v))
                              for k, v in (step.get("env") or {}).items()}}
        results.append(subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=step_env,
                                      capture_output=True, text=True, timeout=120))
    return results


def base_env(tmp_path: Path) -> dict:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "NO_COLOR": "1"}




def test_pull_request_workflow(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.email=ci@example.com", "-c", "user.name=ci"]
    subprocess.run(git + ["init", "-q", "-b", "main"], check=True)
    (repo / "openapi.yaml").write_text(JOBS_SPEC)
    (repo / "apicompat-policy.yaml").write_text("severity: {}\n")
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], check=True)
    subprocess.run(git + ["update-ref", "refs/remotes/origin/main", "HEAD"], check=True)
    (repo / "openapi.yaml").write_text(JOBS_SPEC_BREAKING)
    env = base_env(tmp_path)
    results = run_steps(ROOT / "docs/workflows/pull-request.yml", repo, env, PR_EXPRESSIONS)
    *reports, gate = results
    for r in reports:
        assert r.returncode == 0, r.stderr
    lines = reports[0].stdout.splitlines()
    assert lines[0].startswith("::notice title=apicompat summary::")
    assert any(line.startswith("::error file=openapi.yaml,line=") and "response-property-removed" in line
               for line in lines)
    sarif = json.loads((repo / "apicompat.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "response-property-removed"
    assert "<html" in (repo / "apicompat.html").read_text().lower()
    assert "response-property-removed" in (tmp_path / "summary.md").read_text()
    assert gate.returncode == 1, "the gate step must fail the job on a breaking change"


PR_EXPRESSIONS = {"github.base_ref": "main", "github.token": "x", "github.event.pull_request.number": "1",
                  "github.server_url": "https://github.com", "github.repository": "o/r", "github.run_id": "7"}


@pytest.mark.parametrize("name", ["pull-request.yml", "nightly.yml"])
def test_workflows_paste_nothing_into_scripts_and_never_stop_before_the_gate(name):
    """Expressions reach scripts through env: only; SARIF upload (v4) and the PR comment are
    best-effort, so fork PRs and repositories without code scanning reach the gate; apicompat is
    installed from a checkout or a wheel, never by name from PyPI."""
    steps = yaml.safe_load((ROOT / "docs" / "workflows" / name).read_text())["jobs"]
    (job,) = steps.values()
    for step in job["steps"]:
        assert "${{" not in step.get("run", ""), step
        assert not re.search(r"pip install\s+apicompat\b", step.get("run", "")), step
        uses = step.get("uses", "")
        if "upload-sarif" in uses:
            assert uses == "github/codeql-action/upload-sarif@v4" and step.get("continue-on-error") is True
        if "gh pr comment" in step.get("run", ""):
            assert step.get("continue-on-error") is True
    assert "--fail-on breaking" in job["steps"][-1]["run"]  # the last step is the gate
    installs = [s for s in job["steps"] if "pip install" in s.get("run", "")]
    assert installs and all(s["env"]["APICOMPAT_SOURCE"].startswith("./") for s in installs)


def start_mock(data: Path, tmp_path: Path):
    out = tmp_path / f"mock-url-{data.name}"
    proc = subprocess.Popen([str(BIN / "apicompat"), "mock-server", "--data", str(data)],
                            stdout=out.open("w"), stderr=subprocess.DEVNULL)
    for _ in range(100):
        if out.exists() and out.read_text().strip():
            return proc, out.read_text().split()[0]
        time.sleep(0.05)
    proc.kill()
    pytest.fail("mock server did not start")


def test_nightly_workflow(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    mock_data = tmp_path / "mock"
    shutil.copytree(ROOT / "examples" / "mock", mock_data)
    env = {**base_env(tmp_path), "CI": "1", "OPENAI_API_KEY": "sk-test-nightly-SECRET"}
    plan = (ROOT / "examples" / "apicompat.yaml").read_text()
    proc, url = start_mock(mock_data, tmp_path)
    try:
        (repo / "apicompat.yaml").write_text(plan.replace("https://api.openai.com/v1", url + "/v1"))
        subprocess.run([str(BIN / "apicompat"), "record", "--plan", "apicompat.yaml"], cwd=repo, env=env,
                       check=True, capture_output=True)
    finally:
        proc.kill()
    # overnight, the API drops a field
    changed = tmp_path / "changed"
    shutil.copytree(mock_data, changed)
    chat = changed / "chat-completion.yaml"
    chat.write_text("\n".join(line for line in chat.read_text().splitlines() if "usage:" not in line) + "\n")
    proc, url = start_mock(changed, tmp_path)
    try:
        (repo / "apicompat.yaml").write_text(plan.replace("https://api.openai.com/v1", url + "/v1"))
        results = run_steps(ROOT / "docs/workflows/nightly.yml", repo, env,
                            {"secrets.OPENAI_API_KEY": "sk-test-nightly-SECRET", **PR_EXPRESSIONS})
    finally:
        proc.kill()
    *ok_steps, gate = results
    for r in ok_steps:
        assert r.returncode == 0, r.stderr
    report = json.loads((repo / "apicompat-report.json").read_text())
    assert report["summary"]["breaking"] >= 1
    assert json.loads((repo / "apicompat.sarif").read_text())["version"] == "2.1.0"
    assert "response-property-removed" in (repo / "apicompat.html").read_text()
    assert gate.returncode == 1 and "response-property-removed" in gate.stdout
    for path in repo.rglob("*"):
        if path.is_file():
            assert "sk-test-nightly-SECRET" not in path.read_text(errors="replace"), path


def test_reports_md_describes_what_the_nightly_runs():
    """docs/reports.md's CI section names what nightly.yml does: its schedule, its commands and
    formats, its artifact, and how it ends."""
    workflow = yaml.safe_load((ROOT / "docs" / "workflows" / "nightly.yml").read_text())
    ci = (ROOT / "docs" / "reports.md").read_text().split("### CI", 1)[1]
    minute, hour = workflow[True]["schedule"][0]["cron"].split()[:2]  # YAML 1.1 reads `on:` as True
    assert f"{int(hour):02d}:{int(minute):02d} UTC" in ci
    (job,) = workflow["jobs"].values()
    scripts = "\n".join(step.get("run", "") for step in job["steps"])
    for command in set(re.findall(r"apicompat (\w[\w-]*)", scripts)):
        assert f"`apicompat {command}" in ci or f"`{command} " in ci or f"({command} " in ci, command
    for fmt in set(re.findall(r"--format (\w+)", scripts)) - {"json", "text"}:
        assert fmt.upper() in ci or fmt.capitalize() in ci, fmt
    artifact = next(s for s in job["steps"] if "upload-artifact" in s.get("uses", ""))["with"]["name"]
    assert f"`{artifact}`" in ci and "`render --fail-on breaking`" in ci
