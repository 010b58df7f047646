"""Run SPARQL queries (the shipped examples or the user's) on graph files or an endpoint, safely:
read-only, bound parameters, and a time limit."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import httpx
from pyoxigraph import BlankNode, Literal, NamedNode

from kg import catalog
from kg.catalog import Example
from kg.engine import DEFAULT_TIMEOUT, QueryEngine, dataset_store
from kg.errors import QueryError, QueryTimeout
from kg.formats import read
from kg.iris import prefixes
from kg.namespaces import DEFAULT_BASE_IRI
from kg.results import Results, from_response

DEFAULT_DATA = Path("out") / "graph.trig"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
# What stands in a query where a keyword cannot: comments, strings, IRIs.
_NOT_KEYWORDS = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>'
    r'|[?$]\w+|(?:[A-Za-z][\w.-]*)?:[\w.%-]*')
_REFUSED = re.compile(r"\b(SERVICE|LOAD|FROM|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
                      re.IGNORECASE)
# A string given to query() that is not a file is SPARQL text, not a name, when it holds a
# brace or a line break, or starts with a comment or a keyword that opens a query or an update.
_TEXT = re.compile(r"[^\n{]*[\n{]|\s*(?:#|(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT"
                   r"|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?=[\s<*?$(]))",
                   re.IGNORECASE)
_RESULT_TYPES = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


def query(query: str | bytes | os.PathLike, *, data: Iterable[str | os.PathLike] | None = None,
          endpoint: str | None = None,
          params: Mapping[str, object] | Iterable[str] | None = None,
          timeout: float = DEFAULT_TIMEOUT) -> Results:
    """Run a query, as `kg query` does: on graph files (by default out/graph.trig), or on a
    SPARQL 1.1 Protocol endpoint when one is given.

    query is a shipped example's name (see kg.catalog.examples), the path of a query file,
    SPARQL text, or bytes (the text as read from standard input). params binds the query's
    parameters: a mapping of name to value, or "NAME=VALUE" strings; <...> or an absolute IRI
    is an IRI, anything else a literal. SPARQL Update, SERVICE, LOAD and FROM are refused
    (QueryError); a query still running after timeout seconds is stopped (QueryTimeout).

    The results carry the prefixes that shorten their IRIs, so that results.serialize(fmt)
    is what `kg query --format fmt` prints.

    >>> import tempfile, kg
    >>> with tempfile.TemporaryDirectory() as out:
    ...     _ = kg.build(out=out)
    ...     results = kg.query("joint-venture-members", data=[f"{out}/graph.trig"],
    ...                        params={"venture": "https://kg.example.org/id/agreement/stargate"})
    ...     kg.query("ASK { ?s a <https://kg.example.org/ontology#JointVenture> }",
    ...              data=[f"{out}/graph.trig"]).boolean
    True
    >>> results.variables, len(results.rows)
    (['member', 'name'], 5)
    >>> print(results.serialize("table").decode(), end="")
    member                  name
    ----------------------  ---------
    organization:arm        Arm
    organization:microsoft  Microsoft
    organization:nvidia     Nvidia
    organization:openai     OpenAI
    organization:oracle     Oracle
    (5 rows)
    """
    given = parameters(params)
    example = _example(query)
    terms = bindings(example, given)
    if endpoint:
        results = run_endpoint(endpoint, example.text, terms, timeout)
        results.prefixes = prefixes(DEFAULT_BASE_IRI)
        return results
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    paths = [Path(p) for p in data or ()] or [DEFAULT_DATA]
    if not data and not paths[0].exists():
        raise QueryError(f"no built dataset at {DEFAULT_DATA.as_posix()}: run `kg build` first, "
                         "or give --data FILE or --endpoint URL")
    results = run_local(example.text, terms, paths, timeout)
    results.prefixes = {**prefixes(DEFAULT_BASE_IRI), **file_prefixes(paths)}
    return results


def _example(query: str | bytes | os.PathLike) -> Example:
    """The query to run, with its declared parameters, from whatever query() was given."""
    if isinstance(query, (bytes, bytearray)):
        try:
            text = bytes(query).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QueryError(f"the query on standard input is not UTF-8 text "
                             f"(byte {exc.start})") from None
        return catalog.parse("stdin", text)
    if isinstance(query, os.PathLike):
        path = Path(query)
        if path.is_file():
            return catalog.read(path)
        raise catalog.unknown(os.fspath(path))
    if not isinstance(query, str):
        raise TypeError(f"query takes a name, a path, SPARQL text or bytes, not {type(query)}")
    found = catalog.find(query)
    if found is not None:
        return found
    if "{" not in query and "\n" not in query and _is_file(query):
        return catalog.read(query)
    if _TEXT.match(query):
        return catalog.parse("query", query)
    raise catalog.unknown(query)  # with the example's name it may have meant


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL, is no file
        return False


def parameters(params: Mapping[str, object] | Iterable[str] | None) -> dict[str, object]:
    """Parameter values by name from a mapping or from "NAME=VALUE" strings (as --param
    takes them); a leading ? or $ of a name is dropped.

    >>> parameters(["?agreement=<https://kg.example.org/id/agreement/stargate>"])
    {'agreement': '<https://kg.example.org/id/agreement/stargate>'}
    """
    if params is None:
        return {}
    if isinstance(params, Mapping):
        return {str(name).lstrip("?$"): value for name, value in params.items()}
    if isinstance(params, str):
        params = [params]
    given: dict[str, object] = {}
    for item in params:
        name, sep, value = str(item).partition("=")
        if not sep or not name:
            raise QueryError(f"--param takes NAME=VALUE, got '{item}'")
        given[name.lstrip("?$")] = value
    return given


def term(value: str | NamedNode | Literal):
    """A parameter value as an RDF term: <...> or an absolute IRI is an IRI, else a literal
    (a pyoxigraph NamedNode or Literal is taken as it is).

    >>> term("<https://kg.example.org/id/agreement/stargate>")
    <NamedNode value=https://kg.example.org/id/agreement/stargate>
    >>> term("Stargate")
    <Literal value=Stargate datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    if isinstance(value, (NamedNode, Literal)):
        return value
    if isinstance(value, BlankNode) or not isinstance(value, str):
        raise QueryError(f"a parameter value is text or an IRI, not {value!r}")
    stripped = value.strip()
    if stripped.startswith("<") and stripped.endswith(">"):
        iri = stripped[1:-1]
    elif re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`]+", stripped):
        iri = stripped
    else:
        return Literal(value)
    try:
        return NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"'{iri}' is not a valid IRI: {exc}") from None


def bindings(example: Example, given: Mapping[str, object]) -> dict[str, object]:
    """Parameter terms: the given values over the example's defaults; unknown names refused."""
    unknown = sorted(set(given) - set(example.parameters))
    if unknown and example.parameters:
        raise QueryError(f"unknown parameter {', '.join(unknown)}; this query takes: "
                         f"{', '.join(sorted(example.parameters))}")
    values = {**example.parameters, **given}
    return {name: term(value) for name, value in values.items()}


def check_safe(text: str) -> None:
    """Refuse updates and anything that reads beyond the given data (SERVICE, LOAD, FROM).

    >>> check_safe("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    kg.errors.QueryError: DELETE is refused: kg query only reads: SPARQL Update is refused
    """
    code = _NOT_KEYWORDS.sub(" ", text)
    match = _REFUSED.search(code)
    if match:
        word = match.group(1).upper()
        why = {"SERVICE": "it would call another endpoint",
               "LOAD": "it would fetch a URL", "FROM": "it would read other graphs or URLs"}
        reason = why.get(word, "kg query only reads: SPARQL Update is refused")
        raise QueryError(f"{word} is refused: {reason}")


def with_values(text: str, terms: Mapping[str, object]) -> str:
    """The query with a VALUES block binding the parameters, for endpoints (no initBindings)."""
    if not terms:
        return text
    match = _WHERE.search(_NOT_KEYWORDS.sub(lambda m: " " * len(m.group(0)), text))
    if not match:
        raise QueryError("parameters need a query with a WHERE clause")
    names = sorted(terms)
    block = ("VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(str(terms[n]) for n in names) + ") }")
    return f"{text[:match.end()]}\n  {block}\n{text[match.end():]}"


def run_local(text: str, terms: Mapping[str, object], data: list[Path],
              timeout: float = DEFAULT_TIMEOUT) -> Results:
    """Run the query on the graph files, in a worker process stopped at the time limit."""
    check_safe(text)
    query = with_values(text, terms)
    named = re.search(r"\bGRAPH\b", _NOT_KEYWORDS.sub(" ", text), re.IGNORECASE) is not None
    store = dataset_store(read(data), named_graphs=named)
    with QueryEngine(store, workers=1) as engine:
        return engine.run(query, timeout)


def run_endpoint(url: str, text: str, terms: Mapping[str, object],
                 timeout: float = DEFAULT_TIMEOUT) -> Results:
    """Run the query on a SPARQL 1.1 Protocol endpoint (POST, parameters as a VALUES block)."""
    query = with_values(text, terms)
    try:
        # The URL-encoded form is the one POST binding every store accepts (Virtuoso does not
        # answer a direct application/sparql-query body).
        response = httpx.post(url, data={"query": query}, timeout=timeout,
                              headers={"Accept": _RESULT_TYPES})
    except httpx.TimeoutException:
        raise QueryTimeout(f"the endpoint {url} did not answer within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise QueryError(f"cannot reach the endpoint {url}: {exc}") from None
    if response.status_code >= 400:
        message = response.text.strip()[:500] or response.reason_phrase
        raise QueryError(f"the endpoint {url} answered {response.status_code}: {message}")
    media = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        results = from_response(media, response.content)
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"the endpoint {url} answered {media} that cannot be read: {exc}") \
            from None
    if results is None:
        raise QueryError(f"the endpoint {url} answered with an unexpected media type '{media}'")
    return results


def file_prefixes(paths: Iterable[Path]) -> dict[str, str]:
    """The @prefix declarations of Turtle/TriG files, for shortening IRIs in tables."""
    found: dict[str, str] = {}
    for path in paths:
        if Path(path).suffix in (".ttl", ".trig"):
            with open(path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    match = re.match(r"@prefix\s+([\w-]*):\s*<([^>]*)>\s*\.", line)
                    if not match:
                        if line.strip():
                            break
                        continue
                    found[match.group(1)] = match.group(2)
    return found
