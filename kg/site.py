"""The static linked-data site: every page and representation of the dataset, the index, the
ontology, VoID, a sitemap and the web server configurations; and `publish`, which writes it.

Modules of the site: kg.sitegraph says what each document holds, kg.pages renders the pages,
kg.network draws the index's picture, kg.rights holds the license and rights choices,
kg.webconfig writes the Apache and nginx configurations; kg.server serves the same site.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from pyoxigraph import Literal, NamedNode, Quad

from kg import export, outdir, webconfig
from kg.errors import InputError, OutputError
from kg.formats import BY_NAME, EXPORTED, read
from kg.iris import check_base_iri, parse_article_graph, parse_id, prefixes
from kg.namespaces import (
    DCAT,
    DCTERMS,
    KGO,
    OA,
    ONTOLOGY_IRI,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    TIME,
    VOID,
    XSD,
)
from kg.network import network_svg
from kg.pages import REPRESENTATIONS, TEMPLATES, Graph, Renderer
from kg.pipeline import load_dataset, with_sources
from kg.resources import ontology_triples
from kg.rights import ARTICLE_TEXT, DEFAULT_LICENSE, check_license, rights_statement
from kg.validation import ValidationFailed, shape_messages, validate

DOWNLOADS = [(f"graph{f.extension}", f.media_type) for f in EXPORTED] + [
    ("context.jsonld", "application/ld+json"), ("kg.ttl", "text/turtle"),
    ("alignments.ttl", "text/turtle")]
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
DATASET_FILE = "graph.trig"  # what `kg build` writes and the site is made from


@dataclass
class PublishResult:
    """What `publish` wrote: HTML pages, files in all, and their bytes."""

    pages: int
    files: int
    bytes: int


def publish(source: str | os.PathLike | Iterable[str | os.PathLike] | None = "out",
            out: str | os.PathLike = "site", *, base_iri: str | None = None,
            license: str | None = None, article_text: str = "full") -> PublishResult:
    """Write the static site of a dataset into `out`, replacing the folder whole.

    `source` is a folder built by `kg build` (holding graph.trig): the site is made from that
    dataset as it stands, with the base IRI of its graph names, without building or
    validating again. Anything else (article or fact sheet files, folders of them, several
    of either; None for the shipped seed) is built in memory and validated first.
    `license` is the dataset's license IRI (CC BY 4.0 by default); the articles' texts keep
    their publishers' rights, and `article_text="omit"` leaves them out (the quotes stay).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kg.pipeline import build
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     work = Path(folder)
    ...     _ = build(out=work / "out")
    ...     result = publish(work / "out", work / "site")
    ...     (work / "site" / "id" / "organization" / "openai.ttl").is_file()
    True
    >>> result.pages
    115
    """
    license = check_license(license)
    published((), article_text)  # a wrong choice is an error before any work
    paths = _paths(source)
    if paths is not None and len(paths) == 1 and (paths[0] / DATASET_FILE).is_file():
        quads = read_built(paths[0])
        base = base_iri or dataset_base(quads, paths[0] / DATASET_FILE)
        table = prefixes(base)
    else:
        for path in paths or ():
            if not path.exists():
                raise InputError("no such file or folder: give a folder built by `kg build` "
                                 "(graph.trig), or articles with their fact sheets", path=path)
        _, quads, table = load_dataset(paths, base_iri)
        report = validate(quads)
        if not report.conforms:
            raise ValidationFailed(with_sources(report, paths, base_iri), "the built graph")
        base = check_base_iri(base_iri)
    site = build_site(quads, table, base, license=license, article_text=article_text)
    write_site(site, Path(out))
    return PublishResult(pages=sum(1 for p in site if p.endswith(".html")), files=len(site),
                         bytes=sum(len(c) for c in site.values()))


def _paths(source) -> list[Path] | None:
    if source is None:
        return None
    if isinstance(source, (str, os.PathLike)):
        return [Path(source)]
    return [Path(s) for s in source]


def published(quads: Iterable[Quad], article_text: str = "full") -> list[Quad]:
    """The quads as the site publishes them: each article with its rights statement (in the
    graph that holds its text), without its schema:text when article_text is 'omit'."""
    if article_text not in ARTICLE_TEXT:
        raise InputError(f"--article-text must be one of {', '.join(ARTICLE_TEXT)}")
    quads = list(quads)
    articles = {q.subject for q in quads
                if q.predicate.value == RDF + "type" and q.object.value == SCHEMA + "NewsArticle"}
    names, publishers = {}, {}
    for q in quads:
        if (q.predicate.value in (SCHEMA + "name", RDFS + "label")
                and isinstance(q.object, Literal)):
            names.setdefault(q.subject, q.object.value)
        elif q.predicate.value == SCHEMA + "publisher" and q.subject in articles:
            publishers.setdefault(q.subject, q.object)
    rights = []
    for q in quads:
        if q.subject in articles and q.predicate.value == SCHEMA + "text":
            statement = rights_statement(names.get(publishers.get(q.subject)))
            rights.append(Quad(q.subject, NamedNode(DCTERMS + "rights"),
                               Literal(statement, language="en"), q.graph_name))
    if article_text == "omit":
        quads = [q for q in quads
                 if not (q.subject in articles and q.predicate.value == SCHEMA + "text")]
    return quads + rights


def read_built(folder: Path) -> list[Quad]:
    """The dataset of a folder built by `kg build`."""
    trig = Path(folder) / DATASET_FILE
    if not trig.is_file():
        raise InputError("no built dataset here: run `kg build` first", path=trig)
    return read([trig])


def dataset_base(quads: Iterable[Quad], path: Path | None = None) -> str:
    """The base IRI a dataset was built with, from its articles' graph names."""
    for q in quads:
        found = parse_article_graph(getattr(q.graph_name, "value", ""))
        if found:
            return found[0]
    raise InputError("cannot tell the base IRI of this dataset: give --base-iri", path=path)


