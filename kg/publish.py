"""The static linked-data site: every page and representation, VoID, sitemap, server configs."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from pyoxigraph import Quad, RdfFormat, parse

from kg import export
from kg.errors import OutputError
from kg.formats import EXPORTED
from kg.namespaces import KGO, ONTOLOGY_IRI, RDF, RDFS, SCHEMA
from kg.resources import ontology_files
from kg.site import RDF_SUFFIXES, TEMPLATES, Graph, Renderer

DOWNLOADS = [(f"graph{f.extension}", f.media_type) for f in EXPORTED] + [
    ("context.jsonld", "application/ld+json"), ("kg.ttl", "text/turtle"),
    ("alignments.ttl", "text/turtle")]


def ontology_triples() -> list:
    return [q.triple for path in ontology_files()
            for q in parse(path=str(path), format=RdfFormat.TURTLE)]


def shapes_summary() -> list[dict]:
    """Each node shape with its targets and the messages of its constraints, for the docs."""
    import rdflib

    from kg.validate import SH, shape_files

    sh = rdflib.Namespace(SH)
    graph = rdflib.Graph()
    for path in shape_files():
        graph.parse(path, format="turtle")
    out = []
    for shape in sorted(graph.subjects(rdflib.RDF.type, sh.NodeShape)):
        messages = {str(m) for m in graph.objects(shape, sh.message)}
        for part in (*graph.objects(shape, sh.property), *graph.objects(shape, sh.sparql)):
            messages.update(str(m) for m in graph.objects(part, sh.message))
        targets = ", ".join(sorted(graph.namespace_manager.normalizeUri(t)
                                   for t in graph.objects(shape, sh.targetClass)))
        out.append({"name": str(shape).rsplit("#", 1)[-1], "targets": targets,
                    "messages": sorted(messages)})
    return out


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
            "evidence quotes": instances("http://www.w3.org/ns/oa#Annotation"),
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
            site["ontology.html"] = renderer.ontology_page(shapes_summary())
        else:
            site[f"{path}.html"] = renderer.resource_page(document)
        for suffix in RDF_SUFFIXES:
            site[f"{path}{suffix}"] = renderer.rdf(document, suffix)
    numbers = counts(graph, len({q.triple for q in quads}))
    site["index.html"] = renderer.index_page(numbers)
    site["style.css"] = (TEMPLATES / "style.css").read_bytes()
    for name, content in export.render(quads, prefixes):
        site[f"download/{name}"] = export.as_bytes(content)
    site["void.ttl"] = void(graph, base, numbers, endpoint)
    site["sitemap.xml"] = sitemap(site, base)
    site[".htaccess"] = HTACCESS.encode("utf-8")
    site["nginx.conf"] = NGINX.encode("utf-8")
    return site


def void(graph: Graph, base: str, numbers: dict[str, int], endpoint: str | None) -> bytes:
    """VoID and DCAT description of the dataset, its distributions and vocabularies."""
    from pyoxigraph import Literal, NamedNode, Quad as Q

    VOID, DCAT, DCT = "http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    XSD = "http://www.w3.org/2001/XMLSchema#"
    dataset = NamedNode(base + "void#dataset")
    quads = []

    def add(s, p, o):
        quads.append(Q(s, NamedNode(p), o))

    add(dataset, RDF + "type", NamedNode(VOID + "Dataset"))
    add(dataset, RDF + "type", NamedNode(DCAT + "Dataset"))
    add(dataset, DCT + "title", Literal("kg: corporate deals from news articles", language="en"))
    add(dataset, DCT + "description", Literal(
        "Organizations, people, agreements, clauses and events reported in news articles, "
        "every fact backed by a quote from its article.", language="en"))
    add(dataset, DCT + "license", NamedNode("https://creativecommons.org/licenses/by/4.0/"))
    add(dataset, VOID + "triples", Literal(str(numbers["triples"]), datatype=NamedNode(XSD + "integer")))
    add(dataset, VOID + "uriSpace", Literal(base + "id/"))
    for vocabulary in sorted({KGO, SCHEMA, "http://www.w3.org/ns/org#", "http://www.w3.org/ns/oa#",
                              "http://www.w3.org/ns/prov#", "http://www.w3.org/2006/time#"}):
        add(dataset, VOID + "vocabulary", NamedNode(vocabulary))
    for example in sorted(d for d in graph.documents if "/id/organization/" in d)[:3] + sorted(
            d for d in graph.documents if "/id/agreement/" in d)[:2]:
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
        add(dist, DCAT + "mediaType", NamedNode("https://www.iana.org/assignments/media-types/" + media))
        add(dist, DCT + "format", Literal(media))
        add(dist, DCT + "title", Literal(f"the whole dataset as {name}"))
    from kg.formats import BY_NAME

    table = {"void": VOID, "dcat": DCAT, "dcterms": DCT, "xsd": XSD, "rdf": RDF}
    return BY_NAME["turtle"].dumps(quads, table)


def sitemap(site: dict[str, bytes], base: str) -> bytes:
    pages = sorted(p for p in site if p.endswith(".html"))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(base + page)}</loc></url>" for page in pages]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


HTACCESS = """\
# Content negotiation for the static kg site on Apache (mod_rewrite, mod_headers, mod_mime).
# A request for a resource IRI (no extension) is redirected (303 See Other) to the
# representation the Accept header asks for, HTML otherwise. Apache's rules match media types
# in order and ignore q-values; `kg serve` negotiates fully.
Options -MultiViews
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/n-triples .nt
AddType application/rdf+xml .rdf
AddCharset utf-8 .ttl .html .nt
RewriteEngine On
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteCond %{REQUEST_FILENAME}.ttl -f
RewriteRule ^(.+)$ $1.ttl [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/ld\\+json
RewriteCond %{REQUEST_FILENAME}.jsonld -f
RewriteRule ^(.+)$ $1.jsonld [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/n-triples
RewriteCond %{REQUEST_FILENAME}.nt -f
RewriteRule ^(.+)$ $1.nt [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/rdf\\+xml
RewriteCond %{REQUEST_FILENAME}.rdf -f
RewriteRule ^(.+)$ $1.rdf [R=303,L]
RewriteCond %{REQUEST_FILENAME}.html -f
RewriteRule ^(.+)$ $1.html [R=303,L]
Header append Vary Accept
"""

NGINX = """\
# Content negotiation for the static kg site on nginx: include this server block (adapt
# server_name and root). A resource IRI (no extension) gets the representation the Accept
# header names, HTML otherwise; nginx's map ignores q-values, `kg serve` negotiates fully.
map $http_accept $kg_suffix {
    default                      ".html";
    "~*text/turtle"              ".ttl";
    "~*application/ld\\+json"     ".jsonld";
    "~*application/n-triples"    ".nt";
    "~*application/rdf\\+xml"     ".rdf";
}
server {
    listen 80;
    server_name kg.example.org;
    root /srv/kg/site;
    types {
        text/html              html;
        text/css               css;
        text/turtle            ttl;
        application/ld+json    jsonld;
        application/n-triples  nt;
        application/n-quads    nq;
        application/trig       trig;
        application/rdf+xml    rdf;
        application/xml        xml;
    }
    charset utf-8;
    charset_types text/turtle application/n-triples;
    location / {
        add_header Vary Accept;
        index index.html;
        try_files $uri $uri$kg_suffix $uri.html =404;
    }
}
"""


def write_site(site: dict[str, bytes], out_dir: Path) -> int:
    """Write the site into out_dir, replacing it whole only once every file is written."""
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}", path=out_dir) from None
    try:
        for name, content in site.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        os.chmod(staging, 0o755)
        if out_dir.exists():
            if not out_dir.is_dir():
                raise OutputError("exists and is not a folder", path=out_dir)
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=parent))
            os.replace(out_dir, old / "site")
            os.replace(staging, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the site, nothing was changed: {exc.strerror}",
                          path=out_dir) from None
    except OutputError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(site)


def publish(sources: list[Path] | None, out_dir: Path, base_iri: str | None = None) -> dict[str, int]:
    """Build, validate and publish the static site; returns the page and file counts."""
    from kg.build import load_dataset
    from kg.validate import ValidationFailed, validate

    _, quads, table = load_dataset(sources, base_iri)
    report = validate(quads)
    if not report.conforms:
        raise ValidationFailed(report, "the built graph")
    base = table["organization"].rsplit("id/", 1)[0]
    site = build_site(quads, table, base)
    write_site(site, out_dir)
    return {"pages": sum(1 for p in site if p.endswith(".html")), "files": len(site),
            "bytes": sum(len(c) for c in site.values())}

