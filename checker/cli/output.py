"""The shared end of every reporting command: policy, format, output file, exit status."""

from __future__ import annotations

import errno
import os
import re
import select
import stat
import sys
import time

import click

from ..atomic import write_atomic
from ..errors import InputError
from ..model import Report, Severity
from ..report import FORMATTERS, RenderOptions, render
from ..safetext import printable


def load_policy(path: str | None):
    """The `--policy FILE` (apicompat.policy), or None."""
    if path is None:
        return None
    from .. import policy as policy_module  # start-up time: the policy reader loads only with a policy

    return policy_module.load(path)


def plan_policy(path: str | None, plan) -> object:
    """`--policy FILE` when given, else the plan's `policy:` key (a file beside the plan, or an
    inline mapping), else None."""
    if path is not None:
        return load_policy(path)
    if plan is None:
        return None
    from .. import policy as policy_module  # start-up time: the policy reader loads only with a policy

    if getattr(plan, "policy_text", None) is not None:
        return policy_module.loads(plan.policy_text, f"{plan.source} (policy)", lines=False)
    if getattr(plan, "policy", None) is not None:
        return policy_module.load(plan.policy)
    return None


# What a user who gives `-o FILE` and no --format most likely wants, by FILE's suffix (for a note only).
_SUFFIX_FORMATS = {".json": "json", ".sarif": "sarif", ".html": "html", ".htm": "html", ".md": "markdown",
                   ".xml": "junit"}


