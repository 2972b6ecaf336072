"""Authentication beyond `Authorization: Bearer`, against a real server on 127.0.0.1 that echoes what
it receives: a key in any header, in a query parameter, HTTP basic, and `${VAR}` in plan headers, each
read from the environment when recording; every such value is redacted from snapshots, schemas and
output; a variable that is not set is one line and exit status 2."""

from __future__ import annotations

import base64
import threading
from http.server import ThreadingHTTPServer

import pytest
import yaml
from conftest import run_cli_captured
from test_nightly import Api

SECRETS = {"HDR_KEY": "hdr-key-1234567890", "QUERY_KEY": "qry-key-1234567890", "BASIC_USER": "alice-user",
           "BASIC_PASS": "pass-word-1234567890", "TENANT": "tenant-secret-0987654321"}

PLAN = """\
base_url: {url}
auth:
  header: {{name: X-API-Key, env: HDR_KEY}}
  query: {{name: api_key, env: QUERY_KEY}}
  basic: {{username_env: BASIC_USER, password_env: BASIC_PASS}}
headers:
  X-Tenant: "t=${{TENANT}}"
  X-Plain: visible
cases:
  - {{name: echo, path: /echo, query: {{page: 2}}}}
"""


@pytest.fixture
def echo(tmp_path, monkeypatch):
    Api.state = {"echo": True}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    plan = tmp_path / "apicompat.yaml"
    plan.write_text(PLAN.format(url=f"http://127.0.0.1:{server.server_address[1]}"))
    args = ["--plan", str(plan), "--snapshots", str(tmp_path / "snapshots"), "--schemas", str(tmp_path / "schemas"),
            "--timeout", "5", "--retries", "0"]
    yield {"tmp": tmp_path, "args": args, "plan": plan}
    server.shutdown()
    server.server_close()


def written(tmp) -> str:
    return "".join(p.read_text() for p in tmp.rglob("*") if p.is_file() and p.name != "apicompat.yaml")


def test_header_query_basic_and_env_headers_are_sent_and_redacted(echo, capsys):
    code, out, err = run_cli_captured(["record", *echo["args"]], capsys)
    assert code == 0, err
    _, path, headers = Api.state["requests"][-1]
    headers = {k.lower(): v for k, v in headers.items()}
    assert headers["x-api-key"] == SECRETS["HDR_KEY"]
    assert headers["x-tenant"] == f"t={SECRETS['TENANT']}" and headers["x-plain"] == "visible"
    user, password = base64.b64decode(headers["authorization"].removeprefix("Basic ")).decode().split(":")
    assert (user, password) == (SECRETS["BASIC_USER"], SECRETS["BASIC_PASS"])
    assert f"api_key={SECRETS['QUERY_KEY']}" in path and "page=2" in path
    files = written(echo["tmp"])
    for secret in SECRETS.values():
        assert secret not in files + out + err, secret
    assert base64.b64encode(f"{SECRETS['BASIC_USER']}:{SECRETS['BASIC_PASS']}".encode()).decode() not in files
    snap = yaml.safe_load((echo["tmp"] / "snapshots" / "echo.yaml").read_text())
    body = snap["samples"][0]["body"]
    assert body["headers"]["x-plain"] == "visible"  # near pair: a plain header is not a secret
    assert body["headers"]["x-api-key"] == "[REDACTED]" and "[REDACTED]" in body["url"]
    assert snap["request"]["query"] == {"page": "2", "api_key": "[REDACTED]"}


@pytest.mark.parametrize("unset, key", [("TENANT", "headers.X-Tenant"), ("HDR_KEY", "auth.header.env"),
                                        ("QUERY_KEY", "auth.query.env"), ("BASIC_PASS", "auth.basic.password_env")])
def test_a_missing_variable_is_one_line_and_exit_2(echo, capsys, monkeypatch, unset, key):
    monkeypatch.delenv(unset)
    code, out, err = run_cli_captured(["record", *echo["args"]], capsys)
    assert code == 2
    assert err.count("\n") == 1 and f"environment variable {unset} ({key}) is not set" in err
    assert str(echo["plan"]) in err
    assert not Api.state.get("requests"), "nothing is sent without every credential"


def test_replay_needs_no_credentials(echo, capsys, monkeypatch):
    """Near pair: --replay sends nothing, so reads no variable."""
    assert run_cli_captured(["record", *echo["args"]], capsys)[0] == 0
    for name in SECRETS:
        monkeypatch.delenv(name)
    code, out, err = run_cli_captured(["record", *echo["args"], "--replay"], capsys)
    assert code == 0, err


def test_a_refused_key_names_every_variable(echo, capsys):
    Api.state = {"status": 401}
    code, out, err = run_cli_captured(["record", *echo["args"]], capsys)
    assert code == 2 and "status 401" in err
    assert "$HDR_KEY, $QUERY_KEY, $BASIC_USER, $BASIC_PASS, $TENANT" in err
    assert not any(secret in err for secret in SECRETS.values())


def test_secret_query_parameters_written_into_an_http_path_are_redacted(echo, capsys):
    """The same redaction as a WebSocket session's URL (record/redact.py `url`): `?token=` and
    `?client_secret=` written into a case's path are sent as written, recorded as `[REDACTED]` (the
    server's echo of the URL too), and `?sort=` is kept."""
    inline = {"token": "tok-inline-11223344", "client_secret": "cs-inline-55667788"}
    text = echo["plan"].read_text().replace(
        "path: /echo,", f"path: '/echo?sort=name&token={inline['token']}&client_secret={inline['client_secret']}',")
    echo["plan"].write_text(text)
    code, out, err = run_cli_captured(["record", *echo["args"]], capsys)
    assert code == 0, err
    _, path, _ = Api.state["requests"][-1]
    assert all(value in path for value in inline.values()) and "sort=name" in path, path
    snap = yaml.safe_load((echo["tmp"] / "snapshots" / "echo.yaml").read_text())
    assert snap["request"]["path"] == "/echo?sort=name&token=[REDACTED]&client_secret=[REDACTED]"
    assert "sort=name" in snap["samples"][0]["body"]["url"]
    for secret in [*inline.values(), *SECRETS.values()]:
        assert secret not in written(echo["tmp"]) + out + err, secret
