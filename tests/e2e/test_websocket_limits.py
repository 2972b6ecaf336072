"""Hostile WebSocket servers on 127.0.0.1: every one is a per-case error (exit 1, one line naming the
case), within the session's time, never a hang or a traceback, and no snapshot is written.

Servers are either websockets' own (for well-formed but hostile traffic) or a raw socket that
writes the handshake and frames by hand (for what a well-behaved library would never send)."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
import time
from pathlib import Path

import pytest
from conftest import run_cli_captured
from websockets.sync.server import serve

KEY = "sk-limits-SECRETSECRET"
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(opcode: int, payload: bytes, fin: bool = True, claimed: int | None = None) -> bytes:
    """An unmasked server frame; `claimed` lies about the payload length."""
    n = len(payload) if claimed is None else claimed
    head = bytes([(0x80 if fin else 0) | opcode])
    if n < 126:
        head += bytes([n])
    elif n < 1 << 16:
        head += bytes([126]) + struct.pack("!H", n)
    else:
        head += bytes([127]) + struct.pack("!Q", n)
    return head + payload


class RawServer:
    """Accepts connections; answers the upgrade (or not) and runs `scenario(sock)`."""

    def __init__(self, scenario, handshake: bytes | None = None, answer: bool = True) -> None:
        self.scenario, self.handshake, self.answer = scenario, handshake, answer
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.socks: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self.socks.append(sock)
            threading.Thread(target=self._handle, args=(sock,), daemon=True).start()

    def _handle(self, sock: socket.socket) -> None:
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    return
                data += chunk
            if not self.answer:
                self.stop.wait(30)
                return
            if self.handshake is not None:
                sock.sendall(self.handshake)
                return
            key = next(line.split(b":", 1)[1].strip() for line in data.split(b"\r\n")
                       if line.lower().startswith(b"sec-websocket-key:"))
            accept = base64.b64encode(hashlib.sha1(key + GUID.encode()).digest())
            sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
            sock.recv(65536)  # the client's first message: what follows is an answer to it
            self.scenario(sock, self.stop)
        except OSError:
            pass

    def close(self) -> None:
        self.stop.set()
        self.listener.close()
        for s in self.socks:
            try:
                s.close()
            except OSError:
                pass


class LibServer:
    """websockets' sync server running `handler(ws)` in a thread."""

    def __init__(self, handler) -> None:
        self.server = serve(handler, "127.0.0.1", 0, ping_interval=None, max_size=None)
        self.port = self.server.socket.getsockname()[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def record(tmp_path: Path, capsys, monkeypatch, port: int, *, until: str = "until: done", timeout: float = 2,
           max_mb: int = 16, retries: int = 0, send: str = "[{type: hello}]") -> tuple[int, str, float]:
    monkeypatch.setenv("WS_LIMITS_KEY", KEY)
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"base_url: http://127.0.0.1:{port}/v1\nauth: {{api_key_env: WS_LIMITS_KEY}}\ncases:\n"
                    f"  - name: rt\n    websocket: true\n    path: /realtime\n    send: {send}\n    {until}\n"
                    f"    timeout: {timeout}\n")
    start = time.monotonic()
    code, out, err = run_cli_captured(["record", "--plan", str(plan), "--snapshots", str(tmp_path / "s"),
                                       "--schemas", str(tmp_path / "sc"), "--retries", str(retries),
                                       "--max-retry-wait", "0", "--max-response-mb", str(max_mb)], capsys)
    elapsed = time.monotonic() - start
    assert KEY not in out + err and "Traceback" not in err
    assert not (tmp_path / "s" / "rt.yaml").exists()
    return code, err, elapsed


@pytest.fixture
def servers():
    made = []
    yield made
    for s in made:
        s.close()


def raw(servers, scenario, **kw) -> int:
    s = RawServer(scenario, **kw)
    servers.append(s)
    return s.port


