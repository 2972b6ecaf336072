"""The real corpus loads, traps included."""

import json

import pytest

from apicompat.load import load_document
from conftest import need_shared


def corpus_files():
    shared = need_shared()
    for vendor in ("openai", "stripe"):
        manifest = json.loads((shared / "corpus" / vendor / "manifest.json").read_text())
        for entry in manifest["files"]:
            yield shared / "corpus" / vendor / entry["file"], entry


def test_every_corpus_file_loads_with_the_manifest_counts():
    for path, entry in corpus_files():
        doc = load_document(str(path)).data
        assert doc["openapi"] == entry["openapi"]
        assert len(doc["paths"]) == entry["paths"], path.name
        assert len(doc.get("components", {}).get("schemas", {})) == entry["schemas"], path.name


def test_dates_stay_strings_and_query_string_paths_survive():
    shared = need_shared()
    doc = load_document(str(shared / "corpus/openai/2026-08-15_9b457ac.yaml")).data
    assert "/responses?beta=true" in doc["paths"]

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                assert isinstance(k, str)
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v)
        else:
            yield node

    import datetime
    assert not any(isinstance(v, (datetime.date, datetime.datetime)) for v in walk(doc))


@pytest.mark.parametrize("name", ["2026-08-15_9b457ac.yaml"])
def test_status_code_keys_are_strings(name):
    doc = load_document(str(need_shared() / "corpus/openai" / name)).data
    responses = doc["paths"]["/responses"]["post"]["responses"]
    assert all(isinstance(k, str) for k in responses)
