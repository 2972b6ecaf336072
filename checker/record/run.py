"""Recording runs as plain functions (the CLI's record, check and accept call these): record every case
of a plan, check a fresh recording against the baseline, accept it. Output files change only as a whole."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from ..errors import InputError

GITIGNORE = ".last-check/\n.apicompat.lock\n.apicompat-stage/\n.apicompat-journal.json*\n"


def record_all(plan, out_snapshots: str, out_schemas: str, *, base_url, timeout, retries, max_retry_wait,
               max_response_mb, replay_dir: str | None = None, progress: bool = False
               ) -> tuple[dict, dict, dict]:
    """Record every case; write the good ones. Returns (snapshots, schemas, failures) by case name."""
    from .client import CaseError, ClientOptions, Recorder
    from .infer import infer_snapshot
    from .mock_server import Routes, replay_transport
    from .redact import Redactor
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
            redactor.add_given(value)
    for case in plan.cases:
        for name, value in case.headers.items():
            if redactor.is_secret_name(name):
                redactor.add_given(value)
    options = ClientOptions(timeout=timeout, retries=retries, max_retry_wait=max_retry_wait,
                            max_response_bytes=max_response_mb * 1024 * 1024)
    snapshots, schemas, failures = {}, {}, {}
    pending: list[tuple[str, bytes]] = []
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
            schema = infer_snapshot(snap)  # built from scrubbed samples
            try:
                files = stored_files(redactor, out_snapshots, out_schemas, case.name, snap, schema)
            except InputError as exc:  # what check could not read back is never written
                where = f"{exc.place}: " if exc.place else ""
                failures[case.name] = redactor.text(f"cannot be stored: {where}{exc.message}")
                continue
            snapshots[case.name], schemas[case.name] = snap, schema
            pending += files
    # Written only once every case has run: an interrupted run (Ctrl-C, SIGTERM) changes nothing.
    commit_files(out_snapshots, pending)
    if progress:
        sys.stderr.write("\r" + " " * 70 + "\r")
    return snapshots, schemas, failures


def stored_files(redactor, out_snapshots: str, out_schemas: str, name: str, snap: dict, schema: dict
                 ) -> list[tuple[str, bytes]]:
    """The case's two files as bytes, once read back through the baseline reader (what record writes,
    check reads) and searched for secrets in the data read back (redaction works on the data, before
    the dump: this is the last look). Raises InputError for the case alone."""
    from .store import dump_schema, dump_snapshot, schema_path, snapshot_path, storable

    out = []
    for path, dump, data in ((snapshot_path(out_snapshots, name), dump_snapshot, snap),
                             (schema_path(out_schemas, name), dump_schema, schema)):
        try:
            text = dump(data)
        except (ValueError, RecursionError) as exc:  # NaN or an infinity in the schema's JSON
            raise InputError(path, f"{exc}") from None
        back = storable(path, text, data)
        leak = redactor.find_in(back)
        if leak:
            raise InputError(path, f"not written: a secret survived redaction at {leak}")
        out.append((path, text.encode("utf-8")))
    return out


def commit_files(snapshots_dir: str, files: list[tuple[str, bytes]], drop_last_check: bool = False) -> None:
    """The baseline changes as a whole (store.commit), with SIGINT and SIGTERM held back until it has:
    a signal then lands after the commit, never in the middle of it."""
    import signal
    import threading

    from .store import commit

    held = {signal.SIGINT, signal.SIGTERM}
    in_main = threading.current_thread() is threading.main_thread()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held) if in_main else None
    try:
        commit(snapshots_dir, files, drop_last_check)
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

    with Lock(snapshots_dir, schemas_dir):
        write_gitignore(snapshots_dir)
        snaps, _, failures = record_all(plan, snapshots_dir, schemas_dir, progress=progress,
                                        replay_dir=snapshots_dir if replay else None, **client)
    return snaps, failures


def run_check(plan, snapshots_dir: str, schemas_dir: str, *, progress: bool = False, **client):
    """`check`: record afresh into SNAPSHOTS/.last-check/ and compare with the baseline, which is never
    written. Returns (report, failures)."""
    from .check import compare
    from .store import LAST_CHECK, Lock, replace_dir

    with Lock(snapshots_dir, schemas_dir):
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
    """`accept`: the last check's recording becomes the baseline, all of it or none, with
    `.last-check/` removed in the same commit. Only regular files check wrote are taken
    (store.read_last_check). Returns the number of cases accepted."""
    from .store import JOURNAL_NAME, LAST_CHECK, Lock, read_last_check

    if not any(os.path.lexists(os.path.join(snapshots_dir, n)) for n in (LAST_CHECK, JOURNAL_NAME)):
        raise InputError(os.path.join(snapshots_dir, LAST_CHECK), "no recording to accept; run `apicompat check` first")
    with Lock(snapshots_dir, schemas_dir):
        # Read everything first (an interruption here changes nothing), then commit it all at once.
        found = read_last_check(snapshots_dir)
        files = [(os.path.join(snapshots_dir if kind == "snapshots" else schemas_dir, name), data)
                 for kind, name, data in found]
        commit_files(snapshots_dir, files, drop_last_check=True)  # accepted and removed, or neither
    return sum(kind == "snapshots" for kind, _, _ in found)
