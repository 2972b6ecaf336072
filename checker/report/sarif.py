"""SARIF 2.1.0 for code scanning: one rule per rule id used, one result per change, pointing at
the new (or old) document with `region.startLine` where the line is known."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote
from typing import Any

from .. import __version__
from ..model import Change, Report, Severity
from ._common import file_location, homepage, on_disk, ops_text, rule_info, workspace_path
from .options import DEFAULT, RenderOptions

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.BREAKING: "error", Severity.WARNING: "warning", Severity.ADDITIVE: "note", Severity.INFO: "note"}
HELP_URI_DOC = "docs/rules.md"


def artifact_uri(source: str) -> str:
    """A relative posix path when the file is under the working directory, else a file: URI."""
    rel = workspace_path(source)
    return Path(rel).as_uri() if Path(rel).is_absolute() else quote(rel)


def _rule_descriptor(rule_id: str, sample: Change) -> dict[str, Any]:
    info = rule_info(rule_id)
    doc = info.doc if info else sample.message
    clause = info.clause if info else sample.policy
    severity = info.severity if info else sample.severity
    direction = info.direction.value if info else sample.direction.value
    help_text = (f"{doc}\n\nDefault severity: {severity.label} ({direction}). Policy clause: {clause}.\n"
                 f"Run `apicompat rules` for the catalogue with an example of each rule.")
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.split("-")),
        "shortDescription": {"text": doc},
        "fullDescription": {"text": f"{doc} Policy: {clause}."},
        "help": {"text": help_text, "markdown": f"**{rule_id}** — {doc}\n\n*Policy:* {clause}"},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"policy": clause, "severity": severity.label, "direction": direction,
                       "tags": ["api-compatibility", severity.label]},
    }


def to_sarif(report: Report) -> dict[str, Any]:
    rule_ids: list[str] = []
    samples = {}
    for c in report.changes:
        if c.rule not in samples:
            rule_ids.append(c.rule)
            samples[c.rule] = c
    rule_ids.sort()
    index = {r: i for i, r in enumerate(rule_ids)}
    artifacts: list[str] = []

    def artifact_index(uri: str) -> int:
        if uri not in artifacts:
            artifacts.append(uri)
        return artifacts.index(uri)

    results = []
    for c in report.changes:
        result: dict[str, Any] = {
            "ruleId": c.rule,
            "ruleIndex": index[c.rule],
            "level": LEVELS[c.severity],
            "kind": "fail" if c.severity >= Severity.WARNING else "informational",
            # a shared change names a few operations (all of them are in properties.operations)
            "message": {"text": c.message + (f" [{ops_text(c, 5)}]" if c.operations else "")},
            "partialFingerprints": {"apicompatFingerprint/v1": c.fingerprint},
            "properties": {"severity": c.severity.label, "direction": c.direction.value, "pointer": c.pointer,
                           "operations": list(c.operations), "policy": c.policy},
        }
        loc = file_location(report, c)
        source = loc.source if loc else (report.new_source if on_disk(report.new_source) else None)
        location: dict[str, Any] = {}
        if source:
            uri = artifact_uri(source)
            physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": artifact_index(uri)}}
            if loc:
                physical["region"] = {"startLine": loc.line}
            location["physicalLocation"] = physical
        location["logicalLocations"] = [{"fullyQualifiedName": c.pointer, "kind": "member"}]
        result["locations"] = [location]
        if c.suppressed is not None:
            result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": c.suppressed}]
        results.append(result)

    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "apicompat",
            "informationUri": homepage(),
            "version": __version__,
            "rules": [_rule_descriptor(r, samples[r]) for r in rule_ids],
        }},
        "artifacts": [{"location": {"uri": uri}} for uri in artifacts],
        "results": results,
        "properties": {"summary": report.summary, "old": report.old_source, "new": report.new_source,
                       "notes": list(report.notes)},
    }
    if report.failures:  # SARIF's place for "the run could not do all its work"
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": [
            {"level": "error", "descriptor": {"id": "recording-failed"},
             "message": {"text": f"case {f.case} ({f.operation}) not recorded, so not compared: {f.message}"},
             "properties": f.to_dict()} for f in report.failures]}]
        properties: dict[str, Any] = run["properties"]
        properties["summary"] = {**report.summary, "failed": len(report.failures)}
        properties["failures"] = [f.to_dict() for f in report.failures]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    return json.dumps(to_sarif(report), indent=2, ensure_ascii=False) + "\n"
