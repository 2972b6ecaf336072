"""Snapshot and schema files: YAML/JSON with a stable layout, one lock per snapshot directory so two
runs cannot interleave, and the baseline changed as a whole or not at all.

A commit (record, accept) writes every new file into a `.apicompat-stage/` folder beside its target
(fsync'd), then writes the journal `SNAPSHOTS/.apicompat-journal.json` (atomically: the commit point),
then renames each staged file over its target and removes the journal. A run killed before the
journal leaves the old baseline (the next run removes the staged files); killed after it, the next
run (any record/check/accept, under the lock) finishes the renames from the journal. Either way the
baseline seen by the next run is the old one or the new one, byte for byte.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import math
import os
import re
import shutil
import stat
from typing import Any

import yaml

from ..errors import InputError
from ..jsonschemas import validate
from ..load.documents import decode, parse_text, read_source
from ..load.limits import DEFAULT_LIMITS, MB, Limits

LOCK_NAME = ".apicompat.lock"
LAST_CHECK = ".last-check"
JOURNAL_NAME = ".apicompat-journal.json"
STAGE_NAME = ".apicompat-stage"
TEMP_PREFIX = ".apicompat-"  # write_atomic's temp files: `.apicompat-XXXX.tmp`
# A baseline file name: a case name (plan.SAFE_NAME) and its suffix; nothing else is moved or accepted.
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(yaml|json)")
MAX_FILE_BYTES = DEFAULT_LIMITS.max_bytes  # the journal; a baseline file: --max-size (record, check, accept)
DEFAULT_MAX_SIZE = DEFAULT_LIMITS.max_bytes // MB  # --max-size's default (MB), as for diff and gate
MAX_SIZE_MB = 4096  # the largest --max-size, as for diff and gate: bounds a staged file hashed in recovery


class _Dumper(yaml.SafeDumper):
    pass


# Line breaks in YAML 1.1 (PyYAML writes them raw) but not in YAML 1.2 (yaml-rs reads them as text, with
# the indentation that follows): strings holding one are written double-quoted, as \N, \L, \P.
_BREAKS_1_1 = ("\x85", "\u2028", "\u2029")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None
    if any(c in value for c in _BREAKS_1_1):
        style = '"'
    else:
        style = "|" if "\n" in value and len(value) > 40 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_snapshot(snapshot: dict) -> str:
    """Keys keep the order the recorder built (and the order the server sent): stable and reviewable."""
    return yaml.dump(snapshot, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def dump_schema(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def storable(path: str, text: str, data: object = None, limits: Limits = DEFAULT_LIMITS) -> object:
    """What `check` will read back from `text` written at `path`, through the same reader with the same
    `limits` (--max-size); raises InputError (naming why) when the reader would refuse it (size, lone
    surrogates, NaN and infinities, integers past the reader's digits, depth) or, given the `data`
    dumped, read back something else. So a value the reader refuses or changes is never written."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(path, f"cannot be stored: a lone surrogate ({text[exc.start]!r}) is not UTF-8") from None
    if len(raw) > limits.max_bytes:
        raise InputError(path, f"the file would be {len(raw) / MB:.1f} MB, larger than the {limits.max_bytes // MB} "
                         "MB limit (raise it with --max-size MB)")
    back = parse_text(path, decode(path, raw), limits)
    if data is not None:
        where = first_difference(data, back)
        if where is not None:
            raise InputError(path, "would read back differently from what was recorded", where)
    return back


def first_difference(a: object, b: object, where: str = "#") -> str | None:
    """The first place where two JSON-like values differ (type included: 1 is not True), or None."""
    stack: list[tuple[Any, Any, str]] = [(a, b, where)]
    while stack:
        x, y, here = stack.pop()
        if type(x) is not type(y) and not (isinstance(x, (int, float)) and isinstance(y, (int, float))
                                           and not isinstance(x, bool) and not isinstance(y, bool)):
            return here
        if isinstance(x, dict):
            if list(x) != list(y):
                return here
            stack.extend((x[k], y[k], f"{here}/{k}") for k in x)
        elif isinstance(x, list):
            if len(x) != len(y):
                return here
            stack.extend((u, v, f"{here}/{i}") for i, (u, v) in enumerate(zip(x, y)))
        elif x != y:
            return here
    return None


def encode_checked(path: str, text: str) -> bytes:
    """`text` as bytes, once `storable` has read it back."""
    storable(path, text)
    return text.encode("utf-8")


def snapshot_path(directory: str, case: str) -> str:
    return os.path.join(directory, f"{case}.yaml")


def schema_path(directory: str, case: str) -> str:
    return os.path.join(directory, f"{case}.json")


def _over(limits: Limits) -> str:
    return f"is larger than the {limits.max_bytes // MB} MB limit (raise it with --max-size MB)"


def _read(path: str, limits: Limits) -> object:
    """Through the document loader: size, FIFOs and devices, encoding, tags, alias bombs, nesting."""
    raw, _ = read_source(path, limits)
    return parse_text(path, decode(path, raw), limits)


def load_snapshot(path: str, limits: Limits = DEFAULT_LIMITS) -> dict:
    data = _read(path, limits)
    if not isinstance(data, dict) or "samples" not in data or "request" not in data:
        raise InputError(path, "not an apicompat snapshot (needs 'request' and 'samples')")
    validate("snapshot.schema.json", path, data, "an apicompat snapshot")  # the shapes every reader relies on
    return data


def load_json(path: str, limits: Limits = DEFAULT_LIMITS) -> dict | bool:
    data = _read(path, limits)
    if not isinstance(data, (dict, bool)):
        raise InputError(path, "not a JSON Schema (expected a mapping)")
    refuse_outside_refs(path, data)
    return data


REF_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")


def refuse_outside_refs(path: str, schema: object) -> None:
    """A recorded schema refers only inside itself: a `$ref`/`$dynamicRef` to anything else (a URL,
    a file, a FIFO) is bad input, named with its place, and never followed."""
    stack: list[tuple[object, str]] = [(schema, "#")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{where}/{str(key).replace('~', '~0').replace('/', '~1')}"
                if key in REF_KEYWORDS and isinstance(value, str):
                    if not value.startswith("#"):
                        raise InputError(path, f"{key} {value[:80]!r} leaves the document (a recorded schema "
                                         "refers only inside itself)", here)
                    continue
                stack.append((value, here))
        elif isinstance(node, list):
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(node))
        elif isinstance(node, float) and not math.isfinite(node):
            raise InputError(path, "NaN or an infinity is not JSON", where)


def refuse_pending(directory: str) -> None:
    """Readers that take no lock (mock-server, conform) do not read a baseline whose swap a killed run
    left half done: the next record/check/accept finishes it first."""
    if os.path.lexists(os.path.join(directory, JOURNAL_NAME)):
        raise InputError(os.path.join(directory, JOURNAL_NAME), "an interrupted commit is not finished yet; run "
                         "`apicompat check` (or record) once to finish it, then read the baseline")


def list_snapshots(directory: str) -> list[str]:
    if not os.path.isdir(directory):
        return []
    refuse_pending(directory)
    return sorted(os.path.join(directory, n) for n in os.listdir(directory)
                  if n.endswith(".yaml") and not n.startswith("."))


def _os_error(path: str, exc: OSError, doing: str) -> InputError:
    """One line for what the disk said: full, read-only, permission."""
    return InputError(path, f"cannot {doing}: {exc.strerror or exc}")


class Lock:
    """`snapshots/.apicompat.lock`, held with flock for the whole run; a second run is refused. Only a
    plain file of our own is ever opened or written: a symlink, FIFO, device or a file with other
    hard links at that name is refused, never followed or truncated. Taking the lock finishes or
    rolls back a commit an earlier run left unfinished (`recover`)."""

    def __init__(self, directory: str, schemas_dir: str | None = None) -> None:
        self.directory = directory
        self.schemas_dir = schemas_dir
        self.path = os.path.join(directory, LOCK_NAME)
        self.fd: int | None = None

    def __enter__(self) -> Lock:
        try:
            os.makedirs(self.directory or ".", exist_ok=True)
        except OSError as exc:
            raise _os_error(self.directory, exc, "create the snapshot directory") from None
        _refuse_special(self.path)
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise InputError(self.path, "is a symbolic link; refusing to use it as the lock "
                                 "(remove it)") from None
            raise _os_error(self.path, exc, "create the lock") from None
        try:
            _refuse_special(self.path, os.fstat(fd))
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except InputError:
            os.close(fd)
            raise
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise InputError(self.path, "another apicompat record/check/accept is running on this "
                                 "snapshot directory; wait for it to finish") from None
            raise _os_error(self.path, exc, "lock") from None
        self.fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            recover(self.directory, self.schemas_dir)
        except BaseException as exc:
            self.__exit__()
            if isinstance(exc, OSError):
                raise _os_error(self.path, exc, "write the lock") from None
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def _refuse_special(path: str, st: os.stat_result | None = None) -> None:
    """The lock must be a plain file with no other names (else truncating it harms another file)."""
    if st is None:
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise _os_error(path, exc, "inspect the lock") from None
    if stat.S_ISLNK(st.st_mode):
        raise InputError(path, "is a symbolic link; refusing to use it as the lock (remove it)")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "is not a regular file (a FIFO, device, socket or directory); refusing to "
                         "use it as the lock (remove it)")
    if st.st_nlink > 1:
        raise InputError(path, f"has {st.st_nlink} hard links; refusing to truncate a file shared with "
                         "another name (remove it)")


