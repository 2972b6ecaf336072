import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("default", max_examples=60)
settings.register_profile("long", max_examples=25_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The parse cache (apicompat.load.cache) of this run lives in a temporary directory, not in ~/.cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="apicompat-test-cache-")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def need_shared() -> Path:
    """../shared is always there in CI; on a user's machine its tests skip with a reason."""
    if not (SHARED / "corpus").is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared/corpus is missing, and CI must have it")
        pytest.skip("../shared/corpus is absent (it is only present in the project's workspace and CI)")
    return SHARED


@pytest.fixture(params=["yaml-rs", "pyyaml"])
def yaml_parser(request, monkeypatch) -> str:
    """Run a loader test under both YAML parsers (apicompat.load.yamlread; APICOMPAT_YAML forces one)."""
    monkeypatch.setenv("APICOMPAT_YAML", request.param)
    return request.param


@pytest.fixture
def shared() -> Path:
    return need_shared()


def run_cli(*args: str) -> int:
    """`apicompat ARGS` in this process (main() always ends in SystemExit): the exit status."""
    from apicompat.cli import main

    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def run_cli_captured(argv: list[str], capsys) -> tuple[int, str, str]:
    """`apicompat ARGV` in this process: (exit status, stdout, stderr)."""
    code = run_cli(*argv)
    out, err = capsys.readouterr()
    return code, out, err
