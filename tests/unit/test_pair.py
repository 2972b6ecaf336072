"""The two documents of a diff read at once (apicompat.load.pair): the new one parsed in a forked
process beside this one, with the same data and the same errors as reading them one after the other,
and the cyclic collector left as it was by a diff."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apicompat.errors import InputError
from apicompat.load import cache, load_document
from apicompat.load.limits import Limits
from apicompat.load.pair import MIN_BYTES, load_pair, parallel_enabled

from conftest import SHARED

OPENAI = SHARED / "corpus" / "openai"
OLD, NEW = OPENAI / "2026-08-14_2329a66.yaml", OPENAI / "2026-08-15_9b457ac.yaml"

pytestmark = pytest.mark.skipif(not NEW.exists(), reason="the shared corpus is not beside the checkout")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "apicompat"


def big(tmp_path: Path, name: str, tail: str = "") -> str:
    """A copy of the newest OpenAI document (over the size a fork is worth), with `tail` appended."""
    path = tmp_path / name
    path.write_text(NEW.read_text() + tail)
    assert path.stat().st_size > MIN_BYTES
    return str(path)


def error_of(fn) -> str:
    with pytest.raises(InputError) as info:
        fn()
    return str(info.value)


def test_the_forked_read_gives_the_documents_read_one_after_the_other(fresh_cache, monkeypatch):
    assert parallel_enabled() == sys.platform.startswith("linux")
    old_doc, new_doc = load_pair(str(OLD), str(NEW))
    monkeypatch.setenv("APICOMPAT_NO_CACHE", "1")
    alone = load_document(str(OLD)), load_document(str(NEW))
    for got, want in zip((old_doc, new_doc), alone):
        assert (got.source, got.text, got.path) == (want.source, want.text, want.path)
        assert got.data == want.data
        assert list(got.data) == list(want.data)  # the order of keys too
    monkeypatch.delenv("APICOMPAT_NO_CACHE")
    # The child wrote the new document's cache entry, this process the old one's: a second read hits both.
    assert len(list(fresh_cache.glob("*" + cache.SUFFIX))) == 2
    assert cache.get(NEW.read_bytes()) == new_doc.data


def test_read_one_after_the_other_when_asked(fresh_cache, monkeypatch):
    monkeypatch.setenv("APICOMPAT_PARALLEL", "0")
    assert not parallel_enabled()
    old_doc, new_doc = load_pair(str(OLD), str(NEW))
    assert new_doc.data == load_document(str(NEW)).data


def test_an_error_in_the_new_document_is_the_one_it_gives_alone(tmp_path, fresh_cache):
    bad = big(tmp_path, "bad.yaml", "\n  - not: [closed\n")
    expected = error_of(lambda: load_document(bad))
    assert error_of(lambda: load_pair(str(OLD), bad)) == expected
    # A limit met in the child only: 150,000 values, the old document holds 109,197.
    too_many = big(tmp_path, "many.yaml", "\nx-pad: [" + "1, " * 100_000 + "1]\n")
    small = Limits(bytes_per_value=(64 << 20) // 150_000)
    expected = error_of(lambda: load_document(too_many, small))
    assert "values" in expected
    assert error_of(lambda: load_pair(str(OLD), too_many, small)) == expected


def test_the_old_documents_error_comes_first(tmp_path, fresh_cache):
    bad_old = big(tmp_path, "bad-old.yaml", "\n  - not: [closed\n")
    bad_new = big(tmp_path, "bad-new.yaml", "\nx: [\n")
    expected = error_of(lambda: load_document(bad_old))
    assert error_of(lambda: load_pair(bad_old, bad_new)) == expected
    assert error_of(lambda: load_pair(bad_old, str(tmp_path / "missing.yaml"))) == expected
    assert error_of(lambda: load_pair(str(OLD), str(tmp_path / "missing.yaml"))) == \
        error_of(lambda: load_document(str(tmp_path / "missing.yaml")))


def test_the_stages_are_said_and_meanwhile_runs_once(fresh_cache):
    said, calls = [], []
    load_pair(str(OLD), str(NEW), stage=said.append, meanwhile=lambda: calls.append(1))
    assert said == [f"reading {OLD}", f"reading {NEW}"]
    assert calls == [1]


def test_no_child_is_left_behind(fresh_cache):
    load_pair(str(OLD), str(NEW))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child of this process was waited for


def test_a_diff_leaves_the_cyclic_collector_as_it_was(tmp_path):
    """The CLI's diff pauses, freezes and tunes the collector (cli/contracts.py); run in-process,
    it puts everything back."""
    code = (
        "import gc, sys\n"
        "from apicompat.cli import main\n"
        "gc.set_threshold(701, 11, 12)\n"
        "before = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "after = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())\n"
        "assert before == after == (True, (701, 11, 12), 0), (before, after)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code, "diff", str(OLD), str(NEW), "--format", "json",
                          "--fail-on", "none", "--output", str(tmp_path / "r.json")],
                         capture_output=True, text=True, env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)})
    assert out.stdout.strip() == "ok", out.stderr
    assert gc.get_freeze_count() == 0
