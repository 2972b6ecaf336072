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


def test_format_schemas_ship_in_the_package_with_consistent_ids():
    """Our file formats' schemas live in checker/schemas/ (package data); each `$id` is the published
    base plus its file name; the repository's schemas/ holds only the demo's inferred contracts."""
    import json

    from jsonschema import Draft202012Validator

    from apicompat import jsonschemas

    shipped = sorted(p.name for p in (ROOT / "checker" / "schemas").glob("*.json"))
    assert shipped == jsonschemas.names() and {"report.schema.json", "policy.schema.json"} <= set(shipped)
    for name in shipped:
        schema = jsonschemas.schema(name)
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == jsonschemas.SCHEMA_BASE + name
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for path in (ROOT / "schemas").glob("*.json"):
        assert not path.name.endswith(".schema.json"), f"{path}: format schemas belong in checker/schemas/"
        assert "$id" not in json.loads(path.read_text())


@pytest.mark.skipif(tomllib is None, reason="tomllib needs Python 3.11")
def test_one_version_an_spdx_licence_and_urls():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    config = project["project"]
    assert "version" not in config and config["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "apicompat.__version__"}
    assert config["license"] == "Apache-2.0" and (ROOT / "LICENSE").read_text().lstrip().startswith("Apache License")
    assert config["urls"]["Homepage"].startswith("https://")
    from importlib.metadata import version

    import apicompat

    assert version("apicompat") == apicompat.__version__
