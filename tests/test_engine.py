"""The query engine: forked workers that share the store, answer query after query, and are
killed at the time limit."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest

from kg import catalog, sparql
from kg.engine import WORKER_NICENESS, QueryEngine, dataset_store
from kg.errors import KgError, QueryError, QueryTimeout
from kg.formats import read
from kg.results import collect, render

from test_catalog import EXPECTED, table

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store(built):
    return dataset_store(read([built / "graph.trig"]), named_graphs=False)


def answers(engine: QueryEngine, name: str) -> list[tuple]:
    example = catalog.resolve(name)
    results = engine.run(sparql.with_values(example.text, sparql.bindings(example, {})), 30)
    return table(results, len(EXPECTED[name][0]))


def started(pid: int) -> str | None:
    """When the process started (so that a reused pid is told apart), or None once it ended."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return None if fields[0] == "Z" else fields[19]


def test_the_engine_answers_query_after_query_from_one_worker(store):
    with QueryEngine(store, workers=2) as engine:
        assert engine.worker_pids == ()  # nothing is forked before the first query
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        (worker,) = engine.worker_pids
        since = started(worker)
        assert since and worker in {p.pid for p in multiprocessing.active_children()}
        for name in ("joint-venture-members", "claims-by-status", "timeline"):
            assert answers(engine, name) == EXPECTED[name]
        assert engine.worker_pids == (worker,) and started(worker) == since


def test_a_query_past_the_limit_is_stopped_and_the_next_gets_a_fresh_worker(store):
    with QueryEngine(store, workers=1) as engine:
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        (stuck,) = engine.worker_pids
        start = time.monotonic()
        with pytest.raises(QueryTimeout, match="time limit of 0.5 s"):
            engine.run(CROSS_JOIN, 0.5)
        assert time.monotonic() - start < 0.5 + 2
        assert started(stuck) is None and engine.worker_pids == ()
        assert answers(engine, "joint-venture-members") == EXPECTED["joint-venture-members"]
        assert engine.worker_pids not in ((), (stuck,))


def test_a_syntax_error_is_a_query_error_and_the_worker_carries_on(store):
    with QueryEngine(store, workers=1) as engine:
        with pytest.raises(QueryError, match="not a valid SPARQL query"):
            engine.run("SELECT WHERE {", 5)
        workers = engine.worker_pids
        assert answers(engine, "agreement-clauses") == EXPECTED["agreement-clauses"]
        assert engine.worker_pids == workers


def test_a_worker_that_dies_is_replaced(store):
    with QueryEngine(store, workers=1) as engine:
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        (idle,) = engine.worker_pids
        os.kill(idle, signal.SIGKILL)
        while started(idle):
            time.sleep(0.01)
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        (busy,) = engine.worker_pids
        assert busy != idle
        threading.Timer(0.3, os.kill, (busy, signal.SIGKILL)).start()
        with pytest.raises(QueryError, match="ended without an answer"):
            engine.run(CROSS_JOIN, 30)
        assert answers(engine, "evidence") == EXPECTED["evidence"]
        assert engine.worker_pids not in ((), (busy,))


def test_close_stops_every_worker_even_a_busy_one(store):
    engine = QueryEngine(store, workers=2)
    failed = []

    def stuck():
        try:
            engine.run(CROSS_JOIN, 20)
        except KgError as exc:
            failed.append(exc.message)
    thread = threading.Thread(target=stuck)
    thread.start()
    try:
        while not engine.worker_pids:
            time.sleep(0.01)
        # The first worker is busy with the cross join: this query forks the second.
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        workers = engine.worker_pids
        assert len(workers) == 2 and all(started(pid) for pid in workers)
    finally:
        engine.close()
    thread.join(10)
    assert not thread.is_alive() and failed == ["the query process ended without an answer"]
    assert not any(started(pid) for pid in workers)
    assert not set(workers) & {p.pid for p in multiprocessing.active_children()}
    with pytest.raises(QueryError, match="closed"):
        engine.run("ASK {}", 5)


