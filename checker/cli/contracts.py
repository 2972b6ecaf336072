"""Commands on contracts: `diff` (two documents), `gate` (diff, failing only on what your recorded
traffic uses) and `changelog` (every change, grouped by operation, as Markdown)."""

from __future__ import annotations

import click

from ..errors import InputError
from .options import parse_fail_on, report_options
from .output import check_output, emit, load_policy, write_output


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--direction", type=click.Choice(["request", "response"]), default=None,
              help="For bare JSON Schemas: judge as a request or a response schema (default response).")
@report_options()
@click.option("--allow-remote-refs", is_flag=True, help="Follow $refs to URLs and absolute paths.")
@click.option("--max-size", type=click.IntRange(1, 4096), default=64, show_default=True,
              help="Largest input file, in MB.")
def diff(old: str, new: str, direction: str | None, fmt: str, output: str | None, fail_on: str,
         policy: str | None, allow_remote_refs: bool, max_size: int) -> int:
    """Compare two OpenAPI documents or JSON Schemas (files, '-' or git:REV:PATH)."""
    from ..api import DiffOptions, diff_files
    from ..deep import run_deep
    from ..load.limits import MB, Limits

    pol = load_policy(policy)
    options = DiffOptions(direction=direction, allow_remote_refs=allow_remote_refs,
                          opaque=tuple(pol.opaque if pol else ()), limits=Limits(max_bytes=max_size * MB))
    report = run_deep(lambda: diff_files(old, new, options))
    return emit(report, fmt, output, parse_fail_on(fail_on), pol)



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
    from ..deep import run_deep
    from ..usage import read_recordings, restrict_to_usage, used_operations

    pol = load_policy(policy)
    options = DiffOptions(direction=direction, allow_remote_refs=allow_remote_refs,
                          opaque=tuple(pol.opaque if pol else ()))
    recordings = read_recordings(usage) if usage is not None else None
    def load_and_diff():  # one deep thread for both (the loader's depth limit, as in diff)
        old_doc, new_doc = _load_pair(old, new, options)
        return old_doc, new_doc, diff_documents(old_doc, new_doc, options)

    old_doc, new_doc, report = run_deep(load_and_diff)
    if recordings is not None:
        if not recordings:
            raise InputError(usage, "holds no recorded snapshots (YAML files with request.method and request.path)")
        used, unmatched = used_operations(recordings, old_doc.data, new_doc.data)
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


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--output", "-o", default=None, callback=check_output, metavar="FILE",
              help="Write the changelog to a file.")
@click.option("--policy", type=click.Path(dir_okay=False), default=None, help="Policy file (severity, ignore, opaque).")
@click.option("--title", default=None, help="The changelog's heading.")
@click.option("--allow-remote-refs", is_flag=True, help="Follow $refs to URLs and absolute paths.")
def changelog(old: str, new: str, output: str | None, policy: str | None, title: str | None,
              allow_remote_refs: bool) -> int:
    """A Markdown changelog of every change from OLD to NEW, grouped by operation. Exit 0."""
    import sys

    from ..api import DiffOptions, diff_files
    from ..deep import run_deep
    from ..report.changelog import render_changelog

    pol = load_policy(policy)
    options = DiffOptions(allow_remote_refs=allow_remote_refs, opaque=tuple(pol.opaque if pol else ()))
    report = run_deep(lambda: diff_files(old, new, options))
    if pol is not None:
        report = pol.apply(report)
    text = render_changelog(report, title)
    if output:
        write_output(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


COMMANDS = [diff, gate, changelog]
