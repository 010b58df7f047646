"""The static site: a page and four RDF files per resource, each isomorphic to its description;
`publish` from a built folder and from sources."""

from __future__ import annotations

import json
import posixpath
import re
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import InputError, OutputError
from kg.namespaces import KGO, ONTOLOGY_IRI, OWL, PROV, RDF
from kg.pages import Graph, Paths
from kg.resources import ontology_triples
from kg.site import PublishResult, build_site, dataset_base, publish, published, write_site

BASE = "https://kg.example.org/"
SEED_SLUG = "verge-2025-01-21-microsoft-openai-compute"
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".jsonld": ox.RdfFormat.JSON_LD,
           ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML}


@pytest.fixture(scope="module")
def site(seed_dataset) -> dict[str, bytes]:
    _, quads, table = seed_dataset
    return build_site(quads, table, BASE)


@pytest.fixture(scope="module")
def graph(seed_dataset) -> Graph:
    """The graph of the site: the seed as published, with its article's rights statement."""
    return Graph(published(seed_dataset[1]), ontology_triples(), BASE)


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alternates, self.links, self.sources, self.ids = [], [], [], set()
        self.scripts, self._in_ld, self.jsonld, self.marks = [], False, [], 0
        self.styles = 0

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
            self.scripts.append(a.get("type") if "src" not in a else "src")
            self._in_ld = a.get("type") == "application/ld+json"
        if tag == "style" or "style" in a:
            self.styles += 1
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


def canonical(statements) -> set:
    """The triples with their blank nodes named canonically (RDFC-1.0): equal sets are
    isomorphic graphs."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in statements)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {q.triple for q in dataset}


def expected_representation(document: str, quads, graph: Graph) -> set:
    """What a data document's RDF holds, worked out from the quads alone: the triples about
    it and its hash resources, the triples pointing at them, a named graph's own triples."""
    def doc(term) -> str | None:
        return term.value.split("#")[0] if isinstance(term, ox.NamedNode) else None

    every = {q.triple for q in quads} | set(ontology_triples())
    return ({t for t in every if doc(t.subject) == document or doc(t.object) == document}
            | {q.triple for q in quads if q.graph_name == ox.NamedNode(document)})


def test_every_representation_is_the_description_and_its_inbound_links(site, graph,
                                                                       seed_dataset):
    paths = Paths(BASE)
    for document in graph.documents:
        if document.startswith(ONTOLOGY_IRI):
            continue  # each ontology file whole: test_the_ontology_is_served_whole
        expected = expected_representation(document, graph.quads, graph)
        assert set(graph.describe(document)) <= expected
        for suffix, fmt in FORMATS.items():
            written = site[f"{paths.path(document)}{suffix}"]
            assert triples(written, fmt) == expected, (document, suffix)


def test_a_resource_rdf_links_back_to_what_points_at_it(site):
    openai = triples(site["id/organization/openai.ttl"], ox.RdfFormat.TURTLE)
    points_in = {(t.subject.value, t.predicate.value) for t in openai
                 if t.object == ox.NamedNode(BASE + "id/organization/openai")}
    assert (BASE + "id/agreement/microsoft-openai-partnership", KGO + "hasParty") in points_in
    assert (BASE + "id/agreement/stargate", KGO + "hasMember") in points_in
    assert any(p == "http://www.w3.org/ns/oa#hasBody" for _, p in points_in), "its evidence"


def test_a_named_graph_dereferences_to_its_content(site, seed_dataset):
    for part in ("facts", "provenance"):
        name = ox.NamedNode(f"{BASE}graph/{SEED_SLUG}/{part}")
        content = {q.triple for q in published(seed_dataset[1]) if q.graph_name == name}
        assert len(content) > 300
        for suffix, fmt in FORMATS.items():
            written = triples(site[f"graph/{SEED_SLUG}/{part}{suffix}"], fmt)
            assert content <= written, (part, suffix)
            assert ox.Triple(name, ox.NamedNode(RDF + "type"),
                             ox.NamedNode(PROV + "Entity")) in written, "and what it is"
        page = site[f"graph/{SEED_SLUG}/{part}.html"].decode("utf-8")
        assert f"This named graph holds {len(content)} triples" in page
        embedded = triples(parse_page(page.encode()).jsonld[0].encode(), ox.RdfFormat.JSON_LD)
        assert len(embedded) < 20, "the page embeds what is said of the graph, not all of it"


ONTOLOGY_FILES = {"kg.ttl": (ONTOLOGY_IRI, ONTOLOGY_IRI + "/0.1.0"),
                  "alignments.ttl": (ONTOLOGY_IRI + "/alignments",
                                     ONTOLOGY_IRI + "/alignments/0.1.0")}


