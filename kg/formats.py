"""The one table of RDF formats: name, media type, file extension, writer and parser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import DefaultGraph, Quad, RdfFormat, Triple, serialize

from kg import jsonld


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    dataset: bool  # holds named graphs
    oxigraph: RdfFormat
    writer: Callable[[list, dict[str, str]], bytes] | None  # None: read, never written


def sorted_lines(statements: list, fmt: RdfFormat = RdfFormat.N_TRIPLES) -> bytes:
    """The statements as unique N-Triples (or N-Quads) lines in byte order, which is code
    point order, like `LC_ALL=C sort -u`: the sort runs on bytes, not on Python objects."""
    lines = sorted(set(serialize(statements, format=fmt).split(b"\n")))
    if lines and not lines[0]:
        lines = lines[1:]
    return b"\n".join(lines) + b"\n" if lines else b""


def used_prefixes(data: bytes, prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts an IRI of N-Triples/N-Quads data."""
    return {name: ns for name, ns in prefixes.items() if f"<{ns}".encode("utf-8") in data}


def _prefix_header(used: dict[str, str]) -> bytes:
    return "".join(f"@prefix {n}: <{ns}> .\n" for n, ns in sorted(used.items())).encode("utf-8")


_TYPE_TEXT = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "


def _reading_order(statement) -> str:
    # str() of a pyoxigraph triple or quad is its N-Triples/N-Quads text: sorting on it in C
    # is several times faster than any key built in Python. rdf:type leads within a subject.
    return str(statement).replace(_TYPE_TEXT, " \x00 ", 1)


def _turtle_body(triples: list, used: dict[str, str]) -> bytes:
    body = serialize(sorted(dict.fromkeys(triples), key=_reading_order),
                     format=RdfFormat.TURTLE, prefixes=used)
    # oxigraph writes its own @prefix lines, in an order of its own: ours are sorted by name.
    while body.startswith(b"@prefix "):
        body = body.split(b"\n", 1)[1]
    return body


def _turtle_writer(triples: list, prefixes: dict[str, str]) -> bytes:
    used = used_prefixes(serialize(triples, format=RdfFormat.N_TRIPLES), prefixes)
    return _prefix_header(used) + b"\n" + _turtle_body(triples, used)


def _trig_writer(quads: list, prefixes: dict[str, str]) -> bytes:
    graphs: dict = {}
    for q in quads:
        graphs.setdefault(q.graph_name, []).append(q.triple)
    blocks, used = [], {}
    for name in sorted(graphs, key=str):
        table = used_prefixes(serialize(graphs[name], format=RdfFormat.N_TRIPLES), prefixes)
        used.update(table)
        body = _turtle_body(graphs[name], table).rstrip(b"\n").replace(b"\n", b"\n\t")
        head = b"" if isinstance(name, DefaultGraph) else str(name).encode("utf-8") + b" "
        blocks.append(head + b"{\n\t" + body + b"\n}\n")
    return _prefix_header(used) + b"\n" + b"".join(blocks)


def _ntriples_writer(triples: list, prefixes: dict[str, str]) -> bytes:
    # One statement a line, sorted like `LC_ALL=C sort`, so that `diff` of two builds is short.
    return sorted_lines(triples)


def _nquads_writer(quads: list, prefixes: dict[str, str]) -> bytes:
    return sorted_lines(quads, RdfFormat.N_QUADS)


def _jsonld_writer(triples: list, prefixes: dict[str, str]) -> bytes:
    ordered = sorted(dict.fromkeys(triples), key=_reading_order)
    used = used_prefixes(serialize(ordered, format=RdfFormat.N_TRIPLES), prefixes)
    return jsonld.dumps(jsonld.document(ordered, used))


FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", ".ttl", False, RdfFormat.TURTLE, _turtle_writer),
    Format("ntriples", "application/n-triples", ".nt", False, RdfFormat.N_TRIPLES,
           _ntriples_writer),
    Format("jsonld", "application/ld+json", ".jsonld", False, RdfFormat.JSON_LD, _jsonld_writer),
    Format("trig", "application/trig", ".trig", True, RdfFormat.TRIG, _trig_writer),
    Format("nquads", "application/n-quads", ".nq", True, RdfFormat.N_QUADS, _nquads_writer),
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
    """The triples of all graphs together; the writers sort them and drop duplicates."""
    return [q.triple for q in quads]
