"""Hostile inputs: every case ends within seconds with ONE clear line on stderr naming the file and
the place, exit status 2 and no traceback — or, where the input is odd but valid, a correct result.

CASES is the table of docs/reliability.md (`python tests/e2e/test_hostile.py` prints its rows):
`test_reliability_doc_matches_the_cases` keeps the two in step. Cases marked `proc` run as a real
process under a 2 GB address-space limit and a 30 s timeout (bombs, deep nesting, FIFOs, stdin,
git); the others run in-process for speed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OPENAI = ROOT / "examples" / "openai" / "openapi-2023-06-19.yaml"
AS_LIMIT = 2 * 1024 ** 3
TIMEOUT = 30

# ---- building blocks ---------------------------------------------------------------------------

OK_SCHEMA = {"type": "object", "properties": {"a": {"type": "string"}}}
FANOUT = {"asyncapi": "2.6.0", "info": {"title": "t", "version": "1"},
          "channels": {"c": {"subscribe": {"message": {"payload": {"$ref": "#/components/schemas/L0"}}}}},
          "components": {"schemas": {**{f"L{i}": {"oneOf": [{"$ref": f"#/components/schemas/L{i + 1}"}] * 8} for i in range(32)},
                                     "L32": {"type": "object", "properties": {"type": {"const": "x"}}}}}}
ASYNC = {"asyncapi": "3.0.0", "info": {"title": "t", "version": "1"}, "channels": {"c": {"address": "c", "messages": {}}}}


def spec(op: object = None, *, paths: object = None, components: object = None) -> dict:
    """A small OpenAPI 3.1 document; `op` replaces GET /a's operation, `paths` the paths object."""
    if op is None:
        op = {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/A"}}}}}}
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
           "paths": paths if paths is not None else {"/a": {"get": op}},
           "components": components if components is not None else {"schemas": {"A": OK_SCHEMA}}}
    return doc


def resp_schema(schema: object) -> dict:
    """A spec whose GET /a 200 response has this schema."""
    return spec({"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}})


def comp(schema: object) -> dict:
    """A spec whose component A is this schema."""
    return spec(components={"schemas": {"A": schema}})


def block_nest(depth: int) -> str:
    return "".join("  " * i + "a:\n" for i in range(depth)) + "  " * depth + "b: 1\n"


def deep_props_yaml(depth: int, leaf_names: list) -> str:
    out = []
    for i in range(depth):
        pad = "  " * (2 * i)
        out.append(f"{pad}type: object\n{pad}properties:\n")
        if i < depth - 1:
            out.append(f"{pad}  p:\n")
    pad = "  " * (2 * depth - 1)
    out.extend(f"{pad}{name}: {{type: string}}\n" for name in leaf_names)
    return "".join(out)


# A schema with an extension nested 300 deep: `a:` alone at the root would be no schema at all.
DEEP_300 = block_nest(300).replace("a:", "x-deep:", 1)


def nest(depth: int, leaf: str = "1", open_: str = "[", close: str = "]") -> str:
    return open_ * depth + leaf + close * depth


def deep_props(depth: int, leaf_props: dict) -> str:
    """JSON text of a schema whose properties nest `depth` deep (text: json.dumps would recurse)."""
    head = '{"type": "object", "properties": {"p": ' * (depth - 1)
    return head + json.dumps({"type": "object", "properties": leaf_props}) + "}}" * (depth - 1)


BILLION_LAUGHS = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join('*' + chr(97 + i) for _ in range(9))}]\n" for i in range(9))

SIDE_EFFECT = "/tmp/apicompat-hostile-side-effect"


@dataclass
class Case:
    id: str
    input: str  # what the hostile input is (docs table)
    files: dict  # name -> str | bytes | dict/list (JSON) | callable(path)
    args: list  # "{t}" is the temp dir, "{port}" the trap server's port
    expect: str  # a substring of the one stderr line (status 2) or of stdout (status 0/1)
    status: int = 2
    proc: bool = False  # run as a real process under rlimits
    named: str | None = None  # the file the error must name (default: first file)
    stdin: bytes | None = None
    root_skips: bool = False
    net: bool = False  # allowed to call the local server (check records before it reads the baseline)


def ok_file(name="ok.json", doc=None):
    return {name: doc if doc is not None else OK_SCHEMA}


def diff_bad(name, content, expect, *, status=2, proc=False, other=None, extra=(), named=None, input=""):
    files = {name: content}
    other = other or ("ok.json", OK_SCHEMA)
    files.setdefault(other[0], other[1])
    return dict(files=files, args=["diff", "{t}/" + name, "{t}/" + other[0], *extra], expect=expect,
                status=status, proc=proc, named=named)


def mkfifo(path: Path) -> None:
    os.mkfifo(path)


def sparse_gb(path: Path) -> None:
    with open(path, "wb") as fh:
        fh.truncate(1024 ** 3)


def unreadable(path: Path) -> None:
    path.write_text(json.dumps(OK_SCHEMA))
    path.chmod(0)


def symlink_to(target: str):
    def make(path: Path) -> None:
        path.symlink_to(target)
    return make


def git_repo(t: Path) -> None:
    subprocess.run(["git", "init", "-q", str(t)], check=True)
    (t / "s.json").write_text(json.dumps(OK_SCHEMA))
    git = ["git", "-C", str(t), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(git + ["add", "s.json"], check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], check=True)


def truncated(fraction: float, as_json: bool, at_line: bool = False):
    def make(path: Path) -> None:
        text = OPENAI.read_text()
        if as_json:
            from apicompat.load import load_document
            text = json.dumps(load_document(str(OPENAI)).data)
        cut = int(len(text) * fraction)
        if at_line:
            cut = text.rindex("\n", 0, cut) + 1
        path.write_text(text[:cut])
    return make


TAG = f"!!python/object/apply:os.system [\"touch {SIDE_EFFECT}\"]"

PLAN_OK = "base_url: http://127.0.0.1:9/v1\ncases:\n  - {name: a, path: /a}\n"


def C(id, input, **kw) -> Case:
    return Case(id=id, input=input, **kw)


