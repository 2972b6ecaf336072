"""Commands on contracts: `diff` (two documents), `gate` (diff, failing only on what your recorded
traffic uses) and `changelog` (every change, grouped by operation, as Markdown)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from contextlib import contextmanager

import click

from ..errors import InputError
from .options import (FAIL_ON, format_option, max_size_option, one_line, parse_fail_on, report_options,
                      strict_option)
from .output import check_output, emit, load_policy, write_output
from .progress import Progress


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--direction", type=click.Choice(["request", "response"]), default=None,
              help="For bare JSON Schemas: judge as a request or a response schema (default response).")
@report_options()
@click.option("--allow-remote-refs", is_flag=True, help="Follow $refs to URLs and absolute paths.")
@click.option("--max-size", type=click.IntRange(1, 4096), default=64, show_default=True,
              help="Largest input file, in MB.")
@strict_option()
def diff(old: str, new: str, direction: str | None, fmt: str, output: str | None, fail_on: str,
         policy: str | None, full_report: str | None, allow_remote_refs: bool, max_size: int,
         strict: bool = False) -> int:
    """Compare two OpenAPI (3.x or Swagger 2.0) or AsyncAPI documents, or JSON Schemas (files, '-' or
    git:REV:PATH).

    Exit 0 when no change reaches --fail-on, 1 when one does, 2 for a usage error or bad input (one
    line on stderr), 3 for an internal error.
    """
    from ..load.limits import MB, Limits  # start-up time: the differ loads only when a command runs

    pol = load_policy(policy)
    limits = Limits(max_bytes=max_size * MB)

    def options():  # made once both inputs are read: the differ loads while the new one is parsed
        from ..api import DiffOptions  # start-up time: the differ loads only when a command runs

        return DiffOptions(direction=direction, allow_remote_refs=allow_remote_refs, limits=limits, strict=strict,
                           **(pol.diff_fields() if pol else {}))
    return _diff_and_emit(old, new, limits, options, fmt, output, parse_fail_on(fail_on), pol, full_report)


def _diff_and_emit(old: str, new: str, limits, options, fmt: str, output: str | None, fail_on, pol,
                   full_report: str | None = None) -> int:
    from ..deep import run_deep  # start-up time: the differ loads only when a command runs

    with Progress() as progress:
        _, _, report = run_deep(lambda: _diff_pair(old, new, limits, options, progress))
        if output:  # a report to stdout is written after the status line is erased
            progress.stage(f"writing {output}")
            return emit(report, fmt, output, fail_on, pol, full_report)
    return emit(report, fmt, output, fail_on, pol, full_report)


def _diff_pair(old: str, new: str, limits, options, progress: Progress):
    """Both documents and their report, in one deep-stack thread (run_deep), saying what it does.
    `options` makes the DiffOptions, once both documents are read."""
    from ..load.pair import load_pair  # start-up time: the differ loads only when a command runs

    if old == new == "-":
        raise InputError("-", "OLD and NEW are both standard input, which can be read only once: give one as a file")
    with _collector_for_documents() as documents_read:
        old_doc, new_doc = load_pair(old, new, limits, progress.stage, meanwhile=_differ)
        documents_read()
        progress.stage("comparing")
        return old_doc, new_doc, _differ()(old_doc, new_doc, options())


# The cyclic collector's thresholds while two documents are diffed (the defaults are 700, 10, 10).
DIFF_GC_THRESHOLDS = (100_000, 50, 100)


@contextmanager
def _collector_for_documents():
    """Two big documents are hundreds of thousands of containers without a cycle among them, and
    the differ makes millions of objects and few cycles: at its defaults the cyclic collector walks
    all of them again and again (0.3 s of the Stripe pair's 1.6 s, 80 ms of OpenAI's). So it is off
    while the documents are read; then (`documents_read()`) what was read is frozen (never walked,
    freed by reference counting as ever) unless someone else froze objects already, and it collects
    rarely while they are diffed. As it was, after."""
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    ours = gc.get_freeze_count() == 0  # another freeze (a preforking host's) is not undone here
    gc.disable()

    def documents_read() -> None:
        if ours:
            gc.freeze()  # before the collector is on: what was read is not young objects to walk again
        gc.set_threshold(*DIFF_GC_THRESHOLDS)
        if enabled:
            gc.enable()

    try:
        yield documents_read
    finally:
        if ours:
            gc.unfreeze()
        gc.set_threshold(*thresholds)
        if enabled:
            gc.enable()


def _differ():
    """apicompat.api.diff_documents, imported while the new document is parsed (load_pair's `meanwhile`)."""
    from ..api import diff_documents  # start-up time: the differ loads only when a command runs

    return diff_documents


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--usage", type=click.Path(file_okay=False), default=None,
              help="Directory of recorded snapshots: fail only on changes to operations they call.")
@report_options()
@click.option("--direction", type=click.Choice(["request", "response"]), default=None,
              help="For bare JSON Schemas: judge as a request or a response schema.")
@click.option("--allow-remote-refs", is_flag=True, help="Follow $refs to URLs and absolute paths.")
@max_size_option()
@strict_option()
def gate(old: str, new: str, usage: str | None, fmt: str, output: str | None, fail_on: str,
         policy: str | None, full_report: str | None, direction: str | None, allow_remote_refs: bool,
         max_size: int = 64, strict: bool = False) -> int:
    """Diff OLD and NEW like `diff`; with --usage, gate only on the operations your recordings call."""
    from ..api import DiffOptions  # start-up time: the differ loads only when a command runs
    from ..deep import run_deep  # start-up time: the differ loads only when a command runs
    from ..usage import read_recordings, restrict_to_usage, used_operations  # start-up time: only with --usage
    from ..load.limits import MB, Limits  # start-up time: the differ loads only when a command runs

    pol = load_policy(policy)
    options = DiffOptions(direction=direction, allow_remote_refs=allow_remote_refs, strict=strict,
                          limits=Limits(max_bytes=max_size * MB), **(pol.diff_fields() if pol else {}))
    recordings = read_recordings(usage) if usage is not None else None
    with Progress() as progress:
        old_doc, new_doc, report = run_deep(lambda: _diff_pair(old, new, options.limits, lambda: options, progress))
    if usage is not None and recordings is not None:  # read together
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
    return emit(report, fmt, output, parse_fail_on(fail_on), pol, full_report)


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--output", "-o", default=None, callback=check_output, metavar="FILE",
              help="Write the changelog to a file.")
