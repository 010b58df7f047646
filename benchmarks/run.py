"""Time kg at scale, stage by stage, each beside its floor: the same work done by pyoxigraph.

Usage: python benchmarks/run.py --triples N --json FILE [--keep DIR] [--seed S]

Builds a synthetic corpus (benchmarks/corpus.py) of about N triples, the number of articles
chosen from the triples per article measured on the corpus's first articles, then times:

  build             kg.pipeline.load_dataset (read, check and anchor the fact sheets, make the
                    quads)
                    floor: pyoxigraph parsing the N-Quads of the same quads
  literals          kg.literals.check;  floor: the same N-Quads parse
  shacl             kg.validation.validate (literal checks, SHACL core with kg's compiled
                    engine, SHACL-SPARQL); floor: the same N-Quads parse
  shacl-pyshacl     (with --pyshacl) the same with pySHACL as the SHACL core engine, the
                    reference kg's engine is tested against; floor: the same N-Quads parse
  export-order      kg.order.triples: the unique triples of the dataset in canonical order,
                    computed once by kg.export.render for the three triple formats (the
                    quads are already in order: the build emits them so); no floor
  export-<format>   the writer of each format in kg.formats.EXPORTED, given what
                    kg.export.render gives it (the ordered quads, or the ordered triples);
                    floor: pyoxigraph.serialize of the same statements in that format (for
                    JSON-LD pyoxigraph's expanded JSON-LD writer)
  build-all         kg.pipeline.build: the whole `kg build` (fact sheets, graph, SHACL, every
                    export written to disk, the query index), for its time and peak memory;
                    floor: the parse floor plus the five export floors of this run
  build-all-no-index  the same with `--no-index` (kg.pipeline.build(index=False))
  query-<example>   every example of kg.catalog.examples(), with parameters bound to entities of
                    the corpus. seconds: kg.engine.QueryEngine.run of the text with its VALUES
                    block (kg.sparql.with_values, not timed) on a warm engine over kg's store of
                    graph.trig (kg.formats.read and kg.engine.dataset_store, built
                    once): the query in the engine's worker process, the collection and pickling
                    of the results there and their transfer and unpickling here; first_seconds:
                    the engine's first run, which also forks its worker. floor: pyoxigraph
                    Store.query of the same text on a store already loaded the same way (one
                    default graph holding the merged triples), results materialized.
                    end_to_end_seconds: the `kg query NAME --data graph.trig` process, with
                    its start-up, answered from the index the index stage wrote (median of up
                    to 5 runs);
                    baseline_end_to_end_seconds: pyoxigraph parsing graph.trig into such a
                    store, then the query.
  index             kg.index.write: the query index kg build writes (graph.oxigraph/, an
                    Oxigraph store on disk) of the exported graph.trig; no floor
  load              kg.store.load_files into a fresh Oxigraph server (Graph Store Protocol);
                    floor: one POST of the N-Quads file to /store of another fresh server

Each measurement runs in its own forked child process (the floor in another), and its peak RSS
is that child's ru_maxrss (RUSAGE_SELF, or RUSAGE_CHILDREN when its own children peaked
higher). A forked child starts with the parent's resident memory: the parent imports kg,
pyoxigraph, rdflib, pySHACL and httpx first (so no timed section pays for imports) and holds no
graph data; rss_at_start_mb gives what each child inherited, rss_before_mb its resident memory
once its input was loaded, just before the timed section. Fast measurements are repeated (up to
5 runs, about 2 s in all) and the median is reported with the number of runs.

A stage that fails records its error in the JSON and the run goes on.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

# Everything the children use is imported before the first fork (see the module docstring).
import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402
import pyshacl  # noqa: E402,F401
import rdflib  # noqa: E402,F401
import yaml as kg_yaml  # noqa: E402

import kg  # noqa: E402
import kg.drafting  # noqa: E402,F401
import kg.factsheet.checks as kg_factsheet_checks  # noqa: E402
import kg.validation as kg_validate  # noqa: E402
import kg.validation.core as kg_validate_core  # noqa: E402
import kg.validation.sparql as kg_validate_sparql  # noqa: E402
from kg import catalog as kg_catalog  # noqa: E402
from kg import engine as kg_engine  # noqa: E402
from kg import export as kg_export  # noqa: E402
from kg import formats as kg_formats  # noqa: E402
from kg import gcpause as kg_gcpause  # noqa: E402
from kg import index as kg_index  # noqa: E402
from kg import literals as kg_literals  # noqa: E402
from kg import order as kg_order  # noqa: E402
from kg import pipeline as kg_build  # noqa: E402
from kg import sparql as kg_query  # noqa: E402
from kg import store as kg_store  # noqa: E402
from kg import yamlines as kg_yamlines  # noqa: E402
from kg.iris import Minter  # noqa: E402
from kg.iris import prefixes as kg_prefixes  # noqa: E402
from kg.resources import ontology_files  # noqa: E402

RSS_METHOD = ("peak_rss_mb: ru_maxrss of a forked child process that ran only this measurement "
              "(max of RUSAGE_SELF and RUSAGE_CHILDREN), including what it inherited from the "
              "parent at fork (rss_at_start_mb: interpreter and imported modules, no graph "
              "data) and its loaded input (rss_before_mb: resident memory just before the timed "
              "section)")
QUERY_TIMING = ("query stages: seconds is the median of warm runs of kg.engine.QueryEngine.run "
                "on kg's store of graph.trig, built once (kg.formats.read and "
                "kg.engine.dataset_store): the query in the engine's worker process and the "
                "transfer of its results, the text's parameters bound beforehand "
                "(kg.sparql.with_values) and no safety checks; first_seconds is the engine's "
                "first run, which also forks the worker; baseline_seconds is pyoxigraph "
                "Store.query of the same text, results materialized, on a store loaded the same "
                "way (a default graph holding the merged triples); end_to_end_seconds is "
                "kg.sparql.run_local as the CLI runs it (parsing graph.trig, building the store "
                "and forking a worker each time), baseline_end_to_end_seconds pyoxigraph parsing "
                "graph.trig into such a store and querying it")
CALIBRATION_ARTICLES = 30
CORRECTIONS = 2  # rounds of resizing the corpus when it misses the requested size by over 5 %
CORE_STAGES = ["build", "literals", "shacl"]


# ------------------------------------------------------------------ measuring

def _rss_now_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _maxrss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # kilobytes on Linux


MEMORY_LIMIT: list[int] = []  # bytes of address space each child may use (RLIMIT_AS)


def in_child(fn, *args, timeout: float = 3600.0) -> dict:
    """Run fn(*args) -> dict in a forked child; add its peak RSS; never raise."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child():
        start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if MEMORY_LIMIT:
            # A query whose solutions multiply (see the README of this benchmark's report)
            # must fail with MemoryError, not take the machine down.
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT[0], MEMORY_LIMIT[0]))
        try:
            result = fn(*args)
        except BaseException as exc:  # reported, never raised: the run goes on
            result = {"error": f"{type(exc).__name__}: {exc}",
                      "traceback": traceback.format_exc(limit=6)}
        result["peak_rss_mb"] = round(_maxrss_mb(), 1)
        result["rss_at_start_mb"] = round(start, 1)
        send.send(result)
        send.close()

    process = ctx.Process(target=child)  # not a daemon: kg.query forks children of its own
    process.start()
    send.close()
    result = None
    try:
        if receive.poll(timeout):
            result = receive.recv()
        else:
            result = {"error": f"no result within {timeout:g} s: stopped"}
    except EOFError:
        pass
    finally:
        process.join(5 if result is not None else 30)
        if process.is_alive():
            process.kill()
            process.join()
    if result is None:
        code = process.exitcode
        how = f"exit code {code}"
        if code is not None and code < 0:
            import signal

            how = f"killed by {signal.Signals(-code).name}"
            if -code == signal.SIGABRT:
                how += " (an allocation failed: the memory limit was reached)"
        result = {"error": f"the child process died without a result ({how})"}
    return result


