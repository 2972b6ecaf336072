"""An OpenAI-like server answering from snapshot files: JSON bodies, chunked SSE streams and WebSocket
sessions (ws_replay.py, on the same port), with
`x-request-id`, `openai-version`, `openai-processing-ms` and `x-ratelimit-*` headers. Used by
`apicompat mock-server`, by `record --replay` (through an httpx transport, no socket) and by tests."""

from __future__ import annotations

import itertools
import json
import socket
import sys
import threading
import uuid
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast
from urllib.parse import urlsplit

from . import sse, ws_replay
from ..load.limits import DEFAULT_LIMITS, Limits
from .store import list_snapshots, load_snapshot

IDLE_TIMEOUT = 30.0  # seconds a connection may wait for its next request (or the rest of one)
MAX_REQUEST_BODY = 1024 * 1024  # the replay never needs a request body: larger ones are refused unread
DEFAULT_HEADERS = {
    "openai-version": "2020-10-01",
    "openai-processing-ms": "42",
    "x-ratelimit-limit-requests": "10000",
    "x-ratelimit-remaining-requests": "9999",
    "x-ratelimit-reset-requests": "6ms",
}


class Routes:
    """(METHOD, path) -> the snapshot's samples, answered in turn."""

    def __init__(self, snapshots: Iterable[dict]) -> None:
        self._routes: dict[tuple[str, str], tuple[dict, itertools.cycle]] = {}
        self._lock = threading.Lock()
        for snap in snapshots:
            req = snap.get("request")
            if not isinstance(req, dict):
                req = {}
            samples = [s for s in snap.get("samples") or [] if isinstance(s, dict)] if isinstance(
                snap.get("samples"), list) else []
            if samples:
                key = (str(req.get("method", "GET")).upper(), str(req.get("path", "/")))
                self._routes[key] = (snap, itertools.cycle(samples))

    @classmethod
    def from_dir(cls, directory: str, limits: Limits = DEFAULT_LIMITS) -> Routes:
        return cls(load_snapshot(p, limits) for p in list_snapshots(directory))

    def __len__(self) -> int:
        return len(self._routes)

    def find(self, method: str, path: str) -> tuple[dict, dict] | None:
        """Exact path, else the longest snapshot path the request path ends with (a /v1 prefix)."""
        best = None
        for (m, p), value in self._routes.items():
            if m == method and (path == p or path.endswith(p)):
                if best is None or len(p) > len(best[0]):
                    best = (p, value)
        if best is None:
            return None
        snap, cycle = best[1]
        with self._lock:
            return snap, next(cycle)


class ReplayError(Exception):
    """A snapshot the replay cannot serve (answered with 500, one line, never a traceback)."""


def _status(sample: dict) -> int:
    status = sample.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599:
        raise ReplayError(f"the recorded status {str(status)[:40]!r} is not an HTTP status (200-599)")
    return status


def respond(snap: dict, sample: dict) -> tuple[int, list[tuple[str, str]], list[bytes]]:
    status = _status(sample)
    # A sample's recorded headers are served as they were (a fresh x-request-id where it had one);
    # a hand-written sample without headers gets the usual OpenAI set.
    if "headers" in sample:
        given = sample.get("headers")
        if not isinstance(given, dict):
            given = {}
        recorded = {str(k).lower(): str(v) for k, v in given.items() if ws_replay.safe_header(k, v)}
        headers = dict(recorded)
        if "x-request-id" in recorded:
            headers["x-request-id"] = "req_" + uuid.uuid4().hex
    else:
        recorded = {}
        headers = {**DEFAULT_HEADERS, "x-request-id": "req_" + uuid.uuid4().hex}
    if snap.get("stream") and "events" in sample:
        headers["content-type"] = recorded.get("content-type", "text/event-stream; charset=utf-8")
        events = sample["events"] if isinstance(sample["events"], list) else []
        chunks = list(sse.render(((str(e.get("event", "message")).replace("\r", " ").replace("\n", " "),
                                   e.get("data")) for e in events if isinstance(e, dict)),
                                 bool(sample.get("done"))))
    else:
        headers.setdefault("content-type", "application/json")
        body = sample.get("body")
        chunks = [(body if isinstance(body, str) and "json" not in headers["content-type"]
                   else json.dumps(body, indent=2)).encode("utf-8")]
    return status, list(headers.items()), chunks


