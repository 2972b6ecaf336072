"""Send one case's requests with httpx: retries of 429/5xx honouring `retry-after` and
`x-ratelimit-reset-*`, timeouts, a response size cap, and one error per failed sample."""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from . import sse
from .plan import Case, Plan
from .redact import Redactor
from .common import (MAX_BODY_DEPTH, RETRY_STATUSES, CaseError, _depth_over, _snippet, kept_headers,
                     retry_wait)

ACCEPT_ENCODING = "gzip, deflate"  # decoded here, piece by piece, under the size cap
MAX_ENCODINGS = 4  # stacked content-encodings (`gzip, gzip`); each costs a decompressor
_PIECE = 64 * 1024  # the most one decompression step may produce


# ---- one deadline for the whole response ---------------------------------------------------------

class Clock:
    """The deadline of the request in flight. httpx's timeouts are per operation (a server that
    sends one header byte a second never trips a 1 s read timeout); every connect, read and write
    here gets at most the time left until the deadline, so --timeout covers connect, headers and
    body together."""

    def __init__(self) -> None:
        self.deadline: float | None = None
        self.received = 0  # bytes read since the deadline was set: a trickle, not silence

    def start(self, seconds: float) -> None:
        self.deadline, self.received = time.monotonic() + seconds, 0

    def stop(self) -> None:
        self.deadline = None

    def left(self, timeout: float | None, error: type) -> float | None:
        if self.deadline is None:
            return timeout
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise error("the response did not finish before the deadline")
        return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, clock: Clock) -> None:
        self._inner, self._clock = inner, clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._inner.read(max_bytes, self._clock.left(timeout, httpcore.ReadTimeout))
        self._clock.received += len(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._clock.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._clock.left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._clock)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend, clock: Clock) -> None:
        self._inner, self._clock = inner, clock

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last: Exception | None = None
        for address in self._resolve(host, port, timeout):  # each address in turn, as create_connection
            try:
                stream = self._inner.connect_tcp(address, port, self._clock.left(timeout, httpcore.ConnectTimeout),
                                                 local_address, socket_options)
                return _DeadlineStream(stream, self._clock)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"{host} has no address")

    def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        """The host's addresses, looked up on a helper thread so that a resolver that never answers
        ends at the deadline too (getaddrinfo takes no timeout). TLS still names the host (SNI and
        the certificate check use the URL's name, not the address)."""
        found: list = []

        def lookup() -> None:
            try:
                found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
            except OSError as exc:
                found.append(exc)
        worker = threading.Thread(target=lookup, daemon=True)
        worker.start()
        worker.join(self._clock.left(timeout, httpcore.ConnectTimeout))
        if worker.is_alive():
            raise httpcore.ConnectTimeout(f"looking up {host} did not finish before the deadline")
        if found and isinstance(found[0], OSError):
            raise httpcore.ConnectError(str(found[0]))
        return list(dict.fromkeys(info[4][0] for info in found))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        stream = self._inner.connect_unix_socket(path, self._clock.left(timeout, httpcore.ConnectTimeout),
                                                 socket_options)
        return _DeadlineStream(stream, self._clock)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install_deadline(client: httpx.Client, clock: Clock) -> int:
    """Put `clock` under every real transport of `client` (the default one and the proxies' from the
    environment). httpx has no public hook for the network backend, so its pool's is wrapped; the
    count returned lets a test see that it was (test_hostile_record.py)."""
    done = 0
    for transport in [client._transport, *client._mounts.values()]:
        pool: Any = getattr(transport, "_pool", None)
        if isinstance(transport, httpx.HTTPTransport) and hasattr(pool, "_network_backend"):
            pool._network_backend = _DeadlineBackend(pool._network_backend, clock)
            done += 1
    return done


# ---- content-encoding, decoded under the cap -----------------------------------------------------

