#!/usr/bin/env python3
"""Whole-process wall time and peak RSS of `apicompat diff` on the real corpus, against a parse floor.

Measured, per case, as separate processes:
  diff        .venv/bin/apicompat diff OLD NEW --format json --fail-on none --output TMPFILE
  parse floor python -c: yaml.load(f, Loader=yaml.CSafeLoader) of OLD and NEW (PyYAML's C loader)
  oasdiff     oasdiff breaking OLD NEW (only when an `oasdiff` binary is on PATH)

Wall time: median of N runs (time.perf_counter around subprocess.run, interpreter start included).
CPU time: user + system time of the measured process and the children it waited for (`diff` forks
one to parse the new document beside the old: apicompat.load.pair), median of N runs; on a machine
shared with other jobs wall time grows with their load and CPU time much less, so compare CPU there.
Peak RSS: the maximum resident set size of the measured process, from GNU `/usr/bin/time -f %M`
(kilobytes) when present; otherwise from os.wait4()'s rusage.ru_maxrss of that one child (Linux: KB).
Both isolate one run; RUSAGE_CHILDREN would not. Peak RSS is the maximum over the runs.
The package's bytecode is compiled first (`compileall`), as an installed package's is: a checkout
run with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every run (~0.3 s).

Targets: OpenAI newest pair diff <= 1.0x parse floor; Stripe pair <= 2.0x parse floor and <= 600 MB.

Usage: benchmarks/bench_diff.py [--runs N] [--quick] [--shared DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
GNU_TIME = "/usr/bin/time"

CASES = [
    # name, corpus, old, new, max ratio to the parse floor, max peak MB
    ("OpenAI 2329a66 -> 9b457ac", "openai", "2026-08-14_2329a66.yaml", "2026-08-15_9b457ac.yaml", 1.0, None),
    ("Stripe c7d0b13 -> 63a6746", "stripe", "2023-03-01_c7d0b13.yaml", "2023-09-12_63a6746.yaml", 2.0, 600.0),
]

PARSE_FLOOR = (
    "import sys, yaml\n"
    "for p in sys.argv[1:]:\n"
    "    with open(p, 'rb') as f:\n"
    "        yaml.load(f, Loader=yaml.CSafeLoader)\n"
)


def _gnu_time_usable() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    probe = subprocess.run([GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True)
    return probe.returncode == 0 and probe.stderr.strip().splitlines()[-1].isdigit()


USE_GNU_TIME = _gnu_time_usable()
RSS_METHOD = "GNU /usr/bin/time -f %M" if USE_GNU_TIME else "os.wait4() ru_maxrss"


def run_once(argv: list[str], ok_codes=(0,), env: dict | None = None) -> tuple[float, float, float]:
    """One run: (wall seconds, CPU seconds (user + system), peak RSS in MB)."""
    if USE_GNU_TIME:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            start = time.perf_counter()
            proc = subprocess.run([GNU_TIME, "-f", "%U %S %M", "-o", tf.name, *argv],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            wall = time.perf_counter() - start
            text = Path(tf.name).read_text().strip().splitlines()
            fields = text[-1].split() if text else []
            ok = len(fields) == 3 and fields[2].isdigit()
            cpu = float(fields[0]) + float(fields[1]) if ok else 0.0
            peak_kb = int(fields[2]) if ok else 0
    else:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stderr = stderr
        cpu = usage.ru_utime + usage.ru_stime
        peak_kb = usage.ru_maxrss
    if proc.returncode not in ok_codes:
        err = proc.stderr.decode(errors="replace") if isinstance(proc.stderr, bytes) else proc.stderr
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err[-2000:]}")
    return wall, cpu, peak_kb / 1024.0


def measure(argv: list[str], runs: int, ok_codes=(0,), env_for_run=None) -> tuple[float, float, list[float], float]:
    """(median wall, peak MB, the walls, median CPU); `env_for_run()` gives each run its environment
    (a fresh, empty parse cache for cold runs)."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        wall, cpu, peak = run_once(argv, ok_codes, env_for_run() if env_for_run else None)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return statistics.median(walls), max(peaks), walls, statistics.median(cpus)


