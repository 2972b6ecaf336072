"""Recording WebSocket sessions (OpenAI's Realtime API and anything shaped like it).

A plan case with `websocket: true` opens `path` on the plan's base URL (http -> ws, https -> wss),
with the plan's key as `Authorization: Bearer` on the upgrade request, sends each `send:` message
as JSON text in order, then reads server events until one of type `until:` arrives, `max_events:`
have arrived, or (without `until:`) the server closes normally. The snapshot keeps the received
events in order, as `{event: <type>, data: <JSON>}` like an SSE stream, so that inference, check
and conform treat both alike.

Bounds, each a per-case error (never a hang): the case's `timeout:` (else `--timeout`) covers the
whole session: TCP connect, TLS, handshake (websockets' `open_timeout`), every read, and the
closing handshake, enforced by a watchdog that shuts the socket down at the deadline whatever the
library is blocked on; one message and all messages together at most `--max-response-mb`; at most
MAX_EVENTS events; at most MAX_BODY_DEPTH levels of JSON. Binary frames, text that is not JSON and
a connection lost mid-message end the case. The library is `websockets` (see pyproject.toml's
commit): its sync client and server, and its sans-I/O protocol for the mock (ws_replay.py).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

from .common import MAX_BODY_DEPTH, RETRY_STATUSES, CaseError, _depth_over, _snippet, kept_headers, retry_wait

if TYPE_CHECKING:  # plan.py imports this module
    from .plan import Case

LABEL = "WEBSOCKET"
KEYS = {"websocket", "send", "until", "max_events", "timeout"}
ONLY_HTTP = ("json", "stream", "terminal")  # keys that mean nothing for a session
MAX_EVENTS = 10_000
MAX_SEND = 1_000
MAX_TIMEOUT = 3600.0
CLEAN_CLOSE = (1000, 1001)
CLOSE_WAIT = 2.0  # longest wait for the closing handshake (inside the session's deadline)

# websockets writes the handshake's headers (the key among them) to its logger at DEBUG level, which a
# user's logging.basicConfig(level=DEBUG) or pytest --log-level=DEBUG would print: ours stays silent.
QUIET = logging.getLogger("apicompat.record.websocket.wire")
QUIET.disabled = True
QUIET.propagate = False


@dataclass
class Session:
    """A plan case's WebSocket keys."""

    send: list = field(default_factory=list)
    until: tuple[str, ...] | None = None
    max_events: int | None = None
    timeout: float | None = None


def is_session(snapshot: dict) -> bool:
    return isinstance(snapshot, dict) and snapshot.get("websocket") is True


def operation(path: str) -> str:
    """How reports name a recorded session: `WEBSOCKET /realtime`."""
    return f"{LABEL} {path}"


# ---- the plan ------------------------------------------------------------------------------------

def read_session(fail: Callable[[str, str], Exception], c: dict, case: Case) -> None:
    """Fill `case.websocket` from the case's mapping `c`, as the plan's schema let it through (each
    key's type and range); `fail(key, message)` is the error naming that key of the case and its line."""
    if not c.get("websocket"):
        for key in c:  # in the plan's order: the first such key is named
            if key in KEYS - {"websocket"}:
                raise fail(key, f"{key} is only for WebSocket sessions (add websocket: true)")
        return
    for key in ONLY_HTTP:
        if key in c:
            raise fail(key, f"{key} cannot be used with websocket: true (a session sends its messages with send:)")
    if case.method != "GET":
        raise fail("method", "method must be GET (or left out) for a WebSocket session")
    if "until" not in c and "max_events" not in c:
        raise fail("websocket", "a WebSocket session needs until: (the event type that ends it) or max_events:")
    until = c.get("until")
    case.websocket = Session(send=list(c.get("send") or []),
                             until=(until,) if isinstance(until, str) else tuple(until) if until else None,
                             max_events=c.get("max_events"),
                             timeout=float(c["timeout"]) if "timeout" in c else None)


def ws_url(base_url: str, path: str, query: dict[str, str] | None = None) -> str:
    """http(s)://host/v1 + /realtime -> ws(s)://host/v1/realtime?query."""
    parts = urlsplit(base_url.rstrip("/") + path)
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(parts.scheme.lower())
    if scheme is None:
        raise ValueError(f"cannot derive a WebSocket URL from {base_url!r}")
    q = parts.query
    if query:
        q = (q + "&" if q else "") + urlencode(query)
    return urlunsplit((scheme, parts.netloc, parts.path, q, ""))


# ---- connections ---------------------------------------------------------------------------------

class Closed(Exception):
    """The connection ended: `clean` for a close frame with 1000/1001 received."""

    def __init__(self, clean: bool, detail: str, timed_out: bool = False) -> None:
        super().__init__(detail)
        self.clean = clean
        self.timed_out = timed_out  # the watchdog shut the socket: the session's time is up


class Rejected(Exception):
    """The server answered the upgrade request with another HTTP status."""

    def __init__(self, status: int, headers) -> None:
        super().__init__(f"status {status}")
        self.status = status
        self.headers = headers


