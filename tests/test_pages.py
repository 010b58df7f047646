"""The pages of the site piece by piece: paths and links, the indexed graph, evidence, rendering."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from pyoxigraph import Literal, NamedNode, Triple

from kg.formats import SERVED
from kg.namespaces import KGO, ONTOLOGY_IRI, SCHEMA
from kg.pages import (
    REPRESENTATIONS,
    Graph,
    Paths,
    Renderer,
    alternates,
    document_of,
    script_safe,
    short_names,
)
from kg.resources import ontology_triples

BASE = "https://kg.example.org/"
OPENAI = BASE + "id/organization/openai"


@pytest.fixture(scope="module")
def graph(seed_dataset) -> Graph:
    return Graph(seed_dataset[1], ontology_triples(), BASE)


@pytest.fixture(scope="module")
def renderer(graph, seed_dataset) -> Renderer:
    return Renderer(graph, {**seed_dataset[2], "kgo": KGO})


def test_paths_follow_the_iris():
    paths = Paths(BASE)
    assert paths.path(OPENAI) == "id/organization/openai"
    assert paths.path(ONTOLOGY_IRI) == "ontology"
    assert paths.path(BASE) is None, "the root is index.html, not a document"
    assert paths.path("https://elsewhere.example/id/x") is None
    assert paths.path(BASE + "id/../../etc/passwd") is None
    assert paths.path(BASE + "id/a b") is None


def test_the_ontology_documents_live_under_ontology_whatever_the_base():
    paths = Paths("https://data.example.com/deals/")
    assert paths.path(ONTOLOGY_IRI) == "ontology"
    assert paths.path(ONTOLOGY_IRI + "/0.1.0") == "ontology/0.1.0"
    assert paths.path(ONTOLOGY_IRI + "/alignments/0.1.0") == "ontology/alignments/0.1.0"
    assert paths.path(ONTOLOGY_IRI + "/../etc") is None


def test_links_are_relative_and_keep_the_fragment():
    paths = Paths(BASE)
    assert paths.href("id/organization/openai", BASE + "id/agreement/x") == "../agreement/x.html"
    assert paths.href("index", BASE + "id/annotation/a-1#quote") == "id/annotation/a-1.html#quote"
    assert paths.href("index", "https://elsewhere.example/x") is None
    assert paths.root("index") == "./" and paths.root("id/organization/openai") == "../../"


def test_hash_resources_belong_to_their_document(graph):
    assert document_of(BASE + "id/annotation/a-1#target") == BASE + "id/annotation/a-1"
    annotation = next(d for d in graph.documents if "/id/annotation/" in d)
    subjects = {t.subject.value for t in graph.describe(annotation)}
    assert annotation in subjects and annotation + "#target" in subjects
    assert ONTOLOGY_IRI in graph.documents
    assert all(d.startswith(BASE) or d == ONTOLOGY_IRI for d in graph.documents)


def test_labels_and_values(graph):
    assert graph.label(OPENAI) == "OpenAI"
    assert graph.label(BASE + "id/organization/unknown-thing") == "unknown-thing"
    assert KGO + "Organization" in graph.types(OPENAI)
    assert graph.value(OPENAI, SCHEMA + "name") == "OpenAI"


def test_evidence_is_indexed_by_what_it_supports(graph):
    evidence = graph.evidence[OPENAI]
    assert evidence and all(e.article.startswith(BASE + "id/article/") for e in evidence)
    assert all(0 <= e.start < e.end and e.exact for e in evidence)
    assert evidence == sorted(evidence, key=lambda e: (e.article, e.start, e.annotation))


def test_a_quote_is_shown_in_its_sentence(graph, renderer):
    for e in graph.evidence[OPENAI]:
        before, quote, after = renderer.sentence(e)
        assert quote == e.exact
        assert "\n" not in before + after


def test_links_to_terms(renderer):
    internal = renderer.link("index", NamedNode(OPENAI))
    assert internal == {"kind": "iri", "href": "id/organization/openai.html", "internal": True,
                        "text": "OpenAI", "title": OPENAI}
    external = renderer.link("index", NamedNode("http://www.wikidata.org/entity/Q21708200"))
    assert external["internal"] is False and external["text"] == "wd:Q21708200"
    literal = renderer.link("index", Literal("2025", datatype=NamedNode(
        "http://www.w3.org/2001/XMLSchema#gYear")))
    assert literal["datatype"] == "xsd:gYear"
    assert renderer.link("index", Literal("plain"))["datatype"] is None


def test_every_served_format_is_an_alternate_in_the_preferred_order():
    assert sorted(f.name for f in REPRESENTATIONS) == sorted(f.name for f in SERVED)
    assert [f.name for f in REPRESENTATIONS] == ["turtle", "jsonld", "ntriples", "rdfxml"]
    assert alternates("openai")[0] == ("openai.ttl", "text/turtle")


def test_each_representation_is_the_description_and_its_inbound_links(renderer, graph):
    for fmt in REPRESENTATIONS:
        body = renderer.rdf(OPENAI, fmt)
        parsed = {q.triple for q in ox.parse(body, format=fmt.oxigraph, base_iri=BASE)}
        assert parsed == set(graph.representation(OPENAI)), fmt.name
        assert parsed > set(graph.describe(OPENAI)), "and the triples that point to it"


def test_embedded_jsonld_cannot_close_its_script(renderer):
    script = Literal("</script><script>alert(1)</script>")
    triples = [*renderer.graph.describe(OPENAI)[:1],
               Triple(NamedNode(OPENAI), NamedNode(SCHEMA + "x"), script)]
    text = renderer.embedded_jsonld(triples)
    assert "</" not in text and "alert(1)" in text


def test_short_names_fall_back_to_the_iri():
    short = short_names({"kgo": KGO})
    assert short(KGO + "Agreement") == "kgo:Agreement"
    assert short("http://other.example/x") == "http://other.example/x"


@pytest.mark.parametrize("text", ["<!--<script> x", "</script><script>alert(1)</script>",
                                  "]]> & &amp;", "<![CDATA[", "a > b", "\u2028\u2029"])
def test_embedded_jsonld_writes_no_markup(renderer, text):
    triples = [Triple(NamedNode(OPENAI), NamedNode(SCHEMA + "description"), Literal(text))]
    script = renderer.embedded_jsonld(triples)
    assert not set("<>&") & set(script)
    assert json.loads(script)["@graph"][0]["schema:description"] == text


def test_script_safe_keeps_the_json():
    text = json.dumps({"a": "<!-- </script> & >", "b": ["<", 1]})
    assert json.loads(script_safe(text)) == json.loads(text)


@pytest.mark.parametrize("iri", ["javascript:alert(document.domain)", "data:text/html,x",
                                 "file:///etc/passwd", "urn:isbn:0451450523",
                                 "mailto:a@example.org", "vbscript:x"])
def test_only_http_iris_are_links(renderer, iri):
    value = renderer.link("index", NamedNode(iri))
    assert value["href"] is None and value["internal"] is False and value["title"] == iri
    html = renderer.env.get_template("resource.html").module.value(value)
    assert "<a " not in str(html) and "href" not in str(html)


def test_a_web_iri_is_an_external_link(renderer):
    value = renderer.link("index", NamedNode("https://www.theverge.com/x"))
    assert value["href"] == "https://www.theverge.com/x"
    assert 'rel="external"' in str(renderer.env.get_template("resource.html").module.value(value))


def test_a_page_never_links_a_javascript_iri(seed_dataset):
    quads = [*seed_dataset[1], ox.Quad(NamedNode(OPENAI), NamedNode(SCHEMA + "url"),
                                       NamedNode("javascript:alert(1)"),
                                       NamedNode(BASE + "graph/x/facts"))]
    page = Renderer(Graph(quads, ontology_triples(), BASE),
                    {**seed_dataset[2], "kgo": KGO}).resource_page(OPENAI).decode("utf-8")
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page


# ------------------------------------------------------------------ agreement histories

PARTNERSHIP = BASE + "id/agreement/microsoft-openai-partnership"


def test_an_agreement_history_is_the_example_query_on_the_graphs(graph):
    history = graph.history(PARTNERSHIP)
    assert [(r["when"].value, r["change"].value, r["subject"].value.rsplit("/", 1)[1])
            for r in history][:4] == [
        ("2025-01-21", "begun by", "right-of-first-refusal-on-new-capacity"),
        ("2025-01-21", "ended by", "azure-compute-exclusivity"),
        ("2025-01-21", "ends", "azure-compute-exclusivity"),
        ("2025-01-21", "supersedes", "right-of-first-refusal-on-new-capacity")]
    assert graph.history(BASE + "id/agreement/stargate") == []
    assert graph.history(OPENAI) == []


def test_an_agreement_page_shows_what_each_article_said_when(renderer):
    page = renderer.resource_page(PARTNERSHIP).decode("utf-8")
    history = page[page.index('<section class="history"'):page.index("</section>",
                                                                        page.index("History"))]
    assert history.count("<tr><td>") == 6
    assert "<tr><td>2025-01-21</td>" in history and "<small>ended by</small>" in history
    assert ('<a href="../article/verge-2025-01-21-microsoft-openai-compute.html"' in history
            and "<small>(2025-01-21)</small>" in history)
    assert "<q>Prior to today’s change, OpenAI was locked into using" in history
    assert 'class="history"' not in renderer.resource_page(OPENAI).decode("utf-8")
    no_history = renderer.resource_page(BASE + "id/agreement/stargate").decode("utf-8")
    assert 'class="history"' not in no_history


def test_the_history_of_the_six_articles_names_each_article(corpus_built):
    from kg.formats import read

    quads = read([corpus_built / "graph.trig"])
    graph = Graph(quads, ontology_triples(), BASE)
    page = Renderer(graph, {"kgo": KGO}).resource_page(PARTNERSHIP).decode("utf-8")
    history = page[page.index('<section class="history"'):]
    for slug, published in [("verge-2025-01-21-microsoft-openai-compute", "2025-01-21"),
                            ("hsj-2025-09-11-oracle-openai-compute-contract", "2025-09-11"),
                            ("hsj-2025-09-12-microsoft-openai-memorandum", "2025-09-12")]:
        assert f"../article/{slug}.html" in history and f"({published})" in history
    # The Oracle article's account of the exclusivity: it ended in January.
    assert "<q>Microsoft was its exclusive cloud provider until January</q>" in history
    assert history.index("<td>2025-01</td>") < history.index("<td>2025-01-21</td>") \
        < history.index("<td>2030</td>")