def bad_shape(id, input, doc, expect, **kw):
    return C(id, input, **diff_bad("bad.json", doc, expect, other=("ok.json", spec()), **kw))


CASES: list[Case] = [
    # -- sizes, kinds of file, sources --
    C("missing-file", "a file that does not exist", files=ok_file(), args=["diff", "{t}/nope.yaml", "{t}/ok.json"],
      expect="no such file", named="nope.yaml"),
    C("directory", "a directory given for a file", files={"d": lambda p: p.mkdir(), **ok_file()},
      args=["diff", "{t}/d", "{t}/ok.json"], expect="is a directory"),
    C("unreadable", "a file with mode 000 (skipped as root)", files={"u.json": unreadable, **ok_file()},
      args=["diff", "{t}/u.json", "{t}/ok.json"], expect="permission denied", root_skips=True),
    C("fifo", "a FIFO with no writer given as a file", files={"f.yaml": mkfifo, **ok_file()},
      args=["diff", "{t}/f.yaml", "{t}/ok.json"], expect="is a FIFO", proc=True),
    C("dev-zero", "/dev/zero given as a file", files=ok_file(), args=["diff", "/dev/zero", "{t}/ok.json"],
      expect="not a regular file", named="/dev/zero", proc=True),
    C("sparse-1gb", "a 1 GB sparse file", files={"big.json": sparse_gb, **ok_file()},
      args=["diff", "{t}/big.json", "{t}/ok.json"], expect="larger than the 64 MB limit"),
    C("over-max-size", "a 2 MB file with --max-size 1", files={"big.json": {"description": "x" * 2_100_000}, **ok_file()},
      args=["diff", "{t}/big.json", "{t}/ok.json", "--max-size", "1"], expect="larger than the 1 MB limit"),
    C("stdin-empty", "`-` with empty standard input", files=ok_file(), args=["diff", "-", "{t}/ok.json"],
      expect="empty", stdin=b"", named="-", proc=True),
    C("stdin-binary", "`-` with binary standard input", files=ok_file(), args=["diff", "-", "{t}/ok.json"],
      expect="not UTF-8", stdin=b"\x00\xff\xfe garbage", named="-", proc=True),
    C("git-bad-rev", "git:nosuchrev:s.json", files={"repo": lambda p: git_repo(p.parent), **ok_file()},
      args=["diff", "git:nosuchrev:s.json", "{t}/ok.json"], expect="git show failed", named="git:nosuchrev", proc=True),
    C("git-bad-path", "git:HEAD:nope.json", files={"repo": lambda p: git_repo(p.parent), **ok_file()},
      args=["diff", "git:HEAD:nope.json", "{t}/ok.json"], expect="git show failed", named="git:HEAD:nope", proc=True),
    C("git-option-rev", "git:--output=/tmp/x:a (an option as revision)", files=ok_file(),
      args=["diff", "git:--output={t}/x:a", "{t}/ok.json"], expect="cannot start with '-'", named="git:--output"),
    C("git-no-path", "git:HEAD (no path)", files=ok_file(), args=["diff", "git:HEAD", "{t}/ok.json"],
      expect="expected git:REV:PATH", named="git:HEAD"),
    # -- bytes and text --
    C("empty", "an empty file", **diff_bad("e.yaml", "", "empty")),
    C("whitespace", "a whitespace-only file", **diff_bad("w.yaml", " \n\t\n  \n", "empty")),
    C("invalid-utf8", "undecodable bytes", **diff_bad("b.yaml", b"a: \xff\xfe\xfa\n", "not UTF-8")),
    C("utf16-bom", "a UTF-16 file with its BOM", **diff_bad("u16.json", json.dumps(OK_SCHEMA).encode("utf-16"), "UTF-16")),
    C("utf16-no-bom", "a UTF-16-LE file without a BOM", **diff_bad("u16.json", json.dumps(OK_SCHEMA).encode("utf-16-le"), "NUL byte")),
    C("utf32-bom", "a UTF-32 file with its BOM", **diff_bad("u32.json", json.dumps(OK_SCHEMA).encode("utf-32"), "UTF-32")),
    C("utf8-bom", "a UTF-8 BOM before valid JSON (accepted)", **diff_bad("bom.json", b"\xef\xbb\xbf" + json.dumps(OK_SCHEMA).encode(), "no changes", status=0)),
    C("nul-byte", "a NUL byte in the middle", **diff_bad("n.yaml", b"type: object\n\x00\n", "NUL byte")),
    C("truncated-yaml", "the OpenAI spec cut at 50% (YAML; components are lost)", **diff_bad("half.yaml", truncated(0.5, False), "dangling $ref", other=("full.yaml", OPENAI.read_text()))),
    C("truncated-yaml-flow", "a flow-style YAML spec cut mid-mapping", **diff_bad("cut.yaml", "{openapi: 3.1.0, paths: {/a: {get: {responses: {'200'", "invalid YAML", other=("full.yaml", OPENAI.read_text()))),
    C("truncated-json", "the OpenAI spec cut at 50% (JSON)", **diff_bad("half.json", truncated(0.5, True), "invalid JSON", other=("full.yaml", OPENAI.read_text()))),
    C("not-yaml-or-json", "plain prose", **diff_bad("p.yaml", "Hello, world: this: is: not: yaml\n", "invalid YAML")),
    C("top-level-list", "a document that is a list", **diff_bad("l.json", [1, 2], "must be a mapping")),
    C("top-level-string", "a document that is a string", **diff_bad("s.yaml", "just a string\n", "must be a mapping")),
    C("top-level-number", "a document that is a number", **diff_bad("n.json", "42", "must be a mapping")),
    C("long-line", "a 20 MB single-line description (accepted)", **diff_bad("long.json", {"type": "string", "description": "x" * 20_000_000}, "response-type-changed", status=1)),
    C("long-key", "a 1 MB property name (accepted)", **diff_bad("key.json", {"type": "object", "properties": {"k" * 1_000_000: {"type": "string"}}}, "response-property-removed", status=1)),
    C("dup-key-yaml", "a duplicate key in YAML", **diff_bad("d.yaml", "type: object\ntype: string\n", "duplicate")),
    C("dup-key-json", "a duplicate key in JSON", **diff_bad("d.json", '{"type": "object", "type": "string"}', "duplicate key 'type'")),
    C("huge-int-json", "an integer of 5,000 digits in JSON", **diff_bad("h.json", '{"maximum": 1' + "0" * 5000 + "}", "too large")),
    C("huge-int-yaml", "an integer of 5,000 digits in YAML", **diff_bad("h.yaml", "enum: [1" + "0" * 5000 + "]\n", "too large")),
    C("nan-json", "NaN in JSON", **diff_bad("nan.json", '{"maximum": NaN}', "NaN is not valid JSON")),
    C("infinity-json", "-Infinity in JSON", **diff_bad("inf.json", '{"minimum": -Infinity}', "Infinity is not valid JSON")),
    C("nan-yaml", "`.nan` as a bound in YAML", **diff_bad("nan.yaml", "type: number\nmaximum: .nan\n", "not a finite number")),
    C("json-lone-surrogate", "a JSON string `\\ud800` (a lone surrogate: printing it crashed)", **diff_bad("s.json", '{"type": "object", "properties": {"\\ud800x": {"type": "string"}}}', "lone UTF-16 surrogate")),
    C("yaml-multi-document", "a YAML stream of two documents (`---`)", **diff_bad("m.yaml", "type: object\n---\ntype: string\n", "several YAML documents")),
    C("yaml-recursive-alias", "a YAML alias inside its own anchor (`&a [*a]`)", **diff_bad("r.yaml", "type: object\nx-loop: &a [*a]\n", "no changes", status=0, other=("r2.yaml", "type: object\nx-loop: &a [*a]\n"))),
    C("dup-key-int-str", "status `200:` and `'200':` in one responses mapping (they collided silently)", **diff_bad("d.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: a}\n        '200': {description: b}\n", "duplicate key '200'", other=("ok.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"))),
    C("crlf-and-tabs", "CRLF line ends and a tab-indented flow mapping (accepted)", **diff_bad("c.yaml", "type: object\r\nproperties: {\ta: {type: string}}\r\n", "no changes", status=0)),
    C("union-150", "anyOf of 150 object members, each changed (ends in seconds)", files={"u1.json": {"anyOf": [{"type": "object", "properties": {f"p{i}": {"type": "string"}, "k": {"enum": [i]}}, "required": [f"p{i}"]} for i in range(150)]}, "u2.json": {"anyOf": [{"type": "object", "properties": {f"p{i}": {"type": "integer"}, "k": {"enum": [i]}}, "required": [f"p{i}"]} for i in range(150)]}},
      args=["diff", "{t}/u1.json", "{t}/u2.json"], expect="breaking", status=1, proc=True),
    C("properties-3k", "an object with 3,000 properties, one removed", files={"o.json": {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(3_000)}}, "n.json": {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(1, 3_000)}}},
      args=["diff", "{t}/o.json", "{t}/n.json"], expect="response-property-removed", status=1),
    # -- nesting and bombs --
    C("alias-bomb", "YAML billion laughs (10^9 expansions)", **diff_bad("bomb.yaml", BILLION_LAUGHS, "alias", proc=True)),
    C("deep-yaml-300", "YAML nested 300 levels (flow)", **diff_bad("d.yaml", "a: " + nest(300), "nested deeper", proc=True)),
    C("deep-yaml-block-300", "YAML nested 300 levels (block style: accepted)", **diff_bad("d.yaml", DEEP_300, "no changes", status=0, proc=True, other=("d2.yaml", DEEP_300))),
    C("deep-yaml-block-2000", "YAML nested 2,000 levels (block style)", **diff_bad("d.yaml", block_nest(2000), "nested deeper than 1000", proc=True)),
    C("deep-yaml-10k", "YAML nested 10,000 levels", **diff_bad("d.yaml", "a: " + nest(10_000), "nested deeper", proc=True)),
    C("deep-yaml-1m", "YAML nested 1,000,000 levels", **diff_bad("d.yaml", "a: " + nest(1_000_000), "nested deeper", proc=True)),
    C("deep-json-300", "JSON nested 300 levels in an extension (accepted)", **diff_bad("d.json", '{"type": "object", "x-deep": ' + nest(300) + "}", "no changes", status=0, proc=True, other=("d2.json", '{"type": "object", "x-deep": ' + nest(300) + "}"))),
    C("deep-json-10k", "JSON nested 10,000 levels", **diff_bad("d.json", '{"x": ' + nest(10_000) + "}", "nested deeper", proc=True)),
    C("deep-json-1m", "JSON nested 1,000,000 levels", **diff_bad("d.json", '{"x": ' + nest(1_000_000) + "}", "nested deeper", proc=True)),
    C("deep-json-objects-10k", "JSON objects nested 10,000 levels", **diff_bad("d.json", nest(10_000, "1", '{"a":', "}"), "nested deeper", proc=True)),
    C("deep-schema-200-json", "properties nested 200 deep (JSON): diffed", files={"o.json": deep_props(200, {"x": {"type": "string"}, "y": {"type": "string"}}), "n.json": deep_props(200, {"x": {"type": "string"}})},
      args=["diff", "{t}/o.json", "{t}/n.json", "--format", "json"], expect='"response-property-removed"', status=1, proc=True),
    C("deep-schema-200-yaml", "properties nested 200 deep (YAML): diffed", files={"o.yaml": deep_props_yaml(200, ["x", "y"]), "n.yaml": deep_props_yaml(200, ["x"])},
      args=["diff", "{t}/o.yaml", "{t}/n.yaml", "--format", "json"], expect='"response-property-removed"', status=1, proc=True),
    C("deep-schema-600-json", "properties nested 600 deep (JSON): refused", **diff_bad("d.json", deep_props(600, {}), "nested deeper", proc=True)),
    C("deep-allof-300", "allOf nested 300 deep (JSON)", **diff_bad("d.json", json.loads(nest(300, '{"type": "string"}', '{"allOf": [', "]}")), "no changes", status=0, other=("ok.json", {"type": "string"}), proc=True)),
    # -- $refs --
    C("ref-loop", "a $ref loop with no content", **diff_bad("l.json", {"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"}, "$ref loop")),
    C("ref-self", "a $ref to itself", **diff_bad("l.json", {"$defs": {"A": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"}, "$ref loop")),
    C("ref-chain-100", "a chain of 100 $refs", **diff_bad("c.json", {"$defs": {f"A{i}": {"$ref": f"#/$defs/A{i + 1}"} for i in range(100)} | {"A100": {"type": "string"}}, "$ref": "#/$defs/A0"}, "a chain of $refs longer than 64")),
    C("ref-root-self", "`{\"$ref\": \"#\"}` (the root refers to itself)", **diff_bad("r.json", {"$ref": "#"}, "$ref loop")),
    C("ref-file-self", "a file whose `$ref` is its own file name", files={"self.json": {"$ref": "self.json"}, **ok_file()},
      args=["diff", "{t}/self.json", "{t}/ok.json"], expect="$ref loop"),
    C("ref-recursive-schema", "a recursive schema (`$ref: '#'`) (accepted)", **diff_bad("r.json", {"type": "object", "properties": {"a": {"type": "string"}, "child": {"$ref": "#"}}}, "no changes", status=0, other=("r2.json", {"type": "object", "properties": {"a": {"type": "string"}, "child": {"$ref": "#"}}}))),
    C("ref-dangling", "a dangling $ref", **diff_bad("d.json", {"$ref": "#/$defs/Nope"}, "dangling $ref")),
    C("ref-bad-escape", "a $ref pointer with a bad escape", **diff_bad("d.json", {"$defs": {"a": {}}, "$ref": "#/$defs/a~2"}, "$ref")),
    C("ref-number", "`$ref: 5`", **diff_bad("r.json", {"$ref": 5}, "$ref must be a string")),
    C("ref-url", "$ref to http://127.0.0.1 (a trap server: no request)", **diff_bad("u.json", {"$ref": "http://127.0.0.1:{port}/s.json"}, "remote $ref")),
    C("ref-network-path", "$ref to //127.0.0.1/s.json (no scheme)", **diff_bad("u.json", {"$ref": "//127.0.0.1:{port}/s.json"}, "absolute path")),
    C("ref-abs-path", "$ref to /etc/passwd", **diff_bad("a.json", {"$ref": "/etc/passwd"}, "absolute path")),
    C("ref-dotdot", "$ref to ../../../../etc/passwd", **diff_bad("a.json", {"$ref": "../../../../../../etc/passwd"}, "leaves the document's folder")),
    C("ref-file-uri", "$ref to file:///etc/passwd", **diff_bad("a.json", {"$ref": "file:///etc/passwd"}, "absolute path")),
    C("ref-symlink-escape", "$ref to a symlink beside the doc pointing at /etc/passwd", files={"a.json": {"$ref": "link.json"}, "link.json": symlink_to("/etc/passwd"), **ok_file()},
      args=["diff", "{t}/a.json", "{t}/ok.json"], expect="leaves the document's folder"),
    C("ref-scheme", "$ref to ftp:// and data: URIs", **diff_bad("a.json", {"properties": {"a": {"$ref": "ftp://x/y"}, "b": {"$ref": "data:,{}"}}}, "unsupported scheme")),
    C("ref-fifo", "$ref to a FIFO beside the document", files={"a.json": {"$ref": "f.json"}, "f.json": mkfifo, **ok_file()},
      args=["diff", "{t}/a.json", "{t}/ok.json"], expect="is a FIFO", proc=True, named="f.json"),
    C("ref-to-bad-file", "$ref to a binary file beside the document", files={"a.json": {"$ref": "b.json"}, "b.json": b"\xff\xfe\x00", **ok_file()},
      args=["diff", "{t}/a.json", "{t}/ok.json"], expect="UTF-16", named="b.json"),
    C("ref-to-deep-file", "$ref to a file nested 10,000 deep", files={"a.json": {"$ref": "b.json"}, "b.json": nest(10_000), **ok_file()},
      args=["diff", "{t}/a.json", "{t}/ok.json"], expect="nested deeper", named="b.json", proc=True),
    C("ref-to-big-file", "$ref to a 1 GB sparse file", files={"a.json": {"$ref": "b.json"}, "b.json": sparse_gb, **ok_file()},
      args=["diff", "{t}/a.json", "{t}/ok.json"], expect="larger than", named="b.json"),
    # -- tags --
    C("tag-python-apply", "`!!python/object/apply:os.system` (no file appears)", **diff_bad("t.yaml", f"type: {TAG}\n", "YAML tag")),
    C("tag-python-name", "`!!python/name:os.system`", **diff_bad("t.yaml", "type: !!python/name:os.system ''\n", "YAML tag")),
    C("tag-custom", "a custom `!tag`", **diff_bad("t.yaml", "type: !include other.yaml\n", "YAML tag !include")),
    C("tag-verbatim", "a verbatim tag `!<tag:yaml.org,2002:python/object/apply:os.system>`", **diff_bad("t.yaml", f"type: !<tag:yaml.org,2002:python/object/apply:os.system> [\"touch {SIDE_EFFECT}\"]\n", "YAML tag")),
    C("tag-directive", "a `%TAG` directive to the python namespace", **diff_bad("t.yaml", f"%TAG !p! tag:yaml.org,2002:python/\n---\ntype: !p!object/apply:os.system [\"touch {SIDE_EFFECT}\"]\n", "YAML tag")),
    C("tag-in-block-scalar", "`Note: !important` inside a block scalar (not a tag: accepted)", **diff_bad("b.yaml", "type: object\ndescription: |\n  Note: !important\n  - !also text\n", "no changes", status=0, other=("b2.yaml", "type: object\ndescription: |\n  Note: !important\n  - !also text\n"))),
    C("tag-in-quoted-string", "`\"!!python/object\"` inside a quoted string (accepted)", **diff_bad("q.yaml", "type: object\ndescription: \"!!python/object/apply:os.system\"\n", "no changes", status=0, other=("q2.yaml", "type: object\ndescription: \"!!python/object/apply:os.system\"\n"))),
    # -- OpenAPI shapes --
    bad_shape("shape-paths-list", "`paths` a list", spec(paths=[{"/a": {}}]), "paths must be a mapping"),
    bad_shape("shape-path-item-list", "a path item that is a list (refused under --strict; read as no operations)", spec(paths={"/a": []}), "a path item that is a list is irregular", extra=("--strict",)),
    bad_shape("shape-op-string", "an operation that is a string (refused under --strict; read as skipped)", spec("get stuff"), "operation GET that is a string is irregular", extra=("--strict",)),
    bad_shape("shape-params-mapping", "`parameters` a mapping", spec({"parameters": {"q": {}}, "responses": {}}), "parameters must be a list"),
    bad_shape("shape-param-no-name", "a parameter without `name` (refused under --strict; read as skipped)", spec({"parameters": [{"in": "query"}], "responses": {"200": {"description": "ok"}}}), "a parameter without a string `name` and `in` is irregular", extra=("--strict",)),
    bad_shape("shape-param-bad-in", "a parameter with `in: nowhere` (refused under --strict; read as skipped)", spec({"parameters": [{"name": "q", "in": "nowhere"}], "responses": {"200": {"description": "ok"}}}), "`in: nowhere` (not query, header, path or cookie) is irregular", extra=("--strict",)),
    bad_shape("shape-param-schema-string", "a parameter whose schema is a string", spec({"parameters": [{"name": "q", "in": "query", "schema": "string"}], "responses": {}}), "schema must be"),
    bad_shape("shape-responses-list", "`responses` a list", spec({"responses": [{"200": {}}]}), "responses must be a mapping"),
    bad_shape("shape-response-string", "a response that is a string (refused under --strict; read as its description)", spec({"responses": {"200": "ok"}}), "response 200 that is a string is irregular", extra=("--strict",)),
    bad_shape("shape-content-string", "`content` a string", spec({"responses": {"200": {"description": "x", "content": "json"}}}), "content must be a mapping"),
    bad_shape("shape-media-list", "a media type that is a list", spec({"responses": {"200": {"description": "x", "content": {"application/json": []}}}}), "media type application/json must be a mapping"),
    bad_shape("shape-request-body-string", "`requestBody` a string", spec({"requestBody": "json", "responses": {}}), "requestBody must be a mapping"),
    bad_shape("shape-headers-list", "response `headers` a list", spec({"responses": {"200": {"description": "x", "headers": []}}}), "headers must be a mapping"),
    bad_shape("shape-header-string", "a response header that is a string", spec({"responses": {"200": {"description": "x", "headers": {"X-A": "str"}}}}), "header X-A must be a mapping"),
    bad_shape("shape-security-mapping", "`security` a mapping", spec({"security": {"k": []}, "responses": {}}), "security must be a list"),
    bad_shape("shape-components-list", "`components` a list", spec(components=[]), "components must be a mapping"),
    bad_shape("shape-schemas-list", "`components.schemas` a list", spec(components={"schemas": []}), "components.schemas must be a mapping"),
    bad_shape("shape-info-list", "`info` a list (refused under --strict; read as no info)", {**spec(), "info": []}, "`info` that is a list is irregular", extra=("--strict",)),
    bad_shape("shape-openapi-number", "`openapi: 3.1` (a number; refused under --strict, read as '3.1')", {**spec(), "openapi": 3.1}, "`openapi: 3.1` (a number, not a string) is irregular", extra=("--strict",)),
    bad_shape("shape-schema-number", "a response schema that is a number", resp_schema(5), "a schema must be a mapping"),
    bad_shape("shape-schema-string", "a response schema that is a string", resp_schema("object"), "a schema must be a mapping"),
    bad_shape("shape-schema-list", "a component schema that is a list", comp([{"type": "string"}]), "a schema must be a mapping"),
    bad_shape("shape-property-number", "a property whose schema is a number", comp({"type": "object", "properties": {"a": 3}}), "a schema must be a mapping"),
    bad_shape("shape-properties-list", "`properties` a list", comp({"type": "object", "properties": ["a"]}), "properties must be a mapping"),
    bad_shape("shape-required-string", "`required` a string (refused under --strict; read as that name)", comp({"type": "object", "required": "a"}), 'required: "a" is irregular', extra=("--strict",)),
    bad_shape("shape-required-numbers", "`required` a list of numbers (refused under --strict; read as none)", comp({"type": "object", "required": [1]}), "required: [1] is irregular", extra=("--strict",)),
    bad_shape("shape-enum-mapping", "`enum` a mapping", comp({"type": "string", "enum": {"a": 1}}), "enum must be a list"),
    bad_shape("shape-type-number", "`type` a number", comp({"type": 5}), "type must be a string or a list of strings"),
    bad_shape("shape-type-unknown", "`type: strin` (unknown name)", comp({"type": "strin"}), "unknown type 'strin'"),
    bad_shape("shape-items-string", "`items` a string", comp({"type": "array", "items": "string"}), "items must be"),
    bad_shape("shape-allof-empty", "`allOf: []` (refused under --strict; read as no constraint)", comp({"allOf": []}), "allOf: [] is irregular", extra=("--strict",)),
    bad_shape("shape-allof-mapping", "`allOf` a mapping", comp({"allOf": {"type": "string"}}), "allOf must be a non-empty list"),
    bad_shape("shape-anyof-string", "`anyOf` a string", comp({"anyOf": "string"}), "anyOf must be a non-empty list"),
    bad_shape("shape-oneof-null", "`oneOf: null`", comp({"oneOf": None}), "oneOf must be a non-empty list"),
    bad_shape("shape-additional-string", "`additionalProperties` a string", comp({"type": "object", "additionalProperties": "no"}), "additionalProperties must be"),
    bad_shape("shape-nullable-string", "`nullable: \"yes\"`", comp({"type": "string", "nullable": "yes"}), "nullable must be a boolean"),
    bad_shape("shape-maximum-string", "`maximum: \"10\"` (refused under --strict; read as 10)", comp({"type": "integer", "maximum": "10"}), 'maximum: "10" is irregular', extra=("--strict",)),
    bad_shape("shape-maximum-word", "`maximum: \"ten\"`", comp({"type": "integer", "maximum": "ten"}), "maximum must be a number"),
    bad_shape("shape-minlength-float", "`minLength: -1`", comp({"type": "string", "minLength": -1}), "minLength must be a non-negative integer"),
    bad_shape("shape-discriminator-string", "`discriminator` a string", comp({"oneOf": [{"type": "string"}, {"type": "integer"}], "discriminator": "kind"}), "discriminator must be a mapping"),
    bad_shape("shape-ref-number", "`$ref: 5` in a spec", comp({"$ref": 5}), "$ref must be a string"),
    C("shape-status-int", "status codes as integers in YAML (accepted)", files={"s.yaml": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n", "o.yaml": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n"},
      args=["diff", "{t}/o.yaml", "{t}/s.yaml"], expect="no changes", status=0),
    C("openapi-vs-schema", "an OpenAPI document against a JSON Schema", **diff_bad("s.json", spec(), "not an OpenAPI document", named="ok.json")),
    C("not-a-schema", "a mapping with no schema keyword (a package.json)", **diff_bad("p.json", {"name": "x", "version": "1.0.0", "description": "d"}, "nor a JSON Schema")),
    C("asyncapi-vs-openapi", "an AsyncAPI document against an OpenAPI one", **diff_bad("a.json", ASYNC, "is an OpenAPI document while", other=("s.json", spec()), named="s.json")),
    C("asyncapi-vs-schema", "an AsyncAPI document against a JSON Schema", **diff_bad("a.json", ASYNC, "is a JSON Schema while", named="ok.json")),
    C("asyncapi-1", "AsyncAPI 1.2.0 (`topics`, not channels)", **diff_bad("a.json", {"asyncapi": "1.2.0", "info": {"title": "t", "version": "1"}, "topics": {}}, "AsyncAPI 1.2.0 is not supported", other=("b.json", ASYNC))),
    C("asyncapi-version-number", "`asyncapi: 3.0` (a number)", **diff_bad("a.json", {**ASYNC, "asyncapi": 3.0}, "asyncapi must be a version string", other=("b.json", ASYNC))),
    C("asyncapi-action-publish", "a 3.0 operation with `action: publish`", **diff_bad("a.json", {**ASYNC, "operations": {"o": {"action": "publish", "channel": {"$ref": "#/channels/c"}}}}, "action must be 'send' or 'receive'", other=("b.json", ASYNC))),
    C("asyncapi-channel-ref-dangling", "a 3.0 operation whose channel `$ref` points nowhere", **diff_bad("a.json", {**ASYNC, "operations": {"o": {"action": "send", "channel": {"$ref": "#/channels/nope"}}}}, "dangling $ref", other=("b.json", ASYNC))),
    C("asyncapi-ref-fanout", "an AsyncAPI payload whose `$ref`s fan out 8 wide, 32 deep (8^32 paths)", **diff_bad("a.json", FANOUT, "no changes", status=0, proc=True, other=("b.json", FANOUT))),
    C("asyncapi-message-list", "a 2.6 message that is a list", **diff_bad("a.json", {"asyncapi": "2.6.0", "info": {"title": "t", "version": "1"}, "channels": {"c": {"subscribe": {"message": [1]}}}}, "a message must be a mapping", other=("b.json", ASYNC))),
    C("ref-list", "`$ref` a list (found by the fuzz campaign: crashed)", **diff_bad("r.json", {"allOf": [{"$ref": ["#/a"]}]}, "$ref must be a string")),
    C("ref-mapping", "`$ref` a mapping", **diff_bad("r.json", {"properties": {"a": {"$ref": {"x": 1}}}}, "$ref must be a string")),
    # -- conform --
    C("conform-spec-tag", "`conform --spec` with a python tag", files={"s.yaml": f"openapi: {TAG}\n", "snaps/a.yaml": "request: {method: GET, path: /a}\nsamples: []\n"},
      args=["conform", "--spec", "{t}/s.yaml", "--snapshots", "{t}/snaps"], expect="YAML tag"),
    C("conform-spec-bomb", "`conform --spec` an alias bomb", files={"s.yaml": BILLION_LAUGHS, "snaps/a.yaml": "request: {method: GET, path: /a}\nsamples: []\n"},
      args=["conform", "--spec", "{t}/s.yaml", "--snapshots", "{t}/snaps"], expect="alias", proc=True),
    C("conform-spec-schema-number", "`conform --spec` whose response schema is a number", files={"s.json": resp_schema(5), "snaps/a.yaml": "request: {method: GET, path: /a}\nsamples: [{status: 200, headers: {content-type: application/json}, body: {a: 1}}]\n"},
      args=["conform", "--spec", "{t}/s.json", "--snapshots", "{t}/snaps"], expect="a schema must be a mapping"),
    C("conform-snapshot-binary", "`conform` with a binary snapshot", files={"s.json": spec(), "snaps/a.yaml": b"\xfa\xfb"},
      args=["conform", "--spec", "{t}/s.json", "--snapshots", "{t}/snaps"], expect="not UTF-8", named="snaps/a.yaml"),
    C("conform-snapshot-deep", "`conform` with a snapshot body nested 10,000 deep", files={"s.json": spec(), "snaps/a.yaml": "request: {method: GET, path: /a}\nsamples: [{status: 200, body: " + nest(10_000) + "}]\n"},
      args=["conform", "--spec", "{t}/s.json", "--snapshots", "{t}/snaps"], expect="nested deeper", named="snaps/a.yaml", proc=True),
    C("plan-fifo", "`--plan` a FIFO", files={"p.yaml": mkfifo},
      args=["record", "--plan", "{t}/p.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c"], expect="is a FIFO", proc=True),
    # -- gate and policy files --
    C("gate-deep", "`gate` on JSON nested 10,000 deep", files={"d.json": '{"x": ' + nest(10_000) + "}", **ok_file()},
      args=["gate", "{t}/d.json", "{t}/ok.json"], expect="nested deeper", proc=True),
    C("gate-tag", "`gate` on a python tag", files={"t.yaml": f"type: {TAG}\n", **ok_file()},
      args=["gate", "{t}/t.yaml", "{t}/ok.json"], expect="YAML tag"),
    C("policy-missing", "`--policy` a missing file", files=ok_file(), args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "{t}/nope.yaml"],
      expect="no such file", named="nope.yaml"),
    C("policy-dev-zero", "`--policy /dev/zero`", files=ok_file(), args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "/dev/zero"],
      expect="not a regular file", named="/dev/zero", proc=True),
    C("policy-fifo", "`--policy` a FIFO", files={"p.yaml": mkfifo, **ok_file()}, args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "{t}/p.yaml"],
      expect="is a FIFO", proc=True, named="p.yaml"),
    C("policy-binary", "`--policy` a binary file", files={"p.yaml": b"\xff\xd8\xff\xe0 jpeg", **ok_file()},
      args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "{t}/p.yaml"], expect="not UTF-8", named="p.yaml"),
    C("policy-tag", "`--policy` with `!!python/object/apply`", files={"p.yaml": f"severity: {TAG}\n", **ok_file()},
      args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "{t}/p.yaml"], expect="YAML tag", named="p.yaml"),
    C("policy-deep", "`--policy` nested 10,000 deep", files={"p.yaml": "severity: " + nest(10_000) + "\n", **ok_file()},
      args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "{t}/p.yaml"], expect="nested deeper", named="p.yaml", proc=True),
    C("policy-bomb", "`--policy` a billion-laughs alias bomb", files={"p.yaml": BILLION_LAUGHS, **ok_file()},
      args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "{t}/p.yaml"], expect="alias", named="p.yaml", proc=True),
    C("policy-list", "`--policy` a list", files={"p.yaml": "- a\n", **ok_file()},
      args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "{t}/p.yaml"], expect="expected a mapping", named="p.yaml"),
    C("policy-bad-date", "`--policy` with `until: 2027-02-30`", files={"p.yaml": "ignore:\n  - {rule: response-property-removed, reason: r, until: 2027-02-30}\n", **ok_file()},
      args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "{t}/p.yaml"], expect="expected a date", named="p.yaml"),
    C("policy-dup-key", "`--policy` with a duplicate key", files={"p.yaml": "opaque: []\nopaque: []\n", **ok_file()},
      args=["diff", "{t}/ok.json", "{t}/ok.json", "--policy", "{t}/p.yaml"], expect="duplicate", named="p.yaml"),
    # -- plan files --
    C("plan-missing", "`--plan` a missing file", files={}, args=["record", "--plan", "{t}/nope.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c"],
      expect="no such plan file", named="nope.yaml"),
    C("plan-dev-zero", "`--plan /dev/zero`", files={}, args=["record", "--plan", "/dev/zero", "--snapshots", "{t}/s", "--schemas", "{t}/c"],
      expect="not a regular file", named="/dev/zero", proc=True),
    C("plan-binary", "`--plan` a binary file", files={"p.yaml": b"\x89PNG\r\n\x1a\n\x00\x00"},
      args=["record", "--plan", "{t}/p.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c"], expect="not UTF-8"),
    C("plan-tag", "`--plan` with a python tag in a case body", files={"p.yaml": PLAN_OK.replace("path: /a}", f"path: /a, json: {TAG}}}")},
      args=["record", "--plan", "{t}/p.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c"], expect="YAML tag"),
    C("plan-deep", "`--plan` nested 10,000 deep", files={"p.yaml": PLAN_OK + "headers: " + nest(10_000) + "\n"},
      args=["record", "--plan", "{t}/p.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c"], expect="nested deeper", proc=True),
    C("plan-bomb", "`--plan` whose case body is an alias bomb", files={"p.yaml": BILLION_LAUGHS + PLAN_OK.replace("path: /a}", "path: /a, json: *j}")},
      args=["record", "--plan", "{t}/p.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c"], expect="alias", proc=True),
    C("plan-name-escape", "a case named `../../etc/x`", files={"p.yaml": PLAN_OK.replace("name: a", "name: ../../etc/x")},
      args=["record", "--plan", "{t}/p.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c"], expect="expected a safe file name"),
    C("plan-list", "`--plan` a list", files={"p.yaml": "- 1\n"},
      args=["record", "--plan", "{t}/p.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c"], expect="expected a mapping"),
    # -- recorded snapshots read back --
    C("check-baseline-binary", "`check` with a binary baseline snapshot", files={"p.yaml": PLAN_OK, "s/a.yaml": b"\xfa\xfb\xfc"},
      args=["check", "--plan", "{t}/p.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c", "--base-url", "http://127.0.0.1:{port}", "--retries", "0"],
      expect="not UTF-8", named="s/a.yaml", net=True),
    C("check-baseline-tag", "`check` with a python tag in a baseline snapshot", files={"p.yaml": PLAN_OK, "s/a.yaml": f"request: {TAG}\n"},
      args=["check", "--plan", "{t}/p.yaml", "--snapshots", "{t}/s", "--schemas", "{t}/c", "--base-url", "http://127.0.0.1:{port}", "--retries", "0"],
      expect="YAML tag", named="s/a.yaml", net=True),
    C("gate-usage-binary", "`gate --usage` with a binary snapshot", files={"u/a.yaml": b"\xff\xfe\xfd", **ok_file()},
      args=["gate", "{t}/ok.json", "{t}/ok.json", "--usage", "{t}/u"], expect="not UTF-8", named="u/a.yaml"),
]

