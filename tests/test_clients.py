"""Real SPARQL clients with their default settings against a running `kg serve` on loopback:
SPARQLWrapper and rdflib's SPARQLStore (SELECT, ASK, CONSTRUCT and DESCRIBE), and Chromium
querying the endpoint and reading RDF from a page of another origin (CORS)."""

from __future__ import annotations

import pytest
import rdflib
from playwright.sync_api import sync_playwright
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import SPARQLWrapper

from servers import require
from test_browser import CHROMIUM_ARGS
from test_server import COUNT_MEMBERS, IRI, kg_server

KGO = "https://kg.example.org/ontology#"
LABELS = ("CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { "
          f"?s a <{KGO}Organization> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l "
          'FILTER(?l IN ("Microsoft", "OpenAI")) }')
MEMBERS = ["Arm", "Microsoft", "Nvidia", "OpenAI", "Oracle"]


@pytest.fixture(scope="module")
def endpoint(built):
    with kg_server(built) as base:
        yield base + "/sparql"


def defaults(endpoint: str, query: str) -> SPARQLWrapper:
    """A SPARQLWrapper as a user makes one: no return format, no method set."""
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_defaults_select_ask_construct_describe(endpoint, method):
    select = defaults(endpoint, COUNT_MEMBERS)
    select.setMethod(method)
    xml = select.query().convert()  # its default: XML results
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == MEMBERS
    ask = defaults(endpoint, f"ASK {{ ?s a <{KGO}RightOfFirstRefusal> }}").query().convert()
    assert ask.getElementsByTagName("boolean")[0].firstChild.data == "true"
    # For a graph, SPARQLWrapper asks for application/rdf+xml and parses it with rdflib.
    construct = defaults(endpoint, LABELS)
    construct.setMethod(method)
    response = construct.query()
    assert response.response.headers["Content-Type"] == "application/rdf+xml"
    graph = response.convert()
    assert isinstance(graph, rdflib.Graph)
    assert {str(o) for o in graph.objects()} == {"Microsoft", "OpenAI"}
    described = defaults(endpoint, f"DESCRIBE <{IRI}>").query().convert()
    assert isinstance(described, rdflib.Graph)
    assert rdflib.Literal("OpenAI") in set(described.objects(rdflib.URIRef(IRI)))


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select_ask_construct(endpoint, method):
    graph = rdflib.Graph(SPARQLStore(endpoint, method=method))
    names = [str(row[0]) for row in graph.query(COUNT_MEMBERS)]
    assert names == MEMBERS
    assert graph.query(f"ASK {{ ?s a <{KGO}JointVenture> }}").askAnswer is True
    constructed = graph.query(LABELS).graph
    assert {str(o) for o in constructed.objects()} == {"Microsoft", "OpenAI"}
    described = graph.query(f"DESCRIBE <{IRI}>").graph
    assert rdflib.Literal("OpenAI") in set(described.objects(rdflib.URIRef(IRI)))
    # The store as a graph: triples() is a SELECT of the store's own making.
    labels = set(graph.objects(rdflib.URIRef(IRI),
                               rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert labels == {rdflib.Literal("OpenAI")}


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory):
    """A page on another origin (another port of loopback), for the browser to start from."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    folder = tmp_path_factory.mktemp("origin")
    (folder / "index.html").write_text("<!doctype html><title>another site</title>")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as site:
        threading.Thread(target=site.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{site.server_address[1]}/"
        site.shutdown()


FETCHES = """async ([endpoint, resource]) => {
  const query = await fetch(endpoint, {method: "POST", body: "SELECT ?n WHERE { ?a a "
      + "<https://kg.example.org/ontology#JointVenture> ; <https://kg.example.org/ontology#"
      + "hasMember>/<https://schema.org/name> ?n } ORDER BY ?n",
    headers: {"Content-Type": "application/sparql-query",
              "Accept": "application/sparql-results+json"}});
  const names = (await query.json()).results.bindings.map(b => b.n.value);
  const turtle = await fetch(resource, {headers: {"Accept": "text/turtle"}});
  return [query.status, names, turtle.status, turtle.url, await turtle.text()];
}"""


def test_a_browser_on_another_origin_queries_and_reads_rdf(endpoint, other_origin):


    executable = require("chromium", "headless browser tests, Debian package chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(other_origin)
            resource = endpoint.removesuffix("sparql") + "id/organization/openai"
            # The POST of application/sparql-query is pre-flighted (OPTIONS) by the browser;
            # the resource's 303 is followed across origins.
            status, names, rdf_status, url, body = page.evaluate(FETCHES, [endpoint, resource])
        finally:
            browser.close()
    assert status == 200 and names == MEMBERS
    assert rdf_status == 200 and url == resource + ".ttl"
    assert f"<{IRI}>" in body or "organization:openai" in body