@click.option("--policy", type=click.Path(dir_okay=False), default=None,
              help="Policy file (severity, ignore, opaque, events).")
@click.option("--title", default=None, help="The changelog's heading.")
@click.option("--allow-remote-refs", is_flag=True, help="Follow $refs to URLs and absolute paths.")
@max_size_option()
@strict_option()
def changelog(old: str, new: str, output: str | None, policy: str | None, title: str | None,
              allow_remote_refs: bool, max_size: int = 64, strict: bool = False) -> int:
    """A Markdown changelog of every change from OLD to NEW, grouped by operation. Exit 0."""
    from ..api import DiffOptions  # start-up time: the differ loads only when a command runs
    from ..deep import run_deep  # start-up time: the differ loads only when a command runs
    from ..report.changelog import render_changelog  # start-up time: the differ loads only when a command runs
    from ..load.limits import MB, Limits  # start-up time: the differ loads only when a command runs

    pol = load_policy(policy)
    options = DiffOptions(allow_remote_refs=allow_remote_refs, strict=strict, limits=Limits(max_bytes=max_size * MB),
                          **(pol.diff_fields() if pol else {}))
    with Progress() as progress:
        _, _, report = run_deep(lambda: _diff_pair(old, new, options.limits, lambda: options, progress))
    if pol is not None:
        report = pol.apply(report)
    text = render_changelog(report, title)
    if output:
        write_output(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


@click.command("diff-files")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--base", default="HEAD", show_default=True,
              help="The git revision each file is compared with (read as git:BASE:./FILE).")
@click.option("--fail-on", type=FAIL_ON, default="breaking", show_default=True,
              help="Exit 1 when a change reaches this severity; 'none' never fails.")
@click.option("--policy", type=click.Path(dir_okay=False), default=None, help="Policy file (severity, ignore, opaque).")
@format_option(choices=("text", "github"))
@max_size_option()
@strict_option()
def diff_files_command(files: tuple[str, ...], base: str, fail_on: str, policy: str | None, fmt: str,
                       max_size: int = 64, strict: bool = False) -> int:
    """Compare each FILE with its version at --base (the pre-commit hook: against the last commit).

    A file that --base does not have yet is new: nothing to compare, it is skipped with a note.
    Exit 1 when a change in any file reaches --fail-on, 2 when a file cannot be read or parsed.
    """
    from ..api import DiffOptions  # start-up time: the differ loads only when a command runs
    from ..load.limits import MB, Limits  # start-up time: the differ loads only when a command runs

    if base.startswith("-"):
        raise InputError(base, "a git revision cannot start with '-'")
    pol = load_policy(policy)
    options = DiffOptions(strict=strict, limits=Limits(max_bytes=max_size * MB), **(pol.diff_fields() if pol else {}))
    top, has_base = _git_base(base)
    worst = 0
    for path in files:
        if not os.path.isfile(path):  # a typo is not a new file: nothing would ever be compared
            click.echo(f"apicompat: error: {one_line(path)}: no such file", err=True)
            worst = 2
            continue
        relative = os.path.relpath(path) if os.path.isabs(path) else path
        relative = relative if relative.startswith(("./", "../")) else f"./{relative}"
        real = os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(path))), os.path.basename(path))
        if os.path.relpath(real, top).startswith(".."):
            click.echo(f"apicompat: error: {one_line(path)}: outside the git repository at {one_line(top)}",
                       err=True)
            worst = 2
            continue
        known = subprocess.run(["git", "cat-file", "-e", f"{base}:{relative}"], capture_output=True, check=False)
        if not has_base or known.returncode != 0:
            click.echo(f"apicompat: {one_line(path)}: not in {one_line(base)} (a new file): nothing to compare")
            continue
        if fmt == "text":
            click.echo(f"== {one_line(path)} (against {one_line(base)})")
        try:
            code = _diff_and_emit(f"git:{base}:{relative}", path, options.limits, lambda: options, fmt, None,
                                  parse_fail_on(fail_on), pol)
        except InputError as exc:
            click.echo(f"apicompat: error: {one_line(str(exc))}", err=True)
            code = 2
        worst = max(worst, code)
    return worst


def _git_base(base: str) -> tuple[str, bool]:
    """The repository's top folder, and whether BASE names a commit (False only for HEAD before the first
    commit: every file is new). Not a repository, or a BASE git does not know, is an error (exit 2), never
    "every file is new", which would pass every check."""
    def git(*args: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, timeout=60, check=False)
        except FileNotFoundError:
            raise InputError(base, "git is not installed") from None
        except subprocess.TimeoutExpired:
            raise InputError(base, "git took longer than 60 s") from None

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise InputError(os.getcwd(), "not inside a git repository (diff-files reads each file's version with git)")
    if git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").returncode == 0:
        return top.stdout.strip(), True
    if base == "HEAD":
        return top.stdout.strip(), False
    raise InputError(f"--base {base}", "not a commit, branch or tag of this repository")


COMMANDS = [diff, gate, changelog, diff_files_command]
