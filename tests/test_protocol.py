"""`kg serve` speaking HTTP and the SPARQL 1.1 Protocol in full, over loopback: graphs in
every RDF format, CORS and pre-flight, HEAD, ETag and 304, gzip, the security headers of
pages, and the service description."""

from __future__ import annotations

import gzip

import httpx
import pyoxigraph as ox
import pytest

from kg.formats import SERVED
from kg.protocol import accepts_gzip
from kg.sparql_dataset import with_dataset

from test_server import IRI, RESOURCE, kg_server

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def server(built):
    with kg_server(built) as base:
        yield base


def get(server: str, path: str, **headers) -> httpx.Response:
    return httpx.get(server + path, headers={k.replace("_", "-"): v for k, v in headers.items()})


# ------------------------------------------------------------------ graphs in every format

@pytest.mark.parametrize("form", ["CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?s = <%s>) }",
                                  "DESCRIBE <%s>"])
def test_construct_and_describe_in_every_served_format(server, form):
    label = ox.Triple(ox.NamedNode(IRI), ox.NamedNode(RDFS_LABEL), ox.Literal("OpenAI"))
    for fmt in SERVED:  # RDF/XML among them
        response = httpx.get(server + "/sparql", params={"query": form % IRI},
                             headers={"Accept": fmt.media_type})
        assert response.status_code == 200, (fmt.name, response.text)
        assert response.headers["content-type"].split(";")[0] == fmt.media_type
        assert label in {q.triple for q in ox.parse(response.content, format=fmt.oxigraph)}


# ------------------------------------------------------------------ CORS

@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", RESOURCE + ".ttl", RESOURCE + ".rdf",
                                  RESOURCE + ".jsonld", "/download/graph.trig", RESOURCE,
                                  "/void.ttl"])
def test_every_answer_may_be_read_from_any_origin(server, path):
    response = get(server, path, Origin="https://app.example", Accept="text/turtle")
    assert response.headers["access-control-allow-origin"] == "*"
    if response.status_code == 303:  # a browser reads the Location it is sent to
        assert "Location" in response.headers["access-control-expose-headers"]


@pytest.mark.parametrize("path,methods", [("/sparql", {"GET", "POST"}),
                                          (RESOURCE, {"GET", "HEAD"})])
