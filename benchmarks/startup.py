"""Time `kg --help` against a bare `python -c pass`; prints medians and the difference.

Usage: python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    beside = Path(sys.executable).with_name("kg")
    kg = str(beside) if beside.exists() else shutil.which("kg")
    if not kg:
        sys.exit("kg is not installed in this environment")
    bare = median_seconds([sys.executable, "-c", "pass"], args.runs)
    help_ = median_seconds([kg, "--help"], args.runs)
    build_help = median_seconds([kg, "build", "--help"], args.runs)
    print(f"python -c pass   median {bare * 1000:7.1f} ms")
    print(f"kg --help        median {help_ * 1000:7.1f} ms  (+{(help_ - bare) * 1000:.1f} ms)")
    print(f"kg build --help  median {build_help * 1000:7.1f} ms  "
          f"(+{(build_help - bare) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
