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
    assert e.place == "line 16" and "unknown key 'retries'" in e.message
    assert str(e).startswith("p.yaml: line 16: ")


def test_unknown_top_level_key():
    assert error("base_url: http://x\ncases: []\nbogus: 1\n").place == "line 3"


def test_missing_field():
    e = error(GOOD.replace("    path: /models\n", ""))
    assert "missing 'path'" in e.message and e.place == "line 7"
    assert "missing 'base_url'" in error("cases: [{name: a, path: /a}]\n").message


@pytest.mark.parametrize("name", ["../etc/passwd", ".hidden", "a b", "x" * 101, "", "-a", "a/b"])
def test_unsafe_case_names(name):
    e = error(GOOD.replace("name: models-list", f"name: {name!r}"))
    assert "not a safe file name" in e.message and e.place == "line 7"


def test_duplicate_names_and_bad_values():
    assert "used twice" in error(GOOD.replace("responses-stream", "models-list")).message
    assert "repeat" in error(GOOD.replace("repeat: 3", "repeat: 0")).message
    assert "stream must be" in error(GOOD.replace("stream: true\n", "stream: yes please\n")).message
    assert "path must start" in error(GOOD.replace("path: /models", "path: models")).message


def test_client_request_id_checked():
    assert "ASCII" in error(GOOD.replace("{OpenAI-Project: proj_123}", "{X-Client-Request-Id: héllo}")).message
    assert "at most 512" in error(GOOD.replace("{OpenAI-Project: proj_123}", "{X-Client-Request-Id: " + "a" * 513 + "}")).message
    parse_plan(GOOD.replace("{OpenAI-Project: proj_123}", "{X-Client-Request-Id: " + "a" * 512 + "}"), "p")


def test_invalid_yaml_has_line():
    e = error("base_url: x\ncases:\n  - [unclosed\n")
    assert e.place and e.place.startswith("line ")
