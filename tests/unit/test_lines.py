"""pointer -> line: the indentation scanner agrees with yaml.compose wherever it answers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import yaml

from apicompat.lines import compose_lines, fill_locations, find_lines, scan_block_yaml
from apicompat.model import Change, Direction, Report, Severity

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


def test_fill_locations_prefers_new_then_old(tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text("components:\n  schemas:\n    Job:\n      properties:\n        gone:\n          type: string\n")
    new.write_text("components:\n  schemas:\n    Job:\n      properties: {}\n")
    report = Report([change("#/components/schemas/Job/properties/gone", "#/components/schemas/Job/properties/gone",
                            "#/components/schemas/Job"),
                     change("#/components/schemas/Job/properties/only-old"),
                     change("#/components/schemas/Job/properties/x/y")],
                    old_source=str(old), new_source=str(new))
    fill_locations(report)
    assert report.locations["#/components/schemas/Job/properties/gone"] == (str(new), 3)
    # nowhere exact: the nearest ancestor in the new file
    assert report.locations["#/components/schemas/Job/properties/x/y"] == (str(new), 4)
    report2 = Report([change("#/components/schemas/Job/properties/gone", "#/components/schemas/Job/properties/gone",
                             "#/components/schemas/Gone")], old_source=str(old), new_source=str(new))
    fill_locations(report2)
    assert report2.locations["#/components/schemas/Job/properties/gone"] == (str(old), 5)


def test_fill_locations_skips_stdin_and_git():
    report = Report([change("#/a")], old_source="-", new_source="git:HEAD:openapi.yaml")
    fill_locations(report)
    assert report.locations == {}