# The index's counts, each of the resources minted as one kind, as `kg build` counts its
# entries: Stargate, a joint venture typed kgo:Organization too, is an agreement.
COUNTED = (("articles", "article"), ("organizations", "organization"), ("people", "person"),
           ("products", "product"), ("agreements", "agreement"), ("clauses", "clause"),
           ("events", "event"), ("evidence quotes", "annotation"))


def counts(graph: Graph, triples: int) -> dict[str, int]:
    """What the site holds: the typed resources of each kind, and the dataset's triples."""
    kinds: dict[str, int] = {}
    for iri in {t.subject.value for t in graph.triples if t.predicate.value == RDF + "type"}:
        found = "#" not in iri and parse_id(iri, graph.base)  # an annotation's #target is its
        if found:
            kinds[found[0]] = kinds.get(found[0], 0) + 1
    return {**{name: kinds.get(kind, 0) for name, kind in COUNTED}, "triples": triples}


def build_site(quads: list[Quad], prefixes: dict[str, str], base: str,
               endpoint: str | None = None, *, license: str | None = None,
               article_text: str = "full") -> dict[str, bytes]:
    """Relative path -> content of every file of the site: the dataset as kg.rights publishes
    it (each article's rights statement; its text or not), under the license IRI."""
    license = check_license(license)
    quads = published(quads, article_text)
    graph = Graph(quads, ontology_triples(), base)
    renderer = Renderer(graph, {**prefixes, "kgo": KGO}, endpoint, downloads=DOWNLOADS,
                        license=license)
    site: dict[str, bytes] = {}
    shapes = shape_messages()
    for document in graph.documents:
        path = renderer.paths.path(document)
        if path is None:
            continue
        if graph.main(document) == ONTOLOGY_IRI:
            site[f"{path}.html"] = renderer.ontology_page(shapes, document)
        else:
            site[f"{path}.html"] = renderer.resource_page(document)
        for fmt in REPRESENTATIONS:
            site[f"{path}{fmt.extension}"] = renderer.rdf(document, fmt)
    numbers = counts(graph, len({q.triple for q in quads}))
    site["index.html"] = renderer.index_page(numbers, network_svg(graph, renderer.paths, "index"))
    site["timeline.html"] = renderer.timeline_page()
    site["search.json"] = renderer.search_json()
    site["style.css"] = (TEMPLATES / "style.css").read_bytes()
    site["search.js"] = (TEMPLATES / "search.js").read_bytes()
    for name, content in export.render(quads, prefixes):
        site[f"download/{name}"] = export.as_bytes(content)
    site["void.ttl"] = void(graph, base, numbers, endpoint, license)
    site["sitemap.xml"] = sitemap(site, base)
    site.update(webconfig.files())
    return site


