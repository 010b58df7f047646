"""Serve the built graph as linked data: content negotiation on every IRI, and /sparql."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import InputError, KgError
from kg.site import MEDIA_TYPES

# What a resource can be served as, in the server's order of preference on ties.
OFFERED = [("text/html", ".html"), ("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"),
           ("application/n-triples", ".nt"), ("application/rdf+xml", ".rdf")]
RESULT_TYPES = {"select": [("application/sparql-results+json", "json"),
                           ("application/sparql-results+xml", "xml"), ("text/csv", "csv"),
                           ("text/tab-separated-values", "tsv"), ("text/html", "html"),
                           ("application/json", "json")],
                "graph": [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                          ("application/ld+json", "json"), ("text/html", "html")]}
RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
                "turtle": "text/turtle; charset=utf-8", "nt": "application/n-triples"}


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
            rank = 2 if pattern == media else 1 if pattern == kind else 0 if pattern == "*/*" else -1
            if rank > specificity:
                q, specificity = value, rank
        if specificity >= 0 and q > best_q:
            best, best_q = media, q
    return best


def infer_base(quads) -> str | None:
    """The base IRI a dataset was built with, from its facts graphs' names."""
    for q in quads:
        match = re.fullmatch(r"(.+/)graph/[^/]+/facts", getattr(q.graph_name, "value", ""))
        if match:
            return match.group(1)
    return None


