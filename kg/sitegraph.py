"""The dataset and the ontology indexed for the site: what each document of the site
describes, the triples that point to it, the content of each named graph, and each ontology
file whole under its IRI and its version IRI.

A document is an IRI under the base IRI without its fragment: `…/id/organization/openai`, or
`…/id/annotation/x-1` which also describes `…-1#target`, `#quote` and `#position`; the ontology's
hash IRIs all live in the document `…/ontology`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse

from kg import catalog
from kg.engine import dataset_store
from kg.namespaces import KGO, OA, ONTOLOGY_IRI, OWL, RDF, RDFS, SCHEMA
from kg.resources import ontology_files


def document_of(iri: str) -> str:
    return iri.split("#", 1)[0]


@lru_cache(maxsize=1)
def ontology_documents() -> dict[str, tuple[str, tuple[Triple, ...]]]:
    """IRI -> (the owl:Ontology's IRI, every triple of its file), under the ontology's IRI and
    under its owl:versionIRI: the ontology and its alignments each dereference to their file."""
    found: dict[str, tuple[str, tuple[Triple, ...]]] = {}
    for path in ontology_files():
        triples = tuple(q.triple for q in parse(path=str(path), format=RdfFormat.TURTLE))
        for t in triples:
            if (t.predicate.value == RDF + "type" and t.object.value == OWL + "Ontology"
                    and isinstance(t.subject, NamedNode)):
                found[t.subject.value] = (t.subject.value, triples)
                for v in triples:
                    if v.subject == t.subject and v.predicate.value == OWL + "versionIRI":
                        found[v.object.value] = (t.subject.value, triples)
    return found


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

    def __init__(self, quads: Iterable[Quad], ontology: Iterable[Triple], base: str):
        self.base = base
        self.quads = list(quads)  # with their graphs: what each article says, for histories
        self._histories: dict[str, list[dict]] | None = None
        self.triples = sorted({q.triple for q in self.quads} | set(ontology),
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
        self.ontologies = ontology_documents()
        self.graphs: dict[str, list[Triple]] = defaultdict(list)
        for q in self.quads:
            if isinstance(q.graph_name, NamedNode):
                self.graphs[q.graph_name.value].append(q.triple)
        self.documents = sorted({d for d in self.by_document if d.startswith(base)}
                                | set(self.ontologies) | {ONTOLOGY_IRI})
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
                    start = int(self.value(s.value, OA + "start"))
                    end = int(self.value(s.value, OA + "end"))
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

    def main(self, document: str) -> str:
        """The resource a document is about: an ontology's own IRI for its version IRI."""
        return self.ontologies[document][0] if document in self.ontologies else document

    def describe(self, document: str) -> list[Triple]:
        """The triples whose subject is the document or one of its hash resources; for an
        ontology (at its IRI or its version IRI), every triple of its file."""
        if document in self.ontologies:
            return list(self.ontologies[document][1])
        return self.by_document.get(document, [])

    def representation(self, document: str, content: bool = True) -> list[Triple]:
        """What the document's RDF files hold: its description, the triples of other documents
        that point to it (inbound links) and, for a named graph, the graph's own triples
        (unless content is False: a page embeds what is said of the graph, not all of it)."""
        own = self.describe(document)
        if document in self.ontologies:
            return own
        inbound = [t for iri in sorted({t.subject.value for t in own} | {document})
                   for t in self.incoming.get(iri, ())
                   if document_of(t.subject.value) != document]
        held = sorted(set(self.graphs.get(document, ())) if content else (),
                      key=lambda t: tuple(map(str, t)))
        return list(dict.fromkeys([*own, *inbound, *held]))

    def history(self, agreement: str) -> list[dict]:
        """The agreement's changes as the agreement-history example gives them, each row a
        dict of its bound cells (terms); run once for every agreement, then looked up."""
        if self._histories is None:
            self._histories = defaultdict(list)
            # The example's text as it stands: ?agreement unbound, every agreement at once.
            results = dataset_store(self.quads).query(catalog.find("agreement-history").text)
            names = [v.value for v in results.variables]
            for solution in results:
                row = {n: solution[n] for n in names if solution[n] is not None}
                self._histories[row["agreement"].value].append(row)
        return self._histories.get(agreement, [])
