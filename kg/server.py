"""Serve the built graph as linked data: content negotiation on every IRI, and /sparql.

The site is the one `kg publish` writes (kg.site), made in memory from the built dataset; a
resource IRI answers 303 See Other to the representation the Accept header prefers, q-values
and all. The SPARQL endpoint is read-only and runs each query, its safety check first, in a worker
killed at the request's deadline (kg.engine), over the dataset the query or the request names
(kg.sparql_dataset); without a query it describes itself (kg.service). What a request may cost
is bounded before the application reads it (kg.http_limits); CORS, caching, gzip and the
security headers are added to every answer as it leaves (kg.protocol).
"""

from __future__ import annotations

import errno
import os
import re
import resource
import socket
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import anyio
import uvicorn
from pyoxigraph import DefaultGraph, NamedNode, Quad
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg import __version__, catalog
from kg.engine import EngineBusy, QueryEngine, QueryLimit, dataset_store
from kg.errors import InputError, KgError, QueryTimeout
from kg.formats import BY_MEDIA_TYPE, BY_NAME, FORMATS, RESULTS_FORMATS, SERVED
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
from kg.protocol import finish, negotiate, preflight
from kg.resources import ontology_triples
from kg.results import GRAPH_FORMATS, render
from kg.service import SD, description
from kg.site import build_site, dataset_base, published, read_built
from kg.sparql_dataset import check_dataset, with_dataset

# Dot segments, encoded or not, doubled slashes and backslashes never name a resource.
UNSAFE_PATH = re.compile(r"(^|/)(\.|%2e){1,2}(/|$)|//|\\\\", re.I)
DEFAULT_QUERY = "organizations-in-several-agreements"  # shown in the empty form


def content_type(media: str) -> str:
    """The Content-Type of a media type: text is UTF-8."""
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


# What a resource can be served as, in the server's order of preference on ties.
OFFERED = [("text/html", ".html")] + [(f.media_type, f.extension) for f in REPRESENTATIONS]
# Results formats: SELECT and ASK in the SPARQL results formats, CONSTRUCT and DESCRIBE in RDF
# (RDF/XML too, the default of SPARQLWrapper and rdflib's SPARQLStore); each also as the HTML
# form, and SPARQL JSON results as plain JSON too.
PARENT_WRITTEN = ("rdfxml",)  # graph formats kg.results does not write: the server does
RESULT_TYPES = {"select": [(f.media_type.split(";")[0], f.name) for f in RESULTS_FORMATS]
                + [("text/html", "html"), ("application/json", "json")],
                "graph": [(BY_NAME[name].media_type, name)
                          for name in GRAPH_FORMATS + PARENT_WRITTEN] + [("text/html", "html")]}
RESULT_MEDIA = {
    "select": {f.name: content_type(f.media_type.split(";")[0]) for f in RESULTS_FORMATS},
    "graph": {name: content_type(BY_NAME[name].media_type)
              for name in GRAPH_FORMATS + PARENT_WRITTEN}}
# The Content-Type of every file of the site, by suffix: the RDF formats from their table.
MEDIA_TYPES = {f.extension: content_type(f.media_type) for f in FORMATS} | {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json",
    ".xml": "application/xml", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8",
    ".conf": "text/plain; charset=utf-8", ".htaccess": "text/plain; charset=utf-8"}
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
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
          worker_memory: int = 256, announce: Callable[[str], object] | None = None, *,
          license: str | None = None, article_text: str = "full") -> None:
    """Serve the dataset built into `directory` until interrupted: every resource of the site
    with content negotiation, and a read-only SPARQL endpoint at /sparql; both hold what
    `kg publish` would (each article's rights statement, its text unless `article_text` is
    'omit', the dataset's `license`).

    Every request is answered within `timeout` seconds, waiting for a query worker included;
    results stop at `max_rows` rows (or triples) in the worker, which may allocate
    `worker_memory` MB; at most `queue` queries wait for a worker (503 with Retry-After past
    that); bodies past `max_body` bytes get 413, long URLs 414; at most `max_connections`
    connections are open, and one that does not send its request's head within 5 s is closed.
    The base IRI is read from the graph names unless given; only loopback is listened on
    unless `host` says otherwise. `announce(url)` is called once the port is taken and the
    dataset read: a busy port or a wrong base IRI is a KgError before it."""
    listening = listen(host, port)  # a busy port is said before the dataset is read
    try:
        app = App(Path(directory), base_iri, timeout, max_rows, endpoint_url="sparql",
                  max_body=max_body, queue=queue, worker_memory=worker_memory,
                  license=license, article_text=article_text)
    except BaseException:
        listening.close()
        raise
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
    if announce is not None:
        shown = f"[{host}]" if ":" in host else host
        announce(f"http://{shown}:{listening.getsockname()[1]}/")
    uvicorn.Server(config).run(sockets=[listening])


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host and port, or the KgError that says why it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise KgError(f"cannot listen on {host}: {exc.strerror}") from None
    listening = socket.socket(family, kind, proto)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
    except OSError as exc:
        listening.close()
        if exc.errno == errno.EADDRINUSE:
            raise KgError(f"port {port} on {host} is already in use (another kg serve, or "
                          "another server): stop it, or give --port another number") from None
        if exc.errno == errno.EACCES:
            raise KgError(f"no permission to listen on port {port} of {host} (ports below "
                          "1024 need privileges): give --port 1024 or above") from None
        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return listening


