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


# A small OpenAPI document for end-to-end tests; JOBS_SPEC_BREAKING removes a response property.
JOBS_SPEC = """openapi: 3.1.0
info: {title: Jobs, version: '1'}
paths:
  /jobs:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id, score]
                properties:
                  id: {type: string}
                  score: {type: number}
"""
JOBS_SPEC_BREAKING = JOBS_SPEC.replace("                  score: {type: number}\n", "")
JOBS_SPEC_ADDITIVE = JOBS_SPEC + "                  created: {type: integer}\n"


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


class Installed:
    """apicompat installed from a freshly built wheel into a new venv outside the repository."""

    def __init__(self, wheel: Path, venv: Path, source: Path) -> None:
        self.wheel = wheel
        self.source = source  # the copy of the checkout the wheel was built from
        self.venv = venv
        self.bin = venv / ("Scripts" if os.name == "nt" else "bin")
        self.python = self.bin / ("python.exe" if os.name == "nt" else "python")
        self.apicompat = self.bin / "apicompat"

    def env(self, **extra: str) -> dict:
        """The environment of a user's shell: this venv first on PATH, nothing of the repository."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        env.update(PATH=f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}", VIRTUAL_ENV=str(self.venv),
                   NO_COLOR="1", **extra)
        return env


def _source_files() -> list[str]:
    import subprocess

    out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         capture_output=True, check=True).stdout
    return [name for name in out.decode().split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Installed:
    """Build the wheel once per session, from a copy of the files git knows (what a fresh clone
    has), and install it into a new venv in a temporary directory.

    No network: the wheel is built with this environment's setuptools (--no-build-isolation) and
    installed with --no-deps; the dependencies (jsonschema, click, ...) come from this
    environment's site-packages through a .pth line, which adds them to sys.path without running
    the .pth hooks there (so the editable apicompat of .venv is not importable in the new venv:
    the tests check that apicompat comes from the wheel)."""
    import shutil
    import subprocess
    import sys
    import sysconfig

    base = tmp_path_factory.mktemp("install")
    src = base / "src"
    for name in _source_files():
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "--disable-pip-version-check", "-w", str(dist), str(src)],
                   check=True, capture_output=True, cwd=base)
    (wheel,) = dist.glob("apicompat-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    result = Installed(wheel, venv, src)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(result.python), "install", "--no-deps",
                    "--no-index", "-q", "--disable-pip-version-check", str(wheel)],
                   check=True, capture_output=True, cwd=base)
    site = subprocess.run([str(result.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return result


def read_pty(fd: int) -> bytes:
    """Everything written to a pseudo-terminal until its other end closes (Linux then says EIO)."""
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def run_on_a_terminal(args: list[str], cwd, env: dict, stream: str = "stdout") -> bytes:
    """`python -m apicompat ARGS` with stdout (or stderr) on a pseudo-terminal, as in an interactive
    shell; the other stream goes nowhere. What the terminal received."""
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    where = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: slave}
    proc = subprocess.Popen([sys.executable, "-m", "apicompat", *args], cwd=cwd, env=env, **where)
    os.close(slave)
    out = read_pty(master)
    proc.wait(timeout=120)
    os.close(master)
    return out