# ---- the baseline, as a whole ----------------------------------------------------------------------

def _fsync_dir(directory: str) -> None:
    fd = os.open(directory or ".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stage_dir(target: str) -> str:
    return os.path.join(os.path.dirname(target) or ".", STAGE_NAME)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def commit(snapshots_dir: str, files: list[tuple[str, bytes]], drop_last_check: bool = False) -> None:
    """Replace the baseline files `files` (path, bytes) all together, and remove `.last-check/` with
    them when asked (accept): staged beside, journal, renames. A full disk or a read-only folder is
    one InputError and leaves the old baseline; the caller holds the lock (so `recover` ran)."""
    if not files and not drop_last_check:
        return
    for path, _ in files:
        if not FILE_NAME.fullmatch(os.path.basename(path)):
            raise InputError(path, "not a baseline file name; refusing to write it")
    stages = sorted({_stage_dir(p) for p, _ in files})
    entries = []
    try:
        for stage in stages:
            _remove_tree(stage)
            os.makedirs(stage)
        for path, data in files:
            staged = os.path.join(_stage_dir(path), os.path.basename(path))
            fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o666)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            entries.append({"target": os.path.relpath(path, snapshots_dir), "sha256": _digest(data)})
        for stage in stages:
            _fsync_dir(stage)
        journal = {"apicompat-journal": 1, "files": entries, "drop_last_check": drop_last_check}
        _write_journal(snapshots_dir, json.dumps(journal, indent=1).encode())
    except OSError as exc:
        for stage in stages:
            _remove_tree(stage)
        raise _os_error(getattr(exc, "filename", None) or snapshots_dir, exc, "write the new baseline "
                        "(nothing was changed)") from None
    except BaseException:
        for stage in stages:
            _remove_tree(stage)
        raise
    try:
        _finish(snapshots_dir, journal)
    except OSError as exc:
        raise _os_error(getattr(exc, "filename", None) or snapshots_dir, exc, "finish the new baseline "
                        "(the next record/check/accept will)") from None