# ---- running ----------------------------------------------------------------------------------


class Trap(BaseHTTPRequestHandler):
    """Any request at all is a failure: a $ref was fetched (or a check reached the network)."""

    hits: list = []

    def do_GET(self):
        self.hits.append(self.path)
        body = json.dumps({"id": "x"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


@pytest.fixture(scope="module")
def trap():
    handler = type("T", (Trap,), {"hits": []})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield handler, srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def _fill(value: str, t: Path, port: int) -> str:
    return value.replace("{t}", str(t)).replace("{port}", str(port))


def build(case: Case, t: Path, port: int) -> None:
    for name, content in case.files.items():
        path = t / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(_fill(content, t, port))
        else:
            path.write_text(_fill(json.dumps(content), t, port))


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))


def execute(case: Case, t: Path, port: int) -> tuple[int, str, str]:
    args = [_fill(a, t, port) for a in case.args]
    env_clean = {"APICOMPAT_DEBUG": None}
    if case.proc:
        env = {k: v for k, v in os.environ.items() if k not in env_clean}
        env["APICOMPAT_NO_CACHE"] = "1"  # hostile files stay out of the user's parse cache
        proc = subprocess.run([sys.executable, "-m", "apicompat", *args], input=case.stdin or b"", capture_output=True,
                              timeout=TIMEOUT, cwd=t, preexec_fn=_limits, env=env)
        return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    from apicompat.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_cwd = os.getcwd()
    os.chdir(t)
    no_cache = os.environ.get("APICOMPAT_NO_CACHE")
    os.environ["APICOMPAT_NO_CACHE"] = "1"
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(args)
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        os.chdir(old_cwd)
        if no_cache is None:
            os.environ.pop("APICOMPAT_NO_CACHE", None)
        else:
            os.environ["APICOMPAT_NO_CACHE"] = no_cache
    return code, out.getvalue(), err.getvalue()


