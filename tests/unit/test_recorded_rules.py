"""Every recorded-traffic rule (`recorded-*`): its example pair triggers it through `check`'s
comparison of a baseline snapshot with a fresh one, and its near pair does not."""

import pytest

from apicompat.atomic import write_atomic
from apicompat.record.check import compare
from apicompat.record.infer import infer_snapshot
from apicompat.record.store import dump_schema, dump_snapshot, schema_path, snapshot_path
from apicompat.record.values import ValueRules
from apicompat.rules import REGISTRY

RECORDED = [r for r in REGISTRY if r.id.startswith("recorded-")]


def snapshot(sample: dict) -> dict:
    return {"case": "case-a", "request": {"method": "GET", "path": "/things", "body": None},
            "stream": False, "samples": [sample]}


def rules_between(tmp_path, old_sample, new_sample) -> set[str]:
    snaps, schemas = tmp_path / "snapshots", tmp_path / "schemas"
    snaps.mkdir(exist_ok=True)
    schemas.mkdir(exist_ok=True)
    values = {}
    if old_sample is not None:
        contract = old_sample.get("contract")  # the baseline schema as edited by hand
        plan = old_sample.get("plan") or {}  # the case's pins and volatile paths
        values["case-a"] = ValueRules(volatile=tuple(plan.get("volatile", ())), pins=tuple(plan.get("pins", ())))
        base = snapshot({k: v for k, v in old_sample.items() if k not in ("contract", "plan")})
        write_atomic(snapshot_path(str(snaps), "case-a"), dump_snapshot(base))
        write_atomic(schema_path(str(schemas), "case-a"), dump_schema(contract or infer_snapshot(base)))
    fresh = snapshot(new_sample)
    report = compare({"case-a": fresh}, {"case-a": infer_snapshot(fresh)}, str(snaps), str(schemas), values)
    return {c.rule for c in report.changes}


@pytest.mark.parametrize("rule", RECORDED, ids=lambda r: r.id)
def test_recorded_example_triggers_rule(rule, tmp_path):
    assert rule.id in rules_between(tmp_path, rule.example.old, rule.example.new)


@pytest.mark.parametrize("rule", RECORDED, ids=lambda r: r.id)
def test_recorded_near_pair_does_not_trigger_rule(rule, tmp_path):
    assert rule.id not in rules_between(tmp_path, rule.example.near_old, rule.example.near_new)


def test_every_recorded_rule_is_tested():
    assert {r.id for r in RECORDED} >= {"recorded-header-missing", "recorded-version-changed",
                                        "recorded-schema-violation"}


def changes_between(tmp_path, old_sample, new_sample):
    snaps, schemas = tmp_path / "snapshots", tmp_path / "schemas"
    snaps.mkdir(exist_ok=True)
    schemas.mkdir(exist_ok=True)
    base = snapshot(old_sample)
    write_atomic(snapshot_path(str(snaps), "case-a"), dump_snapshot(base))
    write_atomic(schema_path(str(schemas), "case-a"), dump_schema(infer_snapshot(base)))
    fresh = snapshot(new_sample)
    return compare({"case-a": fresh}, {"case-a": infer_snapshot(fresh)}, str(snaps), str(schemas)).changes


def test_a_recorded_change_is_one_entry_with_both_views(tmp_path):
    """A property gone: the schema rule and the violation of the baseline's `required` are one entry
    (the demo's 'usage'); a type changed likewise; a violation elsewhere stays its own entry."""
    from apicompat.rules.recorded_rules import sample

    changes = changes_between(tmp_path, sample(body={"id": "a", "usage": {"total_tokens": 3}, "n": 1}),
                              sample(body={"id": "a", "n": "one"}))
    assert sorted(c.rule for c in changes) == ["response-property-removed", "response-type-changed"]
    by_rule = {c.rule: c for c in changes}
    assert "'usage' is a required property" in by_rule["response-property-removed"].message
    assert "'one' is not of type 'integer'" in by_rule["response-type-changed"].message
    assert by_rule["response-property-removed"].pointer == "#/case-a/properties/usage"
    assert all(c.severity.label == "breaking" for c in changes)