def test_a_browser_preflight_is_answered(server, path, methods):
    response = httpx.options(server + path, headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    allowed = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert methods <= allowed
    headers = response.headers["access-control-allow-headers"].lower()
    assert "content-type" in headers and "accept" in headers
    assert int(response.headers["access-control-max-age"]) > 0


def test_answers_made_before_the_application_carry_cors_too(server):
    # A query string past the bound is refused before the application sees the request.
    response = httpx.get(server + "/sparql", params={"query": "ASK {}" + " " * 40_000})
    assert response.status_code == 414
    assert response.headers["access-control-allow-origin"] == "*"


def test_a_cross_origin_post_of_a_query_is_answered(server):
    response = httpx.post(server + "/sparql", content="ASK { ?s ?p ?o }", headers={
        "Origin": "https://app.example", "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json"})
    assert response.json()["boolean"] is True
    assert response.headers["access-control-allow-origin"] == "*"


# ------------------------------------------------------------------ HEAD, caching, gzip

@pytest.mark.parametrize("path", [RESOURCE + ".ttl", "/", "/download/graph.nt"])
def test_head_gives_the_length_of_the_get(server, path):
    body = get(server, path, Accept_Encoding="identity").content
    head = httpx.head(server + path, headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(body) > 0


def test_static_representations_have_an_etag_and_revalidate_with_304(server):
    first = get(server, RESOURCE + ".ttl")
    tag = first.headers["etag"]
    assert tag.startswith('"') and "max-age=" in first.headers["cache-control"]
    again = get(server, RESOURCE + ".ttl", If_None_Match=tag)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    assert get(server, RESOURCE + ".ttl", If_None_Match='"other"').status_code == 200
    assert get(server, RESOURCE + ".nt").headers["etag"] != tag
    assert get(server, RESOURCE + ".ttl", If_None_Match=f'"x", W/{tag}').status_code == 304


@pytest.mark.parametrize("path", ["/download/graph.trig", RESOURCE + ".html",
                                  "/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D"])
def test_gzip_when_asked_with_vary(server, path):
    plain = get(server, path, Accept_Encoding="identity")
    assert "content-encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["vary"]
    raw = httpx.Client().send(httpx.Request("GET", server + path,
                                            headers={"Accept-Encoding": "gzip"}), stream=True)
    packed = b"".join(raw.iter_raw())
    assert raw.headers["content-encoding"] == "gzip" and "Accept-Encoding" in raw.headers["vary"]
    assert int(raw.headers["content-length"]) == len(packed) < len(plain.content)
    assert gzip.decompress(packed) == plain.content
    if "etag" in plain.headers:  # another encoding, another entity tag
        assert raw.headers["etag"] != plain.headers["etag"]


@pytest.mark.parametrize("header,wanted", [("gzip", True), ("gzip;q=0", False),
                                           ("deflate, br", False), ("*", True),
                                           ("*, gzip;q=0", False), ("identity", False),
                                           ("GZIP;q=0.5", True), ("", False)])
def test_accept_encoding(header, wanted):
    assert accepts_gzip(header) is wanted


@pytest.mark.parametrize("path", ["/", RESOURCE + ".html", "/sparql"])
def test_pages_carry_the_security_headers(server, path):
    response = get(server, path, Accept="text/html")
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "*" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]
    assert get(server, RESOURCE + ".ttl").headers["x-content-type-options"] == "nosniff"


# ------------------------------------------------------------------ service description

@pytest.mark.parametrize("fmt", SERVED, ids=lambda f: f.name)
def test_the_service_description_at_sparql_without_a_query(server, fmt):
    response = get(server, "/sparql", Accept=fmt.media_type)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    store = ox.Store()
    store.load(response.content, format=fmt.oxigraph)
    # The service is named where it was fetched: clients follow sd:endpoint from there.
    service = ox.NamedNode(server + "/sparql")
    answer = store.query(f"""PREFIX sd: <{SD}>
        SELECT ?endpoint ?language WHERE {{ ?s a sd:Service ; sd:endpoint ?endpoint ;
        sd:supportedLanguage ?language }}""")
    assert [(r["endpoint"], r["language"].value) for r in answer] == [
        (service, SD + "SPARQL11Query")]
    formats = {r[0].value for r in store.query(
        f"SELECT ?f WHERE {{ ?s <{SD}resultFormat> ?f }}")}
    assert {"http://www.w3.org/ns/formats/SPARQL_Results_JSON",
            "http://www.w3.org/ns/formats/RDF_XML", "http://www.w3.org/ns/formats/Turtle",
            "http://www.w3.org/ns/formats/JSON-LD"} <= formats
    named = {r[0].value for r in store.query(
        f"SELECT ?n WHERE {{ ?s <{SD}defaultDataset>/<{SD}namedGraph>/<{SD}name> ?n }}")}
    served = get(server, "/sparql?query=" + GRAPH_NAMES.replace(" ", "%20"),
                 Accept="application/sparql-results+json").json()
    assert named == {b["g"]["value"] for b in served["results"]["bindings"]}
    assert "https://kg.example.org/graph/ontology" in named


def test_the_form_stays_for_people_and_a_results_type_without_a_query_is_400(server):
    assert get(server, "/sparql", Accept="text/turtle").status_code == 200
    assert b"<textarea" in get(server, "/sparql", Accept="text/html").content
    assert get(server, "/sparql").headers["content-type"].startswith("text/html")
    assert get(server, "/sparql", Accept="application/sparql-results+json").status_code == 400


# ------------------------------------------------------------------ the dataset of a query

ONTOLOGY = "https://kg.example.org/graph/ontology"
COUNT = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def run(server: str, query: str, **params) -> httpx.Response:
    listed = [(name.replace("_", "-"), v) for name, values in params.items() for v in values]
    return httpx.get(server + "/sparql", params=[("query", query), *listed],
                     headers=JSON_RESULTS)


@pytest.fixture(scope="module")
def ontology_size(server) -> int:
    return count(run(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ONTOLOGY}> "
                             "{ ?s ?p ?o } }"))


def test_from_reads_a_graph_of_the_dataset_and_a_name_outside_it_is_empty(server,
                                                                           ontology_size):
    everything = count(run(server, COUNT.format(dataset="")))
    assert 0 < ontology_size < everything
    assert count(run(server, COUNT.format(dataset=f"FROM <{ONTOLOGY}>"))) == ontology_size
    prefixed = ("PREFIX g: <https://kg.example.org/graph/> "
                + COUNT.format(dataset="FROM g:ontology"))
    assert count(run(server, prefixed)) == ontology_size
    outside = COUNT.format(dataset="FROM <http://elsewhere.example/data.ttl>")
    assert count(run(server, outside)) == 0  # nothing fetched: an empty graph
    named = COUNT_NAMED.format(dataset=f"FROM NAMED <{ONTOLOGY}>")
    assert count(run(server, named)) == ontology_size


