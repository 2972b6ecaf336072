"""The command line as a user meets it: real files, a real process, exit statuses, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args, cwd=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "apicompat", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, input=stdin, timeout=120)


def write(path: Path, data) -> str:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


OLD = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
NEW_BREAKING = {"type": "object", "properties": {"a": {"type": "string"}}}
NEW_WARNING = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string", "default": "x"}}}


def test_exit_status_follows_fail_on(tmp_path):
    old = write(tmp_path / "old.json", OLD)
    assert run("diff", old, write(tmp_path / "same.json", OLD)).returncode == 0
    broken = write(tmp_path / "broken.json", NEW_BREAKING)
    r = run("diff", old, broken)
    assert r.returncode == 1 and "response-property-removed" in r.stdout
    assert run("diff", old, broken, "--fail-on", "none").returncode == 0
    warn = write(tmp_path / "warn.json", NEW_WARNING)
    assert run("diff", old, warn, "--direction", "request").returncode == 0
    assert run("diff", old, warn, "--direction", "request", "--fail-on", "warning").returncode == 1


def test_json_report_shape(tmp_path):
    r = run("diff", write(tmp_path / "o.json", OLD), write(tmp_path / "n.json", NEW_BREAKING), "--format", "json")
    report = json.loads(r.stdout)
    assert report["summary"]["breaking"] == 1
    change = report["changes"][0]
    assert {"rule", "severity", "direction", "message", "pointer", "operations", "policy", "fingerprint"} <= set(change)
    assert change["direction"] == "response" and change["pointer"] == "#/properties/b"


def test_text_report_has_no_colour_off_a_terminal(tmp_path):
    r = run("diff", write(tmp_path / "o.json", OLD), write(tmp_path / "n.json", NEW_BREAKING))
    assert "\x1b[" not in r.stdout
    assert "1 breaking" in r.stdout


@pytest.mark.parametrize("content, expected", [
    ("", "empty"),
    ("a: [1, 2\n", "invalid YAML"),
    ("{\"a\": 1,}", "invalid JSON"),
    ("key: !!python/object/apply:os.system ['echo hacked']\n", "refused"),
    (b"\xff\xfe\x00bad", "not UTF-8"),
])
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path, content, expected):
    bad = tmp_path / ("bad.json" if "invalid JSON" in expected else "bad.yaml")
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content)
    r = run("diff", str(bad), write(tmp_path / "ok.json", OLD))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and expected in lines[0], r.stderr
    assert "Traceback" not in r.stderr


def test_missing_file_and_directory(tmp_path):
    ok = write(tmp_path / "ok.json", OLD)
    r = run("diff", str(tmp_path / "nope.yaml"), ok)
    assert r.returncode == 2 and "no such file" in r.stderr
    r = run("diff", str(tmp_path), ok)
    assert r.returncode == 2 and "directory" in r.stderr


def test_remote_refs_are_refused(tmp_path):
    schema = {"type": "object", "properties": {"a": {"$ref": "https://example.com/s.json"}}}
    r = run("diff", write(tmp_path / "o.json", schema), write(tmp_path / "n.json", schema))
    assert r.returncode == 2 and "remote $ref" in r.stderr and "--allow-remote-refs" in r.stderr
    schema = {"type": "object", "properties": {"a": {"$ref": "/etc/passwd"}}}
    r = run("diff", write(tmp_path / "o2.json", schema), write(tmp_path / "n2.json", schema))
    assert r.returncode == 2 and "absolute path" in r.stderr


def test_relative_file_refs_beside_the_document_are_followed(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    write(tmp_path / "old" / "common.json", {"type": "string"})
    write(tmp_path / "new" / "common.json", {"type": "integer"})
    doc = {"type": "object", "properties": {"a": {"$ref": "common.json"}}}
    r = run("diff", write(tmp_path / "old" / "s.json", doc), write(tmp_path / "new" / "s.json", doc), "--format", "json")
    changes = json.loads(r.stdout)["changes"]
    assert [c["rule"] for c in changes] == ["response-type-changed"]


def test_dangling_ref_and_ref_loop(tmp_path):
    dangling = {"type": "object", "properties": {"a": {"$ref": "#/$defs/Nope"}}}
    r = run("diff", write(tmp_path / "d.json", dangling), write(tmp_path / "d2.json", dangling))
    assert r.returncode == 2 and "dangling $ref" in r.stderr
    loop = {"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"}
    r = run("diff", write(tmp_path / "l.json", loop), write(tmp_path / "l2.json", loop))
    assert r.returncode == 2 and "loop" in r.stderr


def test_stdin_and_git_revisions(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    spec = tmp_path / "openapi.yaml"
    v1 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {get: {responses: {'200': {description: ok}}}}\n  /b: {get: {responses: {'200': {description: ok}}}}\n"
    spec.write_text(v1)
    git = ["git", "-C", str(tmp_path), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], check=True)
    spec.write_text(v1.replace("  /b: {get: {responses: {'200': {description: ok}}}}\n", ""))
    r = run("diff", "git:HEAD:openapi.yaml", "openapi.yaml", cwd=tmp_path)
    assert r.returncode == 1 and "endpoint-removed" in r.stdout and "GET /b" in r.stdout
    r = run("diff", "git:HEAD:openapi.yaml", "-", cwd=tmp_path, stdin=spec.read_text())
    assert r.returncode == 1 and "endpoint-removed" in r.stdout
    r = run("diff", "git:nosuchrev:openapi.yaml", "openapi.yaml", cwd=tmp_path)
    assert r.returncode == 2 and "git show failed" in r.stderr


def test_openapi_against_schema_is_refused(tmp_path):
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    r = run("diff", write(tmp_path / "a.json", spec), write(tmp_path / "b.json", OLD))
    assert r.returncode == 2 and "not an OpenAPI document" in r.stderr


def test_size_limit(tmp_path):
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"description": "x" * (2 * 1024 * 1024)}))
    r = run("diff", str(big), str(big), "--max-size", "1")
    assert r.returncode == 2 and "1 MB limit" in r.stderr


def test_usage_error_exit_2():
    r = run("diff", "only-one-arg")
    assert r.returncode == 2


def test_rules_catalogue_and_generated_docs_are_in_step():
    r = run("rules", "--format", "json")
    catalogue = json.loads(r.stdout)
    assert len(catalogue) >= 500 and {"id", "severity", "direction", "policy", "doc", "example"} <= set(catalogue[0])
    md = run("rules", "--format", "markdown").stdout
    assert (ROOT / "docs" / "rules.md").read_text() == md, "docs/rules.md is stale: run `make docs`"


def test_python_dash_m_and_console_script_agree():
    venv_bin = ROOT / ".venv" / "bin" / "apicompat"
    if not venv_bin.exists():
        pytest.skip("no .venv console script (run `make install`)")
    a = subprocess.run([str(venv_bin), "rules"], capture_output=True, text=True).stdout
    assert a == run("rules").stdout


def test_render_a_saved_json_report_in_another_format(tmp_path):
    saved = tmp_path / "report.json"
    r = run("diff", write(tmp_path / "o.json", OLD), write(tmp_path / "n.json", NEW_BREAKING), "--format", "json",
            "--output", str(saved))
    assert r.returncode == 1 and r.stdout == ""
    r = run("render", str(saved), "--format", "markdown")
    assert r.returncode == 0 and "response-property-removed" in r.stdout
    assert run("render", str(saved), "--fail-on", "breaking").returncode == 1
    bad = write(tmp_path / "bad.json", {"changes": "nope"})
    r = run("render", bad)
    assert r.returncode == 2 and "not an apicompat JSON report" in r.stderr and len(r.stderr.splitlines()) == 1
