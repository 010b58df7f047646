"""Serve the built graph as linked data: content negotiation on every IRI, and /sparql.

The site is the one `kg publish` writes (kg.site), made in memory from the built dataset; a
resource IRI answers 303 See Other to the representation the Accept header prefers, q-values
and all. The SPARQL endpoint is read-only and runs each query, its safety check first, in a worker
killed at the request's deadline (kg.engine); what a request may cost is bounded before the
application reads it (kg.http_limits).
"""

from __future__ import annotations

import os
import re
import resource
import time
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import anyio
import uvicorn
from pyoxigraph import NamedNode, Quad
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg import __version__, catalog
from kg.engine import EngineBusy, QueryEngine, QueryLimit, dataset_store
from kg.errors import KgError, QueryTimeout
from kg.formats import BY_NAME, FORMATS, RESULTS_FORMATS
from kg.http_limits import (
    HEADER_TIMEOUT,
    MAX_HEAD,
    Bounded,
    TooLarge,
    protocol,
    read_body,
)
from kg.iris import prefixes
from kg.pages import REPRESENTATIONS, Paths, short_names, templates
from kg.resources import ontology_triples
from kg.results import GRAPH_FORMATS, render
from kg.site import build_site, dataset_base, read_built
from kg.sparql import check_safe

# Dot segments, encoded or not, doubled slashes and backslashes never name a resource.
UNSAFE_PATH = re.compile(r"(^|/)(\.|%2e){1,2}(/|$)|//|\\\\", re.I)
DEFAULT_QUERY = "organizations-in-several-agreements"  # shown in the empty form


def content_type(media: str) -> str:
    """The Content-Type of a media type: text is UTF-8."""
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


# What a resource can be served as, in the server's order of preference on ties.
OFFERED = [("text/html", ".html")] + [(f.media_type, f.extension) for f in REPRESENTATIONS]
# Results formats: SELECT and ASK in the SPARQL results formats, CONSTRUCT and DESCRIBE in RDF;
# each also as the HTML form, and SPARQL JSON results as plain JSON too.
RESULT_TYPES = {"select": [(f.media_type.split(";")[0], f.name) for f in RESULTS_FORMATS]
                + [("text/html", "html"), ("application/json", "json")],
                "graph": [(BY_NAME[name].media_type, name) for name in GRAPH_FORMATS]
                + [("text/html", "html")]}
RESULT_MEDIA = {
    "select": {f.name: content_type(f.media_type.split(";")[0]) for f in RESULTS_FORMATS},
    "graph": {name: content_type(BY_NAME[name].media_type) for name in GRAPH_FORMATS}}
# The Content-Type of every file of the site, by suffix: the RDF formats from their table.
MEDIA_TYPES = {f.extension: content_type(f.media_type) for f in FORMATS} | {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".xml": "application/xml", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8",
    ".conf": "text/plain; charset=utf-8", ".htaccess": "text/plain; charset=utf-8"}
