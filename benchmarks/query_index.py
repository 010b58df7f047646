"""Time `kg query` as a process, end to end, on a built folder: answered from the index kg
build wrote beside graph.trig, and by parsing graph.trig (the same file, hard-linked into a
folder without an index); prints the median of each, and whether the outputs are identical.

Usage: python benchmarks/query_index.py OUT_DIR [--runs N] [--parse-runs N] [QUERY ...]

OUT_DIR is a `kg build` output folder (with graph.oxigraph/); QUERY names shipped examples
(default: all of them).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def kg_command() -> str:
    beside = Path(sys.executable).with_name("kg")
    found = str(beside) if beside.exists() else shutil.which("kg")
    if not found:
        sys.exit("kg is not installed in this environment")
    return found


def timed_runs(command: list[str], runs: int) -> tuple[float, float, str, str]:
    """(median wall seconds, median CPU seconds of the process and its workers, digest of
    the output, standard error of the last run). CPU time is the figure to read on a busy
    machine, where wall time also counts the waits for a core."""
    times, cpu, digest, errors = [], [], "", ""
    for _ in range(runs):
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, timeout=600)
        times.append(time.perf_counter() - start)
        now = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime)
        if done.returncode != 0:  # a time limit, say: the digest tells the error
            digest = f"exit {done.returncode}: {done.stderr.decode().strip()[:60]}"
            errors = ""
            break
        digest = hashlib.sha256(done.stdout).hexdigest()[:12]
        errors = done.stderr.decode()
    return statistics.median(times), statistics.median(cpu), digest, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("queries", nargs="*")
    parser.add_argument("--runs", type=int, default=7, help="runs over the index (default 7)")
    parser.add_argument("--parse-runs", type=int, default=3,
                        help="runs parsing graph.trig (default 3; 0 skips them)")
    args = parser.parse_intermixed_args(argv)
    trig = args.out_dir / "graph.trig"
    if not (args.out_dir / "graph.oxigraph").is_dir():
        sys.exit(f"{args.out_dir} has no graph.oxigraph/: build it with this kg")
    kg = kg_command()
    names = args.queries or [line.split()[0] for line in subprocess.run(
        [kg, "query", "--list"], capture_output=True, text=True, check=True).stdout.splitlines()]
    print(f"{'query':40} {'index s':>8} {'cpu s':>6} {'parse s':>8} {'cpu s':>6}  same output")
    with tempfile.TemporaryDirectory(dir=args.out_dir.parent) as bare:
        plain = Path(bare) / "graph.trig"
        os.link(trig, plain)  # the same bytes, no index beside them
        fast_all = []
        for name in names:
            fast, fast_cpu, digest, errors = timed_runs(
                [kg, "query", name, "--data", str(trig)], args.runs)
            if errors:
                print(f"  note from kg query {name}: {errors.strip()}")
            fast_all.append(fast)
            slow, slow_cpu, same = float("nan"), float("nan"), "-"
            if args.parse_runs:
                slow, slow_cpu, other, _ = timed_runs(
                    [kg, "query", name, "--data", str(plain)], args.parse_runs)
                same = "yes" if other == digest else "NO"
            if digest.startswith("exit"):
                same += f" ({digest})"
            print(f"{name:40} {fast:8.3f} {fast_cpu:6.2f} {slow:8.3f} {slow_cpu:6.2f}  {same}",
                  flush=True)
    print(f"{'median over the queries':40} {statistics.median(fast_all):8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
