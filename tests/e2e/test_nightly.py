"""The nightly `check` told honestly, against a real HTTP server on 127.0.0.1 started here and driven
through the CLI: an API that is down, that refuses the key (401, 403, 429 after every retry), a
baseline that is missing, and an API whose values (not its shapes) changed."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import run_cli_captured

KEY = "sk-nightly-SECRET-0123456789"
BODY = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-4.1-2025-04-14",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello!"}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}}
MODELS = {"object": "list", "data": [{"id": "gpt-4.1", "object": "model", "owned_by": "openai"}]}


class Api(BaseHTTPRequestHandler):
    """Answers like a tiny OpenAI: `state` says how (status, bodies, headers)."""

    protocol_version = "HTTP/1.1"
    state: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.answer()

    def do_POST(self):
        size = int(self.headers.get("content-length") or 0)
        if size:
            self.rfile.read(size)
        self.answer()

    def answer(self):
        st = self.state
        st.setdefault("requests", []).append((self.command, self.path, dict(self.headers.items())))
        status = st.get("status", 200)
        path = self.path.split("?")[0]
        if st.get("echo"):  # what arrived, credentials and all (the recorder must redact them)
            body = {"headers": {k.lower(): v for k, v in self.headers.items()}, "url": self.path}
        elif status == 200:
            body = st.get("models", MODELS) if path.endswith("/models") else st.get("chat", BODY)
        else:
            body = {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
        data = json.dumps(body).encode() if path != st.get("broken") else b"<html>Bad gateway</html>"
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("x-request-id", f"req_{len(st['requests'])}")
        self.send_header("openai-version", st.get("version", "2020-10-01"))
        self.send_header("retry-after", "0")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


PLAN = """\
base_url: {url}/v1
auth: {{api_key_env: NIGHTLY_KEY}}
cases:
  - {{name: models, path: /models}}
  - name: chat
    method: POST
    path: /chat/completions
    json: {{model: gpt-4.1, messages: [{{role: user, content: hi}}]}}
