"""Load the built dataset into a triple store over the W3C protocols, safely and repeatably.

Each named graph is replaced as a whole (Graph Store Protocol PUT, or DROP + INSERT DATA with
SPARQL Update), so loading twice leaves the store as loading once. Graphs are split to temporary
N-Triples files first and sent in batches, so memory stays bounded whatever the dataset's size.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
)

from kg import http
from kg.credentials import AUTH_SCHEMES, Credentials, credentials_from_env
from kg.errors import InputError, StoreError
from kg.iris import Minter
from kg.resources import ontology_files

RETRIED_STATUS = {502, 503, 504}
DEFAULT_BATCH = 50_000
DEFAULT_RETRIES = 4
DEFAULT_TIMEOUT = 60.0
PROTOCOLS = ("gsp", "update")
# The ontology files `kg build` writes beside the dataset.
ONTOLOGY_NAMES = ("kg.ttl", "alignments.ttl")


@dataclass
class Target:
    """Where to send: the Graph Store or Update endpoint, and where to count for --verify."""

    endpoint: str
    protocol: str = "gsp"  # "gsp" or "update"
    query_endpoint: str | None = None
    credentials: Credentials = field(default_factory=Credentials)
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    batch_size: int = DEFAULT_BATCH
    max_response: int = http.STORE_MAX_RESPONSE


@dataclass
class GraphFile:
    """One named graph of the dataset, split out to an N-Triples file."""

    name: str
    path: Path
    triples: int
    blank_nodes: bool = False  # then sent in one request, so that blank nodes keep identity


@dataclass
class LoadResult:
    """What was loaded: triples sent per graph, the time taken, and the store's own counts
    per graph when asked to verify."""

    graphs: dict[str, int]  # graph IRI -> triples sent
    seconds: float
    verified: dict[str, int] | None = None


# Where the query endpoint stands beside a store's Graph Store or Update endpoint.
_QUERY_BESIDE = {"store": "query", "data": "query", "update": "query", "sparql": "sparql",
                 "sparql-graph-crud": "sparql", "sparql-graph-crud-auth": "sparql"}


def guess_query_endpoint(endpoint: str) -> str | None:
    """The query endpoint next to a Graph Store/Update endpoint, for the stores we know."""
    parts = urlsplit(endpoint)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last in _QUERY_BESIDE:
        return urlunsplit(parts._replace(path=f"{head}/{_QUERY_BESIDE[last]}", query=""))
    if parts.path.rstrip("/").endswith("/rdf-graphs/service"):  # GraphDB
        return urlunsplit(parts._replace(path=parts.path.rstrip("/")[: -len("/rdf-graphs/service")],
                                         query=""))
    return None


def split_dataset(trig: Path, ontology: list[Path], ontology_graph: str,
                  workdir: Path) -> list[GraphFile]:
    """Stream the dataset into one N-Triples file per named graph, plus the ontology's graph."""
    if not trig.is_file():
        raise InputError("no built dataset here: run `kg build` first", path=trig)
    handles: dict[str, tuple] = {}
    try:
        try:
            for quad in parse(path=str(trig), format=RdfFormat.TRIG):
                if isinstance(quad.graph_name, DefaultGraph):
                    raise InputError("the dataset has triples in the default graph; kg loads "
                                     "named graphs only", path=trig)
                name = quad.graph_name.value
                if name not in handles:
                    path = workdir / f"graph-{len(handles)}.nt"
                    handles[name] = (open(path, "wb"), path, [0], [False])  # noqa: SIM115
                handle, _, count, blank = handles[name]
                if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
                    blank[0] = True
                # str() of a pyoxigraph term is its N-Triples form.
                handle.write(f"{quad.subject} {quad.predicate} {quad.object} .\n".encode())
                count[0] += 1
        except SyntaxError as exc:
            raise InputError(f"not valid TriG: {exc}", path=trig) from None
        # The ontology is small: its files are merged without the triples both declare.
        quads = {q.triple for source in ontology
                 for q in parse(path=str(source), format=RdfFormat.TURTLE)}
        lines = sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in quads)
        path = workdir / "ontology.nt"
        path.write_text("".join(lines), encoding="utf-8")
        count = len(lines)
        blank = any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode)
                    for t in quads)
        files = [GraphFile(name, p, c[0], b[0]) for name, (_, p, c, b) in handles.items()]
        if ontology_graph in handles:
            raise InputError(f"the dataset already has a graph named {ontology_graph}; choose "
                             "another with --ontology-graph", path=trig)
        return sorted(files, key=lambda f: f.name) + [GraphFile(ontology_graph, path, count, blank)]
    finally:
        for handle, *_ in handles.values():
            handle.close()


