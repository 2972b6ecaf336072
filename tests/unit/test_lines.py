"""pointer -> line: the indentation scanner agrees with yaml.compose wherever it answers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import yaml

from apicompat.lines import Location, compose_lines, find_lines, scan_block_yaml, scan_json
from apicompat.model import Change, Direction, Report, Severity, SourceDocument

ROOT = Path(__file__).resolve().parents[2]

TRICKY = """\
# a comment
openapi: 3.1.0
info:
  title: "x: y"
  description: |
    paths:
      /not/a/key:
  version: '1'
paths:
  "/jobs/{id}":   # quoted key, trailing comment
    get:
      parameters:
      - name: id
        in: path
      -   name: expand
          in: query
      tags: [a, b,
        c]
      responses:
        '200':
          description: >
            folded
            text
          content:
            application/json:
              schema: {type: object,
                properties: {x: {type: string}}}
  /a~b/c:
    post: {}
components:
  schemas:
    Job:
      required:
        - id
      properties:
        id: {type: string}
"""


def all_pointers(data, ptr="#"):
    yield ptr
    if isinstance(data, dict):
        for k, v in data.items():
            yield from all_pointers(v, ptr + "/" + str(k).replace("~", "~0").replace("/", "~1"))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from all_pointers(v, f"{ptr}/{i}")


def agree(text: str) -> tuple[int, int]:
    pointers = list(all_pointers(yaml.safe_load(text)))
    scanned, composed = scan_block_yaml(text, pointers), compose_lines(text, pointers)
    assert set(composed) == set(pointers)
    wrong = {p: (scanned[p], composed[p]) for p in scanned if scanned[p] != composed[p]}
    assert not wrong
    assert find_lines(text, pointers) == composed
    return len(scanned), len(pointers)


def test_tricky_yaml():
    found, total = agree(TRICKY)
    lines = scan_block_yaml(TRICKY, ["#/paths/~1jobs~1{id}/get/parameters/1/in", "#/paths/~1a~0b~1c/post",
                                     "#/components/schemas/Job/required/0", "#/paths/~1not~1a~1key"])
    assert lines == {"#/paths/~1jobs~1{id}/get/parameters/1/in": 16, "#/paths/~1a~0b~1c/post": 29,
                     "#/components/schemas/Job/required/0": 34}
    assert found >= total - 8  # only the insides of flow collections are left to yaml.compose


def test_real_openai_specs():
    for path in sorted((ROOT / "examples" / "openai").glob("*.yaml")):
        found, total = agree(path.read_text())
        assert found > 0.9 * total


def test_json_uses_node_marks():
    text = json.dumps({"paths": {"/a": {"get": {"responses": {"200": {"description": "x"}}}}}}, indent=2)
    assert find_lines(text, ["#/paths/~1a/get/responses/200", "#/nope"]) == {"#/paths/~1a/get/responses/200": 6}


def test_scanner_is_fast_on_a_big_file():
    parts = ["components:", "  schemas:"]
    for i in range(5000):
        parts += [f"    S{i}:", "      type: object", "      properties:", "        id:", "          type: string"]
    text = "\n".join(parts) + "\n"
    start = time.perf_counter()
    lines = scan_block_yaml(text, ["#/components/schemas/S4999/properties/id"])
    assert time.perf_counter() - start < 1.0
    assert lines == {"#/components/schemas/S4999/properties/id": 3 + 4999 * 5 + 3}


def change(pointer, old=None, new=None):
    return Change("response-property-removed", Severity.BREAKING, Direction.RESPONSE, "m", pointer,
                  old_pointer=old, new_pointer=new)


def document(source: str, text: str) -> SourceDocument:
    return SourceDocument(source, text, yaml.safe_load(text))


OLD_JOB = "components:\n  schemas:\n    Job:\n      properties:\n        gone:\n          type: string\n"
NEW_JOB = "components:\n  schemas:\n    Job:\n      properties: {}\n"


def test_locations_prefer_new_then_old_then_the_nearest_ancestor_in_new():
    old, new = document("old.yaml", OLD_JOB), document("new.yaml", NEW_JOB)
    report = Report([change("#/components/schemas/Job/properties/gone", "#/components/schemas/Job/properties/gone",
                            "#/components/schemas/Job"),
                     change("#/components/schemas/Job/properties/x/y")],
                    old_source="old.yaml", new_source="new.yaml", old_document=old, new_document=new)
    assert report.locations["#/components/schemas/Job/properties/gone"] == (Location("new.yaml", 3),)
    # nowhere exact: the nearest ancestor in the new file
    assert report.locations["#/components/schemas/Job/properties/x/y"] == (Location("new.yaml", 4),)
    report2 = Report([change("#/components/schemas/Job/properties/gone", "#/components/schemas/Job/properties/gone",
                             "#/components/schemas/Gone")], old_source="old.yaml", new_source="new.yaml",
                     old_document=old, new_document=new)
    # its old place first; then, for formats that can only point into the new file, the nearest ancestor there
    assert report2.locations["#/components/schemas/Job/properties/gone"] == (Location("old.yaml", 5),
                                                                            Location("new.yaml", 2))


def test_locations_for_standard_input_and_git_come_from_the_kept_text():
    old, new = document("git:HEAD:openapi.yaml", OLD_JOB), document("-", NEW_JOB)
    report = Report([change("#/components/schemas/Job/properties/gone", new="#/components/schemas/Gone")],
                    old_source=old.source, new_source=new.source, old_document=old, new_document=new)
    loc = report.location(report.changes[0])
    assert loc == Location("git:HEAD:openapi.yaml", 5) and loc.label == "git:HEAD:openapi.yaml:5"
    assert Location("-", 3).label == "<stdin>:3"


def test_a_report_without_documents_has_no_locations():
    assert Report([change("#/a")], old_source="-", new_source="git:HEAD:openapi.yaml").locations == {}


def test_locations_survive_the_json_round_trip():
    old, new = document("old.yaml", OLD_JOB), document("new.yaml", NEW_JOB)
    report = Report([change("#/components/schemas/Job/properties/gone", new="#/components/schemas/Gone")],
                    old_source="old.yaml", new_source="new.yaml", old_document=old, new_document=new)
    again = Report.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again.old_document is None and again.locations == report.locations
    assert again.to_dict() == report.to_dict()


def test_json_walks_only_the_wanted_members():
    data = {"a": [{"x": 1}, {"y": [1, 2, {"z": "}"}]}], "b\"/~": {"c": None}, "d": {"e": "x" * 1000}}
    text = json.dumps(data, indent=3)
    pointers = list(all_pointers(data))
    assert scan_json(text, pointers) == compose_lines(text, pointers)
    assert scan_json(json.dumps(data), ["#/a/1/y/2/z", "#/nope"]) == {"#/a/1/y/2/z": 1}
    assert scan_json("{a: 1}", ["#/a"]) is None  # flow-style YAML: not JSON


def test_a_pointer_not_in_the_document_is_not_looked_for_again():
    text = "a:\n  b: {c: 1}\n"
    data = yaml.safe_load(text)
    assert find_lines(text, ["#/a/b/c", "#/a/x"], data) == {"#/a/b/c": 2}  # inside a flow collection: compose
    assert find_lines(text, ["#/a/x"], data) == {}


def test_skipping_subtrees_keeps_sequence_counts_and_block_scalars():
    text = ("list:\n- a: 1\n  b: |\n    - not: an item\n  c: 2\n- {x: 1}\n-   name: third\n    in: query\n"
            "same:\n- one\n- two\nafter: 1\n")
    pointers = ["#/list/2/in", "#/same/1", "#/after", "#/list/1"]
    assert scan_block_yaml(text, pointers) == compose_lines(text, pointers) == {
        "#/list/2/in": 8, "#/same/1": 11, "#/after": 12, "#/list/1": 6}
