"""Query results, wherever they came from, and their output formats: a table for people, the
SPARQL 1.1 results formats, or RDF for CONSTRUCT and DESCRIBE."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field

from pyoxigraph import (
    BlankNode,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse,
    parse_query_results,
)

from kg.errors import QueryError
from kg.formats import BY_MEDIA_TYPE, BY_NAME, RESULTS_BY_MEDIA_TYPE, RESULTS_BY_NAME
from kg.namespaces import XSD, shortener

# In the order that `kg query --help` and its messages give them.
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "json")  # names in kg.formats.BY_NAME
# What `kg query --format` takes: SELECT/ASK formats, then the graph formats ("json" is both).
OUTPUT_FORMATS = tuple(dict.fromkeys(SELECT_FORMATS + GRAPH_FORMATS))


@dataclass
class Results:
    """Query results independent of where they came from: solutions, a boolean or triples."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)  # pyoxigraph terms or None
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)  # for shortening IRIs in output
    truncated: bool = False  # rows or triples were cut at a bound (kg serve's --max-rows)
    # The results already written in the format asked for (kg serve's workers), rows and
    # triples left empty: bytes to forward, not to parse.
    serialized: bytes | None = None

    def serialize(self, fmt: str | None = None) -> bytes:
        """The results as `kg query --format fmt` writes them (a table or Turtle by default)."""
        return render(self, fmt or ("turtle" if self.kind == "graph" else "table"),
                      self.prefixes)


def collect(result) -> Results:
    """Results from what pyoxigraph's query or results parser returns."""
    if isinstance(result, QueryBoolean):
        return Results("ask", boolean=bool(result))
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        return Results("select", names, [[row[n] for n in names] for row in result])
    return Results("graph", triples=list(result))


def from_serialized(kind: str, data: bytes) -> Results:
    """Results from SPARQL JSON results ('results') or N-Triples ('graph'), as workers send."""
    if kind == "results":
        return collect(parse_query_results(data, format=QueryResultsFormat.JSON))
    return Results("graph", triples=[q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)])


def from_response(media: str, body: bytes) -> Results | None:
    """Results from an endpoint's answer of the given media type, or None for a type that is
    neither a SPARQL results format nor an RDF format."""
    media = media.split(";")[0].strip().lower()
    if media == "application/json":
        media = "application/sparql-results+json"
    found = RESULTS_BY_MEDIA_TYPE.get(media)
    if found is not None:
        return collect(parse_query_results(body, format=found.oxigraph))
    rdf = BY_MEDIA_TYPE.get(media)
    if rdf is not None and not rdf.dataset:
        return Results("graph", triples=[q.triple for q in parse(body, format=rdf.oxigraph)])
    return None


def render(results: Results, fmt: str, prefixes: dict[str, str]) -> bytes:
    """The results in the requested format: SPARQL 1.1 results formats, a table, or RDF."""
    if results.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"--format {fmt} is for SELECT/ASK results; CONSTRUCT and DESCRIBE "
                             f"write {', '.join(GRAPH_FORMATS)}")
        return BY_NAME[fmt].dumps(results.triples, prefixes)
    if fmt == "table":
        return table(results, prefixes).encode("utf-8")
    if fmt not in RESULTS_BY_NAME:
        raise QueryError(f"--format {fmt} is for CONSTRUCT/DESCRIBE results; a SELECT/ASK "
                         f"query writes {', '.join(SELECT_FORMATS)}")
    # Round-trip through JSON so that pyoxigraph's own writers produce the standard formats.
    parsed = parse_query_results(to_json(results).encode("utf-8"), format=QueryResultsFormat.JSON)
    out = io.BytesIO()
    parsed.serialize(out, format=RESULTS_BY_NAME[fmt].oxigraph)
    return out.getvalue()


def to_json(results: Results) -> str:
    """SPARQL 1.1 Query Results JSON of a SELECT or ASK."""
    if results.kind == "ask":
        return json.dumps({"head": {}, "boolean": results.boolean})

    def cell(t):
        if isinstance(t, NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, BlankNode):
            return {"type": "bnode", "value": t.value}
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD + "string":
            out["datatype"] = t.datatype.value
        return out
    bindings = [{v: cell(t) for v, t in zip(results.variables, row) if t is not None}
                for row in results.rows]
    return json.dumps({"head": {"vars": results.variables}, "results": {"bindings": bindings}})


# What a terminal would act on or that would break a table's lines, from whatever graph or
# endpoint: C0 controls but tab, line feed, carriage return, vertical tab and form feed (spaces
# in a table), DEL, C1 controls, the line and paragraph separators and the bidi controls.
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")


def _escaped(c: re.Match) -> str:
    code = ord(c.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    r"""Text safe for a terminal, on one line: controls escaped (ESC as \x1b), spaces joined.

    >>> print(printable("a\x1b[31mb\u202ec\n d\x07"))
    a\x1b[31mb\u202ec d\x07
    """
    return " ".join(_UNSAFE.sub(_escaped, text).split())


def table(results: Results, prefixes: dict[str, str]) -> str:
    """A plain-text table with IRIs shortened, one line per row, and a row count."""
    if results.kind == "ask":
        return ("true" if results.boolean else "false") + "\n"
    prefixed = shortener(prefixes)

    def short(t) -> str:
        if t is None:
            return ""
        if isinstance(t, NamedNode):
            return printable(prefixed(t.value) or f"<{t.value}>")
        return printable(t.value)  # one line per row, whatever the text holds

    header = [printable(v) for v in results.variables]
    body = [[short(t) for t in row] for row in results.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"
