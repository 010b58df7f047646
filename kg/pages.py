"""The pages of the site, in memory: every document of the graph as HTML and in every served
RDF format.

kg.sitegraph says what each document holds; kg.ontology_pages renders the ontology's pages;
kg.site puts the pages together with the rest of the site; kg.server answers them with content
negotiation.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import jinja2
from pyoxigraph import Literal, NamedNode, Triple

from kg import __version__, jsonld, listings, sparql
from kg.formats import SERVED, Format
from kg.iris import is_web_iri
from kg.namespaces import KGO, ONTOLOGY_IRI, RDF, SCHEMA, SKOS, XSD, shortener
from kg.ontology_pages import ontology_context
from kg.sitegraph import Evidence, Graph, document_of

TEMPLATES = Path(__file__).resolve().parent / "templates"
_PATH = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@%/-]+")  # what a page's path may hold
# Where formats tie in a client's Accept header, the server (and the Apache and nginx rules)
# prefer them in this order; pages list their alternates in it too.
_PREFERENCE = ("turtle", "jsonld", "ntriples", "rdfxml")
REPRESENTATIONS: tuple[Format, ...] = tuple(sorted(
    SERVED, key=lambda f: _PREFERENCE.index(f.name) if f.name in _PREFERENCE else len(_PREFERENCE)))


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The Jinja2 environment of kg/templates/, made once for the site and the server."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["runnable"] = sparql.runnable
    return env


# ------------------------------------------------------------------ paths and links

class Paths:
    """Where each document's page lives in the site, and relative links between pages."""

    def __init__(self, base: str):
        self.base = base

    def path(self, document: str) -> str | None:
        if document == ONTOLOGY_IRI:
            return "ontology"
        path = None
        if document.startswith(ONTOLOGY_IRI + "/"):  # its version IRI, its alignments
            path = "ontology" + document[len(ONTOLOGY_IRI):]
        elif document.startswith(self.base) and len(document) > len(self.base):
            path = document[len(self.base):]
        if path is not None and _PATH.fullmatch(path) and ".." not in path.split("/"):
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
                 downloads: list[tuple[str, str]] | None = None, license: str | None = None):
        self.graph = graph
        self.license = license
        self.prefixes = prefixes
        self.paths = Paths(graph.base)
        self.endpoint = endpoint
        self.downloads = downloads or []
        self.env = templates()
        self.short = short_names(prefixes)
        self.published = set(graph.documents)
        self.articles = sorted({e.article for ev in graph.evidence.values() for e in ev} - {""})
        self.texts = {a: self.graph.value(a, SCHEMA + "text") or "" for a in self.articles}

    # -- pieces -----------------------------------------------------------
    def link(self, from_path: str, term) -> dict:
        if isinstance(term, NamedNode):
            published = document_of(term.value) in self.published
            href = self.paths.href(from_path, term.value) if published else None
            internal = href is not None
            if not internal:  # never a link to javascript:, data: or file: IRIs
                href = term.value if is_web_iri(term.value) else None
            return {"kind": "iri", "href": href, "internal": internal,
                    "text": self.graph.label(term.value)
                    if internal and self.graph.out.get(term.value) else self.short(term.value),
                    "title": term.value}
        if isinstance(term, Literal):
            datatype = term.datatype.value if not term.language else None
            if datatype == XSD + "string":
                datatype = None
            return {"kind": "literal", "text": term.value, "language": term.language,
                    "datatype": self.short(datatype) if datatype else None}
        return {"kind": "literal", "text": str(term), "language": None, "datatype": None}

    def sentence(self, evidence: Evidence) -> tuple[str, str, str]:
        """The quote in its sentence: (before, quote, after), cut at sentence or line ends."""
        text = self.texts.get(evidence.article, "")
        if not text:  # published without the article's text: the quote alone
            return "", evidence.exact, ""
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
        text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
        return script_safe(text)

    def rdf(self, document: str, fmt: Format) -> bytes:
        """The document's RDF in one format: its description and the triples that point to it."""
        return fmt.dumps(self.graph.representation(document), self.prefixes)

    def page(self, template: str, path: str, **context) -> bytes:
        context.setdefault("title", "kg")
        return self.env.get_template(template).render(
            root=self.paths.root(path), endpoint=self.endpoint, version=__version__,
            license=self.license,
            **context).encode("utf-8")

    def history(self, from_path: str, agreement: str) -> list[dict]:
        """What each article said of the agreement and its clauses, when: the rows of the
        agreement-history example, linked."""
        linked = ("subject", "of", "article")
        return [{name: (self.link(from_path, row[name]) if name in linked else row[name].value)
                 if name in row else None
                 for name in ("when", "change", *linked, "published", "quote")}
                for row in self.graph.history(agreement)]

    # -- pages ------------------------------------------------------------
    def resource_page(self, document: str) -> bytes:
        path = self.paths.path(document)
        triples, main = self.graph.describe(document), self.graph.main(document)
        subjects = sorted({t.subject.value for t in triples},
                          key=lambda s: (s != main, s))
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
        # Links into the document's own resources: an alignments file's kgo terms are not its.
        for subject in (s for s in subjects if document_of(s) == main):
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
        return self.page("resource.html", path, title=self.graph.label(main), iri=document,
                         sections=sections, incoming=incoming,
                         alternates=alternates(name),
                         jsonld=self.embedded_jsonld(
                             self.graph.representation(document, content=False)),
                         graph_triples=len(set(self.graph.graphs.get(document, ()))),
                         article=document in self.articles,
                         history=self.history(path, document)
                         if KGO + "Agreement" in self.graph.types(document) else [],
                         article_html=self.article_html(document, path)
                         if self.texts.get(document) else None)

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
                local = html.escape(e.annotation.rsplit("/", 1)[-1])
                parts.append(f'<span class="anchor" id="ann-{local}"></span>')
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

    def index_page(self, counts: dict[str, int], svg: str) -> bytes:
        found = listings.entities(self.graph)
        lists = [{"name": name, "kind": kind,
                  "items": [self.link("index", NamedNode(i)) for i in found[kind]]}
                 for name, kind in listings.LISTED]
        return self.page("index.html", "index", title="kg: corporate deals as linked data",
                         counts=counts, svg=svg, lists=lists, downloads=self.downloads,
                         scripts=["search.js"])

    def timeline_page(self) -> bytes:
        """The events by date, each with its date as written, its page and its articles."""
        rows = [{**row, "link": self.link("timeline", NamedNode(row["event"])),
                 "articles": [self.link("timeline", NamedNode(a)) for a in row["articles"]]}
                for row in listings.timeline(self.graph)]
        return self.page("timeline.html", "timeline", title="Timeline of the events",
                         rows=rows)

    def search_json(self) -> bytes:
        return listings.search_index(self.graph, lambda iri: self.paths.href("index", iri))

    def ontology_page(self, shapes: list[dict], document: str = ONTOLOGY_IRI) -> bytes:
        """The ontology's page (at its IRI or its version IRI), with a table of contents."""
        path = self.paths.path(document)
        context = ontology_context(self, document, path)
        return self.page("ontology.html", path, shapes=shapes,
                         alternates=alternates(path.rsplit("/", 1)[-1]),
                         jsonld=self.embedded_jsonld(self.graph.representation(document)),
                         **context)


# In a script element, "</script", "<!--" and "<script" change how HTML reads the rest of the
# page; JSON may write <, > and & as \u escapes, which no HTML parser reads as markup.
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_safe(json_text: str) -> str:
    r"""JSON text that can stand inside a <script> element: no <, > or & in it.

    >>> print(script_safe('{"a": "</script><!--&"}'))
    {"a": "\u003c/script\u003e\u003c!--\u0026"}
    """
    return json_text.translate(_SCRIPT_ESCAPES)


def alternates(name: str) -> list[tuple[str, str]]:
    """(file name, media type) of every RDF representation of the page called name."""
    return [(name + f.extension, f.media_type) for f in REPRESENTATIONS]


def short_names(prefixes: dict[str, str]):
    """prefix:local for an IRI under one of the prefixes, else the IRI itself."""
    prefixed = shortener(prefixes)
    return lambda iri: prefixed(iri) or iri
