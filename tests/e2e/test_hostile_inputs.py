"""Hostile inputs, second part (issue 11): output paths that are not plain files, memory bombs inside
the size limit, one file under many spellings, the YAML reader's semantics, the parse cache, the
process state of the deep runner, and the exit status of an internal error.

Every test here is a row of docs/reliability.md's "Hostile inputs: outputs, memory, caches" table:
`@case(id, input, outcome)` registers it, and `test_reliability_rows_match` keeps the table, the ids
and the outcomes in step. Each test tries the family, not only the one named variant.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AS_LIMIT = 2 * 1024 ** 3
TIMEOUT = 60

CASES: dict[str, tuple[str, str]] = {}  # id -> (input, outcome), the rows of the docs table


def case(id: str, input: str, outcome: str):
    """Register a test as a row of docs/reliability.md (id, what the input is, what happens)."""
    def register(fn):
        assert id not in CASES, id
        CASES[id] = (input, outcome)
        fn.case_id = id
        return fn
    return register


OK = {"type": "object", "properties": {"a": {"type": "string"}}}
CHANGED = {"type": "object", "properties": {"a": {"type": "integer"}}}


def write(path: Path, data) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def _rlimit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))


def run(*args: str, cwd=None, env: dict | None = None, stdout=subprocess.PIPE, stdin=None,
        timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """`python -m apicompat ARGS` as a real process under a 2 GB address-space limit."""
    full_env = {k: v for k, v in os.environ.items() if k != "APICOMPAT_DEBUG"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "apicompat", *args], stdout=stdout, stderr=subprocess.PIPE,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL, cwd=cwd, env=full_env,
                          timeout=timeout, preexec_fn=_rlimit)


def one_error(proc: subprocess.CompletedProcess, *, status: int = 2) -> str:
    """The run ended with `status` and exactly one `apicompat: ...` line on stderr, no traceback."""
    err = proc.stderr.decode("utf-8", "replace") if isinstance(proc.stderr, bytes) else proc.stderr
    assert proc.returncode == status, (proc.returncode, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("apicompat: "), err
    assert "Traceback" not in err
    return lines[0]


# ---- item 22: an internal error is not bad input ----------------------------------------------


def broken_install(tmp_path: Path) -> Path:
    """A copy of the package whose bundled report schema is corrupt: a real crash inside apicompat
    (not in the input), as a broken installation would give."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "checker", site / "apicompat", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "apicompat" / "schemas" / "report.schema.json").write_text("{ not json")
    return site


def saved_report(tmp_path: Path) -> str:
    proc = run("diff", write(tmp_path / "o.json", OK), write(tmp_path / "n.json", CHANGED), "--format", "json")
    assert proc.returncode == 1
    return write(tmp_path / "report.json", proc.stdout.decode())


@case("internal-error-status", "a crash inside apicompat (a broken installation: its bundled report "
      "schema is corrupt), with and without `APICOMPAT_DEBUG`",
      "3; one line `apicompat: internal error: JSONDecodeError: ...`; the traceback only with APICOMPAT_DEBUG=1")
def test_internal_error_exits_3(tmp_path):
    report = saved_report(tmp_path)
    site = broken_install(tmp_path)
    env = {"PYTHONPATH": str(site), "APICOMPAT_NO_CACHE": "1"}
    line = one_error(run("render", report, env=env), status=3)
    assert line.startswith("apicompat: internal error: JSONDecodeError:") and "APICOMPAT_DEBUG" in line
    debug = run("render", report, env={**env, "APICOMPAT_DEBUG": "1"})
    assert debug.returncode == 3
    err = debug.stderr.decode()
    assert "Traceback (most recent call last)" in err and err.strip().splitlines()[-1].startswith(
        "apicompat: internal error: JSONDecodeError")
    off = run("render", report, env={**env, "APICOMPAT_DEBUG": "0"})
    assert off.returncode == 3 and "Traceback" not in off.stderr.decode()
    # bad input through the same broken install is still status 2, and the installed package is fine
    assert one_error(run("render", str(tmp_path / "nope.json"), env=env)).endswith("no such file")
    assert run("render", report).returncode == 0


def test_exit_statuses_are_documented():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### Exit status"):]
    for status, words in ((0, "no change reaches"), (1, "at least one change"), (2, "bad input"),
                          (3, "internal error")):
        assert re.search(rf"^\| {status} \| .*{words}", table, re.M), (status, words)
    assert "APICOMPAT_DEBUG" in table


# ---- item 2: `-o FILE` never replaces what is not a plain file ------------------------------------


def report_commands(t: Path) -> dict[str, list[str]]:
    """Every command that writes a file with -o, with arguments that produce a report."""
    old, new = write(t / "o.json", OK), write(t / "n.json", CHANGED)
    snaps = t / "snaps"
    write(snaps / "a.yaml", "request: {method: GET, path: /a}\nsamples: [{status: 200, headers: "
          "{content-type: application/json}, body: {a: 1}}]\n")
    spec = write(t / "spec.json", {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {
        "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": OK}}}}}}}})
    report = t / "r.json"
    if not report.exists():
        proc = run("diff", old, new, "--format", "json")
        write(report, proc.stdout.decode())
    return {"diff": ["diff", old, new], "gate": ["gate", old, new], "changelog": ["changelog", old, new],
            "render": ["render", str(report)], "conform": ["conform", "--spec", spec, "--snapshots", str(snaps)]}


