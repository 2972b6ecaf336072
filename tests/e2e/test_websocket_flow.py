"""record -> check -> accept of a WebSocket session against a real WebSocket server on 127.0.0.1
(websockets' own server, started here), changed between runs: an event type removed is breaking
(exit 1), a new one additive (exit 0), a property removed from an event breaking. The server echoes
the key back in an event and a header; no written file and no output may hold it."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest
from conftest import run_cli_captured
from websockets.sync.server import serve

KEY = "sk-ws-e2e-SECRETSECRETSECRET"
TOKEN = KEY.split("-", 1)[1]


class RealtimeServer:
    """A Realtime-like server: session.created on open, a response's events for each response.create."""

    def __init__(self) -> None:
        self.variant = "baseline"
        self.auth_seen: list[str] = []
        quiet = logging.getLogger("test.websocket.server")  # the server's own log would show the key it got
        quiet.disabled = True
        self.server = serve(self.handle, "127.0.0.1", 0, ping_interval=None, process_response=self.headers,
                            logger=quiet)
        self.port = self.server.socket.getsockname()[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def headers(self, connection, request, response):
        response.headers["x-request-id"] = "req_123"
        response.headers["openai-version"] = "2020-10-01"
        response.headers["x-echo-key"] = request.headers.get("Authorization", "")
        return response

    def handle(self, ws) -> None:
        auth = ws.request.headers.get("Authorization", "")
        self.auth_seen.append(auth)
        ws.send(json.dumps({"type": "session.created", "event_id": "event_1",
                            "session": {"id": "sess_1", "model": "gpt-realtime", "instructions": f"echo {auth}",
                                        "client_secret": {"value": auth.removeprefix("Bearer ")}}}))
        for raw in ws:
            message = json.loads(raw)
            if message.get("type") == "session.update":
                ws.send(json.dumps({"type": "session.updated", "event_id": "event_2", "session": {"id": "sess_1"}}))
            elif message.get("type") == "response.create":
                for event in self.response():
                    ws.send(json.dumps(event))

    def response(self) -> list[dict]:
        v = self.variant
        events = [{"type": "response.created", "event_id": "event_3", "response": {"id": "resp_1", "status": "in_progress"}},
                  {"type": "response.output_text.delta", "event_id": "event_4", "item_id": "item_1", "delta": "Hel"},
                  {"type": "response.output_text.delta", "event_id": "event_5", "item_id": "item_1", "delta": "lo"}]
        if v != "type-removed":
            events.append({"type": "response.output_text.done", "event_id": "event_6", "item_id": "item_1", "text": "Hello"})
        if v == "type-added":
            events.append({"type": "rate_limits.updated", "event_id": "event_7", "rate_limits": []})
        done = {"id": "resp_1", "status": "completed", "usage": {"total_tokens": 5}}
        if v == "property-removed":
            del done["usage"]
        events.append({"type": "response.done", "event_id": "event_8", "response": done})
        return events

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def server():
    s = RealtimeServer()
    yield s
    s.close()


def test_record_check_accept_a_websocket_session(tmp_path: Path, capsys, caplog, monkeypatch, server):
    caplog.set_level(logging.DEBUG)  # a user's debug logging shows no key either
    monkeypatch.setenv("APICOMPAT_WS_KEY", KEY)
    plan = tmp_path / "apicompat.yaml"
    plan.write_text(f"""\
base_url: http://127.0.0.1:{server.port}/v1
auth: {{api_key_env: APICOMPAT_WS_KEY}}
cases:
  - name: realtime
    websocket: true
    path: /realtime
    query: {{model: gpt-realtime}}
    send:
      - {{type: session.update, session: {{instructions: Be brief}}}}
      - {{type: response.create}}
    until: response.done
    timeout: 10
    repeat: 2
""")
    snaps, schemas = tmp_path / "snapshots", tmp_path / "schemas"
    common = ["--plan", str(plan), "--snapshots", str(snaps), "--schemas", str(schemas)]
    outputs = []

    def cli(*args: str) -> tuple[int, str]:
        code, out, err = run_cli_captured(list(args), capsys)
        outputs.append(out + err)
        return code, out + err

    code, out = cli("record", *common)
    assert code == 0, out
    assert server.auth_seen == [f"Bearer {KEY}"] * 2  # the key went on the upgrade request
    snapshot = (snaps / "realtime.yaml").read_text()
    assert "websocket: true" in snapshot and "ended: until" in snapshot and "[REDACTED]" in snapshot
    order = [line.split(": ", 1)[1] for line in snapshot.splitlines() if line.strip().startswith("- event: ")]
    assert order[:7] == ["session.created", "session.updated", "response.created", "response.output_text.delta",
                         "response.output_text.delta", "response.output_text.done", "response.done"]

    code, out = cli("check", *common)
    assert code == 0 and "no changes" in out, out

    server.variant = "type-removed"
    code, out = cli("check", *common, "--format", "json")
    report = json.loads(out[: out.rindex("}") + 1])
    found = [(c["rule"], c["severity"], c["operations"]) for c in report["changes"]]
    assert code == 1 and found == [("response-event-type-removed", "breaking", ["WEBSOCKET /realtime"])], out
    assert "response.output_text.done" in report["changes"][0]["message"]

    server.variant = "property-removed"
    code, out = cli("check", *common)
    assert code == 1 and "breaking response-property-removed" in out and "'usage'" in out, out

    server.variant = "type-added"
    code, out = cli("check", *common)
    assert code == 0 and "additive response-event-type-added" in out and "rate_limits.updated" in out, out
    assert "breaking" not in out.split("\n\n")[-1].replace("0 breaking", ""), out

    code, out = cli("accept", "--snapshots", str(snaps), "--schemas", str(schemas))
    assert code == 0
    assert "rate_limits.updated" in (schemas / "realtime.json").read_text()
    server.variant = "baseline"  # the new type gone again: now that is breaking
    code, out = cli("check", *common)
    assert code == 1 and "lost event type 'rate_limits.updated'" in out, out

    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) >= 5
    for path in written:
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert KEY not in text and TOKEN not in text, path
    for text in outputs + [caplog.text]:
        assert KEY not in text and TOKEN not in text


