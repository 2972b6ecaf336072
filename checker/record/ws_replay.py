"""The mock server's WebSocket side: an `Upgrade: websocket` request to a recorded session's path is
answered on the same port as HTTP, by replaying the snapshot's events in order.

The stdlib HTTP handler has already read the upgrade request; websockets' sans-I/O protocol checks
it and builds the 101 answer (`ServerProtocol.accept`), then frames the events. The replay sends
every recorded event as a JSON text message, waits for as many client messages as the recording
sent (or the client's close), then closes with 1000 and drops what the client sends until its close
frame: the client's `until:` event and a normal close end the session as they would against the
real server. Reads and the whole session are bounded (SESSION_LIMIT, MAX_CLIENT_MESSAGE).
"""

from __future__ import annotations

import json
import re
import socket
import time
import uuid
from collections.abc import Sequence

from .websocket import QUIET, is_session

SESSION_LIMIT = 30.0  # seconds a replayed session may stay open
MAX_CLIENT_MESSAGE = 1024 * 1024
# A header the server writes must be a token name and a value with no control characters: a recorded
# (or hand-written) header holding CR or LF must never add lines to a response.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}")
_VALUE = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f]{0,8192}")
_OWN = ("content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "trailer", "te")


def safe_header(name: object, value: object) -> bool:
    """Can this recorded header be served as it is? (Else it is left out.)"""
    return (_TOKEN.fullmatch(str(name)) is not None and _VALUE.fullmatch(str(value)) is not None
            and str(name).lower() not in _OWN)


def is_upgrade(headers) -> bool:
    return "websocket" in str(headers.get("upgrade") or "").lower()


def wants(headers, found) -> bool:
    """Does the WebSocket side answer this request (an upgrade, or a plain request to a session)?"""
    return is_upgrade(headers) or (found is not None and is_session(found[0]))


def answer(handler, found) -> None:
    """Answer `handler`'s request (a BaseHTTPRequestHandler whose headers are read)."""
    from websockets.datastructures import Headers  # start-up time: websockets loads only when a session is replayed
    from websockets.http11 import Request  # start-up time: websockets loads only when a session is replayed
    from websockets.server import ServerProtocol  # start-up time: websockets loads only when a session is replayed

    handler.close_connection = True
    if not is_upgrade(handler.headers):
        return _plain(handler, 426, "this path is a WebSocket session: send an Upgrade: websocket request",
                      [("upgrade", "websocket")])
    if found is None or not is_session(found[0]):
        return _plain(handler, 404, f"no recorded WebSocket session for {handler.path}")
    snap, sample = found
    handshake = ServerProtocol(logger=QUIET)
    request = Request(handler.path, Headers(handler.headers.items()))
    response = handshake.accept(request)
    if response.status_code == 101:
        status = sample.get("status", 101)
        if status != 101:  # a hand-written refusal is replayed as such (a nonsense status as 502)
            valid = isinstance(status, int) and not isinstance(status, bool) and 200 <= status <= 599
            status = status if valid else 502
            return _plain(handler, status, "the recorded session was refused")
        for name, value in (sample.get("headers") or {}).items():
            name = str(name).lower()
            if (name in response.headers or name.startswith(("content-", "sec-websocket-"))
                    or not safe_header(name, value)):
                continue  # the handshake's own headers stay as the protocol made them
            response.headers[name] = "req_" + uuid.uuid4().hex if name == "x-request-id" else str(value)
    handler.wfile.write(response.serialize())
    handler.wfile.flush()
    if response.status_code == 101:
        _replay(handler, snap, sample)


def _plain(handler, status: int, message: str, extra: Sequence[tuple[str, str]] = ()) -> None:
    body = json.dumps({"error": {"message": message, "type": "invalid_request_error"}}).encode()
    handler.send_response(status)
    for name, value in [("content-type", "application/json"), ("content-length", str(len(body))), *extra]:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _replay(handler, snap: dict, sample: dict) -> None:
    from websockets.frames import Frame, Opcode  # start-up time: websockets loads only when a session is replayed
    from websockets.protocol import State  # start-up time: websockets loads only when a session is replayed
    from websockets.server import ServerProtocol  # start-up time: websockets loads only when a session is replayed

    protocol = ServerProtocol(state=State.OPEN, max_size=MAX_CLIENT_MESSAGE, logger=QUIET)
    sock = handler.connection
    deadline = time.monotonic() + SESSION_LIMIT
    request = snap.get("request")
    if not isinstance(request, dict):
        request = {}
    expected = len(request.get("send") or []) if isinstance(request.get("send"), list) else 0
    received = 0
    done = False  # the protocol asked for the TCP connection to be closed

    def flush() -> None:
        nonlocal done
        for data in protocol.data_to_send():
            if data:
                handler.wfile.write(data)
            else:
                done = True
                sock.shutdown(socket.SHUT_WR)
        handler.wfile.flush()

    def read() -> bool:
        """One read from the client; False once it is gone or time is up."""
        nonlocal received
        if done or time.monotonic() >= deadline:
            return False
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        chunk = handler.rfile.read1(65536)
        if not chunk:
            protocol.receive_eof()
            return False
        protocol.receive_data(chunk)
        received += sum(1 for f in protocol.events_received()
                        if isinstance(f, Frame) and f.fin and f.opcode in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT))
        flush()
        return True

    try:
        for event in sample.get("events") or []:
            data = event.get("data") if isinstance(event, dict) else event
            protocol.send_text(json.dumps(data, ensure_ascii=False).encode("utf-8"))
            flush()
        # The recorded client sent `expected` messages: wait for them (or its close) before closing,
        # as the real server answered them; then the closing handshake, dropping what else comes.
        while protocol.state is State.OPEN and received < expected and read():
            pass
        if protocol.state is State.OPEN:
            protocol.send_close(1000)
            flush()
        while protocol.state is not State.CLOSED and read():
            pass
    except OSError:  # the client went away (reset, timeout): nothing left to answer
        pass
