"""The published site, in memory: every document of the graph as HTML and four RDF formats.

A document is an IRI under the base IRI without its fragment: `…/id/organization/openai`, or
`…/id/annotation/x-1` which also describes `…-1#target`, `#quote` and `#position`; the ontology's
hash IRIs all live in the document `…/ontology`. `kg publish` writes these pages to a folder;
`kg serve` answers them with content negotiation.
"""

from __future__ import annotations

import html
import json
import math
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kg import __version__, jsonld
from kg.formats import BY_NAME
from kg.namespaces import KGO, OA, ONTOLOGY_IRI, RDF, RDFS, SCHEMA, SKOS, shortener

# The representations every document has, beside its HTML page: suffix -> (media type, writer).
RDF_SUFFIXES = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples", ".rdf": "rdfxml"}
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8",
               ".jsonld": "application/ld+json", ".nt": "application/n-triples",
               ".rdf": "application/rdf+xml", ".css": "text/css; charset=utf-8",
               ".xml": "application/xml", ".svg": "image/svg+xml", ".trig": "application/trig",
               ".nq": "application/n-quads", ".txt": "text/plain; charset=utf-8",
               ".conf": "text/plain; charset=utf-8", ".htaccess": "text/plain; charset=utf-8"}
TEMPLATES = Path(__file__).resolve().parent / "templates"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@lru_cache(maxsize=1)
def templates():
    """The Jinja2 environment of kg/templates/, made once for the site and the server."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def document_of(iri: str) -> str:
    return iri.split("#", 1)[0]


@dataclass
class Evidence:
    annotation: str
    exact: str
    start: int
    end: int
    status: str
    source: str | None
    article: str
    bodies: list[str] = field(default_factory=list)


class Graph:
    """The dataset (plus ontology) indexed for describing documents and following links."""

    def __init__(self, quads: list[Quad], ontology: list[Triple], base: str):
        self.base = base
        self.triples = sorted({q.triple for q in quads} | set(ontology),
                              key=lambda t: tuple(map(str, t)))
        self.by_document: dict[str, list[Triple]] = defaultdict(list)
        self.incoming: dict[str, list[Triple]] = defaultdict(list)
        self.out: dict[str, list[Triple]] = defaultdict(list)
        for t in self.triples:
            if isinstance(t.subject, NamedNode):
                self.by_document[document_of(t.subject.value)].append(t)
                self.out[t.subject.value].append(t)
            if isinstance(t.object, NamedNode):
                self.incoming[t.object.value].append(t)
        self.documents = sorted(d for d in self.by_document
                                if d.startswith(base) or d == ONTOLOGY_IRI)
        self.evidence = self._evidence()

    def value(self, iri: str, predicate: str) -> str | None:
        for t in self.out.get(iri, ()):
            if t.predicate.value == predicate:
                return t.object.value
        return None

    def values(self, iri: str, predicate: str) -> list:
        return [t.object for t in self.out.get(iri, ()) if t.predicate.value == predicate]

    def types(self, iri: str) -> list[str]:
        return sorted(o.value for o in self.values(iri, RDF + "type") if isinstance(o, NamedNode))

    def label(self, iri: str) -> str:
        for predicate in (RDFS + "label", SCHEMA + "name", SCHEMA + "headline"):
            found = self.value(iri, predicate)
            if found:
                return found
        return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri

    def _evidence(self) -> dict[str, list[Evidence]]:
        found: dict[str, list[Evidence]] = defaultdict(list)
        for t in self.triples:
            if t.predicate.value != RDF + "type" or t.object.value != OA + "Annotation":
                continue
            ann = t.subject.value
            target = self.value(ann, OA + "hasTarget")
            if not target:
                continue
            selectors = self.values(target, OA + "hasSelector")
            exact = start = end = None
            for s in selectors:
                exact = exact or self.value(s.value, OA + "exact")
                if self.value(s.value, OA + "start") is not None:
                    start, end = int(self.value(s.value, OA + "start")), int(self.value(s.value, OA + "end"))
            status = (self.value(ann, KGO + "assertionStatus") or "").rsplit("#", 1)[-1]
            bodies = [b.value for b in self.values(ann, OA + "hasBody")]
            evidence = Evidence(ann, exact or "", start or 0, end or 0, status or "Stated",
                                self.value(ann, KGO + "attributedTo"),
                                self.value(target, OA + "hasSource") or "", bodies)
            for body in bodies:
                found[body].append(evidence)
        for items in found.values():
            items.sort(key=lambda e: (e.article, e.start, e.annotation))
        return found

    def describe(self, document: str) -> list[Triple]:
        """The triples whose subject is the document or one of its hash resources."""
        return self.by_document.get(document, [])


# ------------------------------------------------------------------ paths and links

class Paths:
    """Where each document's page lives in the site, and relative links between pages."""

    def __init__(self, base: str):
        self.base = base

    def path(self, document: str) -> str | None:
        if document == ONTOLOGY_IRI:
            return "ontology"
        if document.startswith(self.base) and len(document) > len(self.base):
            path = document[len(self.base):]
            if re.fullmatch(r"[A-Za-z0-9._~!$&'()*+,;=:@%/-]+", path) and ".." not in path.split("/"):
                return path
        return None

    def href(self, from_path: str, iri: str) -> str | None:
        """A link from the page at from_path to the page of iri, or None when not published."""
        document, _, fragment = iri.partition("#")
        target = self.path(document)
        if target is None:
            return None
        relative = posixpath.relpath(target + ".html", posixpath.dirname(from_path) or ".")
        return relative + (f"#{fragment}" if fragment else "")

    def root(self, from_path: str) -> str:
        depth = from_path.count("/")
        return "../" * depth or "./"


