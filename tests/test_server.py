"""`kg serve` as clients use it: content negotiation, the SPARQL endpoint, and safe paths."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

import kg
import kg.engine
import kg.results
import kg.server
from kg.cli import main
from kg.formats import SERVED
from kg.protocol import parse_accept
from kg.server import MEDIA_TYPES, OFFERED, RESULT_TYPES, App, negotiate

from servers import free_port, running

RESOURCE = "/id/organization/openai"
IRI = "https://kg.example.org" + RESOURCE


@contextmanager
def kg_server(data: Path, *args: str):
    port = free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", str(data), "--port", str(port), *args]
    with running(command, f"http://127.0.0.1:{port}") as base:
        yield base


@pytest.fixture(scope="module")
def data(built) -> Path:
    return built


@pytest.fixture(scope="module")
def server(data):
    with kg_server(data, "--timeout", "1", "--max-rows", "5") as base:
        yield base


@pytest.mark.parametrize("accept,suffix,media", [
    ("text/html", ".html", "text/html"),
    ("text/turtle", ".ttl", "text/turtle"),
    ("application/ld+json", ".jsonld", "application/ld+json"),
    ("application/n-triples", ".nt", "application/n-triples"),
    ("application/rdf+xml", ".rdf", "application/rdf+xml"),
    ("text/turtle;q=0.5, application/n-triples", ".nt", "application/n-triples"),
    ("application/ld+json;q=0.9, text/turtle;q=0.95", ".ttl", "text/turtle"),
    ("*/*;q=0.1, application/rdf+xml", ".rdf", "application/rdf+xml"),
    ("text/html;q=0, text/*", ".ttl", "text/turtle"),
    ("*/*", ".html", "text/html"),
    ("", ".html", "text/html"),
    ("application/xhtml+xml, text/html;q=0.9, */*;q=0.8", ".html", "text/html"),
])
def test_content_negotiation(server, accept, suffix, media):
    response = httpx.get(server + RESOURCE, headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert response.headers["location"] == "openai" + suffix
    assert "Accept" in response.headers["vary"]
    final = httpx.get(server + RESOURCE, headers={"Accept": accept} if accept else {},
                      follow_redirects=True)
    assert final.status_code == 200
    assert final.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize("accept", ["image/png", "application/pdf, image/*", "text/html;q=0"])
def test_unacceptable_types_get_406_before_any_redirect(server, accept):
    response = httpx.get(server + RESOURCE, headers={"Accept": accept})
    assert response.status_code == 406
    assert "location" not in response.headers


@pytest.mark.parametrize("accept", ["garbage", "text/html;q=abc", ";;;,,,", "*/*;q=-1", "a/b/c"])
def test_malformed_accept_headers_never_give_500(server, accept):
    assert httpx.get(server + RESOURCE, headers={"Accept": accept}).status_code in (303, 406)


@pytest.mark.parametrize("suffix,fmt", [
    (".ttl", ox.RdfFormat.TURTLE), (".jsonld", ox.RdfFormat.JSON_LD),
    (".nt", ox.RdfFormat.N_TRIPLES), (".rdf", ox.RdfFormat.RDF_XML)])
def test_a_resource_representation_describes_that_resource(server, suffix, fmt):
    response = httpx.get(server + RESOURCE + suffix)
    assert response.status_code == 200
    triples = {q.triple for q in ox.parse(response.content, format=fmt)}
    # Its own triples, and those that point to it (inbound links): nothing else.
    assert all(IRI in (t.subject.value, t.object.value) for t in triples)
    assert 0 < len([t for t in triples if t.subject.value == IRI]) < 20


def test_hash_resources_live_in_their_document(server):
    response = httpx.get(
        server + "/id/annotation/verge-2025-01-21-microsoft-openai-compute-openai-1.ttl")
    subjects = {q.subject.value.split("#")[-1]
                for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}
    assert {"target", "quote", "position"} <= subjects


def test_head_and_unknown_paths(server):
    head = httpx.head(server + RESOURCE + ".ttl")
    assert head.status_code == 200 and head.content == b""
    assert httpx.get(server + "/id/organization/nope").status_code == 404
    assert httpx.post(server + RESOURCE).status_code == 405


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                                  "/id/%2E%2E/%2E%2E/etc/passwd", "//evil.example/",
                                  "/id//organization/openai",
                                  "/id/organization/./openai", "/..%2f..%2fetc/passwd",
                                  "/id/organization/../../../etc/passwd"])
def test_paths_cannot_escape_the_site(server, path):
    # http.client sends the path as written; httpx would normalise the dot segments first.
    import http.client

    host, port = server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 404, path
    assert b"root:" not in body


def test_site_files_are_served(server):
    for path, media in [("/", "text/html"), ("/index.html", "text/html"),
                        ("/style.css", "text/css"),
                        ("/void.ttl", "text/turtle"), ("/sitemap.xml", "application/xml"),
                        ("/ontology", None), ("/download/graph.trig", "application/trig")]:
        response = httpx.get(server + path, follow_redirects=True)
        assert response.status_code == 200, path
        if media:
            assert response.headers["content-type"].startswith(media), path


def test_void_names_the_endpoint_when_served(server):
    void = httpx.get(server + "/void.ttl").content
    assert b"void:sparqlEndpoint <https://kg.example.org/sparql>" in void


# ------------------------------------------------------------------ SPARQL endpoint

def wrapper(server: str, query: str, fmt, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(server + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


COUNT_MEMBERS = ("SELECT ?name WHERE { ?jv a <https://kg.example.org/ontology#JointVenture> ; "
                 "<https://kg.example.org/ontology#hasMember>/<https://schema.org/name> ?name } "
                 "ORDER BY ?name")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server, method):
    result = wrapper(server, COUNT_MEMBERS, JSON, method).query().convert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == [
        "Arm", "Microsoft", "Nvidia", "OpenAI", "Oracle"]


def test_sparqlwrapper_select_xml_and_csv(server):
    xml = wrapper(server, COUNT_MEMBERS, XML).query().convert()
    literals = [n.firstChild.data for n in xml.getElementsByTagName("literal")]
    assert literals[:2] == ["Arm", "Microsoft"]
    csv = wrapper(server, COUNT_MEMBERS, CSV).query().convert()
    assert csv.decode("utf-8").splitlines()[:3] == ["name", "Arm", "Microsoft"]


def test_sparqlwrapper_ask_and_construct(server):
    ask = wrapper(server, "ASK { ?s a <https://kg.example.org/ontology#RightOfFirstRefusal> }",
                  JSON)
    assert ask.query().convert()["boolean"] is True
    construct = wrapper(server, "CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
                        "WHERE { ?s a <https://kg.example.org/ontology#Organization> ; "
                        "<http://www.w3.org/2000/01/rdf-schema#label> ?l "
                        'FILTER(?l IN ("Microsoft", "OpenAI")) }', TURTLE)
    import rdflib

    body = construct.query().convert()
    graph = (body if isinstance(body, rdflib.Graph)
             else rdflib.Graph().parse(data=body, format="turtle"))
    labels = {str(o) for _, _, o in graph}
    assert {"Microsoft", "OpenAI"} <= labels  # (--max-rows 5 bounds CONSTRUCT triples too)


def test_the_ontology_is_queryable_too(server):
    result = wrapper(server, "SELECT ?l WHERE { <https://kg.example.org/ontology#Clause> "
                     "<http://www.w3.org/2000/01/rdf-schema#label> ?l }", JSON).query().convert()
    assert [b["l"]["value"] for b in result["results"]["bindings"]] == ["clause"]


def test_rows_are_capped(server):
    response = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                         headers={"Accept": "application/sparql-results+json"})
    assert len(response.json()["results"]["bindings"]) == 5
    assert "5 rows" in response.headers["x-kg-truncated"]


@pytest.mark.parametrize("body,content_type", [
    ("update=DROP ALL", "application/x-www-form-urlencoded"),
    ("DROP ALL", "application/sparql-update")])
def test_updates_are_refused(server, body, content_type):
    response = httpx.post(server + "/sparql", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 403
    assert wrapper(server, COUNT_MEMBERS, JSON).query().convert()["results"]["bindings"]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "LOAD <http://example.org/x>", "SELECT WHERE {"])
def test_refused_or_broken_queries_get_400(server, query):
    response = httpx.get(server + "/sparql", params={"query": query})
    assert response.status_code == 400


def test_queries_stop_at_the_time_limit_and_the_next_is_answered(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    response = httpx.get(server + "/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 503 and b"time limit" in response.content
    # The stopped query's worker is gone; the next query is answered, and right.
    result = wrapper(server, COUNT_MEMBERS, JSON).query().convert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == [
        "Arm", "Microsoft", "Nvidia", "OpenAI", "Oracle"]


def test_html_form_for_people(server):
    form = httpx.get(server + "/sparql", headers={"Accept": "text/html"})
    assert form.status_code == 200 and b"<textarea" in form.content
    results = httpx.get(server + "/sparql", params={"query": COUNT_MEMBERS},
                        headers={"Accept": "text/html"})
    assert b"<td>Nvidia</td>" in results.content


def test_binds_to_loopback_by_default(data):
    with kg_server(data) as base:
        assert base.startswith("http://127.0.0.1:")
        port = int(base.rsplit(":", 1)[1])
        import socket

        addresses = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None)
                     if a[0] == socket.AF_INET} - {"127.0.0.1", "127.0.1.1"}
        for address in addresses:
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"http://{address}:{port}/", timeout=2)


@pytest.mark.parametrize("header,offered,chosen", [
    ("text/turtle", ["text/html", "text/turtle"], "text/turtle"),
    ("text/*;q=0.5, text/turtle;q=0", ["text/html", "text/turtle"], "text/html"),
    ("*/*;q=0", ["text/html"], None),
    (None, ["text/html", "text/turtle"], "text/html"),
])
def test_negotiate(header, offered, chosen):
    assert negotiate(header, offered) == chosen


def test_parse_accept_ignores_malformed_parts():
    assert parse_accept("text/html;q=0.5, nonsense, */*") == [("text/html", 0.5), ("*/*", 1.0)]


# ------------------------------------------------------------------ in process, from the table

def test_every_served_format_is_offered_with_its_file():
    assert OFFERED[0] == ("text/html", ".html")
    assert sorted(OFFERED[1:]) == sorted((f.media_type, f.extension) for f in SERVED)
    for fmt in SERVED:
        assert MEDIA_TYPES[fmt.extension].split(";")[0] == fmt.media_type
    assert {m for m, _ in RESULT_TYPES["select"]} >= {"application/sparql-results+json",
                                                       "application/sparql-results+xml",
                                                       "text/csv", "text/tab-separated-values"}


@pytest.fixture(scope="module")
def app(data):
    app = App(data, endpoint_url="sparql")
    yield app
    app.engine.close()


def test_app_negotiates_in_process(app):
    status, headers, _ = app.resolve("id/organization/openai", "application/*")
    assert (status, headers["Location"]) == (303, "openai.jsonld"), "ties go as before"
    status, headers, body = app.resolve("id/organization/openai.ttl", None)
    assert status == 200 and headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert app.resolve("id/organization/openai", "image/png")[0] == 406
    assert app.resolve("nope", None)[0] == 404
    assert app.base == "https://kg.example.org/" and app.prefix == "/"


def test_app_answers_sparql_in_process(app):
    status, headers, body = app.sparql(COUNT_MEMBERS, "text/csv")
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body.decode().splitlines()[:2] == ["name", "Arm"]
    status, headers, _ = app.sparql("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
                                    "application/ld+json")
    assert status == 200 and headers["Content-Type"] == "application/ld+json"
    assert app.sparql(None, "text/html")[0] == 200
    assert app.sparql("DROP ALL", None, update=True)[0] == 403


def test_app_needs_a_built_folder(tmp_path):
    with pytest.raises(kg.InputError, match="kg build"):
        App(tmp_path)


def test_serve_is_the_public_api():
    import kg.server

    assert kg.serve is kg.server.serve


CROSS_JOIN_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"


def test_the_worker_writes_the_results_and_the_server_forwards_them_unparsed(app, monkeypatch):
    # The parsed path, as `kg query` and the HTML form use it: the reference.
    parsed = app.engine.run(CROSS_JOIN_ROWS, app.timeout, 50)
    assert parsed.serialized is None and parsed.truncated and len(parsed.rows) == 50
    expected = kg.results.render(parsed, "json", app.table)

    def parses(*args, **kwargs):
        raise AssertionError("the server process parsed or rendered the results")

    for module, name in ((kg.results, "from_serialized"), (kg.results, "collect"),
                         (kg.engine, "_decode"), (kg.server, "render")):
        monkeypatch.setattr(module, name, parses)
    monkeypatch.setattr(app, "max_rows", 50)
    status, headers, body = app.sparql(CROSS_JOIN_ROWS, "application/sparql-results+json")
    assert status == 200 and headers["X-KG-Truncated"] == "results cut at 50 rows"
    assert headers["Content-Type"] == "application/sparql-results+json"
    assert body == expected
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    assert [[s[v] for v in solutions.variables] for s in solutions] == parsed.rows
    for accept, media in (("text/csv", "text/csv; charset=utf-8"),
                          ("application/sparql-results+xml", "application/sparql-results+xml")):
        status, headers, body = app.sparql(CROSS_JOIN_ROWS, accept)
        assert status == 200 and headers["Content-Type"] == media and body
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    status, headers, body = app.sparql(construct, "text/turtle")
    assert status == 200 and headers["X-KG-Truncated"] == "results cut at 50 triples"
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == 50
    assert body.startswith(b"@prefix"), "kg's Turtle writer, prefixes and all, in the worker"


# ------------------------------------------------------------------ refusing to start

def serve_fails(data: Path, *args: str) -> str:
    import subprocess

    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(data), *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    return done.stderr


def test_a_busy_port_is_one_error_line_and_nothing_else(data):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        stderr = serve_fails(data, "--port", str(port))
    assert stderr.splitlines() == [f"kg: error: port {port} on 127.0.0.1 is already in use "
                                   "(another kg serve, or another server): stop it, or give "
                                   "--port another number"]


def test_a_base_iri_that_matches_nothing_is_one_error_line(data):
    stderr = serve_fails(data, "--port", str(free_port()), "--base-iri",
                         "https://nowhere.example/")
    assert len(stderr.splitlines()) == 1 and stderr.startswith("kg: error: ")
    assert "--base-iri https://nowhere.example/ matches no IRI of the dataset" in stderr
    assert "https://kg.example.org/" in stderr


def test_a_base_iri_that_matches_is_served_and_announced_after_the_port_is_taken(data):
    import subprocess

    port = free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", str(data), "--port", str(port),
               "--base-iri", "https://kg.example.org/"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert line == f"kg serve: http://127.0.0.1:{port}/ (Ctrl-C to stop)\n"
        # Announced once listening: the first request is answered, not refused.
        assert httpx.get(f"http://127.0.0.1:{port}{RESOURCE}.ttl", timeout=10).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


# ------------------------------------------------------------------ rights, as kg publish has them
RIGHTS = ("SELECT ?article ?rights WHERE { GRAPH ?g { ?article "
          "<http://purl.org/dc/terms/rights> ?rights } }")
TEXTS = "ASK { GRAPH ?g { ?article <https://schema.org/text> ?text } }"


def test_the_endpoint_holds_the_rights_statements_the_site_publishes(data):
    app = App(data, endpoint_url="sparql")
    status, _, body = app.sparql(RIGHTS, "application/sparql-results+json")
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and len(rows) == 1
    assert "The Verge, its publisher" in rows[0]["rights"]["value"]
    assert json.loads(app.sparql(TEXTS, "application/sparql-results+json")[2])["boolean"]


def test_kg_serve_omits_the_texts_and_states_the_license_it_is_given(data):
    license_iri = "https://creativecommons.org/publicdomain/zero/1.0/"
    with kg_server(data, "--article-text", "omit", "--license", license_iri) as base:
        asked = httpx.get(base + "/sparql", params={"query": TEXTS},
                          headers={"Accept": "application/sparql-results+json"})
        assert asked.json()["boolean"] is False
        void = httpx.get(base + "/void.ttl").text
        assert license_iri in void
        article = httpx.get(base + "/id/article/verge-2025-01-21-microsoft-openai-compute.html")
        # A sentence no fact quotes: it stood only in the full text.
        assert article.status_code == 200 and "Follow topics and authors" not in article.text


def test_kg_serve_refuses_a_license_that_is_not_an_iri(data):
    result = CliRunner().invoke(main, ["serve", str(data), "--license", "CC BY",
                                       "--port", "0"])
    assert result.exit_code == 2 and "--license must be the IRI of a license" in result.output