def _write_journal(snapshots_dir: str, data: bytes) -> None:
    path = os.path.join(snapshots_dir, JOURNAL_NAME)
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # the commit point
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_dir(snapshots_dir)


def _finish(snapshots_dir: str, journal: dict) -> None:
    """Roll forward: every staged file over its target (those already moved are left), then the
    journal goes. Run again after a crash, it does only what is left."""
    dirs = set()
    for entry in journal["files"]:
        target = os.path.normpath(os.path.join(snapshots_dir, entry["target"]))
        staged = os.path.join(_stage_dir(target), os.path.basename(target))
        if os.path.lexists(staged):
            os.replace(staged, target)
        dirs.add(os.path.dirname(target) or ".")
    for d in sorted(dirs):
        _fsync_dir(d)
    if journal.get("drop_last_check"):
        _remove_tree(os.path.join(snapshots_dir, LAST_CHECK))
    _unlink(os.path.join(snapshots_dir, JOURNAL_NAME))
    _fsync_dir(snapshots_dir)
    for d in sorted(dirs):
        _remove_tree(os.path.join(d, STAGE_NAME))


def _read_journal(snapshots_dir: str, schemas_dir: str | None) -> dict | None:
    """The journal an interrupted commit left, checked: it may name only baseline files in the
    snapshot and schema folders, each staged with the content it records. Anything else is refused
    (a planted journal moves nothing)."""
    path = os.path.join(snapshots_dir, JOURNAL_NAME)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    bad = InputError(path, "is not a journal apicompat wrote; remove it (the baseline was not changed)")
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
        raise bad
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as fh:
            journal = json.loads(fh.read(MAX_FILE_BYTES + 1))
    except (OSError, ValueError):
        raise bad from None
    allowed = {os.path.realpath(d) for d in (snapshots_dir, schemas_dir or snapshots_dir)}
    if (not isinstance(journal, dict) or journal.get("apicompat-journal") != 1
            or not isinstance(journal.get("files"), list) or not isinstance(journal.get("drop_last_check"), bool)):
        raise bad
    for entry in journal["files"]:
        if not (isinstance(entry, dict) and isinstance(entry.get("target"), str)
                and isinstance(entry.get("sha256"), str)):
            raise bad
        target = os.path.normpath(os.path.join(snapshots_dir, entry["target"]))
        if (os.path.realpath(os.path.dirname(target) or ".") not in allowed
                or not FILE_NAME.fullmatch(os.path.basename(target))):
            raise bad
        staged = os.path.join(_stage_dir(target), os.path.basename(target))
        source = staged if os.path.lexists(staged) else target
        if not _has_digest(source, entry["sha256"]):
            raise InputError(path, f"an interrupted commit cannot be finished: {source} is not the file it "
                             "recorded; remove the journal and the .apicompat-stage folders to keep the "
                             "baseline as it is")
    return journal


