"""The YAML reader gives the same data whichever parser reads it (yaml-rs, or PyYAML's parser with our
rules: apicompat.load.yamlread), on the whole corpus, on generated documents and scalars, and on the
edge cases of docs/yaml.md, whose table this test keeps true (apicompat's reading, and PyYAML's own
YAML 1.1 reading that apicompat means to differ from)."""

from __future__ import annotations

import datetime  # noqa: F401 - the docs table's PyYAML column names datetime.date
import math
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apicompat.errors import InputError
from apicompat.load import yamlread
from apicompat.load.documents import parse_data
from conftest import need_shared

ROOT = Path(__file__).resolve().parents[2]
PARSERS = ("yaml-rs", "pyyaml")


def read(text: str, parser: str, source: str = "t.yaml") -> tuple[str, object]:
    """("ok", data) or ("refused", message) as the loader reads `text` with `parser`."""
    old = os.environ.get(yamlread.ENV_PARSER)
    os.environ[yamlread.ENV_PARSER] = parser
    try:
        assert yamlread.parser_name() == parser
        return "ok", parse_data(source, text)
    except InputError as exc:
        return "refused", exc.message
    finally:
        if old is None:
            os.environ.pop(yamlread.ENV_PARSER, None)
        else:
            os.environ[yamlread.ENV_PARSER] = old


def same(a: tuple[str, object], b: tuple[str, object]) -> bool:
    """Both refuse, or both give equal data (NaN equal to NaN, key order and types included)."""
    if a[0] != b[0]:
        return False
    return a[0] == "refused" or _canonical(a[1]) == _canonical(b[1])


