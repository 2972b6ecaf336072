"""Recording runs as plain functions (the CLI's record, check and accept call these): record every case
of a plan, check a fresh recording against the baseline, accept it. Output files change only as a whole."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading

from ..atomic import write_atomic
from ..errors import InputError
from ..model import Failure
from .infer import infer_snapshot
from .mock_server import Routes, replay_transport
from ..load.limits import DEFAULT_LIMITS, MB, Limits
from .redact import Redactor
from .store import (DEFAULT_MAX_SIZE, JOURNAL_NAME, LAST_CHECK, Lock, commit, dump_schema, dump_snapshot, load_snapshot,
                    read_last_check, replace_dir, schema_path, snapshot_path, storable)
from .values import ValueRules
from .websocket import record_case as record_session
from .websocket import replay_from

GITIGNORE = ".last-check/\n.apicompat.lock\n.apicompat-stage/\n.apicompat-journal.json*\n"

# Answers that say the credentials (not the API) are wrong: one of them ends the run with exit status 2
# instead of becoming a "breaking" change per case. 429 counts only once the retries are spent.
AUTH_STATUSES = {401: "authentication failed", 403: "not authorised (forbidden)",
                 429: "rate-limited or out of quota after every retry"}


def baseline_statuses(baseline_dir: str | None, case: str, limits: Limits = DEFAULT_LIMITS) -> set:
    """The statuses the baseline recorded for `case`: a 401 it already has is what the case tests."""
    path = snapshot_path(baseline_dir, case) if baseline_dir else None
    if path is None or not os.path.isfile(path):
        return set()
    return {s.get("status") for s in load_snapshot(path, limits).get("samples", []) if isinstance(s, dict)}


def auth_error(plan, case, status: int, redactor: Redactor) -> InputError:
    """One line naming the case, its operation and the status, and where the credentials come from."""
    where = plan.credential_sources()
    hint = f"; check {where}" if where else "; the plan sends no credentials (auth:)"
    return InputError(f"case {case.name}", f"{AUTH_STATUSES[status]}: status {status} for "
                      f"{redactor.url(case.operation)}{hint}; nothing was written")


def plan_redactor(plan) -> Redactor:
    """A redactor for what the plan names: its `redact:` list and the `auth:` header and query names
    (credentials themselves are added once read)."""
    return Redactor(plan.redact + [plan.auth[k]["name"] for k in ("header", "query") if k in plan.auth])


def record_all(plan, out_snapshots: str, out_schemas: str, *, base_url, timeout, retries, max_retry_wait,
               max_response_mb, replay_dir: str | None = None, progress: bool = False,
               baseline_dir: str | None = None, max_size: int = DEFAULT_MAX_SIZE) -> tuple[dict, dict, dict]:
    """Record every case; write the good ones. Returns (snapshots, schemas, failures) by case name.
    A 401/403 (or a 429 after every retry) that the baseline (`baseline_dir`) did not record for the
    case stops the run with an InputError, before anything is written. `max_size` (MB, --max-size):
    the largest file read (the baseline) or written (a case whose file would be larger fails alone)."""
    from .client import CaseError, ClientOptions, Recorder  # start-up time: httpx loads only when cases are sent

    transport = routes = None
    limits = Limits(max_bytes=max_size * MB)
    api_key = None
    secrets: list[str] = []
    as_written = plan  # `${VAR}` still unread: what an auth error names
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise InputError("--base-url", f"{base_url!r} must start with http:// or https://")
    if replay_dir is not None:
        routes = Routes.from_dir(replay_dir, limits)
        transport = replay_transport(routes)
        base_url = "http://replay.invalid"
    else:  # credentials are read only when something is sent
        api_key = plan.api_key()
        plan, secrets = plan.credentials()
    redactor = plan_redactor(plan)
    for value in ([api_key] if api_key else []) + secrets:
        redactor.add_given(value)
    for name, value in plan.headers.items():
        if redactor.is_secret_name(name):
            redactor.add_given(value)
    for case in plan.cases:
        for name, value in case.headers.items():
            if redactor.is_secret_name(name):
                redactor.add_given(value)
        redactor.learn_query(case.path, case.query)  # `?api_key=...` in a path or `query:`
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
                denied = [s["status"] for s in snap.get("samples", []) if isinstance(s, dict)
                          and s.get("status") in (401, 403)]
            except CaseError as exc:
                known = baseline_statuses(baseline_dir, case.name, limits) if exc.status in AUTH_STATUSES else set()
                if exc.status in AUTH_STATUSES and exc.status not in known:
                    _end_progress(progress)
                    raise auth_error(as_written, case, exc.status, redactor) from None
                failures[case.name] = redactor.text(str(exc))
                continue
            known = baseline_statuses(baseline_dir, case.name, limits) if denied else set()
            unexpected = [status for status in denied if status not in known]
            if unexpected:
                _end_progress(progress)
                raise auth_error(as_written, case, unexpected[0], redactor)
            schema = infer_snapshot(snap)  # built from scrubbed samples
            try:
                files = stored_files(redactor, out_snapshots, out_schemas, case.name, snap, schema, limits)
            except InputError as exc:  # what check could not read back is never written
                where = f"{exc.place}: " if exc.place else ""
                failures[case.name] = redactor.text(f"cannot be stored: {where}{exc.message}")
                continue
            snapshots[case.name], schemas[case.name] = snap, schema
            pending += files
    # Written only once every case has run: an interrupted run (Ctrl-C, SIGTERM) changes nothing.
    commit_files(out_snapshots, pending)
    _end_progress(progress)
    return snapshots, schemas, failures


def _end_progress(progress: bool) -> None:
    if progress:
        sys.stderr.write("\r" + " " * 70 + "\r")


def stored_files(redactor, out_snapshots: str, out_schemas: str, name: str, snap: dict, schema: dict,
                 limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, bytes]]:
    """The case's two files as bytes, once read back through the baseline reader (what record writes,
    check reads) and searched for secrets in the data read back (redaction works on the data, before
    the dump: this is the last look). Raises InputError for the case alone."""
    out = []
    for path, dump, data in ((snapshot_path(out_snapshots, name), dump_snapshot, snap),
                             (schema_path(out_schemas, name), dump_schema, schema)):
        try:
            text = dump(data)
        except (ValueError, RecursionError) as exc:  # NaN or an infinity in the schema's JSON
            raise InputError(path, f"{exc}") from None
        back = storable(path, text, data, limits)
        leak = redactor.find_in(back)
        if leak:
            raise InputError(path, f"not written: a secret survived redaction at {leak}")
        out.append((path, text.encode("utf-8")))
    return out


def commit_files(snapshots_dir: str, files: list[tuple[str, bytes]], drop_last_check: bool = False) -> None:
    """The baseline changes as a whole (store.commit), with SIGINT and SIGTERM held back until it has:
    a signal then lands after the commit, never in the middle of it."""
    held = {signal.SIGINT, signal.SIGTERM}
    in_main = threading.current_thread() is threading.main_thread()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held) if in_main else None
    try:
        commit(snapshots_dir, files, drop_last_check)
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def write_gitignore(snapshots_dir: str) -> None:
    path = os.path.join(snapshots_dir, ".gitignore")
    if not os.path.exists(path):
        write_atomic(path, GITIGNORE)


def run_record(plan, snapshots_dir: str, schemas_dir: str, *, replay: bool = False, progress: bool = False,
               **client) -> tuple[dict, dict]:
    """`record`: every case into the baseline, under the lock. Returns (snapshots, failures)."""
    with Lock(snapshots_dir, schemas_dir):
        write_gitignore(snapshots_dir)
        snaps, _, failures = record_all(plan, snapshots_dir, schemas_dir, progress=progress,
                                        replay_dir=snapshots_dir if replay else None,
                                        baseline_dir=snapshots_dir, **client)
    return snaps, failures


def missing_baselines(plan, snapshots_dir: str) -> list[str]:
    """The plan's cases with no baseline snapshot in `snapshots_dir`."""
    return [case.name for case in plan.cases if not os.path.isfile(snapshot_path(snapshots_dir, case.name))]


