"""Line numbers come from the documents as they were read, once, at load time: standard input and
`git:REV:PATH` inputs get them too, Swagger 2.0 files get lines in the file itself, a saved JSON
report keeps them for `apicompat render`, and no report format reads an input again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import JOBS_SPEC, JOBS_SPEC_ADDITIVE

ROOT = Path(__file__).resolve().parents[2]

# JOBS_SPEC with one response property removed and another added, and a second path removed.
OLD = JOBS_SPEC + """  /jobs/{id}:
    delete:
      responses:
        '204': {description: gone}
"""
NEW = JOBS_SPEC_ADDITIVE.replace("                  score: {type: number}\n", "")

SWAGGER_OLD = """\
swagger: "2.0"
info: {title: Pets, version: "1.0"}
paths:
  /pets:
    post:
      parameters:
        - name: pet
          in: body
          required: true
          schema:
            $ref: "#/definitions/NewPet"
      responses:
        "201":
          description: created
          schema:
            $ref: "#/definitions/Pet"
  /pets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, type: string}
      responses:
        "200":
          description: ok
          schema:
            type: object
            properties:
              name: {type: string}
              age: {type: integer}
definitions:
  NewPet:
    type: object
    properties:
      name: {type: string}
  Pet:
    type: object
    required: [id]
    properties:
      id: {type: string}
      tag: {type: string}
"""
SWAGGER_NEW = (SWAGGER_OLD.replace("              age: {type: integer}\n", "")
               .replace("      tag: {type: string}\n", "")
               .replace("      name: {type: string}\n  Pet:",
                        "      name: {type: string}\n      kind: {type: string}\n    required: [kind]\n  Pet:"))


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "apicompat", *args], capture_output=True, text=True, cwd=cwd,
                          input=stdin, timeout=120)


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of the first `needle` after the line holding `after`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start + 1) if needle in line)


def changes_of(out: str) -> dict[str, dict]:
    return {c["rule"]: c for c in json.loads(out)["changes"]}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.email=ci@example.com", "-c", "user.name=ci",
                    "-c", "init.defaultBranch=main", *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose openapi.yaml is OLD at HEAD~1 and NEW at HEAD."""
    git(tmp_path, "init", "-q")
    (tmp_path / "openapi.yaml").write_text(OLD)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "v1")
    (tmp_path / "openapi.yaml").write_text(NEW)
    git(tmp_path, "commit", "-qam", "v2")
    return tmp_path


def test_standard_input_gets_lines(tmp_path):
    (tmp_path / "old.yaml").write_text(OLD)
    r = run("diff", "old.yaml", "-", "--format", "json", cwd=tmp_path, stdin=NEW)
    assert r.returncode == 1, r.stderr
    added = changes_of(r.stdout)["response-property-added-optional"]
    assert added["locations"] == [{"source": "-", "line": line_of(NEW, "created:")}]
    removed = changes_of(r.stdout)["endpoint-removed"]  # gone from stdin: its place in old.yaml, then /paths in stdin
    assert removed["locations"] == [{"source": "old.yaml", "line": line_of(OLD, "delete:")},
                                    {"source": "-", "line": line_of(NEW, "paths:")}]
    r = run("diff", "old.yaml", "-", "--format", "markdown", cwd=tmp_path, stdin=NEW)
    assert f"`<stdin>:{line_of(NEW, 'created:')}`" in r.stdout


def test_git_revisions_get_lines(repo):
    r = run("diff", "git:HEAD~1:openapi.yaml", "git:HEAD:openapi.yaml", "--format", "json", cwd=repo)
    assert r.returncode == 1, r.stderr
    found = changes_of(r.stdout)
    assert found["response-property-added-optional"]["locations"] == [
        {"source": "git:HEAD:openapi.yaml", "line": line_of(NEW, "created:")}]
    assert found["endpoint-removed"]["locations"][0] == {"source": "git:HEAD~1:openapi.yaml",
                                                          "line": line_of(OLD, "delete:")}
    r = run("diff", "git:HEAD~1:openapi.yaml", "git:HEAD:openapi.yaml", "--format", "html", cwd=repo)
    assert f"git:HEAD:openapi.yaml:{line_of(NEW, 'created:')}" in r.stdout
    assert "<pre class=\"new\">{\n  &quot;type&quot;: &quot;integer&quot;\n}</pre>" in r.stdout  # the fragment