def null_device(t: Path) -> Path:
    """A character device like /dev/null: as root a private node (if apicompat replaced it, only the
    test's copy would go), otherwise the real /dev/null (which a user cannot replace anyway)."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    node = t / "null"
    if not node.exists():
        os.mknod(node, 0o666 | __import__("stat").S_IFCHR, os.makedev(1, 3))
    return node


@case("output-device", "`-o` a character device (`/dev/null`; as root a private null device node) for diff, "
      "gate, changelog, render and conform, and through a symbolic link",
      "the status of the run (0 or 1); the device is still the same character device, written in place")
def test_output_to_a_device_stays_a_device(tmp_path):
    import stat as st

    dev = null_device(tmp_path)
    (tmp_path / "to-null").symlink_to(dev)
    before = os.stat(dev)
    for name, args in report_commands(tmp_path).items():
        for target in (dev, tmp_path / "to-null") if name == "diff" else (dev,):
            proc = run(*args, "-o", str(target))
            assert proc.returncode in (0, 1) and not proc.stderr, (name, target, proc.stderr)
            now = os.stat(dev)
            assert st.S_ISCHR(now.st_mode) and (now.st_ino, now.st_rdev) == (before.st_ino, before.st_rdev), name
    assert os.path.islink(tmp_path / "to-null")


@case("output-stdout", "`-o /dev/stdout`, `/dev/stderr`, `/dev/fd/1`, `/proc/self/fd/1` with the stream "
      "a pipe, a file opened for appending, and a closed descriptor `/dev/fd/9`",
      "the report goes to the stream as a redirect would (appended to the file, whose inode stays); "
      "a closed descriptor is 2: `descriptor 9 is not open`")
def test_output_to_the_process_streams(tmp_path):
    args = report_commands(tmp_path)["diff"]
    for target in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"):
        proc = run(*args, "-o", target)
        assert proc.returncode == 1 and b"response-type-changed" in proc.stdout, (target, proc.stderr)
        out = tmp_path / "out.txt"
        out.write_text("kept\n")
        inode = out.stat().st_ino
        with open(out, "ab") as fh:
            proc = run(*args, "-o", target, stdout=fh)
        assert proc.returncode == 1 and out.stat().st_ino == inode and not os.path.islink(out)
        text = out.read_text()
        assert text.startswith("kept\n") and "response-type-changed" in text, target
    proc = run(*args, "-o", "/dev/stderr")
    assert proc.returncode == 1 and b"response-type-changed" in proc.stderr and not proc.stdout
    assert one_error(run(*args, "-o", "/dev/fd/9")).endswith("descriptor 9 is not open")


@case("output-symlink", "`-o` a symbolic link to a file (a committed `report.md -> ../victim`), to a "
      "directory, to nothing, and to a file outside the folder; the first for every command with -o",
      "2; `is a symbolic link to a file; apicompat does not write through symbolic links (give the real "
      "path)`; the link and its target unchanged, nothing created")
def test_output_refuses_symbolic_links_to_files(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "adir").mkdir()
    links = {"to-file": victim, "to-dir": tmp_path / "adir", "to-nothing": tmp_path / "nothing",
             "to-outside": Path(os.path.relpath(victim, tmp_path / "sub"))}
    (tmp_path / "sub").mkdir()
    for name, target in links.items():
        where = tmp_path / ("sub" if name == "to-outside" else "") / name
        where.symlink_to(target)
    for command, args in report_commands(tmp_path).items():
        for name in links if command == "diff" else ("to-file",):
            where = tmp_path / ("sub" if name == "to-outside" else "") / name
            line = one_error(run(*args, "-o", str(where)))
            assert "is a symbolic link to" in line and "give the real path" in line, (command, line)
            assert os.path.islink(where)
    assert victim.read_text() == "precious\n" and not (tmp_path / "nothing").exists()
    assert os.listdir(tmp_path / "adir") == []


@case("output-fifo", "`-o` a FIFO with a reader, with no reader, and through a symbolic link",
      "with a reader: the report arrives through it and it stays a FIFO; with none: 2 at once, "
      "`is a FIFO with no reader; start the reader first`")
def test_output_to_a_fifo(tmp_path):
    import stat as st
    import threading
    import time

    args = report_commands(tmp_path)["diff"]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "to-pipe").symlink_to(fifo)
    for target in (fifo, tmp_path / "to-pipe"):
        got: list[bytes] = []
        reader = threading.Thread(target=lambda got=got: got.append(open(fifo, "rb").read()))
        reader.start()
        time.sleep(0.2)
        proc = run(*args, "-o", str(target))
        reader.join(10)
        assert proc.returncode == 1 and b"response-type-changed" in got[0], proc.stderr
        assert st.S_ISFIFO(os.lstat(fifo).st_mode)
    started = time.monotonic()
    line = one_error(run(*args, "-o", str(fifo)))
    assert line.endswith("is a FIFO with no reader; start the reader first") and time.monotonic() - started < 10


@case("output-special", "`-o` a directory, a block device node (as root), an existing regular file, and a "
      "file in a folder that does not exist yet",
      "directory: 2 (`is a directory`); block device: 2 (`is a block device (a disk); refusing to write a "
      "report into it`), still a block device; a file: replaced atomically, no temp file left")
def test_output_to_other_kinds(tmp_path):
    import stat as st

    args = report_commands(tmp_path)["diff"]
    (tmp_path / "d").mkdir()
    assert "is a directory" in one_error(run(*args, "-o", str(tmp_path / "d")))
    if os.geteuid() == 0:
        blk = tmp_path / "disk"
        os.mknod(blk, 0o600 | st.S_IFBLK, os.makedev(0, 0))
        assert one_error(run(*args, "-o", str(blk))).endswith("refusing to write a report into it")
        assert st.S_ISBLK(os.lstat(blk).st_mode)
    regular = tmp_path / "report.txt"
    regular.write_text("old")
    assert run(*args, "-o", str(regular)).returncode == 1 and "response-type-changed" in regular.read_text()
    nested = tmp_path / "new" / "folder" / "report.txt"
    assert run(*args, "-o", str(nested)).returncode == 1 and nested.is_file()
    assert not [p for p in tmp_path.rglob(".apicompat-*")]


# ---- item 11: `render` reads a report like any input --------------------------------------------


@case("render-not-a-file", "`render` given /dev/zero, /dev/urandom, a symbolic link to /dev/zero, a FIFO "
      "with no writer, a FIFO whose writer never stops, a directory, a 1 GB sparse file, a 2 MB report "
      "with `--max-size 1`, JSON nested 100,000 deep, a duplicate key",
      "2 within seconds, one line each (`is not a regular file`, `is a FIFO with nothing written to it`, "
      "`larger than the 64 MB limit`, `nested deeper than 1000 levels`, ...); memory stays under the "
      "test's 2 GB address-space limit")
def test_render_reads_only_bounded_files(tmp_path):
    import threading
    import time

    (tmp_path / "zero").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "silent")
    os.mkfifo(tmp_path / "endless")
    (tmp_path / "d").mkdir()
    with open(tmp_path / "sparse.json", "wb") as fh:
        fh.truncate(1024 ** 3)
    write(tmp_path / "big.json", {"summary": {}, "changes": [], "x": "y" * 2_100_000})
    write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    write(tmp_path / "dup.json", '{"summary": {}, "summary": {}, "changes": []}')
    expected = {"/dev/zero": "is not a regular file", "/dev/urandom": "is not a regular file",
                "zero": "is not a regular file", "silent": "is a FIFO with nothing written to it",
                "endless": "larger than the 1 MB limit", "d": "is a directory",
                "sparse.json": "larger than the 64 MB limit", "big.json": "larger than the 1 MB limit",
                "deep.json": "nested deeper than 1000 levels", "dup.json": "duplicate key 'summary'"}

    def endless_writer() -> None:
        try:
            with open(tmp_path / "endless", "wb") as fh:
                while True:
                    fh.write(b"[" * 65536)
        except (BrokenPipeError, OSError):
            pass

    for name, words in expected.items():
        writer = None
        if name == "endless":
            writer = threading.Thread(target=endless_writer, daemon=True)
            writer.start()
        extra = ["--max-size", "1"] if name in ("endless", "big.json") else []
        started = time.monotonic()
        line = one_error(run("render", name, *extra, cwd=tmp_path))
        assert words in line and name in line, (name, line)
        assert time.monotonic() - started < 20, name
        if writer is not None:
            writer.join(5)


# ---- items 5 and 16: YAML aliases within bounds, merge keys honoured ---------------------------


def run_measured(*args: str, cwd=None, env: dict | None = None) -> tuple[subprocess.CompletedProcess, float, float]:
    """`run`, and the process's own peak RSS (MB) and wall time (s), measured as benchmarks/hostile_memory.py
    measures them (VmHWM: rusage's ru_maxrss would also count this process's memory at the fork)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from hostile_memory import run_watched

    full_env = {k: v for k, v in os.environ.items() if k != "APICOMPAT_DEBUG"}
    full_env.update(env or {})
    return run_watched([sys.executable, "-m", "apicompat", *args], cwd=cwd, env=full_env, timeout=TIMEOUT,
                       preexec_fn=_rlimit)


