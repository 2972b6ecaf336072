import pytest

from apicompat.errors import InputError
from apicompat.record.plan import parse_plan

GOOD = """\
base_url: https://api.openai.com/v1/
auth:
  api_key_env: OPENAI_API_KEY
headers: {OpenAI-Project: proj_123}
redact: [x-secret-header]
cases:
  - name: models-list
    method: get
    path: /models
  - name: responses-stream
    method: POST
    path: /responses
    json: {model: gpt-4.1-mini, input: "Say hello", stream: true}
    stream: true
    repeat: 3
"""


def test_good_plan():
    plan = parse_plan(GOOD, "p.yaml")
    assert plan.base_url == "https://api.openai.com/v1"
    assert plan.api_key_env == "OPENAI_API_KEY" and plan.redact == ["x-secret-header"]
    a, b = plan.cases
    assert (a.method, a.path, a.repeat, a.stream, a.has_json) == ("GET", "/models", 1, False, False)
    assert b.json == {"model": "gpt-4.1-mini", "input": "Say hello", "stream": True} and b.repeat == 3
    assert b.operation == "POST /responses"


def error(text: str) -> InputError:
    with pytest.raises(InputError) as exc:
        parse_plan(text, "p.yaml")
    return exc.value


def test_unknown_key_names_its_line():
    e = error(GOOD.replace("    repeat: 3", "    repeat: 3\n    retries: 2"))
    assert e.place == "line 16, cases[1].retries" and "unknown key 'retries'" in e.message
    assert str(e).startswith("p.yaml: line 16, cases[1].retries: ")


def test_unknown_top_level_key():
    e = error("base_url: http://x\ncases: [{name: a, path: /a}]\nbogus: 1\n")
    assert e.place == "line 3, bogus" and "unknown key 'bogus'" in e.message


def test_missing_field():
    e = error(GOOD.replace("    path: /models\n", ""))
    assert "missing 'path'" in e.message and e.place == "line 7, cases[0]"
    assert "missing 'base_url'" in error("cases: [{name: a, path: /a}]\n").message


@pytest.mark.parametrize("name", ["../etc/passwd", ".hidden", "a b", "x" * 101, "", "-a", "a/b"])
def test_unsafe_case_names(name):
    e = error(GOOD.replace("name: models-list", f"name: {name!r}"))
    assert "expected a safe file name" in e.message and e.place == "line 7, cases[0].name"


def test_duplicate_names_and_bad_values():
    e = error(GOOD.replace("responses-stream", "Models-List"))
    assert "used twice (first in cases[0])" in e.message and e.place == "line 10, cases[1].name"
    assert "from 1 to 100" in error(GOOD.replace("repeat: 3", "repeat: 0")).message
    assert "expected true or false" in error(GOOD.replace("stream: true\n", "stream: yes please\n")).message
    assert "starting with '/'" in error(GOOD.replace("path: /models", "path: models")).message
    assert "an HTTP method" in error(GOOD.replace("method: get", "method: fetch")).message
    assert "http:// or https://" in error(GOOD.replace("https://api", "ftp://api")).message


def test_yaml_12_values():
    """The plan is YAML 1.2 like the specs: NO is text, 0777 is 777, an unquoted date is text (not a
    crash), yes is text; and a header or query value that is a number is sent as written in JSON."""
    plan = parse_plan(GOOD.replace("    path: /models\n", "    path: /models\n    query: {country: NO, mode: 0777, "
                                   "since: 2024-01-31, ok: yes, n: 1.5, flag: true}\n    json: {day: 2024-01-31}\n"
                                   "    headers: {X-Mode: 0777}\n"), "p.yaml")
    case = plan.cases[0]
    assert case.query == {"country": "NO", "mode": "777", "since": "2024-01-31", "ok": "yes", "n": "1.5", "flag": "true"}
    assert case.json == {"day": "2024-01-31"} and case.headers == {"X-Mode": "777"}


