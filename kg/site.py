"""The static linked-data site: every page and representation of the dataset, the index, the
ontology, VoID, a sitemap and the web server configurations; and `publish`, which writes it.

Modules of the site: kg.pages renders the pages, kg.network draws the index's picture,
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
from kg.pipeline import load_dataset
from kg.resources import ontology_triples
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
            out: str | os.PathLike = "site", *, base_iri: str | None = None) -> PublishResult:
    """Write the static site of a dataset into `out`, replacing the folder whole.

    `source` is a folder built by `kg build` (holding graph.trig): the site is made from that
    dataset as it stands, with the base IRI of its graph names, without building or
    validating again. Anything else (article or fact sheet files, folders of them, several
    of either; None for the shipped seed) is built in memory and validated first.

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
    112
    """
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
        made: dict[str, str] = {}
        _, quads, table = load_dataset(paths, base_iri, made)
        report = validate(quads)
        if not report.conforms:
            report.sources = made
            raise ValidationFailed(report, "the built graph")
        base = check_base_iri(base_iri)
    site = build_site(quads, table, base)
    write_site(site, Path(out))
    return PublishResult(pages=sum(1 for p in site if p.endswith(".html")), files=len(site),
                         bytes=sum(len(c) for c in site.values()))


def _paths(source) -> list[Path] | None:
    if source is None:
        return None
    if isinstance(source, (str, os.PathLike)):
        return [Path(source)]
    return [Path(s) for s in source]


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


def counts(graph: Graph, triples: int) -> dict[str, int]:
    """What the site holds, counted with the ontology's subclasses."""
    children: dict[str, set[str]] = {}
    for t in graph.triples:
        if t.predicate.value == RDFS + "subClassOf":
            children.setdefault(t.object.value, set()).add(t.subject.value)

    def instances(cls: str) -> int:
        classes, todo = {cls}, [cls]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in classes:
                    classes.add(child)
                    todo.append(child)
        return len({t.subject.value for t in graph.triples
                    if t.predicate.value == RDF + "type" and t.object.value in classes})
    return {"articles": instances(SCHEMA + "NewsArticle"),
            "organizations": instances(KGO + "Organization"),
            "people": instances(SCHEMA + "Person"),
            "agreements": instances(KGO + "Agreement"),
            "clauses": instances(KGO + "Clause"),
            "events": instances(KGO + "Event"),
            "evidence quotes": instances(OA + "Annotation"),
            "triples": triples}


def build_site(quads: list[Quad], prefixes: dict[str, str], base: str,
               endpoint: str | None = None) -> dict[str, bytes]:
    """Relative path -> content of every file of the site."""
    graph = Graph(quads, ontology_triples(), base)
    renderer = Renderer(graph, {**prefixes, "kgo": KGO}, endpoint, downloads=DOWNLOADS)
    site: dict[str, bytes] = {}
    for document in graph.documents:
        path = renderer.paths.path(document)
        if path is None:
            continue
        if document == ONTOLOGY_IRI:
            site["ontology.html"] = renderer.ontology_page(shape_messages())
        else:
            site[f"{path}.html"] = renderer.resource_page(document)
        for fmt in REPRESENTATIONS:
            site[f"{path}{fmt.extension}"] = renderer.rdf(document, fmt)
    numbers = counts(graph, len({q.triple for q in quads}))
    site["index.html"] = renderer.index_page(numbers, network_svg(graph, renderer.paths, "index"))
    site["style.css"] = (TEMPLATES / "style.css").read_bytes()
    for name, content in export.render(quads, prefixes):
        site[f"download/{name}"] = export.as_bytes(content)
    site["void.ttl"] = void(graph, base, numbers, endpoint)
    site["sitemap.xml"] = sitemap(site, base)
    site.update(webconfig.files())
    return site


def void(graph: Graph, base: str, numbers: dict[str, int], endpoint: str | None) -> bytes:
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
    add(dataset, DCTERMS + "license", NamedNode("https://creativecommons.org/licenses/by/4.0/"))
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
