"""Ontology hygiene in the style of FIBO's SPARQL tests, and consistency under two reasoners."""

from __future__ import annotations

import os
import shutil

import pyoxigraph as ox
import pytest
import rdflib

from kg.namespaces import KGO, ONTOLOGY_IRI
from kg.resources import ontology_files

PREFIXES = """
PREFIX kgo: <https://kg.example.org/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX vann: <http://purl.org/vocab/vann/>
"""
DECLARATIONS = ("owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty "
                "owl:NamedIndividual")
BUILT_IN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/2002/07/owl#")


@pytest.fixture(scope="module")
def ontology() -> ox.Store:
    store = ox.Store()
    for path in ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def rows(store: ox.Store, query: str) -> list[tuple]:
    return sorted(tuple(t.value if t is not None else None for t in row)
                  for row in store.query(PREFIXES + query))


def test_every_term_is_labelled_defined_and_attributed(ontology):
    missing = rows(ontology, f"""
        SELECT ?term ?what WHERE {{
            ?term a ?kind . VALUES ?kind {{ {DECLARATIONS} }}
            FILTER(STRSTARTS(STR(?term), STR(kgo:)))
            VALUES ?what {{ rdfs:label skos:definition rdfs:isDefinedBy }}
            FILTER NOT EXISTS {{ ?term ?what ?value }}
        }}""")
    assert missing == []


def test_labels_and_definitions_are_english_and_single(ontology):
    bad = rows(ontology, """
        SELECT ?term ?p WHERE {
            ?term ?p ?text . VALUES ?p { rdfs:label skos:definition }
            FILTER(STRSTARTS(STR(?term), STR(kgo:)))
            FILTER(LANG(?text) != "en")
        }""")
    assert bad == []
    many = rows(ontology, """
        SELECT ?term ?p (COUNT(?text) AS ?n) WHERE {
            ?term ?p ?text . VALUES ?p { rdfs:label skos:definition }
            FILTER(STRSTARTS(STR(?term), STR(kgo:)))
        } GROUP BY ?term ?p HAVING (COUNT(?text) > 1)""")
    assert many == []


def test_no_punning(ontology):
    punned = rows(ontology, f"""
        SELECT ?term WHERE {{
            ?term a ?k1, ?k2 . VALUES ?k1 {{ {DECLARATIONS} }} VALUES ?k2 {{ {DECLARATIONS} }}
            FILTER(STR(?k1) < STR(?k2))
        }}""")
    assert punned == []


def test_every_property_used_in_the_ontology_is_declared(ontology):
    undeclared = rows(ontology, f"""
        SELECT DISTINCT ?p WHERE {{
            ?s ?p ?o .
            FILTER NOT EXISTS {{ ?p a ?kind . VALUES ?kind {{ {DECLARATIONS} }} }}
        }}""")
    assert [p for (p,) in undeclared if not p.startswith(BUILT_IN)] == []


def test_every_class_and_property_referenced_is_declared(ontology):
    undeclared = rows(ontology, f"""
        SELECT DISTINCT ?term WHERE {{
            {{ ?x rdfs:subClassOf|rdfs:domain|rdfs:range ?term }}
            UNION {{ ?term rdfs:subClassOf|rdfs:subPropertyOf|owl:inverseOf ?x }}
            UNION {{ ?x rdfs:subPropertyOf|owl:inverseOf ?term }}
            FILTER(isIRI(?term))
            FILTER NOT EXISTS {{ ?term a ?kind . VALUES ?kind {{ {DECLARATIONS} }} }}
        }}""")
    known = (*BUILT_IN, "http://www.w3.org/2001/XMLSchema#")
    assert [t for (t,) in undeclared if not t.startswith(known)] == []


