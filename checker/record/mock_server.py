"""An OpenAI-like server answering from snapshot files: JSON bodies, chunked SSE streams and WebSocket
sessions (ws_replay.py, on the same port), with
`x-request-id`, `openai-version`, `openai-processing-ms` and `x-ratelimit-*` headers. Used by
`apicompat mock-server`, by `record --replay` (through an httpx transport, no socket) and by tests."""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterable
from urllib.parse import urlsplit

from . import sse, ws_replay
from .store import list_snapshots, load_snapshot

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
            req = snap.get("request", {})
            samples = [s for s in snap.get("samples", []) if isinstance(s, dict)]
            if samples:
                key = (str(req.get("method", "GET")).upper(), str(req.get("path", "/")))
                self._routes[key] = (snap, itertools.cycle(samples))

    @classmethod
    def from_dir(cls, directory: str) -> "Routes":
        return cls(load_snapshot(p) for p in list_snapshots(directory))

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


def respond(snap: dict, sample: dict) -> tuple[int, list[tuple[str, str]], list[bytes]]:
    status = int(sample.get("status", 200))
    # A sample's recorded headers are served as they were (a fresh x-request-id where it had one);
    # a hand-written sample without headers gets the usual OpenAI set.
    if "headers" in sample:
        recorded = {str(k).lower(): str(v) for k, v in (sample.get("headers") or {}).items()}
        headers = dict(recorded)
        if "x-request-id" in recorded:
            headers["x-request-id"] = "req_" + uuid.uuid4().hex
    else:
        recorded = {}
        headers = {**DEFAULT_HEADERS, "x-request-id": "req_" + uuid.uuid4().hex}
    if snap.get("stream") and "events" in sample:
        headers["content-type"] = recorded.get("content-type", "text/event-stream; charset=utf-8")
        chunks = list(sse.render(((e.get("event", "message"), e.get("data")) for e in sample["events"]),
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

    def log_message(self, format, *args) -> None:  # quiet
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        found = self.routes.find(self.command, urlsplit(self.path).path)
        if ws_replay.wants(self.headers, found):  # WebSocket sessions, on the same port
            return ws_replay.answer(self, found)
        if found is None:
            body = json.dumps({"error": {"message": f"no snapshot for {self.command} {self.path}",
                                         "type": "invalid_request_error"}}).encode()
            self.send_response(404)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        status, headers, chunks = respond(*found)
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


def make_server(routes: Routes, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"routes": routes})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def start_in_thread(routes: Routes, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    server = make_server(routes, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, real_port = server.server_address[:2]
    return server, f"http://{host}:{real_port}"


def replay_transport(routes: Routes):
    """An httpx transport answering from the same routes, with no socket at all."""
    import httpx

    def handle(request: httpx.Request) -> httpx.Response:
        found = routes.find(request.method, request.url.path)
        if found is None:
            return httpx.Response(404, json={"error": {"message": f"no snapshot for {request.method} {request.url.path}"}})
        status, headers, chunks = respond(*found)
        return httpx.Response(status, headers=headers, content=b"".join(chunks))

    return httpx.MockTransport(handle)