def timed(fn, repeat: bool = False):
    """(result, median seconds, runs): one run, or up to 5 while they take under 2 s in all."""
    times = []
    while True:
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        if not repeat or len(times) >= 5 or sum(times) >= 2.0:
            return result, statistics.median(times), len(times)


def instrument(module, name: str, totals: dict, label: str | None = None) -> None:
    """Accumulate the time spent in module.name (inside this child process only)."""
    original = getattr(module, name)
    key = label or name
    totals.setdefault(key, 0.0)  # reported in the order instrumented

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[key] = totals.get(key, 0.0) + time.perf_counter() - start
    setattr(module, name, wrapper)


def load_quads(path: Path) -> list:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def table_of_prefixes() -> dict[str, str]:
    """The prefixes kg.export.render gives the writers (the floor is given the same)."""
    return kg_export.data_prefixes(kg_prefixes(Minter().base))


# ------------------------------------------------------------------ stages (run in children)

def calibrate(directory: Path, seed: int) -> dict:
    corpus.make_corpus(directory, CALIBRATION_ARTICLES, seed)
    _, quads, _ = kg_build.load_dataset([directory])
    triples = len({q.triple for q in quads})
    return {"articles": CALIBRATION_ARTICLES, "triples": triples, "quads": len(quads),
            "triples_per_article": triples / CALIBRATION_ARTICLES}


