"""The package is imported as `apicompat` from the checker/ folder: pyproject.toml lists every
subpackage by its import name, so a new folder that is not listed would be missing from the wheel."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = None

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _folders() -> set[str]:
    return {
        "apicompat" + "".join("." + part for part in init.parent.relative_to(ROOT / "checker").parts)
        for init in (ROOT / "checker").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


@pytest.mark.skipif(tomllib is None, reason="tomllib needs Python 3.11")
def test_every_package_folder_is_listed_under_its_import_name():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"] == {"apicompat": "checker"}
    assert set(config["packages"]) == _folders()


def test_importing_the_package_loads_nothing_else():
    """The pytest plugin imports the package in every pytest run: it must stay light."""
    import subprocess

    code = "import sys, apicompat; print(sorted(m for m in sys.modules if m.startswith('apicompat')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['apicompat']"
