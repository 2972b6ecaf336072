"""The plan file (default `apicompat.yaml`): what to record.

Read like the specs: YAML 1.2 through the shared loader (apicompat.load: `country: NO` stays "NO",
`0777` is 777, a date is text), with its guards (size, encoding, tags, aliases, nesting, duplicate
keys). The format is its JSON Schema, checker/schemas/plan.schema.json, which validates the data with
errors naming the key and its line (apicompat.jsonschemas.check); this module checks besides only
what a schema cannot say, naming the key the same way. docs/plan.md documents every key.

Credentials never live in the plan: `auth:` names environment variables, and `${VAR}` in a header
value is read from the environment, both only when recording (`Plan.credentials`); every such value
is a secret the redactor scrubs.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any, cast

from ..errors import InputError
from ..jsonschemas import check, place
from ..lines import find_lines
from ..load.documents import decode, parse_text, read_source
from ..pointers import join
from .sse import DEFAULT_TERMINALS
from .values import parse_path
from .websocket import Session, read_session
from .websocket import operation as session_operation

SCHEMA = "plan.schema.json"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
MAX_CLIENT_ID = 512
ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class Case:
    name: str
    method: str
    path: str
    json: object = None
    has_json: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    stream: bool = False
    repeat: int = 1
    terminal: tuple[str, ...] | None = DEFAULT_TERMINALS
    websocket: Session | None = None  # a WebSocket session (record/websocket.py)
    volatile: list[str] = field(default_factory=list)  # value paths `check` does not compare
    pins: list[str] = field(default_factory=list)  # value paths whose change is breaking

    @property
    def operation(self) -> str:
        return session_operation(self.path) if self.websocket else f"{self.method} {self.path}"


@dataclass
class Plan:
    source: str
    base_url: str
    api_key_env: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    redact: list[str] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    policy: str | None = None  # `policy: FILE` (resolved beside the plan) ...
    policy_text: str | None = None  # ... or an inline policy mapping, as JSON text (which YAML reads)
    auth: dict = field(default_factory=dict)  # the `auth:` mapping as the schema let it through
    volatile: list[str] = field(default_factory=list)
    pins: list[str] = field(default_factory=list)

    def env_names(self) -> list[str]:
        """Every environment variable the plan reads when recording, each once, in plan order."""
        auth = self.auth
        basic = auth.get("basic") or {}
        names = [auth.get("api_key_env"), (auth.get("header") or {}).get("env"),
                 (auth.get("query") or {}).get("env"), basic.get("username_env"), basic.get("password_env")]
        for headers in [self.headers] + [c.headers for c in self.cases]:
            names += [m.group(1) for v in headers.values() for m in ENV_REF.finditer(v)]
        return list(dict.fromkeys(n for n in names if n))

    def credential_sources(self) -> str:
        """Where the credentials come from, for an authentication error ("" when none are sent)."""
        return ", ".join(f"${name}" for name in self.env_names())

    def api_key(self) -> str | None:
        """The bearer key (`auth.api_key_env`), read from the environment."""
        return _env(self, self.api_key_env, "auth.api_key_env") if self.api_key_env else None

    def credentials(self) -> tuple[Plan, list[str]]:
        """The plan as sent: `${VAR}` in headers read from the environment, `auth.header`,
        `auth.query` and `auth.basic` applied to every case; and every secret value, for the
        redactor. A variable that is not set is an InputError naming it and its key."""
        secrets: list[str] = []

        def expand(headers: dict[str, str], what: str) -> dict[str, str]:
            out = {}
            for name, value in headers.items():
                def read(m: re.Match, name: str = name) -> str:
                    secrets.append(_env(self, m.group(1), f"{what}.{name}"))
                    return secrets[-1]
                out[name] = ENV_REF.sub(read, value)
            return out

        auth = self.auth
        headers = expand(self.headers, "headers")
        query: dict[str, str] = {}
        if "header" in auth:
            secrets.append(_env(self, auth["header"]["env"], "auth.header.env"))
            headers[auth["header"]["name"]] = secrets[-1]
        if "query" in auth:
            secrets.append(_env(self, auth["query"]["env"], "auth.query.env"))
            query[auth["query"]["name"]] = secrets[-1]
        if "basic" in auth:
            basic = auth["basic"]
            user = (_env(self, basic["username_env"], "auth.basic.username_env") if "username_env" in basic
                    else basic.get("username", ""))
            password = _env(self, basic["password_env"], "auth.basic.password_env")
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
            secrets += [password, token] + ([user] if "username_env" in basic else [])
        cases = [replace(c, headers=expand(c.headers, f"cases.{c.name}.headers"), query={**c.query, **query})
                 for c in self.cases]
        return replace(self, headers=headers, cases=cases), secrets


def _env(plan: Plan, name: str, key: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise InputError(plan.source, f"environment variable {name} ({key}) is not set")
    return value


class _Places:
    """InputErrors naming a key of the plan and its line, as the schema's own errors do."""

    def __init__(self, source: str, text: str | None, data: object) -> None:
        self.source, self.text, self.data = source, text, data

    def fail(self, keys: tuple, message: str) -> InputError:
        pointer = join("#", *keys)
        line = find_lines(self.text, [pointer], self.data).get(pointer) if self.text else None
        return InputError(self.source, message, place(list(keys), line))


