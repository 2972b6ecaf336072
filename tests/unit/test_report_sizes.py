"""Reports that must fit where they go, on a synthetic big report (the Stripe pair is measured in
tests/real/test_report_limits.py): Markdown under the comment limit, saying what it left out;
annotations within GitHub's per-step limits, summary first; a shared change listed once."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from apicompat.model import Change, Direction, Report, Severity
from apicompat.report import RenderOptions, github, html, markdown
from apicompat.report.changelog import render_changelog

SHARED_OPS = tuple(f"GET /v1/things{i}/{{id}}" for i in range(300))


def big_report(per_severity: int = 400) -> Report:
    changes = []
    for sev, rule in ((Severity.BREAKING, "response-property-removed"), (Severity.WARNING, "response-enum-value-added"),
                      (Severity.ADDITIVE, "response-property-added-optional"), (Severity.INFO, "response-description-changed")):
        for i in range(per_severity):
            ops = SHARED_OPS if i % 2 else (f"POST /v1/jobs{i}",)
            changes.append(Change(rule, sev, Direction.RESPONSE, f"Thing{i} changed property 'field_{i}' " + "x" * 80,
                                  f"#/components/schemas/Thing{i}/properties/field_{i}", operations=ops))
    return Report(changes, old_source="old.yaml", new_source="new.yaml", notes=["a note"])


def test_markdown_stays_under_the_limit_and_says_what_it_left_out():
    report = big_report()
    md = markdown.render(report)
    assert markdown.size(md) <= markdown.MAX_CHARS < markdown.GITHUB_COMMENT_LIMIT
    assert md.index("| Severity | Changes |") < md.index("### 🔴 Breaking (400)")
    shown = len([line for line in md.splitlines() if line.startswith("| `")])
    left = int(re.search(r"limit: (\d+) change\(s\)", md).group(1))
    assert shown + left == len(report.changes) and 0 < shown < len(report.changes)
    assert "**Notes**" in md and "`a note`" in md  # notes are kept
    assert "render the JSON report again" in md


def test_markdown_that_fits_leaves_nothing_out():
    md = markdown.render(big_report(3))
    assert "Left out" not in md and len([line for line in md.splitlines() if line.startswith("| `")]) == 12


@pytest.mark.parametrize("budget", [2_000, 5_000, 20_000])
def test_markdown_budget_is_a_hard_bound(budget):
    md = markdown.render(big_report(), RenderOptions(max_chars=budget))
    assert markdown.size(md) <= budget
    assert "### 🔴 Breaking" in md or "Left out" in md


def test_markdown_full_report_is_a_link_only_when_it_is_a_url():
    report = big_report()
    assert "The full report: <https://ci.example/run/7>." in markdown.render(report, RenderOptions(full_report="https://ci.example/run/7"))
    md = markdown.render(report, RenderOptions(full_report="artifact apicompat-report <b>"))
    assert "The full report: `artifact apicompat-report <b>`." in md


def test_github_annotations_summary_first_then_at_most_ten_of_each_kind():
    lines = github.render(big_report()).splitlines()
    assert lines[0].startswith("::notice title=apicompat summary::apicompat: 400 breaking")
    kinds = Counter(line[2:].split(" ", 1)[0] for line in lines)
    assert kinds == {"error": 10, "warning": 10, "notice": 10}
    assert "1571 more not" in lines[0] and "390 x response-property-removed (breaking)" in lines[0]
    info_off = github.render(big_report(), RenderOptions(show_info=False)).splitlines()
    assert not any("response-description-changed" in line for line in info_off[1:])


def test_github_small_report_annotates_everything():
    lines = github.render(big_report(2)).splitlines()
    assert len(lines) == 9 and "more not" not in lines[0]


def test_changelog_lists_a_shared_change_once_and_its_operations_once():
    text = render_changelog(big_report(10))
    assert len([line for line in text.splitlines() if line.startswith("- **")]) == 40
    assert text.count("<details><summary>The 300 operations</summary>") == 1
    assert text.count("- `GET /v1/things7/{id}`") == 1
    assert "## Shared by 300 operations (set 1)" in text
    assert "## `POST /v1/jobs0`" in text


def test_html_lists_each_operation_set_once():
    page = html.render(big_report(10))
    assert page.count("<article ") == 40
    assert page.count("<li>GET /v1/things7/{id}</li>") == 1
    assert page.count('<a href="#ops-') == 20 and page.count("<details id=\"ops-") == 1