class _Live:
    """A websockets client connection behind the small interface the session loop uses."""

    def __init__(self, url: str, headers: dict[str, str], deadline: float, max_bytes: int) -> None:
        from websockets.exceptions import InvalidStatus  # start-up time: websockets loads only for a live session
        from websockets.sync.client import connect  # start-up time: websockets loads only for a live session

        self.deadline = deadline
        self.timed_out = False
        try:
            self._cm = connect(url, additional_headers=headers, user_agent_header=None,
                               open_timeout=max(deadline - time.monotonic(), 0.001), ping_interval=None,
                               close_timeout=CLOSE_WAIT, max_size=max_bytes, max_queue=2, logger=QUIET)
        except InvalidStatus as exc:
            raise Rejected(exc.response.status_code, exc.response.headers) from None
        self.ws = self._cm.__enter__()
        response = self.ws.response
        assert response is not None  # connect() returns once the handshake's response is in
        self.status = response.status_code
        self.headers = [(k.lower(), v) for k, v in response.headers.raw_items()]
        # The whole-session bound, whatever the library is blocked on (a read, a send, the close).
        self._watchdog = threading.Timer(max(deadline - time.monotonic(), 0), self._expire)
        self._watchdog.daemon = True
        self._watchdog.start()

    def _expire(self) -> None:
        self.timed_out = True
        try:
            self.ws.socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _failed(self) -> Closed | None:
        """The session is over though the TCP connection is not: the server sent its close frame
        (and has not hung up), or we closed with an error code (a frame over max_size, a protocol
        error) and it has not answered. That, not the wait that followed, is what happened."""
        rcvd = getattr(self.ws.protocol, "close_rcvd", None)
        if rcvd is not None:
            return Closed(rcvd.code in CLEAN_CLOSE, f"received {rcvd}")
        sent = getattr(self.ws.protocol, "close_sent", None)
        if sent is not None and sent.code not in CLEAN_CLOSE:
            return Closed(False, f"sent {sent}")
        return None

    def _closed(self, exc) -> Closed:
        if self.timed_out:
            return self._failed() or Closed(False, "timed out", timed_out=True)
        rcvd = getattr(exc, "rcvd", None)
        clean = rcvd is not None and rcvd.code in CLEAN_CLOSE
        return Closed(clean, str(exc))

    def send(self, text: str) -> None:
        from websockets.exceptions import ConnectionClosed  # start-up time: websockets loads only for a live session

        try:
            self.ws.send(text)
        except ConnectionClosed as exc:
            raise self._closed(exc) from None

    def recv(self, timeout: float) -> str | bytes:
        from websockets.exceptions import ConnectionClosed  # start-up time: websockets loads only for a live session

        try:
            return self.ws.recv(timeout=timeout)
        except ConnectionClosed as exc:
            raise self._closed(exc) from None
        except TimeoutError:
            failed = self._failed()
            if failed is not None:
                raise failed from None
            raise

    def close(self) -> None:
        try:
            self._cm.__exit__(None, None, None)
        except Exception:  # the session is recorded; a failed goodbye changes nothing
            pass
        finally:
            self._watchdog.cancel()


class Replay:
    """`record --replay`: a recorded session served from its snapshot, with no socket."""

    def __init__(self, sample: dict) -> None:
        self.status = 101  # only sessions that opened are recorded
        self.headers = [(str(k).lower(), str(v)) for k, v in (sample.get("headers") or {}).items()]
        events = sample.get("events")
        if not isinstance(events, list):
            events = []
        self._queue = [json.dumps(e.get("data") if isinstance(e, dict) else e) for e in events]

    def send(self, text: str) -> None:
        pass

    def recv(self, timeout: float) -> str:
        if not self._queue:
            raise Closed(True, "received 1000 (OK); the replayed session ended")
        return self._queue.pop(0)

    def close(self) -> None:
        pass


def replay_from(routes) -> Callable[[str], dict | None] | None:
    """`record --replay`: path -> a recorded session's next sample (mock_server.Routes), or None."""
    if routes is None:
        return None

    def find(path: str) -> dict | None:
        found = routes.find("GET", path)
        return found[1] if found is not None and is_session(found[0]) else None

    return find


# ---- one session ---------------------------------------------------------------------------------

def record_case(rec, case: Case, open_replay: Callable[[str], dict | None] | None = None) -> dict:
    """All samples of a WebSocket case as a snapshot (like Recorder.record_case for HTTP).
    `open_replay(path)` answers from recorded snapshots instead of the network."""
    samples = []
    for i in range(case.repeat):
        try:
            samples.append(_sample(rec, case, open_replay))
        except CaseError as exc:
            raise CaseError(f"sample {i + 1} of {case.repeat}: {exc}", exc.status) from None
    request: dict = {"method": "GET", "path": rec.redactor.url(case.path)}  # as HTTP requests' (client.py)
    if case.query:
        request["query"] = rec.redactor.query(case.query)
    assert case.websocket is not None  # only WebSocket cases come here
    request["send"] = rec.redactor.value(case.websocket.send)
    return {"case": case.name, "request": request, "websocket": True, "samples": samples}


