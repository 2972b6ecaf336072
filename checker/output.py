"""The shared end of every reporting command: policy, format, output file, exit status."""

from __future__ import annotations

import os
import sys
import tempfile

import click

from .errors import InputError
from .model import Report, Severity
from .report import FORMATTERS, render


def load_policy(path: str | None):
    """Placeholder until the policy module lands: no policy file is accepted yet."""
    if path is None:
        return None
    from . import policy as policy_module

    return policy_module.load(path)


def emit(report: Report, fmt: str, output: str | None, fail_on: Severity | None, policy=None) -> int:
    if fmt not in FORMATTERS:
        raise click.UsageError(f"unknown format {fmt!r} (choose from: {', '.join(FORMATTERS)})")
    if policy is not None:
        report = policy.apply(report)
    if output:
        text = render(report, fmt, colour=False)
        write_atomic(output, text)
    else:
        text = render(report, fmt)
        sys.stdout.write(text)
        sys.stdout.flush()
    return 1 if report.fails(fail_on) else 0


def write_atomic(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".apicompat-", dir=directory)
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
