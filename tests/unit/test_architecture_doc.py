"""docs/architecture.md stays true: every folder it names exists, and every package folder under
checker/ is named there (a new stage gets its line in the map)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
# A folder as the page writes it: in backticks, relative to the repository, ending in a slash.
FOLDER = re.compile(r"`((?:[\w.-]+/)+)`")


def named_folders() -> set[str]:
    return set(FOLDER.findall(DOC.read_text(encoding="utf-8")))


def package_folders() -> set[str]:
    return {p.parent.relative_to(ROOT).as_posix() + "/" for p in (ROOT / "checker").rglob("__init__.py")
            if "__pycache__" not in p.parts}


def test_the_page_names_folders():
    named = named_folders()
    assert "checker/schema/" in named and "checker/report/" in named, sorted(named)


def test_every_folder_named_exists():
    missing = sorted(f for f in named_folders() if not (ROOT / f).is_dir())
    assert not missing, f"docs/architecture.md names folders that do not exist: {missing}"


def test_every_package_folder_is_named():
    packages = package_folders()
    assert "checker/" in packages and "checker/openapi/" in packages  # the scan found the package
    unnamed = sorted(packages - named_folders() - {"checker/"})
    assert not unnamed, f"package folders missing from docs/architecture.md's folder list: {unnamed}"


def test_every_stage_of_the_pipeline_is_in_the_picture():
    """The stages the map promises: each appears in the picture by its folder or module."""
    text = DOC.read_text(encoding="utf-8")
    picture = text.split("## The pipeline", 1)[1].split("## Folders", 1)[0]
    for stage in ("load/", "openapi/", "asyncapi/", "schema/", "rules/", "collect.py", "policy.py", "report/",
                  "cli/", "record/", "infer.py", "check.py", "conform.py"):
        assert stage in picture, stage