def check_base(base_iri: str, quads: list, data_dir: Path) -> None:
    """Refuse a base IRI under which no subject of the dataset lies (every page a 404)."""
    if any(q.subject.value.startswith(base_iri) for q in quads
           if isinstance(q.subject, NamedNode)):
        return
    try:
        hint = f"; its IRIs start with {dataset_base(quads)} (leave --base-iri out to use it)"
    except KgError:
        hint = ""
    raise InputError(f"--base-iri {base_iri} matches no IRI of the dataset{hint}",
                     path=data_dir / "graph.trig")


class App:
    """The site in memory and a SPARQL store, behind a Starlette application."""

    def __init__(self, data_dir: Path, base_iri: str | None = None, timeout: float = 10.0,
                 max_rows: int = 10_000, endpoint_url: str | None = None,
                 max_body: int = 1_000_000, queue: int = 16, worker_memory: int | None = 256,
                 license: str | None = None, article_text: str = "full"):
        quads = read_built(data_dir)
        self.base = base_iri or dataset_base(quads, Path(data_dir) / "graph.trig")
        if base_iri is not None:
            check_base(base_iri, quads, Path(data_dir))
        self.prefix = urlsplit(self.base).path or "/"
        self.timeout, self.max_rows, self.max_body = timeout, max_rows, max_body
        self.table = prefixes(self.base)
        self.site = build_site(quads, self.table, self.base,
                               self.base + endpoint_url if endpoint_url else None,
                               license=license, article_text=article_text)
        quads = published(quads, article_text)  # what the endpoint answers over: the site's
        ontology_graph = NamedNode(self.base + "graph/ontology")
        self.store = dataset_store(quads + [Quad(t.subject, t.predicate, t.object, ontology_graph)
                                            for t in ontology_triples()])
        self.engine = QueryEngine(self.store, queue=queue, memory=worker_memory)
        # Queries admitted at once: those the workers run and those waiting; one thread each.
        self.admitted, self.admissible = 0, self.engine.workers + queue
        self.threads = anyio.CapacityLimiter(self.admissible)
        self.described: tuple | None = None  # the graphs' sizes, counted when first asked

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
               deadline: float | None = None, graphs: tuple = ((), ()),
               endpoint: str | None = None):
        """(status, headers, body) for a request to /sparql; graphs are the request's
        default-graph-uri and named-graph-uri values, which replace the query's FROM;
        `endpoint` is the URL the request came to, which the service description names."""
        if update:
            return 403, TEXT, (b"403 Forbidden: this endpoint is read-only; "
                               b"SPARQL Update is refused\n")
        if not query:
            # The form for people, the description for clients that ask for RDF (Comunica
            # asks for JSON-LD first and HTML last).
            offered = ["text/html", *(f.media_type for f in SERVED)]
            if negotiate(accept, offered) == "text/html":
                return 200, {**HTML, "Vary": "Accept"}, self._form("", None)
            return self._description(accept, endpoint or self.base + "sparql")
        wants_html = negotiate(accept, ["text/html", FORM_OR_JSON]) == "text/html"
        # Every format but the form is written by the worker: this process only forwards it.
        formats = {kind: fmt for kind in RESULT_TYPES
                   if (fmt := _format(accept, kind)) not in (None, "html", *PARENT_WRITTEN)}
        try:
            # The check runs in the worker, first: however long it takes, the deadline holds.
            text = with_dataset(query, list(graphs[0]), list(graphs[1]))
            results = self.engine.run(text, self.timeout, self.max_rows, check=check_dataset,
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
        if fmt in PARENT_WRITTEN:
            return 200, headers, BY_NAME[fmt].dumps(results.triples, self.table)
        return 200, headers, render(results, fmt, self.table)

    def _description(self, accept: str | None, endpoint: str) -> tuple:
        """The service description in the RDF format asked for (Turtle for */*), naming the
        endpoint at the URL it was fetched from, as clients that follow it expect."""
        chosen = negotiate(accept, [f.media_type for f in SERVED])
        if chosen is None:
            return 400, TEXT, b"400 Bad Request: give a SPARQL query in the 'query' parameter\n"
        if self.described is None:
            sizes: dict[str, int] = {}
            for quad in self.store.quads_for_pattern(None, None, None, None):
                if not isinstance(quad.graph_name, DefaultGraph):
                    sizes[quad.graph_name.value] = sizes.get(quad.graph_name.value, 0) + 1
            self.described = (sizes, len(self.store) - sum(sizes.values()))
        fmt = BY_MEDIA_TYPE[chosen]
        return 200, {"Content-Type": content_type(chosen), "Vary": "Accept"}, fmt.dumps(
            description(endpoint, *self.described), {**self.table, "sd": SD})

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
        def respond(request: Request, result, static: bool = False) -> Response:
            status, headers, body = finish(request.method, request.headers, result, static)
            return Response(body, status_code=status, headers=headers)

        async def sparql(request: Request) -> Response:
            accept = request.headers.get("accept")
            if request.method == "OPTIONS":
                return respond(request, preflight("GET, HEAD, POST, OPTIONS", request.headers))
            # The dataset's graphs: in the URL, or in the form with the query.
            params = {name: request.query_params.getlist(name) for name in DATASET_PARAMS}
            if request.method == "POST":
                media = request.headers.get("content-type", "").split(";")[0].strip()
                try:
                    body = await read_body(request, self.max_body)
                except TooLarge:
                    return respond(request, (413, {**TEXT, "Connection": "close"}, (
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
                    params = {name: form.get(name, []) for name in DATASET_PARAMS}
            else:
                query, update = request.query_params.get("query"), "update" in request.query_params
            if self.admitted >= self.admissible:  # checked and counted on the event loop
                return respond(request, (503, self._retry(EngineBusy("")), (
                    f"503 Service Unavailable: {self.admissible} queries are running or "
                    "waiting; try again\n").encode()))
            deadline = request.scope.get("kg.deadline") or time.monotonic() + self.timeout

            def answer():  # in a thread: gzip of large results stays off the event loop
                return finish(request.method, request.headers,
                              self.sparql(query, accept, update, deadline,
                                          tuple(params[name] for name in DATASET_PARAMS),
                                          str(request.url.replace(query=""))))

            self.admitted += 1
            try:
                status, headers, body = await anyio.to_thread.run_sync(answer,
                                                                       limiter=self.threads)
                return Response(body, status_code=status, headers=headers)
            finally:
                self.admitted -= 1

        async def resource(request: Request) -> Response:
            raw = request.scope.get("raw_path", b"").decode("latin-1")
            path = request.url.path
            if UNSAFE_PATH.search(raw) or not path.startswith(self.prefix):
                return respond(request, (404, TEXT, b"404 Not Found\n"))
            relative = path[len(self.prefix):]
            if relative == "sparql":
                return await sparql(request)
            if request.method == "OPTIONS":
                return respond(request, preflight("GET, HEAD, OPTIONS", request.headers))
            if request.method == "POST":
                return respond(request, (405, {"Allow": "GET, HEAD, OPTIONS", **TEXT},
                                         b"405 Method Not Allowed: only /sparql takes POST\n"))
            result = self.resolve(relative, request.headers.get("accept"))
            return respond(request, result, static=True)

        @asynccontextmanager
        async def lifespan(app):
            yield
            self.engine.close()

        return Bounded(Starlette(routes=[Route("/{path:path}", resource,
                                               methods=["GET", "HEAD", "POST", "OPTIONS"])],
                                 lifespan=lifespan), self.timeout)
