"""Click commands of the recorder: record, check, accept, mock-server, conform.

Exit status (all of them): 0 fine; 1 a case failed to record (one `apicompat: case NAME: ...` line
each on stderr; the other cases still run and a failed case never overwrites its snapshot) or, for
check/conform, a change reaches --fail-on; 2 bad input (plan, snapshot, spec) or another run holds
the lock.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

import click

from ..errors import InputError
from ..report.options import report_options

GITIGNORE = ".last-check/\n.apicompat.lock\n"


def _common(f):
    options = [
        click.option("--plan", "plan_path", default="apicompat.yaml", show_default=True,
                     type=click.Path(dir_okay=False), help="The plan file."),
        click.option("--snapshots", "snapshots_dir", default="snapshots", show_default=True,
                     type=click.Path(file_okay=False), help="Baseline snapshot directory."),
        click.option("--schemas", "schemas_dir", default="schemas", show_default=True,
                     type=click.Path(file_okay=False), help="Directory of inferred schemas (<case>.json)."),
        click.option("--base-url", default=None, help="Send to this base URL instead of the plan's."),
        click.option("--timeout", type=click.FloatRange(0.1, 3600), default=60, show_default=True,
                     help="Seconds per request: for each read and for the whole response."),
        click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True,
                     help="Retries of 429 and 5xx answers and of connection errors."),
        click.option("--max-retry-wait", type=click.FloatRange(0, 3600), default=30, show_default=True,
                     help="Longest wait before one retry, whatever retry-after / x-ratelimit-reset-* ask."),
        click.option("--max-response-mb", type=click.IntRange(1, 4096), default=16, show_default=True,
                     help="Largest response body."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _progress_enabled() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def _record_all(plan, out_snapshots: str, out_schemas: str, *, base_url, timeout, retries, max_retry_wait,
                max_response_mb, replay_dir: str | None = None) -> tuple[dict, dict, dict]:
    """Record every case; write the good ones. Returns (snapshots, schemas, failures) by case name."""
    from ..infer import infer_snapshot
    from .client import CaseError, ClientOptions, Recorder
    from .mock_server import Routes, replay_transport
    from .redact import Redactor
    from .store import dump_schema, dump_snapshot, schema_path, snapshot_path

    transport = None
    api_key = None
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise InputError("--base-url", f"{base_url!r} must start with http:// or https://")
    if replay_dir is not None:
        transport = replay_transport(Routes.from_dir(replay_dir))
        base_url = "http://replay.invalid"
    else:
        api_key = plan.api_key()
    redactor = Redactor(plan.redact, [api_key] if api_key else [])
    for name, value in plan.headers.items():
        if redactor.is_secret_name(name):
            redactor.add_value(value)
    for case in plan.cases:
        for name, value in case.headers.items():
            if redactor.is_secret_name(name):
                redactor.add_value(value)
    options = ClientOptions(timeout=timeout, retries=retries, max_retry_wait=max_retry_wait,
                            max_response_bytes=max_response_mb * 1024 * 1024)
    progress = _progress_enabled()
    snapshots, schemas, failures = {}, {}, {}
    pending: list[tuple[str, str]] = []
    with Recorder(plan, api_key, redactor, options, transport=transport, base_url=base_url) as rec:
        for n, case in enumerate(plan.cases, 1):
            if progress:
                sys.stderr.write(f"\rapicompat: recording {n}/{len(plan.cases)} {case.name:<40.40}")
                sys.stderr.flush()
            try:
                snap = rec.record_case(case)
            except CaseError as exc:
                failures[case.name] = redactor.text(str(exc))
                continue
            schema = infer_snapshot(snap)  # built from scrubbed samples; the dump is scrubbed again
            snapshots[case.name], schemas[case.name] = snap, schema
            pending.append((snapshot_path(out_snapshots, case.name), redactor.text(dump_snapshot(snap))))
            pending.append((schema_path(out_schemas, case.name), redactor.text(dump_schema(schema))))
    # Written only once every case has run: an interrupted run (Ctrl-C, SIGTERM) changes nothing.
    commit_files(pending)
    if progress:
        sys.stderr.write("\r" + " " * 70 + "\r")
    for name, message in failures.items():
        click.echo(f"apicompat: case {name}: {message}", err=True)
    return snapshots, schemas, failures


def commit_files(files: list[tuple[str, str]], then=None) -> None:
    """Write (path, text) pairs atomically each, with SIGINT and SIGTERM held back until all are
    written: a signal then lands after the commit, never in the middle of it."""
    import signal
    import threading

    from ..atomic import write_atomic

    held = {signal.SIGINT, signal.SIGTERM}
    in_main = threading.current_thread() is threading.main_thread()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held) if in_main else None
    try:
        for path, text in files:
            write_atomic(path, text)
        if then is not None:
            then()
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _gitignore(snapshots_dir: str) -> None:
    from ..atomic import write_atomic

    path = os.path.join(snapshots_dir, ".gitignore")
    if not os.path.exists(path):
        write_atomic(path, GITIGNORE)


@click.command()
@_common
@click.option("--replay", is_flag=True, help="Answer from the existing snapshots, with no network.")
def record(plan_path, snapshots_dir, schemas_dir, base_url, timeout, retries, max_retry_wait,
           max_response_mb, replay) -> int:
    """Record every case of the plan into SNAPSHOTS/<case>.yaml and infer SCHEMAS/<case>.json.

    Exit 1 when a case failed (one error line per case on stderr; its old snapshot is kept and the
    other cases still run), 2 for a bad plan or a concurrent run.
    """
    from .plan import load_plan
    from .store import Lock

    plan = load_plan(plan_path)
    with Lock(snapshots_dir):
        _gitignore(snapshots_dir)
        snaps, _, failures = _record_all(
            plan, snapshots_dir, schemas_dir, base_url=base_url, timeout=timeout, retries=retries,
            max_retry_wait=max_retry_wait, max_response_mb=max_response_mb,
            replay_dir=snapshots_dir if replay else None)
    click.echo(f"recorded {len(snaps)} of {len(plan.cases)} case(s) into {snapshots_dir}/ and {schemas_dir}/")
    return 1 if failures else 0


@click.command()
@_common
@report_options(policy_help="Policy file (severity, ignore); default: the plan's `policy:` key.")
def check(plan_path, snapshots_dir, schemas_dir, base_url, timeout, retries, max_retry_wait,
          max_response_mb, fmt, output, fail_on, policy) -> int:
    """Record afresh and report what changed against the baseline.

    The fresh recording goes to SNAPSHOTS/.last-check/ (git-ignored; `apicompat accept` promotes
    it); the baseline is never written. Exit 1 when a change reaches --fail-on or a case failed to
    record (one error line per case on stderr), 2 for bad input or a concurrent run.
    """
    from ..check import compare
    from ..cli import parse_fail_on
    from ..output import emit, plan_policy
    from .plan import load_plan
    from .store import LAST_CHECK, Lock, replace_dir

    plan = load_plan(plan_path)
    pol = plan_policy(policy, plan)
    with Lock(snapshots_dir):
        _gitignore(snapshots_dir)
        tmp = tempfile.mkdtemp(prefix=".last-check-", dir=snapshots_dir)
        try:
            fresh_snaps_dir, fresh_schemas_dir = os.path.join(tmp, "snapshots"), os.path.join(tmp, "schemas")
            snaps, schemas, failures = _record_all(
                plan, fresh_snaps_dir, fresh_schemas_dir, base_url=base_url, timeout=timeout, retries=retries,
                max_retry_wait=max_retry_wait, max_response_mb=max_response_mb)
            report = compare(snaps, schemas, snapshots_dir, schemas_dir)
            replace_dir(tmp, os.path.join(snapshots_dir, LAST_CHECK))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    code = emit(report, fmt, output, parse_fail_on(fail_on), pol)
    return 1 if failures else code


@click.command()
@click.option("--snapshots", "snapshots_dir", default="snapshots", show_default=True,
              type=click.Path(file_okay=False), help="Baseline snapshot directory.")
@click.option("--schemas", "schemas_dir", default="schemas", show_default=True,
              type=click.Path(file_okay=False), help="Directory of inferred schemas.")
def accept(snapshots_dir, schemas_dir) -> int:
    """Make the last check's recording (SNAPSHOTS/.last-check/) the baseline."""
    from .store import LAST_CHECK, Lock

    last = os.path.join(snapshots_dir, LAST_CHECK)
    if not os.path.isdir(last):
        raise InputError(last, "no recording to accept; run `apicompat check` first")
    with Lock(snapshots_dir):
        # Read everything first (an interruption here changes nothing), then write it all at once.
        files: list[tuple[str, str]] = []
        moved = 0
        for sub, dest in (("snapshots", snapshots_dir), ("schemas", schemas_dir)):
            src = os.path.join(last, sub)
            if not os.path.isdir(src):
                continue
            for name in sorted(os.listdir(src)):
                path = os.path.join(src, name)
                try:
                    with open(path, encoding="utf-8") as fh:
                        files.append((os.path.join(dest, name), fh.read()))
                except (OSError, UnicodeDecodeError) as exc:
                    raise InputError(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
                moved += sub == "snapshots"
        commit_files(files, then=lambda: shutil.rmtree(last))  # accepted and removed, or neither
    click.echo(f"accepted {moved} case(s) into {snapshots_dir}/ and {schemas_dir}/")
    return 0


@click.command("mock-server")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port.")
@click.option("--data", "data_dir", default="snapshots", show_default=True, type=click.Path(file_okay=False),
              help="Directory of snapshot files to serve.")
def mock_server(port, data_dir) -> int:
    """Serve snapshot files as an OpenAI-like API on 127.0.0.1 (JSON and chunked SSE)."""
    from .mock_server import Routes, make_server

    routes = Routes.from_dir(data_dir)
    if not len(routes):
        raise InputError(data_dir, "no snapshot files (*.yaml) to serve")
    server = make_server(routes, port)
    host, real_port = server.server_address[:2]
    click.echo(f"http://{host}:{real_port}")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


@click.command()
@click.option("--spec", required=True, help="The OpenAPI document (file, '-' or git:REV:PATH).")
@click.option("--snapshots", "snapshots_dir", default="snapshots", show_default=True,
              type=click.Path(file_okay=False), help="Directory of recorded snapshots.")
@click.option("--plan", "plan_path", default="apicompat.yaml", show_default=True,
              type=click.Path(dir_okay=False), help="The plan file, read (when it exists) for its `policy:` key.")
@report_options(policy_help="Policy file (severity, ignore); default: the plan's `policy:` key.")
def conform(spec, snapshots_dir, plan_path, fmt, output, fail_on, policy) -> int:
    """Validate the recorded responses in SNAPSHOTS against the response schemas of SPEC.

    Schema violations are breaking, undocumented properties and event types additive, and
    recordings of undocumented operations, statuses or media types warnings. Exit 1 when a finding
    reaches --fail-on, 2 for bad input.
    """
    from ..cli import parse_fail_on
    from ..conform import conform as run_conform
    from ..deep import run_deep
    from ..load import load_document
    from ..output import emit, plan_policy
    from .plan import load_plan

    plan = load_plan(plan_path) if os.path.isfile(plan_path) else None
    pol = plan_policy(policy, plan)
    doc = load_document(spec)
    from ..openapi import is_openapi
    from ..openapi.shape import check_shape

    if is_openapi(doc.data):
        check_shape(doc.data, spec)  # a wrong-shaped skeleton is one clear error, not a crash
    report = run_deep(lambda: run_conform(doc, snapshots_dir))
    return emit(report, fmt, output, parse_fail_on(fail_on), pol)


def record_commands() -> list:
    return [record, check, accept, mock_server, conform]