@pytest.mark.parametrize("name", sorted(ONTOLOGY_FILES))
def test_the_ontology_is_served_whole_at_its_iri_and_its_version_iri(site, name):
    from kg.resources import data_dir

    path = data_dir("ontology") / name
    whole = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    file_triples = canonical(q.triple for q in whole)
    iri, version = ONTOLOGY_FILES[name]
    assert ox.Triple(ox.NamedNode(iri), ox.NamedNode(OWL + "versionIRI"),
                     ox.NamedNode(version)) in {q.triple for q in whole}
    paths = Paths(BASE)
    for document in (iri, version):
        for suffix, fmt in FORMATS.items():
            written = site[f"{paths.path(document)}{suffix}"]
            assert canonical(triples(written, fmt)) == file_triples, (document, suffix)
        assert f"{paths.path(document)}.html" in site
    if name == "kg.ttl":  # what it lacked: the disjointness axioms and OWL 2 DL declarations
        served = triples(site["ontology.ttl"], ox.RdfFormat.TURTLE)
        assert any(t.object == ox.NamedNode(OWL + "AllDisjointClasses") for t in served)
        assert any(isinstance(t.subject, ox.NamedNode) and not t.subject.value.startswith(
            ONTOLOGY_IRI) for t in served)


def test_the_ontology_page_has_a_table_of_contents(site, graph):
    for name in ("ontology.html", "ontology/0.1.0.html"):
        text = site[name].decode("utf-8")
        page = parse_page(site[name])
        start = text.index('<nav class="toc"')
        toc = text[start:text.index("</nav>", start)]
        targets = set(re.findall(r'href="#([^"]+)"', toc))
        terms = {t.subject.value.split("#")[1] for t in graph.describe(ONTOLOGY_IRI)
                 if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(KGO)}
        assert terms <= targets, terms - targets
        assert {"section-classes", "section-properties", "section-shapes"} <= targets
        assert targets <= page.ids, targets - page.ids
        assert "<h1>kg ontology</h1>" in text


def test_embedded_jsonld_is_the_description_and_links_are_alternates(site, graph):
    paths = Paths(BASE)
    for document in graph.documents:
        path = paths.path(document)
        page = parse_page(site[f"{path}.html"])
        (block,) = page.jsonld
        doc = json.loads(block)
        assert isinstance(doc["@context"], dict), "inline context, nothing to fetch"
        assert canonical(triples(block.encode("utf-8"), ox.RdfFormat.JSON_LD)) == canonical(
            graph.representation(document, content=False)), document
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
        # The policy is script-src 'self'; style-src 'self': no inline script but JSON-LD, a
        # script only from a file of the site, no <style> and no style= attributes.
        assert set(page.scripts) <= {"application/ld+json", "src"}, name
        assert page.styles == 0, name
        for source in page.sources:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), source))
            assert target in site, (name, source)
    assert b"@import" not in site["style.css"] and b"url(" not in site["style.css"]


def test_internal_links_resolve_to_files_of_the_site(site):
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
    assert ("<mark>Microsoft and OpenAI announced Tuesday that they have adjusted their "
            "partnership</mark>") in page
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
    n = len({q.triple for q in published(seed_dataset[1])})
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
    from kg import webconfig

    assert b"RewriteRule" in site[".htaccess"] and b"text/turtle" in site[".htaccess"]
    assert {name: site[name] for name in webconfig.files()} == webconfig.files()


def test_site_is_deterministic(seed_dataset):
    _, quads, table = seed_dataset
    assert build_site(quads, table, BASE) == build_site(list(reversed(quads)), table, BASE)


def test_publish_cli_writes_the_site_and_replaces_it_whole(tmp_path, built):
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old")
    result = CliRunner().invoke(main, ["publish", str(built), "--out", str(out)])
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
    with pytest.raises(OutputError, match="nothing was changed"):
        write_site({"a.html": b"1", "b.html": b"2", "c.html": b"3", "index.html": b"new"}, out)
    assert (out / "index.html").read_text() == "old index"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "no staging folder left"


# ------------------------------------------------------------------ publish


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def from_built(built, tmp_path_factory) -> tuple[PublishResult, Path]:
    out = tmp_path_factory.mktemp("published") / "site"
    return publish(built, out), out


def test_publish_from_a_built_folder_is_the_site_of_its_dataset(from_built, site):
    result, out = from_built
    written = files(out)
    assert written == site, "the same files as the site built from the seed in memory"
    assert (result.pages, result.files) == (sum(1 for p in site if p.endswith(".html")), len(site))
    assert result.bytes == sum(len(c) for c in site.values())


def test_publish_from_sources_writes_the_same_files(from_built, tmp_path):
    from conftest import SEEDS

    result = publish([SEEDS], tmp_path / "site")
    assert result == from_built[0]
    assert files(tmp_path / "site") == files(from_built[1])


