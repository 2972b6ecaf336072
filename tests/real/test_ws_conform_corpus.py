"""conform of a recorded Realtime session (the demo's bundled baseline, snapshots/realtime-session.yaml)
against the real OpenAI spec: the catalogue chosen is RealtimeServerEvent, the session conforms,
and a wrong value or an unknown event type is found where the spec says. Skips without
../shared/corpus, fails under CI."""

from __future__ import annotations

import yaml
from conftest import ROOT, need_shared

from apicompat.load import load_document
from apicompat.record.conform import conform

SNAPSHOT = ROOT / "snapshots" / "realtime-session.yaml"


def newest_openai_spec():
    return sorted((need_shared() / "corpus" / "openai").glob("2026-*.yaml"))[-1]


def findings(tmp_path, snapshot: dict) -> list[tuple[str, tuple, str]]:
    d = tmp_path / "snaps"
    d.mkdir(exist_ok=True)
    (d / "realtime-session.yaml").write_text(yaml.safe_dump(snapshot, sort_keys=False))
    report = conform(load_document(str(newest_openai_spec())), str(d))
    return [(c.rule, c.operations, c.pointer) for c in report.changes]


def test_the_demo_session_conforms_to_realtime_server_event(tmp_path):
    assert findings(tmp_path, yaml.safe_load(SNAPSHOT.read_text())) == []


def test_a_wrong_value_and_an_unknown_event_type(tmp_path):
    snap = yaml.safe_load(SNAPSHOT.read_text())
    events = snap["samples"][0]["events"]
    events[0]["data"]["event_id"] = 5
    events.insert(1, {"event": "session.bogus", "data": {"type": "session.bogus", "event_id": "event_X"}})
    label = ("EVENTS RealtimeServerEvent",)
    assert sorted(findings(tmp_path, snap)) == [
        ("conform-schema-violation", label, "#/components/schemas/RealtimeServerEventSessionCreated/properties/event_id/type"),
        ("conform-undocumented-event-type", label, "#/components/schemas/RealtimeServerEvent/session.bogus")]
