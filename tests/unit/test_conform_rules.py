"""Every `conform-*` rule: its example (old: the spec's response schema, or its `paths`; new: a
recorded sample) triggers it through apicompat.record.conform, and its near pair does not."""

import pytest

from apicompat.record.conform import Conformer
from apicompat.load import Document
from apicompat.rules import REGISTRY

CONFORM = [r for r in REGISTRY if r.id.startswith("conform-")]


def spec_of(rule, old) -> dict:
    if any(str(k).startswith("/") for k in old):
        paths = old
    else:
        media = "text/event-stream" if rule.id == "conform-undocumented-event-type" else "application/json"
        paths = {"/models/{model}": {"get": {"responses": {"200": {"description": "ok", "content": {
            media: {"schema": old}}}}}}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://api.example.com/v1"}], "paths": paths}


def rules_of(rule, old, new) -> set[str]:
    sample = {k: v for k, v in new.items() if k != "request"}
    stream = rule.id == "conform-undocumented-event-type"
    if stream:
        data = sample.pop("body")
        sample["events"] = [{"event": data.get("type"), "data": data}]
        sample["headers"] = {**sample["headers"], "content-type": "text/event-stream"}
    snap = {"case": "c", "request": new["request"], "stream": stream, "samples": [sample]}
    checker = Conformer(Document("spec.yaml", spec_of(rule, old)))
    checker.check("c", snap)
    return {c.rule for c in checker.report("snapshots").changes}


@pytest.mark.parametrize("rule", CONFORM, ids=lambda r: r.id)
def test_conform_example_triggers_rule(rule):
    assert rule.id in rules_of(rule, rule.example.old, rule.example.new)


@pytest.mark.parametrize("rule", CONFORM, ids=lambda r: r.id)
def test_conform_near_pair_does_not_trigger_rule(rule):
    assert rule.id not in rules_of(rule, rule.example.near_old, rule.example.near_new)


def test_every_conform_rule_is_tested():
    assert len(CONFORM) == 6