MIB = 1024 * 1024
BIG = "x" * MIB


def alias_bombs() -> dict[str, str]:
    """Documents of a few MB at most whose aliases would expand to gigabytes."""
    head = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
    ten_k = "y" * 10_240
    return {
        "scalar-block": f"{head}big: &a '{BIG}'\nx-copies:\n" + "  - *a\n" * 1500,
        "scalar-flow": f"{head}big: &a '{BIG}'\nx-copies: [" + ", ".join(["*a"] * 1500) + "]\n",
        "mapping": f"{head}big: &a {{" + ", ".join(f"k{i}: '{'z' * 1024}'" for i in range(1000)) + "}\nx-copies: ["
                   + ", ".join(["*a"] * 1500) + "]\n",
        "nested": f"{head}a: &a '{ten_k}'\nb: &b [" + ", ".join(["*a"] * 100) + "]\nc: &c ["
                  + ", ".join(["*b"] * 100) + "]\nd: [" + ", ".join(["*c"] * 100) + "]\n",
        "billion-laughs": "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join('*' + chr(97 + i) for _ in range(9))}]\n" for i in range(9)),
        "yaml-1.3": f"%YAML 1.3\n---\n{head}big: &a '{BIG}'\nx-copies:\n" + "  - *a\n" * 1500,
    }