def test_default_graph_uri_and_named_graph_uri_in_every_binding(server, ontology_size):
    query = COUNT.format(dataset="")
    assert count(run(server, query, default_graph_uri=[ONTOLOGY])) == ontology_size
    # The request's dataset wins over the query's.
    overridden = COUNT.format(dataset="FROM <http://elsewhere.example/g>")
    assert count(run(server, overridden, default_graph_uri=[ONTOLOGY])) == ontology_size
    assert count(run(server, query, default_graph_uri=["http://elsewhere.example/g"])) == 0
    assert count(run(server, query, named_graph_uri=[ONTOLOGY])) == 0  # an empty default
    named = COUNT_NAMED.format(dataset="")
    assert count(run(server, named, named_graph_uri=[ONTOLOGY])) == ontology_size
    form = httpx.post(server + "/sparql", data={"query": query, "default-graph-uri": ONTOLOGY},
                      headers=JSON_RESULTS)
    assert count(form) == ontology_size
    direct = httpx.post(server + "/sparql", params={"default-graph-uri": ONTOLOGY},
                        content=query, headers={**JSON_RESULTS,
                                                "Content-Type": "application/sparql-query"})
    assert count(direct) == ontology_size


@pytest.mark.parametrize("query,params,refused", [
    (f"SELECT * FROM <{ONTOLOGY}> WHERE {{ SERVICE <http://x.example/sparql> {{ ?s ?p ?o }} }}",
     {}, "SERVICE is refused"),
    ("SELECT * FROMX <http://x.example/> WHERE { ?s ?p ?o }", {}, "FROM is refused"),
    ("SELECT * WHERE { ?s ?p ?o }", {"default_graph_uri": ["not an IRI"]}, "absolute IRIs"),
    ("SELECT * WHERE { ?s ?p ?o }", {"named_graph_uri": ["http://x> } SERVICE <y"]},
     "absolute IRIs"),
    (f"SELECT * FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }} # \\u0053ERVICE", {}, None),
])
def test_every_other_refusal_stands(server, query, params, refused):
    response = run(server, query, **params)
    if refused is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400 and refused in response.text


CLAUSE = "<https://kg.example.org/ontology#Clause>"
IN_ONTOLOGY = f"{CLAUSE} ?p 'clause'@en"  # a triple only the ontology graph holds


@pytest.mark.parametrize("query", [
    f"SELECT ?p ?o WHERE {{ {CLAUSE} ?p ?o }} ORDER BY ?p ?o",
    f"SELECT (EXISTS {{ {IN_ONTOLOGY} }} AS ?e) {{ }}",
    f"CONSTRUCT {{ {CLAUSE} ?p ?o }} WHERE {{ {CLAUSE} ?p ?o }}",
    f"CONSTRUCT {{ ?s ?p ?o }} FROM <http://x.example/> WHERE {{ ?s ?p ?o FILTER(?s = {CLAUSE}) }}",
    f"CONSTRUCT WHERE {{ {CLAUSE} ?p ?o }}",
    f"DESCRIBE {CLAUSE}", "DESCRIBE ?s WHERE { ?s ?p 'clause'@en } LIMIT 3",
    f"ASK {{ {IN_ONTOLOGY} }}",
    f"PREFIX f: <http://x.example/>\nASK FROM f:g\nFROM NAMED <http://y.example/> "
    f"{{ {IN_ONTOLOGY} }}",
    "SELECT * WHERE { ?s ?p 'clause'@en FILTER(?p != <http://x/FROM>) } # FROM <http://x/>",
])
def test_the_request_dataset_replaces_the_query_dataset_in_every_form(query):
    store = ox.Store()
    graph, other = ox.NamedNode(ONTOLOGY), ox.NamedNode("http://other.example/")
    clause = ox.NamedNode("https://kg.example.org/ontology#Clause")
    label = ox.NamedNode(RDFS_LABEL)
    store.extend([ox.Quad(clause, label, ox.Literal("clause", language="en"), graph),
                  ox.Quad(clause, label, ox.Literal("elsewhere"), other),
                  ox.Quad(clause, label, ox.Literal("default"))])

    def answer(result):
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            return sorted(str([s[v] for v in result.variables]) for s in result)
        return sorted(map(str, result))

    rewritten = with_dataset(query, [ONTOLOGY], [])
    assert answer(store.query(rewritten)) == answer(store.query(
        query, default_graph=[graph], named_graphs=[]))
    assert answer(store.query(rewritten)) != answer(store.query(
        query, default_graph=[other], named_graphs=[]))


def test_a_graph_named_by_a_url_is_never_fetched(server):
    import socket

    with socket.socket() as listener:  # a URL that would answer, were it ever asked
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/data.ttl"
        assert count(run(server, COUNT.format(dataset=f"FROM <{url}>"))) == 0
        assert count(run(server, COUNT_NAMED.format(dataset=f"FROM NAMED <{url}>"))) == 0
        assert count(run(server, COUNT.format(dataset=""), default_graph_uri=[url])) == 0
        with pytest.raises(BlockingIOError):
            listener.accept()