def test_plan_schema_bounds_match_the_code():
    """The schema is the format: its bounds are the code's constants."""
    from apicompat.jsonschemas import schema
    from apicompat.record.plan import METHODS
    from apicompat.record.websocket import MAX_EVENTS, MAX_SEND, MAX_TIMEOUT

    case = schema("plan.schema.json")["$defs"]["case"]["properties"]
    assert case["max_events"]["maximum"] == MAX_EVENTS and case["send"]["maxItems"] == MAX_SEND
    assert case["timeout"]["maximum"] == MAX_TIMEOUT
    for method in METHODS:
        for spelled in (method, method.lower(), method.capitalize()):
            assert parse_plan(GOOD.replace("method: get", f"method: {spelled}"), "p").cases[0].method == method


def test_client_request_id_checked():
    assert "ASCII" in error(GOOD.replace("{OpenAI-Project: proj_123}", "{X-Client-Request-Id: héllo}")).message
    assert "at most 512" in error(GOOD.replace("{OpenAI-Project: proj_123}", "{X-Client-Request-Id: " + "a" * 513 + "}")).message
    parse_plan(GOOD.replace("{OpenAI-Project: proj_123}", "{X-Client-Request-Id: " + "a" * 512 + "}"), "p")


def test_invalid_yaml_has_line():
    e = error("base_url: x\ncases:\n  - [unclosed\n")
    assert e.place and e.place.startswith("line ")


def _schema_keys(node: object, prefix: str = "") -> set[str]:
    """Every key the plan schema defines, as `cases[].name`, `auth.header`, ..."""
    from apicompat.jsonschemas import schema

    root = schema("plan.schema.json")
    found: set[str] = set()

    def walk(sub: dict, where: str) -> None:
        if "$ref" in sub:
            sub = root["$defs"][sub["$ref"].rsplit("/", 1)[1]]
        for key, value in (sub.get("properties") or {}).items():
            name = f"{where}{key}"
            found.add(name)
            walk(value, name + ".")
        if isinstance(sub.get("items"), dict):
            walk(sub["items"], where.rstrip(".") + "[].")

    walk(root, prefix)
    return found


def test_docs_plan_md_documents_every_key_and_the_example_plan_is_valid():
    from pathlib import Path

    from apicompat.record.plan import load_plan

    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "plan.md").read_text()
    keys = _schema_keys(None)
    assert {"base_url", "auth.basic.password_env", "cases[].pins", "volatile"} <= keys
    for key in keys:
        if key.startswith("auth.") and key.count(".") == 2:  # auth.header.name: in the auth forms' row
            key = key.rsplit(".", 1)[0]
        assert f"`{key}`" in doc or f"`{key.split('.')[-1]}`" in doc, key
    assert load_plan(str(root / "examples" / "apicompat.yaml")).cases
    example = doc[doc.index("```yaml\nbase_url"):]
    example = example[len("```yaml\n"):example.index("```", 10)]
    plan = parse_plan(example, "docs/plan.md")
    assert [c.name for c in plan.cases] == ["chat", "stream", "realtime"]


@pytest.mark.parametrize("old, new, key", [
    ("name: models-list", 'name: "models-list\\n"', "cases[0].name"),  # a file name ending in a newline
    ("https://api.openai.com/v1/", '"https://api.openai.com/v1/\\n"', "base_url"),
    ("path: /models", 'path: "/models\\r\\nX-Injected: 1"', "cases[0].path"),
    ("{OpenAI-Project: proj_123}", '{OpenAI-Project: "proj_123\\n"}', "headers.OpenAI-Project"),
    ("api_key_env: OPENAI_API_KEY", 'api_key_env: "OPENAI_API_KEY\\n"', "auth.api_key_env"),
    ("method: get", 'method: "get\\n"', "cases[0].method"),
])
def test_a_trailing_newline_is_refused(old, new, key):
    """Patterns end with a look-ahead, not `$` (which, in Python's re that validates them, lets a
    final newline through)."""
    assert old in GOOD
    assert error(GOOD.replace(old, new)).place.endswith(key)
