"""A real HTTP server on 127.0.0.1 for the tests and benchmarks that record from one
(tests/e2e/test_traffic_fuzz.py, benchmarks/kill_campaign.py): a quiet handler that drains the
request body, and a server on a free port in a daemon thread."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """Speaks HTTP/1.1 (keep-alive, as the recorder's client uses it) and logs nothing."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *a) -> None:
        pass

    def drain(self) -> None:
        """Read the request body, so that the next request on the connection starts where it should."""
        n = int(self.headers.get("content-length") or 0)
        if n:
            self.rfile.read(n)


def serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    """Start `handler` on a free port of 127.0.0.1; the server and its base URL. Call `shutdown()`
    when done. A client that drops its connection mid-answer (a killed `record`, a timeout) is
    expected here, not an error to print."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    srv.handle_error = lambda *a: None
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"