class Handler(BaseHTTPRequestHandler):
    routes: Routes
    protocol_version = "HTTP/1.1"
    server_version = "apicompat-mock"
    timeout = IDLE_TIMEOUT  # the socket's timeout: an idle or trickling client is dropped

    def log_message(self, format, *args) -> None:  # quiet
        pass

    def handle_one_request(self) -> None:
        """The request (line, headers, body) must arrive whole within `timeout` seconds: the socket's
        timeout bounds each read, this deadline the sum, so a client trickling a byte a second cannot
        hold a thread. Answering is not under it (the WebSocket replay has its own limit)."""
        self._deadline = threading.Timer(self.timeout, self._cut)
        self._deadline.daemon = True
        self._deadline.start()
        try:
            super().handle_one_request()
        finally:
            self._deadline.cancel()

    def _cut(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _plain(self, status: int, message: str, close: bool = False) -> None:
        body = json.dumps({"error": {"message": message, "type": "invalid_request_error"}}).encode()
        if close:
            self.close_connection = True
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        if close:
            self.send_header("connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _skip_body(self) -> bool:
        """Read and drop the request body, bounded; False (answered, connection closing) when the
        length is missing on a chunked body, malformed, negative or over MAX_REQUEST_BODY."""
        if "chunked" in str(self.headers.get("transfer-encoding") or "").lower():
            self._plain(411, "chunked request bodies are not read by the mock server; send content-length",
                        close=True)
            return False
        declared = self.headers.get_all("content-length") or []
        text = declared[0].strip() if len(declared) == 1 else ("0" if not declared else "")
        if not text.isdigit() or len(text) > 18:
            self._plain(400, f"bad content-length {', '.join(declared)[:40]!r}", close=True)
            return False
        length = int(text)
        if length > MAX_REQUEST_BODY:
            self._plain(413, f"request body of {length} bytes is over the mock server's {MAX_REQUEST_BODY}",
                        close=True)
            return False
        while length:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                self.close_connection = True
                return False
            length -= len(chunk)
        return True

    def _answer(self) -> None:
        if not self._skip_body():
            return
        self._deadline.cancel()  # the request is in: answering is not under the request deadline
        found = self.routes.find(self.command, urlsplit(self.path).path)
        if ws_replay.wants(self.headers, found):  # WebSocket sessions, on the same port
            return ws_replay.answer(self, found)
        if found is None:
            return self._plain(404, f"no snapshot for {self.command} {self.path}")
        try:
            status, headers, chunks = respond(*found)
        except (ReplayError, TypeError, ValueError) as exc:
            return self._plain(500, f"cannot replay the snapshot for {self.command} {urlsplit(self.path).path}: "
                               f"{exc}")
        self.send_response(status)
        streaming = any(k == "content-type" and "event-stream" in v for k, v in headers)
        for k, v in headers:
            self.send_header(k, v)
        if streaming:
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            for chunk in chunks:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        else:
            data = b"".join(chunks)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """One line, never a traceback: a client that vanishes or misbehaves ends its connection."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
            return
        sys.stderr.write(f"apicompat: mock-server: {client_address[0]}: {type(exc).__name__}: "
                         f"{str(exc)[:200]!r}\n")


def make_server(routes: Routes, port: int = 0, host: str = "127.0.0.1",
                idle_timeout: float = IDLE_TIMEOUT) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"routes": routes, "timeout": idle_timeout})
    return _Server((host, port), handler)


def start_in_thread(routes: Routes, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    server = make_server(routes, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, real_port = cast(tuple[str, int], server.server_address[:2])  # an AF_INET address
    return server, f"http://{host}:{real_port}"


def replay_transport(routes: Routes):
    """An httpx transport answering from the same routes, with no socket at all."""
    import httpx  # start-up time: httpx loads only for the replay transport, not for `apicompat mock`

    def handle(request: httpx.Request) -> httpx.Response:
        found = routes.find(request.method, request.url.path)
        if found is None:
            missing = f"no snapshot for {request.method} {request.url.path}"
            return httpx.Response(404, json={"error": {"message": missing}})
        try:
            status, headers, chunks = respond(*found)
        except (ReplayError, TypeError, ValueError) as exc:
            return httpx.Response(500, json={"error": {"message": f"cannot replay: {exc}"}})
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(b"".join(chunks)))

    return httpx.MockTransport(handle)