def lib(servers, handler) -> int:
    s = LibServer(handler)
    servers.append(s)
    return s.port


def _hold(sock, stop) -> None:
    stop.wait(30)


@pytest.mark.parametrize("name, scenario, expected", [
    ("binary frame", lambda s, stop: (s.sendall(frame(0x2, b"\x00\x01\x02")), _hold(s, stop)),
     "message 1 is a binary frame (3 bytes)"),
    ("non-JSON text", lambda s, stop: (s.sendall(frame(0x1, b"hello " + KEY.encode())), _hold(s, stop)),
     "message 1 is not JSON: 'hello [REDACTED]'"),
    ("huge frame", lambda s, stop: (s.sendall(frame(0x1, b"", claimed=1 << 40)), _hold(s, stop)),
     "lost the connection after 0 event(s), before 'done' (sent 1009 (message too big) frame with "
     "1099511627776 bytes exceeds limit of 16777216 bytes)"),
    ("close mid-message", lambda s, stop: (s.sendall(frame(0x1, b'{"type": "a"}') + frame(0x1, b'{"type": "do', fin=False)),
                                           s.shutdown(socket.SHUT_RDWR)),
     "lost the connection after 1 event(s), before 'done'"),
    ("clean close before until", lambda s, stop: (s.sendall(frame(0x1, b'{"type": "a"}') + frame(0x8, b"\x03\xe8")),
                                                  _hold(s, stop)),
     "closed the session after 1 event(s), before 'done'"),
    ("close with the key as its reason", lambda s, stop: (s.sendall(frame(0x8, b"\x0f\xa0" + KEY.encode())), _hold(s, stop)),
     "lost the connection after 0 event(s), before 'done' (received 4000 (private use) [REDACTED]"),
    ("trickled frame", lambda s, stop: [s.sendall(frame(0x1, b"", claimed=1000))] + [
        (s.sendall(b"x"), time.sleep(0.1)) for _ in range(100) if not stop.is_set()],
     "timed out after 1.5s waiting for 'done' (0 event(s) received)"),
])
def test_hostile_raw_servers(tmp_path, capsys, monkeypatch, servers, name, scenario, expected):
    code, err, elapsed = record(tmp_path, capsys, monkeypatch, raw(servers, scenario), timeout=1.5)
    assert code == 1 and err.startswith("apicompat: case rt: sample 1 of 1: "), err
    assert expected in err, err
    assert elapsed < 1.5 + 2.5


def test_handshake_never_answered(tmp_path, capsys, monkeypatch, servers):
    code, err, elapsed = record(tmp_path, capsys, monkeypatch, raw(servers, None, answer=False), timeout=1)
    assert code == 1 and "timed out after 1s opening the session" in err
    assert elapsed < 3