def test_publish_from_a_built_folder_does_not_build_or_validate(built, tmp_path, monkeypatch):
    import kg.site

    def refuse(*args, **kwargs):
        raise AssertionError("a built folder is published as it stands")

    monkeypatch.setattr(kg.site, "load_dataset", refuse)
    monkeypatch.setattr(kg.site, "validate", refuse)
    assert publish(built, tmp_path / "site").pages > 100


def test_publish_from_sources_validates_first(tmp_path, monkeypatch):
    import kg.site

    class Failed:
        conforms, results = False, ["a violation"]

    monkeypatch.setattr(kg.site, "validate", lambda quads: Failed())
    with pytest.raises(kg.ValidationFailed):
        publish(None, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_the_base_iri_of_a_built_folder_comes_from_its_graph_names(tmp_path):
    other = "https://data.example.com/deals/"
    kg.build(out=tmp_path / "out", base_iri=other)
    publish(tmp_path / "out", tmp_path / "site")
    page = (tmp_path / "site" / "id" / "organization" / "openai.ttl").read_bytes()
    subjects = {t.subject.value for t in triples(page, ox.RdfFormat.TURTLE)}
    assert other + "id/organization/openai" in subjects
    assert all(s.startswith(other + "id/") for s in subjects), "inbound links under it too"
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text()
    assert f"<loc>{other}index.html</loc>" in sitemap


def test_dataset_base_needs_article_graphs():
    quad = ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.NamedNode("http://a/o"))
    with pytest.raises(InputError, match="--base-iri"):
        dataset_base([quad])
    named = ox.Quad(quad.subject, quad.predicate, quad.object,
                    ox.NamedNode("https://x.example/kg/graph/a-1/provenance"))
    assert dataset_base([quad, named]) == "https://x.example/kg/"


def test_publish_names_a_missing_source(tmp_path):
    with pytest.raises(InputError, match="kg build") as info:
        publish(tmp_path / "nothing", tmp_path / "site")
    assert info.value.path == str(tmp_path / "nothing")


def test_publish_cli_defaults_to_the_built_folder_out(built, tmp_path, monkeypatch):
    import shutil

    shutil.copytree(built, tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["publish"])
    assert result.exit_code == 0, result.output
    assert "in site/" in result.output and (tmp_path / "site" / "index.html").is_file()


def test_publish_cli_without_a_built_folder_fails_with_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["publish"])
    assert result.exit_code == 2
    assert "kg build" in result.output