def prepare(corpus_dir: Path, nquads: Path) -> dict:
    """Build the quads once, keep them as N-Quads (the floors' input), choose query parameters."""
    sheets, quads, _ = kg_build.load_dataset([corpus_dir])
    nquads.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    counts = {**kg_build.count_entries(sheets), "triples": len(kg_order.triples(quads)),
              "quads": len(quads)}
    mint = Minter()
    parties: collections.Counter = collections.Counter()
    agreement = venture = fact = None
    best_clauses = -1
    for sheet in sheets:
        clauses_of = collections.Counter(e.values["agreement"] for e in sheet.of_kind("clause"))
        for entry in sheet.of_kind("agreement"):
            parties.update(entry.values["parties"])
            if entry.values["type"] == "JointVenture" and venture is None:
                venture = entry.id
            score = clauses_of[entry.id] + (10 if "ends" in entry.values else 0)
            if score > best_clauses:
                agreement, best_clauses = entry.id, score
        for entry in sheet.of_kind("clause"):
            if fact is None and entry.values["type"] == "RightOfFirstRefusal":
                fact = entry.id
    organization = parties.most_common(1)[0][0] if parties else None
    params = {}
    for name, kind, value in (("agreement", "agreement", agreement),
                              ("venture", "agreement", venture),
                              ("organization", "organization", organization),
                              ("fact", "clause", fact)):
        if value:
            params[name] = f"<{mint.id(kind, value)}>"
    return {"articles": counts["articles"], "triples": counts["triples"],
            "quads": counts["quads"], "counts": counts, "params": params,
            "nquads_bytes": nquads.stat().st_size}


def kg_build_stage(corpus_dir: Path) -> dict:
    parts: dict = {}
    instrument(kg_build, "discover", parts, "discover files")
    instrument(kg_build, "load_sheets", parts, "fact sheets (read, check, anchor)")
    instrument(kg_yamlines, "load", parts, "  of which YAML parsing")
    instrument(kg_factsheet_checks, "anchor", parts, "  of which anchoring quotes")
    instrument(kg_factsheet_checks, "check_written_values", parts,
               "  of which names/values in quotes")
    instrument(kg_build, "build_quads", parts, "quads (kg.graph.build_quads)")
    instrument(kg_order, "join_graphs", parts, "  of which canonical order (kg.order.join_graphs)")
    before = _rss_now_mb()
    (_, quads, _), seconds, runs = timed(lambda: kg_build.load_dataset([corpus_dir]))
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "quads_made": len(quads), "breakdown": _rounded(parts)}


def floor_parse(nquads: Path) -> dict:
    data = nquads.read_bytes()
    before = _rss_now_mb()
    quads, seconds, runs = timed(lambda: list(ox.parse(data, format=ox.RdfFormat.N_QUADS)))
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "quads_parsed": len(quads)}


def kg_literals_stage(nquads: Path) -> dict:
    quads = load_quads(nquads)
    before = _rss_now_mb()
    problems, seconds, runs = timed(lambda: kg_literals.check(quads))
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "problems": len(problems)}


def kg_shacl_stage(nquads: Path, engine: str = "kg") -> dict:
    quads = load_quads(nquads)
    parts: dict = {}
    instrument(kg_validate, "load_shapes", parts, "load shapes (rdflib, cached after)")
    instrument(kg_literals, "check", parts, "literal checks")
    # The parts kg.validation.validate calls in this process (SHACL core may run in workers).
    instrument(kg_validate_core, "start", parts,
               f"SHACL core, {engine} engine: the articles split and sent to "
               f"{os.cpu_count()} workers (kg.validation.core.start)")
    instrument(kg_validate_core.Pending, "results", parts,
               "SHACL core: waiting for the workers after the SHACL-SPARQL rules")
    instrument(kg_validate_sparql, "check", parts,
               "SHACL-SPARQL on pyoxigraph (kg.validation.sparql.check)")
    before = _rss_now_mb()
    report, seconds, runs = timed(lambda: kg_validate.validate(quads, engine=engine))
    parts["other (sorting results)"] = seconds - sum(parts.values())
    out = {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
           "conforms": report.conforms, "results": len(report.results),
           "breakdown": _rounded(parts)}
    if not report.conforms:
        out["first_results"] = [f"{r.focus}: {r.message}" for r in report.results[:5]]
    return out


def _prepared(fmt, quads):
    """What kg.export.render hands the format's writer: the quads in canonical order (as the
    build emits them; parsed back from a file they are put in order again, not timed), or the
    ordered triples."""
    dataset = kg_order.dataset(quads)
    return dataset if fmt.dataset else kg_order.triples(dataset)


def kg_order_stage(nquads: Path) -> dict:
    dataset = kg_order.dataset(load_quads(nquads))
    before = _rss_now_mb()

    def unique_triples():
        dataset.triples = None  # ordered quads keep their triples: each run starts afresh
        return kg_order.triples(dataset)
    with kg_gcpause.paused():
        triples, seconds, runs = timed(unique_triples, repeat=True)
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "statements": len(triples)}


def kg_export_stage(nquads: Path, name: str, out_dir: Path) -> dict:
    fmt = kg_formats.BY_NAME[name]
    quads = load_quads(nquads)
    table = table_of_prefixes()
    statements = _prepared(fmt, quads)
    before = _rss_now_mb()
    body, seconds, runs = timed(lambda: fmt.dumps(statements, table), repeat=True)
    (out_dir / f"graph{fmt.extension}").write_bytes(body)
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "statements": len(statements), "bytes": len(body)}


def kg_build_all_stage(corpus_dir: Path, out_dir: Path, index: bool = True) -> dict:
    before = _rss_now_mb()
    result, seconds, runs = timed(lambda: kg_build.build([corpus_dir], out_dir, index=index))
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "files": len(result.files), "triples_built": result.counts["triples"]}