def void(graph: Graph, base: str, numbers: dict[str, int], endpoint: str | None,
         license: str = DEFAULT_LICENSE) -> bytes:
    """VoID and DCAT description of the dataset, its distributions and vocabularies."""
    dataset = NamedNode(base + "void#dataset")
    quads = []

    def add(s, p, o):
        quads.append(Quad(s, NamedNode(p), o))

    add(dataset, RDF + "type", NamedNode(VOID + "Dataset"))
    add(dataset, RDF + "type", NamedNode(DCAT + "Dataset"))
    add(dataset, DCTERMS + "title",
        Literal("kg: corporate deals from news articles", language="en"))
    add(dataset, DCTERMS + "description", Literal(
        "Organizations, people, agreements, clauses and events reported in news articles, "
        "every fact backed by a quote from its article.", language="en"))
    add(dataset, DCTERMS + "license", NamedNode(license))
    add(dataset, DCTERMS + "rights", Literal(
        "The dataset is published under its license; the articles' texts and the quotes from "
        "them are not: each article states its own rights (dcterms:rights), its publisher's.",
        language="en"))
    add(dataset, VOID + "triples",
        Literal(str(numbers["triples"]), datatype=NamedNode(XSD + "integer")))
    add(dataset, VOID + "uriSpace", Literal(base + "id/"))
    for vocabulary in sorted({KGO, SCHEMA, ORG, OA, PROV, TIME}):
        add(dataset, VOID + "vocabulary", NamedNode(vocabulary))
    kinds = {d: (parse_id(d, base) or ("", ""))[0] for d in graph.documents}
    for example in (sorted(d for d, kind in kinds.items() if kind == "organization")[:3]
                    + sorted(d for d, kind in kinds.items() if kind == "agreement")[:2]):
        add(dataset, VOID + "exampleResource", NamedNode(example))
    if endpoint:
        add(dataset, VOID + "sparqlEndpoint", NamedNode(endpoint))
    add(dataset, VOID + "rootResource", NamedNode(base))
    for name, media in DOWNLOADS[:len(EXPORTED)]:
        dist = NamedNode(base + "void#" + name.replace(".", "-"))
        url = NamedNode(base + "download/" + name)
        add(dataset, DCAT + "distribution", dist)
        add(dataset, VOID + "dataDump", url)
        add(dist, RDF + "type", NamedNode(DCAT + "Distribution"))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "mediaType", NamedNode(IANA_MEDIA_TYPES + media))
        add(dist, DCTERMS + "format", Literal(media))
        add(dist, DCTERMS + "title", Literal(f"the whole dataset as {name}"))
    table = {"void": VOID, "dcat": DCAT, "dcterms": DCTERMS, "xsd": XSD, "rdf": RDF}
    return BY_NAME["turtle"].dumps(quads, table)


def sitemap(site: dict[str, bytes], base: str) -> bytes:
    pages = sorted(p for p in site if p.endswith(".html"))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(base + page)}</loc></url>" for page in pages]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_site(site: dict[str, bytes], out_dir: Path, wait: float = outdir.LOCK_WAIT) -> int:
    """Write the site into out_dir, replacing it whole in one step once every file is written
    (kg.outdir: a staging folder beside it, one writer at a time, nothing left on errors)."""
    with outdir.replacing(out_dir, command="kg publish", wait=wait) as staging:
        try:
            for name, content in site.items():
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        except OSError as exc:
            raise OutputError(f"cannot write the site, nothing was changed: {exc.strerror}",
                              path=out_dir) from None
    return len(site)