@case("yaml-alias-bytes", "YAML aliases that expand a ~1 MB file to GBs: a 1 MiB scalar aliased 1,500 times "
      "(block and flow), a 1 MiB mapping aliased 1,500 times, anchors of aliases of anchors (10 GB), billion "
      "laughs, the first behind `%YAML 1.3` (which PyYAML cannot read); each with yaml-rs and the fallback",
      "2 in seconds, `too many alias expansions (alias bomb?): aliases would add N bytes in M values to ...` "
      "(or `uses YAML aliases where apicompat cannot measure them`; the fallback refuses `%YAML 1.3` itself), "
      "peak RSS under 250 MB; nothing is expanded before it is measured")
def test_alias_bombs_are_measured_before_expansion(tmp_path):
    ok = write(tmp_path / "ok.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n")
    for name, text in alias_bombs().items():
        path = write(tmp_path / f"{name}.yaml", text)
        for parser in ("yaml-rs", "pyyaml"):
            proc, peak_mb, seconds = run_measured("diff", path, ok, env={"APICOMPAT_YAML": parser,
                                                                         "APICOMPAT_NO_CACHE": "1"})
            line = one_error(proc)
            refused_version = name == "yaml-1.3" and parser == "pyyaml" and "incompatible YAML document" in line
            assert "too many alias expansions" in line or "cannot measure them" in line or refused_version, \
                (name, parser, line)
            assert peak_mb < 250 and seconds < 30, (name, parser, peak_mb, seconds)


@case("yaml-alias-reuse", "YAML that reuses blocks legitimately: a 2 KB error response aliased 200 times "
      "in a small spec, and aliases adding as much as the document holds",
      "read and diffed (exit 0 against the same document written out in full), with both parsers")
def test_legitimate_aliases_pass(tmp_path):
    block = "{description: failed, content: {application/json: {schema: {type: object, properties: {" + ", ".join(
        f"f{i}: {{type: string, description: '{'d' * 40}'}}" for i in range(30)) + "}}}}}"
    paths = "".join(f"  /p{i}:\n    get:\n      responses:\n        '500': *err\n" for i in range(200))
    text = f"openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nx-err: &err {block}\npaths:\n{paths}"
    aliased = write(tmp_path / "aliased.yaml", text)
    inline = write(tmp_path / "inline.yaml", text.replace("*err", block))
    for parser in ("yaml-rs", "pyyaml"):
        proc = run("diff", aliased, inline, env={"APICOMPAT_YAML": parser, "APICOMPAT_NO_CACHE": "1"})
        assert proc.returncode == 0 and b"no changes" in proc.stdout, (parser, proc.stderr)


MERGE_BASE = """openapi: 3.1.0
info: {title: t, version: '1'}
x-bases:
  named: &named {id: {type: string}, name: {type: string}}
  dated: &dated {created: {type: integer}, name: {type: integer}}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  %s
"""


@case("yaml-merge-keys", "a breaking change that only a YAML merge key (`<<: *base`) shows: a property "
      "removed from the merged base, a merged type overridden, the order of `<<: [*a, *b]` swapped, a merge "
      "in flow style; and a merge against the same mapping written out",
      "1 with `response-property-removed` / `response-type-changed` (yaml-rs kept `<<` as a key and exited 0); "
      "0 for the written-out twin; the same with either parser")
