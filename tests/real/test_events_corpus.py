"""Event catalogues on the real OpenAI specs: tests/real/event_facts.py checked against the YAML by
an independent reader, then apicompat checked to report exactly those catalogues and event types,
no more, no fewer. Skips without ../shared/corpus, fails under CI (as test_corpus.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from test_corpus import _load, _require_corpus, facts, report_of

_spec = importlib.util.spec_from_file_location("apicompat_event_facts", Path(__file__).with_name("event_facts.py"))
event_facts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(event_facts)

pytestmark = pytest.mark.slow
OPENAI_PAIRS = [p for p in facts.PAIRS if p.startswith("S-OAI")]


# ---------------------------------------------------------------------------- an independent reader

def _deref(doc: dict, node):
    for _ in range(64):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
            return node
        target = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    raise AssertionError("a $ref chain that does not end")


def _member_types(doc: dict, member) -> list[str]:
    member = _deref(doc, member)
    prop = _deref(doc, (member.get("properties") or {}).get("type"))
    if isinstance(prop, dict):
        if "const" in prop:
            return [prop["const"]]
        if prop.get("enum"):
            return list(prop["enum"])
    for part in member.get("allOf") or ():
        found = _member_types(doc, part)
        if found:
            return found
    return []


def catalogues_in_yaml(name: str) -> dict[str, tuple[str, set[str]]]:
    """Catalogue name -> (side, event types), straight from the YAML."""
    doc = _load("openai", name)
    out = {}
    for comp, schema in doc.get("components", {}).get("schemas", {}).items():
        side = "server" if comp.endswith("ServerEvent") else "client" if comp.endswith("ClientEvent") else None
        members = (schema.get("anyOf") or schema.get("oneOf")) if isinstance(schema, dict) else None
        if side and members:
            out[comp] = (side, {t for m in members for t in _member_types(doc, m)})
    return out


def _expected_from_yaml(pair: str) -> dict:
    _, old_file, new_file = facts.PAIRS[pair]
    old, new = catalogues_in_yaml(old_file), catalogues_in_yaml(new_file)
    both = old.keys() & new.keys()
    return {
        "catalogues_added": {n: (new[n][0], len(new[n][1])) for n in new.keys() - old.keys()},
        "catalogues_removed": {n: (old[n][0], len(old[n][1])) for n in old.keys() - new.keys()},
        "types_added": {n: sorted(new[n][1] - old[n][1]) for n in both if new[n][1] - old[n][1]},
        "types_removed": {n: sorted(old[n][1] - new[n][1]) for n in both if old[n][1] - new[n][1]},
    }


def test_every_openai_pair_has_event_facts():
    assert sorted(event_facts.EVENT_FACTS) == sorted(OPENAI_PAIRS)


@pytest.mark.parametrize("pair", OPENAI_PAIRS)
def test_event_facts_agree_with_the_yaml(pair):
    _require_corpus()
    expected = event_facts.EVENT_FACTS[pair]
    found = _expected_from_yaml(pair)
    assert found["catalogues_added"] == expected["catalogues_added"]
    assert found["catalogues_removed"] == expected["catalogues_removed"]
    assert found["types_added"] == {n: sorted(v) for n, v in expected["types_added"].items()}
    assert found["types_removed"] == {n: sorted(v) for n, v in expected["types_removed"].items()}


# ---------------------------------------------------------------------------- what apicompat reports

def _reported(pair: str) -> dict:
    report = report_of(pair)
    out: dict = {"catalogues_added": {}, "catalogues_removed": {}, "types_added": {}, "types_removed": {}}
    for c in report.changes:
        labels = [op for op in c.operations if op.startswith("EVENTS ")]
        if not labels:
            continue
        side = "server" if c.rule.startswith("response-") else "client" if c.rule.startswith("request-") else None
        for label in labels:
            name = label.split(" ", 1)[1]
            if c.rule == "event-catalogue-added":
                out["catalogues_added"][name] = c.new_value
            elif c.rule == "event-catalogue-removed":
                out["catalogues_removed"][name] = c.old_value
            elif c.rule.endswith("-event-type-added"):
                out["types_added"].setdefault(name, []).append((side, c.new_value))
            elif c.rule.endswith("-event-type-removed"):
                out["types_removed"].setdefault(name, []).append((side, c.old_value))
    return out


def _catalogue_side(name: str) -> str:
    return "server" if name.endswith("ServerEvent") else "client"


@pytest.mark.parametrize("pair", OPENAI_PAIRS)
def test_apicompat_reports_exactly_the_event_facts(pair):
    expected = event_facts.EVENT_FACTS[pair]
    reported = _reported(pair)
    for key in ("types_added", "types_removed"):
        want = {n: sorted((_catalogue_side(n), t) for t in types) for n, types in expected[key].items()}
        assert {n: sorted(v) for n, v in reported[key].items()} == want, key
    for key in ("catalogues_added", "catalogues_removed"):
        assert {n: len(v) for n, v in reported[key].items()} == {n: count for n, (_, count) in expected[key].items()}


@pytest.mark.parametrize("pair", OPENAI_PAIRS)
def test_new_catalogues_list_the_event_types_of_the_yaml(pair):
    _require_corpus()
    _, old_file, new_file = facts.PAIRS[pair]
    in_yaml = {**catalogues_in_yaml(old_file), **catalogues_in_yaml(new_file)}
    for key in ("catalogues_added", "catalogues_removed"):
        for name, types in _reported(pair)[key].items():
            assert set(types) == in_yaml[name][1], name


def test_event_changes_keep_the_additive_only_pair_clean():
    report = report_of("S-OAI-5")
    events = [c for c in report.changes if any(op.startswith("EVENTS ") for op in c.operations)]
    assert events and all(c.severity.label == "additive" for c in events)