def emit(report: Report, fmt: str, output: str | None, fail_on: Severity | None, policy=None,
         full_report: str | None = None) -> int:
    """The report (the policy applied) in `fmt`, to `output` or standard output; the exit status.
    Formats read only the report: the lines and fragments they show come from the documents it
    carries, read once at load time."""
    if fmt not in FORMATTERS:  # the commands' --format is a click.Choice: this is for API callers
        raise click.UsageError(f"unknown format {fmt!r} (choose from: {', '.join(FORMATTERS)})")
    if policy is not None:
        report = policy.apply(report)
    options = RenderOptions(fail_on=fail_on, full_report=full_report, colour=False if output else None)
    text = render(report, fmt, options)
    if output:
        meant = _SUFFIX_FORMATS.get(os.path.splitext(output)[1].lower())
        if fmt == "text" and meant:  # `-o report.json` alone: the default text would land in a .json file
            click.echo(f"apicompat: note: {printable(output)} gets the text format (--format {meant} writes "
                       f"{meant})", err=True)
        write_output(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 1 if report.fails(fail_on) else 0


# -- `-o FILE` -------------------------------------------------------------------------------------

_OPEN_FD = re.compile(r"/dev/(?:fd/(\d+)|(stdout|stderr))|/proc/(?:self|\d+)/fd/(\d+)")
FIFO_WRITE_SECONDS = 30.0


def write_output(path: str, text: str) -> None:
    """Write a command's output file, by what is there now (the same for every command with -o):

    - nothing, or a regular file: a new regular file, atomically (apicompat.atomic);
    - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: this process's open descriptor,
      written directly (a shell redirect or pipe behind it stays what it is);
    - a character device (`/dev/null`, a terminal) or a FIFO with a reader: opened and written in
      place, never replaced by a file (as root, replacing /dev/null breaks the whole machine);
    - refused: a directory, a block device (a disk), a socket, a FIFO with no reader, and a symbolic
      link to a file, a directory or nothing (a committed `report.md -> ~/.bashrc` must not make a
      CI job write into the target). A symbolic link to a device or a FIFO is followed.
    """
    kind, detail = _output_target(path)
    data = text.encode("utf-8")
    if kind == "descriptor":
        assert isinstance(detail, int)
        _write_descriptor(path, detail, data)
    elif kind == "file":
        write_atomic(path, text)
    elif kind == "device":
        _write_in_place(path, data, os.O_WRONLY | os.O_NOCTTY, stat.S_ISCHR, bool(detail))
    else:
        _write_in_place(path, data, os.O_WRONLY | os.O_NONBLOCK, stat.S_ISFIFO, bool(detail))


def check_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """The -o option's callback: refuse a path `write_output` would refuse before any work is done."""
    if value is not None:
        _output_target(value)
    return value


def _output_target(path: str) -> tuple[str, int | bool | None]:
    """("descriptor", fd), ("file", None), or ("device" | "fifo", followed a symbolic link); else refused."""
    fd = _open_descriptor(path)
    if fd is not None:
        try:
            os.fstat(fd)
        except OSError:
            raise InputError(path, f"descriptor {fd} is not open") from None
        return "descriptor", fd
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "file", None
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    link = stat.S_ISLNK(st.st_mode)
    if link:
        try:
            st = os.stat(path)
        except OSError:
            raise InputError(path, "is a symbolic link to nothing; apicompat does not create files through "
                             "symbolic links (give the real path)") from None
        if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
            kind = "a file" if stat.S_ISREG(st.st_mode) else "a directory"
            raise InputError(path, f"is a symbolic link to {kind}; apicompat does not write through symbolic "
                             "links (give the real path)")
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return "file", None
    if stat.S_ISCHR(mode):
        return "device", link
    if stat.S_ISFIFO(mode):
        return "fifo", link
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a directory, expected a file")
    if stat.S_ISBLK(mode):
        raise InputError(path, "is a block device (a disk); refusing to write a report into it")
    raise InputError(path, "is a socket or another special file; give a file")


def _open_descriptor(path: str) -> int | None:
    """The descriptor number when `path` names one of this process's open descriptors."""
    m = _OPEN_FD.fullmatch(os.path.normpath(os.path.abspath(path)))
    if m is None:
        return None
    if m.group(2):
        return 1 if m.group(2) == "stdout" else 2
    if m.group(0).startswith("/proc/") and not m.group(0).startswith(("/proc/self/", f"/proc/{os.getpid()}/")):
        return None  # another process's descriptor: an ordinary path
    return int(m.group(1) or m.group(3))


def _write_descriptor(path: str, fd: int, data: bytes) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # keep what this process printed before in order
        except (OSError, ValueError):
            pass
    try:
        _write_all(path, fd, data, deadline=None)
    except InputError as exc:
        if isinstance(exc.__context__, BrokenPipeError):
            raise BrokenPipeError from None  # like stdout closed by `| head`: not an error of the run
        raise


def _write_in_place(path: str, data: bytes, flags: int, kind, followed_link: bool) -> None:
    """Open the device or FIFO that is there (never create or truncate), check that it is still the
    kind found (a swap in between is refused), and write."""
    try:
        fd = os.open(path, flags | (0 if followed_link else os.O_NOFOLLOW))
    except OSError as exc:
        if exc.errno == errno.ENXIO and flags & os.O_NONBLOCK:
            raise InputError(path, "is a FIFO with no reader; start the reader first") from None
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        if not kind(os.fstat(fd).st_mode):
            raise InputError(path, "changed while it was opened; refused")
        if flags & os.O_NONBLOCK:
            _write_all(path, fd, data, deadline=time.monotonic() + FIFO_WRITE_SECONDS)
        else:
            _write_all(path, fd, data, deadline=None)
    finally:
        os.close(fd)


def _write_all(path: str, fd: int, data: bytes, deadline: float | None) -> None:
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            remaining = deadline - time.monotonic() if deadline is not None else 1.0
            if remaining <= 0:
                raise InputError(path, f"the reader of this FIFO stopped reading for {FIFO_WRITE_SECONDS:g} s; "
                                 "output cut short") from None
            select.select([], [fd], [], min(remaining, 0.5))
            continue
        except BrokenPipeError:
            raise InputError(path, "the reader closed it before the output was written") from None
        except OSError as exc:
            raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
        view = view[n:]