def kg_check_stage(corpus_dir: Path) -> dict:
    """`kg check` as the command runs it: read and check every fact sheet, then compare."""
    parts: dict = {}
    instrument(kg_build, "load_sheets", parts, "fact sheets (read, check, anchor)")
    found, seconds, runs = timed(lambda: kg_build.check([corpus_dir]))
    kinds = collections.Counter(c.kind for c in found)
    return {"seconds": seconds, "runs": runs, "conflicts": len(found),
            "conflict_kinds": dict(sorted(kinds.items())), "breakdown": _rounded(parts)}


DRAFTED = 5  # articles drafted by the draft stage


def kg_draft_stage(corpus_dir: Path) -> dict:
    """`kg draft` of the first articles of the corpus, with the bundled corpus as gazetteer:
    seconds per article (median), the first with spaCy's start counted apart."""
    articles = sorted(corpus_dir.glob("synthetic-*.txt"))[:DRAFTED + 1]
    times = []
    for article in articles:
        published = kg_yaml.safe_load(article.with_suffix(".yaml").read_text())["article"][
            "published"]
        start = time.perf_counter()
        kg.draft(article, published)
        times.append(time.perf_counter() - start)
    rest = times[1:] or times
    return {"seconds": round(statistics.median(rest), 4), "runs": len(rest),
            "first_seconds": round(times[0], 4), "max_seconds": round(max(rest), 4)}


def floor_export(nquads: Path, name: str, out_dir: Path) -> dict:
    fmt = kg_formats.BY_NAME[name]
    quads = load_quads(nquads)
    # The statements kg writes, in the same order, as a plain list.
    statements = list(_prepared(fmt, quads))
    options = {"prefixes": table_of_prefixes()} if fmt.oxigraph in (
        ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    before = _rss_now_mb()
    body, seconds, runs = timed(lambda: ox.serialize(statements, format=fmt.oxigraph, **options),
                                repeat=True)
    (out_dir / f"graph{fmt.extension}").write_bytes(body)
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "bytes": len(body)}


def _rows(results) -> int:
    return len(results.rows) if results.kind == "select" else (
        len(results.triples) if results.kind == "graph" else 1)


def kg_query_group(trig: Path, queries: list, timeout: float) -> dict:
    """Parse graph.trig and build kg's store once, then time each query in a forked grandchild
    on a kg.engine.QueryEngine of its own: the first run (with the fork) and warm runs."""
    # No example has GRAPH: run_local would build this store, without the named graphs.
    store = kg_engine.dataset_store(kg_formats.read([trig]), named_graphs=False)
    loaded = _rss_now_mb()

    def one(text, terms):
        query = kg_query.with_values(text, terms)
        # Closed before the grandchild reports, so its worker's peak RSS is in RUSAGE_CHILDREN.
        with kg_engine.QueryEngine(store, workers=1) as engine:
            _, first, _ = timed(lambda: engine.run(query, timeout))
            results, seconds, runs = timed(lambda: engine.run(query, timeout), repeat=True)
        return {"seconds": seconds, "runs": runs, "first_seconds": round(first, 4),
                "rss_before_mb": round(loaded, 1), "rows": _rows(results)}
    # kg stops the query at its own time limit; the margin covers the fork and the transfer.
    return {"by_name": {name: in_child(one, text, terms, timeout=timeout * 5 + 60)
                        for name, text, terms in queries}}


def _materialize(result) -> list:
    return [bool(result)] if isinstance(result, ox.QueryBoolean) else list(result)


def _distinct(rows: list) -> int:
    return len({tuple(map(str, row)) if isinstance(row, ox.QuerySolution) else str(row)
                for row in rows})


