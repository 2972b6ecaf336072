"""The differ on the real OpenAI and Stripe specs (../shared/corpus), against tests/real/facts.py.

Each pair is diffed once per session (whole-file diffs of the big pairs take seconds). Without
../shared/corpus the tests skip, except under CI (env var CI set), where they fail.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from pathlib import Path

import pytest

from apicompat.api import diff_files
from apicompat.model import Severity

_HERE = Path(__file__).resolve()
SHARED = _HERE.parents[2].parent / "shared"
CORPUS = SHARED / "corpus"

_spec = importlib.util.spec_from_file_location("apicompat_real_facts", _HERE.with_name("facts.py"))
facts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(facts)

pytestmark = pytest.mark.slow


def _require_corpus() -> None:
    if (CORPUS / "openai" / "manifest.json").is_file() and (CORPUS / "stripe" / "manifest.json").is_file():
        return
    message = f"../shared/corpus is absent: expected it at {CORPUS}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: the corpus is required)")
    pytest.skip(message)


def _path(corpus: str, name: str) -> Path:
    return CORPUS / corpus / name


class _Outcome:
    def __init__(self, report=None, error: BaseException | None = None):
        self.report = report
        self.error = error


@cache
def _diff(pair: str) -> _Outcome:
    corpus, old, new = facts.PAIRS[pair]
    try:
        return _Outcome(report=diff_files(str(_path(corpus, old)), str(_path(corpus, new))))
    except BaseException as exc:  # recorded so that one failing pair does not hide the others
        return _Outcome(error=exc)


def report_of(pair: str):
    _require_corpus()
    outcome = _diff(pair)
    if outcome.error is not None:
        pytest.fail(f"{pair}: diff raised {outcome.error!r}")
    return outcome.report


@cache
def _load(corpus: str, name: str):
    import yaml_rs

    return yaml_rs.loads(_path(corpus, name).read_text(encoding="utf-8"), parse_datetime=False)


_MISSING = object()


def _resolve(document, pointer: str):
    node = document
    for part in pointer.lstrip("#").lstrip("/").split("/"):
        if part == "":
            continue
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                return _MISSING
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                return _MISSING
            node = node[part]
        else:
            return _MISSING
    return node


def _pointers(change) -> tuple[str, ...]:
    return tuple(p for p in (change.pointer, change.new_pointer, change.old_pointer) if p)


def _with_bug_mark(entry: dict, ident: str):
    marks = []
    if entry.get("differ_bug"):
        marks.append(pytest.mark.xfail(strict=True, reason="differ bug: " + entry["differ_bug"]))
    return pytest.param(entry, id=ident, marks=marks)


def _fact_id(f: dict) -> str:
    return f"{f['pair']}:{f['rule']}:{f['pointer'].rsplit('/', 2)[-2]}/{f['pointer'].rsplit('/', 1)[-1]}"


# ---------------------------------------------------------------------------- the facts' own sanity


def test_facts_are_enough():
    kinds = [f["kind"] for f in facts.FACTS]
    assert kinds.count("breaking") >= 12
    assert kinds.count("additive") >= 12
    assert len({f["pair"] for f in facts.FACTS}) == len(facts.PAIRS)


def _registry_ids() -> set[str]:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "apicompat", "rules"], capture_output=True, text=True, check=True)
    return {line.split()[0] for line in out.stdout.splitlines() if line and not line[0].isdigit()}


def test_every_rule_id_named_in_facts_is_registered():
    ids = _registry_ids()
    named = {f["rule"] for f in facts.FACTS}
    named |= {r for f in facts.FACTS for r in f.get("alt_rules", ())}
    named |= {r for t in facts.TRAPS for r in t["forbidden"]}
    assert named - ids == set()


@pytest.mark.parametrize("fact", [pytest.param(f, id=_fact_id(f)) for f in facts.FACTS])
def test_fact_pointer_exists_in_yaml(fact):
    """Changed/removed things exist in the old document, added ones in the new one."""
    _require_corpus()
    old = _resolve(_load(fact["corpus"], fact["from_file"]), fact["pointer"])
    new = _resolve(_load(fact["corpus"], fact["to_file"]), fact["pointer"])
    added = fact["rule"] in {"endpoint-added", "webhook-added"} or fact["rule"].endswith(
        ("-added-optional", "event-type-added", "event-stream-added", "union-member-added")) or fact["rule"] == "new-optional-request-parameter"
    removed = fact["rule"].startswith("endpoint-") and fact["rule"].endswith("removed")
    if added:
        assert new is not _MISSING, "an added thing must be in the new document"
    elif removed:
        assert old is not _MISSING and new is _MISSING
    else:  # a keyword absent before (an implicit `additionalProperties: {}`) is reported at its own place
        parent = _resolve(_load(fact["corpus"], fact["from_file"]), fact["pointer"].rsplit("/", 1)[0])
        assert old is not _MISSING or parent is not _MISSING, "a changed thing must be in the old document"


# ---------------------------------------------------------------------------- whole pairs


@pytest.mark.parametrize("pair", list(facts.PAIRS))
def test_pair_diffs_without_error(pair):
    report = report_of(pair)
    assert report.changes, f"{pair}: no change at all"
    for change in report.changes:
        assert isinstance(change.severity, Severity)
        assert change.pointer.startswith("#/"), change


@pytest.mark.parametrize("pair", facts.ADDITIVE_ONLY_PAIRS)
def test_additive_only_pairs_have_no_breaking(pair):
    report = report_of(pair)
    bad = [c for c in report.changes if c.severity >= Severity.WARNING]
    assert bad == [], "\n".join(f"{c.severity.label} {c.rule} {c.pointer}" for c in bad)


def test_stripe_every_change_is_reported_once_not_per_operation():
    """oasdiff reports 337,445 entries on this pair; a component change must be one entry."""
    report = report_of("S-STRIPE-1")
    assert len(report.changes) < 5000
    keys = [(c.rule, c.pointer, c.new_pointer) for c in report.changes]
    assert len(keys) == len(set(keys))


# ---------------------------------------------------------------------------- facts


@pytest.mark.parametrize("fact", [_with_bug_mark(f, _fact_id(f)) for f in facts.FACTS])
def test_fact_is_reported(fact):
    report = report_of(fact["pair"])
    rules = {fact["rule"], *fact.get("alt_rules", ())}
    matches = [c for c in report.changes if c.rule in rules and fact["pointer"] in (c.pointer, c.new_pointer)]
    near = [f"{c.severity.label} {c.rule} {c.pointer} (new {c.new_pointer})" for c in report.changes
            if fact["pointer"] in _pointers(c)]
    assert matches, f"{fact['rule']} not reported at {fact['pointer']} ({fact['note']}); at that pointer: {near}"
    assert any(c.severity.label == fact["severity"] for c in matches), (
        f"severity {[c.severity.label for c in matches]} != {fact['severity']}")


# ---------------------------------------------------------------------------- traps


def _trap_id(t: dict) -> str:
    tail = "/".join(t["pointer"].rsplit("/", 3)[-3:])
    return f"{t['pair']}:{tail}:{'+'.join(r.split('-', 1)[1] for r in t['forbidden'][:2])}"


def _at(pointer: str, trap: dict) -> bool:
    if pointer == trap["pointer"]:
        return True
    return pointer.startswith(trap["pointer"] + "/") if trap["prefix"] else pointer.startswith(
        trap["pointer"] + "/anyOf/") or pointer.startswith(trap["pointer"] + "/oneOf/")


@pytest.mark.parametrize("trap", [_with_bug_mark(t, _trap_id(t)) for t in facts.TRAPS])
def test_trap_gives_no_false_alarm(trap):
    report = report_of(trap["pair"])
    bad = [c for c in report.changes
           if c.rule in trap["forbidden"] and c.severity >= Severity.WARNING
           and any(_at(p, trap) for p in (c.pointer, c.old_pointer) if p)]
    assert bad == [], trap["note"] + "\n" + "\n".join(
        f"{c.severity.label} {c.rule} {c.pointer} (new {c.new_pointer}): {c.message}" for c in bad)


# ---------------------------------------------------------------------------- pointers of added things


@pytest.mark.parametrize("check", [_with_bug_mark(c, f"{c['pair']}:{c['rule']}") for c in facts.ADDED_POINTER_CHECKS])
def test_added_thing_old_pointer_names_nothing_else(check):
    report = report_of(check["pair"])
    corpus, old_file, new_file = facts.PAIRS[check["pair"]]
    found = [c for c in report.changes if c.rule == check["rule"] and check["pointer"] in (c.pointer, c.new_pointer)]
    assert found
    new_node = _resolve(_load(corpus, new_file), check["pointer"])
    for change in found:
        if change.old_pointer is None:
            continue
        old_node = _resolve(_load(corpus, old_file), change.old_pointer)
        assert old_node is _MISSING or old_node == new_node, (
            f"old_pointer {change.old_pointer} names another element in {old_file}: {check['note']}")
