"""Crash-safety campaign: SIGKILL `record` and `accept` at random points and check that the baseline,
as the next run finds it, is the old one or the new one, byte for byte (issue 11, item 15).

    .venv/bin/python benchmarks/kill_campaign.py [--tries 200] [--seed 11] [--out benchmarks/kill_results.md]

A local server answers CASES cases in two generations (every body differs between them, and each file
is ~20 KB so that the commit takes a while). References: one uninterrupted `record` of each
generation into its own folder. Each try starts `record` (or `accept` of a `check` recorded in the
other generation), waits until it holds the lock, sleeps a random time drawn over its usual run time
(half the tries over the whole run, half over its last 40 %, where the commit is), and sends SIGKILL.
What the kill left is noted (nothing begun, staged files only, a journal: mid-swap, or the run had
already ended); then `check` runs (it finishes or rolls back an interrupted commit under the lock)
and the baseline's files are compared with both references. Exit status 1 if any try left a
baseline that is neither, or stray files.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from local_http import QuietHandler, serve  # noqa: E402

CASES = 24
PAD = 20_000


class Handler(QuietHandler):
    gen = 0

    def do_POST(self):
        self.drain()
        case = self.path.rsplit("/", 1)[-1]
        body = json.dumps({"id": case, "gen": Handler.gen, "field_g%d" % Handler.gen: True,
                           "pad": ("g%d-" % Handler.gen) * (PAD // 3)}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("x-request-id", "req_" + case)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def write_plan(folder: Path, url: str) -> None:
    lines = [f"base_url: {url}", "cases:"]
    for i in range(CASES):
        lines.append(f"  - {{name: c{i:02d}, path: /c{i:02d}, method: POST, json: {{q: 1}}, "
                     f"headers: {{X-Client-Request-Id: fixed-{i}}}}}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "apicompat.yaml").write_text("\n".join(lines) + "\n")


def cmd(folder: Path, *args: str, plan: bool = True) -> list[str]:
    out = [sys.executable, "-m", "apicompat", *args]
    if plan:
        out += ["--plan", str(folder / "apicompat.yaml"), "--retries", "0"]
    return out + ["--snapshots", str(folder / "snapshots"), "--schemas", str(folder / "schemas")]


def run(folder: Path, *args: str, plan: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd(folder, *args, plan=plan), capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CI": "1"})
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc


def baseline(folder: Path) -> dict[str, str]:
    out = {}
    for sub in ("snapshots", "schemas"):
        for p in sorted((folder / sub).glob("c*")):
            out[f"{sub}/{p.name}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def strays(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.name.startswith((".apicompat-", ".last-check-")) or p.name == ".last-check.old"]


def kill_state(folder: Path) -> str:
    snaps = folder / "snapshots"
    if (snaps / ".apicompat-journal.json").exists():
        return "journal written (mid-swap)"
    stages = [d / ".apicompat-stage" for d in (snaps, folder / "schemas") if (d / ".apicompat-stage").exists()]
    if stages:
        if any(any(s.iterdir()) for s in stages):
            return "staged files, no journal"
        return "empty staging folders (swap done, journal gone)"
    return "no journal, no staged files"


def wait_for_lock(folder: Path, proc: subprocess.Popen) -> bool:
    lock = folder / "snapshots" / ".apicompat.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if lock.read_text().strip() == str(proc.pid):
                return True
        except OSError:
            pass
        if proc.poll() is not None:
            return False
        time.sleep(0.002)
    return False


def timed(folder: Path, *args: str, plan: bool = True) -> float:
    """Seconds from holding the lock to exit, for one uninterrupted run."""
    proc = subprocess.Popen(cmd(folder, *args, plan=plan), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "CI": "1"})
    wait_for_lock(folder, proc)
    t0 = time.monotonic()
    proc.wait(timeout=120)
    return time.monotonic() - t0


def campaign(tries: int, seed: int, work: Path) -> dict:
    rng = random.Random(seed)
    srv, url = serve(Handler)  # (a killed record drops its connection mid-answer: serve() expects it)
    refs = {}
    for gen in (0, 1):
        Handler.gen = gen
        write_plan(work / f"ref{gen}", url)
        run(work / f"ref{gen}", "record")
        refs[gen] = baseline(work / f"ref{gen}")
    assert refs[0] != refs[1] and len(refs[0]) == 2 * CASES
    folder = work / "live"
    write_plan(folder, url)
    Handler.gen = 0
    run(folder, "record")
    Handler.gen = 1
    durations = {"record": timed(folder, "record")}
    run(folder, "check")
    Handler.gen = 0
    run(folder, "check")
    durations["accept"] = timed(folder, "accept", plan=False)
    results = {"tries": 0, "old": 0, "new": 0, "broken": 0, "strays": 0, "states": collections.Counter(),
               "by_command": collections.Counter(), "durations": durations, "failures": []}
    t_start = time.monotonic()
    for t in range(2 * tries):
        command = "record" if t % 2 == 0 else "accept"
        current = baseline(folder)
        old_gen = 0 if current == refs[0] else 1 if current == refs[1] else None
        if old_gen is None:
            raise SystemExit("the baseline before a try is neither reference")
        new_gen = 1 - old_gen
        Handler.gen = new_gen
        if command == "accept":
            run(folder, "check")  # .last-check/ now holds the other generation
        span = durations[command]
        delay = rng.uniform(0, 1.1 * span) if rng.random() < 0.5 else rng.uniform(0.6 * span, 1.05 * span)
        proc = subprocess.Popen(cmd(folder, command, plan=command == "record"), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env={**os.environ, "CI": "1"})
        held = wait_for_lock(folder, proc)
        time.sleep(delay)
        ended = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        state = "ended before the kill" if ended or not held else kill_state(folder)
        run(folder, "check")  # the next run: finishes or rolls back under the lock
        after = baseline(folder)
        verdict = "old" if after == refs[old_gen] else "new" if after == refs[new_gen] else "broken"
        left = strays(folder)
        results["tries"] += 1
        results[verdict] += 1
        results["states"][(command, state, verdict)] += 1
        results["by_command"][command] += 1
        if left:
            results["strays"] += 1
        if verdict == "broken" or left:
            results["failures"].append(f"try {t} ({command}, {state}, delay {delay:.3f}s): {verdict}, strays {left}")
            if verdict == "broken":  # start the next try from a known baseline
                Handler.gen = old_gen
                run(folder, "record")
    results["seconds"] = time.monotonic() - t_start
    srv.shutdown()
    return results


def report(results: dict, tries: int, seed: int) -> str:
    lines = [f"# Kill campaign ({time.strftime('%Y-%m-%d')})", "",
             f"`.venv/bin/python benchmarks/kill_campaign.py --tries {tries} --seed {seed}` on Python "
             f"{platform.python_version()}, {os.cpu_count()} CPUs (shared): {CASES} cases of ~{PAD // 1000} KB, "
             f"SIGKILL of `record` and `accept` once each holds the lock, after a random delay over its usual "
             f"run ({results['durations']['record']:.2f} s for record, {results['durations']['accept']:.2f} s for "
             f"accept, lock to exit), then `check` (which finishes or rolls back) and a byte-for-byte comparison "
             f"with an uninterrupted run of each generation. {results['seconds']:.0f} s in all.", "",
             "| | |", "|---|---|",
             f"| tries | {results['tries']} ({results['by_command']['record']} record, "
             f"{results['by_command']['accept']} accept) |",
             f"| baseline old after the next run | {results['old']} |",
             f"| baseline new after the next run | {results['new']} |",
             f"| broken (neither old nor new) | {results['broken']} |",
             f"| stray files after the next run | {results['strays']} |", "",
             "Where the kill landed (what it left on disk) and what the next run found:", "",
             "| command | left by the kill | baseline after the next run | tries |", "|---|---|---|---|"]
    for (command, state, verdict), n in sorted(results["states"].items()):
        lines.append(f"| {command} | {state} | {verdict} | {n} |")
    if results["failures"]:
        lines += ["", "Failures:", ""] + [f"- {f}" for f in results["failures"]]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tries", type=int, default=100, help="tries per command (record and accept)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "kill_results.md"))
    ap.add_argument("--work", default=None, help="working folder (default: a temporary one)")
    args = ap.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="apicompat-kill-"))
    try:
        results = campaign(args.tries, args.seed, work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results, args.tries, args.seed)
    Path(args.out).write_text(text)
    print(text)
    return 1 if results["broken"] or results["strays"] else 0


if __name__ == "__main__":
    sys.exit(main())