# ------------------------------------------------------------------ rendering

class Renderer:
    """Renders every page of the site from the graph, with Jinja2 templates."""

    def __init__(self, graph: Graph, prefixes: dict[str, str], endpoint: str | None = None,
                 downloads: list[tuple[str, str]] | None = None):
        self.graph = graph
        self.prefixes = prefixes
        self.paths = Paths(graph.base)
        self.endpoint = endpoint
        self.downloads = downloads or []
        self.env = templates()
        self.short = _shortener(prefixes)
        self.published = set(graph.documents)
        self.articles = sorted(i for i in {e.article for ev in graph.evidence.values() for e in ev} if i)
        self.texts = {a: self.graph.value(a, SCHEMA + "text") or "" for a in self.articles}

    # -- pieces -----------------------------------------------------------
    def link(self, from_path: str, term) -> dict:
        if isinstance(term, NamedNode):
            published = document_of(term.value) in self.published
            href = self.paths.href(from_path, term.value) if published else None
            internal = href is not None
            return {"kind": "iri", "href": href or term.value, "internal": internal,
                    "text": self.graph.label(term.value) if internal and self.graph.out.get(term.value)
                    else self.short(term.value), "title": term.value}
        if isinstance(term, Literal):
            datatype = term.datatype.value if not term.language else None
            return {"kind": "literal", "text": term.value, "language": term.language,
                    "datatype": self.short(datatype) if datatype and datatype != XSD_STRING else None}
        return {"kind": "literal", "text": str(term), "language": None, "datatype": None}

    def sentence(self, evidence: Evidence) -> tuple[str, str, str]:
        """The quote in its sentence: (before, quote, after), cut at sentence or line ends."""
        text = self.texts.get(evidence.article, "")
        start, end = evidence.start, evidence.end
        left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
        right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
        right = min(right_candidates) + 1 if right_candidates else len(text)
        if text[right - 1:right] == "\n":
            right -= 1
        return text[left:start], text[start:end], text[end:right]

    def evidence_for(self, from_path: str, iri: str) -> list[dict]:
        items = []
        for e in self.graph.evidence.get(iri, []):
            before, quote, after = self.sentence(e)
            article_href = self.paths.href(from_path, e.article)
            local = e.annotation.rsplit("/", 1)[-1]
            items.append({"before": before, "quote": quote, "after": after,
                          "status": e.status, "start": e.start, "end": e.end,
                          "source": self.link(from_path, NamedNode(e.source)) if e.source else None,
                          "article": article_href + f"#ann-{local}" if article_href else None,
                          "annotation": self.paths.href(from_path, e.annotation)})
        return items

    def properties(self, from_path: str, triples: list[Triple], subject: str) -> list[dict]:
        rows: dict[str, list] = defaultdict(list)
        for t in triples:
            if t.subject.value == subject:
                rows[t.predicate.value].append(t.object)
        out = []
        for predicate in sorted(rows, key=lambda p: (p != RDF + "type", self.short(p))):
            values = sorted(rows[predicate], key=str)
            out.append({"predicate": self.link(from_path, NamedNode(predicate)),
                        "values": [self.link(from_path, v) for v in values],
                        "long": predicate == SCHEMA + "text"})
        return out

    def embedded_jsonld(self, triples: list[Triple]) -> str:
        document = jsonld.document(triples, self.prefixes)
        # "</" cannot appear inside a script element.
        return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).replace("</", "<\\/")

    def rdf(self, document: str, suffix: str) -> bytes:
        triples = self.graph.describe(document)
        fmt = BY_NAME[RDF_SUFFIXES[suffix]]
        if fmt.write is None:  # RDF/XML: written by pyoxigraph directly
            return serialize(triples, format=RdfFormat.RDF_XML, prefixes=_xml_prefixes(self.prefixes))
        return fmt.dumps(triples, self.prefixes)

    def page(self, template: str, path: str, **context) -> bytes:
        context.setdefault("title", "kg")
        return self.env.get_template(template).render(
            root=self.paths.root(path), endpoint=self.endpoint, version=__version__,
            **context).encode("utf-8")

    # -- pages ------------------------------------------------------------
    def resource_page(self, document: str) -> bytes:
        path = self.paths.path(document)
        triples = self.graph.describe(document)
        subjects = sorted({t.subject.value for t in triples},
                          key=lambda s: (s != document, s))
        sections = []
        for subject in subjects:
            sections.append({
                "id": subject.partition("#")[2],
                "iri": subject,
                "label": self.graph.label(subject),
                "types": [self.link(path, NamedNode(t)) for t in self.graph.types(subject)],
                "description": self.graph.value(subject, SCHEMA + "description")
                or self.graph.value(subject, SKOS + "definition"),
                "properties": self.properties(path, triples, subject),
                "evidence": self.evidence_for(path, subject),
            })
        incoming = []
        seen = set()
        for subject in subjects:
            for t in self.graph.incoming.get(subject, []):
                if document_of(t.subject.value) == document:
                    continue
                key = (t.subject.value, t.predicate.value)
                if key in seen:
                    continue
                seen.add(key)
                incoming.append({"subject": self.link(path, t.subject),
                                 "predicate": self.link(path, t.predicate)})
        incoming.sort(key=lambda i: (i["predicate"]["text"], i["subject"]["text"]))
        name = path.rsplit("/", 1)[-1]
        return self.page("resource.html", path, title=self.graph.label(document), iri=document,
                         sections=sections, incoming=incoming,
                         alternates=[(name + s, MEDIA_TYPES[s].split(";")[0]) for s in RDF_SUFFIXES],
                         jsonld=self.embedded_jsonld(triples),
                         article=document in self.articles,
                         article_html=self.article_html(document, path) if document in self.articles else None)

    def article_html(self, article: str, path: str) -> str:
        """The article text with every evidence span marked and linked to what it supports."""
        text = self.texts.get(article, "")
        spans = sorted({(e.start, e.end, e.annotation): e for ev in self.graph.evidence.values()
                        for e in ev if e.article == article}.values(),
                       key=lambda e: (e.start, e.end, e.annotation))
        cuts = sorted({0, len(text)} | {e.start for e in spans} | {e.end for e in spans})
        starts = defaultdict(list)
        for e in spans:
            starts[e.start].append(e)
        parts = []
        for a, b in zip(cuts, cuts[1:]):
            for e in starts.get(a, []):
                parts.append(f'<span class="anchor" id="ann-{html.escape(e.annotation.rsplit("/", 1)[-1])}"></span>')
            covering = [e for e in spans if e.start <= a and b <= e.end]
            chunk = html.escape(text[a:b]).replace("\n\n", "</p>\n<p>").replace("\n", "<br>\n")
            if covering:
                facts = sorted({b_ for e in covering for b_ in e.bodies})
                first = self.paths.href(path, facts[0]) if facts else None
                title = "; ".join(self.graph.label(f) for f in facts)
                level = min(len(covering), 3)
                reported = " reported" if any(e.status == "Reported" for e in covering) else ""
                parts.append(f'<a class="ev ev{level}{reported}" href="{html.escape(first or "#")}"'
                             f' title="{html.escape(title)}">{chunk}</a>')
            else:
                parts.append(chunk)
        return "<p>" + "".join(parts) + "</p>"

    def index_page(self, counts: dict[str, int]) -> bytes:
        return self.page("index.html", "index", title="kg: corporate deals as linked data",
                         counts=counts, svg=network_svg(self.graph, self.paths, "index"),
                         articles=[self.link("index", NamedNode(a)) for a in self.articles],
                         downloads=self.downloads)

    def ontology_page(self, shapes: list[dict]) -> bytes:
        g, path = self.graph, "ontology"
        terms = []
        subjects = sorted({t.subject.value for t in g.describe(ONTOLOGY_IRI)
                           if t.subject.value.startswith(KGO)})
        for iri in subjects:
            kind = ("class" if "http://www.w3.org/2002/07/owl#Class" in g.types(iri) else
                    "individual" if "http://www.w3.org/2002/07/owl#NamedIndividual" in g.types(iri)
                    else "property")
            terms.append({"id": iri.rsplit("#", 1)[1], "iri": iri, "kind": kind,
                          "label": g.label(iri),
                          "definition": g.value(iri, SKOS + "definition"),
                          "properties": [p for p in self.properties(path, g.out.get(iri, []), iri)
                                         if p["predicate"]["title"] not in (
                                             RDFS + "label", SKOS + "definition",
                                             RDFS + "isDefinedBy")]})
        header = self.properties(path, g.out.get(ONTOLOGY_IRI, []), ONTOLOGY_IRI)
        return self.page("ontology.html", path, title="kg ontology", header=header,
                         classes=[t for t in terms if t["kind"] == "class"],
                         properties=[t for t in terms if t["kind"] == "property"],
                         individuals=[t for t in terms if t["kind"] == "individual"],
                         shapes=shapes,
                         alternates=[("ontology" + s, MEDIA_TYPES[s].split(";")[0]) for s in RDF_SUFFIXES],
                         jsonld=self.embedded_jsonld(g.describe(ONTOLOGY_IRI)))


