"""The query worker's side of kg.engine: a forked process that detaches from its parent's
files, caps its memory, and answers each query with its results bounded in rows and size,
either as terms for the parent to use or already written in the format a client asked for (kg
serve), so that the parent forwards the bytes without parsing them."""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import stat
import sys

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Triple

from kg.errors import KgError
from kg.results import Results, render

# Results travel in batches, so that the parent can stop reading at its deadline.
BATCH_ROWS, BATCH_BYTES = 1000, 1 << 20
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1


def answer(store, inbox, outbox, memory: int | None, parent: int) -> None:
    _detach({inbox.fileno(), outbox.fileno()})
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(0)
    if callable(store):  # a store on disk (kg.index): opened here, with files of our own
        store = _opened(store)
    # Ctrl-C in a terminal reaches the whole process group: the parent decides when we stop.
    # SIGTERM kills at once (the parent's handlers, uvicorn's among them, are not ours).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A query may spin a core for its whole time limit: the server that forked us (its pages,
    # its deadlines) must keep the CPU it needs, so workers run at a lower priority.
    os.nice(WORKER_NICENESS)
    if memory is not None:
        limit = _vm_size() + memory * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            request = inbox.recv()
        except (EOFError, OSError):
            return
        try:
            for message in _messages(store, *request):
                outbox.send(message)
        except OSError:
            return
        except MemoryError:
            os._exit(NO_MEMORY)


WORKER_NICENESS = 10  # added to the server's; 19 is the lowest priority
NO_MEMORY = 99  # the worker's exit status when it cannot even report its lack of memory


def _detach(keep: set[int]) -> None:
    """Close every file the fork inherited (listening and client sockets, other workers'
    pipes, the event loop's wake-up socket) but our pipes; standard streams that are sockets
    become /dev/null."""
    with contextlib.suppress(ValueError):  # ValueError: not the main thread, no wake-up fd
        signal.set_wakeup_fd(-1)
    try:
        opened = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: every number up to the limit
        opened = range(resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    for fd in opened:
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)
    for fd in (0, 1, 2):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                null = os.open(os.devnull, os.O_RDWR)
                os.dup2(null, fd)
                os.close(null)
        except OSError:
            pass


def _opened(open_store):
    """The store open_store() opens, or the error it raised, answered to every query."""
    try:
        return open_store()
    except Exception as exc:  # OSError for a missing, corrupt or unreadable store
        return exc


def _vm_size() -> int:
    with open("/proc/self/status", "rb") as handle:
        for line in handle:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _messages(store, text: str, max_rows: int | None, max_bytes: int, check,
              formats: dict[str, str] | None = None, prefixes: dict[str, str] | None = None):
    """What the worker sends for one query: a final status, or ('ask', bool), or ('head',
    kind, variables, written), then batches ('rows', [...]) of encoded terms or, when
    formats[kind] names a format (written), ('bytes', b'...') of the results written in it,
    and ('end', truncated)."""
    if isinstance(store, Exception):  # the store could not be opened (_opened)
        yield ("unavailable", f"{type(store).__name__}: {store}")
        return
    try:
        if check is not None:
            check(text)
        result = store.query(text)
        if isinstance(result, QueryBoolean):
            yield ("ask", bool(result))
            return
        if isinstance(result, QuerySolutions):
            kind, names = "select", [v.value for v in result.variables]
            rows = (tuple(solution[n] for n in names) for solution in result)
        else:
            kind, names = "graph", []
            rows = ((t.subject, t.predicate, t.object) for t in result)
        fmt = (formats or {}).get(kind)
        yield ("head", kind, names, fmt is not None)
        batch, kept, size, truncated = [], [], 0, False
        for count, row in enumerate(rows):
            if max_rows is not None and count >= max_rows:
                truncated = True  # row max_rows + 1 exists: the results are cut
                break
            if fmt is None:
                encoded = tuple(_encode(t) for t in row)
                size += 16 + sum(_size(t) for t in encoded)
            else:
                size += 16 + sum(_term_size(t) for t in row)
            if size > max_bytes:
                if max_rows is None:
                    yield ("too-large", "")
                    return
                truncated = True
                break
            if fmt is not None:
                kept.append(row)
                continue
            batch.append(encoded)
            if len(batch) >= BATCH_ROWS:
                yield ("rows", batch)
                batch = []
        if fmt is None:
            yield ("rows", batch)
        else:
            yield from _written(kind, names, kept, fmt, prefixes or {})
        yield ("end", truncated)
    except KgError as exc:
        yield ("refused", exc.message)
    except SyntaxError as exc:
        yield ("syntax", str(exc))
    except MemoryError:
        yield ("memory", "")
    except Exception as exc:  # reported to the parent, which raises QueryError
        yield ("error", f"{type(exc).__name__}: {exc}")


def _written(kind: str, names: list[str], rows: list, fmt: str, prefixes: dict[str, str]):
    """('bytes', ...) messages of the rows written as kg.results.render writes them."""
    if kind == "graph":
        results = Results("graph", triples=[Triple(*row) for row in rows])
    else:
        results = Results("select", names, [list(row) for row in rows])
    body = render(results, fmt, prefixes)
    for start in range(0, len(body), BATCH_BYTES):
        yield ("bytes", body[start:start + BATCH_BYTES])


# ---------------------------------------------------------------------- terms on the pipe
# pyoxigraph terms do not pickle: they travel as tuples, (0, iri), (1, blank node id),
# (2, value, datatype, language) or (3, s, p, o) for a quoted triple.
def _encode(term):
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return (0, term.value)
    if isinstance(term, BlankNode):
        return (1, term.value)
    if isinstance(term, Literal):
        return (2, term.value, term.datatype.value, term.language)
    return (3, _encode(term.subject), _encode(term.predicate), _encode(term.object))


def _size(data) -> int:
    if data is None:
        return 1
    if data[0] == 3:
        return sum(_size(part) for part in data[1:])
    return 8 + sum(len(part) for part in data[1:] if part)


def _term_size(term) -> int:
    """_size of the term's encoding, without encoding it."""
    if term is None:
        return 1
    if isinstance(term, Literal):
        return 8 + len(term.value) + len(term.datatype.value) + len(term.language or "")
    if isinstance(term, Triple):
        return sum(_term_size(part) for part in (term.subject, term.predicate, term.object))
    return 8 + len(term.value)
