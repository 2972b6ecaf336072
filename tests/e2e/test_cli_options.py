"""Small CLI things a user meets first: a wrong --format is refused before any work starts (on
every command that has it), colour only on a terminal that wants it, and the shared option table
in step with the formatters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_on_a_terminal

from apicompat.cli import cli
from apicompat.cli.options import FORMATS
from apicompat.report import FORMATTERS

OLD = '{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}'
NEW = '{"type": "object"}'


def test_the_format_choice_is_the_formatter_table():
    assert set(FORMATS) == set(FORMATTERS)


def commands_with_format() -> list[str]:
    return sorted(name for name, command in cli.commands.items()
                  if any(p.name == "fmt" for p in command.params))


def test_every_reporting_command_has_a_checked_format():
    names = commands_with_format()
    assert {"diff", "gate", "check", "conform", "render", "rules"} <= set(names)
    for name in names:
        (param,) = [p for p in cli.commands[name].params if p.name == "fmt"]
        assert param.type.__class__.__name__ == "Choice", name


@pytest.mark.parametrize("args", [
    ["diff", "missing-old.json", "missing-new.json"],
    ["gate", "missing-old.json", "missing-new.json"],
    ["check", "--plan", "missing-plan.yaml"],
    ["conform", "--spec", "missing.yaml"],
    ["render", "missing.json"],
    ["rules"],
])
def test_a_wrong_format_is_refused_before_the_work(args, tmp_path):
    """The inputs do not even exist: a usage error about --format proves nothing was read."""
    r = subprocess.run([sys.executable, "-m", "apicompat", *args, "--format", "pdf"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "Invalid value for '--format'" in r.stderr and "'pdf' is not one of" in r.stderr
    assert "missing" not in r.stderr


def run_on_a_tty(args: list[str], cwd: Path, **env: str) -> str:
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "CI")}
    return run_on_a_terminal(args, cwd, {**full_env, **env}).decode()


@pytest.mark.parametrize("env, coloured", [
    ({"TERM": "xterm-256color"}, True),
    ({"TERM": "dumb"}, False),
    ({"TERM": "xterm", "NO_COLOR": "1"}, False),
])
def test_colour_only_on_a_terminal_that_wants_it(tmp_path, env, coloured):
    (tmp_path / "old.json").write_text(OLD)
    (tmp_path / "new.json").write_text(NEW)
    out = run_on_a_tty(["diff", "old.json", "new.json"], tmp_path, **env)
    assert "response-property-removed" in out
    assert ("\x1b[" in out) is coloured
