"""record -> check -> accept against a real HTTP server on 127.0.0.1 (the project's mock server,
fed changed snapshots), run through the real CLI entry point."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from apicompat.record.mock_server import Routes, start_in_thread

KEY = "sk-test-SECRETSECRET"
ROOT = Path(__file__).resolve().parents[2]
APICOMPAT = str(ROOT / ".venv" / "bin" / "apicompat")

HEADERS = {"content-type": "application/json", "x-request-id": "req_1", "openai-version": "2020-10-01",
           "openai-processing-ms": "12", "x-ratelimit-remaining-requests": "99"}
SSE_HEADERS = {**HEADERS, "content-type": "text/event-stream; charset=utf-8"}

OBJ = {"case": "obj", "request": {"method": "GET", "path": "/obj"}, "stream": False, "samples": [
    {"status": 200, "headers": HEADERS,
     "body": {"id": "obj_123", "object": "thing", "name": "alpha", "count": 3, "note": None,
              "nested": {"a": 1, "b": "x"}}}]}
STREAM = {"case": "stream", "request": {"method": "POST", "path": "/stream"}, "stream": True, "samples": [
    {"status": 200, "headers": SSE_HEADERS, "done": False, "events": [
        {"event": "resp.created", "data": {"type": "resp.created", "id": "r_1"}},
        {"event": "resp.delta", "data": {"type": "resp.delta", "item_id": "i_1", "delta": "Hel"}},
        {"event": "resp.delta", "data": {"type": "resp.delta", "item_id": "i_1", "delta": "lo"}},
        {"event": "response.completed", "data": {"type": "response.completed", "id": "r_1", "text": "Hello"}},
    ]}]}

PLAN = """\
base_url: {url}/v1
auth: {{api_key_env: APICOMPAT_TEST_KEY}}
headers: {{OpenAI-Project: proj_test_123}}
cases:
  - {{name: obj, method: GET, path: /obj, repeat: 2}}
  - name: stream
    method: POST
    path: /stream
    json: {{model: m, input: hi, stream: true}}
    stream: true
    repeat: 2
