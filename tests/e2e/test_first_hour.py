"""A new user's first mistakes, through the real CLI: each is one line on stderr naming what is wrong
and exit status 2, and none of them passes a check silently."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

OLD = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {
    "200": {"description": "ok", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}}}}}}}}}
NEW = json.loads(json.dumps(OLD).replace(', "b": {"type": "string"}', ""))


def run(*args: str, cwd: Path, stdin=None, input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "apicompat", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, stdin=stdin, input=input_text,
                          env={**os.environ, "CI": "1", "APICOMPAT_NO_CACHE": "1"})


def one_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("apicompat: error: "), r.stderr
    return lines[0]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=repo, check=True,
                          capture_output=True, text=True).stdout


def spec_repo(tmp_path: Path) -> Path:
    """api/openapi.yaml committed as OLD, changed to NEW (a property removed) in the working tree."""
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "api" / "openapi.yaml").write_text(json.dumps(OLD))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v1")
    (repo / "api" / "openapi.yaml").write_text(json.dumps(NEW))
    return repo


# ---- diff-files: a mistake is an error, never "a new file, nothing to compare" (a silent pass) ----------


def test_diff_files_compares_a_changed_file_and_skips_a_new_one(tmp_path):
    repo = spec_repo(tmp_path)
    r = run("diff-files", "api/openapi.yaml", cwd=repo)
    assert r.returncode == 1 and "response-property-removed" in r.stdout
    r = run("diff-files", str(repo / "api" / "openapi.yaml"), cwd=repo)  # an absolute path inside the repo
    assert r.returncode == 1 and "response-property-removed" in r.stdout
    (repo / "api" / "openapi-v2.yaml").write_text(json.dumps(OLD))
    r = run("diff-files", "api/openapi-v2.yaml", cwd=repo)
    assert r.returncode == 0 and "not in HEAD (a new file)" in r.stdout


def test_diff_files_before_the_first_commit_finds_every_file_new(tmp_path):
    repo = tmp_path / "fresh"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "openapi.yaml").write_text(json.dumps(OLD))
    r = run("diff-files", "openapi.yaml", cwd=repo)
    assert r.returncode == 0 and "not in HEAD (a new file)" in r.stdout, r.stderr


def test_diff_files_with_a_base_git_does_not_know_is_an_error(tmp_path):
    repo = spec_repo(tmp_path)
    line = one_error(run("diff-files", "--base", "origin/mian", "api/openapi.yaml", cwd=repo))
    assert "--base origin/mian: not a commit, branch or tag" in line


def test_diff_files_outside_a_git_repository_is_an_error(tmp_path):
    (tmp_path / "openapi.yaml").write_text(json.dumps(OLD))
    line = one_error(run("diff-files", "openapi.yaml", cwd=tmp_path))
    assert "not inside a git repository" in line


def test_diff_files_with_a_missing_or_outside_file_is_an_error(tmp_path):
    repo = spec_repo(tmp_path)
    line = one_error(run("diff-files", "api/opneapi.yaml", cwd=repo))
    assert line == "apicompat: error: api/opneapi.yaml: no such file"
    elsewhere = tmp_path / "openapi.yaml"
    elsewhere.write_text(json.dumps(OLD))
    line = one_error(run("diff-files", str(elsewhere), cwd=repo))
    assert f"{elsewhere}: outside the git repository" in line
    # the other files are still compared
    r = run("diff-files", "api/opneapi.yaml", "api/openapi.yaml", cwd=repo)
    assert r.returncode == 2 and "response-property-removed" in r.stdout


def test_git_input_in_a_subfolder_names_the_path_git_meant(tmp_path):
    repo = spec_repo(tmp_path)
    line = one_error(run("diff", "git:HEAD:openapi.yaml", "openapi.yaml", cwd=repo / "api"))
    assert "exists, but not 'openapi.yaml'" in line and "HEAD:./openapi.yaml" in line
    r = run("diff", "git:HEAD:./openapi.yaml", "openapi.yaml", cwd=repo / "api")
    assert r.returncode == 1 and "response-property-removed" in r.stdout
    r = run("diff", "git:HEAD:api/openapi.yaml", "api/openapi.yaml", cwd=repo)
    assert r.returncode == 1


# ---- usage errors: one line, naming the option and where the help is -------------------------------


@pytest.mark.parametrize("args, expected", [
    (["diff", "o.json", "n.json", "--fial-on", "warning"], "No such option '--fial-on'. Did you mean '--fail-on'?"),
    (["diff", "o.json", "n.json", "--fail-on", "Breaking"], "'Breaking' is not one of 'breaking'"),
    (["diff", "o.json"], "Missing argument 'NEW'"),
    (["dif", "o.json", "n.json"], "No such command 'dif'. Did you mean 'diff'?"),
    (["gate", "o.json", "n.json", "--format", "xml"], "Invalid value for '--format': 'xml' is not one of"),
])
def test_a_usage_error_is_one_line(tmp_path, args, expected):
    line = one_error(run(*args, cwd=tmp_path))
    assert expected in line
    command = "apicompat" if args[0] == "dif" else f"apicompat {args[0]}"
    assert line.endswith(f"(see '{command} --help')")


def test_bare_apicompat_still_shows_the_help(tmp_path):
    r = run(cwd=tmp_path)
    assert r.returncode == 2 and "Commands:" in r.stderr and "diff-files" in r.stderr


# ---- --max-size: every command whose error says "raise it with --max-size" has it ----------------------


@pytest.mark.parametrize("command", ["diff", "gate", "changelog", "conform", "diff-files"])
def test_every_command_that_suggests_max_size_takes_it(tmp_path, command):
    repo = spec_repo(tmp_path)
    big = json.loads(json.dumps(NEW))
    big["info"]["description"] = "x" * (1024 * 1024 + 10)  # just over 1 MB
    spec = repo / "api" / "openapi.yaml"
    spec.write_text(json.dumps(big))
    (repo / "snaps").mkdir()
    (repo / "snaps" / "a.yaml").write_text("request: {method: GET, path: /a}\nsamples: [{status: 200, headers: "
                                           "{content-type: application/json}, body: {a: x}}]\n")
    old = repo / "old.json"
    old.write_text(json.dumps(OLD))
    args = {"diff": ["diff", str(old), str(spec)], "gate": ["gate", str(old), str(spec)],
            "changelog": ["changelog", str(old), str(spec)], "diff-files": ["diff-files", "api/openapi.yaml"],
            "conform": ["conform", "--spec", str(spec), "--snapshots", "snaps"]}[command]
    line = one_error(run(*args, "--max-size", "1", cwd=repo))
    assert "larger than the 1 MB limit (raise it with --max-size MB)" in line
    r = run(*args, "--max-size", "2", cwd=repo)
    assert r.returncode in (0, 1) and r.stderr == "", r.stderr


# ---- standard input ------------------------------------------------------------------------------------


def test_standard_input_for_both_sides_is_refused(tmp_path):
    line = one_error(run("diff", "-", "-", cwd=tmp_path, input_text=json.dumps(OLD)))
    assert "both standard input" in line


def test_standard_input_on_a_terminal_is_refused_not_waited_for(tmp_path):
    import pty

    (tmp_path / "new.json").write_text(json.dumps(NEW))
    master, slave = pty.openpty()
    try:
        line = one_error(run("diff", "-", "new.json", cwd=tmp_path, stdin=slave))
    finally:
        os.close(slave)
        os.close(master)
    assert "standard input is a terminal" in line


def test_standard_input_piped_is_read(tmp_path):
    (tmp_path / "new.json").write_text(json.dumps(NEW))
    r = run("diff", "-", "new.json", cwd=tmp_path, input_text=json.dumps(OLD))
    assert r.returncode == 1 and "response-property-removed" in r.stdout


# ---- record against a local server: a wrong path is said, not silently made the baseline ---------------


def test_record_says_when_every_answer_was_an_error(tmp_path):
    import socket
    import time

    site = tmp_path / "site"
    (site / "v1").mkdir(parents=True)
    (site / "v1" / "models").write_text('{"object": "list", "data": []}')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=site,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        (tmp_path / "apicompat.yaml").write_text(
            f"base_url: http://127.0.0.1:{port}/v1\ncases:\n  - {{name: models, path: /models}}\n"
            "  - {name: typo, path: /modles}\n")
        r = run("record", "--retries", "0", cwd=tmp_path)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert r.returncode == 0 and "recorded 2 of 2 case(s)" in r.stdout, r.stderr
    assert r.stderr.splitlines() == [
        "apicompat: note: case typo: every answer was an error (status 404), recorded as its baseline; unless "
        "the case tests an error, check its path and the base URL"]  # and nothing about `models` (a 200)


# ---- the policy file: a misspelt rule id names the rule meant -----------------------------------------


@pytest.mark.parametrize("rule, meant", [("endpoint-remove", "; did you mean 'endpoint-removed'?"),
                                         ("zzzz", "")])  # nothing close: no guess
def test_a_misspelt_rule_in_the_policy_names_the_rule_meant(tmp_path, rule, meant):
    (tmp_path / "o.json").write_text(json.dumps(OLD))
    (tmp_path / "n.json").write_text(json.dumps(NEW))
    (tmp_path / "policy.yaml").write_text(f"ignore:\n  - rule: {rule}\n    reason: retired\n")
    line = one_error(run("diff", "o.json", "n.json", "--policy", "policy.yaml", cwd=tmp_path))
    assert line == (f"apicompat: error: policy.yaml: line 2, ignore[0].rule: unknown rule id '{rule}' "
                    f"(`apicompat rules` lists them){meant}")


def test_diff_help_names_swagger_and_the_exit_statuses(tmp_path):
    r = run("diff", "--help", cwd=tmp_path)
    text = " ".join(r.stdout.split())
    assert r.returncode == 0 and "Swagger 2.0" in text
    assert "Exit 0 when no change reaches --fail-on, 1 when one does, 2 for a usage error or bad input" in text


# ---- `-o report.json` without --format: said, since the file gets text ---------------------------------


@pytest.mark.parametrize("name, extra, note", [
    ("report.json", [], "apicompat: note: report.json gets the text format (--format json writes json)"),
    ("report.sarif", [], "apicompat: note: report.sarif gets the text format (--format sarif writes sarif)"),
    ("report.json", ["--format", "json"], None),  # what was asked for: nothing to say
    ("report.txt", [], None),
])
def test_an_output_suffix_that_names_another_format_is_noted(tmp_path, name, extra, note):
    (tmp_path / "o.json").write_text(json.dumps(OLD))
    (tmp_path / "n.json").write_text(json.dumps(NEW))
    r = run("diff", "o.json", "n.json", "-o", name, *extra, cwd=tmp_path)
    assert r.returncode == 1 and (tmp_path / name).stat().st_size > 0
    assert r.stderr.splitlines() == ([note] if note else [])


# ---- a $ref to a file: its errors are said from the place of the $ref -----------------------------------

def _ref_doc(target: str) -> dict:
    doc = json.loads(json.dumps(OLD))
    doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": target}
    return doc


def test_a_missing_file_behind_a_ref_names_the_referring_document_and_place(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(_ref_doc("defs.json#/X")))
    line = one_error(run("diff", "a.json", "a.json", cwd=tmp_path))
    assert "a.json: #/paths/~1a/get/responses/200/content/application~1json/schema: $ref 'defs.json#/X': " in line
    assert line.endswith("defs.json: no such file"), line


def test_an_error_inside_the_referenced_file_keeps_its_own_line(tmp_path):
    """The near case: the referenced file exists but is broken; both places are on the one line."""
    (tmp_path / "a.json").write_text(json.dumps(_ref_doc("defs.yaml#/X")))
    (tmp_path / "defs.yaml").write_text("X: {type: string}\nX: {type: integer}\n")
    line = one_error(run("diff", "a.json", "a.json", cwd=tmp_path))
    assert "$ref 'defs.yaml#/X': " in line and "defs.yaml: line 2, column " in line and "duplicate mapping key" in line, line