def test_header_metadata(ontology):
    header = dict(rows(ontology, f"""
        SELECT ?p ?v WHERE {{ <{ONTOLOGY_IRI}> a owl:Ontology ; ?p ?v . }}"""))
    for p in ("http://www.w3.org/2002/07/owl#versionIRI", "http://www.w3.org/2002/07/owl#versionInfo",
              "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/description",
              "http://purl.org/dc/terms/license", "http://purl.org/dc/terms/creator",
              "http://purl.org/dc/terms/created", "http://purl.org/vocab/vann/preferredNamespacePrefix",
              "http://purl.org/vocab/vann/preferredNamespaceUri"):
        assert p in header, p
    assert header["http://purl.org/vocab/vann/preferredNamespaceUri"] == KGO
    assert header["http://purl.org/vocab/vann/preferredNamespacePrefix"] == "kgo"
    from kg import __version__

    assert header["http://www.w3.org/2002/07/owl#versionInfo"] == __version__


def test_alignments_use_no_equivalence(ontology):
    assert rows(ontology, """SELECT ?s WHERE {
        ?s owl:equivalentClass|owl:equivalentProperty|owl:sameAs ?o }""") == []


def test_required_alignments_are_present(ontology):
    pairs = set(rows(ontology,
                     "SELECT ?s ?o WHERE { ?s rdfs:subClassOf|rdfs:subPropertyOf ?o }"))
    fibo = "https://spec.edmcouncil.org/fibo/ontology/"
    for pair in [
        (KGO + "Organization", "http://www.w3.org/ns/org#FormalOrganization"),
        (KGO + "Organization", "https://schema.org/Organization"),
        (KGO + "Event", "https://schema.org/Event"),
        (KGO + "Event", "http://semanticweb.cs.vu.nl/2009/11/sem/Event"),
        (KGO + "Agreement", fibo + "FND/Agreements/Agreements/Agreement"),
        (KGO + "Partnership", fibo + "FND/Agreements/Contracts/Contract"),
        (KGO + "Clause", fibo + "FND/Agreements/Contracts/ContractualElement"),
        (KGO + "JointVenture", fibo + "BE/LegalEntities/FormalBusinessOrganizations/JointVenture"),
    ]:
        assert pair in pairs, pair


def _data_and_ontology_graph(quads) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES),
                format="nt")
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


ERROR = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")


def owlrl_errors(graph: rdflib.Graph) -> list[str]:
    import owlrl
    from rdflib.term import _toPythonMapping

    saved = dict(_toPythonMapping)
    try:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    finally:
        # owlrl swaps rdflib's lexical conversions process-wide; later tests expect rdflib's.
        _toPythonMapping.clear()
        _toPythonMapping.update(saved)
    err = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
    return sorted(str(graph.value(m, err)) for m in graph.subjects(rdflib.RDF.type, ERROR))


def test_consistent_under_owl2_rl(seed_dataset):
    assert owlrl_errors(_data_and_ontology_graph(seed_dataset[1])) == []


def test_owl2_rl_finds_a_planted_inconsistency(seed_dataset):
    graph = _data_and_ontology_graph(seed_dataset[1])
    # A clause that is also an event breaks the disjointness of the two classes.
    graph.add((rdflib.URIRef("https://kg.example.org/id/clause/revenue-sharing"), rdflib.RDF.type,
               rdflib.URIRef(KGO + "Announcement")))
    assert owlrl_errors(graph) != []


def _hermit(quads, tmp_path, extra: str = "") -> None:
    """Run HermiT through owlready2; raises OwlReadyInconsistentOntologyError if inconsistent."""
    if not shutil.which("java"):
        if os.environ.get("CI") == "true":
            pytest.fail("HermiT needs Java, and CI must have it (.ci/run installs a JRE)")
        pytest.skip("HermiT needs Java, which is not installed here")
    import owlready2

    path = tmp_path / "all.nt"
    graph = _data_and_ontology_graph(quads)
    path.write_bytes(graph.serialize(format="nt", encoding="utf-8") + extra.encode("utf-8"))
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    with onto:
        owlready2.sync_reasoner_hermit(world, ignore_unsupported_datatypes=True, debug=0)


def test_consistent_under_hermit(seed_dataset, tmp_path):
    _hermit(seed_dataset[1], tmp_path)


def test_hermit_finds_a_planted_inconsistency(seed_dataset, tmp_path):
    import owlready2

    planted = (f"<https://kg.example.org/id/clause/revenue-sharing> "
               f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KGO}Announcement> .\n")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(seed_dataset[1], tmp_path, planted)