def fresh_cache_env(tmp: str) -> dict:
    return {**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-", dir=tmp)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median); default 5")
    parser.add_argument("--quick", action="store_true", help="one run per measurement")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared/ folder (corpus)")
    args = parser.parse_args()
    runs = 1 if args.quick else max(1, args.runs)

    apicompat = ROOT / ".venv" / "bin" / "apicompat"
    if not apicompat.exists():
        found = shutil.which("apicompat")
        if not found:
            raise SystemExit("apicompat not found: run `make install` first")
        apicompat = Path(found)
    python = sys.executable
    oasdiff = shutil.which("oasdiff")
    corpus = args.shared / "corpus"
    if not corpus.is_dir():
        raise SystemExit(f"corpus not found at {corpus}")

    # Bytecode, as an installed package has it (this checkout is installed in editable mode).
    subprocess.run([python, "-m", "compileall", "-q", str(ROOT / "checker")], stdout=subprocess.DEVNULL, check=False)
    print(f"runs={runs}  peak RSS via {RSS_METHOD}  python={sys.version.split()[0]}  nproc={os.cpu_count()}  "
          f"load {os.getloadavg()[0]:.1f}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out_file = str(Path(tmp) / "report.json")
        for name, sub, old, new, max_ratio, max_mb in CASES:
            old_p, new_p = str(corpus / sub / old), str(corpus / sub / new)
            floor_t, floor_mb, _, floor_cpu = measure([python, "-c", PARSE_FLOOR, old_p, new_p], runs)
            diff_argv = [str(apicompat), "diff", old_p, new_p, "--format", "json", "--fail-on", "none",
                         "--output", out_file]
            # Cold: every run starts with an empty parse cache (the targets are for a cold cache).
            diff_t, diff_mb, walls, diff_cpu = measure(diff_argv, runs, env_for_run=lambda: fresh_cache_env(tmp))
            # Warm: the same cache for every run, primed once.
            warm_env = fresh_cache_env(tmp)
            run_once(diff_argv, env=warm_env)
            warm_t, _, _, _ = measure(diff_argv, runs, env_for_run=lambda env=warm_env: env)
            row = dict(name=name, floor_t=floor_t, floor_mb=floor_mb, diff_t=diff_t, diff_mb=diff_mb,
                       ratio=diff_t / floor_t, max_ratio=max_ratio, max_mb=max_mb, walls=walls, warm_t=warm_t,
                       floor_cpu=floor_cpu, diff_cpu=diff_cpu)
            if oasdiff:
                # exit 1 = breaking changes found, still a successful run
                row["oas_t"], row["oas_mb"], _, _ = measure([oasdiff, "breaking", old_p, new_p], runs,
                                                            ok_codes=(0, 1))
            rows.append(row)

    header = ("| pair | parse floor s | diff s (cold cache) | diff / floor | target | diff peak MB | floor peak MB "
              "| verdict | diff s (warm cache) | floor CPU s | diff CPU s (cold) |")
    if oasdiff:
        header += " oasdiff breaking s | oasdiff MB |"
    print()
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    failed = False
    for r in rows:
        target = f"<= {r['max_ratio']:.1f}x" + (f", <= {r['max_mb']:.0f} MB" if r["max_mb"] else "")
        ok = r["ratio"] <= r["max_ratio"] and (r["max_mb"] is None or r["diff_mb"] <= r["max_mb"])
        failed |= not ok
        line = (f"| {r['name']} | {r['floor_t']:.2f} | {r['diff_t']:.2f} | {r['ratio']:.2f}x | {target} | "
                f"{r['diff_mb']:.0f} | {r['floor_mb']:.0f} | {'meets' if ok else 'MISSES'} | {r['warm_t']:.2f} | "
                f"{r['floor_cpu']:.2f} | {r['diff_cpu']:.2f} |")
        if oasdiff:
            line += f" {r['oas_t']:.2f} | {r['oas_mb']:.0f} |"
        print(line)
    print()
    for r in rows:
        print(f"{r['name']}: diff runs " + ", ".join(f"{w:.2f}" for w in r["walls"]))
    if not oasdiff:
        print("oasdiff: not on PATH, not measured")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
