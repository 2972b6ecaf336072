"""Snapshot and schema files: YAML/JSON with a stable layout, atomic writes, and one lock per
snapshot directory so two runs cannot interleave."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil

import yaml

from ..errors import InputError

LOCK_NAME = ".apicompat.lock"
LAST_CHECK = ".last-check"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value and len(value) > 40 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_snapshot(snapshot: dict) -> str:
    """Keys keep the order the recorder built (and the order the server sent): stable and reviewable."""
    return yaml.dump(snapshot, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def dump_schema(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def snapshot_path(directory: str, case: str) -> str:
    return os.path.join(directory, f"{case}.yaml")


def schema_path(directory: str, case: str) -> str:
    return os.path.join(directory, f"{case}.json")


def _read(path: str) -> object:
    """Through the document loader: size, FIFOs and devices, encoding, tags, alias bombs, nesting."""
    from ..load.documents import decode, parse_text, read_source

    raw, _ = read_source(path)
    return parse_text(path, decode(path, raw))


def load_snapshot(path: str) -> dict:
    data = _read(path)
    if not isinstance(data, dict) or "samples" not in data or "request" not in data:
        raise InputError(path, "not an apicompat snapshot (needs 'request' and 'samples')")
    return data


def load_json(path: str) -> dict:
    data = _read(path)
    if not isinstance(data, (dict, bool)):
        raise InputError(path, "not a JSON Schema (expected a mapping)")
    return data


def list_snapshots(directory: str) -> list[str]:
    if not os.path.isdir(directory):
        return []
    return sorted(os.path.join(directory, n) for n in os.listdir(directory)
                  if n.endswith(".yaml") and not n.startswith("."))


class Lock:
    """`snapshots/.apicompat.lock`, held with flock for the whole run; a second run is refused."""

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, LOCK_NAME)
        self.fd: int | None = None

    def __enter__(self) -> "Lock":
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise InputError(self.path, "another apicompat record/check/accept is running on this "
                                 "snapshot directory; wait for it to finish") from None
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def replace_dir(src: str, dst: str) -> None:
    """Put directory `src` at `dst`, dropping what was there (the rename itself is atomic)."""
    old = None
    if os.path.exists(dst):
        old = dst + ".old"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(dst, old)
    os.replace(src, dst)
    if old:
        shutil.rmtree(old, ignore_errors=True)
