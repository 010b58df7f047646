"""The dataset store and its query workers: forked processes that answer one query at a time
each, killed at the time limit, so that no query outlives its bound."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import weakref

from pyoxigraph import (
    DefaultGraph,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    serialize,
)

from kg.errors import QueryError, QueryTimeout
from kg.results import Results, from_serialized

DEFAULT_TIMEOUT = 5.0


def dataset_store(quads: list, named_graphs: bool = True):
    """A store whose default graph is the merge of all graphs: each triple once. (Oxigraph's
    union default graph keeps a triple once per graph, so an organization named in a thousand
    articles would match a thousand times and joins would multiply.) The named graphs are kept
    too when a query needs GRAPH."""
    store = Store()
    if named_graphs:
        store.extend(q for q in quads if not isinstance(q.graph_name, DefaultGraph))
    store.extend(Quad(q.subject, q.predicate, q.object) for q in quads)
    return store


class QueryEngine:
    """Worker processes forked from this one, sharing its store, that answer queries one at a
    time each and are killed at the time limit. The caller checks the text (check_safe)."""

    # pyoxigraph cannot cancel a query, and a cross join can run for hours: only killing the
    # process that runs it stops it. A worker forked per query would copy the page tables of
    # the whole store each time (some 40 ms for a million triples), so workers are kept.

    def __init__(self, store, workers: int | None = None):
        self.store = store
        self.workers = workers or min(2, os.cpu_count() or 1)
        self._workers: set[_Worker] = set()
        self._idle: list[_Worker] = []
        self._changed = threading.Condition()
        self._closed = False
        # Safety net for an engine that is dropped or still open at exit: its workers go too.
        weakref.finalize(self, _stop_all, self._workers, os.getpid())

    def __enter__(self) -> QueryEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def worker_pids(self) -> tuple[int, ...]:
        """The process ids of the live workers, idle or busy."""
        with self._changed:
            return tuple(sorted(w.process.pid for w in self._workers))

    def run(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> Results:
        """The query's results, from a worker stopped if it runs past timeout seconds."""
        worker = self._take()
        answered = False
        try:
            worker.connection.send(text)
            if not worker.connection.poll(timeout):
                raise QueryTimeout(f"the query ran past the time limit of {timeout:g} s and was "
                                   "stopped; no results are shown (raise it with --timeout)")
            status, payload = worker.connection.recv()
            answered = True
        except (EOFError, OSError):
            raise QueryError("the query process ended without an answer") from None
        finally:
            # A worker without an answer may still be running the query: it is never reused.
            self._give_back(worker, reuse=answered)
        if status == "syntax":
            raise QueryError(f"not a valid SPARQL query: {payload}")
        if status == "error":
            raise QueryError(f"the query failed: {payload}")
        return from_serialized(*payload)

    def close(self) -> None:
        """Stop the workers; a query still running ends with QueryError."""
        with self._changed:
            self._closed = True
            for worker in self._workers:
                worker.process.kill()
            # A busy worker's connection is closed by the thread that uses it, not under it.
            for worker in self._idle:
                self._workers.discard(worker)
                worker.stop()
            self._idle.clear()
            self._changed.notify_all()

    def _take(self) -> _Worker:
        with self._changed:
            while True:
                if self._closed:
                    raise QueryError("the query engine is closed")
                while self._idle:
                    worker = self._idle.pop()
                    if worker.process.is_alive():
                        return worker
                    self._workers.discard(worker)
                    worker.stop()
                if len(self._workers) < self.workers:
                    # Forked under the lock so that the child knows every other worker's pipe.
                    worker = _Worker(self.store, [w.connection for w in self._workers])
                    self._workers.add(worker)
                    return worker
                self._changed.wait()

    def _give_back(self, worker: _Worker, reuse: bool) -> None:
        with self._changed:
            if reuse and not self._closed:
                self._idle.append(worker)
            else:
                self._workers.discard(worker)
                worker.stop()
            self._changed.notify()


class _Worker:
    """A forked process that answers the queries sent on its pipe until the pipe closes."""

    def __init__(self, store, others: list):
        ctx = multiprocessing.get_context("fork")
        self.connection, child_end = ctx.Pipe()
        self.process = ctx.Process(target=_answer, args=(store, child_end,
                                                         [self.connection, *others]), daemon=True)
        self.process.start()
        child_end.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


def _answer(store, connection, inherited: list) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the parent decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Without the parent's ends of the pipes, recv sees EOF once the parent is gone.
    for other in inherited:
        other.close()
    while True:
        try:
            text = connection.recv()
        except (EOFError, OSError):
            return
        try:
            payload = ("ok", _serialized(store.query(text)))
        except SyntaxError as exc:
            payload = ("syntax", str(exc))
        except Exception as exc:  # reported to the parent, which raises QueryError
            payload = ("error", f"{type(exc).__name__}: {exc}")
        try:
            connection.send(payload)
        except OSError:
            return


def _stop_all(workers: set, owner: int) -> None:
    if os.getpid() != owner:  # a forked copy of the owner exiting: the workers are not its own
        return
    for worker in list(workers):
        worker.stop()


def _serialized(result) -> tuple[str, bytes]:
    # pyoxigraph terms do not pickle. The worker sends the results as pyoxigraph writes them
    # (SPARQL JSON results, N-Triples), which is done in Rust and parses back exactly.
    if isinstance(result, (QueryBoolean, QuerySolutions)):
        return "results", result.serialize(format=QueryResultsFormat.JSON)
    return "graph", serialize(result, format=RdfFormat.N_TRIPLES)
