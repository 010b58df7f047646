"""Comunica (the npm package @comunica/query-sparql, pinned in tests/clients) querying `kg serve`'s
/sparql on loopback: its answers equal kg.query's, and a recording proxy shows what it sends."""

from __future__ import annotations

import fcntl
import gzip
import json
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

import kg
from kg import catalog
from kg.sparql import runnable

from servers import kg_serve

CLIENTS = Path(__file__).resolve().parent / "clients"
PACKAGE = "@comunica/query-sparql"
# Comunica 4: 5.x needs Node 20.19 (its SPARQL parser) and from 5.3 Node 22 (undici 8), and
# Debian bookworm's nodejs is 18.
PINNED = json.loads((CLIENTS / "package.json").read_text())["dependencies"][PACKAGE]
INSTALLED = CLIENTS / "node_modules" / PACKAGE
INSTALL = ("install Node.js 18 or later and npm (Debian: apt-get install nodejs npm), then run "
           "`npm ci --prefix tests/clients`")
KGO = "https://kg.example.org/ontology#"
GRAPH = "https://kg.example.org/graph/"
WIZ = GRAPH + "hsj-2025-03-19-google-wiz-acquisition/facts"
SEED = GRAPH + "verge-2025-01-21-microsoft-openai-compute/facts"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SD = "http://www.w3.org/ns/sparql-service-description#"
RESULTS_JSON = "application/sparql-results+json"