def test_merge_keys_are_honoured(tmp_path):
    pairs = {
        "removed": ("<<: *named", "<<: *dated", "response-property-removed"),
        "overridden": ("<<: *named", "<<: *named\n                  id: {type: integer}", "response-type-changed"),
        "order": ("<<: [*named, *dated]", "<<: [*dated, *named]", "response-type-changed"),
        "flow": ("<<: *named", "<<: {id: {type: integer}}", "response-type-changed"),
    }
    for name, (old, new, rule) in pairs.items():
        a = write(tmp_path / f"{name}-old.yaml", MERGE_BASE % old)
        b = write(tmp_path / f"{name}-new.yaml", MERGE_BASE % new)
        for parser in ("yaml-rs", "pyyaml"):
            proc = run("diff", a, b, env={"APICOMPAT_YAML": parser})
            assert proc.returncode == 1 and rule.encode() in proc.stdout, (name, parser, proc.stdout[-500:])
    merged = write(tmp_path / "merged.yaml", MERGE_BASE % "<<: *named\n                  extra: {type: string}")
    written = write(tmp_path / "written.yaml", MERGE_BASE % "id: {type: string}\n                  name: "
                    "{type: string}\n                  extra: {type: string}")
    for parser in ("yaml-rs", "pyyaml"):
        proc = run("diff", merged, written, env={"APICOMPAT_YAML": parser})
        assert proc.returncode == 0 and b"no changes" in proc.stdout, (parser, proc.stdout)


# ---- the peak-memory bound: values per document ----------------------------------------------------


