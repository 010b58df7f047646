"""The SPARQL 1.1 Service Description of `kg serve`'s endpoint (sd:Service), answered at
/sparql without a query: what it runs, the formats it answers in, and its dataset."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.formats import RESULTS_FORMATS, SERVED

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS_TITLE = NamedNode("http://purl.org/dc/terms/title")
VOID_TRIPLES = NamedNode("http://rdfs.org/ns/void#triples")
INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def description(endpoint: str, graphs: dict[str, int], default_size: int) -> list[Triple]:
    """The description's triples: the endpoint's IRI, SPARQL 1.1 Query only, the results and
    RDF formats (their W3C format IRIs, from kg.formats), the default graph as the union of
    the named graphs, and each named graph (IRI to triple count)."""
    service, dataset, default = NamedNode(endpoint), BlankNode("dataset"), BlankNode("default")
    triples = [Triple(service, RDF_TYPE, _sd("Service")),
               Triple(service, _sd("endpoint"), service),
               Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
               Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
               Triple(service, _sd("defaultEntailmentRegime"),
                      NamedNode("http://www.w3.org/ns/entailment/Simple")),
               Triple(service, DCTERMS_TITLE, Literal("kg SPARQL endpoint (read-only)")),
               Triple(service, _sd("defaultDataset"), dataset),
               Triple(dataset, RDF_TYPE, _sd("Dataset")),
               Triple(dataset, _sd("defaultGraph"), default),
               Triple(default, RDF_TYPE, _sd("Graph")),
               Triple(default, VOID_TRIPLES, Literal(str(default_size),
                      datatype=INTEGER))]
    # pyoxigraph names JSON-LD by its page's address; the registered IRI is in /ns/formats/.
    formats = [f.oxigraph.iri.replace("https://www.w3.org/ns/formats/data/",
                                      "http://www.w3.org/ns/formats/")
               for f in (*RESULTS_FORMATS, *SERVED)]
    triples += [Triple(service, _sd("resultFormat"), NamedNode(iri)) for iri in formats]
    for number, (name, size) in enumerate(sorted(graphs.items())):
        named, graph = BlankNode(f"named{number}"), BlankNode(f"graph{number}")
        triples += [Triple(dataset, _sd("namedGraph"), named),
                    Triple(named, RDF_TYPE, _sd("NamedGraph")),
                    Triple(named, _sd("name"), NamedNode(name)),
                    Triple(named, _sd("graph"), graph),
                    Triple(graph, RDF_TYPE, _sd("Graph")),
                    Triple(graph, VOID_TRIPLES, Literal(str(size), datatype=INTEGER))]
    return triples