class _Inflate:
    """One gzip or deflate layer, decoded at most _PIECE bytes at a time (never all at once)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS)
        self.fed = False

    def feed(self, pieces):
        for data in pieces:
            if not self.fed and data and self.encoding == "deflate":
                try:  # "deflate" is zlib-wrapped by the RFC, raw in practice: take either
                    zlib.decompressobj().decompress(data[:2])
                except zlib.error:
                    self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
            self.fed = self.fed or bool(data)
            while data and not self.obj.eof:
                out = self.obj.decompress(data, _PIECE)
                data = self.obj.unconsumed_tail
                if out:
                    yield out
                if len(out) == _PIECE and not data:
                    data = b""
                    while not self.obj.eof:
                        out = self.obj.decompress(b"", _PIECE)
                        if not out:
                            break
                        yield out
                        if len(out) < _PIECE:
                            break

    def end(self) -> None:
        if self.fed and not self.obj.eof:
            raise zlib.error(f"{self.encoding} body ended before its end")


class Decoder:
    """The body through its content-encodings (`gzip, gzip` is two layers, undone last first),
    streamed: the caller counts the decoded bytes and stops at its cap, so a few KB that inflate to
    GBs never get there."""

    def __init__(self, header_values: list[str]) -> None:
        names = [n.strip().lower() for v in header_values for n in v.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        unknown = sorted({n for n in names if n not in ("gzip", "x-gzip", "deflate")})
        if unknown:
            raise CaseError(f"content-encoding {', '.join(unknown)} is not supported (asked for {ACCEPT_ENCODING})")
        if len(names) > MAX_ENCODINGS:
            raise CaseError(f"content-encoding stacks {len(names)} layers (at most {MAX_ENCODINGS})")
        self.layers = [_Inflate("gzip" if n == "x-gzip" else n) for n in reversed(names)]

    def feed(self, data: bytes):
        pieces = iter([data])
        for layer in self.layers:
            pieces = layer.feed(pieces)
        return pieces

    def end(self) -> None:
        for layer in self.layers:
            layer.end()


@dataclass
class ClientOptions:
    timeout: float = 60.0
    retries: int = 3
    max_retry_wait: float = 30.0  # cap on one wait, whatever the server asks
    backoff: float = 0.5
    max_response_bytes: int = 16 * 1024 * 1024


class Recorder:
    def __init__(self, plan: Plan, api_key: str | None, redactor: Redactor, options: ClientOptions,
                 transport: httpx.BaseTransport | None = None, base_url: str | None = None) -> None:
        self.plan = plan
        self.api_key = api_key
        self.redactor = redactor
        self.options = options
        self.base_url = (base_url or plan.base_url).rstrip("/")
        self.http = httpx.Client(timeout=httpx.Timeout(options.timeout), transport=transport,
                                 follow_redirects=False, trust_env=transport is None)
        self.clock = Clock()
        self.deadlines = install_deadline(self.http, self.clock)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _headers(self, case: Case) -> dict[str, str]:
        headers = {"User-Agent": "apicompat-recorder", "Accept-Encoding": ACCEPT_ENCODING, **self.plan.headers,
                   **case.headers}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        if not any(k.lower() == "x-client-request-id" for k in headers):
            headers["X-Client-Request-Id"] = str(uuid.uuid4())
        if case.stream:
            headers.setdefault("Accept", "text/event-stream")
        return headers

    def record_case(self, case: Case) -> dict:
        """All samples of a case as a snapshot dict; raises CaseError on the first failed sample."""
        samples = []
        for i in range(case.repeat):
            try:
                samples.append(self.sample(case))
            except CaseError as exc:
                raise CaseError(f"sample {i + 1} of {case.repeat}: {exc}", exc.status) from None
        body = self.redactor.value(case.json) if case.has_json else None
        request: dict = {"method": case.method, "path": self.redactor.url(case.path)}
        if case.query:
            request["query"] = self.redactor.query(case.query)
        request["body"] = body
        return {"case": case.name, "request": request, "stream": case.stream, "samples": samples}

    def sample(self, case: Case) -> dict:
        headers = self._headers(case)
        client_id = next(v for k, v in headers.items() if k.lower() == "x-client-request-id")
        url = self.base_url + case.path
        attempt = 0
        while True:
            try:
                status, resp_headers, raw = self._send(case, url, headers)
            except httpx.TimeoutException:
                error = (f"response still arriving after {self.options.timeout:g}s (--timeout)" if self.clock.received
                         else f"timed out after {self.options.timeout:g}s")
                status = None
            except zlib.error as exc:
                error = f"DecodingError: {exc}"
                status = None
            except (httpx.TransportError, httpx.StreamError, httpx.DecodingError) as exc:
                error = f"{type(exc).__name__}: {exc}"
                status = None
            except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, ValueError) as exc:  # can never be sent
                raise CaseError(self.redactor.text(f"{type(exc).__name__}: {exc}")) from None
            if status is not None and status not in RETRY_STATUSES:
                break
            if attempt >= self.options.retries:
                if status is None:
                    raise CaseError(self.redactor.text(error))
                raise CaseError(f"status {status} after {attempt + 1} attempts", status)
            if status is not None:
                wait = retry_wait(resp_headers, attempt, self.options)
            else:
                wait = min(self.options.backoff * (2 ** attempt), self.options.max_retry_wait)
            time.sleep(wait)
            attempt += 1
        self.redactor.learn_headers(resp_headers.multi_items())
        sample: dict = {"status": status, "client_request_id": client_id,
                        "headers": self.redactor.headers(kept_headers(resp_headers))}
        ctype = resp_headers.get("content-type", "")
        text = raw.decode("utf-8", errors="replace")
        if case.stream and status < 400:
            if "text/event-stream" not in ctype:
                raise CaseError(f"expected text/event-stream, got {ctype or 'no content-type'} (status {status})")
            try:
                stream = sse.parse_text(text, case.terminal)
            except sse.StreamError as exc:
                raise CaseError(f"bad stream: {exc}") from None
            if any(_depth_over(e.data, MAX_BODY_DEPTH) for e in stream.events):
                raise CaseError(f"bad stream: event data nested deeper than {MAX_BODY_DEPTH} levels")
            sample["events"] = [{"event": self.redactor.text(e.event), "data": self.redactor.value(e.data)}
                                for e in stream.events]
            sample["done"] = stream.done
        else:
            is_json = "json" in ctype.split(";")[0].lower()
            try:
                body: object = json.loads(text, parse_constant=_no_constant) if text.strip() else None
            except ValueError:
                if is_json:
                    raise CaseError(f"content-type {ctype} but the body is not JSON "
                                    f"(status {status}): {_snippet(self.redactor.text(text))}") from None
                body = text
            except RecursionError:
                raise CaseError(f"response JSON nested deeper than {MAX_BODY_DEPTH} levels") from None
            if _depth_over(body, MAX_BODY_DEPTH):
                raise CaseError(f"response JSON nested deeper than {MAX_BODY_DEPTH} levels")
            sample["body"] = self.redactor.value(body)
        return sample

    def _send(self, case: Case, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        kwargs: dict = {"headers": headers}
        if case.has_json:
            kwargs["json"] = case.json
        target = httpx.URL(url)
        if case.query:  # merged into a query string the path holds (httpx's params= would replace it)
            target = target.copy_merge_params(case.query)
        limit = self.options.max_response_bytes
        self.clock.start(self.options.timeout)
        try:
            with self.http.stream(case.method, target, **kwargs) as resp:
                decoder = Decoder(resp.headers.get_list("content-encoding"))
                chunks, size, raw_size = [], 0, 0
                for raw in resp.iter_raw():
                    raw_size += len(raw)
                    if raw_size > limit:
                        raise CaseError(f"response larger than {limit} bytes (--max-response-mb)")
                    for piece in decoder.feed(raw):
                        size += len(piece)
                        if size > limit:  # counted as it is decoded: a gzip bomb stops here
                            raise CaseError(f"response larger than {limit} bytes once decoded (--max-response-mb)")
                        chunks.append(piece)
                decoder.end()
                return resp.status_code, resp.headers, b"".join(chunks)
        finally:
            self.clock.stop()


def _no_constant(name: str) -> object:
    """NaN and Infinity are not JSON (Python's json reads them): a body holding one is not JSON."""
    raise ValueError(f"{name} is not JSON")
