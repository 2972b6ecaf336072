"""`apicompat gate` (diff, failing only on what your recorded traffic uses) and
`apicompat changelog` (every change, grouped by operation, as Markdown)."""

from __future__ import annotations

import os
from dataclasses import replace
from urllib.parse import urlsplit

import click

from ..errors import InputError
from ..model import SEVERITY_ORDER, Report
from .options import report_options
from ..openapi.match import base_paths as _base_paths, match_operation, spec_operations  # noqa: F401

NOT_USED = "not used by you"
SNAPSHOT_SUFFIXES = (".yaml", ".yml", ".json")


# ---- recordings ----

def read_recordings(directory: str) -> list[tuple[str, str, str]]:
    """(file, METHOD, concrete path) of every snapshot file under `directory`.

    A snapshot is any YAML/JSON file with top-level `request.method` and `request.path`
    (the recorder's format); other files are skipped.
    """
    import yaml

    if not os.path.isdir(directory):
        raise InputError(directory, "is not a directory of recorded snapshots")
    found: list[tuple[str, str, str]] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(SNAPSHOT_SUFFIXES) or name.startswith("."):
                continue
            path = os.path.join(root, name)
            try:
                with open(path, encoding="utf-8") as fh:
                    data = yaml.safe_load(fh)
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(path, f"cannot read snapshot: {exc}") from None
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise InputError(path, f"malformed snapshot: {getattr(exc, 'problem', None) or exc}",
                                 f"line {mark.line + 1}" if mark is not None else None) from None
            request = data.get("request") if isinstance(data, dict) else None
            if not isinstance(request, dict):
                continue
            method, target = request.get("method"), request.get("path")
            if not isinstance(method, str) or not isinstance(target, str):
                continue
            found.append((path, method.upper(), urlsplit(target).path or "/"))
    return found


def restrict_to_usage(report: Report, used: set[str]) -> Report:
    """Set aside (suppressed = "not used by you") every change whose operations are all uncalled.
    Changes without an operation (a bare schema, info.version) are kept."""
    changes = []
    set_aside = []
    for c in report.changes:
        if c.suppressed is None and c.operations and not any(op in used for op in c.operations):
            c = replace(c, suppressed=NOT_USED)
            set_aside.append(c)
        changes.append(c)
    notes = list(report.notes)
    if set_aside:
        worst = {s.label: sum(1 for c in set_aside if c.severity is s) for s in SEVERITY_ORDER}
        detail = ", ".join(f"{n} {label}" for label, n in worst.items() if n)
        notes.append(f"gate: {len(set_aside)} change(s) to operations your recordings do not call were set aside "
                     f"({detail})")
    return Report(changes=changes, old_source=report.old_source, new_source=report.new_source, notes=notes,
                  locations=dict(report.locations))


def _load_pair(old: str, new: str, options):
    from ..load import load_document

    return load_document(old, options.limits), load_document(new, options.limits)


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--usage", type=click.Path(file_okay=False), default=None,
              help="Directory of recorded snapshots: fail only on changes to operations they call.")
@report_options()
@click.option("--direction", type=click.Choice(["request", "response"]), default=None,
              help="For bare JSON Schemas: judge as a request or a response schema.")
@click.option("--allow-remote-refs", is_flag=True, help="Follow $refs to URLs and absolute paths.")
def gate(old: str, new: str, usage: str | None, fmt: str, output: str | None, fail_on: str,
         policy: str | None, direction: str | None, allow_remote_refs: bool) -> int:
    """Diff OLD and NEW like `diff`; with --usage, gate only on the operations your recordings call."""
    from ..api import DiffOptions, diff_documents
    from ..cli import parse_fail_on
    from ..deep import run_deep
    from ..output import emit, load_policy

    pol = load_policy(policy)
    options = DiffOptions(direction=direction, allow_remote_refs=allow_remote_refs,
                          opaque=tuple(pol.opaque if pol else ()))
    recordings = read_recordings(usage) if usage is not None else None
    old_doc, new_doc = run_deep(lambda: _load_pair(old, new, options))  # the loader's depth limit, as in diff
    report = run_deep(lambda: diff_documents(old_doc, new_doc, options))
    if recordings is not None:
        if not recordings:
            raise InputError(usage, "holds no recorded snapshots (YAML files with request.method and request.path)")
        operations = spec_operations(new_doc.data, old_doc.data)
        bases = _base_paths(new_doc.data) + [b for b in _base_paths(old_doc.data) if b not in _base_paths(new_doc.data)]
        used: set[str] = set()
        unmatched: list[str] = []
        for _path, method, target in recordings:
            op = match_operation(method, target, operations, bases)
            if op is None:
                unmatched.append(f"{method} {target}")
            else:
                used.add(op)
        if pol is not None:  # the policy first, so its reasons win over "not used by you"
            report = pol.apply(report)
            pol = None
        report = restrict_to_usage(report, used)
        report.notes.append(f"gate: {len(recordings)} recording(s) call {len(used)} operation(s): "
                            + ", ".join(sorted(used)))
        if unmatched:
            shown = ", ".join(sorted(set(unmatched))[:5])
            report.notes.append(f"gate: {len(unmatched)} recording(s) match no operation in the spec: {shown}")
    return emit(report, fmt, output, parse_fail_on(fail_on), pol)


def render_changelog(report: Report, title: str | None = None) -> str:
    groups: dict[str, list] = {}
    for c in report.changes:
        for op in c.operations or ("General",):
            groups.setdefault(op, []).append(c)
    out = [f"# {title or 'API changelog'}", "",
           f"`{report.old_source or 'old'}` → `{report.new_source or 'new'}`", ""]
    s = report.summary
    out.append(f"{s['breaking']} breaking, {s['warning']} warning, {s['additive']} additive, {s['info']} info"
               + (f", {s['suppressed']} suppressed" if s["suppressed"] else ""))
    if not report.changes:
        out += ["", "No changes."]
    order = sorted(groups, key=lambda op: (op == "General", op.split(" ", 1)[-1], op))
    for op in order:
        out += ["", f"## {op}", ""]
        for c in sorted(groups[op], key=lambda c: (-int(c.severity), c.rule, c.pointer)):
            tag = c.severity.label.capitalize()
            line = f"- **{tag}** `{c.rule}`: {c.message}"
            if c.suppressed is not None:
                line += f" _(suppressed: {c.suppressed})_"
            out.append(line)
    for note in report.notes:
        out += ["", f"> note: {note}"]
    return "\n".join(out) + "\n"


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write the changelog to a file.")
@click.option("--policy", type=click.Path(dir_okay=False), default=None, help="Policy file (severity, ignore, opaque).")
@click.option("--title", default=None, help="The changelog's heading.")
@click.option("--allow-remote-refs", is_flag=True, help="Follow $refs to URLs and absolute paths.")
def changelog(old: str, new: str, output: str | None, policy: str | None, title: str | None,
              allow_remote_refs: bool) -> int:
    """A Markdown changelog of every change from OLD to NEW, grouped by operation. Exit 0."""
    import sys

    from ..api import DiffOptions, diff_files
    from ..deep import run_deep
    from ..output import load_policy, write_atomic

    pol = load_policy(policy)
    options = DiffOptions(allow_remote_refs=allow_remote_refs, opaque=tuple(pol.opaque if pol else ()))
    report = run_deep(lambda: diff_files(old, new, options))
    if pol is not None:
        report = pol.apply(report)
    text = render_changelog(report, title)
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


COMMANDS = [gate, changelog]
