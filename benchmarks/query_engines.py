"""Time every example query on rdflib and on pyoxigraph over the same data; prints medians.

The seed graph is replicated COPIES times with renamed IRIs (`--copies`) to show how each
engine grows. Usage: python benchmarks/query_engines.py [--copies N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pyoxigraph as ox
import rdflib

from kg import catalog, sparql
from kg.pipeline import load_dataset


def replicate(quads, copies: int) -> list:
    out = []
    for i in range(copies):
        def rename(t):
            if isinstance(t, ox.NamedNode) and "/id/" in t.value and i:
                return ox.NamedNode(f"{t.value}-copy{i}")
            return t
        out += [ox.Quad(rename(x.subject), x.predicate, rename(x.object), x.graph_name)
                for x in quads]
    return out


def median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    quads = replicate(load_dataset()[1], args.copies)
    store = ox.Store()
    store.extend(quads)
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    print(f"{len(quads)} quads; medians of {args.runs} runs")
    print(f"{'query':38s} {'rdflib ms':>10s} {'pyoxigraph ms':>14s} {'ratio':>7s}")
    for example in catalog.examples():
        text = sparql.with_values(example.text, sparql.bindings(example, {}))
        slow = median(lambda: list(dataset.query(text)), args.runs)
        fast = median(lambda: list(store.query(text, use_default_graph_as_union=True)), args.runs)
        print(f"{example.name:38s} {slow * 1000:10.1f} {fast * 1000:14.2f} {slow / fast:7.0f}x")


if __name__ == "__main__":
    main()
