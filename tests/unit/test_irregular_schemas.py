"""Schema-level irregularities (POLICY.md, "Documents that are not quite valid"): each is read the obvious
way, noted once as `input-irregular` at its own place, and judged as what it was read as; `--strict`
refuses it (exit 2, one line naming file and place); what cannot be read is still refused."""

from __future__ import annotations

import json

import pytest

from apicompat import DiffOptions, Severity, diff_documents
from apicompat.errors import InputError
from apicompat.load import Document

AT = "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/p"


def doc(prop: dict) -> dict:
    """GET /a answers an object whose property `p` is this schema."""
    schema = {"type": "object", "properties": {"p": prop}}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}}}


def diff(old: dict, new: dict, **options):
    return diff_documents(Document("old.yaml", doc(old)), Document("new.yaml", doc(new)), DiffOptions(**options))


# (id, irregular schema, the regular schema it is read as, the keyword noted, the words "read as ...")
READINGS = [
    ("type-int", {"type": "int"}, {"type": "integer"}, "type", "type: int is irregular; read as integer"),
    ("type-bool", {"type": "bool"}, {"type": "boolean"}, "type", "read as boolean"),
    ("type-str", {"type": "str"}, {"type": "string"}, "type", "read as string"),
    ("type-text", {"type": "text"}, {"type": "string"}, "type", "read as string"),
    ("type-float", {"type": "float"}, {"type": "number"}, "type", "read as number"),
    ("type-double", {"type": "double"}, {"type": "number"}, "type", "read as number"),
    ("type-dict", {"type": "dict"}, {"type": "object"}, "type", "read as object"),
    ("type-map", {"type": "map"}, {"type": "object"}, "type", "read as object"),
    ("type-list", {"type": "list"}, {"type": "array"}, "type", "read as array"),
    ("type-capital", {"type": "String"}, {"type": "string"}, "type", "type: String is irregular; read as string"),
    ("type-list-of-aliases", {"type": ["int", "null"]}, {"type": ["integer", "null"]}, "type",
     'read as ["integer", "null"]'),
    ("oneof-empty", {"type": "string", "oneOf": []}, {"type": "string"}, "oneOf", "read as no constraint"),
    ("anyof-empty", {"type": "string", "anyOf": []}, {"type": "string"}, "anyOf", "read as no constraint"),
    ("allof-empty", {"type": "string", "allOf": []}, {"type": "string"}, "allOf", "read as no constraint"),
    ("required-string", {"type": "object", "required": "x", "properties": {"x": {"type": "string"}}},
     {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}}, "required",
     'read as required: ["x"]'),
    ("required-mixed", {"type": "object", "required": ["x", 1, None], "properties": {"x": {"type": "string"}}},
     {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}}, "required",
     'read as required: ["x"]'),
    ("required-boolean", {"type": "object", "required": True, "properties": {"x": {"type": "string"}}},
     {"type": "object", "properties": {"x": {"type": "string"}}}, "required", "read as no required properties"),
    ("enum-empty", {"type": "string", "enum": []}, {"not": {}}, "enum", "read as no value is valid"),
    ("quoted-number", {"type": "string", "maxLength": "32"}, {"type": "string", "maxLength": 32}, "maxLength",
     'maxLength: "32" is irregular; read as 32'),
    ("quoted-boolean", {"type": "string", "nullable": "true"}, {"type": "string", "nullable": True}, "nullable",
     "read as true"),
    ("properties-empty-list", {"type": "object", "properties": []}, {"type": "object"}, "properties",
     "read as properties: {}"),
]


@pytest.mark.parametrize("irregular, regular, keyword, words", [r[1:] for r in READINGS], ids=[r[0] for r in READINGS])
def test_an_irregular_keyword_is_read_as_meant_with_one_note_at_its_place(irregular, regular, keyword, words):
    report = diff(irregular, regular)
    assert [c.rule for c in report.changes] == ["input-irregular"], [c.message for c in report.changes]
    note = report.changes[0]
    assert note.pointer == f"{AT}/{keyword}" and note.severity == Severity.INFO
    assert words in note.message and note.message.startswith("old.yaml at ")


@pytest.mark.parametrize("irregular, regular", [r[1:3] for r in READINGS], ids=[r[0] for r in READINGS])
def test_the_regular_spelling_is_not_noted(irregular, regular):
    assert diff(regular, regular).changes == []


def test_the_reading_gives_the_verdict():
    """`type: int` -> `type: string` is a type change, as integer -> string is."""
    report = diff({"type": "int"}, {"type": "string"})
    assert sorted(c.rule for c in report.changes) == ["input-irregular", "response-type-changed"]
    report = diff({"type": "object", "required": "x", "properties": {"x": {"type": "string"}}},
                  {"type": "object", "properties": {"x": {"type": "string"}}})
    assert sorted(c.rule for c in report.changes) == ["input-irregular", "response-property-became-optional"]


def test_the_same_irregularity_in_both_documents_is_one_entry_naming_both():
    report = diff({"type": "str", "maxLength": 3}, {"type": "str", "maxLength": 5})
    notes = [c for c in report.changes if c.rule == "input-irregular"]
    assert len(notes) == 1 and notes[0].message.startswith("old.yaml and new.yaml at ")
    assert [c.rule for c in report.changes if c not in notes] == ["response-max-length-increased"]


@pytest.mark.parametrize("schema, words", [
    ({"type": "strin"}, "unknown type 'strin'"),
    ({"type": "integer", "maximum": "ten"}, "maximum must be a number"),
    ({"type": "object", "properties": ["x"]}, "properties must be a mapping"),
    ({"anyOf": "string"}, "anyOf must be a non-empty list"),
], ids=["type-unknown", "maximum-word", "properties-list", "anyof-string"])
def test_what_cannot_be_read_is_refused_naming_its_place(schema, words):
    with pytest.raises(InputError, match=words) as err:
        diff(schema, {"type": "string"})
    assert err.value.source == "old.yaml" and err.value.place.startswith(AT + "/")


def test_strict_refuses_a_schema_irregularity_naming_file_and_place():
    with pytest.raises(InputError, match="--strict") as err:
        diff({"type": "string"}, {"type": "int"}, strict=True)
    assert err.value.source == "new.yaml" and err.value.place == f"{AT}/type"


@pytest.mark.parametrize("irregular, keyword", [({"type": "int"}, "type"), ({"oneOf": []}, "oneOf"),
                                                ({"type": "object", "required": "x"}, "required")],
                         ids=["type-int", "oneof-empty", "required-string"])
def test_strict_on_the_command_line_exits_2_with_one_line(tmp_path, capsys, irregular, keyword):
    from conftest import run_cli_captured

    (tmp_path / "old.json").write_text(json.dumps(doc(irregular)))
    (tmp_path / "new.json").write_text(json.dumps(doc({"type": "string"})))
    files = [str(tmp_path / "old.json"), str(tmp_path / "new.json")]
    code, out, err = run_cli_captured(["diff", *files], capsys)
    assert code in (0, 1) and "input-irregular" in out
    code, out, err = run_cli_captured(["diff", "--strict", *files], capsys)
    assert code == 2 and err.count("\n") == 1
    assert f"old.json: {AT}/{keyword}: {keyword}: " in err and "is irregular (--strict refuses it" in err