def test_publish_cli_builds_several_sources(tmp_path):
    from conftest import SEEDS

    pair = sorted(SEEDS.glob("*.txt"))[0]
    result = CliRunner().invoke(main, ["publish", str(pair), str(pair.with_suffix(".yaml")),
                                       "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "id" / "organization" / "openai.html").is_file()


def test_write_site_refuses_kg_own_folders(tmp_path):
    root = Path(__file__).resolve().parent.parent
    for folder in ("ontology", "seeds", "."):
        with pytest.raises(OutputError, match="refused as an output folder"):
            write_site({"index.html": b"x"}, root / folder)


def test_concurrent_publishes_never_mix(tmp_path):
    out = tmp_path / "site"
    sites = {label: {f"{d}/{n}.html": f"{label}{d}{n}".encode() for d in "xyz" for n in range(20)}
             for label in "ab"}
    for _ in range(10):
        writers = [threading.Thread(target=write_site, args=(sites[label], out)) for label in "ab"]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=60)
        found = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert found in (sites["a"], sites["b"])
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# ------------------------------------------------------------------ rights and counts

ARTICLE = f"id/article/{SEED_SLUG}"
DCTERMS = "http://purl.org/dc/terms/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def void_licenses(content: bytes) -> set[str]:
    return {t.object.value for t in triples(content, ox.RdfFormat.TURTLE)
            if t.predicate.value == DCTERMS + "license"}


def test_the_code_is_mit_licensed():
    import tomllib

    root = Path(__file__).resolve().parent.parent
    assert tomllib.loads((root / "pyproject.toml").read_text())["project"]["license"] == "MIT"
    text = (root / "LICENSE").read_text()
    assert text.startswith("MIT License\n") and "Permission is hereby granted" in text


def test_the_dataset_license_is_cc_by_unless_publish_is_told(site, built, tmp_path):
    assert void_licenses(site["void.ttl"]) == {"https://creativecommons.org/licenses/by/4.0/"}
    result = CliRunner().invoke(main, ["publish", str(built), "--out", str(tmp_path / "site"),
                                       "--license", CC0])
    assert result.exit_code == 0, result.output
    assert void_licenses((tmp_path / "site" / "void.ttl").read_bytes()) == {CC0}
    for page in ("index.html", "id/organization/openai.html"):
        assert f'<a href="{CC0}" rel="license">' in (tmp_path / "site" / page).read_text()
    assert 'rel="license">https://creativecommons.org/licenses/by/4.0/</a>' in site[
        "index.html"].decode("utf-8")


def test_a_license_that_is_no_iri_is_refused_before_any_work(built, tmp_path):
    result = CliRunner().invoke(main, ["publish", str(built), "--out", str(tmp_path / "site"),
                                       "--license", "CC-BY"])
    assert result.exit_code == 2 and "--license" in result.output
    assert not (tmp_path / "site").exists()


def test_the_article_text_carries_its_publisher_rights(site):
    article = triples(site[f"{ARTICLE}.ttl"], ox.RdfFormat.TURTLE)
    (rights,) = [t.object.value for t in article if t.predicate.value == DCTERMS + "rights"]
    assert "© The Verge, its publisher" in rights and "not under the dataset's license" in rights
    assert not any(t.predicate.value == DCTERMS + "license" for t in article)
    assert "© The Verge, its publisher" in site[f"{ARTICLE}.html"].decode("utf-8")
    trig = site["download/graph.trig"].decode("utf-8")
    assert "© The Verge, its publisher" in trig, "in the downloads too"


def unquoted_passage(graph: Graph) -> str:
    """A passage of the seed article's text that no quote holds, nor its selector's context,
    nor the headline."""
    article = BASE + ARTICLE
    text = graph.value(article, "https://schema.org/text")
    quoted = sorted((e.start, e.end) for ev in graph.evidence.values() for e in ev
                    if e.article == article)
    covered = [False] * len(text)
    for start, end in quoted:  # a selector's oa:prefix and oa:suffix hold 32 characters more
        covered[max(start - 40, 0):end + 40] = [True] * (min(end + 40, len(text))
                                                        - max(start - 40, 0))
    runs = re.finditer(r"[A-Za-z][A-Za-z ,]{40,}", text)
    # The headline is the text's first line; a quoted sentence may stand twice in the text.
    published = [graph.label(article)] + [e.exact for ev in graph.evidence.values() for e in ev]
    return next(m.group() for m in runs if not any(covered[m.start():m.end()])
                and not any(m.group() in p for p in published))


def test_publish_can_omit_the_article_text_and_keep_the_quotes(built, graph, tmp_path):
    passage = unquoted_passage(graph)
    full = publish(built, tmp_path / "full")
    assert passage.encode() in (tmp_path / "full" / f"{ARTICLE}.ttl").read_bytes()
    result = CliRunner().invoke(main, ["publish", str(built), "--out", str(tmp_path / "site"),
                                       "--article-text", "omit"])
    assert result.exit_code == 0, result.output
    written = files(tmp_path / "site")
    assert set(written) == set(files(tmp_path / "full")), "the same files"
    for name, content in written.items():
        assert passage.encode() not in content, name
        suffix = "." + name.rsplit(".", 1)[-1]
        if suffix in FORMATS and not name.startswith("ontology"):
            assert not any(t.predicate.value == "https://schema.org/text"
                           for t in triples(content, FORMATS[suffix])), name
    article = triples(written[f"{ARTICLE}.ttl"], ox.RdfFormat.TURTLE)
    assert any(t.predicate.value == DCTERMS + "rights" for t in article)
    quotes = {t.object.value for t in triples(written["download/graph.nt"],
                                               ox.RdfFormat.N_TRIPLES)
              if t.predicate.value == "http://www.w3.org/ns/oa#exact"}
    assert len(quotes) > 30, "the evidence selectors stay"
    page = parse_page(written["id/organization/openai.html"])
    assert page.marks == len(graph.evidence[BASE + "id/organization/openai"])
    openai = written["id/organization/openai.html"].decode("utf-8")
    assert ("<blockquote><mark>Microsoft and OpenAI announced Tuesday that they have adjusted "
            "their partnership</mark></blockquote>") in openai, "the quote alone"
    assert "Article text with its evidence" not in written[f"{ARTICLE}.html"].decode("utf-8")
    assert f"kg publish: {full.pages} pages" in result.output


def test_a_wrong_article_text_choice_is_refused():
    with pytest.raises(InputError, match="--article-text"):
        publish(None, "unused", article_text="summary")


def test_the_index_counts_as_the_build_does(site):
    from conftest import SEED_COUNTS

    page = site["index.html"].decode("utf-8")
    shown = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', page))
    build_names = {"evidence quotes": "evidence annotations"}
    for name, n in shown.items():
        if name != "triples":
            assert int(n) == SEED_COUNTS[build_names.get(name, name)], name
    assert shown["organizations"] == "8", "Stargate is an agreement, typed kgo:Organization too"
    assert {"articles", "organizations", "people", "products", "agreements", "clauses",
            "events", "evidence quotes"} <= set(shown)