def _installed() -> bool:
    try:
        found = json.loads((INSTALLED / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return False
    return found == PINNED


@pytest.fixture(scope="session")
def comunica() -> list[str]:
    """The command that runs Comunica's comunica-sparql; `npm ci` runs once if it is missing.
    A missing node or npm fails the test: these clients are part of what is tested."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not installed, and Comunica runs on it: {INSTALL}")
    if not _installed():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(f"{PACKAGE} {PINNED} is not in tests/clients/node_modules and npm is "
                        f"not installed to put it there: {INSTALL}")
        # A lock, so that parallel test processes run one `npm ci` between them.
        with open(Path(tempfile.gettempdir()) / "kg-tests-clients-npm.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not _installed():
                done = subprocess.run([npm, "ci", "--prefix", str(CLIENTS), "--no-audit",
                                       "--no-fund"], capture_output=True, text=True, timeout=900)
                if done.returncode != 0 or not _installed():
                    pytest.fail(f"`npm ci --prefix tests/clients` failed ({done.returncode}):"
                                f"\n{done.stderr[-3000:]}")
    command = [node, str(INSTALLED / "bin" / "query.js")]
    # Its --version prints a table (and exits 1); a node too old fails before that.
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    if "Comunica Engine" not in version.stdout + version.stderr:
        pytest.fail(f"Comunica {PINNED} does not run on {node}: "
                    f"{version.stderr[-2000:]}\n{INSTALL}")
    return command


class Recorder:
    """A loopback HTTP proxy in front of kg serve that passes requests and answers through
    untouched (gzip included) and records both: kg serve logs no requests."""

    def __init__(self, target: str):
        self.exchanges: list[dict] = []
        client = httpx.Client(base_url=target, timeout=60)
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Comunica's fetch expects

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                # Host goes through: kg serve sees the URL that Comunica used.
                sent = {k: v for k, v in self.headers.items()
                        if k.lower() not in ("content-length", "connection")}
                with client.stream(self.command, self.path, headers=sent, content=body) as r:
                    raw = b"".join(r.iter_raw())
                recorder.exchanges.append({
                    "method": self.command, "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body,
                    "status": r.status_code, "response_headers": dict(r.headers),
                    "response": gzip.decompress(raw)
                    if r.headers.get("content-encoding") == "gzip" else raw})
                self.send_response(r.status_code)
                for key, value in r.headers.multi_items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection",
                                           "date", "server"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(raw)

            do_GET = do_POST = do_HEAD = do_OPTIONS = _forward

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.client = client
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.client.close()


@pytest.fixture(scope="module")
def served(corpus_built):
    """kg serve on the six articles built together, and a Recorder in front of it."""
    with kg_serve(corpus_built) as (base, _process):
        recorder = Recorder(base)
        try:
            yield base, recorder
        finally:
            recorder.close()


def run(comunica: list[str], source: str, query: str, media: str) -> str:
    """Comunica's answer to a query over one source, in a results format; bounded in time."""
    try:
        done = subprocess.run([*comunica, source, query, "-t", media], capture_output=True,
                              text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"Comunica gave no answer within 120 s to {query!r}")
    assert done.returncode == 0, f"Comunica failed on {query!r}:\n{done.stderr[-3000:]}"
    return done.stdout


def ask(comunica, recorder: Recorder, query: str, media: str = RESULTS_JSON,
        source_type: str = "sparql@") -> tuple[str, list[dict]]:
    """Comunica's answer through the recorder, and the exchanges it made to get it."""
    start = len(recorder.exchanges)
    out = run(comunica, f"{source_type}{recorder.base}/sparql", query, media)
    return out, recorder.exchanges[start:]


def json_key(binding: dict) -> tuple:
    """A SPARQL JSON results term as a comparable tuple (blank nodes by kind only)."""
    kind = binding["type"]
    if kind == "uri":
        return ("uri", binding["value"])
    if kind == "bnode":
        return ("bnode",)
    datatype = binding.get("datatype")
    return ("literal", binding["value"], None if datatype in (XSD_STRING, LANG_STRING)
            else datatype, binding.get("xml:lang"))


def term_key(term) -> tuple:
    """A pyoxigraph term of kg.query's results as json_key makes them."""
    kind = type(term).__name__
    if kind == "NamedNode":
        return ("uri", term.value)
    if kind == "BlankNode":
        return ("bnode",)
    datatype = term.datatype.value
    return ("literal", term.value, None if datatype in (XSD_STRING, LANG_STRING) else datatype,
            term.language)


def comunica_rows(text: str) -> list[dict]:
    return [{name: json_key(b) for name, b in row.items()}
            for row in json.loads(text)["results"]["bindings"]]


def kg_rows(results) -> list[dict]:
    return [{name: term_key(t) for name, t in zip(results.variables, row) if t is not None}
            for row in results.rows]


def local(data: Path, query: str):
    return kg.query(query, data=[data / "graph.trig"])


def only_query(exchanges: list[dict]) -> dict:
    """The one request that carried a query (Comunica sends it whole to a SPARQL source)."""
    queries = [e for e in exchanges if "query=" in e["path"] or e["body"]]
    assert len(queries) == 1, [(e["method"], e["path"][:120]) for e in exchanges]
    return queries[0]


# ------------------------------------------------------------------ SELECT, ASK, CONSTRUCT

def test_select_of_a_shipped_example_equals_kg_query(comunica, served, corpus_built):
    _, recorder = served
    text = runnable(catalog.find("agreement-parties"))  # its default parameter bound
    out, exchanges = ask(comunica, recorder, text)
    expected = kg_rows(kg.query("agreement-parties", data=[corpus_built / "graph.trig"]))
    assert expected and comunica_rows(out) == expected
    sent = only_query(exchanges)
    assert sent["status"] == 200
    assert sent["response_headers"]["content-type"] == RESULTS_JSON


def test_select_with_typed_and_counted_values(comunica, served, corpus_built):
    _, recorder = served
    query = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{KGO}Organization> }} }} "
             "GROUP BY ?g ORDER BY ?g")
    out, exchanges = ask(comunica, recorder, query)
    expected = kg_rows(local(corpus_built, query))
    assert len(expected) == 6 and comunica_rows(out) == expected
    sent = only_query(exchanges)
    # What Comunica 4 sends for a short query: GET with the query in the URL, and an Accept of
    # JSON results first, XML second.
    assert sent["method"] == "GET" and sent["path"].startswith("/sparql?query=")
    assert sent["headers"]["accept"] == (
        "application/sparql-results+json;q=1.0,application/sparql-results+xml;q=0.7")
    assert sent["status"] == 200
    assert sent["response_headers"]["content-type"] == RESULTS_JSON


@pytest.mark.parametrize("pattern,answer", [
    (f"?s a <{KGO}JointVenture>", "true"), (f"?s a <{KGO}NoSuchClass>", "false")])
def test_ask_true_and_false(comunica, served, corpus_built, pattern, answer):
    _, recorder = served
    query = f"ASK {{ {pattern} }}"
    out, exchanges = ask(comunica, recorder, query)
    assert json.loads(out)["boolean"] is (answer == "true")
    assert local(corpus_built, query).boolean is (answer == "true")
    sent = only_query(exchanges)
    assert sent["status"] == 200
    assert sent["response_headers"]["content-type"] == RESULTS_JSON


