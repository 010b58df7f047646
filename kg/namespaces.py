"""Every namespace and prefix the project uses, in one table."""

KGO = "https://kg.example.org/ontology#"
ONTOLOGY_IRI = "https://kg.example.org/ontology"
DEFAULT_BASE_IRI = "https://kg.example.org/"

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


def prefixes(base_iri: str) -> dict[str, str]:
    """Vocabulary prefixes plus one prefix per kind of resource minted under base_iri."""
    from kg.iris import KINDS

    table = dict(VOCABULARY_PREFIXES)
    for kind in KINDS:
        table[kind] = f"{base_iri}id/{kind}/"
    return table


def shortener(table: dict[str, str]):
    """A function giving prefix:local for an IRI under one of the namespaces (the longest
    wins), or None, for people to read (a local part may hold '#')."""
    import re

    ordered = sorted(table.items(), key=lambda kv: -len(kv[1]))
    local_name = re.compile(r"[\w.#-]*[\w-]")

    def short(iri: str) -> str | None:
        for name, ns in ordered:
            if iri.startswith(ns) and local_name.fullmatch(iri[len(ns):]):
                return f"{name}:{iri[len(ns):]}"
        return None
    return short
