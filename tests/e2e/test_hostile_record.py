"""Hostile files, servers, disks and signals against the recording side (issue 11): what `record`,
`check`, `accept` and `mock-server` must survive without leaking, hanging, losing a baseline or lying.

Every test runs the real CLI (a process where exit status, stderr and memory matter) against real
servers on 127.0.0.1 started here, on real files in a temporary directory. The rows of
docs/reliability.md's "Hostile recording" table are the ids of RECORDING below
(test_reliability_doc_matches_the_cases).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-hostile-KEY-0123456789abcdef"
IS_ROOT = os.geteuid() == 0

# id, what is tried, what must happen: rows of docs/reliability.md
RECORDING = [
    ("lock-symlink", "snapshots/.apicompat.lock committed as a symlink (to a file outside, dangling), a FIFO, "
     "a directory, a file with a second hard link; for record, check and accept",
     "2: `is a symbolic link; refusing to use it as the lock` (or `not a regular file`, `hard links`); the "
     "target's bytes unchanged, nothing created through a dangling link, no FIFO opened for writing"),
    ("accept-planted", "`.last-check` itself a symlink to a folder of valid files; `.last-check/snapshots` a "
     "symlink; a file in it a symlink to a secret file, a FIFO, a hard-to-name file (`a b.yaml`), not a snapshot",
     "2: `is not a folder apicompat check wrote` / `is a symbolic link; accept takes only files apicompat check "
     "wrote, nothing accepted`; baseline byte-identical, no secret in it, `.last-check` kept"),
    ("check-outside-ref", "a baseline schema with `$dynamicRef`/`$ref` to `http://127.0.0.1:PORT/`, "
     "`file:///etc/passwd`, a FIFO, a relative file, `//host/x`; `conform` with a spec whose `$dynamicRef`/`$ref` "
     "is a URL",
     "2: `schemas/a.json: #/properties/id/$dynamicRef: $dynamicRef 'http://...' leaves the document`; conform: "
     "`cannot resolve $ref ... (only references inside the spec are followed)`; no request reaches the server, "
     "no file is read; local `#/$defs/...` refs are still followed"),
    ("gzip-bomb", "`content-encoding: gzip, gzip` (256 MB of zeros in ~1 KB), `gzip` (256 KB), `deflate` "
     "(zlib and raw), `x-gzip, deflate`, 5 layers, `br`, a truncated gzip (`--max-response-mb 1`)",
     "1: `response larger than 1048576 bytes once decoded`, `content-encoding br is not supported`, "
     "`stacks 5 layers`, `DecodingError: gzip body ended before its end`; peak RSS under 150 MB"),
    ("header-trickle", "a server sending the status line or headers one byte every 0.1 s for ever, or a body "
     "after slow headers (`--timeout 1`)",
     "1 in under 5 s (2 attempts): `response still arriving after 1s (--timeout)`"),
    ("cookie-words", "`Set-Cookie: sid=samples` (and `null`, `true`, `request`, `200`, `Path=/; Max-Age=3600`) "
     "then `check`",
     "0: the snapshot is valid YAML with its layout intact, `check` reads it (0); only the cookie value is "
     "`[REDACTED]`"),
    ("key-echo-shapes", "the key echoed in a header NAME (`x-ratelimit-<key>`, lowercased by HTTP), split "
     "across two SSE `data:` lines (LF and CRLF), in an SSE `event:` name, in a non-JSON body, in a case path",
     "recorded with `[REDACTED]`; the key (any case, any line break) in no file and no output"),
    ("unstorable-values", "bodies with a lone surrogate in a key and a value, `NaN`, `Infinity`, `1e400`, "
     "`-1e400`, a 2,000-digit integer, a 5,000-digit one; SSE data with NaN and a lone surrogate",
     "1: one `case NAME: cannot be stored: ...` line each; the good cases before and after written; "
     "`check` then reads the baseline (0 for the good cases)"),
    ("disk-full", "`record` onto a 256 KB tmpfs (root) or under RLIMIT_FSIZE, where the 4th of 6 files does "
     "not fit",
     "2: `cannot write the new baseline (nothing was changed): No space left on device` (File too large); "
     "all 12 baseline files byte-identical, no staged or temp file left"),
    ("read-only", "`record`, `check` and `accept` with a read-only snapshot folder (a read-only tmpfs as root, "
     "mode 555 otherwise)", "2: one line `cannot ...: Read-only file system` (Permission denied), no traceback"),
    ("interrupted-commit", "a journal and staged files as a killed `record` leaves them: after the journal "
     "(some files moved), before it (staged only); a planted journal naming ../outside or a changed file; "
     "`mock-server`, `conform` and `gate --usage` (which take no lock) on a half-swapped baseline",
     "the next `check` finishes the first (new baseline), rolls back the second (old baseline), refuses "
     "the planted one (2, nothing moved); no stray files; the lockless readers say 2: `an interrupted commit is "
     "not finished yet; run apicompat check (or record) once to finish it`"),
    ("kill-campaign", "SIGKILL at random points of `record` and `accept` (10 tries here; 200+ in "
     "benchmarks/kill_campaign.py)", "after the next run, the baseline is the old or the new one, byte for byte"),
    ("mock-bad-requests", "mock-server given `content-length: abc`, `-5`, two lengths, 1 GiB declared (and 64 KB "
     "of it sent), a chunked body, an idle connection, a request trickled a byte every 0.2 s, half a request "
     "line, TLS bytes", "400/411/413 with `connection: close` at once (no body read, no block); the idle and the "
     "trickling connection closed after `--idle-timeout` (1 s here); no traceback, the server keeps serving"),
    ("mock-bad-snapshots", "snapshots with status `99`, `1000`, headers whose values or names hold CR/LF or NUL, a "
     "recorded `content-length`; and at start: status `banana`, `true`, `request: 5` with `samples: {}`, a header "
     "value that is a list",
     "500 with one JSON line for a status outside 200-599; the bad headers left out (no injected header line); "
     "a malformed snapshot refuses to start, 2: `bad.yaml: #/samples/0/status: not an apicompat snapshot: 'banana' "
     "is not of type 'integer'` (checked against checker/schemas/snapshot.schema.json); no traceback"),
    ("case-name-newline", "a case named `a\\n` (and `a\\r`, `a\\t`, `a\\n::error::x`)", "2: `cases[0].name: expected a safe "
     "file name (...), not 'a\\n'`"),
    ("traffic-fuzz", "random responses (JSON with odd strings, numbers, keys; raw bytes; headers; encodings; SSE "
     "frames) from a real server, recorded then checked; then damaged baselines (one file changed at a random "
     "place) read by check's comparison in process, 10 times, and three files damaged for a last `check` run "
     "(60 responses per run here; benchmarks/fuzz_traffic.py for the campaign)",
     "record exits 0 or 1, every case recorded or one per-case line; `check` reads every baseline it wrote and "
     "finds no change in the same traffic; a damaged baseline gives InputError only (exit 0, 1 or 2 with one "
     "line, never 3)"),
]


# ---- servers and runs ----------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    routes: dict = {}
    hits: list = []

    def log_message(self, *a):
        pass

    def do_GET(self):
        self.do_POST()

    def do_POST(self):
        n = int(self.headers.get("content-length") or 0)
        if n:
            self.rfile.read(n)
        path = self.path.split("?")[0].removeprefix("/v1")
        self.hits.append(path)
        fn = self.routes.get(path)
        try:
            if fn is None:
                return self.send_json(200, {"id": "x", "path": path})
            fn(self, self.headers.get("authorization", ""))
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send_json(self, status, body, headers=(), ctype="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_sse(self, frames: list[bytes], headers=()):
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for chunk in frames:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")


def serve(routes: dict):
    handler = type("H", (Handler,), {"routes": routes, "hits": []})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    srv.handle_error = lambda *a: None  # a client that stops reading (a capped body) is expected here
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, handler, f"http://127.0.0.1:{srv.server_address[1]}"


@pytest.fixture
def server():
    made = []

    def start(routes: dict):
        srv, handler, url = serve(routes)
        made.append(srv)
        return handler, url
    yield start
    for srv in made:
        srv.shutdown()
        srv.server_close()


def write_plan(tmp: Path, url: str, cases: list, extra: str = "") -> None:
    """cases: (name, path) or (name, path, stream)."""
    lines = [f"base_url: {url}/v1", "auth: {api_key_env: APICOMPAT_HOSTILE_KEY}", extra, "cases:"]
    for case in cases:
        name, path, stream = (*case, False)[:3]
        lines.append(f"  - {{name: {json.dumps(name)}, path: {json.dumps(path)}, method: POST, json: {{q: 1}}"
                     + (", stream: true" if stream else "") + ", headers: {X-Client-Request-Id: fixed}}")
    (tmp / "apicompat.yaml").write_text("\n".join(lines) + "\n")


def run(tmp: Path, *args: str, plan=True, timeout=60, preexec=None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "apicompat", *args]
    if plan:
        cmd += ["--plan", str(tmp / "apicompat.yaml")]
    cmd += ["--snapshots", str(tmp / "snapshots"), "--schemas", str(tmp / "schemas")]
    env = {**os.environ, "APICOMPAT_HOSTILE_KEY": KEY, "CI": "1"}
    env.pop("APICOMPAT_DEBUG", None)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=tmp,
                          preexec_fn=preexec)


# Started from a small launcher: a child forked from the (large) pytest process would count the
# parent's pages in its own peak until it execs.
LAUNCHER = """import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def peak_rss_mb(tmp: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run the CLI and read its own peak RSS from wait4 (ru_maxrss, KB on Linux)."""
    cmd = [sys.executable, "-m", "apicompat", *args, "--plan", str(tmp / "apicompat.yaml"),
           "--snapshots", str(tmp / "snapshots"), "--schemas", str(tmp / "schemas")]
    env = {**os.environ, "APICOMPAT_HOSTILE_KEY": KEY, "CI": "1"}
    peak = tmp / "peak.txt"
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, str(peak), *cmd], capture_output=True, text=True,
                          env=env, cwd=tmp, timeout=120)
    return proc, int(peak.read_text()) / 1024


def hashes(tmp: Path) -> dict[str, str]:
    out = {}
    for sub in ("snapshots", "schemas"):
        base = tmp / sub
        for p in sorted(base.iterdir()) if base.is_dir() else []:
            if p.is_file() and not p.is_symlink() and p.name != ".apicompat.lock":
                out[f"{sub}/{p.name}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def strays(tmp: Path) -> list[str]:
    return [str(p) for p in tmp.rglob("*") if p.name.startswith((".apicompat-", ".last-check-"))
            or p.name == ".last-check.old"]


def one_line(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.strip()
    assert "Traceback" not in err and "internal error" not in err, err
    assert len(err.splitlines()) == 1, err
    return err


def no_key(tmp: Path, *outputs: str) -> None:
    """The key in no file and no output, in any letter case and with line breaks taken out."""
    needles = (KEY.lower(), KEY.lower()[:12])
    for o in outputs:
        flat = o.lower().replace("\r", "").replace("\n", "")
        assert needles[0] not in flat, o
    for p in tmp.rglob("*"):
        if p.is_file() and not p.is_symlink() and p.name != "apicompat.yaml":
            flat = p.read_bytes().lower().replace(b"\r", b"").replace(b"\n", b"").replace(b" ", b"")
            assert needles[0].encode() not in flat, p
            assert b"sk-hostile-key-0123" not in flat.replace(b"\\", b""), p


# ---- item 3: the lock ----------------------------------------------------------------------------

def _plant_lock(tmp: Path, kind: str) -> Path | None:
    lock = tmp / "snapshots" / ".apicompat.lock"
    target = tmp / "precious.txt"
    target.write_text("precious\n")
    if kind == "symlink":
        lock.symlink_to(target)
    elif kind == "dangling":
        lock.symlink_to(tmp / "created-through-link")
    elif kind == "fifo":
        os.mkfifo(lock)
    elif kind == "directory":
        lock.mkdir()
    elif kind == "hardlink":
        os.link(target, lock)
    return target


@pytest.mark.parametrize("kind", ["symlink", "dangling", "fifo", "directory", "hardlink"])
@pytest.mark.parametrize("command", ["record", "check", "accept"])
def test_lock_that_is_not_our_file_is_refused(tmp_path, kind, command):
    write_plan(tmp_path, "http://127.0.0.1:9", [("a", "/a")])
    (tmp_path / "snapshots" / ".last-check").mkdir(parents=True)
    target = _plant_lock(tmp_path, kind)
    extra = ["--allow-new-cases"] if command == "check" else []
    proc = run(tmp_path, command, *extra, plan=command != "accept", timeout=20)
    assert proc.returncode == 2, proc.stderr
    err = one_line(proc)
    assert ".apicompat.lock" in err and ("symbolic link" in err or "not a regular file" in err
                                         or "hard links" in err), err
    assert target.read_text() == "precious\n"
    assert not (tmp_path / "created-through-link").exists()


def test_lock_plain_file_is_reused(tmp_path, server):
    handler, url = server({})
    write_plan(tmp_path, url, [("a", "/a")])
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / ".apicompat.lock").write_text("12345\n")  # a stale lock file is fine
    assert run(tmp_path, "record").returncode == 0


# ---- item 4: accept takes only what check wrote ----------------------------------------------------

def _recorded_and_checked(tmp: Path, server) -> tuple[dict, Path]:
    counter = {"n": 0}

    def counting(h, auth):
        counter["n"] += 1
        h.send_json(200, {"id": "x", "n": counter["n"]})
    handler, url = server({"/a": counting, "/b": counting})
    write_plan(tmp, url, [("a", "/a"), ("b", "/b")])
    assert run(tmp, "record").returncode == 0
    assert run(tmp, "check").returncode in (0, 1)
    return hashes(tmp), tmp / "snapshots" / ".last-check"


SNAPSHOT_TEXT = "request: {method: POST, path: /a}\nsamples:\n- {status: 200, body: {stolen: true}}\n"


@pytest.mark.parametrize("plant", ["last-check-symlink", "sub-symlink", "file-symlink", "fifo", "bad-name",
                                   "not-a-snapshot", "schema-outside-ref"])
def test_accept_refuses_what_check_did_not_write(tmp_path, server, plant):
    before, last = _recorded_and_checked(tmp_path, server)
    secret = tmp_path / "secret.yaml"
    secret.write_text(SNAPSHOT_TEXT.replace("stolen", "SECRET-CONTENT"))
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "snapshots").mkdir(parents=True)
    (elsewhere / "snapshots" / "a.yaml").write_text(SNAPSHOT_TEXT)
    if plant == "last-check-symlink":
        import shutil
        shutil.rmtree(last)
        last.symlink_to(elsewhere)
    elif plant == "sub-symlink":
        import shutil
        shutil.rmtree(last / "snapshots")
        (last / "snapshots").symlink_to(elsewhere / "snapshots")
    elif plant == "file-symlink":
        (last / "snapshots" / "a.yaml").unlink()
        (last / "snapshots" / "a.yaml").symlink_to(secret)
    elif plant == "fifo":
        os.mkfifo(last / "snapshots" / "zz.yaml")
    elif plant == "bad-name":
        (last / "snapshots" / "a b.yaml").write_text(SNAPSHOT_TEXT)
    elif plant == "not-a-snapshot":
        (last / "snapshots" / "a.yaml").write_text("just: text\n")
    elif plant == "schema-outside-ref":
        (last / "schemas" / "a.json").write_text('{"$ref": "file:///etc/passwd"}')
    proc = run(tmp_path, "accept", plan=False, timeout=20)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = one_line(proc)
    assert "nothing accepted" in err or "leaves the document" in err, err
    assert hashes(tmp_path) == before
    assert os.path.lexists(last)
    for p in (tmp_path / "snapshots").glob("*.yaml"):
        assert "SECRET-CONTENT" not in p.read_text() and "stolen" not in p.read_text()
    assert not strays(tmp_path)


def test_accept_takes_a_plain_recording_whole(tmp_path, server):
    before, last = _recorded_and_checked(tmp_path, server)
    fresh = {f"{sub}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
             for sub in ("snapshots", "schemas") for p in (last / sub).iterdir()}
    proc = run(tmp_path, "accept", plan=False)
    assert proc.returncode == 0, proc.stderr
    after = hashes(tmp_path)
    assert {k: after[k] for k in fresh} == fresh and after != before
    assert not os.path.lexists(last) and not strays(tmp_path)


def _big_recording(tmp: Path, server) -> tuple[dict, Path]:
    """A baseline of `big` (a 1.5 MB body: few values, one long string) and `small`, then a check with
    --max-size 2 (a new `n` in each body) whose `.last-check/snapshots/big.yaml` is ~1.5 MB."""
    counter = {"n": 0}

    def big(h, auth):
        counter["n"] += 1
        h.send_json(200, {"id": "x", "n": counter["n"], "pad": "p" * 1_500_000})

    def small(h, auth):
        counter["n"] += 1
        h.send_json(200, {"id": "y", "n": counter["n"]})
    handler, url = server({"/big": big, "/small": small})
    write_plan(tmp, url, [("big", "/big"), ("small", "/small")])
    assert run(tmp, "record", "--max-size", "2").returncode == 0
    assert run(tmp, "check", "--max-size", "2").returncode in (0, 1)
    last = tmp / "snapshots" / ".last-check"
    assert 1024 * 1024 < (last / "snapshots" / "big.yaml").stat().st_size < 2 * 1024 * 1024
    return hashes(tmp), last


def test_accept_honours_max_size_like_record(tmp_path, server):
    """accept's cap is --max-size (default 64 MB, as for record, check and diff): a file over it is
    refused whole (2, one line naming it, baseline untouched, .last-check kept); under it, accepted."""
    before, last = _big_recording(tmp_path, server)
    proc = run(tmp_path, "accept", "--max-size", "1", plan=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert one_line(proc) == (f"apicompat: error: {last}/snapshots/big.yaml: is larger than the 1 MB limit "
                              "(raise it with --max-size MB); nothing accepted")
    assert hashes(tmp_path) == before and last.is_dir() and not strays(tmp_path)
    fresh = {f"{sub}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
             for sub in ("snapshots", "schemas") for p in (last / sub).iterdir()}
    proc = run(tmp_path, "accept", "--max-size", "2", plan=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = hashes(tmp_path)
    assert {k: after[k] for k in fresh} == fresh and not os.path.lexists(last) and not strays(tmp_path)


def test_accept_default_max_size_is_64_mb(tmp_path, server):
    """Without --max-size, 64 MB as for every reader: a sparse 65 MB file is refused by its size alone
    (nothing read); with --max-size 128 the same file is read and refused for what it is (not a snapshot)."""
    before, last = _recorded_and_checked(tmp_path, server)
    with open(last / "snapshots" / "a.yaml", "r+b") as fh:
        fh.truncate(65 * 1024 * 1024)
    proc = run(tmp_path, "accept", plan=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert one_line(proc) == (f"apicompat: error: {last}/snapshots/a.yaml: is larger than the 64 MB limit "
                              "(raise it with --max-size MB); nothing accepted")
    proc = run(tmp_path, "accept", "--max-size", "128", plan=False)
    assert proc.returncode == 2 and "64 MB" not in proc.stderr, proc.stderr
    assert "a.yaml" in one_line(proc)
    assert hashes(tmp_path) == before


def test_record_and_check_write_and_read_within_max_size(tmp_path, server):
    """What record writes, check and accept read with the same --max-size: a case whose file would pass
    it fails alone (1, one line), the other is written; the default 64 MB records both."""
    before, last = _big_recording(tmp_path, server)
    proc = run(tmp_path, "record", "--max-size", "1")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert one_line(proc).startswith("apicompat: case big: cannot be stored: the file would be 1.4 MB, larger than "
                                     "the 1 MB limit (raise it with --max-size MB)"), proc.stderr
    after = hashes(tmp_path)
    assert after["snapshots/big.yaml"] == before["snapshots/big.yaml"]  # kept
    assert after["snapshots/small.yaml"] != before["snapshots/small.yaml"]  # recorded again (a new n)
    assert run(tmp_path, "record").returncode == 0


# ---- item 1: no $ref leaves a baseline schema -------------------------------------------------------

@pytest.mark.parametrize("keyword", ["$dynamicRef", "$ref"])
@pytest.mark.parametrize("target", ["http", "file", "fifo", "relative", "network-path"])
def test_check_never_follows_a_ref_out_of_the_baseline(tmp_path, server, keyword, target):
    fetched = []
    handler, url = server({"/evil": lambda h, a: (fetched.append(1), h.send_json(200, {"type": "string"}))})
    write_plan(tmp_path, url, [("a", "/a")])
    assert run(tmp_path, "record").returncode == 0
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    ref = {"http": f"{url}/evil", "file": "file:///etc/passwd", "fifo": str(fifo), "relative": "other.json",
           "network-path": "//127.0.0.1/x"}[target]
    schema_file = tmp_path / "schemas" / "a.json"
    schema = json.loads(schema_file.read_text())
    schema["properties"]["id"] = {keyword: ref}
    schema_file.write_text(json.dumps(schema))
    t0 = time.monotonic()
    proc = run(tmp_path, "check", timeout=30)
    assert time.monotonic() - t0 < 20
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = one_line(proc)
    assert "schemas/a.json" in err and f"#/properties/id/{keyword}" in err and "leaves the document" in err, err
    assert not fetched and handler.hits.count("/evil") == 0
    assert "root:" not in proc.stdout + proc.stderr


def test_check_follows_local_refs(tmp_path, server):
    handler, url = server({})
    write_plan(tmp_path, url, [("a", "/a")])
    assert run(tmp_path, "record").returncode == 0
    schema_file = tmp_path / "schemas" / "a.json"
    schema = json.loads(schema_file.read_text())
    schema["$defs"] = {"s": {"type": "integer"}}
    schema["properties"]["id"] = {"$ref": "#/$defs/s"}  # the body's id is a string: a violation, found
    schema_file.write_text(json.dumps(schema))
    proc = run(tmp_path, "check", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    assert "recorded-schema-violation" in proc.stdout


# ---- item 6: decoded-size caps ------------------------------------------------------------------------

def _gzip(data_chunks, wbits=31) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return b"".join(c.compress(d) for d in data_chunks) + c.flush()


@pytest.fixture(scope="module")
def bombs():
    zeros = [b"0" * (1 << 20)] * 256  # 256 MB of '0' (a JSON-ish digit run)
    once = _gzip(zeros)
    twice = _gzip([once])
    small = b'{"a": "' + b"x" * (1200 << 10) + b'"}'
    return {"gzip-gzip": (twice, "gzip, gzip"), "gzip": (once, "gzip"),
            "deflate-zlib": (_gzip(zeros, 15), "deflate"), "deflate-raw": (_gzip(zeros, -15), "deflate"),
            "x-gzip-deflate": (_gzip([_gzip([small], 15)]), "deflate, x-gzip"),
            "five-layers": (gzip.compress(b"{}"), "gzip, gzip, gzip, gzip, gzip"),
            "br": (b"\x0b\x00\x80{}\x03", "br"), "truncated": (gzip.compress(b'{"a": 1}')[:-12], "gzip")}


def test_decoded_size_is_capped_while_decoding(tmp_path, server, bombs):
    def route(name):
        body, enc = bombs[name]
        return lambda h, a: h.send_json(200, body, [("content-encoding", enc)])
    routes = {f"/{n}": route(n) for n in bombs}
    routes["/fine"] = lambda h, a: h.send_json(200, gzip.compress(b'{"ok": 1}'), [("content-encoding", "gzip")])
    handler, url = server(routes)
    write_plan(tmp_path, url, [(n, f"/{n}") for n in [*bombs, "fine"]])
    t0 = time.monotonic()
    proc, peak = peak_rss_mb(tmp_path, "record", "--max-response-mb", "1", "--retries", "0")
    took = time.monotonic() - t0
    print(f"gzip bombs: peak RSS {peak:.0f} MB in {took:.1f} s")
    assert proc.returncode == 1, proc.stderr
    errors = dict(line.split(": ", 2)[1:] for line in proc.stderr.strip().splitlines())
    expect = {"gzip-gzip": "larger than 1048576 bytes once decoded", "gzip": "once decoded",
              "deflate-zlib": "once decoded", "deflate-raw": "once decoded", "x-gzip-deflate": "once decoded",
              "five-layers": "stacks 5 layers", "br": "content-encoding br is not supported",
              "truncated": "gzip body ended before its end"}
    assert {k.removeprefix("case ") for k in errors} == set(expect), proc.stderr
    for name, text in expect.items():
        assert text in errors[f"case {name}"], (name, errors[f"case {name}"])
    assert "ok: 1" in (tmp_path / "snapshots" / "fine.yaml").read_text()
    assert peak < 150, f"peak RSS {peak:.0f} MB"
    assert took < 30


# ---- item 8: one deadline over headers and body -------------------------------------------------------

def _raw_server(behaviour):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    stop = threading.Event()

    def handle(conn):
        try:
            conn.recv(65536)
            behaviour(conn, stop)
        except OSError:
            pass
        finally:
            conn.close()

    def loop():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()
    return sock, stop, f"http://127.0.0.1:{sock.getsockname()[1]}"


def _trickle(prefix: bytes, forever: bytes):
    def behaviour(conn, stop):
        conn.sendall(prefix)
        while not stop.is_set():
            conn.sendall(forever)
            time.sleep(0.1)
    return behaviour


@pytest.mark.parametrize("shape", ["status-line", "header", "many-headers", "body-after-headers"])
def test_timeout_covers_headers(tmp_path, shape):
    behaviour = {
        "status-line": _trickle(b"", b"H"),
        "header": _trickle(b"HTTP/1.1 200 OK\r\nx-slow: ", b"a"),
        "many-headers": _trickle(b"HTTP/1.1 200 OK\r\n", b"x: 1\r\n"),
        "body-after-headers": _trickle(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                                       b"content-length: 100000\r\n\r\n", b" "),
    }[shape]
    sock, stop, url = _raw_server(behaviour)
    try:
        write_plan(tmp_path, url, [("slow", "/slow")])
        t0 = time.monotonic()
        proc = run(tmp_path, "record", "--timeout", "1", "--retries", "1", "--max-retry-wait", "0.05", timeout=30)
        took = time.monotonic() - t0
    finally:
        stop.set()
        sock.close()
    assert proc.returncode == 1, proc.stderr
    err = one_line(proc)
    assert "still arriving after 1s (--timeout)" in err or (shape == "many-headers" and "RemoteProtocolError" in err), err
    assert took < 6, took


# ---- items 12 and 14: redaction on the data ------------------------------------------------------------

@pytest.mark.parametrize("cookie", ["sid=samples", "sid=null", "sid=true", "sid=request", "sid=200",
                                    "sid=abcdef; Path=/; Max-Age=3600; HttpOnly"])
def test_cookie_values_never_break_the_snapshot(tmp_path, server, cookie):
    handler, url = server({"/a": lambda h, a: h.send_json(200, {"id": "x", "status": "ok", "n": 200, "ttl": "3600"},
                                                         [("set-cookie", cookie), ("x-request-id", "req_1")])})
    write_plan(tmp_path, url, [("a", "/a"), ("b", "/a")])
    first = run(tmp_path, "record")
    assert first.returncode == 0, first.stderr
    from apicompat.record.store import load_snapshot
    snap = load_snapshot(str(tmp_path / "snapshots" / "a.yaml"))
    assert set(snap) >= {"case", "request", "samples"} and snap["samples"][0]["status"] == 200
    second = run(tmp_path, "check")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "ttl: '3600'" in (tmp_path / "snapshots" / "a.yaml").read_text()  # cookie attributes are no secret


def test_key_echoed_in_every_shape_is_scrubbed(tmp_path, server):
    low = KEY.lower()
    half = len(KEY) // 2

    def header_name(h, a):
        h.send_json(200, {"id": "x"}, [(f"x-ratelimit-{KEY}", "1"), ("x-ratelimit-limit", low)])

    def split_lf(h, a):
        h.send_sse([f"data: {{\"k\": \"{KEY[:half]}\ndata: {KEY[half:]}\"}}\n\n".encode(),
                    f"data: plain {KEY[:5]}\ndata: {KEY[5:]} end\n\n".encode(),
                    b'data: {"type": "response.completed"}\n\n'])

    def split_crlf(h, a):
        h.send_sse([f"data: {KEY[:half]}\r\ndata: {KEY[half:]}\r\n\r\n".encode(),
                    f"event: {KEY}\ndata: {{\"type\": \"x\"}}\n\n".encode(),
                    b'data: {"type": "response.completed"}\n\n'])

    def text_body(h, a):
        h.send_json(200, f"hello {a} and {low}".encode(), ctype="text/plain")

    handler, url = server({"/name": header_name, "/lf": split_lf, "/crlf": split_crlf, "/text": text_body})
    write_plan(tmp_path, url, [("name", "/name"), ("lf", "/lf", True), ("crlf", "/crlf", True),
                               ("text", "/text"), ("path", f"/x?k={KEY}")])
    first = run(tmp_path, "record")
    assert first.returncode == 0, first.stderr
    second = run(tmp_path, "check", "--format", "json")
    assert second.returncode in (0, 1), second.stderr
    assert "[REDACTED]" in (tmp_path / "snapshots" / "name.yaml").read_text()
    assert "[REDACTED]" in (tmp_path / "snapshots" / "lf.yaml").read_text()
    no_key(tmp_path, first.stdout, first.stderr, second.stdout, second.stderr)


# ---- item 13: what record writes, check reads ---------------------------------------------------------

UNSTORABLE = {
    "surrogate-key": b'{"\\ud800": 1}', "surrogate-value": b'{"a": "x\\udfffy"}', "nan": b'{"a": NaN}',
    "infinity": b'{"a": -Infinity}', "huge-float": b'{"a": 1e400}', "huge-negative": b'{"a": -1e400}',
    "digits-2000": b'{"a": ' + b"7" * 2000 + b"}", "digits-5000": b'{"a": ' + b"7" * 5000 + b"}",
}


def test_values_the_reader_refuses_fail_alone(tmp_path, server):
    routes = {f"/{n}": (lambda body: lambda h, a: h.send_json(200, body))(b) for n, b in UNSTORABLE.items()}
    routes["/sse-nan"] = lambda h, a: h.send_sse([b'data: {"type": "a", "v": NaN}\n\n', b"data: [DONE]\n\n"])
    routes["/sse-surrogate"] = lambda h, a: h.send_sse([b'data: {"type": "a", "\\udc00": 1}\n\n', b"data: [DONE]\n\n"])
    handler, url = server(routes)
    cases = [("first", "/ok")] + [(n, f"/{n}") for n in UNSTORABLE] + [("sse-nan", "/sse-nan", True),
                                                                       ("sse-surrogate", "/sse-surrogate", True),
                                                                       ("last", "/ok")]
    write_plan(tmp_path, url, cases)
    proc = run(tmp_path, "record")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    failed = {line.split(": ")[1].removeprefix("case ") for line in proc.stderr.strip().splitlines()}
    assert failed == set(UNSTORABLE) | {"sse-nan", "sse-surrogate"}, proc.stderr
    assert sorted(p.stem for p in (tmp_path / "snapshots").glob("*.yaml")) == ["first", "last"]
    checked = run(tmp_path, "check", "--allow-new-cases")  # the failed cases have no baseline
    assert checked.returncode == 1 and "Traceback" not in checked.stderr  # the same cases fail, the rest read
    assert {line.split(": ")[1].removeprefix("case ") for line in checked.stderr.strip().splitlines()} == failed


# ---- item 15: full disk, read-only folder, interrupted commits ----------------------------------------

def _six_cases(server):
    counter = {"n": 0}

    def big(h, a):
        counter["n"] += 1
        h.send_json(200, {"id": "x", "gen": counter["n"], "pad": "p" * 30000})
    handler, url = server({f"/c{i}": big for i in range(6)})
    return url


def _small_files() -> None:
    """In the child: a write past 20 KB fails (EFBIG) instead of killing it (SIGXFSZ ignored)."""
    import signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def _can_mount() -> bool:
    return IS_ROOT and subprocess.run(["mount", "--version"], capture_output=True).returncode == 0


@pytest.mark.parametrize("how", ["tmpfs", "rlimit"])
def test_full_disk_changes_nothing(tmp_path, server, how):
    url = _six_cases(server)
    write_plan(tmp_path, url, [(f"c{i}", f"/c{i}") for i in range(6)])
    mounted = False
    if how == "tmpfs":
        if not _can_mount():
            pytest.skip("needs root and mount")
        for sub in ("snapshots", "schemas"):
            (tmp_path / sub).mkdir()
        size = "480k"
        if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(tmp_path / "snapshots")],
                          capture_output=True).returncode != 0:
            pytest.skip("mount refused")
        mounted = True
    try:
        first = run(tmp_path, "record")
        assert first.returncode == 0, first.stderr
        before = hashes(tmp_path)
        assert len(before) == 13
        preexec = _small_files if how == "rlimit" else None
        if how == "tmpfs":  # fill the disk but for a few KB
            filler = tmp_path / "snapshots" / "filler.bin"
            with open(filler, "wb", buffering=0) as fh:
                try:
                    while True:
                        fh.write(b"f" * 4096)
                except OSError:
                    pass
            os.truncate(filler, max(0, filler.stat().st_size - 90_000))
            before = hashes(tmp_path)
        second = run(tmp_path, "record", preexec=preexec)
        assert second.returncode == 2, second.stdout + second.stderr
        err = one_line(second)
        assert "nothing was changed" in err and ("No space left" in err or "File too large" in err), err
        assert hashes(tmp_path) == before
        assert not strays(tmp_path)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(tmp_path / "snapshots")], check=False)


@pytest.mark.parametrize("command", ["record", "check", "accept"])
def test_read_only_snapshot_folder_is_one_line(tmp_path, server, command):
    url = _six_cases(server)
    write_plan(tmp_path, url, [("c0", "/c0")])
    assert run(tmp_path, "record").returncode == 0
    assert run(tmp_path, "check").returncode in (0, 1)
    snaps = tmp_path / "snapshots"
    before = hashes(tmp_path)
    mounted = False
    if _can_mount():
        assert subprocess.run(["mount", "--bind", str(snaps), str(snaps)]).returncode == 0
        mounted = True
        assert subprocess.run(["mount", "-o", "remount,bind,ro", str(snaps)]).returncode == 0
    else:
        (snaps / ".apicompat.lock").unlink()
        snaps.chmod(0o555)
    try:
        proc = run(tmp_path, command, plan=command != "accept")
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(snaps)], check=False)
        else:
            snaps.chmod(0o755)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = one_line(proc)
    assert "Read-only file system" in err or "Permission denied" in err, err
    assert hashes(tmp_path) == before


def _journalled(tmp: Path, server, stage: str) -> tuple[dict, dict]:
    """A baseline, and the state a record killed at `stage` leaves: returns (old, new) hashes."""
    url = _six_cases(server)
    write_plan(tmp, url, [(f"c{i}", f"/c{i}") for i in range(6)])
    assert run(tmp, "record").returncode == 0
    old = hashes(tmp)
    shadow = tmp / "shadow"
    shadow.mkdir()
    (shadow / "apicompat.yaml").write_text((tmp / "apicompat.yaml").read_text())
    assert run(shadow, "record").returncode == 0
    new_files = {sub: {p.name: p.read_bytes() for p in (shadow / sub).glob("c*")} for sub in ("snapshots", "schemas")}
    new = {**old, **{f"{sub}/{n}": hashlib.sha256(b).hexdigest() for sub, f in new_files.items() for n, b in f.items()}}
    entries = []
    for sub, files in new_files.items():
        (tmp / sub / ".apicompat-stage").mkdir()
        for i, (name, data) in enumerate(sorted(files.items())):
            if stage == "after-journal" and i < 3:
                (tmp / sub / name).write_bytes(data)  # already moved
            else:
                (tmp / sub / ".apicompat-stage" / name).write_bytes(data)
            entries.append({"target": os.path.relpath(tmp / sub / name, tmp / "snapshots"),
                            "sha256": hashlib.sha256(data).hexdigest()})
    if stage == "after-journal":
        (tmp / "snapshots" / ".apicompat-journal.json").write_text(json.dumps(
            {"apicompat-journal": 1, "files": entries, "drop_last_check": False}))
    else:
        (tmp / "snapshots" / ".apicompat-journal.json.tmp").write_text("{half")
    return old, new


@pytest.mark.parametrize("stage", ["after-journal", "before-journal"])
def test_interrupted_commit_is_finished_or_rolled_back(tmp_path, server, stage):
    old, new = _journalled(tmp_path, server, stage)
    proc = run(tmp_path, "check")
    assert proc.returncode in (0, 1), proc.stderr
    assert hashes(tmp_path) == (new if stage == "after-journal" else old)
    assert not strays(tmp_path)


@pytest.mark.parametrize("plant", ["outside", "changed"])
def test_planted_journal_moves_nothing(tmp_path, server, plant):
    old, _ = _journalled(tmp_path, server, "after-journal")
    journal = tmp_path / "snapshots" / ".apicompat-journal.json"
    data = json.loads(journal.read_text())
    if plant == "outside":
        (tmp_path / ".apicompat-stage").mkdir()
        (tmp_path / ".apicompat-stage" / "apicompat.yaml").write_text("owned")
        data["files"].append({"target": "../apicompat.yaml", "sha256": hashlib.sha256(b"owned").hexdigest()})
    else:
        (tmp_path / "snapshots" / ".apicompat-stage" / "c5.yaml").write_text("changed")
    journal.write_text(json.dumps(data))
    disk = hashes(tmp_path)
    plan_text = (tmp_path / "apicompat.yaml").read_text()
    proc = run(tmp_path, "check")
    assert proc.returncode == 2, proc.stderr
    assert ".apicompat-journal.json" in one_line(proc)
    assert hashes(tmp_path) == disk and (tmp_path / "apicompat.yaml").read_text() == plan_text


def test_kill_campaign_short(tmp_path):
    """benchmarks/kill_campaign.py, 5 tries of each command (10 kills): the baseline is always old or new."""
    out = tmp_path / "kill.md"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "kill_campaign.py"), "--tries", "5",
                           "--out", str(out), "--work", str(tmp_path / "work")],
                          capture_output=True, text=True, timeout=280)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = out.read_text()
    assert "| broken (neither old nor new) | 0 |" in text, text
    assert "| stray files after the next run | 0 |" in text, text


# ---- item 21: mock-server -----------------------------------------------------------------------------

@pytest.fixture
def mock(tmp_path):
    snaps = tmp_path / "snapshots"
    snaps.mkdir()
    (snaps / "ok.yaml").write_text("request: {method: POST, path: /ok}\nsamples:\n- {status: 200, body: {id: x}}\n")
    (snaps / "status99.yaml").write_text("request: {method: GET, path: /s99}\nsamples:\n- {status: 99}\n")
    (snaps / "status1000.yaml").write_text("request: {method: GET, path: /s1000}\nsamples:\n- {status: 1000}\n")
    (snaps / "crlf.yaml").write_text(
        'request: {method: GET, path: /crlf}\nsamples:\n- status: 200\n  body: {a: 1}\n  headers:\n'
        '    x-ok: fine\n    x-evil: "a\\r\\nset-cookie: injected=1"\n    "x-name\\r\\ninjected": v\n'
        '    x-nul: "a\\0b"\n    content-length: "5"\n')
    proc = subprocess.Popen([sys.executable, "-m", "apicompat", "mock-server", "--data", str(snaps),
                             "--idle-timeout", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.poll() is not None else url
    yield url
    proc.terminate()
    _, err = proc.communicate(timeout=10)
    assert "Traceback" not in err, err
    assert err.strip() == "", err


def _exchange(url: str, raw: bytes, wait: float = 3.0) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as s:
        s.sendall(raw)
        out = b""
        t0 = time.monotonic()
        while time.monotonic() - t0 < wait:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            out += chunk
        return out


@pytest.mark.parametrize("length,status", [("abc", b"400"), ("-5", b"400"), ("5, 6", b"400"),
                                           ("1073741824", b"413"), ("99999999999999999999999", b"400")])
def test_mock_server_bad_lengths_answer_at_once(mock, length, status):
    t0 = time.monotonic()
    out = _exchange(mock, f"POST /ok HTTP/1.1\r\nhost: x\r\ncontent-length: {length}\r\n\r\n".encode())
    assert out.startswith(b"HTTP/1.1 " + status), out[:200]
    assert b"connection: close" in out.lower()
    assert time.monotonic() - t0 < 2.5  # answered and closed, not waiting for a body


def test_mock_server_refuses_chunked_and_survives_garbage(mock):
    out = _exchange(mock, b"POST /ok HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 411")
    _exchange(mock, b"GET /ok HTT", wait=0.3)  # half a request line, then gone
    _exchange(mock, b"\x16\x03\x01\x00\xa5garbage\r\n\r\n", wait=1)
    out = _exchange(mock, b"POST /ok HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n", wait=1)
    assert out.startswith(b"HTTP/1.1 200") and b'"id": "x"' in out


def test_mock_server_closes_idle_connections(mock):
    host, port = mock.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        t0 = time.monotonic()
        s.sendall(b"GET /ok HTTP/1.1\r\nhost")  # then nothing
        assert s.recv(100) == b""  # closed by the server
        assert time.monotonic() - t0 < 5


def test_mock_server_bad_recorded_status_and_headers(mock):
    for path in ("/s99", "/s1000"):
        out = _exchange(mock, f"GET {path} HTTP/1.1\r\nhost: x\r\n\r\n".encode(), wait=1)
        assert out.startswith(b"HTTP/1.1 500") and b"not an HTTP status" in out, out[:300]
    out = _exchange(mock, b"GET /crlf HTTP/1.1\r\nhost: x\r\n\r\n", wait=1)
    head = out.split(b"\r\n\r\n")[0].lower()
    assert out.startswith(b"HTTP/1.1 200") and b"x-ok: fine" in head
    assert b"injected" not in head and b"x-nul" not in head and b"content-length: 5\r" not in head + b"\r"
    assert out.split(b"\r\n\r\n", 1)[1].strip().startswith(b"{")


@pytest.mark.parametrize("text,place", [
    ("request: {method: GET, path: /bad}\nsamples:\n- {status: banana}\n", "#/samples/0/status"),
    ("request: {method: GET, path: /t}\nsamples:\n- {status: true}\n", "#/samples/0/status"),
    ("request: 5\nsamples: {}\n", "#/"),
    ("request: {path: /h}\nsamples:\n- {status: 200, headers: {x: [1]}}\n", "#/samples/0/headers/x"),
])
def test_mock_server_refuses_a_malformed_snapshot_at_start(tmp_path, text, place):
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "bad.yaml").write_text(text)
    proc = subprocess.run([sys.executable, "-m", "apicompat", "mock-server", "--data", str(tmp_path / "snapshots")],
                          capture_output=True, text=True, timeout=20)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = one_line(proc)
    assert "bad.yaml" in err and "not an apicompat snapshot" in err and place in err, err


def test_mock_server_large_body_is_not_read(tmp_path, mock):
    host, port = mock.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(b"POST /ok HTTP/1.1\r\nhost: x\r\ncontent-length: 1073741824\r\n\r\n" + b"x" * 65536)
        assert s.recv(100).startswith(b"HTTP/1.1 413")


# ---- item 20: names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["a\n", "a\r", "a\t", "a\n::error::x"])
def test_case_name_with_a_line_end_is_refused(tmp_path, name):
    write_plan(tmp_path, "http://127.0.0.1:9", [(name, "/a")])
    proc = run(tmp_path, "record")
    assert proc.returncode == 2, proc.stderr
    assert "safe file name" in one_line(proc)
    assert not list((tmp_path / "snapshots").glob("*")) if (tmp_path / "snapshots").exists() else True


@pytest.mark.parametrize("keyword", ["$dynamicRef", "$ref"])
def test_conform_never_follows_a_ref_out_of_the_spec(tmp_path, server, keyword):
    handler, url = server({"/evil": lambda h, a: h.send_json(200, {"type": "string"})})
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"x": {keyword: f"{url}/evil"}}}}}}}}}}}
    (tmp_path / "s.json").write_text(json.dumps(spec))
    (tmp_path / "snaps").mkdir()
    (tmp_path / "snaps" / "a.yaml").write_text("request: {method: GET, path: /a}\nsamples:\n- {status: 200, headers: "
                                               "{content-type: application/json}, body: {x: 1}}\n")
    proc = subprocess.run([sys.executable, "-m", "apicompat", "conform", "--spec", str(tmp_path / "s.json"),
                           "--snapshots", str(tmp_path / "snaps")], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "only references inside the spec are followed" in one_line(proc)
    assert "/evil" not in handler.hits


@pytest.mark.parametrize("reader", ["mock-server", "conform"])
def test_lockless_readers_refuse_a_half_swapped_baseline(tmp_path, server, reader):
    _journalled(tmp_path, server, "after-journal")
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}))
    args = (["mock-server", "--data", str(tmp_path / "snapshots")] if reader == "mock-server"
            else ["conform", "--spec", str(spec), "--snapshots", str(tmp_path / "snapshots")])
    proc = subprocess.run([sys.executable, "-m", "apicompat", *args], capture_output=True, text=True, timeout=20)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "interrupted commit is not finished" in one_line(proc)


def _gate_usage(tmp: Path) -> subprocess.CompletedProcess:
    """`gate --usage snapshots` between two specs of the six cases, the new one without an uncalled /unused."""
    def spec(paths: list[str]) -> str:
        ops = {p: {"post" if p != "/unused" else "get": {"responses": {"200": {"description": "ok"}}}} for p in paths}
        return json.dumps({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": ops})
    cases = [f"/c{i}" for i in range(6)]
    (tmp / "old.json").write_text(spec(cases + ["/unused"]))
    (tmp / "new.json").write_text(spec(cases))
    return subprocess.run([sys.executable, "-m", "apicompat", "gate", str(tmp / "old.json"), str(tmp / "new.json"),
                           "--usage", str(tmp / "snapshots")], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.parametrize("stage", ["after-journal", "before-journal", "none"])
def test_gate_usage_refuses_a_half_swapped_baseline(tmp_path, server, stage):
    """A journal (a swap killed past its commit point: 3 of 6 snapshots new) is refused like the other
    lockless readers do, nothing changed; staged files with no journal (the old baseline whole) and a
    finished baseline are read (0: the only change is to an operation no recording calls)."""
    if stage == "none":
        write_plan(tmp_path, _six_cases(server), [(f"c{i}", f"/c{i}") for i in range(6)])
        assert run(tmp_path, "record").returncode == 0
    else:
        _journalled(tmp_path, server, stage)
    disk = hashes(tmp_path)
    proc = _gate_usage(tmp_path)
    if stage == "after-journal":
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert one_line(proc) == (f"apicompat: error: {tmp_path}/snapshots/.apicompat-journal.json: an interrupted "
                                  "commit is not finished yet; run `apicompat check` (or record) once to finish it, "
                                  "then read the baseline")
        assert run(tmp_path, "check").returncode in (0, 1)  # the next check finishes the swap ...
        proc = _gate_usage(tmp_path)  # ... and the gate reads the new baseline
    else:
        assert hashes(tmp_path) == disk  # the gate changes nothing
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "6 recording(s) call 6 operation(s)" in proc.stdout and "set aside" in proc.stdout, proc.stdout


def test_mock_server_cuts_a_trickling_request(mock):
    host, port = mock.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        t0 = time.monotonic()
        closed = False
        for ch in b"GET /ok HTTP/1.1\r\nhost: x\r\nx-slow: " + b"a" * 100:
            try:
                s.sendall(bytes([ch]))
            except OSError:
                closed = True
                break
            time.sleep(0.2)
            if time.monotonic() - t0 > 4:
                break
        if not closed:
            s.settimeout(3)
            try:
                closed = s.recv(100) == b""
            except OSError:
                closed = True
        assert closed and time.monotonic() - t0 < 5


def test_a_host_name_is_looked_up_under_the_deadline(tmp_path, server):
    """Names are resolved on a helper thread bounded by the deadline; a plain name still works."""
    handler, url = server({})
    write_plan(tmp_path, url.replace("127.0.0.1", "localhost"), [("a", "/a")])
    proc = run(tmp_path, "record", "--timeout", "5")
    assert proc.returncode == 0, proc.stderr
    write_plan(tmp_path, "http://no-such-host.invalid", [("a", "/a")])
    proc = run(tmp_path, "record", "--timeout", "5", "--retries", "0")
    assert proc.returncode == 1 and "ConnectError" in one_line(proc), proc.stderr