def test_concurrent_queries_share_at_most_the_workers_allowed(store):
    names = sorted(EXPECTED) * 3
    seen: set[int] = set()
    most = []

    def one(name):
        result = answers(engine, name)
        pids = engine.worker_pids
        seen.update(pids)
        most.append(len(pids))
        return result
    with QueryEngine(store, workers=2) as engine, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, names))
    assert results == [EXPECTED[name] for name in names]
    assert max(most) <= 2 and 1 <= len(seen) <= 2


def test_workers_end_when_their_parent_ends_without_cleaning_up():
    script = """if True:
        import os
        import pyoxigraph as ox
        from kg.engine import QueryEngine

        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.NamedNode("http://c")))
        engine = QueryEngine(store)
        assert engine.run("ASK { ?s ?p ?o }", 5).boolean
        print(*engine.worker_pids, flush=True)
        os._exit(0)  # no close, no atexit, no finalizer: only the closed pipe tells the worker
    """
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    (worker,) = map(int, parent.stdout.readline().split())
    parent.wait(30)
    try:
        deadline = time.monotonic() + 5
        while started(worker) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert started(worker) is None
    finally:
        if started(worker):
            os.kill(worker, signal.SIGKILL)
        parent.stdout.close()


@pytest.mark.parametrize("text", [
    "ASK { ?s a <https://kg.example.org/ontology#JointVenture> }",
    "ASK { ?s a <http://example.org/Nothing> }",
    "SELECT * WHERE {}",
    ('SELECT ?s ?label ?none WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label '
     'OPTIONAL { ?s <http://example.org/none> ?none } } ORDER BY ?s LIMIT 5'),
    ('SELECT ?x ?b WHERE { VALUES ?x { "ünï"@fr "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> '
     '"a\\ttab\\nline" } BIND(BNODE() AS ?b) }'),
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 7",
])
def test_results_come_back_from_the_worker_term_for_term(store, text):
    direct = collect(store.query(text))
    with QueryEngine(store, workers=1) as engine:
        sent = engine.run(text, 10)
    assert (sent.kind, sent.variables, sent.boolean) == \
        (direct.kind, direct.variables, direct.boolean)
    if direct.kind == "select":
        assert len(sent.rows) == len(direct.rows)
        for mine, theirs in zip(sent.rows, direct.rows):
            # Blank nodes are fresh in each run: compared by kind, the rest term for term.
            assert [type(t) for t in mine] == [type(t) for t in theirs]
            assert [t for t in mine if not isinstance(t, ox.BlankNode)] == \
                [t for t in theirs if not isinstance(t, ox.BlankNode)]
    assert sent.triples == direct.triples



def test_workers_run_at_a_lower_priority_than_the_server(store):
    # Two workers spinning on a 2-core machine must not starve the server's event loop.
    with QueryEngine(store, workers=1) as engine:
        engine.run("ASK { ?s ?p ?o }")
        (worker,) = engine.worker_pids
        own = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, worker) == min(own + WORKER_NICENESS, 19)


@pytest.mark.parametrize("kind, query, fmt", [
    ("select", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "json"),
    ("select", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "csv"),
    ("select", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "tsv"),
    ("select", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "xml"),
    ("graph", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "nt"),
    ("graph", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "turtle"),
])
def test_workers_write_results_as_the_parsed_path_renders_them(store, kind, query, fmt):
    prefixes = {"schema": "https://schema.org/"}
    with QueryEngine(store, workers=1) as engine:
        parsed = engine.run(query, 30, max_rows=25)
        written = engine.run(query, 30, max_rows=25, formats={kind: fmt}, prefixes=prefixes)
    assert written.kind == parsed.kind == kind and written.truncated and parsed.truncated
    assert not written.rows and not written.triples
    assert written.serialized == render(parsed, fmt, prefixes)


def test_workers_write_only_the_kind_asked_for(store):
    with QueryEngine(store, workers=1) as engine:
        results = engine.run("ASK { ?s ?p ?o }", 30, formats={"select": "json"})
        assert results.kind == "ask" and results.boolean and results.serialized is None
        results = engine.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", 30, max_rows=3,
                             formats={"select": "json"})
        assert results.serialized is None and len(results.triples) == 3