def _merged_store(trig: Path):
    """pyoxigraph's store of the dataset as kg queries it: one default graph holding the merged
    triples of all named graphs, each triple once."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object)
                 for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
    return store


def floor_query_group(trig: Path, queries: list, timeout: float) -> dict:
    store = _merged_store(trig)
    loaded = _rss_now_mb()

    def one(text):
        rows, seconds, runs = timed(lambda: _materialize(store.query(text)), repeat=True)
        return {"seconds": seconds, "runs": runs, "rss_before_mb": round(loaded, 1),
                "rows": len(rows), "distinct_rows": _distinct(rows)}
    # pyoxigraph cannot stop a query: the child is killed at kg's limit plus a margin.
    return {"by_name": {name: in_child(one, kg_query.with_values(text, terms),
                                       timeout=timeout + 30)
                        for name, text, terms in queries}}


def kg_index_stage(out_dir: Path) -> dict:
    """kg build's query index (kg.index.write) of the exported graph.trig, from graph.nq and
    graph.nt (kg build gives it the quads in memory instead)."""
    shutil.rmtree(out_dir / kg_index.INDEX_DIR, ignore_errors=True)
    before = _rss_now_mb()
    _, seconds, runs = timed(lambda: kg_index.write(out_dir))
    size = sum(p.stat().st_size for p in (out_dir / kg_index.INDEX_DIR).iterdir())
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "index_mb": round(size / 2**20, 1)}


def kg_query_end_to_end(trig: Path, name: str, terms: dict, timeout: float) -> dict:
    """`kg query NAME --data graph.trig` as a process: from the index when the index stage
    wrote it, else parsing graph.trig."""
    graph = "CONSTRUCT" in kg_catalog.find(name).text.upper()
    command = [str(Path(sys.executable).with_name("kg")), "query", name, "--data", str(trig),
               "--format", "nt" if graph else "tsv", "--timeout", str(timeout)]
    for key, value in terms.items():
        shown = f"<{value.value}>" if isinstance(value, ox.NamedNode) else value.value
        command += ["--param", f"{key}={shown}"]
    indexed = kg_index.find([trig]) is not None

    def run():
        done = subprocess.run(command, capture_output=True, timeout=timeout * 4 + 120)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode("utf-8", "replace")[-500:])
        return done.stdout.count(b"\n") - (0 if graph else 1)  # a line a row, and a header
    before = _rss_now_mb()
    rows, seconds, runs = timed(run, repeat=True)
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1), "rows": rows,
            "index": indexed}


def floor_query_end_to_end(trig: Path, text: str) -> dict:
    def run():
        return len(_materialize(_merged_store(trig).query(text)))
    before = _rss_now_mb()
    rows, seconds, runs = timed(run)
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1), "rows": rows}


def _count_store(base: str) -> int:
    response = httpx.post(f"{base}/query", data={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"}, timeout=600)
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def kg_load_stage(trig: Path, base: str) -> dict:
    if not trig.is_file():
        raise FileNotFoundError(f"{trig} was not written (see the export-trig stage)")
    target = kg_store.Target(endpoint=f"{base}/store")
    before = _rss_now_mb()
    result, seconds, runs = timed(lambda: kg_store.load_files(trig, ontology_files(),
                                                        Minter().ontology_graph(), target))
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "graphs": len(result.graphs), "requests_at_least": len(result.graphs),
            "triples_sent": sum(result.graphs.values()), "store_quads": _count_store(base)}


def floor_load(nquads: Path, base: str) -> dict:
    data = nquads.read_bytes()
    before = _rss_now_mb()

    def post():
        response = httpx.post(f"{base}/store", content=data, timeout=None,
                              headers={"Content-Type": "application/n-quads"})
        response.raise_for_status()
    _, seconds, runs = timed(post)
    return {"seconds": seconds, "runs": runs, "rss_before_mb": round(before, 1),
            "store_quads": _count_store(base)}


def _rounded(parts: dict) -> dict:
    return {k: round(v, 4) for k, v in parts.items()}


# ------------------------------------------------------------------ the Oxigraph server

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


class OxigraphServer:
    """`oxigraph serve` on a free loopback port with a fresh store folder; stopped on exit."""

    def __init__(self, location: Path):
        self.location = location
        self.process: subprocess.Popen | None = None
        self.base = ""
        self.peak_rss_mb: float | None = None

    def __enter__(self) -> OxigraphServer:
        binary = _oxigraph_binary()
        if not binary:
            raise FileNotFoundError("the oxigraph server binary is not installed "
                                    "(PyPI package 'oxigraph')")
        port = _free_port()
        self.location.mkdir(parents=True, exist_ok=True)
        self.log = open(self.location.with_suffix(".log"), "wb")
        self.process = subprocess.Popen(
            [binary, "serve", "--bind", f"127.0.0.1:{port}", "--location", str(self.location)],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {self.process.returncode}")
            try:
                httpx.get(self.base + "/", timeout=1)
                return self
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError("oxigraph did not start within 30 s") from None
                time.sleep(0.05)

    def __exit__(self, *exc) -> None:
        if self.process is None:
            return
        try:
            with open(f"/proc/{self.process.pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        self.peak_rss_mb = round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        self.process = None


def load_in_server(fn, path: Path, location: Path, timeout: float) -> dict:
    try:
        with OxigraphServer(location) as server:
            result = in_child(fn, path, server.base, timeout=timeout)
        result["server_peak_rss_mb"] = server.peak_rss_mb
        return result
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        shutil.rmtree(location, ignore_errors=True)


# ------------------------------------------------------------------ the run

def stage_record(name: str, mine: dict, floor: dict, triples: int, quads: int) -> dict:
    record = {"name": name, "seconds": mine.get("seconds"),
              "baseline_seconds": floor.get("seconds"), "ratio": None,
              "triples": triples, "quads": quads,
              "triples_per_second": None, "baseline_triples_per_second": None,
              "peak_rss_mb": mine.get("peak_rss_mb"),
              "baseline_peak_rss_mb": floor.get("peak_rss_mb")}
    if record["seconds"] and record["baseline_seconds"]:
        record["ratio"] = round(record["seconds"] / record["baseline_seconds"], 2)
    if record["seconds"]:
        record["triples_per_second"] = round(triples / record["seconds"])
    if record["baseline_seconds"]:
        record["baseline_triples_per_second"] = round(triples / record["baseline_seconds"])
    for key, value in mine.items():
        if key not in ("seconds", "peak_rss_mb"):
            record[key] = value
    for key, value in floor.items():
        if key not in ("seconds", "peak_rss_mb"):
            record[f"baseline_{key}"] = value
    for key in ("seconds", "baseline_seconds"):
        if record[key] is not None:
            record[key] = round(record[key], 4)
    if "error" in mine and record["seconds"] is None:
        record["seconds"] = None
    return record


def run(args) -> dict:
    started = time.perf_counter()
    if args.keep:
        workdir = Path(args.keep).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    corpus_dir, out_dir = workdir / "corpus", workdir / "out"
    floor_dir = out_dir / "floor"
    try:
        for old in [*corpus_dir.glob("synthetic-*.txt"), *corpus_dir.glob("synthetic-*.yaml")]:
            old.unlink()
        floor_dir.mkdir(parents=True, exist_ok=True)
        def say(*a):
            if not args.quiet:
                print(*a, file=sys.stderr, flush=True)

        calibration = in_child(calibrate, workdir / "calibration", args.seed,
                               timeout=args.stage_timeout)
        shutil.rmtree(workdir / "calibration", ignore_errors=True)
        if "error" in calibration:
            raise RuntimeError(f"calibration failed: {calibration['error']}")
        per_article = calibration["triples_per_article"]
        articles = max(1, round(args.triples / per_article))
        say(f"{per_article:.0f} triples per article on the first {CALIBRATION_ARTICLES}: "
            f"{articles} articles for about {args.triples} triples")
        nquads = workdir / "input.nq"
        sizes = []
        for attempt in range(CORRECTIONS + 1):
            start = time.perf_counter()
            # The corpus of N articles is the start of the corpus of N + 1: resizing keeps them.
            corpus.make_corpus(corpus_dir, articles, args.seed)
            for extra in sorted(corpus_dir.glob("synthetic-*.*")):
                if int(extra.stem.split("-")[1]) >= articles:
                    extra.unlink()
            generate_seconds = time.perf_counter() - start
            prep = in_child(prepare, corpus_dir, nquads, timeout=args.stage_timeout)
            if "error" in prep:
                raise RuntimeError(f"building the corpus failed: {prep['error']}")
            sizes.append({"articles": articles, "triples": prep["triples"]})
            resized = max(1, round(articles * args.triples / prep["triples"]))
            if abs(prep["triples"] - args.triples) <= 0.05 * args.triples or resized == articles \
                    or attempt == CORRECTIONS:
                break
            say(f"{articles} articles made {prep['triples']} triples: resizing to {resized}")
            articles = resized
        triples, quads = prep["triples"], prep["quads"]
        say(f"corpus: {prep['articles']} articles, {triples} triples, {quads} quads")
        stages = []

        def add(name, mine, floor):
            record = stage_record(name, mine, floor, triples, quads)
            stages.append(record)
            say(f"  {name:40s} kg {_fmt(record['seconds'])} s   floor "
                f"{_fmt(record['baseline_seconds'])} s" + (f"   ERROR {mine['error']}"
                                                           if "error" in mine else ""))

        t = args.stage_timeout
        add("build", in_child(kg_build_stage, corpus_dir, timeout=t),
            in_child(floor_parse, nquads, timeout=t))
        add("literals", in_child(kg_literals_stage, nquads, timeout=t),
            in_child(floor_parse, nquads, timeout=t))
        add("shacl", in_child(kg_shacl_stage, nquads, timeout=t),
            in_child(floor_parse, nquads, timeout=t))
        if args.pyshacl:
            add("shacl-pyshacl", in_child(kg_shacl_stage, nquads, "pyshacl", timeout=t),
                in_child(floor_parse, nquads, timeout=t))
        add("export-order", in_child(kg_order_stage, nquads, timeout=t), {})
        for fmt in kg_formats.EXPORTED:
            add(f"export-{fmt.name}",
                in_child(kg_export_stage, nquads, fmt.name, out_dir, timeout=t),
                in_child(floor_export, nquads, fmt.name, floor_dir, timeout=t))

        trig = out_dir / "graph.trig"
        if trig.is_file():
            add("index", in_child(kg_index_stage, out_dir, timeout=t), {})
        queries = []
        for example in kg_catalog.examples():
            given = {k: v for k, v in prep["params"].items() if k in example.parameters}
            queries.append((example.name, example.text, kg_query.bindings(example, given)))
        qt = args.query_timeout
        group_timeout = t + (qt * 5 + 60) * 2 * len(queries)
        if trig.is_file():
            mine_group = in_child(kg_query_group, trig, queries, qt, timeout=group_timeout)
            floor_group = in_child(floor_query_group, trig, queries, qt, timeout=group_timeout)
        else:
            missing = {"error": "graph.trig was not written (see the export-trig stage)"}
            mine_group = floor_group = missing
        for name, text, terms in queries:
            mine = mine_group.get("by_name", {}).get(name) or {
                "error": mine_group.get("error", "no result")}
            floor = floor_group.get("by_name", {}).get(name) or {
                "error": floor_group.get("error", "no result")}
            # A query that hit the time limit on a loaded store would only hit it again.
            if not trig.is_file():
                end = floor_end = {"error": "graph.trig was not written"}
            else:
                if "error" in mine:
                    end = {"error": "not run: the run on a loaded store failed"}
                else:
                    end = in_child(kg_query_end_to_end, trig, name, terms, qt,
                                   timeout=t + qt * 2)
                if "error" in floor:
                    floor_end = {"error": "not run: the run on a loaded store failed"}
                else:
                    floor_end = in_child(floor_query_end_to_end, trig,
                                         kg_query.with_values(text, terms), timeout=t + qt * 2)
            mine = dict(mine)
            mine["parameters"] = {k: str(v) for k, v in terms.items()}
            mine["end_to_end_seconds"] = end.get("seconds")
            mine["end_to_end_peak_rss_mb"] = end.get("peak_rss_mb")
            if "error" in end:
                mine["end_to_end_error"] = end["error"]
            floor = dict(floor)
            floor["end_to_end_seconds"] = floor_end.get("seconds")
            floor["end_to_end_peak_rss_mb"] = floor_end.get("peak_rss_mb")
            if "error" in floor_end:
                floor["end_to_end_error"] = floor_end["error"]
            if mine.get("end_to_end_seconds") and floor.get("end_to_end_seconds"):
                mine["end_to_end_ratio"] = round(mine["end_to_end_seconds"]
                                                 / floor["end_to_end_seconds"], 2)
            if "rows" in mine and "rows" in floor and mine["rows"] != floor["rows"]:
                mine["warning"] = f"kg gave {mine['rows']} rows, pyoxigraph {floor['rows']}"
            if floor.get("distinct_rows") is not None and floor["distinct_rows"] != floor["rows"]:
                earlier = mine["warning"] + "; " if mine.get("warning") else ""
                mine["warning"] = (earlier + f"{floor['rows']} rows of which "
                                   f"{floor['distinct_rows']} distinct")
            add(f"query-{name}", mine, floor)

        add("load", load_in_server(kg_load_stage, trig, workdir / "oxigraph-kg", t),
            load_in_server(floor_load, nquads, workdir / "oxigraph-floor", t))
        # The floor of the whole build: pyoxigraph parsing the N-Quads and writing the five
        # files, as measured above in this run.
        parts = [r["baseline_seconds"] for r in stages if r["name"] == "shacl"
                 or r["name"].startswith("export-") and r["name"] != "export-order"]
        whole = {"seconds": sum(parts)} if parts and None not in parts else {}
        add("build-all", in_child(kg_build_all_stage, corpus_dir, workdir / "build-all",
                                  timeout=t), whole)
        add("build-all-no-index", in_child(kg_build_all_stage, corpus_dir,
                                           workdir / "build-all-no-index", False, timeout=t),
            whole)
        add("check", in_child(kg_check_stage, corpus_dir, timeout=t), {})
        add(f"draft (median of {DRAFTED} articles)", in_child(kg_draft_stage, corpus_dir,
                                                              timeout=t), {})

        return {
            "triples_requested": args.triples,
            "corpus": {"seed": args.seed, "articles": prep["articles"], "triples": triples,
                       "quads": quads, "triples_per_article": round(triples / prep["articles"], 1),
                       "calibration": calibration, "sizes_tried": sizes,
                       "counts": prep["counts"],
                       "generate_seconds": round(generate_seconds, 3),
                       "query_parameters": prep["params"], "nquads_bytes": prep["nquads_bytes"]},
            "rss_method": RSS_METHOD,
            "query_timing": QUERY_TIMING,
            "limits": {"query_timeout_seconds": args.query_timeout,
                       "floor_query_killed_after_seconds": args.query_timeout + 30,
                       "memory_limit_gb_per_child": args.memory_limit_gb},
            "environment": {"python": platform.python_version(), "pyoxigraph": ox.__version__,
                            "pyshacl": pyshacl.__version__, "rdflib": rdflib.__version__,
                            "kg": kg.__version__, "kg_sources_sha256": _sources_digest(),
                            "cpus": os.cpu_count(),
                            "platform": platform.platform()},
            "total_seconds": round(time.perf_counter() - started, 1),
            "kept": str(workdir) if args.keep else None,
            "stages": stages,
        }
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _sources_digest() -> str:
    """One digest of kg's modules, queries and shapes: which code these figures are for."""
    import hashlib

    package = Path(kg.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.rq"),
                        *(package.parent / "shapes").glob("*.ttl")]):
        digest.update(str(path.relative_to(package.parent)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _fmt(value, digits: int = 3) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value < 0.01 and digits:
        return f"{value:.2g}"
    return f"{value:.{digits}f}"


def _rate(value) -> str:
    return "-" if not value else f"{value / 1000:,.0f}k"


def render_table(report: dict) -> str:
    c = report["corpus"]
    lines = [f"kg benchmark: {c['articles']} synthetic articles, {c['triples']:,} triples "
             f"({c['quads']:,} quads; {report['triples_requested']:,} requested), "
             f"{c['triples_per_article']:.0f} triples per article, seed {c['seed']}",
             "floor = the same work done directly by pyoxigraph; ratio = kg / floor; t/s = "
             "triples per second; MB = peak RSS of the child process (see rss_method)",
             "query rows: kg on a pre-loaded store vs pyoxigraph on a pre-loaded store; "
             "'e2e' = kg.sparql.run_local (parses graph.trig) vs pyoxigraph load + query", ""]
    header = (f"{'stage':40s} {'kg s':>8s} {'floor s':>8s} {'ratio':>8s} {'kg t/s':>8s} "
              f"{'floor t/s':>9s} {'kg MB':>6s} {'floor MB':>8s}  notes")
    lines += [header, "-" * len(header)]
    for s in report["stages"]:
        ratio = f"{s['ratio']:.1f}x" if s["ratio"] is not None else "-"
        notes = []
        if "error" in s:
            notes.append(f"ERROR: {s['error']}")
        if "baseline_error" in s:
            notes.append(f"floor ERROR: {s['baseline_error']}")
        if s["name"].startswith("shacl") and "conforms" in s:
            notes.append("conforms" if s["conforms"] else f"{s['results']} violations")
        if s["name"].startswith("query-"):
            rows = s.get("rows", s.get("baseline_rows", "?"))
            if s.get("end_to_end_seconds") is None and s.get("baseline_end_to_end_seconds") is None:
                notes.append(f"{rows} rows; e2e not run")
            else:
                notes.append(f"{rows} rows; e2e {_fmt(s.get('end_to_end_seconds'))} s vs "
                             f"{_fmt(s.get('baseline_end_to_end_seconds'))} s"
                             + (f" ({s['end_to_end_ratio']:.1f}x)" if s.get("end_to_end_ratio")
                                else ""))
            if s.get("first_seconds") is not None:
                notes.append(f"first run (with the fork) {_fmt(s['first_seconds'])} s")
            if "warning" in s:
                notes.append(s["warning"])
            for key in ("end_to_end_error", "baseline_end_to_end_error"):
                if key in s and "not run" not in s[key]:
                    notes.append(f"{key}: {s[key]}")
        if s["name"] == "load" and "graphs" in s:
            notes.append(f"{s['graphs']} graphs; store holds {s.get('store_quads')} vs "
                         f"{s.get('baseline_store_quads')} quads; server peak "
                         f"{s.get('server_peak_rss_mb')} / "
                         f"{s.get('baseline_server_peak_rss_mb')} MB")
        lines.append(f"{s['name']:40s} {_fmt(s['seconds']):>8s} {_fmt(s['baseline_seconds']):>8s} "
                     f"{ratio:>8s} {_rate(s['triples_per_second']):>8s} "
                     f"{_rate(s['baseline_triples_per_second']):>9s} "
                     f"{_fmt(s['peak_rss_mb'], 0):>6s} {_fmt(s['baseline_peak_rss_mb'], 0):>8s}  "
                     + "; ".join(notes))
    for s in report["stages"]:
        if s.get("breakdown"):
            lines.append("")
            lines.append(f"{s['name']} breakdown (s): " + ", ".join(
                (f"({k.strip()} {v:.3f})" if k.startswith("  ") else f"{k} {v:.3f}")
                for k, v in s["breakdown"].items()))
    starts = [s.get("rss_at_start_mb") for s in report["stages"]
              if s.get("rss_at_start_mb") and not s["name"].startswith("query-")]
    if starts:
        lines.append("")
        lines.append(f"each stage's child inherited {min(starts):.0f}-{max(starts):.0f} MB "
                     "resident "
                     "at fork (interpreter and imports, no graph data); a query's child also "
                     "inherits the store its parent loaded once (rss_before_mb in the JSON)")
    lines.append(f"total {report['total_seconds']} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, required=True, help="about how many triples")
    parser.add_argument("--json", type=Path, required=True, help="where to write the results")
    parser.add_argument("--keep", type=Path, help="keep the corpus (DIR/corpus) and every "
                        "export (DIR/out, pyoxigraph's in DIR/out/floor) in DIR")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--pyshacl", action="store_true",
                        help="also time validation with pySHACL as the SHACL core engine")
    parser.add_argument("--stage-timeout", type=float, default=3600.0,
                        help="seconds before a stage is stopped and recorded as failed")
    parser.add_argument("--query-timeout", type=float, default=60.0,
                        help="the time limit given to kg.query (its default is 5 s); a floor "
                        "query's process is killed 30 s after it")
    parser.add_argument("--memory-limit-gb", type=float,
                        default=round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                      / 2**30 / 2, 1),
                        help="address space each child process may use (default: half the RAM)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the table")
    args = parser.parse_args(argv)
    if args.triples < 1:
        parser.error("--triples must be positive")
    MEMORY_LIMIT.append(int(args.memory_limit_gb * 2**30))
    report = run(args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render_table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