def _canonical(value: object) -> object:
    if isinstance(value, dict):
        return ("dict", [(_canonical(k), _canonical(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_canonical(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


def assert_same(text: str) -> None:
    rs, py = read(text, "yaml-rs"), read(text, "pyyaml")
    assert same(rs, py), (text, rs, py)


# ---- docs/yaml.md: the edge cases and what each parser makes of them ---------------------------

def doc_rows() -> list[tuple[str, str, str]]:
    text = (ROOT / "docs" / "yaml.md").read_text()
    rows = re.findall(r"^\| `(.+?)` \| (.+?) \| (.+?) \|$", text, re.M)
    assert len(rows) >= 30, "docs/yaml.md lost its table"
    return rows


def _cell(cell: str) -> str:
    return cell.strip().strip("`")


@pytest.mark.parametrize("parser", PARSERS)
def test_docs_table_is_apicompats_reading(parser):
    for source, ours, _ in doc_rows():
        text = source.replace("\\n", "\n")
        kind, value = read(text, parser)
        expected = _cell(ours)
        if expected.startswith("refused: "):
            assert kind == "refused" and expected[len("refused: "):] in value, (source, parser, value)
        else:
            assert kind == "ok" and repr(value) == expected, (source, parser, value)


def test_docs_table_names_pyyamls_own_reading():
    """The third column is what PyYAML's safe_load (YAML 1.1) gives: the differences are meant."""
    for source, _, theirs in doc_rows():
        text = source.replace("\\n", "\n")
        try:
            value = repr(yaml.safe_load(text))
        except yaml.YAMLError as exc:
            value = f"error: {getattr(exc, 'problem', None) or exc}"
        assert value == _cell(theirs) or (_cell(theirs).startswith("error: ") and value.startswith(_cell(theirs))), \
            (source, value)


def test_edge_cases_the_issue_names_are_in_the_table():
    sources = " ".join(source for source, _, _ in doc_rows())
    for needle in ("<<: *", "yes", "on", "0777", "0o777", "1_000", "2024-01-02", '"2024-01-02"', "!!binary",
                   ".nan", ".inf", "12345678901234567890123", "{a: 1, a: 2}", "200:", "!!timestamp", "NO"):
        assert needle in sources, needle


# ---- the same data from both parsers ------------------------------------------------------------

def test_merge_keys_follow_pyyaml():
    base = "base: &b {x: 1, y: 2}\nother: &o {y: 5, z: 6}\n"
    cases = {
        "d:\n  <<: *b\n  y: 3\n": {"x": 1, "y": 3},
        "d:\n  <<: [*b, *o]\n": {"x": 1, "y": 2, "z": 6},  # the earlier mapping wins
        "d:\n  <<: [*o, *b]\n": {"x": 1, "y": 5, "z": 6},
        "d: {<<: *b, w: 0}\n": {"x": 1, "y": 2, "w": 0},
        "d:\n  y: 9\n  <<: *b\n": {"x": 1, "y": 9},  # explicit keys win wherever they stand
        "e: &e {<<: *b, q: 1}\nd:\n  <<: *e\n": {"x": 1, "y": 2, "q": 1},  # a merge of a merge
    }
    for tail, expected in cases.items():
        for parser in PARSERS:
            kind, data = read(base + tail, parser)
            assert kind == "ok" and data["d"] == expected, (tail, parser, data)
    for bad in ("d:\n  <<: 5\n", "d:\n  <<: [*b, 5]\n"):
        for parser in PARSERS:
            kind, message = read(base + bad, parser)
            assert kind == "refused" and "merge key" in message, (bad, parser, message)
    # a quoted '<<' is an ordinary key, as in PyYAML
    assert read(base + "d: {'<<': *b}\n", "yaml-rs")[1]["d"] == {"<<": {"x": 1, "y": 2}}
    assert_same(base + "d: {'<<': *b}\n")


SCALAR_CHARS = "0123456789_+-.eExXoObB aflnNrstuTFY~:i"


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(alphabet=SCALAR_CHARS, min_size=1, max_size=9))
@example("_-0")  # an underscore before the sign, or inside a base prefix, makes it text (found by this test)
@example("_+1")
@example("0_x1")
@example("-_0o7")
def test_plain_scalars_read_the_same(scalar):
    scalar = scalar.strip()
    if not scalar or scalar[0] in "-?:" or scalar.endswith(":") or ": " in scalar or " #" in scalar:
        return  # not a plain scalar in value position
    flow = f"[{scalar}]\n" if " " not in scalar else "[1]\n"  # `[0 -]`: the parsers' syntax differs, not the reading
    for text in (f"k: {scalar}\n", flow,
                 f"k: !!int {scalar}\n", f"k: !!float {scalar}\n"):
        assert_same(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10 ** 30, 10 ** 30) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet="ab01 :-#&*!?<>'\"\\\n\t%@`|{}[],.yYnN", max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(alphabet="ab01yYnN<~", max_size=4) | st.integers(0, 300) | st.booleans(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(json_values, st.booleans(), st.integers(0, 3))
def test_generated_documents_read_the_same(value, flow, share):
    doc = {"root": value}
    if share and isinstance(value, (dict, list)):
        doc["again"] = [value] * share  # yaml.dump writes anchors and aliases for the shared object
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True)
    assert_same(text)


def test_whole_corpus_reads_the_same():
    corpus = need_shared() / "corpus"
    files = sorted(corpus.rglob("*.yaml")) + sorted(corpus.rglob("*.yml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        rs, py = read(text, "yaml-rs", str(path)), read(text, "pyyaml", str(path))
        assert rs[0] == py[0] == "ok", (path, rs[0], py[0])
        assert _canonical(rs[1]) == _canonical(py[1]), path


def test_the_fallback_can_be_forced_and_names_itself(monkeypatch):
    monkeypatch.setenv(yamlread.ENV_PARSER, "pyyaml")
    assert yamlread.parser_name() == "pyyaml" and yamlread.parser_identity().startswith("pyyaml;")
    monkeypatch.setenv(yamlread.ENV_PARSER, "")
    assert yamlread.parser_name() == ("yaml-rs" if yamlread.yaml_rs is not None else "pyyaml")


def test_yaml_rs_is_pinned_below_its_next_minor():
    """yaml-rs is 0.x with one maintainer and we use 0.x-only options: a new minor may change them."""
    text = (ROOT / "pyproject.toml").read_text()
    pin = re.search(r'"yaml-rs([^"]*)"', text).group(1)
    assert re.fullmatch(r">=0\.1\.6,\s*<0\.2", pin), pin


@pytest.mark.parametrize("parser", PARSERS)
def test_a_duplicate_key_is_refused_with_its_line_by_either_parser(parser, monkeypatch):
    """yaml-rs names no place for a duplicate key: the error still says where (the second `paths`)."""
    monkeypatch.setenv(yamlread.ENV_PARSER, parser)
    with pytest.raises(InputError) as caught:
        parse_data("dup.yaml", "openapi: 3.0.0\npaths: {}\ninfo: {title: a}\npaths: {}\n")
    assert caught.value.place is not None and caught.value.place.startswith("line 4,"), str(caught.value)
    assert "duplicate" in caught.value.message


def test_a_yaml_rs_error_with_a_place_keeps_it():
    """The near case: an error yaml-rs places itself keeps yaml-rs's own place and reason."""
    status, message = read("a: [1, 2\nb: 3\n", "yaml-rs")
    assert status == "refused"
    with pytest.raises(InputError) as caught:
        parse_data("bad.yaml", "a: [1, 2\nb: 3\n")
    assert caught.value.place is not None and caught.value.place.startswith("line "), str(caught.value)
