"""The parse cache: hit, miss on changed bytes, corrupt entries ignored and rewritten, off by env
or --no-cache, nothing stored for a file that failed to parse, small files never cached."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from apicompat.errors import InputError
from apicompat.load import Limits, cache, load_document, yamlread

pytestmark = pytest.mark.usefixtures("yaml_parser")  # every test under both YAML parsers


@pytest.fixture(autouse=True)
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("APICOMPAT_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_disabled", False)
    return tmp_path / "xdg" / "apicompat"


def big_yaml(tmp_path, name="spec.yaml", marker="x") -> tuple[str, bytes]:
    lines = ["openapi: 3.1.0", "info: {title: t, version: '1'}", "paths:"]
    for i in range(6000):
        lines.append(f"  /p{i}:\n    get: {{summary: '{marker} operation number {i}', responses: {{'200': {{description: ok}}}}}}")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    raw = path.read_bytes()
    assert len(raw) > cache.MIN_BYTES
    return str(path), raw


def entries(home) -> list[str]:
    return sorted(os.listdir(home)) if os.path.isdir(home) else []


def test_miss_then_hit(tmp_path, cache_home, monkeypatch):
    path, raw = big_yaml(tmp_path)
    first = load_document(path)
    assert entries(cache_home) == [cache.key(raw) + ".marshal"]
    assert cache.get(raw) == first.data

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed although cached")

    monkeypatch.setattr("apicompat.load.documents.parse_text", no_parse)
    second = load_document(path)
    assert second.data == first.data and second.text == first.text
    assert second.data["paths"]["/p7"]["get"]["responses"]["200"]["description"] == "ok"


def test_changed_bytes_miss(tmp_path, cache_home):
    path, raw = big_yaml(tmp_path)
    load_document(path)
    path2, raw2 = big_yaml(tmp_path, marker="y")
    assert cache.get(raw2) is None
    doc = load_document(path2)
    assert doc.data["paths"]["/p1"]["get"]["summary"].startswith("y ")
    assert len(entries(cache_home)) == 2


def test_key_is_the_loader_not_the_package_version(tmp_path, monkeypatch, yaml_parser):
    """The package version never moves in a checkout; the parser and the limits checked do matter
    (the loader's code hash: tests/e2e/test_hostile_inputs.py::test_parse_cache_key_follows_the_loader)."""
    _, raw = big_yaml(tmp_path)
    before = cache.key(raw)
    monkeypatch.setattr("apicompat.__version__", "99.0")
    assert cache.key(raw) == before
    assert cache.key(raw, Limits(max_depth=10)) != before
    assert cache.key(raw, Limits(max_bytes=1)) == before  # the size is checked before the cache
    monkeypatch.setenv("APICOMPAT_YAML", "pyyaml" if yaml_parser == "yaml-rs" else "yaml-rs")
    assert cache.key(raw) != before or yamlread.yaml_rs is None  # without yaml-rs both names mean PyYAML


@pytest.mark.parametrize("garbage", [b"", b"not marshal at all", cache.MAGIC + b"\xff\x00garbage",
                                     cache.MAGIC + b"N"])  # N: marshal's None, not a document
def test_corrupt_entry_is_ignored_and_rewritten(tmp_path, cache_home, garbage):
    path, raw = big_yaml(tmp_path)
    expected = load_document(path).data
    entry = cache.path_for(raw)
    with open(entry, "wb") as fh:
        fh.write(garbage)
    assert cache.get(raw) is None
    assert load_document(path).data == expected
    assert cache.get(raw) == expected  # rewritten by the parse


def test_disabled_by_env(tmp_path, cache_home, monkeypatch):
    monkeypatch.setenv("APICOMPAT_NO_CACHE", "1")
    path, raw = big_yaml(tmp_path)
    load_document(path)
    assert entries(cache_home) == []
    cache.put(raw, {"a": 1})
    assert cache.get(raw) is None


def test_disabled_by_cli_flag(tmp_path, cache_home):
    path, _ = big_yaml(tmp_path)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home.parent)}
    cmd = [sys.executable, "-m", "apicompat", "--no-cache", "diff", path, path]
    assert subprocess.run(cmd, env=env, capture_output=True).returncode == 0
    assert entries(cache_home) == []
    cmd.remove("--no-cache")
    assert subprocess.run(cmd, env=env, capture_output=True).returncode == 0
    assert len(entries(cache_home)) == 1


def test_small_files_and_failures_are_not_cached(tmp_path, cache_home):
    small = tmp_path / "small.yaml"
    small.write_text("openapi: 3.1.0\npaths: {}\n")
    load_document(str(small))
    assert entries(cache_home) == []
    path, raw = big_yaml(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(raw + b"  bad: [unclosed\n")
    with pytest.raises(InputError):
        load_document(str(bad))
    assert entries(cache_home) == []


def test_unwritable_cache_dir_is_ignored(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file: the cache dir cannot be made
    path, _ = big_yaml(tmp_path)
    assert load_document(path).data["openapi"] == "3.1.0"