def test_upgrade_refused_and_retried(tmp_path, capsys, monkeypatch, servers):
    port = raw(servers, None, handshake=b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n")
    code, err, _ = record(tmp_path, capsys, monkeypatch, port, retries=2)
    # a refused key is one error of the run (exit 2), not a failed case; never retried
    assert code == 2 and "authentication failed: status 401" in err and servers[0].connections == 1
    busy = RawServer(None, handshake=b"HTTP/1.1 503 Busy\r\nretry-after: 0\r\ncontent-length: 0\r\n\r\n")
    servers.append(busy)
    code, err, _ = record(tmp_path, capsys, monkeypatch, busy.port, retries=2)
    assert code == 1 and "status 503 after 3 attempts" in err and busy.connections == 3


def test_connection_refused(tmp_path, capsys, monkeypatch):
    port = socket.create_server(("127.0.0.1", 0))
    free = port.getsockname()[1]
    port.close()
    code, err, _ = record(tmp_path, capsys, monkeypatch, free)
    assert code == 1 and "ConnectionRefusedError" in err


def test_never_ending_stream_hits_the_event_cap(tmp_path, capsys, monkeypatch, servers):
    def endless(ws):
        try:
            while True:
                ws.send('{"type": "tick"}')
        except Exception:
            pass

    code, err, elapsed = record(tmp_path, capsys, monkeypatch, lib(servers, endless), timeout=20)
    assert code == 1 and "more than 10000 events without 'done'" in err, err
    assert elapsed < 20


def test_never_ending_slow_stream_hits_the_time(tmp_path, capsys, monkeypatch, servers):
    def slow(ws):
        try:
            while True:
                ws.send('{"type": "tick"}')
                time.sleep(0.05)
        except Exception:
            pass

    code, err, elapsed = record(tmp_path, capsys, monkeypatch, lib(servers, slow), timeout=1)
    assert code == 1 and "timed out after 1s waiting for 'done'" in err
    assert elapsed < 3


def test_message_over_the_size_limit(tmp_path, capsys, monkeypatch, servers):
    big = json.dumps({"type": "big", "blob": "x" * (1024 * 1024 + 10)})
    code, err, _ = record(tmp_path, capsys, monkeypatch, lib(servers, lambda ws: ws.send(big) or ws.recv()), max_mb=1)
    # The server's close may reach the client before or after its one message went out: either way
    # the case fails naming 1009 (message too big), with nothing recorded.
    ended = "lost the connection after 0 event(s)" in err or "the session ended after 0 of 1 messages" in err
    assert code == 1 and ended and "1009" in err, err


def test_messages_over_the_total_limit(tmp_path, capsys, monkeypatch, servers):
    part = json.dumps({"type": "part", "blob": "x" * 300_000})

    def many(ws):
        for _ in range(5):
            ws.send(part)
        ws.recv()

    code, err, _ = record(tmp_path, capsys, monkeypatch, lib(servers, many), max_mb=1)
    assert code == 1 and "the session's messages passed 1048576 bytes (--max-response-mb)" in err


def test_nesting_over_the_limit(tmp_path, capsys, monkeypatch, servers):
    deep = '{"type": "deep", "a": ' + "[" * 200 + "]" * 200 + "}"
    code, err, _ = record(tmp_path, capsys, monkeypatch, lib(servers, lambda ws: ws.send(deep) or ws.recv()))
    assert code == 1 and "message 1 is nested deeper than 128 levels" in err


def test_max_events_ends_a_session_that_would_go_on(tmp_path, capsys, monkeypatch, servers):
    def endless(ws):
        try:
            n = 0
            while True:
                n += 1
                ws.send(json.dumps({"type": "tick", "n": n}))
        except Exception:
            pass

    port = lib(servers, endless)
    monkeypatch.setenv("WS_LIMITS_KEY", KEY)
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"base_url: http://127.0.0.1:{port}\nauth: {{api_key_env: WS_LIMITS_KEY}}\ncases:\n"
                    "  - {name: rt, websocket: true, path: /x, max_events: 5, timeout: 5}\n")
    code, _, err = run_cli_captured(["record", "--plan", str(plan), "--snapshots", str(tmp_path / "s"),
                                     "--schemas", str(tmp_path / "sc")], capsys)
    assert code == 0, err
    text = (tmp_path / "s" / "rt.yaml").read_text()
    assert text.count("event: tick") == 5 and "ended: max_events" in text


def test_the_watchdog_ends_a_send_the_server_never_reads(servers):
    """A server that stops reading blocks our send in the kernel: the session's deadline still holds."""
    from apicompat.record.websocket import Closed, _Live

    port = raw(servers, _hold)
    conn = _Live(f"ws://127.0.0.1:{port}/x", {}, time.monotonic() + 1, 1 << 30)
    start = time.monotonic()
    with pytest.raises(Closed) as info:
        conn.send("x" * 65536)  # the server's first read
        conn.send("x" * (32 << 20))  # more than the socket buffers hold
    conn.close()
    assert info.value.timed_out and time.monotonic() - start < 1 + 2.5
