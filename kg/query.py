"""Run SPARQL queries (the shipped examples or the user's) on a graph file or an endpoint."""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError

QUERIES = Path(__file__).resolve().parent / "queries"
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARAMETER = re.compile(r"#\s*Parameter:\s*(\w+)\s*=\s*(.+?)\s*$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
# What stands in a query where a keyword cannot: comments, strings, IRIs.
_NOT_KEYWORDS = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>'
    r'|[?$]\w+|(?:[A-Za-z][\w.-]*)?:[\w.%-]*')
_REFUSED = re.compile(r"\b(SERVICE|LOAD|FROM|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
                      re.IGNORECASE)
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "json")
DEFAULT_TIMEOUT = 5.0


class QueryError(KgError):
    """A query that cannot be run: unknown, malformed, refused, or failed at the endpoint."""


class QueryTimeout(KgError):
    """A query stopped at its time limit; its results are not shown."""

    exit_code = 3


@dataclass(frozen=True)
class Example:
    """A shipped example query: its name, the question it answers and its parameters."""

    name: str
    question: str
    parameters: dict[str, str]  # name -> default value as written (<iri> or text)
    text: str


def examples() -> list[Example]:
    """The example queries shipped with kg, sorted by name."""
    return [_example(path) for path in sorted(QUERIES.glob("*.rq"))]


def _example(path: Path) -> Example:
    return _from_text(path.stem, path.read_text(encoding="utf-8"))