FORM_OR_JSON = "application/sparql-results+json"  # a query without Accept gets JSON
TEXT = {"Content-Type": "text/plain; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _format(accept: str | None, kind: str) -> str | None:
    """The results format the Accept header prefers for results of a kind, or None."""
    chosen = negotiate(accept, [m for m, _ in RESULT_TYPES[kind]])
    return None if chosen is None else dict(RESULT_TYPES[kind])[chosen]


def serve(directory: str | os.PathLike = "out", host: str = "127.0.0.1", port: int = 8080,
          base_iri: str | None = None, timeout: float = 10.0, max_rows: int = 10_000,
          max_body: int = 1_000_000, queue: int = 16, max_connections: int = 512,
          worker_memory: int = 256) -> None:
    """Serve the dataset built into `directory` until interrupted: every resource of the site
    with content negotiation, and a read-only SPARQL endpoint at /sparql.

    Every request is answered within `timeout` seconds, waiting for a query worker included;
    results stop at `max_rows` rows (or triples) in the worker, which may allocate
    `worker_memory` MB; at most `queue` queries wait for a worker (503 with Retry-After past
    that); bodies past `max_body` bytes get 413, long URLs 414; at most `max_connections`
    connections are open, and one that does not send its request's head within 5 s is closed.
    The base IRI is read from the graph names unless given; only loopback is listened on
    unless `host` says otherwise."""
    app = App(Path(directory), base_iri, timeout, max_rows, endpoint_url="sparql",
              max_body=max_body, queue=queue, worker_memory=worker_memory)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max_connections + 256  # the connections, the store's files and the workers' pipes
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    # The protocol keeps at most max_connections open (making room from idle ones); uvicorn's
    # own limit, which answers 503 from the cap on, is the backstop one past it.
    config = uvicorn.Config(app.asgi(), host=host, port=port, log_level="warning",
                            http=protocol(max_connections, timeout),
                            limit_concurrency=max_connections + 1,
                            timeout_keep_alive=HEADER_TIMEOUT, timeout_graceful_shutdown=1,
                            h11_max_incomplete_event_size=MAX_HEAD, lifespan="on")
    uvicorn.Server(config).run()


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values; a malformed part is skipped, no header is */*."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not re.fullmatch(r"[\w.+*-]+/[\w.+*-]+", media):
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered type the client prefers (most specific range decides its q), or None."""
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for media in offered:
        kind = media.split("/")[0] + "/*"
        q, specificity = 0.0, -1
        for pattern, value in ranges:
            rank = (2 if pattern == media else 1 if pattern == kind else
                    0 if pattern == "*/*" else -1)
            if rank > specificity:
                q, specificity = value, rank
        if specificity >= 0 and q > best_q:
            best, best_q = media, q
    return best


class App:
    """The site in memory and a SPARQL store, behind a Starlette application."""

    def __init__(self, data_dir: Path, base_iri: str | None = None, timeout: float = 10.0,
                 max_rows: int = 10_000, endpoint_url: str | None = None,
                 max_body: int = 1_000_000, queue: int = 16, worker_memory: int | None = 256):
        quads = read_built(data_dir)
        self.base = base_iri or dataset_base(quads, Path(data_dir) / "graph.trig")
        self.prefix = urlsplit(self.base).path or "/"
        self.timeout, self.max_rows, self.max_body = timeout, max_rows, max_body
        self.table = prefixes(self.base)
        self.site = build_site(quads, self.table, self.base,
                               self.base + endpoint_url if endpoint_url else None)
        ontology_graph = NamedNode(self.base + "graph/ontology")
        self.store = dataset_store(quads + [Quad(t.subject, t.predicate, t.object, ontology_graph)
                                            for t in ontology_triples()])
        self.engine = QueryEngine(self.store, queue=queue, memory=worker_memory)
        # Queries admitted at once: those the workers run and those waiting; one thread each.
        self.admitted, self.admissible = 0, self.engine.workers + queue
        self.threads = anyio.CapacityLimiter(self.admissible)

    # ------------------------------------------------------------------ resources
    def resolve(self, path: str, accept: str | None) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a path below the site's root."""
        if path in ("", "index.html"):
            return self._file("index.html")
        if path in self.site:
            return self._file(path)
        if f"{path}.html" in self.site:
            chosen = negotiate(accept, [m for m, _ in OFFERED])
            if chosen is None:
                return 406, {"Content-Type": "text/plain; charset=utf-8", "Vary": "Accept"}, (
                    "406 Not Acceptable: this resource is available as "
                    + ", ".join(m for m, _ in OFFERED) + "\n").encode("utf-8")
            suffix = dict(OFFERED)[chosen]
            name = path.rsplit("/", 1)[-1]
            return 303, {"Location": f"{name}{suffix}", "Vary": "Accept",
                         "Content-Type": "text/plain; charset=utf-8"}, (
                f"303 See Other: {name}{suffix}\n").encode()
        return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 Not Found\n"

    def _file(self, path: str) -> tuple[int, dict[str, str], bytes]:
        suffix = "." + path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
        media = MEDIA_TYPES.get(suffix, "application/octet-stream")
        return 200, {"Content-Type": media}, self.site[path]

    # ------------------------------------------------------------------ SPARQL
    def sparql(self, query: str | None, accept: str | None, update: bool = False,
               deadline: float | None = None):
        if update:
            return 403, TEXT, (b"403 Forbidden: this endpoint is read-only; "
                               b"SPARQL Update is refused\n")
        wants_html = negotiate(accept, ["text/html", FORM_OR_JSON]) == "text/html"
        if not query:
            if wants_html:
                return 200, HTML, self._form("", None)
            return 400, TEXT, b"400 Bad Request: give a SPARQL query in the 'query' parameter\n"
        # Every format but the form is written by the worker: this process only forwards it.
        formats = {kind: fmt for kind in RESULT_TYPES
                   if (fmt := _format(accept, kind)) not in (None, "html")}
        try:
            # The check runs in the worker, first: however long it takes, the deadline holds.
            results = self.engine.run(query, self.timeout, self.max_rows, check=check_safe,
                                      deadline=deadline or time.monotonic() + self.timeout,
                                      formats=formats, prefixes=self.table)
        except (QueryTimeout, QueryLimit) as exc:
            return 503, self._retry(exc), f"503 Service Unavailable: {exc.message}\n".encode()
        except KgError as exc:
            if wants_html:
                return 400, HTML, self._form(query, None, exc.message)
            return 400, TEXT, f"400 Bad Request: {exc.message}\n".encode()
        truncated = results.truncated
        kind = "graph" if results.kind == "graph" else "select"
        fmt = _format(accept, kind)
        if fmt is None:
            return 406, TEXT, b"406 Not Acceptable: no results format matches the Accept header\n"
        headers = {"Vary": "Accept"}
        if truncated:
            unit = "triples" if kind == "graph" else "rows"
            headers["X-KG-Truncated"] = f"results cut at {self.max_rows} {unit}"
        if fmt == "html":
            return 200, {**headers, **HTML}, self._form(query, results, truncated=truncated)
        headers["Content-Type"] = RESULT_MEDIA[kind][fmt]
        if results.serialized is not None:
            return 200, headers, results.serialized
        return 200, headers, render(results, fmt, self.table)

    def _retry(self, exc: KgError) -> dict[str, str]:
        if isinstance(exc, (EngineBusy, QueryTimeout)):
            return {**TEXT, "Retry-After": str(max(1, round(self.timeout)))}
        return TEXT

    def _form(self, query: str, results, error: str | None = None,
              truncated: bool = False) -> bytes:
        short, paths = short_names(self.table), Paths(self.base)
        variables, rows, boolean = [], [], None
        if results is not None and results.kind == "select":
            variables = results.variables
            for row in results.rows:
                cells = []
                for term in row:
                    value = getattr(term, "value", "") if term is not None else ""
                    href = paths.href("sparql", value) if value.startswith(self.base) else None
                    cells.append({"text": short(value) if href else value, "href": href})
                rows.append(cells)
        elif results is not None and results.kind == "ask":
            boolean = results.boolean
        elif results is not None:
            variables = ["subject", "predicate", "object"]
            rows = [[{"text": str(x), "href": None} for x in t] for t in results.triples]
        default = query or catalog.find(DEFAULT_QUERY).text
        return templates().get_template("sparql.html").render(
            root="./", endpoint=True, title="SPARQL endpoint", query=default, error=error,
            variables=variables, rows=rows, boolean=boolean, truncated=truncated,
            max_rows=self.max_rows, timeout=self.timeout, examples=catalog.examples(),
            version=__version__).encode("utf-8")

    # ------------------------------------------------------------------ ASGI
    def asgi(self) -> Starlette:
        def respond(result, head: bool = False) -> Response:
            status, headers, body = result
            return Response(b"" if head else body, status_code=status, headers=headers)

        async def sparql(request: Request) -> Response:
            accept = request.headers.get("accept")
            if request.method == "POST":
                media = request.headers.get("content-type", "").split(";")[0].strip()
                try:
                    body = await read_body(request, self.max_body)
                except TooLarge:
                    return respond((413, {**TEXT, "Connection": "close"}, (
                        f"413 Content Too Large: a request body may hold at most "
                        f"{self.max_body} bytes\n").encode()))
                if media == "application/sparql-query":
                    query, update = body.decode("utf-8", "replace"), False
                elif media == "application/sparql-update":
                    query, update = None, True
                else:
                    # The URL-encoded form, parsed here: Starlette's form parser needs an
                    # extra package for what the standard library does.
                    form = parse_qs(body.decode("utf-8", "replace"))
                    query, update = (form.get("query") or [None])[0], "update" in form
            else:
                query, update = request.query_params.get("query"), "update" in request.query_params
            if self.admitted >= self.admissible:  # checked and counted on the event loop
                return respond((503, self._retry(EngineBusy("")), (
                    f"503 Service Unavailable: {self.admissible} queries are running or "
                    "waiting; try again\n").encode()))
            deadline = request.scope.get("kg.deadline") or time.monotonic() + self.timeout
            self.admitted += 1
            try:
                return respond(await anyio.to_thread.run_sync(
                    self.sparql, query, accept, update, deadline, limiter=self.threads))
            finally:
                self.admitted -= 1

        async def resource(request: Request) -> Response:
            raw = request.scope.get("raw_path", b"").decode("latin-1")
            path = request.url.path
            if UNSAFE_PATH.search(raw) or not path.startswith(self.prefix):
                return respond((404, TEXT, b"404 Not Found\n"))
            relative = path[len(self.prefix):]
            if relative == "sparql":
                return await sparql(request)
            if request.method == "POST":
                return respond((405, {"Allow": "GET, HEAD", **TEXT},
                                b"405 Method Not Allowed: only /sparql takes POST\n"))
            return respond(self.resolve(relative, request.headers.get("accept")),
                           head=request.method == "HEAD")

        @asynccontextmanager
        async def lifespan(app):
            yield
            self.engine.close()

        return Bounded(Starlette(routes=[Route("/{path:path}", resource,
                                               methods=["GET", "HEAD", "POST"])],
                                 lifespan=lifespan), self.timeout)
