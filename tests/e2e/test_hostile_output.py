"""Output that lies or injects (issue 11, items 17-19): names in a hostile spec carry terminal
escapes, C1 controls, bidi overrides, line breaks that would forge GitHub workflow commands,
@mentions, raw HTML, links and characters XML forbids. Every format is parsed back the way its
consumer reads it (a terminal, the Actions runner, GitHub's Markdown, an XML parser, a JSON
parser, a browser's HTML parser) and must show each name as inert text."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from apicompat.safetext import printable, xml_safe

HOSTILE = [
    "a\n::error::forged",
    "x\r\n::stop-commands::tok",
    "b\x1b[31mRED\x1b]0;title\x07",
    "\x9b31m c1 csi",
    "\u202eevil\u2066isolate",
    "@octocat hi",
    "<img src=x onerror=alert(1)>",
    "[link](https://evil.example)",
    "https://evil.example/auto",
    "c\x00\x01\x7f",
    "line\u2028sep\u0085nel",
    "`tick``s`",
    "pipe|cell",
    "</script><!--",
]
PATH = "/jobs\n::error::path\x1b[2J"
MARKERS = ["::error", "::stop-commands", "@octocat", "<img", "](https", "https://evil", "</script>"]


def spec(schema: dict) -> dict:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {PATH: {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}}}


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile-output")
    old = spec({"type": "object", "required": HOSTILE, "properties": {n: {"type": "string"} for n in HOSTILE}})
    new = spec({"type": "object"})
    (folder / "old.json").write_text(json.dumps(old))
    (folder / "new.json").write_text(json.dumps(new))
    return folder / "old.json", folder / "new.json"


def run(pair, fmt: str, *extra: str) -> subprocess.CompletedProcess:
    old, new = pair
    return subprocess.run([sys.executable, "-m", "apicompat", "diff", old.name, new.name, "--format", fmt,
                           "--fail-on", "none", *extra], cwd=old.parent, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"}, timeout=60)


def hidden_chars(text: str, allowed: str = "\n") -> list[str]:
    """Characters that act instead of showing: controls (C0, DEL, C1), format characters (bidi),
    surrogates and line/paragraph separators."""
    return [hex(ord(ch)) for ch in text
            if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")]


def test_json_and_sarif_keep_the_names_exactly_and_parse(pair):
    report = json.loads(run(pair, "json").stdout)
    messages = "\n".join(c["message"] for c in report["changes"])
    for name in HOSTILE:
        assert f"'{name}'" in messages  # data formats keep the data; JSON escaping makes it inert
    sarif = json.loads(run(pair, "sarif").stdout)
    assert len(sarif["runs"][0]["results"]) == len(HOSTILE)


def test_text_shows_escapes_never_sends_them(pair):
    out = run(pair, "text").stdout
    assert hidden_chars(out) == []
    assert not any(line.startswith("::") for line in out.split("\n"))
    for shown in (r"a\n::error::forged", r"b\x1b[31mRED\x1b]0;title\x07", r"\x9b31m c1 csi",
                  r"\u202eevil\u2066isolate", r"c\x00\x01\x7f", r"line\u2028sep\x85nel"):
        assert shown in out
    assert r"GET /jobs\n::error::path\x1b[2J" in out


def test_github_commands_cannot_be_forged(pair):
    out = run(pair, "github").stdout
    assert "\r" not in out and hidden_chars(out) == []
    lines = out.rstrip("\n").split("\n")  # the runner reads lines split at LF (and CR)
    command = re.compile(r"::(error|warning|notice)( (file|line|title)=[^,:\n]*(,(file|line|title)=[^,:\n]*)*)?::")
    assert lines[0].startswith("::notice title=apicompat summary::")
    for line in lines:
        assert command.match(line), line
    assert sum(line.startswith("::error ") for line in lines) == 10  # GitHub shows 10 per kind per step
    assert "a%0A::error::forged" not in out and r"a\n::error::forged" in out
    assert "4 x response-property-removed (breaking)" in lines[0]


def outside_code_spans(line: str) -> str:
    """The parts of a Markdown line that GitHub renders as Markdown: everything but code spans (a run
    of N backticks up to the next run of exactly N; an unmatched run is literal)."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "`":
            run_len = len(re.match(r"`+", line[i:]).group())
            close = re.compile(r"(?<!`)`{%d}(?!`)" % run_len).search(line, i + run_len)
            if close:
                i = close.end()
                continue
            out.append(line[i:i + run_len])
            i += run_len
            continue
        out.append(line[i])
        i += 1
    return "".join(out)