class EchoUrlServer(RealtimeServer):
    """Echoes the upgrade request's path and query string in a header and in its one event."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        super().__init__()

    def headers(self, connection, request, response):
        response.headers["x-echo-url"] = request.path
        return response

    def handle(self, ws) -> None:
        self.paths.append(ws.request.path)
        ws.send(json.dumps({"type": "session.created", "url": ws.request.path, "note": f"you sent {ws.request.path}"}))


SECRETS = {"api_key": "sk-inpath-0123456789", "token": "tok-inpath-9876543210", "access_token": "at-query-555666777",
           "key": "k-query-1234abcd", "client_secret": "cs-query-zyxwvuts"}


def test_secret_query_parameters_of_a_websocket_url_never_reach_the_snapshot(tmp_path: Path, capsys):
    """`?api_key=`, `?token=` in the path and `access_token`, `key`, `client_secret` in `query:` are sent as
    written, and written (and printed) as `[REDACTED]`, echoes included; ordinary parameters (`model`,
    `keys`, `monkey`: near `key` but not it) stay as they are, and the recording checks and replays."""
    server = EchoUrlServer()
    try:
        plan = tmp_path / "apicompat.yaml"
        path = f"/realtime?model=gpt-realtime&api_key={SECRETS['api_key']}&keys=3&Token={SECRETS['token']}"
        plan.write_text(f"""\
base_url: http://127.0.0.1:{server.port}/v1
cases:
  - name: realtime
    websocket: true
    path: "{path}"
    query: {{access_token: {SECRETS['access_token']}, key: {SECRETS['key']}, client_secret: {SECRETS['client_secret']},
             monkey: banana}}
    max_events: 1
    timeout: 10
""")
        snaps, schemas = tmp_path / "snapshots", tmp_path / "schemas"
        common = ["--plan", str(plan), "--snapshots", str(snaps), "--schemas", str(schemas)]
        outputs = []
        code, out, err = run_cli_captured(["record", *common], capsys)
        outputs.append(out + err)
        assert code == 0, out + err
        sent = server.paths[0]
        assert all(value in sent for value in SECRETS.values()) and "monkey=banana" in sent  # sent as written

        from apicompat.record.store import load_snapshot
        snap = load_snapshot(str(snaps / "realtime.yaml"))
        assert snap["request"]["path"] == ("/realtime?model=gpt-realtime&api_key=[REDACTED]&keys=3&Token=[REDACTED]")
        assert snap["request"]["query"] == {"access_token": "[REDACTED]", "key": "[REDACTED]",
                                            "client_secret": "[REDACTED]", "monkey": "banana"}
        echoed = snap["samples"][0]["events"][0]["data"]["url"]
        assert "model=gpt-realtime" in echoed and "monkey=banana" in echoed and "[REDACTED]" in echoed

        for args in (["check", *common], ["record", "--replay", *common]):
            code, out, err = run_cli_captured(args, capsys)
            outputs.append(out + err)
            assert code == 0, (args, out + err)
        assert len(server.paths) == 2  # check went to the server, --replay did not

        written = [p for p in tmp_path.rglob("*") if p.is_file() and p != plan]
        assert len(written) >= 4
        for text in [p.read_text(errors="replace") for p in written] + outputs:
            for value in SECRETS.values():
                assert value not in text
    finally:
        server.close()
