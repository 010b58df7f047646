"""Every namespace and prefix the project uses, in one table, and the one IRI shortener."""

from __future__ import annotations

import re
from collections.abc import Callable

KGO = "https://kg.example.org/ontology#"
ONTOLOGY_IRI = "https://kg.example.org/ontology"
DEFAULT_BASE_IRI = "https://kg.example.org/"
KGSH = "https://kg.example.org/shapes#"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
OA = "http://www.w3.org/ns/oa#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
WD = "http://www.wikidata.org/entity/"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"

# Vocabulary prefixes, in the order they are written at the top of every serialization.
VOCABULARY_PREFIXES = {
    "kgo": KGO,
    "dcterms": DCTERMS,
    "oa": OA,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sem": SEM,
    "skos": SKOS,
    "time": TIME,
    "wd": WD,
    "xsd": XSD,
}
# Namespaces of kg's own documents (reports, the dataset description), not of the graph.
DOCUMENT_PREFIXES = {"sh": SH, "kgsh": KGSH, "void": VOID, "dcat": DCAT}

_LOCAL_NAME = re.compile(r"[\w.#-]*[\w-]")


def shortener(table: dict[str, str]) -> Callable[[str], str | None]:
    """A function giving prefix:local for an IRI under one of the namespaces (the longest
    wins), or None, for people to read (a local part may hold '#').

    >>> shortener({"kgo": KGO})(KGO + "Agreement")
    'kgo:Agreement'
    """
    ordered = sorted(table.items(), key=lambda kv: -len(kv[1]))

    def short(iri: str) -> str | None:
        for name, ns in ordered:
            if iri.startswith(ns) and _LOCAL_NAME.fullmatch(iri[len(ns):]):
                return f"{name}:{iri[len(ns):]}"
        return None
    return short


def readable(table: dict[str, str]) -> Callable[[str], str]:
    """Like shortener, but an IRI under no prefix is written <iri>, and N-Triples terms
    (a literal or an <iri> already) are left as they are."""
    short = shortener(table)

    def show(value: str) -> str:
        found = short(value)
        if found:
            return found
        return value if value.startswith(('"', "<", "_:")) else f"<{value}>"
    return show
