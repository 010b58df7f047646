"""The one table of RDF formats: name, media type, file extension, writer and parser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kg import jsonld


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    dataset: bool  # holds named graphs
    oxigraph: RdfFormat
    writer: Callable[[list, dict[str, str]], bytes] | None  # None: read, never written


def _oxigraph_writer(fmt: RdfFormat) -> Callable[[list, dict[str, str]], bytes]:
    def write(statements: list, prefixes: dict[str, str]) -> bytes:
        used = used_prefixes(statements, prefixes)
        body = serialize(statements, format=fmt, prefixes=used)
        # oxigraph writes its @prefix lines in an order of its own; ours are sorted by name.
        while body.startswith(b"@prefix "):
            body = body.split(b"\n", 1)[1]
        header = "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(used.items()))
        return header.encode("utf-8") + b"\n" + body
    return write


def used_prefixes(statements: list, prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts at least one IRI of the statements."""
    iris = set()
    for statement in statements:
        for term in statement:
            if isinstance(term, NamedNode):
                iris.add(term.value)
            elif isinstance(term, Literal):
                iris.add(term.datatype.value)
    namespaces = {ns for iri in iris for ns in prefixes.values() if iri.startswith(ns)}
    return {name: ns for name, ns in prefixes.items() if ns in namespaces}


def _sorted_lines_writer(fmt: RdfFormat) -> Callable[[list, dict[str, str]], bytes]:
    # One statement a line, sorted like `LC_ALL=C sort`, so that `diff` of two builds is short.
    def write(statements: list, prefixes: dict[str, str]) -> bytes:
        return serialize(sorted(statements, key=lambda s: tuple(map(str, s))), format=fmt)
    return write


def _jsonld_writer(triples: list, prefixes: dict[str, str]) -> bytes:
    return jsonld.dumps(jsonld.document(triples, used_prefixes(triples, prefixes)))


FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", ".ttl", False, RdfFormat.TURTLE,
           _oxigraph_writer(RdfFormat.TURTLE)),
    Format("ntriples", "application/n-triples", ".nt", False, RdfFormat.N_TRIPLES,
           _sorted_lines_writer(RdfFormat.N_TRIPLES)),
    Format("jsonld", "application/ld+json", ".jsonld", False, RdfFormat.JSON_LD, _jsonld_writer),
    Format("trig", "application/trig", ".trig", True, RdfFormat.TRIG,
           _oxigraph_writer(RdfFormat.TRIG)),
    Format("nquads", "application/n-quads", ".nq", True, RdfFormat.N_QUADS,
           _sorted_lines_writer(RdfFormat.N_QUADS)),
    Format("rdfxml", "application/rdf+xml", ".rdf", False, RdfFormat.RDF_XML, None),
)
BY_NAME = {f.name: f for f in FORMATS}
BY_EXTENSION = {f.extension: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
EXPORTED = tuple(f for f in FORMATS if f.writer is not None)


def from_path(path) -> Format:
    """The format a file name's extension stands for."""
    from pathlib import Path

    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return BY_NAME["jsonld"]
    if suffix == ".owl" or suffix == ".xml":
        return BY_NAME["rdfxml"]
    try:
        return BY_EXTENSION[suffix]
    except KeyError:
        known = ", ".join(sorted(BY_EXTENSION))
        raise ValueError(f"unknown RDF file extension '{suffix}' (known: {known})") from None


def triples_of(quads: list[Quad]) -> list[Triple]:
    """The triples of all graphs together, each once, in a stable order."""
    unique = {(str(q.subject), str(q.predicate), str(q.object)): q.triple for q in quads}
    return [unique[key] for key in sorted(unique, key=_triple_key)]


def sorted_quads(quads: list[Quad]) -> list[Quad]:
    unique = {(str(q.graph_name),) + (str(q.subject), str(q.predicate), str(q.object)): q
              for q in quads}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[0],) + _triple_key(k[1:]))]


_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _triple_key(key: tuple[str, str, str]) -> tuple:
    # rdf:type first within a subject, as people expect to read it.
    subject, predicate, obj = key
    return (subject, predicate != _RDF_TYPE, predicate, obj)
