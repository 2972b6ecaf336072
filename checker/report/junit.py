"""JUnit XML for CI test tabs: one testcase per operation (or, for a bare schema, one named by the
new source), a <failure> per change at or above the gate (`fail_on`, default breaking); the other
changes go to the testcase's <system-out>.

Well-formed whatever the names hold: every value from the documents goes through `printable`
(control characters, which XML 1.0 forbids even as references, become visible escapes)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ..model import Report
from ..safetext import printable as p
from ..safetext import xml_safe
from ._common import failure_text, summary_line
from .options import DEFAULT, RenderOptions


def _testcase_names(report: Report) -> list[str]:
    names: list[str] = []
    for c in report.changes:
        for op in c.operations or (report.new_source or "schema",):
            if p(op) not in names:
                names.append(p(op))
    return sorted(names)


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    fail_on = options.fail_on
    names = _testcase_names(report)
    if not names:
        names = [p(report.new_source or "schema")]
    by_case: dict[str, list[Any]] = {n: [] for n in names}
    for c in report.changes:
        for op in c.operations or (report.new_source or "schema",):
            by_case[p(op)].append(c)

    suites = ET.Element("testsuites", name="apicompat")
    suite = ET.SubElement(suites, "testsuite", name=f"apicompat: {p(report.old_source)} -> {p(report.new_source)}")
    for name in names:
        case = ET.SubElement(suite, "testcase", classname="apicompat", name=name)
        other: list[str] = []
        for c in by_case[name]:
            gated = c.suppressed is None and fail_on is not None and c.severity >= fail_on
            if gated:
                failure = ET.SubElement(case, "failure", type=p(c.rule), message=f"{p(c.rule)}: {p(c.message)}")
                failure.text = (f"{c.severity.label} {c.direction.value} change\n{p(c.message)}\n"
                                f"at {p(c.pointer)}\npolicy: {p(c.policy)}\nfingerprint: {p(c.fingerprint)}")
            else:
                tag = f"suppressed ({p(c.suppressed)})" if c.suppressed else c.severity.label
                other.append(f"[{tag}] {p(c.rule)}: {p(c.message)} at {p(c.pointer)}")
        if other:
            ET.SubElement(case, "system-out").text = "\n".join(other)
    for f in report.failures:  # a case not recorded is an error of the run, not a failed comparison
        case = ET.SubElement(suite, "testcase", classname="apicompat.recording", name=f"case {p(f.case)}")
        error = ET.SubElement(case, "error", type="recording-failed", message=failure_text(f))
        error.text = f"{p(f.operation)}: not recorded, so not compared\n{p(f.message)}"
    tests = str(len(names) + len(report.failures))
    failures = str(sum(1 for case in suite if case.find("failure") is not None))
    errors = str(len(report.failures))
    suite.set("tests", tests)
    suite.set("failures", failures)
    suite.set("errors", errors)
    suite.set("skipped", "0")
    props = ET.Element("properties")
    ET.SubElement(props, "property", name="summary", value=summary_line(report))
    for note in report.notes:
        ET.SubElement(props, "property", name="note", value=p(note))
    suite.insert(0, props)
    suites.set("tests", tests)
    suites.set("failures", failures)
    suites.set("errors", errors)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_safe(ET.tostring(suites, encoding="unicode")) + "\n"
