"""Commands on recorded traffic: record, check, accept, mock-server, conform (the work: record/run.py).

Exit status (all of them): 0 fine; 1 a case failed to record (one `apicompat: case NAME: ...` line
each on stderr; the other cases still run and a failed case never overwrites its snapshot) or, for
check/conform, a change reaches --fail-on; 2 bad input (plan, snapshot, spec), another run holds
the lock, the API refused the credentials (401, 403, or 429 after every retry, where the baseline
did not record that status), or (check) a case has no baseline and --allow-new-cases is not given.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace

import click

from ..errors import InputError
from .options import max_size_option, one_line, parse_fail_on, report_options
from .output import emit, plan_policy
from .progress import progress_enabled


# As diff's and gate's --max-size: the largest baseline file read, written (record, check) or accepted.
_max_size = max_size_option("Largest snapshot or schema file read, written or accepted, in MB.")


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
                     help="Seconds per request: for each read and for the whole response (a WebSocket "
                          "session: the whole session, unless its case sets timeout:)."),
        click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True,
                     help="Retries of 429 and 5xx answers and of connection errors."),
        click.option("--max-retry-wait", type=click.FloatRange(0, 3600), default=30, show_default=True,
                     help="Longest wait before one retry, whatever retry-after / x-ratelimit-reset-* ask."),
        click.option("--max-response-mb", type=click.IntRange(1, 4096), default=16, show_default=True,
                     help="Largest response body (a WebSocket session: one message, and all together)."),
        _max_size,
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _client(base_url, timeout, retries, max_retry_wait, max_response_mb, max_size) -> dict:
    return dict(base_url=base_url, timeout=timeout, retries=retries, max_retry_wait=max_retry_wait,
                max_response_mb=max_response_mb, max_size=max_size)


def _report_failures(failures: dict) -> None:
    for name, message in failures.items():
        click.echo(f"apicompat: case {one_line(str(name))}: {one_line(str(message))}", err=True)


@click.command()
@_common
@click.option("--replay", is_flag=True, help="Answer from the existing snapshots, with no network.")
def record(plan_path, snapshots_dir, schemas_dir, base_url, timeout, retries, max_retry_wait,
           max_response_mb, max_size, replay) -> int:
    """Record every case of the plan into SNAPSHOTS/<case>.yaml and infer SCHEMAS/<case>.json.

    Exit 1 when a case failed (one error line per case on stderr; its old snapshot is kept and the
    other cases still run), 2 for a bad plan or a concurrent run.
    """
    from ..record.plan import load_plan  # start-up time: the recorder loads only when it runs
    from ..record.run import run_record  # start-up time: the recorder loads only when it runs

    plan = load_plan(plan_path)
    snaps, failures = run_record(plan, snapshots_dir, schemas_dir, replay=replay, progress=progress_enabled(),
                                 **_client(base_url, timeout, retries, max_retry_wait, max_response_mb, max_size))
    _report_failures(failures)
    for name, snap in snaps.items():  # a wrong path or --base-url records a 404 page as the baseline
        statuses = sorted({s.get("status") for s in snap.get("samples", []) if isinstance(s, dict)}, key=str)
        if statuses and all(isinstance(status, int) and status >= 400 for status in statuses):
            click.echo(f"apicompat: note: case {one_line(str(name))}: every answer was an error (status "
                       f"{', '.join(map(str, statuses))}), recorded as its baseline; unless the case tests an "
                       "error, check its path and the base URL", err=True)
    click.echo(f"recorded {len(snaps)} of {len(plan.cases)} case(s) into {snapshots_dir}/ and {schemas_dir}/")
    return 1 if failures else 0


@click.command()
@_common
@click.option("--allow-new-cases", is_flag=True,
              help="Report a case without a baseline snapshot as new (info) instead of failing with "
                   "exit status 2 (a first run, or a wrong --snapshots).")
@report_options(policy_help="Policy file (severity, ignore); default: the plan's `policy:` key.")
def check(plan_path, snapshots_dir, schemas_dir, base_url, timeout, retries, max_retry_wait,
          max_response_mb, max_size, allow_new_cases, fmt, output, fail_on, policy, full_report) -> int:
    """Record afresh and report what changed against the baseline.

    The fresh recording goes to SNAPSHOTS/.last-check/ (git-ignored; `apicompat accept` promotes
    it); the baseline is never written. Exit 1 when a change reaches --fail-on or a case failed to
    record (one error line per case on stderr), 2 for bad input or a concurrent run.
    """
    from ..record.plan import load_plan  # start-up time: the recorder loads only when it runs
    from ..record.run import run_check  # start-up time: the recorder loads only when it runs

    plan = load_plan(plan_path)
    pol = plan_policy(policy, plan)
    report, failures = run_check(plan, snapshots_dir, schemas_dir, progress=progress_enabled(),
                                 allow_new_cases=allow_new_cases,
                                 **_client(base_url, timeout, retries, max_retry_wait, max_response_mb, max_size))
    _report_failures(failures)
    code = emit(report, fmt, output, parse_fail_on(fail_on), pol, full_report)
    return 1 if failures else code


@click.command()
@click.option("--snapshots", "snapshots_dir", default="snapshots", show_default=True,
              type=click.Path(file_okay=False), help="Baseline snapshot directory.")
@click.option("--schemas", "schemas_dir", default="schemas", show_default=True,
              type=click.Path(file_okay=False), help="Directory of inferred schemas.")
@_max_size
def accept(snapshots_dir, schemas_dir, max_size) -> int:
    """Make the last check's recording (SNAPSHOTS/.last-check/) the baseline."""
    from ..record.run import run_accept  # start-up time: the recorder loads only when it runs

    moved = run_accept(snapshots_dir, schemas_dir, max_size)
    click.echo(f"accepted {moved} case(s) into {snapshots_dir}/ and {schemas_dir}/")
    return 0