LABELS = ("CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l ; a ?type } WHERE { "
          f"?s a <{KGO}Organization> , ?type ; <http://www.w3.org/2000/01/rdf-schema#label> ?l "
          'FILTER(?l IN ("Microsoft", "OpenAI", "Google")) }')


def test_construct_is_the_graph_kg_query_gives(comunica, served, corpus_built):
    _, recorder = served
    out, exchanges = ask(comunica, recorder, LABELS, "application/n-triples")
    got = rdflib.Graph().parse(data=out, format="nt")
    expected = rdflib.Graph().parse(data=local(corpus_built, LABELS).serialize("nt"), format="nt")
    assert len(expected) > 6 and isomorphic(got, expected)
    sent = only_query(exchanges)
    assert sent["status"] == 200, sent["response"][:300]
    # Comunica asks for Turtle (or another RDF syntax) and gets the type it asked for.
    accepted = [a.split(";")[0].strip() for a in sent["headers"]["accept"].split(",")]
    assert sent["response_headers"]["content-type"].split(";")[0] in accepted


def test_describe(comunica, served):
    _, recorder = served
    iri = "https://kg.example.org/id/organization/openai"
    out, exchanges = ask(comunica, recorder, f"DESCRIBE <{iri}>", "application/n-triples")
    got = rdflib.Graph().parse(data=out, format="nt")
    assert rdflib.Literal("OpenAI") in set(got.objects(rdflib.URIRef(iri)))
    assert only_query(exchanges)["status"] == 200


# ------------------------------------------------------------------ FROM and FROM NAMED

def test_from_selects_the_default_graph(comunica, served, corpus_built):
    _, recorder = served
    query = (f"SELECT ?name FROM <{WIZ}> WHERE {{ ?o a <{KGO}Organization> ; "
             "<https://schema.org/name> ?name } ORDER BY ?name")
    out, exchanges = ask(comunica, recorder, query)
    # kg.query refuses FROM: the same graph as a GRAPH pattern is the reference.
    expected = kg_rows(local(corpus_built, query.replace(f"FROM <{WIZ}> WHERE {{",
                                                         f"WHERE {{ GRAPH <{WIZ}> {{")
                             .replace("} ORDER", "} } ORDER")))
    assert expected and comunica_rows(out) == expected
    assert "FROM" in httpx.URL(only_query(exchanges)["path"]).params["query"]


def test_from_named_limits_the_named_graphs(comunica, served, corpus_built):
    _, recorder = served
    query = (f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{WIZ}> FROM NAMED <{SEED}> "
             "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    out, _ = ask(comunica, recorder, query)
    reference = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                 f"FILTER(?g IN (<{WIZ}>, <{SEED}>)) }} GROUP BY ?g ORDER BY ?g")
    expected = kg_rows(local(corpus_built, reference))
    assert len(expected) == 2 and comunica_rows(out) == expected


def test_a_graph_outside_the_dataset_is_empty(comunica, served):
    _, recorder = served
    out, exchanges = ask(comunica, recorder, "SELECT (COUNT(*) AS ?n) "
                         "FROM <http://elsewhere.invalid/graph> WHERE { ?s ?p ?o }")
    assert comunica_rows(out) == [{"n": ("literal", "0", XSD + "integer", None)}]
    # Nothing but the endpoint is asked: neither Comunica nor kg serve fetches the name.
    assert all(e["path"].startswith("/sparql") for e in exchanges)
    # (Comunica 4.5 shows an ASK with FROM as empty bindings whatever kg serve's answer, so
    # the ASK is checked in kg serve's answer to it.)
    _, exchanges = ask(comunica, recorder,
                       "ASK FROM <http://elsewhere.invalid/graph> { ?s ?p ?o }")
    assert json.loads(only_query(exchanges)["response"]) == {"head": {}, "boolean": False}


# ------------------------------------------------------------------ POST and the plain path

def test_a_long_query_goes_by_post(comunica, served, corpus_built):
    _, recorder = served
    names = " ".join(f'"no such name {i}"' for i in range(200))
    query = ("SELECT ?s ?l WHERE { VALUES ?l { \"OpenAI\" \"Microsoft\" " + names + " } "
             "?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l")
    out, exchanges = ask(comunica, recorder, query)
    expected = kg_rows(local(corpus_built, query))
    assert len(expected) == 2 and comunica_rows(out) == expected
    sent = only_query(exchanges)
    # Past a URL of 2048 characters Comunica posts the query as a form.
    assert sent["method"] == "POST" and sent["path"] == "/sparql"
    assert sent["headers"]["content-type"].startswith("application/x-www-form-urlencoded")
    assert sent["body"].startswith(b"query=")
    assert sent["status"] == 200


