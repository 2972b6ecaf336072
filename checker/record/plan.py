"""The plan file (default `apicompat.yaml`): what to record. Loaded with PyYAML's composer so that
every error names its line."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import yaml

from ..errors import InputError
from .sse import DEFAULT_TERMINALS
from .websocket import KEYS as WEBSOCKET_KEYS
from .websocket import Session, read_session

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")  # \Z: `$` would let a final newline through
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
TOP_KEYS = {"base_url", "auth", "headers", "redact", "cases", "policy"}
AUTH_KEYS = {"api_key_env"}
CASE_KEYS = {"name", "method", "path", "json", "headers", "stream", "repeat", "terminal", "query"} | WEBSOCKET_KEYS
MAX_CLIENT_ID = 512


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

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Plan:
    source: str
    base_url: str
    api_key_env: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    redact: list[str] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    policy: str | None = None  # `policy: FILE` (resolved beside the plan) ...
    policy_text: str | None = None  # ... or an inline policy mapping, as YAML text

    def api_key(self) -> str | None:
        if not self.api_key_env:
            return None
        value = os.environ.get(self.api_key_env)
        if not value:
            raise InputError(self.source, f"environment variable {self.api_key_env} (auth.api_key_env) is not set")
        return value


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: yaml.Node | None, message: str) -> InputError:
        place = f"line {node.start_mark.line + 1}" if node is not None else None
        return InputError(self.source, message, place)

    def mapping(self, node: yaml.Node, what: str, allowed: set[str] | None = None) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                raise self.fail(k, f"{what}: keys must be plain names")
            if k.value in out:
                raise self.fail(k, f"{what}: duplicate key {k.value!r}")
            if allowed is not None and k.value not in allowed:
                raise self.fail(k, f"{what}: unknown key {k.value!r} (expected one of: {', '.join(sorted(allowed))})")
            out[k.value] = (k, v)
        return out

    def string(self, node: yaml.Node, what: str) -> str:
        value = self.plain(node)
        if not isinstance(value, str) or not value:
            raise self.fail(node, f"{what} must be a non-empty string")
        return value

    def plain(self, node: yaml.Node) -> object:
        return yaml.SafeLoader(yaml.serialize(node)).get_single_data() if node is not None else None


def _headers(r: _Reader, node: yaml.Node, what: str) -> dict[str, str]:
    out = {}
    for name, (knode, vnode) in r.mapping(node, what).items():
        value = r.plain(vnode)
        if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
            raise r.fail(vnode, f"{what}: header {name!r} must have a string value")
        value = str(value)
        if "\n" in value or "\r" in value:
            raise r.fail(vnode, f"{what}: header {name!r} must not contain a line break")
        if name.lower() == "x-client-request-id":
            if not value.isascii():
                raise r.fail(vnode, f"{what}: X-Client-Request-Id must be ASCII")
            if len(value) > MAX_CLIENT_ID:
                raise r.fail(vnode, f"{what}: X-Client-Request-Id is {len(value)} characters; at most {MAX_CLIENT_ID}")
        out[name] = value
    return out


def parse_plan(text: str, source: str) -> Plan:
    r = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(source, f"not valid YAML: {exc.problem or exc}",
                         f"line {mark.line + 1}" if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {exc}") from None
    if root is None:
        raise InputError(source, "the plan is empty")
    top = r.mapping(root, "plan", TOP_KEYS)
    for required in ("base_url", "cases"):
        if required not in top:
            raise r.fail(root, f"plan: missing {required!r}")
    base_url = r.string(top["base_url"][1], "base_url")
    if not re.match(r"^https?://", base_url):
        raise r.fail(top["base_url"][1], "base_url must start with http:// or https://")
    plan = Plan(source, base_url.rstrip("/"))
    if "auth" in top:
        auth = r.mapping(top["auth"][1], "auth", AUTH_KEYS)
        if "api_key_env" in auth:
            plan.api_key_env = r.string(auth["api_key_env"][1], "auth.api_key_env")
    if "headers" in top:
        plan.headers = _headers(r, top["headers"][1], "headers")
    if "redact" in top:
        node = top["redact"][1]
        if not isinstance(node, yaml.SequenceNode):
            raise r.fail(node, "redact must be a list of header or field names")
        plan.redact = [r.string(n, "redact entry") for n in node.value]
    if "policy" in top:
        node = top["policy"][1]
        if isinstance(node, yaml.MappingNode):
            plan.policy_text = yaml.serialize(node)
        else:
            plan.policy = os.path.join(os.path.dirname(source), r.string(node, "policy"))
    cases_node = top["cases"][1]
    if not isinstance(cases_node, yaml.SequenceNode) or not cases_node.value:
        raise r.fail(cases_node, "cases must be a non-empty list")
    seen: dict[str, int] = {}
    for cnode in cases_node.value:
        c = r.mapping(cnode, "case", CASE_KEYS)
        for required in ("name", "path"):
            if required not in c:
                raise r.fail(cnode, f"case: missing {required!r}")
        name_node = c["name"][1]
        name = r.plain(name_node)
        if not isinstance(name, str) or not SAFE_NAME.match(name):
            raise r.fail(name_node, f"case name {name!r} is not a safe file name "
                         "(letters, digits, '.', '_', '-'; starting with a letter or digit; at most 100)")
        if name.lower() in seen:
            raise r.fail(name_node, f"case name {name!r} is used twice (first on line {seen[name.lower()]})")
        seen[name.lower()] = name_node.start_mark.line + 1
        case_what = f"case {name}"
        method = "GET"
        if "method" in c:
            method = r.string(c["method"][1], f"{case_what}: method").upper()
            if method not in METHODS:
                raise r.fail(c["method"][1], f"{case_what}: unknown method {method!r}")
        path = r.string(c["path"][1], f"{case_what}: path")
        if not path.startswith("/"):
            raise r.fail(c["path"][1], f"{case_what}: path must start with '/'")
        case = Case(name, method, path)
        if "json" in c:
            case.json, case.has_json = r.plain(c["json"][1]), True
        if "headers" in c:
            case.headers = _headers(r, c["headers"][1], f"{case_what}: headers")
        if "query" in c:
            case.query = {k: str(r.plain(v)) for k, (_, v) in r.mapping(c["query"][1], f"{case_what}: query").items()}
        if "stream" in c:
            value = r.plain(c["stream"][1])
            if not isinstance(value, bool):
                raise r.fail(c["stream"][1], f"{case_what}: stream must be true or false")
            case.stream = value
        if "repeat" in c:
            value = r.plain(c["repeat"][1])
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
                raise r.fail(c["repeat"][1], f"{case_what}: repeat must be a whole number from 1 to 100")
            case.repeat = value
        if "terminal" in c:
            value = r.plain(c["terminal"][1])
            if value is None or value is False:
                case.terminal = None
            elif isinstance(value, str):
                case.terminal = (value,)
            elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                case.terminal = tuple(value)
            else:
                raise r.fail(c["terminal"][1], f"{case_what}: terminal must be an event name, a list of them, or null")
        read_session(r, c, case_what, case)
        plan.cases.append(case)
    return plan


def load_plan(path: str) -> Plan:
    """Read with the document loader's guards (size, FIFOs and devices, encoding, YAML tags, alias
    bombs, nesting, duplicate keys), then compose with PyYAML so that errors name their line."""
    from ..load.documents import decode, parse_text, read_source

    if not os.path.lexists(path):
        raise InputError(path, "no such plan file (give one with --plan)")
    raw, _ = read_source(path)
    text = decode(path, raw)
    if text.strip():
        parse_text(path, text)
    try:
        return parse_plan(text, path)
    except RecursionError:
        raise InputError(path, "nested too deeply for a plan file") from None
