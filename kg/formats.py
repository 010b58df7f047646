"""The one table of RDF formats (on pyoxigraph's RdfFormat) and of SPARQL results formats,
with the writers, the readers, and kg's own columns: exported by `kg build`, offered for every
resource of the site, the short names the command line accepts."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Quad, QueryResultsFormat, RdfFormat, parse, serialize

from kg import jsonld, order
from kg.errors import InputError
from kg.sources import read_bytes


@dataclass(frozen=True)
class Format:
    """One RDF format: pyoxigraph's description of it, and what kg does with it."""

    name: str
    oxigraph: RdfFormat
    dataset: bool  # kg writes named graphs in it
    exported: bool  # kg build writes graph<extension>
    served: bool  # every published resource has a representation in it
    # Writes the statements (any order; the canonical order is cheapest) to a binary file.
    write: Callable[[list, dict[str, str], BinaryIO], None]
    aliases: tuple[str, ...] = ()  # other names on the command line
    read_extensions: tuple[str, ...] = ()  # further file name endings read as this format
    description: str = ""  # what kg build's file in this format holds

    @property
    def media_type(self) -> str:
        return self.oxigraph.media_type

    @property
    def extension(self) -> str:
        return "." + self.oxigraph.file_extension

    @property
    def label(self) -> str:
        return self.oxigraph.name

    def dumps(self, statements: list, prefixes: dict[str, str]) -> bytes:
        """The statements in this format, in memory (for small graphs: files use write)."""
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
    needle = f"{name}:".encode()
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


def _rdfxml_writer(triples: list, prefixes: dict[str, str], out: BinaryIO) -> None:
    # RDF/XML can only abbreviate with namespaces that end in '/' or '#'.
    usable = {k: v for k, v in prefixes.items() if v.endswith(("/", "#"))}
    serialize(order.triples(triples), out, format=RdfFormat.RDF_XML, prefixes=usable)


FORMATS: tuple[Format, ...] = (
    Format("turtle", RdfFormat.TURTLE, False, True, True, _turtle_writer, ("ttl",),
           description="all triples (facts and their evidence), grouped by subject"),
    Format("ntriples", RdfFormat.N_TRIPLES, False, True, True, _ntriples_writer, ("nt",),
           description="the same triples, one a line"),
    Format("jsonld", RdfFormat.JSON_LD, False, True, True, _jsonld_writer, ("json",), (".json",),
           description="the same triples, compacted, one node object a line, with its "
           "`@context` inline (parses offline)"),
    Format("trig", RdfFormat.TRIG, True, True, False, _trig_writer,
           description="the dataset with its named graphs"),
    Format("nquads", RdfFormat.N_QUADS, True, True, False, _nquads_writer, ("nq",),
           description="the dataset, one quad a line, each graph's lines together (for bulk "
           "loaders)"),
    Format("rdfxml", RdfFormat.RDF_XML, False, False, True, _rdfxml_writer, (),
           (".owl", ".xml"), description="not written by kg build; each published resource "
           "has it"),
)
BY_NAME = {name: f for f in FORMATS for name in (f.name, *f.aliases)}
BY_EXTENSION = {ext: f for f in FORMATS for ext in (f.extension, *f.read_extensions)}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
EXPORTED = tuple(f for f in FORMATS if f.exported)
SERVED = tuple(f for f in FORMATS if f.served)


@dataclass(frozen=True)
class ResultsFormat:
    """One SPARQL 1.1 query results format (SELECT and ASK)."""

    name: str
    oxigraph: QueryResultsFormat

    @property
    def media_type(self) -> str:
        return self.oxigraph.media_type


RESULTS_FORMATS: tuple[ResultsFormat, ...] = (
    ResultsFormat("json", QueryResultsFormat.JSON),
    ResultsFormat("xml", QueryResultsFormat.XML),
    ResultsFormat("csv", QueryResultsFormat.CSV),
    ResultsFormat("tsv", QueryResultsFormat.TSV),
)
RESULTS_BY_NAME = {f.name: f for f in RESULTS_FORMATS}
RESULTS_BY_MEDIA_TYPE = {f.media_type.split(";")[0]: f for f in RESULTS_FORMATS}


def from_path(path) -> Format:
    """The format a file name's extension stands for.

    >>> from_path("out/graph.nq").name
    'nquads'
    """
    suffix = Path(path).suffix.lower()
    try:
        return BY_EXTENSION[suffix]
    except KeyError:
        known = ", ".join(sorted(BY_EXTENSION))
        raise ValueError(f"unknown RDF file extension '{suffix}' (known: {known})") from None


def read(paths: Iterable[Path]) -> list[Quad]:
    """Parse graph files (by extension) with pyoxigraph, keeping literals as written; a file
    that cannot be read names itself and, where the parser says, the line."""
    quads: list[Quad] = []
    for path in paths:
        try:
            fmt = from_path(path)
        except ValueError as exc:
            raise InputError(str(exc), path=path) from None
        data = read_bytes(path)  # regular files only: a FIFO would block, a folder fail
        if fmt.name == "rdfxml" and re.search(rb"<!(DOCTYPE|ENTITY)", data):
            raise InputError("RDF/XML with a DOCTYPE or entity declarations is refused "
                             "(entities can read local files or expand without bound)", path=path)
        try:
            quads.extend(parse(data, format=fmt.oxigraph, base_iri=Path(path).resolve().as_uri()))
        except SyntaxError as exc:
            message = str(exc.msg if getattr(exc, "msg", None) else exc)
            if "LoadDocumentCallback" in message:
                message = ("its @context names a remote or file document; kg never fetches "
                           "contexts: put the context inline")
            raise InputError(f"not valid {fmt.name}: {message}", path=path,
                             line=_syntax_line(exc)) from None
        except (ValueError, OSError) as exc:
            raise InputError(f"not valid {fmt.name}: {exc}", path=path) from None
    return quads


def _syntax_line(exc: SyntaxError) -> int | None:
    if exc.lineno:
        return exc.lineno
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None