def run_check(plan, snapshots_dir: str, schemas_dir: str, *, progress: bool = False,
              allow_new_cases: bool = False, **client):
    """`check`: record afresh into SNAPSHOTS/.last-check/ and compare with the baseline, which is never
    written. Returns (report, failures). A case without a baseline (a first run, a wrong --snapshots)
    is an InputError before anything is sent, unless `allow_new_cases`."""
    from .check import compare  # start-up time: the differ loads only for `check`, not `record`/`accept`

    def refuse_missing() -> None:
        missing = missing_baselines(plan, snapshots_dir)
        if missing and not allow_new_cases:
            what = ("no baseline snapshots at all" if len(missing) == len(plan.cases)
                    else f"no baseline snapshot for case(s) {', '.join(missing[:5])}"
                    + (" ..." if len(missing) > 5 else ""))
            raise InputError(snapshots_dir, f"{what}: run `apicompat record` first, check --snapshots, or pass "
                             "--allow-new-cases to report them as new")

    if not os.path.lexists(os.path.join(snapshots_dir, JOURNAL_NAME)):
        refuse_missing()  # before anything is created (a wrong --snapshots)
    with Lock(snapshots_dir, schemas_dir):
        refuse_missing()  # again, once the lock has finished a commit a killed run left
        write_gitignore(snapshots_dir)
        tmp = tempfile.mkdtemp(prefix=".last-check-", dir=snapshots_dir)
        try:
            fresh_snaps_dir, fresh_schemas_dir = os.path.join(tmp, "snapshots"), os.path.join(tmp, "schemas")
            snaps, schemas, failures = record_all(plan, fresh_snaps_dir, fresh_schemas_dir, progress=progress,
                                                  baseline_dir=snapshots_dir, **client)
            values = {c.name: ValueRules(volatile=(*plan.volatile, *c.volatile), pins=(*plan.pins, *c.pins))
                      for c in plan.cases}
            report = compare(snaps, schemas, snapshots_dir, schemas_dir, values,
                             Limits(max_bytes=client.get("max_size", DEFAULT_MAX_SIZE) * MB))
            operations = {c.name: plan_redactor(plan).url(c.operation) for c in plan.cases}
            report.failures = [Failure(name, operations[name], message) for name, message in failures.items()]
            replace_dir(tmp, os.path.join(snapshots_dir, LAST_CHECK))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return report, failures


def run_accept(snapshots_dir: str, schemas_dir: str, max_size: int = DEFAULT_MAX_SIZE) -> int:
    """`accept`: the last check's recording becomes the baseline, all of it or none, with
    `.last-check/` removed in the same commit. Only regular files check wrote are taken
    (store.read_last_check), each at most `max_size` MB (--max-size, as for record and check).
    Returns the number of cases accepted."""
    if not any(os.path.lexists(os.path.join(snapshots_dir, n)) for n in (LAST_CHECK, JOURNAL_NAME)):
        raise InputError(os.path.join(snapshots_dir, LAST_CHECK), "no recording to accept; run `apicompat check` first")
    with Lock(snapshots_dir, schemas_dir):
        # Read everything first (an interruption here changes nothing), then commit it all at once.
        found = read_last_check(snapshots_dir, Limits(max_bytes=max_size * MB))
        files = [(os.path.join(snapshots_dir if kind == "snapshots" else schemas_dir, name), data)
                 for kind, name, data in found]
        commit_files(snapshots_dir, files, drop_last_check=True)  # accepted and removed, or neither
    return sum(kind == "snapshots" for kind, _, _ in found)
