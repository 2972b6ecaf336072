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


SPEC_V1 = """openapi: 3.1.0
info: {title: Jobs, version: '1'}
paths:
  /jobs:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id, score]
                properties:
                  id: {type: string}
                  score: {type: number}
"""


def test_pull_request_workflow(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.email=ci@example.com", "-c", "user.name=ci"]
    subprocess.run(git + ["init", "-q", "-b", "main"], check=True)
    (repo / "openapi.yaml").write_text(SPEC_V1)
    (repo / "apicompat-policy.yaml").write_text("severity: {}\n")
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], check=True)
    subprocess.run(git + ["update-ref", "refs/remotes/origin/main", "HEAD"], check=True)
    (repo / "openapi.yaml").write_text(SPEC_V1.replace("                  score: {type: number}\n", ""))
    env = base_env(tmp_path)
    results = run_steps(ROOT / "docs/workflows/pull-request.yml", repo, env,
                        {"github.base_ref": "main", "github.token": "x",
                         "github.event.pull_request.number": "1"})
    *reports, gate = results
    for r in reports:
        assert r.returncode == 0, r.stderr
    assert "::error file=openapi.yaml" in reports[0].stdout and "response-property-removed" in reports[0].stdout
    sarif = json.loads((repo / "apicompat.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "response-property-removed"
    assert "<html" in (repo / "apicompat.html").read_text().lower()
    assert "response-property-removed" in (tmp_path / "summary.md").read_text()
    assert gate.returncode == 1, "the gate step must fail the job on a breaking change"


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
                            {"secrets.OPENAI_API_KEY": "sk-test-nightly-SECRET"})
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