"""


@pytest.fixture
def api(tmp_path, monkeypatch):
    """A fresh server, a plan pointing at it, and a recorded baseline."""
    Api.state = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("NIGHTLY_KEY", KEY)
    plan = tmp_path / "apicompat.yaml"
    plan.write_text(PLAN.format(url=url))
    args = ["--plan", str(plan), "--snapshots", str(tmp_path / "snapshots"), "--schemas", str(tmp_path / "schemas"),
            "--retries", "1", "--max-retry-wait", "0", "--timeout", "5"]
    yield {"tmp": tmp_path, "args": args, "url": url, "plan": plan, "server": server}
    server.shutdown()
    server.server_close()


def record(api, capsys):
    code, out, err = run_cli_captured(["record", *api["args"]], capsys)
    assert code == 0, err
    return out


def check(api, capsys, *extra):
    return run_cli_captured(["check", *api["args"], *extra], capsys)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("status, words", [(401, "authentication failed"), (403, "not authorised"),
                                           (429, "rate-limited")])
def test_refused_key_is_one_error_exit_2(api, capsys, status, words):
    record(api, capsys)
    baseline = {p.name: p.read_bytes() for p in (api["tmp"] / "snapshots").iterdir() if p.is_file()}
    Api.state["status"] = status
    before = len(Api.state["requests"])
    code, out, err = check(api, capsys, "--format", "json")
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert f"status {status}" in lines[0] and "case models" in lines[0] and words in lines[0]
    assert "GET /models" in lines[0] and "$NIGHTLY_KEY" in lines[0]
    assert KEY not in out + err and "breaking" not in out
    after = {p.name: p.read_bytes() for p in (api["tmp"] / "snapshots").iterdir() if p.is_file()}
    assert after == baseline
    # the run stopped at the first refused case: the second was never sent
    sent = [path for _, path, _ in Api.state["requests"][before:]]
    assert sent and all(p == "/v1/models" for p in sent), sent


def test_record_with_a_refused_key_writes_nothing(api, capsys):
    Api.state["status"] = 401
    code, out, err = run_cli_captured(["record", *api["args"]], capsys)
    assert code == 2 and "status 401" in err and "case models" in err
    assert not (api["tmp"] / "snapshots" / "models.yaml").exists()


def test_a_401_the_baseline_recorded_is_what_the_case_tests(api, capsys):
    """Near pair: a case that records a 401 on purpose (its baseline has the 401) is no auth error."""
    Api.state["status"] = 401
    plan = api["plan"]
    (api["tmp"] / "snapshots").mkdir()
    baseline = {"case": "models", "request": {"method": "GET", "path": "/models"}, "stream": False,
                "samples": [{"status": 401, "headers": {"content-type": "application/json"},
                             "body": {"error": {"message": "x", "type": "invalid_request_error"}}}]}
    (api["tmp"] / "snapshots" / "models.yaml").write_text(json.dumps(baseline))
    plan.write_text(plan.read_text().split("  - name: chat")[0])  # only the models case
    code, out, err = check(api, capsys)
    assert code == 0, err
    assert "authentication" not in err


def test_missing_baseline_fails_unless_allowed(api, capsys):
    code, out, err = check(api, capsys)
    assert code == 2
    assert err.count("\n") == 1 and "no baseline snapshots at all" in err and "--allow-new-cases" in err
    assert str(api["tmp"] / "snapshots") in err
    assert not (api["tmp"] / "snapshots").exists(), "a wrong --snapshots must not be created"
    assert not Api.state.get("requests"), "nothing is sent before the baseline is known"
    code, out, err = check(api, capsys, "--allow-new-cases", "--format", "json")
    assert code == 0, err
    rules = [c["rule"] for c in json.loads(out)["changes"]]
    assert rules.count("recorded-case-new") == 2


def test_one_case_without_baseline_is_named(api, capsys):
    record(api, capsys)
    (api["tmp"] / "snapshots" / "chat.yaml").unlink()
    code, out, err = check(api, capsys)
    assert code == 2 and "no baseline snapshot for case(s) chat" in err


FORMATS = ["text", "json", "markdown", "html", "junit", "sarif", "github"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_api_down_is_in_every_format(api, capsys, fmt):
    """Every case fails to record (nothing listens on the port): no format may read as "no changes";
    each names the cases that were not recorded."""
    record(api, capsys)
    down = f"http://127.0.0.1:{free_port()}/v1"
    code, out, err = check(api, capsys, "--base-url", down, "--format", fmt)
    assert code == 1
    assert "no changes" not in out.lower(), out
    assert "case models" in err and "case chat" in err
    assert "models" in out and "chat" in out
    if fmt == "json":
        assert json.loads(out)["summary"]["failed"] == 2
    elif fmt == "sarif":
        assert json.loads(out)["runs"][0]["properties"]["summary"]["failed"] == 2
    else:
        assert "2 case(s) failed to record" in out
    assert KEY not in out + err
    if fmt == "json":
        from apicompat.jsonschemas import validate_report

        data = json.loads(out)
        validate_report("report", data)
        assert [f["case"] for f in data["failures"]] == ["models", "chat"]
        assert data["failures"][1]["operation"] == "POST /chat/completions"
        # render reads it back with its failures
        path = api["tmp"] / "report.json"
        path.write_text(out)
        code, text, _ = run_cli_captured(["render", str(path), "--format", "text", "--fail-on", "breaking"], capsys)
        assert code == 1 and "2 case(s) failed to record" in text and "no changes" not in text
        from apicompat.model import Report
        from apicompat.report.changelog import render_changelog

        changelog = render_changelog(Report.from_dict(data))
        assert "no changes" not in changelog.lower() and "Not recorded" in changelog and "`chat`" in changelog
    if fmt == "junit":
        assert 'errors="2"' in out
    if fmt == "sarif":
        run = json.loads(out)["runs"][0]
        assert run["invocations"][0]["executionSuccessful"] is False
        assert len(run["invocations"][0]["toolExecutionNotifications"]) == 2
    if fmt == "github":
        assert out.startswith("::error ")


def test_one_case_failing_others_compared(api, capsys):
    """Near pair: one case fails to record (a JSON content type with an HTML body), the other is
    compared; and when every case records unchanged, "no changes" is what the report says."""
    record(api, capsys)
    code, out, err = check(api, capsys)
    assert code == 0 and out.rstrip().endswith("no changes"), out + err
    Api.state["broken"] = "/v1/chat/completions"
    code, out, err = check(api, capsys)
    assert code == 1
    assert "1 case(s) failed to record" in out and "case chat (POST /chat/completions)" in out
    assert "no changes" not in out.lower()


def changed_values():
    """The same shapes, other values: a new model snapshot; a new id, timestamp, request id and
    output text, which are volatile."""
    chat = json.loads(json.dumps(BODY))
    chat.update(id="chatcmpl-2", created=1800000000, model="gpt-4.1-2025-09-01")
    chat["choices"][0]["message"]["content"] = "Hi there!"
    chat["usage"]["completion_tokens"] = 4
    return chat


@pytest.mark.parametrize("fmt", FORMATS)
def test_values_only_change_is_info_per_case_in_every_format(api, capsys, fmt):
    record(api, capsys)
    Api.state["chat"] = changed_values()
    code, out, err = check(api, capsys, "--format", fmt)
    assert code == 0, err
    assert "gpt-4.1-2025-09-01" in out and "recorded-value-changed" in out
    assert "Hi there" not in out and "chatcmpl-2" not in out and "1800000000" not in out  # volatile
    if fmt == "json":
        changes = json.loads(out)["changes"]
        assert [(c["rule"], c["severity"], c["operations"]) for c in changes] == [
            ("recorded-value-changed", "info", ["POST /chat/completions"])]
        assert changes[0]["fragments"]["new"].count("gpt-4.1-2025-09-01") == 1  # the html's side by side


def test_a_pinned_value_that_changes_is_breaking(api, capsys):
    """`pins:` for all cases (a header) and for one case (a body path); a near pair: the same values."""
    plan = api["plan"]
    plan.write_text(plan.read_text().replace("cases:\n", "pins: [openai-version]\ncases:\n").replace(
        "    json: {", "    pins: [$.model]\n    json: {"))
    record(api, capsys)
    code, out, err = check(api, capsys, "--format", "json")
    assert code == 0 and json.loads(out)["changes"] == [], out  # unchanged: nothing at all
    Api.state["chat"] = changed_values()
    code, out, err = check(api, capsys, "--format", "json")
    changes = {c["rule"]: c for c in json.loads(out)["changes"]}
    assert code == 1 and set(changes) == {"recorded-pinned-value-changed"}, changes
    assert changes["recorded-pinned-value-changed"]["message"] == (
        "pinned $.model of case chat changed from 'gpt-4.1-2025-04-14' to 'gpt-4.1-2025-09-01'")
    Api.state["chat"] = BODY
    Api.state["version"] = "2025-01-01"
    code, out, err = check(api, capsys, "--format", "json")
    pinned = [c for c in json.loads(out)["changes"] if c["rule"] == "recorded-pinned-value-changed"]
    assert code == 1 and len(pinned) == 2  # the header pin holds for both cases
    assert all("openai-version" in c["message"] and "2025-01-01" in c["message"] for c in pinned)


def test_the_plan_adds_volatile_paths(api, capsys):
    plan = api["plan"]
    plan.write_text(plan.read_text().replace("cases:\n", "volatile: [$.model]\ncases:\n"))
    record(api, capsys)
    Api.state["chat"] = changed_values()
    code, out, err = check(api, capsys, "--format", "json")
    assert code == 0 and json.loads(out)["changes"] == []
    plan.write_text(plan.read_text().replace("volatile: [$.model]", "volatile: [$.model.]"))
    code, out, err = check(api, capsys)
    assert code == 2 and "volatile[0]: not a JSON path: the path ends with a dot" in err
