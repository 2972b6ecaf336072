"""The plan's WebSocket keys: websocket, send, until, max_events, timeout; each bad value is an error
naming the key and its line."""

import pytest

from apicompat.errors import InputError
from apicompat.record.plan import parse_plan
from apicompat.record.websocket import MAX_EVENTS, ws_url

PLAN = """\
base_url: https://api.openai.com/v1
auth: {api_key_env: OPENAI_API_KEY}
cases:
  - name: realtime
    websocket: true
    path: /realtime
    query: {model: gpt-realtime}
    send:
      - {type: session.update, session: {instructions: Be brief}}
      - {type: response.create}
    until: response.done
    timeout: 20
"""


def error(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        parse_plan(text, "p.yaml")
    return info.value


def test_a_session_case():
    case = parse_plan(PLAN, "p.yaml").cases[0]
    session = case.websocket
    assert (case.method, case.path, case.query) == ("GET", "/realtime", {"model": "gpt-realtime"})
    assert [m["type"] for m in session.send] == ["session.update", "response.create"]
    assert (session.until, session.max_events, session.timeout) == (("response.done",), None, 20.0)


def test_until_list_and_max_events():
    text = PLAN.replace("until: response.done", "until: [response.done, error]\n    max_events: 50")
    session = parse_plan(text, "p.yaml").cases[0].websocket
    assert session.until == ("response.done", "error") and session.max_events == 50
    only_max = parse_plan(PLAN.replace("until: response.done", "max_events: 3"), "p.yaml").cases[0].websocket
    assert only_max.until is None and only_max.max_events == 3


def test_an_http_case_has_no_session():
    text = PLAN.replace("    websocket: true\n", "    websocket: false\n").replace(
        "    send:\n      - {type: session.update, session: {instructions: Be brief}}\n      - {type: response.create}\n"
        "    until: response.done\n    timeout: 20\n", "")
    assert parse_plan(text, "p.yaml").cases[0].websocket is None


@pytest.mark.parametrize("old, new, words, line, key", [
    ("websocket: true", "websocket: yes please", "expected true or false", 5, "websocket"),
    ("until: response.done", "until: 3", "expected an event type (a string) or a list of them", 11, "until"),
    ("until: response.done", "until: []", "expected an event type", 11, "until"),
    ("until: response.done", "until: response.done\n    max_events: 0", "expected a whole number from 1 to", 12, "max_events"),
    ("until: response.done", f"until: response.done\n    max_events: {MAX_EVENTS + 1}", f"to {MAX_EVENTS}", 12, "max_events"),
    ("until: response.done", "until: response.done\n    max_events: true", "expected a whole number", 12, "max_events"),
    ("until: response.done", "max_events: 2.5", "expected a whole number", 11, "max_events"),
    ("timeout: 20", "timeout: 0", "expected a number of seconds above 0", 12, "timeout"),
    ("timeout: 20", "timeout: 3601", "at most 3600", 12, "timeout"),
    ("timeout: 20", "timeout: soon", "expected a number of seconds", 12, "timeout"),
    ("    send:\n      - {type: session.update, session: {instructions: Be brief}}\n      - {type: response.create}\n",
     "    send: {type: response.create}\n", "expected a list of JSON messages", 8, "send"),
    ("      - {type: response.create}", "      - null", "expected a JSON message (not null)", 10, "send[1]"),
    ("until: response.done", "", "needs until: (the event type that ends it) or max_events:", 5, "websocket"),
    ("    websocket: true\n", "    websocket: true\n    method: POST\n", "method must be GET", 6, "method"),
    ("    websocket: true\n", "    websocket: true\n    stream: true\n", "stream cannot be used with websocket: true", 6, "stream"),
    ("    websocket: true\n", "    websocket: true\n    json: {a: 1}\n", "json cannot be used with websocket: true", 6, "json"),
    ("    websocket: true\n", "    websocket: true\n    terminal: x\n", "terminal cannot be used with websocket", 6, "terminal"),
    ("    websocket: true\n", "", "send is only for WebSocket sessions (add websocket: true)", 7, "send"),
    ("    websocket: true\n", "    websocket: false\n", "send is only for WebSocket sessions", 8, "send"),
])
def test_bad_values_name_the_key_and_line(old, new, words, line, key):
    """The schema's errors and the plan's own checks alike: the line, the key, what is expected."""
    assert old in PLAN
    e = error(PLAN.replace(old, new))
    assert words in e.message, e.message
    assert e.place == f"line {line}, cases[0].{key}"


def test_a_send_message_is_any_json_value():
    """YAML 1.2: an unquoted date is text, so a JSON message; NaN is not JSON and is refused."""
    case = parse_plan(PLAN.replace("      - {type: response.create}", "      - 2024-01-01"), "p.yaml").cases[0]
    assert case.websocket.send[1] == "2024-01-01"
    e = error(PLAN.replace("      - {type: response.create}", "      - .nan"))
    assert "not a finite number" in e.message and "send/1" in str(e)


def test_unknown_key_lists_the_session_keys():
    e = error(PLAN.replace("timeout: 20", "timeout: 20\n    close_after: 3"))
    assert "unknown key 'close_after'" in e.message and "max_events" in e.message and "until" in e.message


@pytest.mark.parametrize("base, path, query, url", [
    ("https://api.openai.com/v1", "/realtime", {"model": "gpt-realtime"}, "wss://api.openai.com/v1/realtime?model=gpt-realtime"),
    ("http://127.0.0.1:8080/", "/ws", None, "ws://127.0.0.1:8080/ws"),
    ("HTTP://h", "/a?x=1", {"y": "a b"}, "ws://h/a?x=1&y=a+b"),
])
def test_ws_url(base, path, query, url):
    assert ws_url(base, path, query) == url


def test_ws_url_refuses_other_schemes():
    with pytest.raises(ValueError):
        ws_url("ftp://h", "/a")