def check_outcome(case: Case, t: Path, code: int, out: str, err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert code == case.status, (code, out[-2000:], err)
    if case.status == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        line = lines[0]
        assert line.startswith("apicompat: error: ") and case.expect in line, line
        named = case.named or next(iter(case.files), "")
        assert named in line, (named, line)
    else:
        assert case.expect in out, out[-2000:]
    assert not os.path.exists(SIDE_EFFECT), "a YAML tag ran code"


@pytest.fixture(scope="module")
def process_results(trap, tmp_path_factory):
    """The `proc` cases, run four at a time up front (each is a process start plus a bounded wait)."""
    from concurrent.futures import ThreadPoolExecutor

    _, port = trap
    cases = [c for c in CASES if c.proc]
    dirs = {c.id: tmp_path_factory.mktemp(c.id) for c in cases}
    for c in cases:
        build(c, dirs[c.id], port)
    with ThreadPoolExecutor(4) as pool:
        results = dict(zip([c.id for c in cases], pool.map(lambda c: execute(c, dirs[c.id], port), cases)))
    return {cid: (dirs[cid], result) for cid, result in results.items()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path, trap, process_results):
    if case.root_skips and os.geteuid() == 0:
        pytest.skip("root reads a mode-000 file anyway")
    handler, port = trap
    if case.proc:
        t, (code, out, err) = process_results[case.id]
    else:
        t = tmp_path
        build(case, t, port)
        code, out, err = execute(case, t, port)
    check_outcome(case, t, code, out, err)
    assert case.net or not [h for h in handler.hits if h != "/a"], f"a request reached the trap server: {handler.hits}"


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


def _markdown_rows() -> str:
    """The rows of docs/reliability.md's table of hostile documents, from a real run."""
    import tempfile

    handler = type("T", (Trap,), {"hits": []})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    rows = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp)
            build(case, t, port)
            if case.root_skips and os.geteuid() == 0:
                (t / "u.json").chmod(0o644)
                rows.append(f"| `{case.id}` | {case.input} | `diff u.json ok.json` | {case.status} | "
                            "apicompat: error: u.json: permission denied (tested when not root) |")
                continue
            code, out, err = execute(case, t, port)
            msg = err.strip().replace(str(t) + "/", "").replace(str(t), ".") if code == 2 else \
                f"report: `{case.expect}`"
            cmd = " ".join(case.args).replace("{t}/", "").replace("{port}", "PORT")
            if len(cmd) > 70:
                cmd = cmd[:67] + "..."
            msg = msg.replace("|", "\\|").encode("utf-8", "backslashreplace").decode("utf-8")
            if len(msg) > 200:
                msg = msg[:197] + "..."
            rows.append(f"| `{case.id}` | {case.input} | `{cmd}` | {code} | {msg} |")
    srv.shutdown()
    return "\n".join(rows)