def _batches(path: Path, size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    with open(path, "rb") as handle:
        for line in handle:
            batch.append(line)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


class _Client:
    """One HTTP session (kg.http: each request bounded in time and size) with the retry policy
    and readable failures."""

    def __init__(self, target: Target, sleep: Callable[[float], None] = time.sleep):
        self.target = target
        self.sleep = sleep
        self.http = http.Client(target.timeout, target.max_response,
                                auth=target.credentials.httpx_auth(),
                                headers=target.credentials.headers())

    def close(self) -> None:
        self.http.close()

    def send(self, method: str, url: str, *, what: str, params=None, content: bytes | None = None,
             headers: dict[str, str] | None = None) -> http.Answer:
        """Send with retries: connection errors, timeouts and 502/503/504 with backoff, a 500
        once (Virtuoso reports a permission error as 500), never a 4xx, a redirect or a TLS
        failure."""
        attempts, retried_500, delay = 0, False, 0.5
        while True:
            attempts += 1
            try:
                answer = self.http.request(method, url, params=params, content=content,
                                           headers=headers)
            except http.Failure as exc:
                if exc.retry and attempts <= self.target.retries:
                    self.sleep(delay)
                    delay *= 2
                    continue
                after = f", after {attempts} attempts" if attempts > 1 else ""
                raise StoreError(f"{what}: {exc}{after}") from None
            status = answer.status
            if status < 300:
                return answer
            retry = (status in RETRIED_STATUS and attempts <= self.target.retries) or (
                status == 500 and not retried_500)
            if retry:
                retried_500 = retried_500 or status == 500
                self.sleep(delay)
                delay *= 2
                continue
            hint = ""
            if status in (401, 403):
                hint = (" (check the credentials: --auth with KG_STORE_USER and "
                        "KG_STORE_PASSWORD, or KG_STORE_TOKEN)")
            raise StoreError(f"{what}: the store answered {status} {answer.reason}"
                             f"{hint}: {answer.words()}")


def load(directory: str | os.PathLike = "out", endpoint: str | None = None, *,
         protocol: str = "gsp", query_endpoint: str | None = None,
         ontology_graph: str | None = None, base_iri: str | None = None,
         auth: str | None = None, prompt: Callable[[str, bool], str] | None = None,
         verify: bool = False, batch_size: int = DEFAULT_BATCH,
         timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
         progress: Callable[[int], None] | None = None,
         max_response: int = http.STORE_MAX_RESPONSE) -> LoadResult:
    """Load a built dataset into a triple store, as `kg load` does: every named graph of
    directory/graph.trig, and the ontology in a graph of its own, replaces the graph of the
    same name in the store, so loading twice leaves the store as loading once.

    endpoint is the store's Graph Store Protocol endpoint (protocol "gsp": a PUT per graph),
    or its SPARQL Update endpoint (protocol "update": DROP SILENT GRAPH + INSERT DATA).
    verify counts each graph in the store afterwards (at query_endpoint, else guessed beside
    endpoint) and fails if a count differs from what was sent. auth is "basic", "digest" or
    "bearer", with credentials from KG_STORE_USER and KG_STORE_PASSWORD (or KG_STORE_TOKEN),
    else asked of prompt(label, secret). The ontology graph defaults to
    <base IRI>graph/ontology; the ontology is the folder's kg.ttl and alignments.ttl, else the
    one shipped with kg. progress, if given, is called with the number of triples of each
    request sent (statement_count(directory) is their total). Each request has timeout
    seconds from connecting to the answer's last byte, and its answer max_response bytes.

    Everything is checked before the first request; a missing dataset is an InputError:

    >>> import kg
    >>> kg.load("not-built", "http://localhost:7878/store")
    Traceback (most recent call last):
    kg.errors.InputError: not-built/graph.trig: no built dataset here: run `kg build` first

    With a store running (here Oxigraph: `oxigraph serve --location db`):

    >>> result = kg.load("out", "http://localhost:7878/store", verify=True)  # doctest: +SKIP
    >>> sum(result.graphs.values()) == sum(result.verified.values())  # doctest: +SKIP
    True
    """
    if not endpoint:
        raise StoreError("give the store's endpoint (--endpoint URL)")
    if protocol not in PROTOCOLS:
        raise StoreError(f"the protocol is one of {', '.join(PROTOCOLS)}, not {protocol!r}")
    if auth is not None and auth not in AUTH_SCHEMES:
        raise StoreError(f"--auth is one of {', '.join(AUTH_SCHEMES)}, not {auth!r}")
    directory = Path(directory)
    target = Target(endpoint, protocol, query_endpoint, credentials_from_env(auth, prompt),
                    timeout, retries, batch_size, max_response)
    graph = ontology_graph or Minter(base_iri).ontology_graph()
    return load_files(directory / "graph.trig", ontology_of(directory), graph, target,
                      progress=progress, verify=verify)


def ontology_of(directory: str | os.PathLike) -> list[Path]:
    """The ontology files `kg build` wrote into the folder, else the ones shipped with kg."""
    found = sorted(p for p in (Path(directory) / name for name in ONTOLOGY_NAMES) if p.is_file())
    return found or ontology_files()


def statement_count(directory: str | os.PathLike) -> int | None:
    """How many statements the built dataset holds (the lines of its graph.nq), or None when
    the folder has no graph.nq: what load reports to progress, before the ontology's triples.

    >>> statement_count("not-built") is None
    True
    """
    path = Path(directory) / "graph.nq"
    if not path.is_file():
        return None
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def load_files(trig: Path, ontology: Sequence[Path], ontology_graph: str, target: Target,
               progress: Callable[[int], None] | None = None,
               sleep: Callable[[float], None] = time.sleep, verify: bool = False) -> LoadResult:
    """Replace every named graph of the dataset, and the ontology's graph, in the store."""
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="kg-load-"))
    try:
        files = split_dataset(trig, ontology, ontology_graph, tmp)
        client = _Client(target, sleep)
        try:
            for graph in files:
                _send_graph(client, graph, target, progress)
            counts = {f.name: f.triples for f in files}
            verified = count_graphs(client, target, list(counts)) if verify else None
        finally:
            client.close()
    finally:
        _remove(tmp)
    result = LoadResult(counts, time.perf_counter() - started, verified)
    if verified is not None:
        wrong = {g: (counts[g], verified.get(g, 0)) for g in counts
                 if verified.get(g, 0) != counts[g]}
        if wrong:
            lines = "; ".join(f"{g}: sent {s}, store has {h}"
                              for g, (s, h) in sorted(wrong.items()))
            raise StoreError(f"--verify failed: {lines}")
    return result


