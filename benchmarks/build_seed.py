"""Time `kg build` on the seed article, stage by stage; prints medians over several runs.

Usage: python benchmarks/build_seed.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from kg import export, factsheet
from kg.graph import build_quads
from kg.iris import Minter
from kg.pipeline import build, default_sources
from kg.sources import discover


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    stages: dict[str, list[float]] = {}
    for _ in range(args.runs):
        mint = Minter()
        sources = discover(default_sources())
        sheets, t = timed(lambda: [factsheet.load(s) for s in sources])
        stages.setdefault("read + check + anchor", []).append(t)
        quads, t = timed(lambda: build_quads(sheets, mint))
        stages.setdefault("graph", []).append(t)
        files, t = timed(lambda: export.render(quads, mint.prefixes()))
        stages.setdefault("serialize all formats", []).append(t)
        with tempfile.TemporaryDirectory() as out:
            _, t = timed(lambda: build(None, Path(out)))
        stages.setdefault("whole build (library call)", []).append(t)
    print(f"seed article: {len(quads)} quads; medians of {args.runs} runs")
    for name, times in stages.items():
        print(f"  {name:28s} {statistics.median(times) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