def dense_documents(mb: float) -> dict[str, str]:
    """Documents within the size limit that hold far more values per byte than any spec."""
    n = int(mb * MIB)
    return {
        "objects.json": '{"type": "object", "x-a": [' + ",".join(["{}"] * (n // 3)) + "]}",
        "lists.json": '{"type": "object", "x-a": [' + ",".join(["[]"] * (n // 3)) + "]}",
        "ints.json": '{"type": "object", "enum": [' + ",".join(["0"] * (n // 2)) + "]}",
        "keys.json": '{"type": "object", "x-a": {' + ",".join(f'"{i}":0' for i in range(n // 12)) + "}}",
        "mappings.yaml": "type: object\nx-a:\n" + "- {k: 1}\n" * (n // 10),
        "aliases.yaml": "type: object\nx-b: &b [" + ",".join(["{}"] * 50_000) + "]\nx-a: ["
                        + ",".join(["*b"] * 40) + "]\n",
    }


@case("dense-values", "documents within the 64 MB size limit holding a value every 2-12 bytes: 16 MB of `{}`, "
      "of `[]`, of `0` in an enum, 1.4 million keys, 1.7 million block mappings in YAML, and aliases replaying "
      "2 million values; with yaml-rs and the fallback; and 4 MB of prose full of `:`, `,`, `-`",
      "2 in seconds, `holds more than 838,860 values (mappings, lists, keys and scalars; one per 80 bytes of the "
      "64 MB size limit: raise it with --max-size MB)`, peak RSS under 400 MB (unbounded, 16 MB of `{}` cost "
      "~1.6 GB); the prose is counted exactly and read (0)")
def test_dense_documents_are_refused_before_parsing(tmp_path):
    ok = write(tmp_path / "ok.json", OK)
    for name, text in dense_documents(16).items():
        path = write(tmp_path / name, text)
        for parser in ("yaml-rs", "pyyaml") if name.endswith(".yaml") else ("yaml-rs",):
            proc, peak_mb, seconds = run_measured("diff", path, ok, env={"APICOMPAT_YAML": parser,
                                                                         "APICOMPAT_NO_CACHE": "1"})
            line = one_error(proc)
            assert "holds more than 838,860 values" in line or (name == "aliases.yaml" and "alias" in line), \
                (name, parser, line)
            assert peak_mb < 400 and seconds < 30, (name, parser, peak_mb, seconds)
    # --max-size raises the value limit with it; a spec-like document far below it is untouched
    small = write(tmp_path / "small.json", dense_documents(0.9)["ints.json"])
    assert "holds more than 100,000 values" in one_error(run("diff", small, ok, "--max-size", "1"))
    assert run("diff", small, ok, "--max-size", "64").returncode in (0, 1)  # read and diffed
    # text full of `:`, `,` and `-` is counted exactly, not refused for looking dense
    prose = "a: b, c - [d] {e}? " * 200_000
    for name, text in (("prose.json", json.dumps({"type": "object", "description": prose})),
                       ("prose.yaml", "type: object\ndescription: |\n" + f"  {prose}\n" * 2)):
        path = write(tmp_path / name, text)
        assert run("diff", path, path).returncode == 0, name


@case("ref-values", "a document that $refs 12 files of 1 MB of `{}` (350,000 values each: every one under the "
      "limit, 4.2 million together)",
      "2: `the files a.json refers to hold more than 838,860 values ... together`, peak RSS under 400 MB")
def test_ref_files_share_the_value_limit(tmp_path):
    for i in range(12):
        write(tmp_path / f"d{i}.json", '{"x": [' + ",".join(["{}"] * 350_000) + "]}")
    root = write(tmp_path / "a.json", {"properties": {f"p{i}": {"$ref": f"d{i}.json#/x/0"} for i in range(12)}})
    proc, peak_mb, _ = run_measured("diff", root, root, env={"APICOMPAT_NO_CACHE": "1"})
    line = one_error(proc)
    assert "refers to hold more than 838,860 values" in line and "together" in line, line
    assert peak_mb < 400, peak_mb


# ---- item 9: one file under many spellings is one file; every read within --max-size ---------------


def ref_target(size_mb: float) -> dict:
    """A JSON Schema file of about `size_mb` MB that many $refs point into."""
    n = int(size_mb * 1024 * 1024 / 120)
    return {"$defs": {"A": {"type": "object", "properties": {f"p{i}": {"type": "string", "description": "d" * 80}
                                                              for i in range(n)}}}}


@case("ref-spellings", "one 4 MB $ref'd file under 120 spellings (`big.json?N`, `%62ig.json`, `./big.json`, "
      "`sub/../big.json`, a symlink to it, with and without `#/$defs/A`), in the old and the new document",
      "read and parsed once per document: 0, peak RSS under 300 MB (150 MB measured; 120 parses ran out "
      "at 412 MB); a change inside it is still found (1)")
def test_one_file_under_many_spellings_is_parsed_once(tmp_path):
    write(tmp_path / "big.json", ref_target(4))
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.json").symlink_to("big.json")
    spellings = [f"big.json?{i}#/$defs/A" for i in range(100)] + [
        "%62ig.json#/$defs/A", "./big.json#/$defs/A", "sub/../big.json#/$defs/A", "link.json#/$defs/A",
        "./%62ig.json?x=1#/$defs/A", "big.json#/%24defs/A", "big.json#/$defs/A"] + [
        f"./{'./' * i}big.json#/$defs/A" for i in range(13)]
    assert len(spellings) == 120
    root = {"type": "object", "properties": {f"r{i}": {"$ref": ref} for i, ref in enumerate(spellings)}}
    old = write(tmp_path / "old.json", root)
    new = write(tmp_path / "new.json", root)
    proc, peak_mb, seconds = run_measured("diff", old, new, env={"APICOMPAT_NO_CACHE": "1"})
    assert proc.returncode == 0 and b"no changes" in proc.stdout, proc.stderr
    assert peak_mb < 300, peak_mb  # the old resolver parsed it 120 times: 412 MB, then gave up
    changed = json.loads((tmp_path / "big.json").read_text())
    changed["$defs"]["A"]["properties"]["p1"]["type"] = "integer"
    write(tmp_path / "v2" / "big.json", changed)
    (tmp_path / "v2" / "sub").mkdir()
    (tmp_path / "v2" / "link.json").symlink_to("big.json")
    newer = write(tmp_path / "v2" / "new.json", root)
    proc = run("diff", old, newer, "--format", "json", env={"APICOMPAT_NO_CACHE": "1"})
    assert proc.returncode == 1 and b"response-type-changed" in proc.stdout, proc.stderr


@case("ref-max-size", "`--max-size 1` and $ref'd files: one 2 MB file, three 0.6 MB files (1.8 MB together), "
      "and the same 0.6 MB file under three spellings",
      "2: `big.json: file is larger than the 1 MB limit`; `the files a.json refers to add up to more than the "
      "1 MB limit`; the one file under three spellings counts once (0)")
def test_ref_files_are_within_max_size(tmp_path):
    write(tmp_path / "big.json", ref_target(2))
    for name in ("p1", "p2", "p3"):
        write(tmp_path / f"{name}.json", ref_target(0.6))
    one = write(tmp_path / "a.json", {"properties": {"x": {"$ref": "big.json#/$defs/A"}}})
    line = one_error(run("diff", one, one, "--max-size", "1"))
    assert "big.json: file is larger than the 1 MB limit" in line
    three = write(tmp_path / "a.json", {"properties": {n: {"$ref": f"{n}.json#/$defs/A"} for n in ("p1", "p2", "p3")}})
    line = one_error(run("diff", three, three, "--max-size", "1"))
    assert "refers to add up to more than the 1 MB limit" in line and "a.json" in line
    same = write(tmp_path / "s.json", {"properties": {str(i): {"$ref": ref} for i, ref in enumerate(
        ["p1.json#/$defs/A", "./p1.json#/$defs/A", "p1.json?2#/$defs/A"])}})
    assert run("diff", same, same, "--max-size", "1").returncode == 0


@case("git-blob-size", "`git:HEAD:big.json` where the blob is 200 MB (with `--max-size 1`), and "
      "`git:HEAD:dir` (a tree)", "2 without reading the blob (`git cat-file` gives its size first; peak RSS "
      "under 100 MB): `file is larger than the 1 MB limit`; `is a directory in git, expected a file`")
def test_git_blob_size_is_checked_before_reading(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with open(tmp_path / "big.json", "wb") as fh:
        fh.write(b'{"description": "' + b"a" * (200 * MIB) + b'"}')
    write(tmp_path / "dir" / "x.json", OK)
    git = ["git", "-C", str(tmp_path), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "v1"], check=True)
    ok = write(tmp_path / "ok.json", OK)
    proc, peak_mb, _ = run_measured("diff", "git:HEAD:big.json", ok, "--max-size", "1", cwd=tmp_path)
    assert one_error(proc).endswith("git:HEAD:big.json: file is larger than the 1 MB limit (raise it with --max-size MB)")
    assert peak_mb < 100, peak_mb
    assert one_error(run("diff", "git:HEAD:dir", ok, cwd=tmp_path)).endswith("is a directory in git, expected a file")


@case("ref-yaml-int-keys", "a $ref'd YAML file whose properties are named `200`, `404`, `true` (YAML reads them as "
      "a number and a boolean), one removed in the new version",
      "1 with `response-property-removed` at `404` (the names were dropped, and the removal missed)")
def test_integer_property_names_in_ref_files(tmp_path):
    props = "Obj:\n  type: object\n  properties:\n    200: {type: string}\n    true: {type: string}\n"
    write(tmp_path / "old" / "parts.yaml", props + "    404: {type: integer}\n")
    write(tmp_path / "new" / "parts.yaml", props)
    for side in ("old", "new"):
        write(tmp_path / side / "root.json", {"properties": {"a": {"$ref": "parts.yaml#/Obj"}}})
    proc = run("diff", str(tmp_path / "old" / "root.json"), str(tmp_path / "new" / "root.json"), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    changes = json.loads(proc.stdout)["changes"]
    assert [(c["rule"], c["pointer"].rsplit("/", 1)[-1]) for c in changes] == [("response-property-removed", "404")]


# ---- item 5 and issue 14 item 6: the parse cache is keyed by the loader and bounded ---------------


def big_spec(marker: str, operations: int = 3600) -> str:
    """A spec over the cache's 256 KB threshold."""
    paths = "".join(f"  /p{i}:\n    get: {{summary: '{marker} {i}', responses: {{'200': {{description: ok}}}}}}\n"
                    for i in range(operations))
    return f"openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}"


def cache_entries(home: Path) -> list[Path]:
    folder = home / "apicompat"
    return sorted(folder.glob("*.marshal")) if folder.is_dir() else []


@case("parse-cache-key", "the parse cache after a change to the loader's code (a copy of the package with one "
      "loader file changed), under the other YAML parser, and after a new package version alone",
      "a changed loader or parser never reads the old entry (a second entry is written); the same loader "
      "reads it whatever the package version says")
def test_parse_cache_key_follows_the_loader(tmp_path):
    spec = write(tmp_path / "big.yaml", big_spec("k"))
    home = tmp_path / "xdg"
    env = {"XDG_CACHE_HOME": str(home), "APICOMPAT_NO_CACHE": "0"}
    site = tmp_path / "site"
    shutil.copytree(ROOT / "checker", site / "apicompat", ignore=shutil.ignore_patterns("__pycache__"))
    other = "yaml-rs" if os.environ.get("APICOMPAT_YAML") == "pyyaml" else "pyyaml"
    for extra, expected in (({}, 1), ({}, 1), ({"APICOMPAT_YAML": other}, 2),
                            ({"PYTHONPATH": str(site)}, 2)):  # an identical copy of the loader: same key
        assert run("diff", spec, spec, env={**env, **extra}).returncode == 0
        assert len(cache_entries(home)) == expected, (extra, cache_entries(home))
    with open(site / "apicompat" / "load" / "yamlread.py", "a") as fh:
        fh.write("\n# a changed loader\n")
    assert run("diff", spec, spec, env={**env, "PYTHONPATH": str(site)}).returncode == 0
    assert len(cache_entries(home)) == 3
    init = site / "apicompat" / "__init__.py"  # a new package version alone: the entry is read
    init.write_text(re.sub(r'__version__ = "[^"]*"', '__version__ = "99.0"', init.read_text()))
    with open(site / "apicompat" / "load" / "yamlread.py", "rb") as fh:
        assert fh.read().endswith(b"# a changed loader\n")
    assert run("diff", spec, spec, env={**env, "PYTHONPATH": str(site)}).returncode == 0
    assert len(cache_entries(home)) == 3


@case("parse-cache-bounds", "the parse cache with `APICOMPAT_CACHE_MAX_MB=1` fed six 300 KB specs, one read "
      "again in between; entries planted in its place: a 10 GB sparse file, a FIFO, a symlink to /dev/zero, "
      "garbage",
      "the folder stays under 1 MB: the least recently used entries go first (a hit keeps its entry); a planted "
      "entry is never read (no hang, no 10 GB read) and the document is parsed again, exit 0")
def test_parse_cache_is_bounded(tmp_path):
    import time

    home = tmp_path / "xdg"
    env = {"XDG_CACHE_HOME": str(home), "APICOMPAT_NO_CACHE": "0", "APICOMPAT_CACHE_MAX_MB": "1"}
    specs = [write(tmp_path / f"s{i}.yaml", big_spec(f"m{i}")) for i in range(6)]
    assert all(Path(p).stat().st_size > 256 * 1024 for p in specs)
    written: list[Path] = []
    for i, spec in enumerate(specs):
        assert run("diff", spec, spec, env=env).returncode == 0
        written.append(next(p for p in cache_entries(home) if p not in written))
        if i == 1:
            time.sleep(1.1)
            assert run("diff", specs[0], specs[0], env=env).returncode == 0  # a hit: s0 is used again
        time.sleep(1.1)  # distinct mtimes
        total = sum(p.stat().st_size for p in cache_entries(home))
        assert total <= 1024 * 1024 and written[-1] in cache_entries(home), (i, total)
        if i == 4:  # four ~257 KB entries fit: the first eviction took s1, not s0 (used again since)
            kept = cache_entries(home)
            assert written[0] in kept and written[1] not in kept and len(kept) == 4, (written, kept)

    # entries planted where the next read looks: never read, never followed, never waited on
    entry = written[-1]
    for plant in ("sparse", "fifo", "zero", "garbage"):
        entry.unlink(missing_ok=True)
        if plant == "sparse":
            with open(entry, "wb") as fh:
                fh.truncate(10 * 1024 ** 3)
        elif plant == "fifo":
            os.mkfifo(entry)
        elif plant == "zero":
            entry.symlink_to("/dev/zero")
        else:
            entry.write_bytes(b"apicompat-cache\x00" + os.urandom(4096))
        proc, peak_mb, seconds = run_measured("diff", specs[-1], specs[-1], env=env)
        assert proc.returncode == 0 and b"no changes" in proc.stdout, (plant, proc.stderr)
        assert seconds < 30 and peak_mb < 400, (plant, seconds, peak_mb)
    assert sum(p.stat().st_size for p in cache_entries(home) if p.is_file() and not p.is_symlink()) <= 1024 * 1024


# ---- issue 14 item 6: the deep runner leaves no process state behind ----------------------------


@case("deep-runner-state", "`run_deep` (the big-stack runner of diff, gate, conform) used as a library: "
      "two runs at once from two threads, one nested in another, one that raises, while other threads "
      "start threads", "the 512 MB stack only for the deep thread (every other thread, during the run too, "
      "gets the default size); the recursion limit raised only while a run is active and restored after the "
      "last, whatever the outcome")
def test_deep_runner_leaves_no_process_state():
    import threading
    import time

    from apicompat.deep import RECURSION_LIMIT, run_deep

    before_limit, before_size = sys.getrecursionlimit(), threading.stack_size()
    seen: dict[str, object] = {}
    both_running = threading.Barrier(3)

    def depth(n: int) -> int:  # deeper than the default limit allows
        return 0 if n == 0 else 1 + depth(n - 1)

    def deep_work(tag: str, pause: float) -> int:
        both_running.wait(10)  # both deep threads exist: no thread creation is under way
        seen[tag + ":size"] = threading.stack_size()  # as any thread made now would get it
        seen[tag + ":limit"] = sys.getrecursionlimit()
        seen[tag + ":nested"] = run_deep(lambda: threading.current_thread().name)
        time.sleep(pause)
        return depth(20_000)

    results: dict[str, object] = {}
    workers = [threading.Thread(target=lambda t=t, p=p: results.__setitem__(t, run_deep(lambda: deep_work(t, p))))
               for t, p in (("a", 0.3), ("b", 0.6))]
    for w in workers:
        w.start()
    both_running.wait(10)
    during = threading.stack_size()
    for w in workers:
        w.join()
    assert results == {"a": 20_000, "b": 20_000}
    assert seen["a:size"] == seen["b:size"] == before_size == during  # nobody else got the big stack
    assert seen["a:limit"] == seen["b:limit"] == RECURSION_LIMIT
    assert seen["a:nested"] == seen["b:nested"] == "apicompat-deep"  # inline, on the deep thread
    assert (sys.getrecursionlimit(), threading.stack_size()) == (before_limit, before_size)

    with pytest.raises(ZeroDivisionError):
        run_deep(lambda: 1 / 0)
    assert (sys.getrecursionlimit(), threading.stack_size()) == (before_limit, before_size)
    with pytest.raises(RecursionError):  # the limit still turns runaway recursion into an error
        run_deep(lambda: depth(10 ** 6))
    assert (sys.getrecursionlimit(), threading.stack_size()) == (before_limit, before_size)


# ---- the table in docs/reliability.md ---------------------------------------------------------

SECTION = "## Hostile inputs: outputs, memory, caches"


def _section_rows() -> dict[str, str]:
    text = (ROOT / "docs" / "reliability.md").read_text()
    assert SECTION in text
    body = text[text.index(SECTION):]
    body = body[: body.find("\n## ", 1)] if "\n## " in body[1:] else body
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z0-9-]+)` \|.*$", body, re.M)}


def test_reliability_rows_match():
    """One row per registered case, no other, and each row states the tested input and outcome."""
    rows = _section_rows()
    assert sorted(rows) == sorted(CASES)
    for cid, (input_, outcome) in CASES.items():
        assert f"| `{cid}` | {input_} | {outcome} |" == rows[cid], cid


if __name__ == "__main__":  # the rows of the docs table
    for cid, (input_, outcome) in CASES.items():
        print(f"| `{cid}` | {input_} | {outcome} |")