def resolve(spec: str, stdin: str | None = None) -> Example:
    """An example by name, a query file, or '-' for the text given on standard input."""
    if spec == "-":
        return _from_text("stdin", stdin or "")
    if NAME.fullmatch(spec) and (QUERIES / f"{spec}.rq").is_file():
        return _example(QUERIES / f"{spec}.rq")
    path = Path(spec)
    if path.is_file():
        try:
            return _from_text(path.stem, path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise QueryError("the query file is not UTF-8 text", path=path) from None
    names = [e.name for e in examples()]
    from difflib import get_close_matches

    hint = get_close_matches(spec, names, n=1)
    more = f" (did you mean '{hint[0]}'?)" if hint else ""
    raise QueryError(f"'{spec}' is neither an example query nor a file{more}; "
                     "`kg query --list` shows the examples")


def _from_text(name: str, text: str) -> Example:
    """A query with its question (the first comment line) and declared parameters."""
    comments = [line for line in text.splitlines() if line.startswith("#")]
    question = comments[0].lstrip("# ").strip() if comments else ""
    parameters = {}
    for line in comments:
        match = _PARAMETER.match(line)
        if match:
            parameters[match.group(1)] = match.group(2)
    return Example(name, question, parameters, text)


def term(value: str):
    """A parameter value as an RDF term: <...> or an absolute IRI is an IRI, else a literal."""
    from pyoxigraph import Literal, NamedNode

    stripped = value.strip()
    if stripped.startswith("<") and stripped.endswith(">"):
        iri = stripped[1:-1]
    elif re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`]+", stripped):
        iri = stripped
    else:
        return Literal(value)
    try:
        return NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"'{iri}' is not a valid IRI: {exc}") from None


def bindings(example: Example, given: dict[str, str]) -> dict[str, object]:
    """Parameter terms: the given values over the example's defaults; unknown names refused."""
    unknown = sorted(set(given) - set(example.parameters))
    if unknown and example.parameters:
        raise QueryError(f"unknown parameter {', '.join(unknown)}; this query takes: "
                         f"{', '.join(sorted(example.parameters))}")
    values = {**example.parameters, **given}
    return {name: term(value) for name, value in values.items()}


def check_safe(text: str) -> None:
    """Refuse updates and anything that reads beyond the given data (SERVICE, LOAD, FROM)."""
    code = _NOT_KEYWORDS.sub(" ", text)
    match = _REFUSED.search(code)
    if match:
        word = match.group(1).upper()
        why = {"SERVICE": "it would call another endpoint",
               "LOAD": "it would fetch a URL", "FROM": "it would read other graphs or URLs"}
        reason = why.get(word, "kg query only reads: SPARQL Update is refused")
        raise QueryError(f"{word} is refused: {reason}")


def with_values(text: str, terms: dict[str, object]) -> str:
    """The query with a VALUES block binding the parameters, for endpoints (no initBindings)."""
    if not terms:
        return text
    match = _WHERE.search(_NOT_KEYWORDS.sub(lambda m: " " * len(m.group(0)), text))
    if not match:
        raise QueryError("parameters need a query with a WHERE clause")
    names = sorted(terms)
    block = ("VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(str(terms[n]) for n in names) + ") }")
    return f"{text[:match.end()]}\n  {block}\n{text[match.end():]}"


# ------------------------------------------------------------------ results

@dataclass
class Results:
    """Query results independent of where they came from: solutions, a boolean or triples."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)  # pyoxigraph terms or None
    boolean: bool | None = None
    triples: list = field(default_factory=list)


def _collect(result) -> Results:
    from pyoxigraph import QueryBoolean, QuerySolutions

    if isinstance(result, QueryBoolean):
        return Results("ask", boolean=bool(result))
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        return Results("select", names, [[row[n] for n in names] for row in result])
    return Results("graph", triples=list(result))


def run_local(text: str, terms: dict[str, object], data: list[Path],
              timeout: float = DEFAULT_TIMEOUT) -> Results:
    """Run the query on the graph files, in a worker process stopped at the time limit."""
    from kg.validate import read_graph_files

    check_safe(text)
    query = with_values(text, terms)
    named = re.search(r"\bGRAPH\b", _NOT_KEYWORDS.sub(" ", text), re.IGNORECASE) is not None
    store = dataset_store(read_graph_files(data), named_graphs=named)
    with QueryEngine(store, workers=1) as engine:
        return engine.run(query, timeout)


def dataset_store(quads: list, named_graphs: bool = True):
    """A store whose default graph is the merge of all graphs: each triple once. (Oxigraph's
    union default graph keeps a triple once per graph, so an organization named in a thousand
    articles would match a thousand times and joins would multiply.) The named graphs are kept
    too when a query needs GRAPH."""
    from pyoxigraph import DefaultGraph, Quad, Store

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
        return _deserialized(*payload)

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
    import signal

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
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

    if isinstance(result, (QueryBoolean, QuerySolutions)):
        return "results", result.serialize(format=QueryResultsFormat.JSON)
    return "graph", serialize(result, format=RdfFormat.N_TRIPLES)


def _deserialized(kind: str, data: bytes) -> Results:
    from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

    if kind == "results":
        return _collect(parse_query_results(data, format=QueryResultsFormat.JSON))
    return Results("graph", triples=[q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)])


# ------------------------------------------------------------------ endpoints

_RESULT_TYPES = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


def run_endpoint(url: str, text: str, terms: dict[str, object],
                 timeout: float = DEFAULT_TIMEOUT) -> Results:
    """Run the query on a SPARQL 1.1 Protocol endpoint (POST, parameters as a VALUES block)."""
    import httpx
    from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

    query = with_values(text, terms)
    try:
        # The URL-encoded form is the one POST binding every store accepts (Virtuoso does not
        # answer a direct application/sparql-query body).
        response = httpx.post(url, data={"query": query}, timeout=timeout,
                              headers={"Accept": _RESULT_TYPES})
    except httpx.TimeoutException:
        raise QueryTimeout(f"the endpoint {url} did not answer within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise QueryError(f"cannot reach the endpoint {url}: {exc}") from None
    if response.status_code >= 400:
        message = response.text.strip()[:500] or response.reason_phrase
        raise QueryError(f"the endpoint {url} answered {response.status_code}: {message}")
    media = response.headers.get("content-type", "").split(";")[0].strip()
    body = response.content
    if media in ("application/sparql-results+json", "application/json"):
        parsed = parse_query_results(body, format=QueryResultsFormat.JSON)
        return _collect(parsed)
    if media == "application/sparql-results+xml":
        return _collect(parse_query_results(body, format=QueryResultsFormat.XML))
    formats = {"application/n-triples": RdfFormat.N_TRIPLES, "text/turtle": RdfFormat.TURTLE,
               "application/rdf+xml": RdfFormat.RDF_XML}
    if media in formats:
        return Results("graph", triples=[q.triple for q in parse(body, format=formats[media])])
    raise QueryError(f"the endpoint {url} answered with an unexpected media type '{media}'")


# ------------------------------------------------------------------ output

def render(results: Results, fmt: str, prefixes: dict[str, str]) -> bytes:
    """The results in the requested format: SPARQL 1.1 results formats, a table, or RDF."""
    if results.kind == "graph":
        return _render_graph(results, fmt, prefixes)
    if fmt == "table":
        return _table(results, prefixes).encode("utf-8")
    if fmt not in SELECT_FORMATS:
        raise QueryError(f"--format {fmt} is for CONSTRUCT/DESCRIBE results; a SELECT/ASK "
                         f"query writes {', '.join(SELECT_FORMATS)}")
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, parse_query_results

    # Round-trip through JSON so that pyoxigraph's own writers produce the standard formats.
    parsed = parse_query_results(_to_json(results).encode("utf-8"), format=QueryResultsFormat.JSON)
    target = {"csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV,
              "json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML}[fmt]
    assert isinstance(parsed, (QuerySolutions, QueryBoolean))
    out = io.BytesIO()
    parsed.serialize(out, format=target)
    return out.getvalue()


def _to_json(results: Results) -> str:
    import json

    from pyoxigraph import BlankNode, NamedNode

    if results.kind == "ask":
        return json.dumps({"head": {}, "boolean": results.boolean})

    def cell(t):
        if isinstance(t, NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, BlankNode):
            return {"type": "bnode", "value": t.value}
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = t.datatype.value
        return out
    bindings = [{v: cell(t) for v, t in zip(results.variables, row) if t is not None}
                for row in results.rows]
    return json.dumps({"head": {"vars": results.variables}, "results": {"bindings": bindings}})


def _render_graph(results: Results, fmt: str, prefixes: dict[str, str]) -> bytes:
    from kg.formats import BY_NAME

    names = {"turtle": "turtle", "nt": "ntriples", "json": "jsonld"}
    if fmt not in names:
        raise QueryError(f"--format {fmt} is for SELECT/ASK results; CONSTRUCT and DESCRIBE "
                         f"write {', '.join(GRAPH_FORMATS)}")
    return BY_NAME[names[fmt]].dumps(results.triples, prefixes)


def _table(results: Results, prefixes: dict[str, str]) -> str:
    if results.kind == "ask":
        return ("true" if results.boolean else "false") + "\n"
    short = _shortener(prefixes)
    header = results.variables
    body = [[short(t) for t in row] for row in results.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _shortener(prefixes: dict[str, str]):
    from pyoxigraph import NamedNode

    from kg.namespaces import shortener

    prefixed = shortener(prefixes)

    def short(t) -> str:
        if t is None:
            return ""
        if isinstance(t, NamedNode):
            return prefixed(t.value) or f"<{t.value}>"
        return " ".join(t.value.split())  # one line per row, whatever the text holds
    return short


def file_prefixes(paths: list[Path]) -> dict[str, str]:
    """The @prefix declarations of Turtle/TriG files, for shortening IRIs in tables."""
    found: dict[str, str] = {}
    for path in paths:
        if path.suffix in (".ttl", ".trig"):
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    match = re.match(r"@prefix\s+([\w-]*):\s*<([^>]*)>\s*\.", line)
                    if not match:
                        if line.strip():
                            break
                        continue
                    found[match.group(1)] = match.group(2)
    return found
