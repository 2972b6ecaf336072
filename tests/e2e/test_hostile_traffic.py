"""Hostile traffic and interruptions for the recorder (extends test_record_errors.py).

TRAFFIC: a real ThreadingHTTPServer on 127.0.0.1 answers every case well once (the baseline), then
badly: connection resets, malformed SSE, HTML sent as JSON, slow and trickling answers, endless
bodies, 5xx for ever (429 for ever is an authorisation error: tests/e2e/test_nightly.py), gzip
garbage, a garbage status line, deep JSON, and the credential echoed back everywhere. Each bad case must fail alone with one clear `apicompat: case NAME:` line,
its baseline untouched (hashed before and after), no secret in any file or output, and the other
cases still recorded.

SIGNALS: SIGINT and SIGTERM in the middle of `record`, `check` and `accept` leave the baseline
byte-identical, no temp files, a one-line message and a non-zero status; a second run on the same
snapshot directory is refused while the first holds the lock.

Both tables are rows of docs/reliability.md (test_reliability_doc_matches_the_cases).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-hostile-KEY-0123456789"

# id, path, stream?, what the server does in bad mode, what record must say (or "recorded")
TRAFFIC = [
    ("reset", "/reset", False, "sends half a body, then resets the connection (RST)", "ReadError"),
    ("short-body", "/short", False, "declares content-length 1000, sends 10 bytes and closes", "RemoteProtocolError"),
    ("garbage-status", "/garbage", False, "answers `HTTP/1.1 banana` instead of a status line", "RemoteProtocolError"),
    ("html-as-json", "/html", False, "content-type application/json with an HTML body (echoing the key)", "but the body is not JSON"),
    ("slow", "/slow", False, "waits 3 s before answering (`--timeout 1`)", "timed out after 1s"),
    ("trickle", "/trickle", False, "sends one byte every 0.2 s for ever (`--timeout 1`)", "still arriving after 1s"),
    ("endless", "/endless", False, "an endless chunked body (`--max-response-mb 1`)", "larger than 1048576 bytes"),
    ("always-503", "/503", False, "503 every time", "status 503 after 2 attempts"),
    ("bad-gzip", "/gzip", False, "`content-encoding: gzip` with a body that is not gzip", "DecodingError"),
    ("deep-json", "/deep", False, "a JSON body nested 5,000 deep", "nested deeper than 128 levels"),
    ("sse-garbage", "/sse-garbage", True, "SSE with lines that are no field, a NUL, bad UTF-8, and no terminal event", "bad stream"),
    ("sse-after-done", "/sse-done", True, "SSE with data after `[DONE]`", "data after [DONE]"),
    ("sse-cut", "/sse-cut", True, "SSE cut in the middle of an event (chunked body cut)", "incomplete chunked read"),
    ("sse-not-sse", "/sse-json", True, "a stream case answered with application/json", "expected text/event-stream"),
    ("sse-deep", "/sse-deep", True, "SSE event data nested 5,000 deep", "nested too deeply"),
    ("echo-everywhere", "/echo", False, "echoes the key in headers, Set-Cookie, body keys and values (recorded, scrubbed)", "recorded"),
    ("echo-sse-text", "/sse-echo", True, "echoes the key in non-JSON SSE data lines (recorded, scrubbed)", "recorded"),
]

SIGNALS = [
    ("sigint-record", "SIGINT while `record` waits on a slow case"),
    ("sigterm-record", "SIGTERM while `record` waits on a slow case"),
    ("sigint-check", "SIGINT while `check` waits on a slow case"),
    ("sigterm-check", "SIGTERM while `check` waits on a slow case"),
    ("sigint-accept", "SIGINT while `accept` is reading the recording"),
    ("sigterm-accept", "SIGTERM while `accept` is reading the recording"),
    ("concurrent-record", "a second `record` while the first holds the lock"),
]


def _deep(n: int) -> bytes:
    return b'{"a":' * n + b"1" + b"}" * n


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
        path = self.path.split("?")[0].removeprefix("/v1")
        auth = self.headers.get("authorization", "")
        st["count"] = st.get("count", 0) + 1
        st.setdefault("paths", []).append(path)
        if path == "/wait" and st.get("slow"):
            st["waiting"].set()
            time.sleep(20)
        bad = st.get("bad", False)
        try:
            if path.startswith("/sse"):
                return self.sse(path, bad, auth)
            if not bad or path in ("/ok", "/wait"):
                return self.json(200, {"id": "x_1", "n": st["count"], "echo": auth if path == "/echo" else "no"},
                                 {"x-echo": auth} if path == "/echo" else {})
            getattr(self, "bad_" + path.strip("/").replace("-", "_").replace("503", "t503"))(auth)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def json(self, status, body, headers=None, ctype="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("x-request-id", "req_1")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def bad_reset(self, auth):
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", "1000")
        self.end_headers()
        self.wfile.write(b'{"id": "x_1", "n"')
        self.wfile.flush()
        time.sleep(0.05)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def bad_short(self, auth):
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", "1000")
        self.end_headers()
        self.wfile.write(b'{"id": "x"')
        self.close_connection = True

    def bad_garbage(self, auth):
        self.wfile.write(b"HTTP/1.1 banana\r\n\r\n")
        self.close_connection = True

    def bad_html(self, auth):
        self.json(200, f"<html><body>Bad gateway {auth}</body></html>".encode())

    def bad_slow(self, auth):
        time.sleep(3)
        self.json(200, {"id": "late"})

    def bad_trickle(self, auth):
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", "100000")
        self.end_headers()
        for _ in range(150):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.2)

    def bad_endless(self, auth):
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        chunk = b"[" * 1 + b"1," * 32000
        for _ in range(2000):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


    def bad_t503(self, auth):
        self.json(503, {"error": "down"})

    def bad_gzip(self, auth):
        self.json(200, b"this is not gzip at all", {"content-encoding": "gzip"})

    def bad_deep(self, auth):
        self.json(200, _deep(5000))

    def bad_echo(self, auth):
        cookie = "sid=" + auth.removeprefix("Bearer ")
        self.json(200, {"id": "x", auth: auth, "authorization": auth, "nested": [{"k": f"key is {auth}"}]},
                  {"x-echo": auth, "set-cookie": cookie, "authorization": auth})

    def sse(self, path, bad, auth):
        good = [b'event: a\ndata: {"type": "a"}\n\n', b'data: {"type": "response.completed"}\n\n']
        body = {
            "/sse-garbage": [b"garbage line\n", b":::\n", b"\x00\xff\xfe bytes\n", b'data: {"type": "a"}\n\n'],
            "/sse-done": [b'data: {"type": "a"}\n\n', b"data: [DONE]\n\n", b'data: {"type": "late"}\n\n'],
            "/sse-cut": [b'data: {"type": "a"}\n\n', b'event: b\ndata: {"ty'],
            "/sse-deep": [b"data: " + _deep(5000) + b"\n\n", b"data: [DONE]\n\n"],
            "/sse-echo": [f"data: key={auth}\n\n".encode(), f"event: x\ndata: {auth}\ndata: again {auth}\n\n".encode(),
                          b'data: {"type": "response.completed"}\n\n'],
        }.get(path) if bad else good
        if bad and path == "/sse-json":
            return self.json(200, {"not": "a stream"})
        if path == "/sse-echo":  # echoes in both modes
            body = [f"data: key={auth}\n\n".encode(), b'data: {"type": "response.completed"}\n\n']
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("x-echo", auth)
        self.end_headers()
        for chunk in body:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
        if path == "/sse-cut" and bad:
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")


@pytest.fixture
def server():
    handler = type("H", (Handler,), {"state": {"waiting": threading.Event()}})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield handler.state, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def write_plan(tmp: Path, url: str, cases: list[tuple[str, str, bool]]) -> Path:
    lines = [f"base_url: {url}/v1", "auth: {api_key_env: APICOMPAT_HOSTILE_KEY}", "cases:"]
    for name, path, stream in cases:
        lines.append(f"  - {{name: {name}, path: {path}, method: POST, json: {{q: 1}}"
                     + (", stream: true" if stream else "") + "}")
    plan = tmp / "apicompat.yaml"
    plan.write_text("\n".join(lines) + "\n")
    return plan


def quick(tmp: Path, *args: str) -> int:
    """In-process, for the set-up runs (a process start costs ~0.4 s)."""
    from apicompat.cli import main

    old = os.environ.get("APICOMPAT_HOSTILE_KEY")
    os.environ["APICOMPAT_HOSTILE_KEY"] = KEY
    try:
        main([*args, "--plan", str(tmp / "apicompat.yaml"), "--snapshots", str(tmp / "snapshots"),
              "--schemas", str(tmp / "schemas")])
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        if old is None:
            del os.environ["APICOMPAT_HOSTILE_KEY"]
        else:
            os.environ["APICOMPAT_HOSTILE_KEY"] = old
    return 0


def cli(tmp: Path, *args: str, extra=(), popen=False):
    cmd = [sys.executable, "-m", "apicompat", *args, "--plan", str(tmp / "apicompat.yaml"),
           "--snapshots", str(tmp / "snapshots"), "--schemas", str(tmp / "schemas"), *extra]
    env = {**os.environ, "APICOMPAT_HOSTILE_KEY": KEY, "CI": "1"}
    env.pop("APICOMPAT_DEBUG", None)
    if popen:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60, cwd=tmp)


def hashes(tmp: Path) -> dict[str, str]:
    out = {}
    for sub in ("snapshots", "schemas"):
        for p in sorted((tmp / sub).rglob("*")) if (tmp / sub).exists() else []:
            rel = p.relative_to(tmp)
            if p.is_file() and ".last-check" not in str(rel) and p.name != ".apicompat.lock":
                out[str(rel)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def leftovers(tmp: Path) -> list[str]:
    return [str(p) for p in tmp.rglob("*") if (p.name.startswith(".apicompat-") and p.name != ".apicompat.lock")
            or p.name.startswith(".last-check-")]


def no_secret(tmp: Path, *outputs: str) -> None:
    for secret in (KEY, f"Bearer {KEY}"):
        assert all(secret not in o for o in outputs)
        for p in tmp.rglob("*"):
            if p.is_file() and p.name != "apicompat.yaml" and not p.is_fifo():
                assert secret.encode() not in p.read_bytes(), p


TRAFFIC_ARGS = ["--timeout", "1", "--retries", "1", "--max-retry-wait", "0.05", "--max-response-mb", "1"]


def test_hostile_traffic_fails_alone_and_keeps_baselines(server, tmp_path):
    state, url = server
    write_plan(tmp_path, url, [("ok", "/ok", False)] + [(cid, path, stream) for cid, path, stream, _, _ in TRAFFIC])
    first = cli(tmp_path, "record", extra=TRAFFIC_ARGS)
    assert first.returncode == 0, first.stderr
    before = hashes(tmp_path)
    assert len(before) == 2 * (len(TRAFFIC) + 1) + 1  # and .gitignore

    state["bad"] = True
    t0 = time.monotonic()
    second = cli(tmp_path, "record", extra=TRAFFIC_ARGS)
    assert time.monotonic() - t0 < 30
    third = cli(tmp_path, "check", "--format", "json", extra=TRAFFIC_ARGS)
    after = hashes(tmp_path)
    print(second.stderr, second.stdout, third.stderr)  # shown with -s: the messages of docs/reliability.md
    for run in (second, third):
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
        errors = {line.split(":")[1].strip().removeprefix("case "): line for line in run.stderr.splitlines()}
        failing = {cid for cid, *_, expect in TRAFFIC if expect != "recorded"}
        assert set(errors) == failing, run.stderr
        for cid, _path, _stream, _what, expect in TRAFFIC:
            if expect != "recorded":
                assert expect in errors[cid], (cid, errors[cid])
                assert len(errors[cid]) < 400, errors[cid]
    for cid, _path, _stream, _what, expect in TRAFFIC:
        if expect != "recorded":
            for rel in (f"snapshots/{cid}.yaml", f"schemas/{cid}.json"):
                assert after[rel] == before[rel], f"{rel}: the baseline of a failed case changed"
    assert after["snapshots/ok.yaml"] != before["snapshots/ok.yaml"], "the good case was not re-recorded"
    assert after["snapshots/echo-everywhere.yaml"] != before["snapshots/echo-everywhere.yaml"]
    assert "[REDACTED]" in (tmp_path / "snapshots" / "echo-everywhere.yaml").read_text()
    assert "[REDACTED]" in (tmp_path / "snapshots" / "echo-sse-text.yaml").read_text()
    last = tmp_path / "snapshots" / ".last-check" / "snapshots"
    assert sorted(p.stem for p in last.iterdir()) == ["echo-everywhere", "echo-sse-text", "ok"]
    no_secret(tmp_path, first.stdout, first.stderr, second.stdout, second.stderr, third.stdout, third.stderr)
    assert not leftovers(tmp_path)


# ---- interruptions ----------------------------------------------------------------------------

def _interrupted(proc: subprocess.Popen, state: dict, sig: int) -> tuple[int, str]:
    assert state["waiting"].wait(20), "the slow case was never requested"
    time.sleep(0.2)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=20)
    return proc.returncode, err


@pytest.mark.parametrize("command", ["record", "check"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_signal_during_run_keeps_the_baseline(server, tmp_path, command, sig):
    state, url = server
    write_plan(tmp_path, url, [("first", "/ok", False), ("slow", "/wait", False), ("last", "/ok", False)])
    assert quick(tmp_path, "record") == 0
    if command == "check":  # a previous check's recording must survive too
        assert quick(tmp_path, "check") == 0
    before = hashes(tmp_path)
    last_before = sorted(p.name for p in (tmp_path / "snapshots").rglob("*"))
    state["slow"] = True
    proc = cli(tmp_path, command, popen=True)
    code, err = _interrupted(proc, state, sig)
    assert code == (130 if sig == signal.SIGINT else 143), err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("apicompat: ") and "Traceback" not in err, err
    assert hashes(tmp_path) == before
    assert sorted(p.name for p in (tmp_path / "snapshots").rglob("*")) == last_before
    assert not leftovers(tmp_path)
    state["slow"] = False
    assert quick(tmp_path, "record") == 0  # the lock was released


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_signal_during_accept_keeps_the_baseline(server, tmp_path, sig):
    """accept reads (and checks) the whole recording before it commits; a large recording keeps it
    reading when the signal comes. Whenever it lands, the baseline is the old one or the new one."""
    state, url = server
    write_plan(tmp_path, url, [("a", "/ok", False), ("b", "/ok", False)])
    assert quick(tmp_path, "record") == 0
    assert quick(tmp_path, "check") == 0  # .last-check/ now differs (the body counts requests)
    before = hashes(tmp_path)
    last = tmp_path / "snapshots" / ".last-check"
    big = "request: {method: GET, path: /z}\nsamples:\n" + "".join(
        f"- {{status: 200, body: {{k{i}: [{', '.join(str(j) for j in range(40))}]}}}}\n" for i in range(1500))
    for i in range(60):
        (last / "snapshots" / f"zz{i}.yaml").write_text(big)
    new = dict(before)
    for sub in ("snapshots", "schemas"):
        for p in (last / sub).iterdir():
            new[f"{sub}/{p.name}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    proc = subprocess.Popen([sys.executable, "-m", "apicompat", "accept", "--snapshots", str(tmp_path / "snapshots"),
                             "--schemas", str(tmp_path / "schemas")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    lock = tmp_path / "snapshots" / ".apicompat.lock"
    while not (lock.exists() and lock.read_text().strip() == str(proc.pid)):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.01)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == (130 if sig == signal.SIGINT else 143), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert hashes(tmp_path) in (before, new)
    assert not leftovers(tmp_path)


def test_concurrent_record_is_refused_clearly(server, tmp_path):
    state, url = server
    write_plan(tmp_path, url, [("slow", "/wait", False)])
    state["slow"] = True
    first = cli(tmp_path, "record", popen=True)
    assert state["waiting"].wait(20)
    second = cli(tmp_path, "record")
    assert second.returncode == 2
    assert second.stderr.count("\n") == 1 and "another apicompat" in second.stderr, second.stderr
    first.send_signal(signal.SIGTERM)
    first.communicate(timeout=20)
    assert first.returncode == 143
    assert not (tmp_path / "snapshots" / "slow.yaml").exists()
    assert not leftovers(tmp_path)
