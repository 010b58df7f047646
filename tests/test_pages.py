"""The pages of the site piece by piece: paths and links, the indexed graph, evidence, rendering."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
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
from kg.site import publish

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


# ------------------------------------------------------------------ the corpus site: lists,
# the timeline and the search, on the published seed and on `kg build seeds/ examples/`

CLASS_LISTS = ("organization", "person", "product", "agreement", "clause", "event", "article")
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", SCHEMA + "name", SCHEMA + "headline")
TIME = "http://www.w3.org/2006/time#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
DATES = ("inXSDDate", "inXSDgYearMonth", "inXSDgYear")


class SiteParser(HTMLParser):
    """The links of a page, each with the id of the section it is in and its text; the rows of
    its timeline table; its scripts and its search box."""

    def __init__(self):
        super().__init__()
        self.section, self.links, self.rows, self.scripts, self.inputs = None, [], [], [], {}
        self._link, self._row, self._cell = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id")
        elif tag == "a" and "href" in a:
            self._link = {"section": self.section, "href": a["href"], "text": ""}
        elif tag == "script":
            self.scripts.append(a.get("src"))
        elif tag == "input" and "id" in a:
            self.inputs[a["id"]] = a
        elif tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = {"text": "", "links": []}
        elif tag == "time" and self._cell is not None:
            self._cell["datetime"] = a.get("datetime")

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append(self._link)
            if self._cell is not None:
                self._cell["links"].append(self._link)
            self._link = None
        elif tag == "td" and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None
        elif tag == "section":
            self.section = None

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data
        if self._cell is not None:
            self._cell["text"] += data


def parse_site_page(path: Path) -> SiteParser:
    parser = SiteParser()
    parser.feed(path.read_text("utf-8"))
    return parser


def resolve(folder: Path, page: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))


@pytest.fixture(scope="module", params=["seed", "corpus"])
def published_site(request, tmp_path_factory) -> tuple[Path, ox.Store]:
    """(the folder `kg publish` wrote, a store of the dataset it was made from): the seed
    (`kg build`) and the six articles (`kg build seeds/ examples/`)."""
    built = request.getfixturevalue("built" if request.param == "seed" else "corpus_built")
    out = tmp_path_factory.mktemp(f"site-{request.param}") / "site"
    publish(built, out)
    store = ox.Store()
    store.bulk_load(path=str(built / "graph.trig"), format=ox.RdfFormat.TRIG)
    return out, store


def select(store: ox.Store, query: str) -> list[tuple]:
    results = store.query(query, use_default_graph_as_union=True)
    return [tuple(s[v.value] for v in results.variables) for s in results]


def labels(store: ox.Store) -> dict[str, str]:
    """IRI -> its label as the site gives it: rdfs:label, else schema:name, else headline."""
    found: dict[str, dict[str, str]] = {}
    for s, p, o in select(store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?s) && "
                          "isLiteral(?o) && ?p IN (" + ", ".join(f"<{p}>" for p in LABELS)
                          + ")) }"):
        found.setdefault(s.value, {}).setdefault(p.value, o.value)
    return {s: next(by[p] for p in LABELS if p in by) for s, by in found.items()}


def minted(store: ox.Store, kind: str) -> set[str]:
    prefix = BASE + f"id/{kind}/"
    return {s.value for (s,) in select(store, "SELECT DISTINCT ?s WHERE { ?s a ?t }")
            if isinstance(s, NamedNode) and s.value.startswith(prefix) and "#" not in s.value}


def page_of(iri: str) -> str:
    return iri[len(BASE):] + ".html"


def test_the_index_lists_every_entity_of_each_class_sorted_and_linked(published_site):
    folder, store = published_site
    index = parse_site_page(folder / "index.html")
    names = labels(store)
    for kind in CLASS_LISTS:
        links = [link for link in index.links if link["section"] == f"{kind}-list"]
        expected = minted(store, kind)
        assert expected, kind
        assert {resolve(folder, "index.html", link["href"]) for link in links} == {
            page_of(iri) for iri in expected}, kind
        assert len(links) == len(expected), kind
        for link in links:
            assert (folder / resolve(folder, "index.html", link["href"])).is_file(), link
        texts = [link["text"] for link in links]
        assert texts == sorted((names[i] for i in expected), key=lambda t: (t.casefold(), t))
        assert texts == sorted(texts, key=lambda t: (t.casefold(), t)), kind


def event_dates(store: ox.Store) -> dict[str, str]:
    """Event -> the lexical form of its date: its time:hasTime instant's, or the beginning's
    of its interval."""
    found: dict[str, str] = {}
    for name in DATES:
        for event, date in select(store, f"""
                PREFIX time: <{TIME}>
                SELECT ?e ?d WHERE {{ ?e a <{KGO}Event> ; time:hasTime ?t .
                  {{ ?t time:{name} ?d }} UNION {{ ?t time:hasBeginning/time:{name} ?d }} }}"""):
            found.setdefault(event.value, date.value)
    return found


def test_the_timeline_orders_the_events_by_date_then_the_undated_by_label(published_site):
    folder, store = published_site
    assert 'href="timeline.html"' in (folder / "index.html").read_text("utf-8")
    rows = parse_site_page(folder / "timeline.html").rows
    events = minted(store, "event")
    names, dates = labels(store), event_dates(store)
    assert len(rows) == len(events)
    shown = []
    for date_cell, event_cell, article_cell in rows:
        (link,) = event_cell["links"]
        page = resolve(folder, "timeline.html", link["href"])
        event = BASE + page.removesuffix(".html")
        assert event in events and (folder / page).is_file()
        assert link["text"] == names[event]
        assert date_cell.get("datetime") == dates.get(event)
        if event in dates:
            assert date_cell["text"].startswith(dates[event]), "the date as written"
        reported = {BASE + resolve(folder, "timeline.html", a["href"]).removesuffix(".html")
                    for a in article_cell["links"]}
        derived = {o.value for (o,) in select(
            store, f"SELECT ?a WHERE {{ <{event}> <{PROV_DERIVED}> ?a }}")}
        assert reported and reported == derived, event
        assert all((folder / page_of(a)).is_file() for a in reported)
        shown.append(event)
    key = {e: (e not in dates, dates.get(e, ""), names[e].casefold(), names[e]) for e in events}
    assert [key[e][:3] for e in shown] == sorted(key[e][:3] for e in events)


def test_the_seed_timeline_in_order(built, tmp_path):
    publish(built, tmp_path / "site")
    rows = parse_site_page(tmp_path / "site" / "timeline.html").rows
    got = [(r[0].get("datetime"), r[1]["links"][0]["text"]) for r in rows]
    assert got[:4] == [
        ("2024-03", "Microsoft hires Mustafa Suleyman and most of Inflection's staff"),
        ("2024-06", "OpenAI partners with Oracle for compute"),
        ("2025-01-21", "Microsoft and OpenAI announce changes to their partnership"),
        ("2025-01-21", "OpenAI considers dropping the AGI provision")]
    assert "Last March" in rows[0][0]["text"], "the article's own words"
    assert [d for d, _ in got[4:]] == [None] * 5
    assert [t for _, t in got[4:]] == sorted(t for _, t in got[4:])


def test_the_corpus_timeline_puts_a_year_before_its_months_and_spans_by_their_start(
        corpus_built, tmp_path):
    publish(corpus_built, tmp_path / "site")
    rows = parse_site_page(tmp_path / "site" / "timeline.html").rows
    got = [(r[0].get("datetime"), r[1]["links"][0]["text"]) for r in rows]
    dated = [d for d, _ in got if d]
    assert dated == sorted(dated) and dated[0] == "2012"
    assert dated.index("2024") < dated.index("2024-03") < dated.index("2024-06")
    assert ("2026-07", "First racks go into OpenAI's facilities and partner data centers") in got
    assert got.index(("2025-03-18", "Google and Wiz announce the deal")) < got.index(
        ("2025-06-12", "Meta and Scale AI confirm the deal"))


def test_search_json_holds_every_labelled_resource_with_a_working_path(published_site):
    folder, store = published_site
    items = json.loads((folder / "search.json").read_text("utf-8"))
    assert isinstance(items, list)
    for item in items:
        assert set(item) >= {"label", "alternates", "class", "path"}
        assert isinstance(item["alternates"], list)
        assert (folder / item["path"].split("#")[0]).is_file(), item
    held: dict[str, set[str]] = {}
    for i in items:
        held.setdefault(i["path"].split("#")[0], set()).update([i["label"], *i["alternates"]])
    for iri, label in labels(store).items():
        if iri.startswith(BASE):
            assert label in held.get(iri.split("#")[0][len(BASE):] + ".html", ()), iri
    ontology = {i["path"] for i in items if i["path"].startswith("ontology.html#")}
    assert "ontology.html#Agreement" in ontology
    by_label = {i["label"]: i for i in items}
    assert by_label["OpenAI"]["class"] == "organization"
    assert [i["label"].casefold() for i in items] == sorted(i["label"].casefold() for i in items)


def test_search_js_is_a_file_of_the_site_referenced_by_the_index(published_site):
    folder, _ = published_site
    index = parse_site_page(folder / "index.html")
    assert [resolve(folder, "index.html", s) for s in index.scripts if s] == ["search.js"]
    assert index.inputs["search"]["type"] == "search"
    script = (folder / "search.js").read_text("utf-8")
    assert "search.json" in script and "toLowerCase" in script
    assert "innerHTML" not in script and "eval(" not in script, "no markup from the data"
    assert not re.search(r"https?://", script), "nothing loaded from elsewhere"
    sitemap = (folder / "sitemap.xml").read_text("utf-8")
    assert "timeline.html" in sitemap


def test_kg_serve_serves_the_search_script_and_index_with_their_types(built):
    from test_server import kg_server

    with kg_server(built) as base:
        script = httpx.get(base + "/search.js", timeout=10)
        assert script.status_code == 200
        assert script.headers["content-type"].split(";")[0] == "text/javascript"
        assert script.headers["x-content-type-options"] == "nosniff"
        index = httpx.get(base + "/search.json", timeout=10)
        assert index.status_code == 200
        assert index.headers["content-type"].split(";")[0] == "application/json"
        assert isinstance(index.json(), list)
