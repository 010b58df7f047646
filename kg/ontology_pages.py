"""The ontology's pages: the ontology itself (its terms under a table of contents, then the
shapes) at its IRI and at its version IRI; its alignments are resource pages of their file."""

from __future__ import annotations

from pyoxigraph import NamedNode

from kg.namespaces import KGO, OWL, RDFS, SKOS

# The sections of the ontology page, in order: (id, heading, kind of term).
SECTIONS = (("classes", "Classes", "class"), ("properties", "Properties", "property"),
            ("individuals", "Individuals", "individual"))
_HIDDEN = (RDFS + "label", SKOS + "definition", RDFS + "isDefinedBy")


def ontology_context(renderer, document: str, path: str) -> dict:
    """What the ontology template needs: the header, each section's terms, the contents."""
    g = renderer.graph
    ontology = g.main(document)
    terms = []
    for iri in sorted({t.subject.value for t in g.describe(document)
                       if isinstance(t.subject, NamedNode) and t.subject.value.startswith(KGO)}):
        types = g.types(iri)
        kind = ("class" if OWL + "Class" in types else
                "individual" if OWL + "NamedIndividual" in types else "property")
        terms.append({"id": iri.rsplit("#", 1)[1], "iri": iri, "kind": kind,
                      "label": g.label(iri), "definition": g.value(iri, SKOS + "definition"),
                      "properties": [p for p in renderer.properties(path, g.out.get(iri, []), iri)
                                     if p["predicate"]["title"] not in _HIDDEN]})
    sections = [{"id": f"section-{key}", "heading": heading,
                 "terms": [t for t in terms if t["kind"] == kind]}
                for key, heading, kind in SECTIONS]
    return {"title": g.label(ontology), "iri": document,
            "header": renderer.properties(path, g.out.get(ontology, []), ontology),
            "sections": [s for s in sections if s["terms"]]}