class App:
    """The site in memory and a SPARQL store, behind a Starlette application."""

    def __init__(self, data_dir: Path, base_iri: str | None = None, timeout: float = 10.0,
                 max_rows: int = 10_000, endpoint_url: str | None = None):
        from pyoxigraph import NamedNode, Quad

        from kg.namespaces import prefixes
        from kg.publish import build_site, ontology_triples
        from kg.query import QueryEngine, dataset_store
        from kg.validate import read_graph_files

        trig = data_dir / "graph.trig"
        if not trig.is_file():
            raise InputError("no built dataset here: run `kg build` first", path=trig)
        quads = read_graph_files([trig])
        self.base = base_iri or infer_base(quads)
        if not self.base:
            raise InputError("cannot tell the base IRI of this dataset: give --base-iri", path=trig)
        self.prefix = urlsplit(self.base).path or "/"
        self.timeout, self.max_rows = timeout, max_rows
        self.table = prefixes(self.base)
        self.site = build_site(quads, self.table, self.base,
                               self.base + endpoint_url if endpoint_url else None)
        ontology_graph = NamedNode(self.base + "graph/ontology")
        self.store = dataset_store(quads + [Quad(t.subject, t.predicate, t.object, ontology_graph)
                                            for t in ontology_triples()])
        self.engine = QueryEngine(self.store)

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
                f"303 See Other: {name}{suffix}\n").encode("utf-8")
        return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 Not Found\n"

    def _file(self, path: str) -> tuple[int, dict[str, str], bytes]:
        suffix = "." + path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
        media = MEDIA_TYPES.get(suffix, "application/octet-stream")
        return 200, {"Content-Type": media}, self.site[path]

    # ------------------------------------------------------------------ SPARQL
    def sparql(self, query: str | None, accept: str | None, update: bool = False):
        from kg import query as q

        if update:
            return 403, {"Content-Type": "text/plain; charset=utf-8"}, \
                b"403 Forbidden: this endpoint is read-only; SPARQL Update is refused\n"
        wants_html = negotiate(accept, ["text/html", "application/sparql-results+json"]) == "text/html"
        if not query:
            if wants_html:
                return 200, {"Content-Type": "text/html; charset=utf-8"}, self._form("", None)
            return 400, {"Content-Type": "text/plain; charset=utf-8"}, \
                b"400 Bad Request: give a SPARQL query in the 'query' parameter\n"
        try:
            q.check_safe(query)
            results = self.engine.run(query, self.timeout)
        except q.QueryTimeout as exc:
            return 503, {"Content-Type": "text/plain; charset=utf-8"}, f"503: {exc.message}\n".encode()
        except KgError as exc:
            if wants_html:
                return 400, {"Content-Type": "text/html; charset=utf-8"}, self._form(query, None, exc.message)
            return 400, {"Content-Type": "text/plain; charset=utf-8"}, f"400 Bad Request: {exc.message}\n".encode()
        truncated = results.kind == "select" and len(results.rows) > self.max_rows
        if truncated:
            results.rows = results.rows[: self.max_rows]
        kind = "graph" if results.kind == "graph" else "select"
        chosen = negotiate(accept, [m for m, _ in RESULT_TYPES[kind]])
        if chosen is None:
            return 406, {"Content-Type": "text/plain; charset=utf-8"}, \
                b"406 Not Acceptable: no results format matches the Accept header\n"
        fmt = dict(RESULT_TYPES[kind])[chosen]
        headers = {"Vary": "Accept"}
        if truncated:
            headers["X-KG-Truncated"] = f"results cut at {self.max_rows} rows"
        if fmt == "html":
            headers["Content-Type"] = "text/html; charset=utf-8"
            return 200, headers, self._form(query, results, truncated=truncated)
        headers["Content-Type"] = "application/ld+json" if (kind == "graph" and fmt == "json") \
            else RESULT_MEDIA[fmt]
        return 200, headers, q.render(results, fmt, self.table)

    def _form(self, query: str, results, error: str | None = None, truncated: bool = False) -> bytes:
        from kg import query as q
        from kg.site import Paths, _shortener, templates

        env = templates()
        short, paths = _shortener(self.table), Paths(self.base)
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
        default = query or q.resolve("organizations-in-several-agreements").text
        return env.get_template("sparql.html").render(
            root="./", endpoint=True, title="SPARQL endpoint", query=default, error=error,
            variables=variables, rows=rows, boolean=boolean, truncated=truncated,
            max_rows=self.max_rows, timeout=self.timeout, examples=q.examples(),
            version=__import__("kg").__version__).encode("utf-8")

    # ------------------------------------------------------------------ ASGI
    def asgi(self):
        from contextlib import asynccontextmanager

        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route

        def respond(result, head: bool = False) -> Response:
            status, headers, body = result
            return Response(b"" if head else body, status_code=status, headers=headers)

        async def sparql(request: Request) -> Response:
            accept = request.headers.get("accept")
            if request.method == "POST":
                media = request.headers.get("content-type", "").split(";")[0].strip()
                body = await request.body()
                if media == "application/sparql-query":
                    query, update = body.decode("utf-8", "replace"), False
                elif media == "application/sparql-update":
                    query, update = None, True
                else:
                    # The URL-encoded form, parsed here: Starlette's form parser needs an
                    # extra package for what the standard library does.
                    from urllib.parse import parse_qs

                    form = parse_qs(body.decode("utf-8", "replace"))
                    query, update = (form.get("query") or [None])[0], "update" in form
            else:
                query, update = request.query_params.get("query"), "update" in request.query_params
            from starlette.concurrency import run_in_threadpool

            return respond(await run_in_threadpool(self.sparql, query, accept, update))

        async def resource(request: Request) -> Response:
            raw = request.scope.get("raw_path", b"").decode("latin-1")
            path = request.url.path
            # Dot segments, encoded or not, and doubled slashes never name a resource.
            if re.search(r"(^|/)(\.|%2e){1,2}(/|$)|//|\\\\", raw, re.I) or not path.startswith(self.prefix):
                return respond((404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 Not Found\n"))
            relative = path[len(self.prefix):]
            if relative == "sparql":
                return await sparql(request)
            if request.method == "POST":
                return respond((405, {"Allow": "GET, HEAD", "Content-Type": "text/plain; charset=utf-8"},
                                b"405 Method Not Allowed: only /sparql takes POST\n"))
            return respond(self.resolve(relative, request.headers.get("accept")),
                           head=request.method == "HEAD")

        @asynccontextmanager
        async def lifespan(app):
            yield
            self.engine.close()

        return Starlette(routes=[Route("/{path:path}", resource, methods=["GET", "HEAD", "POST"])],
                         lifespan=lifespan)


def serve(data_dir: Path, host: str, port: int, base_iri: str | None = None,
          timeout: float = 10.0, max_rows: int = 10_000) -> None:
    """Run the server until interrupted."""
    import uvicorn

    app = App(data_dir, base_iri, timeout, max_rows, endpoint_url="sparql")
    uvicorn.run(app.asgi(), host=host, port=port, log_level="warning")
