"""The README's commands as a new user copies them: every `apicompat` command and option it (or a page
of docs/) names exists in that command's --help, the first-run block runs as written, and every
command of the "Every command" block that needs no network runs on real files, in a real git
repository, with exit status 0 or 1."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
BIN = Path(sys.executable).parent
APICOMPAT = shutil.which("apicompat", path=str(BIN))
# What these commands need that no test can give them: the network (record, check), a server that
# runs until stopped (mock-server), the baseline a check leaves behind (accept).
NOT_RUN = {"record", "check", "accept", "mock-server"}


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S)


def commands(text: str) -> list[str]:
    """Every `apicompat ...` command in shell blocks (continuation lines joined, comments cut) and in
    inline code spans."""
    found = [command for block in shell_blocks(text) for command in block_commands(block)]
    return found + re.findall(r"`(apicompat -*[a-z][^`]*)`", text)


def block_commands(block: str) -> list[str]:
    found = []
    for line in block.replace("\\\n", " ").splitlines():
        line = line.split(" #", 1)[0].split("||", 1)[0].strip()
        if line.startswith("apicompat "):
            found.append(line)
    return found


@cache
def help_text(sub: str) -> str:
    r = subprocess.run([sys.executable, "-m", "apicompat", *([sub] if sub else []), "--help"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, (sub, r.stderr)
    return r.stdout


def subcommand_and_options(command: str) -> tuple[str, list[tuple[str, str]]]:
    """The subcommand, and each option with the command it belongs to ("" for the group's own, before
    the subcommand)."""
    words = command.replace("[", " ").replace("]", " ").replace("|", " ").split()[1:]
    sub = next((w for w in words if not w.startswith("-")), "")
    at = words.index(sub) if sub else len(words)
    options = [("" if i < at else sub, w.split("=", 1)[0]) for i, w in enumerate(words)
               if re.fullmatch(r"--?[a-z][a-z-]*(=.*)?", w)]
    return sub, options


DOCS = {"README.md": README, **{f"docs/{p.name}": p.read_text() for p in sorted((ROOT / "docs").glob("*.md"))
                                if p.name != "rules.md"}}


@pytest.mark.parametrize("name", sorted(DOCS))
def test_every_command_and_option_the_docs_name_exists(name):
    named = commands(DOCS[name])
    if name == "README.md":
        assert len(named) >= 15, named
    top = help_text("")
    for command in named:
        sub, options = subcommand_and_options(command)
        if sub:
            assert re.search(rf"^  {re.escape(sub)} ", top, re.M), f"{name}: no command {sub!r}: {command}"
        for owner, option in options:
            assert re.search(rf"(^|[ ,]){re.escape(option)}[ ,\n]", help_text(owner)), \
                f"{name}: `apicompat {owner}` has no option {option}: {command}"


def user_env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "CI": "1",
            "APICOMPAT_NO_CACHE": "1"}


@pytest.mark.skipif(APICOMPAT is None, reason="no apicompat script beside this Python")
def test_the_first_run_block_runs_as_written(tmp_path):
    block = shell_blocks(README[README.index("A first run"):])[0]
    script = "\n".join(line for line in block.splitlines() if not line.startswith("source .venv/"))
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    r = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=user_env(),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "exit status 1: a breaking change" in r.stdout and "endpoint-removed" in r.stdout
    assert (tmp_path / "report.json").stat().st_size > 0 and "<html" in (tmp_path / "report.html").read_text()


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=repo, check=True,
                   capture_output=True)


def user_repo(tmp_path: Path) -> Path:
    """What the "Every command" block takes for granted: old and new specs and schemas, openapi.yaml
    changed since origin/main, recorded snapshots, a saved JSON report."""
    repo = tmp_path / "repo"
    repo.mkdir()
    old, new = ROOT / "examples/openai/openapi-2022-01-25.yaml", ROOT / "examples/openai/openapi-2023-06-19.yaml"
    shutil.copy(old, repo / "old.yaml")
    shutil.copy(new, repo / "new.yaml")
    shutil.copy(ROOT / "examples/job-old.json", repo / "old.schema.json")
    shutil.copy(ROOT / "examples/job-new.json", repo / "new.schema.json")
    shutil.copytree(ROOT / "snapshots", repo / "snapshots")
    shutil.copy(old, repo / "openapi.yaml")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "old")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    shutil.copy(new, repo / "openapi.yaml")
    r = subprocess.run([sys.executable, "-m", "apicompat", "diff", "old.yaml", "new.yaml", "--format", "json",
                        "-o", "report.json"], cwd=repo, capture_output=True, timeout=120)
    assert r.returncode == 1, r.stderr
    return repo


@pytest.mark.skipif(APICOMPAT is None, reason="no apicompat script beside this Python")
def test_every_command_of_the_use_block_that_needs_no_network_runs(tmp_path):
    repo = user_repo(tmp_path)
    block = shell_blocks(README[README.index("Every command:"):])[0]
    ran = set()
    for command in block_commands(block):
        sub, _ = subcommand_and_options(command)
        if sub in NOT_RUN:
            continue
        r = subprocess.run(shlex.split(command), cwd=repo, env=user_env(), capture_output=True, text=True,
                           timeout=300)
        assert r.returncode in (0, 1), f"{command}: exit {r.returncode}: {r.stderr}"
        assert r.stderr == "", f"{command}: {r.stderr}"
        ran.add(sub)
    assert {"diff", "gate", "changelog", "diff-files", "conform", "render", "rules"} <= ran
    assert (repo / "apicompat.sarif").stat().st_size > 0