"""


def run(*args: str) -> int:
    return run_cli(*args)


def tree_hash(*dirs: Path) -> dict[str, str]:
    out = {}
    for d in dirs:
        for p in sorted(d.rglob("*")):
            rel = p.relative_to(d)
            if p.is_file() and rel.parts[0] not in (".last-check", ".apicompat.lock"):
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rec")
    server, url = start_in_thread(Routes([OBJ, STREAM]))
    plan = tmp / "apicompat.yaml"
    plan.write_text(PLAN.format(url=url))
    os.environ["APICOMPAT_TEST_KEY"] = KEY
    args = ["--plan", str(plan), "--snapshots", str(tmp / "snapshots"), "--schemas", str(tmp / "schemas"),
            "--max-retry-wait", "0.05", "--timeout", "5"]
    assert run("record", *args) == 0
    yield {"tmp": tmp, "server": server, "args": args, "url": url, "plan": plan}
    server.shutdown()
    server.server_close()


def serve(env, obj, stream) -> None:
    env["server"].RequestHandlerClass.routes = Routes([obj, stream])


def check(env, capsys) -> tuple[int, list[dict]]:
    out = env["tmp"] / "report.json"
    before = tree_hash(env["tmp"] / "snapshots", env["tmp"] / "schemas")
    code = run("check", *env["args"], "--format", "json", "--output", str(out))
    assert tree_hash(env["tmp"] / "snapshots", env["tmp"] / "schemas") == before, "baseline was modified"
    captured = capsys.readouterr()
    assert KEY not in captured.out + captured.err
    return code, json.loads(out.read_text())["changes"]


def edit_obj(fn):
    obj = copy.deepcopy(OBJ)
    fn(obj["samples"][0])
    return obj


def edit_stream(fn):
    stream = copy.deepcopy(STREAM)
    fn(stream["samples"][0])
    return stream


def values_changed():
    def obj(s):
        s["body"].update(id="obj_999", name="beta", count=42)
        s["body"]["nested"]["b"] = "changed"

    def st(s):
        for e in s["events"]:
            e["data"].update({k: v + "zz" for k, v in e["data"].items() if k in ("id", "delta", "text")})
    return edit_obj(obj), edit_stream(st)


def reorder(s):
    s["body"] = dict(reversed(list(s["body"].items())))


def longer_id(s):
    s["body"]["id"] = "obj_" + "x" * 80


def new_event(s):
    s["events"].insert(1, {"event": "resp.progress", "data": {"type": "resp.progress", "pct": 50}})


def drop(name):
    return lambda s: s["body"].pop(name)


def set_body(name, value):
    return lambda s: s["body"].__setitem__(name, value)


def set_header(name, value):
    def fn(s):
        s["headers"] = dict(s["headers"])
        if value is None:
            s["headers"].pop(name)
        else:
            s["headers"][name] = value
    return fn


def remove_event(s):
    s["events"] = [e for e in s["events"] if e["event"] != "resp.delta"]


def test_values_only_change_is_no_contract_change(env, capsys):
    """Values changed, shapes did not: no contract change; the values are one info entry per case
    for review (deepdiff), the volatile ones (ids, output text) left out."""
    serve(env, *values_changed())
    code, changes = check(env, capsys)
    assert code == 0 and [(c["rule"], c["severity"]) for c in changes] == [("recorded-value-changed", "info")]
    message = changes[0]["message"]
    assert message.startswith("values changed in case obj: ")
    assert '$.count 3 -> 42' in message and '$.name "alpha" -> "beta"' in message and "$.nested.b" in message
    assert "$.id" not in message  # volatile


@pytest.mark.parametrize("obj_edit,stream_edit", [
    (lambda s: s["body"].__setitem__("extra", {"k": True}), None),
    (None, new_event),
    (reorder, None),
    (longer_id, None),
], ids=["new-field", "new-event-type", "reordered", "longer-id"])
def test_allowed_changes_are_additive_only(env, capsys, obj_edit, stream_edit):
    serve(env, edit_obj(obj_edit or (lambda s: None)), edit_stream(stream_edit or (lambda s: None)))
    code, changes = check(env, capsys)
    assert code == 0
    assert all(c["severity"] in ("additive", "info") for c in changes), changes
    if obj_edit is not reorder and obj_edit is not longer_id:
        assert any(c["severity"] == "additive" for c in changes)


@pytest.mark.parametrize("obj_edit,stream_edit,rule", [
    (drop("count"), None, "response-property-removed"),
    (set_body("count", "3"), None, "response-type-changed"),
    (None, remove_event, "response-event-type-removed"),
    (set_header("x-request-id", None), None, "recorded-header-missing"),
    (None, set_header("openai-version", "2031-01-01"), "recorded-version-changed"),
], ids=["removed-field", "changed-type", "removed-event-type", "missing-request-id", "changed-openai-version"])
def test_breaking_changes(env, capsys, obj_edit, stream_edit, rule):
    serve(env, edit_obj(obj_edit or (lambda s: None)), edit_stream(stream_edit or (lambda s: None)))
    code, changes = check(env, capsys)
    assert code == 1
    breaking = [c for c in changes if c["severity"] == "breaking"]
    assert rule in {c["rule"] for c in breaking}, changes
    ops = {op for c in breaking for op in c["operations"]}
    assert ops <= {"GET /obj", "POST /stream"}


def test_accept_promotes_last_check(env, capsys):
    serve(env, edit_obj(drop("count")), STREAM)
    code, _ = check(env, capsys)
    assert code == 1
    assert run("accept", "--snapshots", env["args"][3], "--schemas", env["args"][5]) == 0
    assert not (env["tmp"] / "snapshots" / ".last-check").exists()
    code, changes = check(env, capsys)
    assert code == 0 and changes == []
    # back to the original baseline for the other tests' sake
    serve(env, OBJ, STREAM)
    check(env, capsys)
    run("accept", "--snapshots", env["args"][3], "--schemas", env["args"][5])


def test_replay_needs_no_network(env, tmp_path):
    snaps = tmp_path / "snapshots"
    (snaps).mkdir()
    for name in ("obj.yaml", "stream.yaml"):
        (snaps / name).write_bytes((env["tmp"] / "snapshots" / name).read_bytes())
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(url="http://127.0.0.1:9"))  # nothing listens there
    assert run("record", "--plan", str(plan), "--snapshots", str(snaps), "--schemas", str(tmp_path / "schemas"),
               "--replay", "--retries", "0") == 0
    assert (tmp_path / "schemas" / "stream.json").exists()


def test_cli_subprocess_check_and_help(env):
    serve(env, OBJ, STREAM)
    proc = subprocess.run([APICOMPAT, "check", *env["args"]], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "CI": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "no changes" in proc.stdout
    assert KEY not in proc.stdout + proc.stderr
    proc = subprocess.run([sys.executable, "-m", "apicompat", "record", "--help"], capture_output=True, text=True)
    assert "Exit 1 when a case failed" in proc.stdout
