"""The dataset store and its query workers: forked processes that answer one query at a time
each, stream their results in batches that stop at a row bound, run under a memory cap, hold
no file but their own pipe, and are killed at the deadline, so that no query outlives its
bound."""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
import weakref

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Store, Triple

from kg.errors import QueryError, QueryTimeout
from kg.results import Results
from kg.worker import NO_MEMORY, WORKER_NICENESS, answer

__all__ = ["DEFAULT_TIMEOUT", "WORKER_NICENESS", "EngineBusy", "QueryEngine", "QueryLimit",
           "StoreUnavailable", "dataset_store"]

DEFAULT_TIMEOUT = 5.0
# Without a row bound (kg query), results past this size end in an error, not in swap.
DEFAULT_MAX_BYTES = 64 << 20


class QueryLimit(QueryError):
    """A query stopped at a bound other than time: the worker's memory or the results' size."""

    exit_code = 3


class StoreUnavailable(QueryError):
    """The store given as a function that opens it (a store on disk, kg.index) did not open
    in the worker; the caller may run the query on another store."""


class EngineBusy(QueryLimit):
    """No worker became free: too many queries are waiting, or the wait would pass the
    deadline. Worth retrying later."""


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
    time each and are killed at the deadline. At most `queue` queries wait for a worker
    (None: no bound); each worker may allocate `memory` MB beyond what it inherits (None: no
    cap). The caller checks the text, or passes its check to run() to have it run in the
    worker, under the deadline. `store` may also be a function that opens one, called in each
    worker (a store on disk, kg.index): if it fails, run() raises StoreUnavailable."""

    # pyoxigraph cannot cancel a query, and a cross join can run for hours: only killing the
    # process that runs it stops it. A worker forked per query would copy the page tables of
    # the whole store each time (some 40 ms for a million triples), so workers are kept.

    def __init__(self, store, workers: int | None = None, queue: int | None = None,
                 memory: int | None = None):
        self.store = store
        self.workers = workers or min(2, os.cpu_count() or 1)
        self.queue, self.memory = queue, memory
        self._workers: set[_Worker] = set()
        self._idle: list[_Worker] = []
        self._waiting = 0
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

    def run(self, text: str, timeout: float = DEFAULT_TIMEOUT, max_rows: int | None = None, *,
            deadline: float | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
            check=None, formats: dict[str, str] | None = None,
            prefixes: dict[str, str] | None = None) -> Results:
        """The query's results, from a worker stopped if the answer is not all in by the
        deadline (time.monotonic(); default: timeout seconds from now), waiting for a worker
        included. With max_rows, rows (and CONSTRUCT triples) stop at that bound in the worker
        and Results.truncated says so; without it, results past max_bytes are an error.
        `check(text)`, a module-level function, runs in the worker first. With formats, a
        format name (kg.results.render's) by kind of results ('select', 'graph'), the worker
        writes such results in it, IRIs shortened with prefixes where the format does, and
        Results.serialized holds the bytes: the parent never parses them."""
        if deadline is None:
            deadline = time.monotonic() + timeout
        worker = self._take(deadline)
        answered = False
        try:
            worker.requests.send((text, max_rows, max_bytes, check, formats, prefixes))
            answer = _receive(worker.answers, deadline, timeout)
            answered = True
        except (EOFError, OSError):
            raise _ended(worker, self.memory) from None
        finally:
            # A worker without an answer may still be running the query: it is never reused.
            self._give_back(worker, reuse=answered)
        if isinstance(answer, Results):
            return answer
        status, payload = answer
        if status == "syntax":
            raise QueryError(f"not a valid SPARQL query: {payload}")
        if status == "refused":
            raise QueryError(payload)
        if status == "unavailable":
            raise StoreUnavailable(f"the store could not be opened: {payload}")
        if status == "memory":
            raise QueryLimit(_out_of_memory(self.memory))
        if status == "too-large":
            raise QueryLimit(f"the results passed {max_bytes / 2**20:g} MB and were not kept; "
                             "narrow the query or add a LIMIT")
        raise QueryError(f"the query failed: {payload}")

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

    def _take(self, deadline: float) -> _Worker:
        with self._changed:
            waiting = False
            try:
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
                        worker = _spawn(self.store, self.memory)
                        self._workers.add(worker)
                        return worker
                    if not waiting:
                        if self.queue is not None and self._waiting >= self.queue:
                            raise EngineBusy(f"all {self.workers} query workers are busy and "
                                             f"{self._waiting} queries are waiting; try again")
                        self._waiting += 1
                        waiting = True
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise EngineBusy("no query worker became free within the time limit; "
                                         "try again")
                    self._changed.wait(remaining)
            finally:
                if waiting:
                    self._waiting -= 1

    def _give_back(self, worker: _Worker, reuse: bool) -> None:
        with self._changed:
            if reuse and not self._closed:
                self._idle.append(worker)
            else:
                self._workers.discard(worker)
                worker.stop()
            self._changed.notify()


class _Worker:
    """A forked process that answers the queries sent on its pipe until the pipe closes. Two
    one-way pipes, not a socket pair: a worker holds no socket at all."""

    def __init__(self, store, memory: int | None):
        ctx = multiprocessing.get_context("fork")
        inbox, self.requests = ctx.Pipe(duplex=False)
        self.answers, outbox = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=answer, args=(store, inbox, outbox, memory,
                                                         os.getpid()), daemon=True)
        self.process.start()
        inbox.close()
        outbox.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.requests.close()
        self.answers.close()


# ---------------------------------------------------------------------- forking
# A worker asks the kernel to kill it when the thread that forked it ends (PR_SET_PDEATHSIG
# follows the thread, not the process), so every worker is forked by one long-lived thread.
_forks: queue.SimpleQueue = queue.SimpleQueue()
_forker: list = [None, None]  # [thread, pid that started it]
_forker_lock = threading.Lock()


def _spawn(store, memory: int | None) -> _Worker:
    with _forker_lock:
        thread, owner = _forker
        if thread is None or owner != os.getpid() or not thread.is_alive():
            thread = threading.Thread(target=_fork_forever, name="kg-forker", daemon=True)
            thread.start()
            _forker[:] = [thread, os.getpid()]
    done: queue.SimpleQueue = queue.SimpleQueue()
    _forks.put((store, memory, done))
    ok, value = done.get()
    if not ok:
        raise value
    return value


def _fork_forever() -> None:
    while True:
        store, memory, done = _forks.get()
        try:
            done.put((True, _Worker(store, memory)))
        except BaseException as exc:  # handed to the thread that asked
            done.put((False, exc))


# ---------------------------------------------------------------------- terms from the pipe
def _decode(data):
    if data is None:
        return None
    kind = data[0]
    if kind == 0:
        return NamedNode(data[1])
    if kind == 1:
        return BlankNode(data[1])
    if kind == 2:
        if data[3]:
            return Literal(data[1], language=data[3])
        return Literal(data[1], datatype=NamedNode(data[2]))
    return Triple(_decode(data[1]), _decode(data[2]), _decode(data[3]))


# ---------------------------------------------------------------------- in the parent
def _receive(connection, deadline: float, timeout: float):
    """Results, or (status, message) for a query that failed, all read by the deadline."""

    def next_message():
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not connection.poll(remaining):
            raise QueryTimeout(f"the query ran past the time limit of {timeout:g} s and was "
                               "stopped; no results are shown (raise it with --timeout)")
        return connection.recv()

    first = next_message()
    if first[0] == "ask":
        return Results("ask", boolean=first[1])
    if first[0] != "head":
        return first
    kind, variables, written = first[1], first[2], first[3]
    rows: list = []
    chunks: list[bytes] = []
    while True:
        message = next_message()
        if message[0] == "rows":
            rows.extend([_decode(t) for t in row] for row in message[1])
        elif message[0] == "bytes":
            chunks.append(message[1])
        elif message[0] == "end":
            break
        else:
            return message
    if written:
        return Results(kind, variables if kind == "select" else [], truncated=message[1],
                       serialized=b"".join(chunks))
    if kind == "graph":
        return Results("graph", triples=[Triple(*row) for row in rows], truncated=message[1])
    return Results("select", variables, rows, truncated=message[1])


def _out_of_memory(memory: int | None) -> str:
    bound = f" of {memory} MB" if memory is not None else ""
    return (f"the query ran out of memory (the limit{bound} per query) and was stopped; "
            "narrow the query or add a LIMIT")


def _ended(worker: _Worker, memory: int | None) -> QueryError:
    """The error for a worker that ended without an answer: out of memory, or killed."""
    worker.process.join(1)
    code = worker.process.exitcode
    if memory is not None and code in (-signal.SIGABRT, -signal.SIGSEGV, NO_MEMORY):
        return QueryLimit(_out_of_memory(memory))
    return QueryError("the query process ended without an answer")


def _stop_all(workers: set, owner: int) -> None:
    if os.getpid() != owner:  # a forked copy of the owner exiting: the workers are not its own
        return
    for worker in list(workers):
        worker.stop()