@click.command("mock-server")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port.")
@click.option("--data", "data_dir", default="snapshots", show_default=True, type=click.Path(file_okay=False),
              help="Directory of snapshot files to serve.")
@click.option("--idle-timeout", type=click.FloatRange(0.1, 3600), default=30.0, show_default=True,
              help="Seconds a connection may wait for its next request (or the rest of one).")
def mock_server(port, data_dir, idle_timeout) -> int:
    """Serve snapshot files as an OpenAI-like API on 127.0.0.1 (JSON, chunked SSE, and WebSocket
    sessions on the same port)."""
    from ..record.mock_server import Routes, make_server  # start-up time: the mock server loads only when it runs

    routes = Routes.from_dir(data_dir)
    if not len(routes):
        raise InputError(data_dir, "no snapshot files (*.yaml) to serve")
    server = make_server(routes, port, idle_timeout=idle_timeout)
    host, real_port = server.server_address[:2]
    click.echo(f"http://{host!s}:{real_port}")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


@click.command()
@click.option("--spec", required=True, help="The OpenAPI or AsyncAPI document (file, '-' or git:REV:PATH).")
@click.option("--snapshots", "snapshots_dir", default="snapshots", show_default=True,
              type=click.Path(file_okay=False), help="Directory of recorded snapshots.")
@click.option("--plan", "plan_path", default="apicompat.yaml", show_default=True,
              type=click.Path(dir_okay=False), help="The plan file, read (when it exists) for its `policy:` key.")
@report_options(policy_help="Policy file (severity, ignore); default: the plan's `policy:` key.")
@max_size_option("Largest spec file, in MB.")
def conform(spec, snapshots_dir, plan_path, fmt, output, fail_on, policy, full_report, max_size: int = 64) -> int:
    """Validate the recorded responses in SNAPSHOTS against the response schemas of SPEC, and
    recorded WebSocket sessions against its server event catalogue (or AsyncAPI channel).

    Schema violations are breaking, undocumented properties and event types additive, and
    recordings of undocumented operations, statuses or media types warnings. Exit 1 when a finding
    reaches --fail-on, 2 for bad input.
    """
    from ..api import source_document  # start-up time: the loader and the differ load only when a command runs
    from ..deep import run_deep  # start-up time: the loader and the differ load only when a command runs
    from ..load import load_document  # start-up time: the loader and the differ load only when a command runs
    from ..load.limits import MB, Limits  # start-up time: the loader loads only when a command runs
    from ..openapi import is_openapi  # start-up time: the loader and the differ load only when a command runs
    from ..openapi.shape import check_shape  # start-up time: the loader and the differ load only when a command runs
    from ..record.conform import conform as run_conform  # start-up time: jsonschema loads only for conform
    from ..record.plan import load_plan  # start-up time: the recorder loads only when it runs

    plan = load_plan(plan_path) if os.path.isfile(plan_path) else None
    pol = plan_policy(policy, plan)
    doc = load_document(spec, Limits(max_bytes=max_size * MB))
    if is_openapi(doc.data):
        check_shape(doc.data, spec)  # a wrong-shaped skeleton is one clear error, not a crash
    report = run_deep(lambda: run_conform(doc, snapshots_dir))
    report = replace(report, new_document=source_document(doc))  # findings point into the spec: its lines
    return emit(report, fmt, output, parse_fail_on(fail_on), pol, full_report)


COMMANDS = [record, check, accept, mock_server, conform]