def test_a_large_gzipped_answer_straight_from_kg_serve(comunica, served, corpus_built):
    base, _ = served
    # The articles' graphs (kg serve has the ontology's too), without blank nodes: their order
    # differs between two loads of the same data.
    query = ("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && !isBlank(?o) "
             f"&& ?g != <{GRAPH}ontology>) }} ORDER BY ?s ?p ?o LIMIT 3000")
    out = run(comunica, f"sparql@{base}/sparql", query, RESULTS_JSON)
    expected = kg_rows(local(corpus_built, query))
    assert len(expected) == 3000 and comunica_rows(out) == expected
    # Comunica's Accept-Encoding takes gzip, so this answer came compressed, no proxy between.
    answer = httpx.get(base + "/sparql", params={"query": query}, headers={
        "Accept": RESULTS_JSON, "Accept-Encoding": "br,gzip,deflate"}, timeout=60)
    assert answer.headers["content-encoding"] == "gzip"


# ------------------------------------------------------------------ discovery

RDF_SYNTAXES = {"application/ld+json": "json-ld", "text/turtle": "turtle",
                "application/n-triples": "nt", "application/rdf+xml": "xml",
                "application/n-quads": "nquads", "application/trig": "trig"}


def test_comunicas_discovery_request_gets_the_service_description(comunica, served):
    """Given the URL alone (no sparql@), Comunica first fetches it as RDF, to look for a
    service description; it falls back on the URL ending in /sparql when it finds none."""
    _, recorder = served
    query = f"ASK {{ ?s a <{KGO}JointVenture> }}"
    out, exchanges = ask(comunica, recorder, query, source_type="")
    assert json.loads(out)["boolean"] is True
    first = exchanges[0]
    assert first["method"] == "GET" and first["path"] == "/sparql"
    media = first["response_headers"]["content-type"].split(";")[0]
    # Comunica prefers N-Quads, TriG, JSON-LD, N-Triples, Turtle, RDF/XML, and takes HTML at
    # q=0.2 only: the answer should be the service description in one of the RDF syntaxes.
    assert media in RDF_SYNTAXES, (
        f"GET /sparql with Comunica's Accept {first['headers']['accept']!r} got {media} "
        "instead of the service description in RDF")
    description = rdflib.Graph().parse(data=first["response"], format=RDF_SYNTAXES[media])
    assert services(description)


def test_the_service_description_names_the_url_it_is_fetched_at(served):
    """Comunica reads sd:endpoint only from the URL it fetched (or a blank node), and then
    sends its queries to that sd:endpoint."""
    _, recorder = served
    url = recorder.base + "/sparql"  # the Host of the request is the recorder's
    answer = httpx.get(url, headers={"Accept": "application/ld+json"}, timeout=30)
    assert answer.status_code == 200
    description = rdflib.Graph().parse(data=answer.content, format="json-ld")
    endpoints = {(s, o) for s, o in description.subject_objects(rdflib.URIRef(SD + "endpoint"))
                 if s == rdflib.URIRef(url) or isinstance(s, rdflib.BNode)}
    assert {str(o) for _, o in endpoints} == {url}, (
        f"the service description names {services(description)} with sd:endpoint "
        f"{sorted(map(str, description.objects(None, rdflib.URIRef(SD + 'endpoint'))))}, "
        f"not the URL it was fetched from, {url}")


@pytest.mark.parametrize("accept", ["text/html", "application/ld+json"])
def test_both_answers_to_a_bare_get_vary_by_accept(served, accept):
    """GET /sparql without a query is the HTML form or the service description by Accept,
    so a cache between Comunica and kg serve must be told both vary by it."""
    base, _ = served
    answer = httpx.get(base + "/sparql", headers={"Accept": accept}, timeout=30)
    assert answer.status_code == 200
    assert "accept" in answer.headers.get("vary", "").lower().replace(" ", "").split(","), (
        f"GET /sparql for {accept} answers Vary: {answer.headers.get('vary')!r}")


def services(description: rdflib.Graph) -> list[str]:
    return [str(s) for s in description.subjects(rdflib.RDF.type, rdflib.URIRef(SD + "Service"))]
