"""Recording runs as plain functions (the CLI's record, check and accept call these): record every case
of a plan, check a fresh recording against the baseline, accept it. Output files change only as a whole."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from ..errors import InputError

GITIGNORE = ".last-check/\n.apicompat.lock\n"


def record_all(plan, out_snapshots: str, out_schemas: str, *, base_url, timeout, retries, max_retry_wait,
               max_response_mb, replay_dir: str | None = None, progress: bool = False
               ) -> tuple[dict, dict, dict]:
    """Record every case; write the good ones. Returns (snapshots, schemas, failures) by case name."""
    from .client import CaseError, ClientOptions, Recorder
    from .infer import infer_snapshot
    from .mock_server import Routes, replay_transport
    from .redact import Redactor
    from .store import dump_schema, dump_snapshot, schema_path, snapshot_path
    from .websocket import record_case as record_session
    from .websocket import replay_from

    transport = routes = None
    api_key = None
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise InputError("--base-url", f"{base_url!r} must start with http:// or https://")
    if replay_dir is not None:
        routes = Routes.from_dir(replay_dir)
        transport = replay_transport(routes)
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
    snapshots, schemas, failures = {}, {}, {}
    pending: list[tuple[str, str]] = []
    with Recorder(plan, api_key, redactor, options, transport=transport, base_url=base_url) as rec:
        for n, case in enumerate(plan.cases, 1):
            if progress:
                sys.stderr.write(f"\rapicompat: recording {n}/{len(plan.cases)} {case.name:<40.40}")
                sys.stderr.flush()
            try:
                snap = (record_session(rec, case, replay_from(routes)) if case.websocket
                        else rec.record_case(case))
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


def write_gitignore(snapshots_dir: str) -> None:
    from ..atomic import write_atomic

    path = os.path.join(snapshots_dir, ".gitignore")
    if not os.path.exists(path):
        write_atomic(path, GITIGNORE)


def run_record(plan, snapshots_dir: str, schemas_dir: str, *, replay: bool = False, progress: bool = False,
               **client) -> tuple[dict, dict]:
    """`record`: every case into the baseline, under the lock. Returns (snapshots, failures)."""
    from .store import Lock

    with Lock(snapshots_dir):
        write_gitignore(snapshots_dir)
        snaps, _, failures = record_all(plan, snapshots_dir, schemas_dir, progress=progress,
                                        replay_dir=snapshots_dir if replay else None, **client)
    return snaps, failures


def run_check(plan, snapshots_dir: str, schemas_dir: str, *, progress: bool = False, **client):
    """`check`: record afresh into SNAPSHOTS/.last-check/ and compare with the baseline, which is never
    written. Returns (report, failures)."""
    from .check import compare
    from .store import LAST_CHECK, Lock, replace_dir

    with Lock(snapshots_dir):
        write_gitignore(snapshots_dir)
        tmp = tempfile.mkdtemp(prefix=".last-check-", dir=snapshots_dir)
        try:
            fresh_snaps_dir, fresh_schemas_dir = os.path.join(tmp, "snapshots"), os.path.join(tmp, "schemas")
            snaps, schemas, failures = record_all(plan, fresh_snaps_dir, fresh_schemas_dir, progress=progress,
                                                  **client)
            report = compare(snaps, schemas, snapshots_dir, schemas_dir)
            replace_dir(tmp, os.path.join(snapshots_dir, LAST_CHECK))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return report, failures


def run_accept(snapshots_dir: str, schemas_dir: str) -> int:
    """`accept`: the last check's recording becomes the baseline, all of it or none. Returns the number
    of cases accepted."""
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
    return moved