def _has_digest(path: str, digest: str) -> bool:
    """Hashed 1 MB at a time (a file may be as large as the largest --max-size, which bounds it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SIZE_MB * MB:
            return False
        h = hashlib.sha256()
        while chunk := fh.read(MB):
            h.update(chunk)
        return h.hexdigest() == digest


def recover(snapshots_dir: str, schemas_dir: str | None = None) -> bool:
    """Finish the commit a killed run left (its journal is the commit point), or roll back one that
    never reached it: staged files, stray temp files, half-made `.last-check-*` folders go. Called
    under the lock. True when a commit was finished."""
    journal = _read_journal(snapshots_dir, schemas_dir)
    try:
        if journal is not None:
            _finish(snapshots_dir, journal)
        for d in {snapshots_dir, schemas_dir or snapshots_dir}:
            _sweep(d)
    except OSError as exc:
        raise _os_error(getattr(exc, "filename", None) or snapshots_dir, exc,
                        "finish or roll back an interrupted commit") from None
    return journal is not None


def _sweep(directory: str) -> None:
    """What an interrupted run leaves: `.apicompat-stage/`, `.apicompat-*.tmp`, the journal's temp
    file, `.last-check-*` (a check's recording in progress) and `.last-check.old`."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return
    for name in names:
        path = os.path.join(directory, name)
        if name == STAGE_NAME or name.startswith(".last-check-") or name == LAST_CHECK + ".old":
            _remove_tree(path)
        elif (name.startswith(TEMP_PREFIX) and name.endswith(".tmp")) or name == JOURNAL_NAME + ".tmp":
            _unlink(path)


def _remove_tree(path: str) -> None:
    """Remove a folder we made (or a symlink or file planted at its name, without following it)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def replace_dir(src: str, dst: str) -> None:
    """Put directory `src` at `dst`, dropping what was there (a symlink there is dropped, not followed)."""
    old = dst + ".old"
    _remove_tree(old)
    if os.path.lexists(dst):
        os.replace(dst, old)
    os.replace(src, dst)
    _remove_tree(old)


# ---- accept: only what check wrote -------------------------------------------------------------------

def read_last_check(snapshots_dir: str, limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, str, bytes]]:
    """The files of `.last-check/` as (kind, name, bytes), kind "snapshots" or "schemas". Every
    step is opened without following symlinks: `.last-check` itself, its two folders and each file
    must be real, each file a regular file with a baseline name, within `limits` (--max-size, as
    record and check use it), that the baseline reader accepts. Anything else is refused whole
    (nothing is accepted)."""
    last = os.path.join(snapshots_dir, LAST_CHECK)
    dir_flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        top = os.open(last, dir_flags)
    except FileNotFoundError:
        raise InputError(last, "no recording to accept; run `apicompat check` first") from None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise InputError(last, "is not a folder `apicompat check` wrote (a symbolic link or a file); "
                             "nothing accepted") from None
        raise _os_error(last, exc, "read") from None
    out: list[tuple[str, str, bytes]] = []
    try:
        for kind, suffix in (("snapshots", ".yaml"), ("schemas", ".json")):
            sub = os.path.join(last, kind)
            try:
                fd = os.open(kind, dir_flags, dir_fd=top)
            except FileNotFoundError:
                continue
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise InputError(sub, "is not a folder `apicompat check` wrote; nothing accepted") from None
                raise _os_error(sub, exc, "read") from None
            try:
                for name in sorted(os.listdir(fd)):
                    out.append((kind, name, _read_accepted(os.path.join(sub, name), name, suffix, fd, limits)))
            finally:
                os.close(fd)
    finally:
        os.close(top)
    return out


def _read_accepted(path: str, name: str, suffix: str, dir_fd: int, limits: Limits) -> bytes:
    if not FILE_NAME.fullmatch(name) or not name.endswith(suffix):
        raise InputError(path, f"is not a file `apicompat check` writes (a case name and {suffix}); "
                         "nothing accepted")
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, "is a symbolic link; accept takes only files `apicompat check` wrote, "
                             "nothing accepted") from None
        raise _os_error(path, exc, "read") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise InputError(path, "is not a regular file (a FIFO, device, socket or folder); nothing accepted")
        if st.st_size > limits.max_bytes:
            raise InputError(path, f"{_over(limits)}; nothing accepted")
        data = fh.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:  # grew since fstat
        raise InputError(path, f"{_over(limits)}; nothing accepted")
    data_text = decode(path, data)
    parsed = parse_text(path, data_text, limits)
    if suffix == ".yaml":
        if not (isinstance(parsed, dict) and "samples" in parsed and "request" in parsed):
            raise InputError(path, "not an apicompat snapshot (needs 'request' and 'samples'); nothing accepted")
        validate("snapshot.schema.json", path, parsed, "an apicompat snapshot")
    if suffix == ".json":
        if not isinstance(parsed, (dict, bool)):
            raise InputError(path, "not a JSON Schema (expected a mapping); nothing accepted")
        refuse_outside_refs(path, parsed)
    return data
