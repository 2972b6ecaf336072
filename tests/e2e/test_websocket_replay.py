"""The mock server replays recorded WebSocket sessions on the same port as HTTP (a real socket on
127.0.0.1, a real websockets client), and `record --replay` replays them with no socket at all."""

from __future__ import annotations

import copy
import json

import httpx
import pytest
from conftest import run_cli_captured
from websockets.exceptions import ConnectionClosedOK, InvalidStatus
from websockets.sync.client import connect

from apicompat.record.mock_server import Routes, start_in_thread

EVENTS = [
    {"event": "session.created", "data": {"type": "session.created", "event_id": "e1", "session": {"id": "s1"}}},
    {"event": "response.output_text.delta", "data": {"type": "response.output_text.delta", "delta": "Hi"}},
    {"event": "response.done", "data": {"type": "response.done", "response": {"id": "r1", "status": "completed"}}},
]
SESSION = {"case": "rt", "websocket": True,
           "request": {"method": "GET", "path": "/realtime", "send": [{"type": "session.update"}, {"type": "response.create"}]},
           "samples": [{"status": 101, "headers": {"x-request-id": "req_old", "openai-version": "2020-10-01",
                                                   "upgrade": "nonsense", "sec-websocket-accept": "wrong"},
                        "events": EVENTS, "ended": "until"}]}
MODELS = {"case": "models", "request": {"method": "GET", "path": "/models"},
          "samples": [{"status": 200, "headers": {"content-type": "application/json"}, "body": {"data": []}}]}


@pytest.fixture
def mock():
    server, url = start_in_thread(Routes([SESSION, MODELS]))
    yield url
    server.shutdown()
    server.server_close()


def ws(url: str) -> str:
    return url.replace("http://", "ws://")


def test_events_replayed_in_order_with_headers(mock):
    with connect(ws(mock) + "/v1/realtime?model=m", open_timeout=5, ping_interval=None) as conn:
        headers = conn.response.headers
        assert headers["openai-version"] == "2020-10-01"
        assert headers["x-request-id"].startswith("req_") and headers["x-request-id"] != "req_old"
        got = [json.loads(conn.recv(timeout=5)) for _ in EVENTS]
    assert got == [e["data"] for e in EVENTS]


def test_the_close_waits_for_the_recorded_client_messages(mock):
    with connect(ws(mock) + "/realtime", open_timeout=5, ping_interval=None) as conn:
        for _ in EVENTS:
            conn.recv(timeout=5)
        with pytest.raises(TimeoutError):  # two messages are owed: the session stays open
            conn.recv(timeout=0.3)
        conn.send(json.dumps({"type": "session.update"}))
        conn.send(json.dumps({"type": "response.create"}))
        with pytest.raises(ConnectionClosedOK) as info:
            conn.recv(timeout=5)
    assert info.value.rcvd.code == 1000


def test_http_on_the_same_port(mock):
    assert httpx.get(mock + "/v1/models").json() == {"data": []}
    plain = httpx.get(mock + "/v1/realtime")
    assert plain.status_code == 426 and plain.headers["upgrade"] == "websocket"


@pytest.mark.parametrize("path", ["/nowhere", "/models"])
def test_upgrade_to_a_path_with_no_session(mock, path):
    with pytest.raises(InvalidStatus) as info:
        with connect(ws(mock) + path, open_timeout=5):
            pass
    assert info.value.response.status_code == 404


def replay(tmp_path, capsys, case: str) -> tuple[int, str]:
    """`record --replay` of one session case (the base URL is unroutable: nothing may be sent)."""
    from apicompat.record.store import dump_snapshot

    snaps = tmp_path / "s"
    snaps.mkdir()
    (snaps / "rt.yaml").write_text(dump_snapshot(SESSION))
    plan = tmp_path / "plan.yaml"
    plan.write_text("base_url: http://192.0.2.1:9\ncases:\n  - " + case + "\n")
    code, _, err = run_cli_captured(["record", "--replay", "--plan", str(plan), "--snapshots", str(snaps),
                                     "--schemas", str(tmp_path / "sc")], capsys)
    return code, err


def test_record_replay_needs_no_socket(tmp_path, capsys):
    code, err = replay(tmp_path, capsys, "{name: rt, websocket: true, path: /realtime, until: response.done, "
                                         "send: [{type: session.update}, {type: response.create}]}")
    assert code == 0, err
    schema = json.loads((tmp_path / "sc" / "rt.json").read_text())
    types = [m["properties"]["type"]["const"] for m in schema["items"]["anyOf"]]
    assert types == ["response.done", "response.output_text.delta", "session.created"]
    assert schema["title"] == "WEBSOCKET /realtime"


def test_replay_of_a_session_that_never_reaches_until(tmp_path, capsys):
    code, err = replay(tmp_path, capsys, "{name: rt, websocket: true, path: /realtime, until: response.cancelled}")
    assert code == 1 and "closed the session after 3 event(s), before 'response.cancelled'" in err


@pytest.mark.parametrize("status, answered", [(429, 429), ("soon", 502), (True, 502)])
def test_a_hand_written_refusal(status, answered):
    refused = copy.deepcopy(SESSION)
    refused["samples"][0]["status"] = status
    server, url = start_in_thread(Routes([refused]))
    try:
        with pytest.raises(InvalidStatus) as info:
            with connect(ws(url) + "/realtime", open_timeout=5):
                pass
        assert info.value.response.status_code == answered
    finally:
        server.shutdown()
        server.server_close()
