"""Peak memory and time of `apicompat diff` on hostile document families, at growing sizes.

    .venv/bin/python benchmarks/hostile_memory.py [--sizes 1,4,16,64] [--families a,b] [--timeout 600]

Each case writes OLD and NEW (NEW is OLD with one change where the family allows it) into a temporary
folder and runs `python -m apicompat diff OLD NEW --max-size 64` as its own process, with the parse
cache off and a 3 GB address-space limit (so a bomb fails instead of taking the machine). Peak memory is
the process's VmHWM (its own high-water RSS after exec), read every 10 ms; `ru_maxrss` would also count
this script's memory at the fork. "over base" subtracts the peak of a diff of two tiny files; "x input"
divides that by the bytes of both inputs. Results: benchmarks/README.md ("Hostile memory").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
MB = 1024 * 1024
AS_LIMIT = 3 * 1024 ** 3


def run_watched(argv: list[str], *, cwd=None, env: dict | None = None, timeout: float = 600,
                preexec_fn=None) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run ARGV; return it with its peak RSS (MB: VmHWM, the high-water mark of its own memory after
    exec, read every 10 ms) and its wall time (s). A timeout kills it (exit status -9)."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=preexec_fn)
    peak = [0]

    def watch() -> None:
        while proc.poll() is None:
            try:
                with open(f"/proc/{proc.pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            peak[0] = max(peak[0], int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    watcher.join()
    done = subprocess.CompletedProcess(argv, proc.returncode, out, err)
    return done, peak[0] / 1024, time.monotonic() - started


def measure(args: list[str], cwd: Path, timeout: float) -> tuple[int, float, float, str]:
    """(exit status, peak RSS MB, seconds, last stderr line) of `python -m apicompat ARGS`."""
    env = {**os.environ, "APICOMPAT_NO_CACHE": "1"}
    env.pop("APICOMPAT_DEBUG", None)
    done, peak, seconds = run_watched(
        [sys.executable, "-m", "apicompat", *args], cwd=cwd, env=env, timeout=timeout,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT)))
    last = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return done.returncode, peak, seconds, (last[-1] if last else "")[:110]


# -- families: (old text, new text) of about `size` bytes each -------------------------------------

def _schema_props(n: int, changed: bool) -> str:
    props = {f"p{i}": {"type": "string", "description": "a property of a generated object"} for i in range(n)}
    if changed:
        props["p0"] = {"type": "integer"}
    return json.dumps({"type": "object", "properties": props})


def properties(size: int) -> tuple[str, str]:
    """A realistic dense schema: one object with many described properties (the differ's work)."""
    n = max(1, size // 75)
    return _schema_props(n, False), _schema_props(n, True)


def _repeat(prefix: str, item: str, size: int, suffix: str) -> str:
    n = max(1, (size - len(prefix) - len(suffix)) // (len(item) + 1))
    return prefix + ",".join([item] * n) + suffix


def empty_objects(size: int) -> tuple[str, str]:
    """`{"x-a": [{}, {}, ...]}`: the most Python objects per byte of JSON."""
    text = _repeat('{"type": "object", "x-a": [', "{}", size, "]}")
    return text, text.replace('"type": "object"', '"type": "string"', 1)


def empty_lists(size: int) -> tuple[str, str]:
    text = _repeat('{"type": "object", "x-a": [', "[]", size, "]}")
    return text, text.replace('"type": "object"', '"type": "string"', 1)


def small_ints(size: int) -> tuple[str, str]:
    text = _repeat('{"type": "object", "enum": [', "0", size, "]}")
    return text, text.replace('"type": "object"', '"type": "string"', 1)


def many_keys(size: int) -> tuple[str, str]:
    n = max(1, size // 14)
    body = ", ".join(f'"k{i:07d}": 0' for i in range(n))
    text = '{"type": "object", "x-a": {' + body + "}}"
    return text, text.replace('"type": "object"', '"type": "string"', 1)


def short_strings(size: int) -> tuple[str, str]:
    text = _repeat('{"type": "object", "x-a": [', '"ab"', size, "]}")
    return text, text.replace('"type": "object"', '"type": "string"', 1)


def long_string(size: int) -> tuple[str, str]:
    text = '{"type": "object", "description": "' + "x" * max(1, size - 60) + '"}'
    return text, text.replace('"type": "object"', '"type": "string"', 1)


def yaml_block_mappings(size: int) -> tuple[str, str]:
    """YAML block style: one small mapping per line."""
    n = max(1, size // 12)
    text = "type: object\nx-a:\n" + "".join(f"- {{k: {i % 10}}}\n" for i in range(n))
    return text, text.replace("type: object", "type: string", 1)


def yaml_aliases(size: int) -> tuple[str, str]:
    """The most aliases may add: a block as large as the rest of the document, aliased over and over."""
    block = "{" + ", ".join(f"f{i}: {{type: string}}" for i in range(20)) + "}"
    n = max(1, size // (2 * (len(block) + 16)))
    written = "".join(f"  w{i}: {block}\n" for i in range(n))
    aliases = "".join(f"  a{i}: *b\n" for i in range(max(1, size // len(block) // 2)))
    text = f"type: object\nx-b: &b {block}\nproperties:\n{written}{aliases}"
    return text, text.replace("type: object", "type: string", 1)


def worst_case(size: int) -> tuple[str, str]:
    """The most a document within both default limits can cost: the value limit's worth of the costliest
    values to diff (described properties), padded with description text up to the size limit."""
    from apicompat.load.limits import Limits

    n = Limits().max_values // 6 - 10  # six values per property: its name, its schema, two keys, two scalars
    pad = max(0, (size - n * 60) // n)
    props = {f"p{i}": {"type": "string", "description": "d" * pad} for i in range(n)}
    old = json.dumps({"type": "object", "properties": props})
    props["p0"] = {"type": "integer", "description": "d" * pad}
    return old, json.dumps({"type": "object", "properties": props})


def yaml_worst_case(size: int) -> tuple[str, str]:
    """worst_case written as block YAML (read by yaml-rs)."""
    from apicompat.load.limits import Limits

    n = Limits().max_values // 6 - 10
    pad = max(0, (size - n * 50) // n)
    head = "type: object\nproperties:\n"
    body = "".join(f"  p{i}:\n    type: string\n    description: {'d' * pad}\n" for i in range(1, n))
    return (head + "  p0:\n    type: string\n    description: x\n" + body,
            head + "  p0:\n    type: integer\n    description: x\n" + body)


FAMILIES = {f.__name__: f for f in (properties, empty_objects, empty_lists, small_ints, many_keys, short_strings,
                                    long_string, yaml_block_mappings, yaml_aliases, worst_case, yaml_worst_case)}


def corpus_pairs() -> list[tuple[str, Path, Path]]:
    if not CORPUS.is_dir():
        return []
    pairs = [("openai (real)", CORPUS / "openai" / "2026-08-14_2329a66.yaml", CORPUS / "openai" / "2026-08-15_9b457ac.yaml"),
             ("stripe (real)", CORPUS / "stripe" / "2023-03-01_c7d0b13.yaml", CORPUS / "stripe" / "2023-09-12_63a6746.yaml")]
    return [p for p in pairs if p[1].exists() and p[2].exists()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,4,16,64", help="MB per input, comma-separated")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--timeout", type=float, default=600)
    opts = parser.parse_args()
    sizes = [float(s) for s in opts.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="apicompat-hostile-memory-") as tmp:
        t = Path(tmp)
        (t / "a.json").write_text('{"type": "object"}')
        (t / "b.json").write_text('{"type": "string"}')
        _, base, _, _ = measure(["diff", "a.json", "b.json"], t, opts.timeout)
        print(f"base: a diff of two tiny files peaks at {base:.0f} MB\n")
        print("| family | MB per input | exit | peak MB | over base, x input | seconds | what it said |")
        print("|---|---|---|---|---|---|---|")
        for name, old, new in corpus_pairs():
            size = old.stat().st_size + new.stat().st_size
            code, peak, secs, said = measure(["diff", str(old), str(new)], t, opts.timeout)
            print(f"| {name} | {size / 2 / MB:.1f} | {code} | {peak:.0f} | {(peak - base) * MB / size:.1f} | "
                  f"{secs:.1f} | {said if code == 2 else ''} |", flush=True)
        for fam in opts.families.split(","):
            seen: set[int] = set()
            for mb in sizes:
                old_text, new_text = FAMILIES[fam](int(mb * MB))
                if len(old_text) in seen:  # a family with a least size gives the same case twice
                    continue
                seen.add(len(old_text))
                ext = ".yaml" if fam.startswith("yaml") else ".json"
                (t / f"old{ext}").write_text(old_text)
                (t / f"new{ext}").write_text(new_text)
                size = len(old_text.encode()) + len(new_text.encode())
                code, peak, secs, said = measure(["diff", f"old{ext}", f"new{ext}", "--max-size", "64"], t,
                                                 opts.timeout)
                print(f"| {fam} | {size / 2 / MB:.1f} | {code} | {peak:.0f} | {(peak - base) * MB / size:.1f} | "
                      f"{secs:.1f} | {said if code not in (0, 1) else ''} |", flush=True)


if __name__ == "__main__":
    main()
