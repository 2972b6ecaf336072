"""Fuzzing recorded traffic: random responses (JSON with odd strings, numbers and keys, raw bytes,
text, SSE frames, headers, encodings, statuses) served by a real server on 127.0.0.1, recorded with
`record`, then read back by `check`. What `record` writes, `check` reads, always; the key never
reaches a file or an output; nothing crashes.

The generator and the checks are shared with benchmarks/fuzz_traffic.py (the long campaign); here
FUZZ_CASES responses in one batch per run (seeded from the run's date-free seed list, so a failure
names its seed and case).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
import zlib
from pathlib import Path

from local_http import QuietHandler, serve

KEY = "sk-fuzz-KEY-9f8e7d6c5b4a3210"
FUZZ_CASES = 60
ODD_STRINGS = ["", " ", "\u0000", "\x1b[31m", "\u2028", "\ud7ff", "\ue000", "\U0001F600", "é" * 3, "a\nb",
               "\r\n", "[REDACTED]", "samples", "request", "null", "true", "~1/~0", "#/x", "$ref", "<<",
               "- a", ": b", "? c", "&anchor", "*alias", "!!python/object", "%YAML", "---", "...", "'\"",
               KEY, KEY.lower(), "Bearer " + KEY, "1e400", "NaN", "0x1F", "\\ud800"]


def _string(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(ODD_STRINGS)
    if roll < 0.6:
        return "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(0, 0x2FF), rng.randint(0x300, 0xFFFF)]))
                       for _ in range(rng.randint(0, 12))).replace("\ud800", "x")
    if roll < 0.65:
        return "x" * rng.randint(100, 5000)
    return rng.choice(["id", "object", "type", "data", "name", "value", "items", "k"]) + str(rng.randint(0, 9))


def _number_text(rng: random.Random) -> str:
    return rng.choice(["0", "-0", "1", "-1", "3.5", "1e10", "1E-7", "1e308", "1e400", "-1e400", "NaN", "Infinity",
                       "-Infinity", "9" * rng.choice([15, 300, 999, 1001, 2000, 5000]), "0.1e1", "123456789012345678901"])


def _json_text(rng: random.Random, depth: int = 0) -> str:
    """JSON text (sometimes not quite JSON: NaN, 1e400, lone surrogate escapes, duplicate keys)."""
    roll = rng.random()
    if depth > rng.choice([3, 6, 140]) or roll < 0.3:
        pick = rng.random()
        if pick < 0.4:
            return json.dumps(_string(rng), ensure_ascii=rng.random() < 0.5) if rng.random() > 0.05 \
                else rng.choice(['"\\ud800"', '"a\\udfffb"', '"\\u0000"'])
        if pick < 0.75:
            return _number_text(rng)
        return rng.choice(["true", "false", "null"])
    if roll < 0.65:
        n = rng.randint(0, 5)
        keys = []
        for _ in range(n):
            k = rng.choice([json.dumps(_string(rng)), '"\\ud800"', '"dup"', json.dumps(KEY)]) \
                if rng.random() < 0.3 else json.dumps(_string(rng))
            keys.append(f"{k}: {_json_text(rng, depth + 1)}")
        return "{" + ", ".join(keys) + "}"
    return "[" + ", ".join(_json_text(rng, depth + 1) for _ in range(rng.randint(0, 5))) + "]"


def _sse(rng: random.Random) -> bytes:
    nl = rng.choice(["\n", "\r\n", "\r"]) if rng.random() < 0.3 else "\n"
    frames = []
    for _ in range(rng.randint(0, 6)):
        lines = []
        if rng.random() < 0.3:
            lines.append(f"event: {_string(rng).replace(chr(10), ' ').replace(chr(13), ' ')}")
        if rng.random() < 0.1:
            lines.append(": a comment")
        if rng.random() < 0.1:
            lines.append(f"id: {rng.randint(0, 99)}")
        data = _json_text(rng, 2) if rng.random() < 0.7 else _string(rng)
        if rng.random() < 0.2:  # the key split across two data: lines
            data = f'{{"k": "{KEY[:9]}{nl}data: {KEY[9:]}"}}'
        lines += [f"data: {part}" for part in data.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        frames.append(nl.join(lines) + nl + nl)
    end = rng.random()
    if end < 0.6:
        frames.append(f"data: [DONE]{nl}{nl}")
    elif end < 0.8:
        frames.append(f'data: {{"type": "response.completed"}}{nl}{nl}')
    return "".join(frames).encode("utf-8", "surrogatepass")


def response(rng: random.Random) -> dict:
    """One random response: status, headers, body bytes, and whether the case is a stream."""
    stream = rng.random() < 0.3
    headers = [("x-request-id", _string(rng).replace("\n", " ").replace("\r", " ").encode("latin-1", "replace").decode("latin-1")[:200])]
    if stream:
        body = _sse(rng)
        ctype = rng.choice(["text/event-stream", "text/event-stream; charset=utf-8", "application/json"])
    else:
        kind = rng.random()
        if kind < 0.75:
            body = _json_text(rng).encode("utf-8", "surrogatepass")
            ctype = rng.choice(["application/json", "application/json; charset=utf-8", "application/problem+json"])
        elif kind < 0.85:
            body = _string(rng).encode("utf-8", "surrogatepass")
            ctype = rng.choice(["text/plain", "text/html", ""])
        else:
            body = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 64)))
            ctype = rng.choice(["application/json", "application/octet-stream"])
    if ctype:
        headers.append(("content-type", ctype))
    for _ in range(rng.randint(0, 3)):
        name = rng.choice(["x-ratelimit-limit-requests", "x-ratelimit-" + KEY, "openai-version", "set-cookie",
                           "x-echo", "openai-processing-ms", "x-ratelimit-reset-tokens"])
        value = rng.choice([KEY, "sid=" + KEY, "sid=samples; Path=/", "sid=null", "1", "6m0s", _string(rng)])
        headers.append((name, value.replace("\n", " ").replace("\r", " ").encode("latin-1", "replace").decode("latin-1")))
    enc = rng.random()
    if enc < 0.1:
        body, _ = gzip.compress(body), headers.append(("content-encoding", "gzip"))
    elif enc < 0.13:
        body, _ = zlib.compress(body), headers.append(("content-encoding", "deflate"))
    elif enc < 0.15:
        body, _ = gzip.compress(gzip.compress(body)), headers.append(("content-encoding", "gzip, gzip"))
    elif enc < 0.16:
        headers.append(("content-encoding", "gzip"))  # and not gzip
    status = rng.choice([200] * 12 + [201, 400, 404, 418, 500])
    return {"status": status, "headers": headers, "body": body, "stream": stream, "chunked": rng.random() < 0.3}


class Handler(QuietHandler):
    table: dict = {}

    def do_POST(self):
        self.drain()
        r = self.table[self.path.split("?")[0].rsplit("/", 1)[-1]]
        self.send_response(r["status"])
        for k, v in r["headers"]:
            self.send_header(k, v)
        if r["chunked"]:
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            if r["body"]:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(r["body"]), r["body"]))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("content-length", str(len(r["body"])))
            self.end_headers()
            self.wfile.write(r["body"])


def start_server(table: dict):
    return serve(type("H", (Handler,), {"table": table}))


def _cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "apicompat", *args, "--plan", str(folder / "apicompat.yaml"),
           "--snapshots", str(folder / "snapshots"), "--schemas", str(folder / "schemas"),
           "--retries", "0", "--timeout", "10"]
    env = {**os.environ, "APICOMPAT_FUZZ_KEY": KEY, "CI": "1"}
    env.pop("APICOMPAT_DEBUG", None)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, cwd=folder)


def _failed(stderr: str) -> set[str]:
    out = set()
    for line in stderr.splitlines():
        if line.startswith("apicompat: note: case "):  # record: a case answered only errors (not a failure)
            continue
        assert line.startswith("apicompat: case "), line
        out.add(line.removeprefix("apicompat: case ").split(":")[0])
    return out


def _junk(rng: random.Random) -> object:
    while True:
        try:
            value = json.loads(_json_text(rng, 4), parse_constant=lambda name: 0)
            json.dumps(value, allow_nan=False).encode("utf-8")
            return value
        except ValueError:  # 5,000 digits, 1e400: not a value to put in a file
            continue


def _mutate(node: object, rng: random.Random) -> object:
    """`node` with one random place replaced by a random JSON value (or the whole of it)."""
    if rng.random() < 0.15 or not isinstance(node, (dict, list)) or not node:
        return _junk(rng)
    if isinstance(node, dict):
        key = rng.choice(list(node))
        if rng.random() < 0.2:
            return {k: v for k, v in node.items() if k != key}
        return {**node, key: _mutate(node[key], rng)}
    i = rng.randrange(len(node))
    return node[:i] + [_mutate(node[i], rng)] + node[i + 1:]


def mutate_baseline(folder: Path, rng: random.Random) -> list[str]:
    """Change a few baseline files at random places (the baseline reader's fuzz): valid YAML/JSON
    with the wrong shapes, values and keys."""
    files = sorted((folder / "snapshots").glob("*.yaml")) + sorted((folder / "schemas").glob("*.json"))
    picked = rng.sample(files, min(len(files), 3)) if files else []
    for p in picked:
        _mutate_file(p, rng)
    return [p.name for p in picked]


def _mutate_file(p: Path, rng: random.Random) -> None:
    import yaml

    if p.suffix == ".json":
        p.write_text(json.dumps(_mutate(json.loads(p.read_text()), rng)))
    else:
        p.write_text(yaml.safe_dump(_mutate(yaml.safe_load(p.read_text()), rng), allow_unicode=True))


def reader_fuzz(folder: Path, rng: random.Random, rounds: int) -> dict:
    """The baseline reader alone, in this process: `check`'s comparison of the fresh recording (in
    `.last-check/`) with a copy of the baseline where one file is changed at a random place, `rounds`
    times. Only InputError (one line naming the file) may come out."""
    import shutil

    from apicompat.cli.options import one_line
    from apicompat.errors import InputError
    from apicompat.record.check import compare
    from apicompat.record.store import load_json, load_snapshot

    last = folder / "snapshots" / ".last-check"
    fresh = {p.stem: load_snapshot(str(p)) for p in sorted((last / "snapshots").glob("*.yaml"))}
    fresh_schemas = {p.stem: load_json(str(p)) for p in sorted((last / "schemas").glob("*.json"))}
    out = {"rounds": 0, "read": 0, "refused": 0}
    work = folder / "reader"
    for n in range(rounds):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(folder / "snapshots", work / "snapshots", ignore=shutil.ignore_patterns(".*"))
        shutil.copytree(folder / "schemas", work / "schemas")
        files = sorted((work / "snapshots").glob("*.yaml")) + sorted((work / "schemas").glob("*.json"))
        if not files:
            break
        target = rng.choice(files)
        _mutate_file(target, rng)
        out["rounds"] += 1
        try:
            compare(fresh, fresh_schemas, str(work / "snapshots"), str(work / "schemas"))
            out["read"] += 1
        except InputError as exc:  # printed by the CLI as one line (keys with line breaks are escaped)
            assert "\n" not in one_line(str(exc)), (n, target.name, str(exc))
            out["refused"] += 1
        except Exception as exc:
            raise AssertionError(f"reader round {n}: {target.name}: {type(exc).__name__}: {exc}") from exc
    shutil.rmtree(work, ignore_errors=True)
    return out


def run_batch(folder: Path, seed: int, count: int, reader_rounds: int = 10) -> dict:
    """Serve `count` random responses (seed, case index), record them, check them; raise
    AssertionError naming the seed on any broken property. Returns counts."""
    rng = random.Random(seed)
    table = {f"c{i:04d}": response(rng) for i in range(count)}
    srv, url = start_server(table)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"base_url: {url}", "auth: {api_key_env: APICOMPAT_FUZZ_KEY}", "cases:"]
        for name, r in table.items():
            lines.append(f"  - {{name: {name}, path: /{name}, method: POST, json: {{q: 1}}"
                         + (", stream: true" if r["stream"] else "") + "}")
        (folder / "apicompat.yaml").write_text("\n".join(lines) + "\n")
        record = _cli(folder, "record")
        where = f"seed {seed}"
        assert record.returncode in (0, 1), (where, record.returncode, record.stderr[-2000:])
        failed = _failed(record.stderr)
        written = {p.stem for p in (folder / "snapshots").glob("*.yaml")}
        assert written | failed == set(table) and not written & failed, (where, record.stderr[-2000:])
        check = _cli(folder, "check", "--format", "json", "--allow-new-cases")  # failed cases have no baseline
        assert check.returncode in (0, 1), (where, check.returncode, check.stderr[-2000:])
        assert _failed(check.stderr) == failed, (where, check.stderr[-2000:])
        report = json.loads(check.stdout)
        assert report["changes"] == [], (where, report["changes"][:3])  # the same traffic changes nothing
        for p in folder.rglob("*"):
            if p.is_file() and p.name != "apicompat.yaml":
                flat = p.read_bytes().lower().replace(b"\r", b"").replace(b"\n", b"").replace(b" ", b"")
                assert KEY.lower().encode() not in flat, (where, str(p))
        for out in (record.stdout, record.stderr, check.stdout, check.stderr):
            assert KEY.lower() not in out.lower().replace("\n", "").replace("\r", ""), where
        try:
            reader = reader_fuzz(folder, rng, reader_rounds)
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from None
        mutated = mutate_baseline(folder, rng)
        again = _cli(folder, "check", "--format", "json", "--allow-new-cases")
        assert again.returncode in (0, 1, 2), (where, mutated, again.returncode, again.stderr[-2000:])
        assert "Traceback" not in again.stderr and "internal error" not in again.stderr, (where, mutated, again.stderr)
        if again.returncode == 2:
            assert len(again.stderr.strip().splitlines()) == 1, (where, mutated, again.stderr)
        return {"cases": count, "recorded": len(written), "per_case_errors": len(failed),
                "baseline_mutations": len(mutated), "mutated_check_exit": again.returncode,
                "reader_rounds": reader["rounds"], "reader_read": reader["read"], "reader_refused": reader["refused"]}
    finally:
        srv.shutdown()
        srv.server_close()


def test_recorded_traffic_fuzz(tmp_path):
    seed = int(os.environ.get("APICOMPAT_FUZZ_SEED", "20261202"))
    counts = run_batch(tmp_path / "batch", seed, FUZZ_CASES)
    assert counts["recorded"] > 0 and counts["per_case_errors"] > 0  # both roads are taken