def _header_values(places: _Places, headers: dict, keys: tuple) -> dict[str, str]:
    out = {}
    for name, value in headers.items():
        value = value if isinstance(value, str) else json.dumps(value)
        if name.lower() == "x-client-request-id":
            if not value.isascii():
                raise places.fail(keys + (name,), "X-Client-Request-Id must be ASCII")
            if len(value) > MAX_CLIENT_ID:
                raise places.fail(keys + (name,),
                                  f"X-Client-Request-Id is {len(value)} characters; at most {MAX_CLIENT_ID}")
        out[name] = value
    return out


def _paths(places: _Places, data: dict, keys: tuple) -> list[str]:
    """A `volatile:` or `pins:` list: each JSON path must parse (record/values.py)."""
    found: Any = data
    for key in keys:
        found = found.get(key) if isinstance(found, dict) else found[key]
    for j, text in enumerate(found or []):
        if text.startswith("$"):
            try:
                parse_path(text)
            except ValueError as exc:
                raise places.fail(keys + (j,), f"not a JSON path: {exc}") from None
    return list(found or [])


def _query_value(value: object) -> str:
    """How a query value is sent: text as written, numbers and true/false as JSON spells them."""
    return value if isinstance(value, str) else json.dumps(value)


def parse_plan(text: str, source: str) -> Plan:
    """A Plan from the text of a plan file: YAML 1.2 (or JSON) through the shared loader."""
    if not text.strip():
        raise InputError(source, "the plan is empty")
    try:
        data = parse_text(source, text)
    except RecursionError:
        raise InputError(source, "nested too deeply for a plan file") from None
    return plan_from_data(data, source, text)


def plan_from_data(data: object, source: str, text: str | None = None) -> Plan:
    """A Plan from a plan's data; `text`, the file's text, puts line numbers in the errors."""
    check(SCHEMA, source, data, text)
    data = cast(dict[str, Any], data)  # check() accepted it: a mapping with the keys read below
    places = _Places(source, text, data)
    plan = Plan(source, data["base_url"].rstrip("/"), auth=dict(data.get("auth") or {}))
    plan.api_key_env = plan.auth.get("api_key_env")
    plan.headers = _header_values(places, data.get("headers") or {}, ("headers",))
    plan.redact = list(data.get("redact") or [])
    plan.volatile, plan.pins = _paths(places, data, ("volatile",)), _paths(places, data, ("pins",))
    policy = data.get("policy")
    if isinstance(policy, dict):
        plan.policy_text = json.dumps(policy)
    elif policy is not None:
        plan.policy = os.path.join(os.path.dirname(source), policy)
    seen: dict[str, int] = {}
    for i, c in enumerate(data["cases"]):
        name = c["name"]
        if name.lower() in seen:
            raise places.fail(("cases", i, "name"),
                              f"case name {name!r} is used twice (first in cases[{seen[name.lower()]}])")
        seen[name.lower()] = i
        case = Case(name, c.get("method", "GET").upper(), c["path"])
        if "json" in c:
            case.json, case.has_json = c["json"], True
        case.headers = _header_values(places, c.get("headers") or {}, ("cases", i, "headers"))
        case.query = {k: _query_value(v) for k, v in (c.get("query") or {}).items()}
        case.stream = c.get("stream", False)
        case.repeat = c.get("repeat", 1)
        if "terminal" in c:
            value = c["terminal"]
            case.terminal = None if value in (None, False) else (value,) if isinstance(value, str) else tuple(value)
        case.volatile = _paths(places, data, ("cases", i, "volatile"))
        case.pins = _paths(places, data, ("cases", i, "pins"))

        def fail(key: str, message: str, i: int = i, name: str = name) -> InputError:
            return places.fail(("cases", i, key), f"case {name}: {message}")

        read_session(fail, c, case)
        plan.cases.append(case)
    return plan


def load_plan(path: str) -> Plan:
    """Read with the document loader's guards (size, FIFOs and devices, encoding, YAML tags, alias
    bombs, nesting, duplicate keys) and YAML 1.2 values, then validate with the plan's schema."""
    if not os.path.lexists(path):
        raise InputError(path, "no such plan file (give one with --plan)")
    raw, _ = read_source(path)
    return parse_plan(decode(path, raw), path)
