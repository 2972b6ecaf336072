#!/usr/bin/env python3
"""What each report format costs on top of the diff: `apicompat --no-cache diff OLD NEW --format F` as a
whole process, per format, on the two large pairs of the real corpus.

The formats that show lines (sarif, github, markdown, html, json's `locations`) find them in the text
kept at load time (apicompat.lines); `text` shows none, so its time is the diff's own. Rounds are
interleaved (each round runs every format once) so that a machine shared with other jobs slows all
of them alike. Reported: median wall time, median CPU time (user + system, less sensitive to a loaded
machine), peak RSS (maximum over the runs), from os.wait4()'s rusage of that one child.

Usage: benchmarks/bench_formats.py [--runs N] [--formats text,sarif,json] [--shared DIR]
       [--pythonpath DIR]   (import apicompat from DIR instead: compare with another checkout, e.g. a
                             `git archive` of an older commit whose checker/ is linked as DIR/apicompat)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [
    ("OpenAI 2329a66 -> 9b457ac", "openai", "2026-08-14_2329a66.yaml", "2026-08-15_9b457ac.yaml"),
    ("Stripe c7d0b13 -> 63a6746", "stripe", "2023-03-01_c7d0b13.yaml", "2023-09-12_63a6746.yaml"),
]
MAIN = "from apicompat.cli.main import main; main()"


def run_once(argv: list[str], env: dict) -> tuple[float, float, float]:
    """(wall s, cpu s, peak RSS MB) of one process; its output is discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--formats", default="text,sarif,json")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--pythonpath", default=None)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath
    formats = args.formats.split(",")
    print(f"{'pair':28} {'format':7} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}")
    for name, corpus, old, new in PAIRS:
        files = [str(args.shared / "corpus" / corpus / f) for f in (old, new)]
        if not all(os.path.isfile(f) for f in files):
            print(f"{name}: skipped, {files[0]} or {files[1]} is missing")
            continue
        seen: dict[str, list[tuple[float, float, float]]] = {f: [] for f in formats}
        for _ in range(args.runs):
            for fmt in formats:
                argv = [sys.executable, "-c", MAIN, "--no-cache", "diff", *files, "--format", fmt]
                seen[fmt].append(run_once(argv, env))
        for fmt, runs in seen.items():
            print(f"{name:28} {fmt:7} {statistics.median(r[0] for r in runs):7.2f} "
                  f"{statistics.median(r[1] for r in runs):6.2f} {max(r[2] for r in runs):8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