def _sample(rec, case: Case, open_replay) -> dict:
    import httpx  # start-up time: httpx loads only when recording (plan.py imports this module)

    session = case.websocket
    assert session is not None  # only WebSocket cases come here
    timeout = session.timeout or rec.options.timeout
    headers = rec._headers(case)  # the plan's and case's headers, the key, X-Client-Request-Id
    client_id = next(v for k, v in headers.items() if k.lower() == "x-client-request-id")
    attempt = 0
    while True:
        deadline = time.monotonic() + timeout
        try:
            conn = _open(rec, case, headers, deadline, open_replay)
            break
        except Rejected as exc:
            if exc.status not in RETRY_STATUSES or attempt >= rec.options.retries:
                raise CaseError(f"the server refused the WebSocket upgrade: status {exc.status}"
                                + (f" after {attempt + 1} attempts" if attempt else ""), exc.status) from None
            wait = retry_wait(exc.headers, attempt, rec.options)
        except CaseError:
            raise
        except Exception as exc:  # connect, TLS, handshake, proxy, bad URL: the library's errors
            from websockets.exceptions import InvalidURI  # start-up time: websockets loads only for a live session

            if isinstance(exc, TimeoutError) or "timed out" in str(exc):
                message = f"timed out after {timeout:g}s opening the session"
            else:
                message = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, (InvalidURI, ValueError)) or attempt >= rec.options.retries:
                raise CaseError(rec.redactor.text(message)) from None
            wait = min(rec.options.backoff * (2 ** attempt), rec.options.max_retry_wait)
        time.sleep(wait)
        attempt += 1
    try:
        rec.redactor.learn_headers(conn.headers)
        events, ended = _converse(rec, case, conn, deadline, timeout)
    finally:
        conn.close()
    return {"status": conn.status, "client_request_id": client_id,
            "headers": rec.redactor.headers(kept_headers(httpx.Headers(conn.headers))),
            "events": events, "ended": ended}


def _open(rec, case: Case, headers: dict[str, str], deadline: float, open_replay):
    if open_replay is not None:
        path = rec.redactor.url(case.path)  # as the snapshot recorded it
        found = open_replay(path)
        if found is None:
            raise CaseError(f"no recorded WebSocket session for {path} to replay")
        return Replay(found)
    try:
        url = ws_url(rec.base_url, case.path, case.query)
    except ValueError as exc:
        raise CaseError(str(exc)) from None
    return _Live(url, headers, deadline, rec.options.max_response_bytes)


def _converse(rec, case: Case, conn, deadline: float, timeout: float) -> tuple[list[dict], str]:
    """Send every message, then read events until the session's end; (events, why it ended)."""
    session = case.websocket
    assert session is not None  # only WebSocket cases come here
    limit = rec.options.max_response_bytes
    cap = min(session.max_events or MAX_EVENTS, MAX_EVENTS)
    events: list[dict] = []
    total = 0

    def fail(message: str) -> CaseError:
        return CaseError(rec.redactor.text(message))

    try:
        for n, message in enumerate(session.send):
            try:
                conn.send(json.dumps(message, ensure_ascii=False))
            except Closed as exc:
                if exc.timed_out:
                    raise TimeoutError from None
                raise fail(f"the session ended after {n} of {len(session.send)} messages were sent ({exc})") from None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            try:
                message = conn.recv(timeout=remaining)
            except Closed as exc:
                if exc.timed_out:
                    raise TimeoutError from None
                if exc.clean and session.until is None and events:
                    return events, "closed"
                waiting = (f"before '{' or '.join(session.until)}'" if session.until
                           else "before any event")
                kind = "closed the session" if exc.clean else "lost the connection"
                raise fail(f"the server {kind} after {len(events)} event(s), {waiting} ({exc})") from None
            n = len(events) + 1
            if isinstance(message, bytes):
                raise fail(f"message {n} is a binary frame ({len(message)} bytes); only JSON text "
                           "messages are recorded")
            total += len(message.encode("utf-8", errors="replace"))
            if total > limit:
                raise fail(f"the session's messages passed {limit} bytes (--max-response-mb)")
            try:
                data = json.loads(message)
            except ValueError:
                raise fail(f"message {n} is not JSON: {_snippet(rec.redactor.text(message))}") from None
            except RecursionError:
                raise fail(f"message {n} is nested deeper than {MAX_BODY_DEPTH} levels") from None
            if _depth_over(data, MAX_BODY_DEPTH):
                raise fail(f"message {n} is nested deeper than {MAX_BODY_DEPTH} levels")
            name = data.get("type") if isinstance(data, dict) and isinstance(data.get("type"), str) else "message"
            events.append({"event": name, "data": rec.redactor.value(data)})
            if session.until and name in session.until:
                return events, "until"
            if len(events) >= cap:
                if session.max_events:
                    return events, "max_events"
                raise fail(f"more than {MAX_EVENTS} events without '{' or '.join(session.until or ())}'")
    except TimeoutError:
        waiting = f"'{' or '.join(session.until)}'" if session.until else f"{session.max_events} events"
        raise fail(f"timed out after {timeout:g}s waiting for {waiting} ({len(events)} event(s) received)") from None