def _xml_prefixes(prefixes: dict[str, str]) -> dict[str, str]:
    # RDF/XML can only abbreviate with namespaces that end in '/' or '#'.
    return {k: v for k, v in prefixes.items() if v.endswith(("/", "#"))}


def _shortener(prefixes: dict[str, str]):
    prefixed = shortener(prefixes)
    return lambda iri: prefixed(iri) or iri


def network_svg(graph: Graph, paths: Paths, from_path: str, size: int = 640) -> str:
    """Organizations on a circle, agreements inside, a line for every party: plain SVG."""
    agreements = sorted(s.value for t in graph.triples if t.predicate.value == KGO + "hasParty"
                        for s in [t.subject])
    agreements = sorted(set(agreements))
    parties = {a: sorted({o.value for o in graph.values(a, KGO + "hasParty")}) for a in agreements}
    organizations = sorted({o for ps in parties.values() for o in ps})
    centre, radius = size / 2, size / 2 - 90
    position = {}
    for i, org in enumerate(organizations):
        angle = 2 * math.pi * i / max(len(organizations), 1) - math.pi / 2
        position[org] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    for a in agreements:
        xs = [position[o][0] for o in parties[a]]
        ys = [position[o][1] for o in parties[a]]
        x, y = sum(xs) / len(xs), sum(ys) / len(ys)
        # Pull the agreement towards the centre so that two-party deals do not sit on a chord.
        position[a] = (centre + (x - centre) * 0.55, centre + (y - centre) * 0.55)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
           f'aria-labelledby="network-title" class="network">',
           '<title id="network-title">Organizations and the agreements between them</title>']
    for a in agreements:
        ax, ay = position[a]
        for o in parties[a]:
            ox_, oy = position[o]
            out.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{ox_:.1f}" y2="{oy:.1f}" class="edge"/>')
    for kind, nodes in (("agreement", agreements), ("organization", organizations)):
        for node in nodes:
            x, y = position[node]
            href = paths.href(from_path, node) or "#"
            label = html.escape(graph.label(node))
            shape = (f'<rect x="{x - 7:.1f}" y="{y - 7:.1f}" width="14" height="14" class="{kind}"/>'
                     if kind == "agreement" else f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" class="{kind}"/>')
            anchor = "middle"
            dy = 24 if kind == "organization" and y > centre else -14
            out.append(f'<a href="{html.escape(href)}">{shape}<text x="{x:.1f}" y="{y + dy:.1f}" '
                       f'text-anchor="{anchor}" class="{kind}-label">{label}</text></a>')
    out.append("</svg>")
    return "\n".join(out)
