"""The one table of RDF formats: name, media type, file extension, writer and parser."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

from pyoxigraph import RdfFormat, serialize

from kg import jsonld, order


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    dataset: bool  # holds named graphs
    oxigraph: RdfFormat
    # Writes the statements (any order; the canonical order is cheapest) to a binary file.
    write: Callable[[list, dict[str, str], BinaryIO], None] | None  # None: read, never written

    def dumps(self, statements: list, prefixes: dict[str, str]) -> bytes:
        """The statements in this format, in memory (for small graphs: files use write)."""
        assert self.write is not None, f"kg does not write {self.name}"
        return in_memory(partial(self.write, statements, prefixes))


def in_memory(write: Callable[[BinaryIO], None]) -> bytes:
    """What a function that writes to a binary file writes, as bytes."""
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


def used_prefixes(body: bytes, prefixes: dict[str, str], start: int = 0) -> dict[str, str]:
    """The prefixes that a Turtle or TriG body written by pyoxigraph uses, from offset start."""
    return {name: ns for name, ns in prefixes.items() if _writes_prefix(body, name, start)}


def _writes_prefix(body: bytes, name: str, start: int) -> bool:
    # A prefixed name starts a line or follows a space, a tab or '^^': one scan of the body
    # rules out an unused prefix, and a used one is found near the start.
    needle = f"{name}:".encode("utf-8")
    at = body.find(needle, start)
    while at != -1:
        if at == 0 or body[at - 1] in b" \t\n^":
            return True
        at = body.find(needle, at + 1)
    return False


def _header_end(body: bytes) -> int:
    # pyoxigraph writes an '@prefix' line for every prefix it is given, in an order of its own.
    at = 0
    while body.startswith(b"@prefix ", at):
        at = body.index(b"\n", at) + 1
    return at


def _with_prefixes(statements: list, fmt: RdfFormat, prefixes: dict[str, str],
                   out: BinaryIO) -> None:
    """pyoxigraph's Turtle or TriG, headed by our prefix lines: sorted by name, only those used."""
    body = serialize(statements, format=fmt, prefixes=prefixes)
    start = _header_end(body)
    used = used_prefixes(body, prefixes, start)
    out.write(("".join(f"@prefix {n}: <{ns}> .\n" for n, ns in sorted(used.items())) + "\n")
              .encode("utf-8"))
    out.write(memoryview(body)[start:])


def _turtle_writer(triples: list, prefixes: dict[str, str], out: BinaryIO) -> None:
    _with_prefixes(order.triples(triples), RdfFormat.TURTLE, prefixes, out)


def _trig_writer(quads: list, prefixes: dict[str, str], out: BinaryIO) -> None:
    _with_prefixes(order.dataset(quads), RdfFormat.TRIG, prefixes, out)


def _ntriples_writer(triples: list, prefixes: dict[str, str], out: BinaryIO) -> None:
    serialize(order.triples(triples), out, format=RdfFormat.N_TRIPLES)


def _nquads_writer(quads: list, prefixes: dict[str, str], out: BinaryIO) -> None:
    serialize(order.dataset(quads), out, format=RdfFormat.N_QUADS)


def _jsonld_writer(triples: list, prefixes: dict[str, str], out: BinaryIO) -> None:
    jsonld.write(order.triples(triples), prefixes, out)


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
EXPORTED = tuple(f for f in FORMATS if f.write is not None)


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