if __name__ == "__main__":
    print(_markdown_rows())


def _doc_ids(text: str) -> list[str]:
    return re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.M)


def test_reliability_doc_matches_the_cases():
    """docs/reliability.md has one table row per case of these tests, and no other."""
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    sys.path.insert(0, str(ROOT / "tests" / "unit"))
    import test_fuzz
    import test_hostile_inputs as inputs
    import test_hostile_record as recording
    import test_hostile_traffic as traffic

    text = (ROOT / "docs" / "reliability.md").read_text()
    in_doc = _doc_ids(text)
    assert len(in_doc) == len(set(in_doc)), "a case id appears twice in docs/reliability.md"
    in_tests = [c.id for c in CASES] + [t[0] for t in traffic.TRAFFIC] + [s[0] for s in traffic.SIGNALS] \
        + sorted(test_fuzz.CHECKS) + list(inputs.CASES) + [r[0] for r in recording.RECORDING]
    assert len(in_tests) == len(set(in_tests))
    assert sorted(set(in_doc) - set(in_tests)) == [], "rows in docs/reliability.md with no test case"
    assert sorted(set(in_tests) - set(in_doc)) == [], "test cases missing from docs/reliability.md"
    hand = len(CASES) + len(traffic.TRAFFIC) + len(traffic.SIGNALS) + len(inputs.CASES) + len(recording.RECORDING)
    assert f"{hand} hand-written hostile inputs and faults" in text
    for case in CASES:  # the documented outcome is the tested one
        row = next(line for line in text.splitlines() if line.startswith(f"| `{case.id}` |"))
        assert f"| {case.status} |" in row, (case.id, row)


def test_conform_nested_wrong_shape(tmp_path, trap):
    case = C("conform-nested", "conform with a property schema that is a number",
             files={"s.json": resp_schema({"type": "object", "properties": {"a": 5}}),
                    "snaps/a.yaml": "request: {method: GET, path: /a}\nsamples: [{status: 200, headers: "
                                    "{content-type: application/json}, body: {a: 1}}]\n"},
             args=["conform", "--spec", "{t}/s.json", "--snapshots", "{t}/snaps"], expect="malformed schema")
    build(case, tmp_path, trap[1])
    check_outcome(case, tmp_path, *execute(case, tmp_path, trap[1]))