def test_markdown_passes_nothing_live(pair):
    md = run(pair, "markdown").stdout
    assert hidden_chars(md) == []
    for line in md.split("\n"):
        live = outside_code_spans(line)
        for marker in MARKERS:
            assert marker not in live, (marker, line)
        assert "<" not in live.replace("<details>", "").replace("</details>", "").replace(
            "<summary>", "").replace("</summary>", ""), line
        if line.startswith("| `response-property-removed`"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 5, line  # four cells: no pipe from a name splits one


def test_changelog_passes_nothing_live(pair):
    old, new = pair
    out = subprocess.run([sys.executable, "-m", "apicompat", "changelog", old.name, new.name], cwd=old.parent,
                         capture_output=True, text=True, timeout=60).stdout
    assert hidden_chars(out) == []
    for line in out.split("\n"):
        live = outside_code_spans(line)
        assert not any(marker in live for marker in MARKERS), line


def test_junit_is_well_formed(pair):
    for fail_on in ("none", "breaking"):
        out = run(pair, "junit", "--fail-on", fail_on).stdout
        root = ET.fromstring(out.split("\n", 1)[1])  # expat: rejects any character XML 1.0 forbids
        assert hidden_chars(out) == []
        texts = " ".join((el.text or "") + " ".join(el.attrib.values()) for el in root.iter())
        assert r"b\x1b[31mRED\x1b]0;title\x07" in texts and r"c\x00\x01\x7f" in texts
    failures = list(root.iter("failure"))
    assert len(failures) == len(HOSTILE)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_html_shows_names_as_text(pair):
    page = run(pair, "html").stdout
    assert hidden_chars(page) == []
    parser = _Tags()
    parser.feed(page)
    assert "img" not in parser.tags
    assert parser.tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "div", "main", "p",
                           "strong", "b", "label", "input", "select", "option", "span", "section", "article",
                           "code", "h4", "pre", "script", "h2", "details", "summary", "ul", "li", "a"}
    sets = json.loads(parser.scripts[0])  # the operation sets table: parsed, not broken out of
    assert sets == [[printable(f"GET {PATH}")]]


def test_error_lines_escape_what_they_quote(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(spec({"$ref": "#/components/schemas/X\u001b[2J\u202e\u009b"})))
    r = subprocess.run([sys.executable, "-m", "apicompat", "diff", str(bad), str(bad)], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2
    assert len(r.stderr.splitlines()) == 1 and hidden_chars(r.stderr) == []
    assert r"\x1b[2J" in r.stderr


@pytest.mark.parametrize("text, shown", [
    ("plain", "plain"),
    ("tab\there", r"tab\there"),
    ("\x1b[0m", r"\x1b[0m"),
    ("\x9b", r"\x9b"),
    ("\u200b\u202e\u2066\ufeff", r"\u200b\u202e\u2066\ufeff"),
    ("\ud800", r"\ud800"),
    ("\U000e0041", r"\U000e0041"),  # a tag character (format, invisible)
    ("café ☕ 名前", "café ☕ 名前"),
])
def test_printable(text, shown):
    assert printable(text) == shown
    assert xml_safe(printable(text)) == shown


def test_xml_safe_replaces_what_xml_forbids():
    assert xml_safe("a\x00b\x1fc\ufffe\td\n") == r"a\x00b\x1fc\ufffe" + "\td\n"