def test_annotations_fall_back_to_the_checkout_when_the_old_side_is_a_revision(repo):
    """The pre-commit hook and the Action compare git:BASE:./SPEC with SPEC: a change gone from SPEC
    is shown at its old line in the revision, and annotated at its nearest place in the file."""
    r = run("diff", "git:HEAD~1:openapi.yaml", "openapi.yaml", "--format", "sarif", cwd=repo)
    results = {res["ruleId"]: res["locations"][0]["physicalLocation"] for res in json.loads(r.stdout)["runs"][0]["results"]}
    assert results["endpoint-removed"] == {"artifactLocation": {"uri": "openapi.yaml", "index": 0},
                                           "region": {"startLine": line_of(NEW, "paths:")}}
    assert results["response-property-added-optional"]["region"] == {"startLine": line_of(NEW, "created:")}
    r = run("diff", "git:HEAD~1:openapi.yaml", "openapi.yaml", "--format", "github", cwd=repo)
    assert f"::notice file=openapi.yaml,line={line_of(NEW, 'created:')},title=response-property-added-optional::" in r.stdout


def test_swagger2_lines_point_into_the_file_itself(tmp_path):
    (tmp_path / "old.yaml").write_text(SWAGGER_OLD)
    (tmp_path / "new.yaml").write_text(SWAGGER_NEW)
    r = run("diff", "old.yaml", "new.yaml", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    where = {(c["rule"], c["pointer"]): c["locations"] for c in json.loads(r.stdout)["changes"]}
    assert where == {
        ("response-property-removed", "#/paths/~1pets~1{id}/get/responses/200/schema/properties/age"):
            [{"source": "new.yaml", "line": line_of(SWAGGER_NEW, "schema:", after="/pets/{id}:")}],
        ("request-property-added-required", "#/definitions/NewPet/properties/kind"):
            [{"source": "new.yaml", "line": line_of(SWAGGER_NEW, "kind:")}],
        ("response-property-removed", "#/definitions/Pet/properties/tag"):
            [{"source": "new.yaml", "line": line_of(SWAGGER_NEW, "  Pet:")}],
    }
    r = run("diff", "old.yaml", "new.yaml", "--format", "sarif", cwd=tmp_path)
    lines = {res["locations"][0]["physicalLocation"]["region"]["startLine"]
             for res in json.loads(r.stdout)["runs"][0]["results"]}
    assert lines == {loc[0]["line"] for loc in where.values()}


def test_a_saved_json_report_keeps_its_lines(tmp_path):
    """`apicompat render` shows the lines and fragments from the report: the inputs may be gone by then."""
    (tmp_path / "old.yaml").write_text(OLD)
    (tmp_path / "new.yaml").write_text(NEW)
    r = run("diff", "old.yaml", "new.yaml", "--format", "json", "-o", "report.json", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    (tmp_path / "old.yaml").unlink()
    (tmp_path / "new.yaml").write_text("openapi: 3.1.0\n")  # edited after the run: no line may move
    r = run("render", "report.json", "--format", "sarif", cwd=tmp_path)
    results = {res["ruleId"]: res["locations"][0]["physicalLocation"] for res in json.loads(r.stdout)["runs"][0]["results"]}
    assert results["response-property-added-optional"]["region"] == {"startLine": line_of(NEW, "created:")}
    r = run("render", "report.json", "--format", "markdown", cwd=tmp_path)
    assert f"`old.yaml:{line_of(OLD, 'delete:')}`" in r.stdout
    r = run("render", "report.json", "--format", "html", cwd=tmp_path)  # and the fragments
    assert "<pre class=\"new\">{\n  &quot;type&quot;: &quot;integer&quot;\n}</pre>" in r.stdout


# Counts every "open" audit event (builtins.open, io.open, os.open) naming one of the two inputs, then
# runs the CLI in this process; the counts are written at exit.
COUNTING = r"""
import atexit, json, os, sys
at = sys.argv.index("diff") + 1
inputs = {os.path.abspath(p): 0 for p in sys.argv[at:at + 2]}
def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path in inputs:
            inputs[path] += 1
sys.addaudithook(hook)
atexit.register(lambda: print("OPENS " + json.dumps(inputs), file=sys.stderr))
from apicompat.cli.main import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("fmt", ["html", "sarif", "text", "markdown", "github"])
@pytest.mark.parametrize("cache", ["--no-cache", None])
def test_each_input_is_read_once(tmp_path, fmt, cache):
    (tmp_path / "old.yaml").write_text(OLD)
    (tmp_path / "new.yaml").write_text(NEW)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    for _ in range(2):  # with the cache: a cold run, then a warm one
        args = ([cache] if cache else []) + ["diff", "old.yaml", "new.yaml", "--format", fmt]
        r = subprocess.run([sys.executable, "-c", COUNTING, *args], capture_output=True, text=True, cwd=tmp_path,
                           env=env, timeout=120)
        assert r.returncode == 1, r.stderr
        counts = json.loads(r.stderr.split("OPENS ", 1)[1])
        assert counts == {str(tmp_path / "old.yaml"): 1, str(tmp_path / "new.yaml"): 1}
