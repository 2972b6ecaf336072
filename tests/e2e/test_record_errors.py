"""The recorder against a purpose-built server: secrets echoed back, 429 then 200, streams cut or
unterminated, a concurrent run, and the X-Client-Request-Id header."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import run_cli
import yaml

from apicompat.record.store import Lock

KEY = "sk-test-SECRETSECRET"
COOKIE = "sessionvalue-777"
ROOT = Path(__file__).resolve().parents[2]
APICOMPAT = str(ROOT / ".venv" / "bin" / "apicompat")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: dict = {}

    def log_message(self, *a):
        pass

    def do_GET(self):
        self.do_POST()

    def do_POST(self):
        st = self.state
        n = int(self.headers.get("content-length") or 0)
        if n:
            self.rfile.read(n)
        st.setdefault("seen", []).append({k.lower(): v for k, v in self.headers.items()})
        path = self.path.split("?")[0]
        auth = self.headers.get("authorization", "")
        if path.endswith("/limited") and st.setdefault("limited", 0) == 0:
            st["limited"] += 1
            return self.json(429, {"error": "slow down"}, {"retry-after": "0.01", "x-ratelimit-reset-requests": "20ms"})
        if path.endswith("/stream"):
            mode = st.get("stream", "ok")
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("x-request-id", "req_s")
            self.send_header("x-echo", auth)
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            events = [{"type": "a", "echo": auth}, {"type": "b", "v": 1}]
            if mode != "unterminated":
                events.append({"type": "response.completed"})
            for i, e in enumerate(events):
                chunk = f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
                if mode == "cut" and i == 0:
                    self.wfile.write(b"40\r\nevent: b\ndata: {\"ty")  # half a chunk, then hang up
                    self.wfile.flush()
                    self.close_connection = True
                    return
            self.wfile.write(b"0\r\n\r\n")
            return
        self.json(200, {"id": "x_1", "you_sent": auth, "key": auth.removeprefix("Bearer "),
                        "session": COOKIE, "x-secret-header": "topsecret-value", "ok": True},
                  {"x-echo-auth": auth, "set-cookie": f"sid={COOKIE}; Path=/", "x-secret-header": "topsecret-value"})

    def json(self, status, body, headers):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("x-request-id", "req_1")
        self.send_header("openai-version", "2020-10-01")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server():
    handler = type("H", (Handler,), {"state": {}})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield handler.state, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def plan(tmp: Path, url: str, cases: str, headers: str = "{}") -> list[str]:
    p = tmp / "apicompat.yaml"
    p.write_text(f"base_url: {url}/v1\nauth: {{api_key_env: APICOMPAT_TEST_KEY}}\nheaders: {headers}\n"
                 f"redact: [x-secret-header]\ncases:\n{cases}")
    return ["--plan", str(p), "--snapshots", str(tmp / "snapshots"), "--schemas", str(tmp / "schemas"),
            "--max-retry-wait", "0.05", "--timeout", "5", "--retries", "2"]


def run(*args: str) -> int:
    return run_cli(*args)


ECHO_CASES = ("  - {name: echo, path: /echo}\n"
              "  - {name: stream, method: POST, path: /stream, stream: true, json: {a: 1}}\n")


def test_key_never_written_or_printed(server, tmp_path, monkeypatch):
    state, url = server
    args = plan(tmp_path, url, ECHO_CASES, "{OpenAI-Project: proj_secret_42}")
    env = {**os.environ, "APICOMPAT_TEST_KEY": KEY, "CI": "1"}
    outputs = []
    for cmd in (["record"], ["check", "--format", "json"], ["check"]):
        proc = subprocess.run([APICOMPAT, *cmd, *args], capture_output=True, text=True, env=env, timeout=30)
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout + proc.stderr)
    assert state["seen"][0]["authorization"] == f"Bearer {KEY}"  # it really was sent and echoed
    for secret in (KEY, COOKIE, "proj_secret_42", "topsecret-value"):
        assert all(secret not in o for o in outputs)
        for p in tmp_path.rglob("*"):
            if p.is_file() and p.name != "apicompat.yaml":
                assert secret.encode() not in p.read_bytes(), (secret, p)
    snap = (tmp_path / "snapshots" / "echo.yaml").read_text()
    assert "[REDACTED]" in snap
    assert "[REDACTED]" in (tmp_path / "snapshots" / "stream.yaml").read_text()


def test_429_then_200_is_retried(server, tmp_path, monkeypatch):
    state, url = server
    monkeypatch.setenv("APICOMPAT_TEST_KEY", KEY)
    assert run("record", *plan(tmp_path, url, "  - {name: limited, path: /limited}\n")) == 0
    assert state["limited"] == 1 and len(state["seen"]) == 2
    snap = yaml.safe_load((tmp_path / "snapshots" / "limited.yaml").read_text())
    assert snap["samples"][0]["status"] == 200


def test_client_request_id_fresh_uuid_per_request(server, tmp_path, monkeypatch):
    state, url = server
    monkeypatch.setenv("APICOMPAT_TEST_KEY", KEY)
    assert run("record", *plan(tmp_path, url, "  - {name: echo, path: /echo, repeat: 3}\n")) == 0
    sent = [s["x-client-request-id"] for s in state["seen"]]
    assert len(set(sent)) == 3 and all(uuid.UUID(s).version == 4 for s in sent)
    snap = yaml.safe_load((tmp_path / "snapshots" / "echo.yaml").read_text())
    assert [s["client_request_id"] for s in snap["samples"]] == sent


@pytest.mark.parametrize("value", ["é" * 5, "a" * 513])
def test_bad_client_request_id_refused_before_sending(server, tmp_path, monkeypatch, capsys, value):
    state, url = server
    monkeypatch.setenv("APICOMPAT_TEST_KEY", KEY)
    args = plan(tmp_path, url, "  - {name: echo, path: /echo}\n", json.dumps({"X-Client-Request-Id": value}))
    assert run("record", *args) == 2
    assert "X-Client-Request-Id" in capsys.readouterr().err
    assert "seen" not in state


@pytest.mark.parametrize("mode", ["cut", "unterminated"])
def test_failed_stream_keeps_old_snapshot(server, tmp_path, monkeypatch, capsys, mode):
    state, url = server
    monkeypatch.setenv("APICOMPAT_TEST_KEY", KEY)
    args = plan(tmp_path, url, ECHO_CASES)
    assert run("record", *args) == 0
    good = (tmp_path / "snapshots" / "stream.yaml").read_bytes()
    echo_before = (tmp_path / "snapshots" / "echo.yaml").read_bytes()
    state["stream"] = mode
    capsys.readouterr()
    assert run("record", *args) == 1
    err = capsys.readouterr().err
    assert "apicompat: case stream:" in err and err.count("\n") == 1
    assert (tmp_path / "snapshots" / "stream.yaml").read_bytes() == good
    assert (tmp_path / "snapshots" / "echo.yaml").read_bytes() != echo_before  # the other case still ran
    assert run("check", *args) == 1  # check reports the failed case too
    assert "apicompat: case stream:" in capsys.readouterr().err
    assert (tmp_path / "snapshots" / "stream.yaml").read_bytes() == good


def test_concurrent_run_is_refused(server, tmp_path, monkeypatch, capsys):
    state, url = server
    monkeypatch.setenv("APICOMPAT_TEST_KEY", KEY)
    args = plan(tmp_path, url, "  - {name: echo, path: /echo}\n")
    (tmp_path / "snapshots").mkdir()
    with Lock(str(tmp_path / "snapshots")):
        assert run("record", *args) == 2
    assert "another apicompat" in capsys.readouterr().err
    assert run("record", *args) == 0


def test_missing_key_env_is_bad_input(server, tmp_path, monkeypatch, capsys):
    _, url = server
    monkeypatch.delenv("APICOMPAT_TEST_KEY", raising=False)
    assert run("record", *plan(tmp_path, url, "  - {name: echo, path: /echo}\n")) == 2
    assert "APICOMPAT_TEST_KEY" in capsys.readouterr().err


def test_a_url_httpx_cannot_build_fails_its_case_alone(server, tmp_path, monkeypatch, capsys):
    """A path too long for a URL (httpx.InvalidURL, no HTTPError) was an internal error: now one line for
    its case, nothing sent for it, and the other case (a plain query string and `query:`, kept as
    written) recorded."""
    state, url = server
    monkeypatch.setenv("APICOMPAT_TEST_KEY", KEY)
    cases = ("  - {name: long, path: '/echo?x=" + "x" * 70_000 + "'}\n"
             "  - {name: echo, path: '/echo?sort=name', query: {page: 2}}\n")
    args = plan(tmp_path, url, cases)
    assert run("record", *args) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "apicompat: case long: sample 1 of 1: InvalidURL: URL too long", err
    assert "internal error" not in err and not (tmp_path / "snapshots" / "long.yaml").exists()
    snap = yaml.safe_load((tmp_path / "snapshots" / "echo.yaml").read_text())
    assert snap["request"] == {"method": "GET", "path": "/echo?sort=name", "query": {"page": "2"}, "body": None}
