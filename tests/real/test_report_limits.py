"""Big reports fit where they go, measured on the Stripe pair (705 changes, 218 of them shared by
446 operations): the Markdown under GitHub's 65,536-character comment limit with the totals and the
breaking changes first and a note of what it left out; the annotations under what a step shows
(10 per kind, 50 per job), summary first; the changelog and the HTML list each change once and
each set of operations once. Without ../shared/corpus: skipped, except under CI (fails)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from test_corpus import _require_corpus, report_of

from apicompat.model import SEVERITY_ORDER, Report, Severity
from apicompat.report import RenderOptions, github, html, markdown
from apicompat.report.changelog import render_changelog

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stripe() -> Report:
    _require_corpus()
    shared = report_of("S-STRIPE-1")  # diffed once per session, with the corpus tests
    return replace(shared)  # a copy, with the documents it carries (lines and fragments come from them)


def test_the_pair_is_big(stripe):
    assert len(stripe.changes) > 500
    assert max(len(c.operations) for c in stripe.changes) > 400


def test_markdown_fits_a_pull_request_comment(stripe):
    md = markdown.render(stripe, RenderOptions(full_report="https://example.test/run/1"))
    assert markdown.size(md) < markdown.GITHUB_COMMENT_LIMIT
    s = stripe.summary
    totals = md.index("| Severity | Changes |")
    breaking = md.index("### 🔴 Breaking")
    assert totals < breaking and md.index("### ") == breaking  # the totals, then breaking changes first
    assert f"| 🔴 breaking | {s['breaking']} |" in md and f"| ⚪ info | {s['info']} |" in md
    rows_per_severity: Counter = Counter()
    section = None
    for line in md.splitlines():
        heading = re.match(r"### \S+ (\w+) \(\d+\)$", line)
        if heading:
            section = heading.group(1).lower()
        elif line.startswith("| `") and section:
            rows_per_severity[section] += 1
    for c in stripe.active:
        if c.severity is Severity.BREAKING:
            assert f"| {markdown.code(c.rule)} | {markdown.code(c.message)} |" in md  # every breaking change
    left = re.search(r"\*\*Left out to fit GitHub's 65,536-character limit: (\d+) change\(s\)\*\* \(([^;]*);", md)
    assert left, "a report that leaves changes out must say so"
    assert int(left.group(1)) + sum(rows_per_severity.values()) == len(stripe.active)
    stated = {label: int(n) for n, label in re.findall(r"(\d+) (\w+)", left.group(2))}
    for sev in SEVERITY_ORDER:
        assert rows_per_severity[sev.label] + stated.get(sev.label, 0) == s[sev.label], sev
    assert "The full report: <https://example.test/run/1>." in md


def test_github_annotations_fit_a_step_summary_first(stripe):
    lines = github.render(stripe).splitlines()
    assert len(lines) < 50
    assert lines[0].startswith("::notice title=apicompat summary::apicompat: 17 breaking")
    kinds = Counter(line[2:].split(" ", 1)[0] for line in lines)
    assert all(n <= github.MAX_PER_KIND for n in kinds.values()), kinds
    assert kinds["error"] == min(10, stripe.summary["breaking"])
    not_shown = len(stripe.active) - (len(lines) - 1)
    assert f"{not_shown} more not" in lines[0]


def test_changelog_lists_each_change_and_each_operation_set_once(stripe):
    text = render_changelog(stripe)
    entries = [line for line in text.splitlines() if line.startswith("- **")]
    assert len(entries) == len(stripe.changes)
    sets = {c.operations for c in stripe.changes if len(c.operations) > 3}
    assert text.count("<details>") == len(sets)
    op_lines = [line for line in text.splitlines() if line.startswith("- `")]
    assert len(op_lines) == sum(len(ops) for ops in sets)
    assert len(text.splitlines()) < 3_000 and len(text) < 300_000  # was 99,854 lines, 10.5 MB


class _Count(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1


def test_html_lists_each_operation_set_once(stripe):
    page = html.render(stripe)
    assert len(page.encode()) < 3_000_000  # was 11.7 MB
    counted = _Count()
    counted.feed(page)
    assert counted.tags["article"] == len(stripe.changes)
    sets = {c.operations for c in stripe.changes if len(c.operations) > html.SHOWN_OPS}
    assert counted.tags["details"] == len(sets)
    assert page.count("<li>GET /v1/account</li>") == sum("GET /v1/account" in ops for ops in sets)