def _remove(folder: Path) -> None:
    """Remove the split files whatever ended the load; a second Ctrl-C (or SIGTERM) while
    removing them is held until they are gone."""
    interrupted = None
    for _ in range(3):
        try:
            shutil.rmtree(folder, ignore_errors=True)
            break
        except KeyboardInterrupt as exc:
            interrupted = exc
    if interrupted is not None:
        raise interrupted


def _send_graph(client: _Client, graph: GraphFile, target: Target, progress) -> None:
    first = True
    size = max(graph.triples, 1) if graph.blank_nodes else target.batch_size
    batches = _batches(graph.path, size) if graph.triples else iter([[]])
    for batch in batches:
        body = b"".join(batch)
        if target.protocol == "gsp":
            # PUT replaces the graph; the batches after the first are appended with POST.
            client.send("PUT" if first else "POST", target.endpoint, params={"graph": graph.name},
                        content=body, headers={"Content-Type": "application/n-triples"},
                        what=f"loading graph <{graph.name}>")
        else:
            drop = f"DROP SILENT GRAPH <{graph.name}> ;\n" if first else ""
            # Blank nodes are allowed in INSERT templates everywhere, in INSERT DATA not by all.
            head, tail = (("INSERT {", "} WHERE {}") if graph.blank_nodes
                          else ("INSERT DATA {", "}"))
            insert = (f"{head} GRAPH <{graph.name}> {{\n".encode() + body
                      + f"}} {tail}\n".encode()) if batch else b""
            client.send("POST", target.endpoint,
                        content=urlencode({"update": (drop.encode() + insert).decode("utf-8")}),
                        headers={"Content-Type": "application/x-www-form-urlencoded"},
                        what=f"loading graph <{graph.name}>")
        if progress:
            progress(len(batch))
        first = False


def count_graphs(client: _Client, target: Target, graphs: list[str]) -> dict[str, int]:
    """Triples per named graph in the store, counted with one SPARQL query."""
    url = target.query_endpoint or guess_query_endpoint(target.endpoint)
    if not url:
        raise StoreError("--verify needs the store's query endpoint: give --query-endpoint")
    values = " ".join(f"<{g}>" for g in graphs)
    query = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
             "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    answer = client.send("POST", url, content=urlencode({"query": query}),
                         what="counting triples",
                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                  "Accept": "application/sparql-results+json"})
    if answer.media not in ("application/sparql-results+json", "application/json"):
        raise StoreError(f"counting triples: the query endpoint {answer.url} "
                         f"{answer.described()}, not SPARQL JSON results")
    try:
        results = parse_query_results(answer.body, format=QueryResultsFormat.JSON)
        counts = {row["g"].value: int(row["n"].value) for row in results}
    except (SyntaxError, ValueError, KeyError, TypeError, AttributeError) as exc:
        problem = str(exc) if not isinstance(exc, KeyError) else f"no binding for {exc}"
        raise StoreError(f"counting triples: the query endpoint {answer.url} "
                         f"{answer.described()} that cannot be read: {problem}") from None
    return counts
