"""The static site: a page and four RDF files per resource, each isomorphic to its description."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.namespaces import KGO, ONTOLOGY_IRI
from kg.publish import build_site, write_site
from kg.site import Graph, Paths
from kg.publish import ontology_triples

BASE = "https://kg.example.org/"
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".jsonld": ox.RdfFormat.JSON_LD,
           ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML}


@pytest.fixture(scope="module")
def site(seed_dataset) -> dict[str, bytes]:
    _, quads, table = seed_dataset
    return build_site(quads, table, BASE)


@pytest.fixture(scope="module")
def graph(seed_dataset) -> Graph:
    return Graph(seed_dataset[1], ontology_triples(), BASE)


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alternates, self.links, self.sources, self.ids = [], [], [], set()
        self.scripts, self._in_ld, self.jsonld, self.marks = [], False, [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type"), a.get("href")))
        if tag == "link" and a.get("rel") == "stylesheet":
            self.sources.append(a.get("href"))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("script", "img", "iframe", "source") and a.get("src"):
            self.sources.append(a["src"])
        if tag == "script":
            self.scripts.append(a.get("type"))
            self._in_ld = a.get("type") == "application/ld+json"
        if tag == "mark":
            self.marks += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.jsonld.append(data)


def parse_page(content: bytes) -> PageParser:
    parser = PageParser()
    parser.feed(content.decode("utf-8"))
    return parser


def triples(content: bytes, fmt) -> set:
    return {q.triple for q in ox.parse(content, format=fmt, base_iri=BASE)}


def test_every_resource_has_a_page_and_four_representations(site, graph):
    paths = Paths(BASE)
    kinds = set()
    for document in graph.documents:
        path = paths.path(document)
        assert f"{path}.html" in site, document
        for suffix in FORMATS:
            assert f"{path}{suffix}" in site, (document, suffix)
        if "/id/" in document:
            kinds.add(document.split("/id/")[1].split("/")[0])
    assert {"organization", "person", "agreement", "clause", "event", "annotation", "article",
            "product", "membership", "instant", "amount", "quantity", "role"} <= kinds


def test_every_representation_is_the_description_of_its_resource(site, graph):
    paths = Paths(BASE)
    for document in graph.documents:
        expected = set(graph.describe(document))
        assert expected
        assert all(t.subject.value.split("#")[0] == document for t in expected)
        for suffix, fmt in FORMATS.items():
            assert triples(site[f"{paths.path(document)}{suffix}"], fmt) == expected, (document, suffix)


def test_embedded_jsonld_is_the_description_and_links_are_alternates(site, graph):
    paths = Paths(BASE)
    for document in graph.documents:
        path = paths.path(document)
        page = parse_page(site[f"{path}.html"])
        (block,) = page.jsonld
        doc = json.loads(block)
        assert isinstance(doc["@context"], dict), "inline context, nothing to fetch"
        assert triples(block.encode("utf-8"), ox.RdfFormat.JSON_LD) == set(graph.describe(document))
        name = path.rsplit("/", 1)[-1]
        assert sorted(page.alternates) == sorted([
            ("text/turtle", f"{name}.ttl"), ("application/ld+json", f"{name}.jsonld"),
            ("application/n-triples", f"{name}.nt"), ("application/rdf+xml", f"{name}.rdf")])


def test_pages_fetch_nothing_from_elsewhere(site):
    for name, content in site.items():
        if not name.endswith(".html"):
            continue
        page = parse_page(content)
        assert all(not re.match(r"(https?:)?//", s) for s in page.sources), (name, page.sources)
        assert set(page.scripts) <= {"application/ld+json"}, name
    assert b"@import" not in site["style.css"] and b"url(" not in site["style.css"]


def test_internal_links_resolve_to_files_of_the_site(site):
    import posixpath

    for name, content in site.items():
        if not name.endswith(".html"):
            continue
        for href in parse_page(content).links:
            if re.match(r"[a-z]+:", href) or href.startswith("#"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), href.split("#")[0]))
            assert target in site, (name, href)


def test_resource_page_shows_properties_incoming_links_and_evidence(site):
    page = site["id/organization/openai.html"].decode("utf-8")
    assert "<h1>OpenAI</h1>" in page
    assert "wd:Q21708200" in page and 'href="http://www.wikidata.org/entity/Q21708200"' in page
    assert "Referenced by" in page and "Stargate" in page
    assert "<mark>Microsoft and OpenAI announced Tuesday that they have adjusted their partnership</mark>" in page
    assert "../article/verge-2025-01-21-microsoft-openai-compute.html#ann-" in page


def test_reported_evidence_names_its_source(site):
    page = site["id/event/relationship-strain.html"].decode("utf-8")
    assert "Reported claim, source:" in page and "The New York Times" in page


def test_article_view_marks_every_evidence_span(site, graph):
    article = "id/article/verge-2025-01-21-microsoft-openai-compute.html"
    page = parse_page(site[article])
    annotations = {e.annotation for ev in graph.evidence.values() for e in ev}
    anchors = {i for i in page.ids if i.startswith("ann-")}
    assert anchors == {"ann-" + a.rsplit("/", 1)[1] for a in annotations}
    text = site[article].decode("utf-8")
    assert text.count('class="ev ev') >= len(annotations) // 2
    assert 'class="ev ev1 reported"' in text or 'reported"' in text


def test_index_has_a_network_picture_counts_and_downloads(site):
    page = site["index.html"].decode("utf-8")
    assert "<svg" in page and "Organizations and the agreements between them" in page
    for org in ("Microsoft", "OpenAI", "Arm", "Nvidia", "Oracle", "Inflection"):
        assert f">{org}</text>" in page
    assert "<th scope=\"row\">evidence quotes</th><td>47</td>" in page
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "graph.nq"):
        assert f'href="download/{name}"' in page and f"download/{name}" in site


def test_ontology_page_documents_every_term_and_the_shapes(site, graph):
    page = parse_page(site["ontology.html"])
    terms = {t.subject.value.split("#")[1] for t in graph.describe(ONTOLOGY_IRI)
             if t.subject.value.startswith(KGO)}
    assert terms and terms <= page.ids
    text = site["ontology.html"].decode("utf-8")
    assert "fibo" in text.lower() and "shape-AgreementShape" in text
    assert "an agreement has at least two parties" in text


def test_void_describes_the_dataset(site, seed_dataset):
    void = {(t.subject.value, t.predicate.value, t.object.value)
            for t in triples(site["void.ttl"], ox.RdfFormat.TURTLE)}
    dataset = BASE + "void#dataset"
    n = len({q.triple for q in seed_dataset[1]})
    assert (dataset, "http://rdfs.org/ns/void#triples", str(n)) in void
    media = {o for s, p, o in void if p == "http://www.w3.org/ns/dcat#mediaType"}
    assert "https://www.iana.org/assignments/media-types/text/turtle" in media
    assert any(p == "http://purl.org/dc/terms/license" for s, p, o in void)
    assert any(p == "http://rdfs.org/ns/void#exampleResource" for s, p, o in void)


def test_sitemap_lists_every_page(site):
    root = ET.fromstring(site["sitemap.xml"])
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {loc.text for loc in root.iter(f"{ns}loc")}
    pages = {BASE + p for p in site if p.endswith(".html")}
    assert locations == pages


def test_server_configurations_are_shipped(site):
    assert b"RewriteRule" in site[".htaccess"] and b"text/turtle" in site[".htaccess"]
    assert b"map $http_accept $kg_suffix" in site["nginx.conf"]


def test_site_is_deterministic(seed_dataset):
    _, quads, table = seed_dataset
    assert build_site(quads, table, BASE) == build_site(list(reversed(quads)), table, BASE)


def test_publish_cli_writes_the_site_and_replaces_it_whole(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old")
    result = CliRunner().invoke(main, ["publish", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(r"kg publish: \d+ pages, \d+ files", result.output)
    assert not (out / "stale.html").exists()
    assert (out / "id" / "organization" / "microsoft.ttl").is_file()
    assert (out / "index.html").is_file() and (out / ".htaccess").is_file()


def test_failed_site_write_leaves_the_old_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old index")
    original = Path.write_bytes
    calls = {"n": 0}

    def failing(self, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    from kg.errors import OutputError

    with pytest.raises(OutputError, match="nothing was changed"):
        write_site({"a.html": b"1", "b.html": b"2", "c.html": b"3", "index.html": b"new"}, out)
    assert (out / "index.html").read_text() == "old index"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "no staging folder left"
