"""Long runs show what they are doing on a terminal (stderr a TTY), never in a log or under CI."""

from __future__ import annotations

import os
import re
import pty
import time

import pytest

from conftest import read_pty, run_on_a_terminal

from apicompat.cli.progress import DELAY, Progress, default_delay, progress_enabled

SMALL_OLD = '{"type": "object", "properties": {"a": {"type": "string"}}}'


def test_progress_redraws_one_line_and_erases_it():
    master, slave = pty.openpty()
    with open(slave, "w", closefd=True) as tty:
        progress = Progress(stream=tty, enabled=True, delay=0)  # enabled: the test runs under CI too
        progress.stage("reading old.yaml")
        with progress:
            time.sleep(0.6)
            progress.stage("comparing \x1b[2J")
            time.sleep(0.6)
    out = read_pty(master).decode()
    os.close(master)
    assert "apicompat: reading old.yaml (0 s)" in out and "apicompat: comparing \\x1b[2J" in out
    assert "\n" not in out and "\x1b" not in out  # redrawn in place with \r; a stage's escapes are shown
    assert out.endswith("\r") and out.rstrip("\r").endswith(" ")  # erased at the end


def test_progress_is_off_when_not_enabled_or_quick(tmp_path):
    master, slave = pty.openpty()
    with open(slave, "w", closefd=True) as tty:
        with Progress(stream=tty, enabled=False, delay=0) as progress:
            progress.stage("x")
            time.sleep(0.3)
        with Progress(stream=tty) as progress:  # the default delay: a quick run shows nothing
            progress.stage("x")
    assert read_pty(master) == b""  # (reading a pty whose other end is closed and empty: EIO, nothing)
    os.close(master)


def run_with_stderr_on_a_tty(args, cwd, **env) -> bytes:
    full_env = {k: v for k, v in os.environ.items() if k != "CI"}
    return run_on_a_terminal(args, cwd, {**full_env, **env}, stream="stderr")


def test_a_quick_diff_on_a_terminal_prints_no_status(tmp_path):
    (tmp_path / "a.json").write_text(SMALL_OLD)
    assert run_with_stderr_on_a_tty(["diff", "a.json", "a.json"], tmp_path) == b""


def test_a_big_diff_shows_a_status_on_a_terminal(tmp_path, shared):
    """The Stripe pair takes seconds: on a terminal it shows what it does, on one line."""
    old, new = sorted(str(p) for p in (shared / "corpus" / "stripe").glob("*.yaml"))
    # No delay, so the status shows however fast this machine diffs the pair.
    out = run_with_stderr_on_a_tty(["diff", old, new, "-o", "report.json", "--format", "json"], tmp_path,
                                   APICOMPAT_PROGRESS_DELAY="0")
    # Which stage the status catches depends on the machine's speed (reading, comparing, writing the
    # report): any of them, with its elapsed seconds.
    assert re.search(rb"apicompat: (reading [^\r\n]*|comparing|writing [^\r\n]*) \(\d+ s\)", out), out[:300]
    assert b"\n" not in out


def test_never_under_ci_nor_off_a_terminal(monkeypatch):
    master, slave = pty.openpty()
    with open(slave, "w", closefd=True) as tty:
        monkeypatch.delenv("CI", raising=False)
        assert progress_enabled(tty)
        monkeypatch.setenv("CI", "true")
        assert not progress_enabled(tty)
    os.close(master)
    monkeypatch.delenv("CI")
    with open(os.devnull, "w") as null:
        assert not progress_enabled(null)


@pytest.mark.parametrize("value, seconds", [("0", 0.0), ("2.5", 2.5), ("", 1.0), ("soon", 1.0), ("-1", 1.0),
                                            ("1e9", 1.0), ("nan", 1.0)])
def test_the_delay_can_be_set_and_a_bad_value_keeps_the_default(monkeypatch, value, seconds):
    monkeypatch.setenv("APICOMPAT_PROGRESS_DELAY", value)
    assert DELAY == 1.0 and default_delay() == seconds
