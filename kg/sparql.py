"""Run SPARQL queries (the shipped examples or the user's) on graph files or an endpoint, safely:
read-only, bound parameters, and a time limit."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from kg import catalog, http, index
from kg.catalog import Example, term, typed
from kg.engine import DEFAULT_TIMEOUT, QueryEngine, StoreUnavailable, dataset_store
from kg.errors import QueryError, QueryTimeout
from kg.formats import read
from kg.iris import prefixes
from kg.namespaces import DEFAULT_BASE_IRI
from kg.results import Results, from_response
from kg.sparql_tokens import (
    VARNAME,
    AmbiguousToken,
    decode_codepoints,
    has_codepoints,
    line_column,
    notable,
    quiet_tokens,
)

DEFAULT_DATA = Path("out") / "graph.trig"
# The longest query kg reads, in characters: checked first, it bounds the work of reading one
# (a megabyte of the worst text is tokenized in about a second, common text in a fraction of
# that), far above any real query (the shipped examples are under 2,000 characters).
MAX_QUERY_CHARS = 1_000_000
_WHY = {"SERVICE": "it would call another endpoint", "LOAD": "it would fetch a URL",
        "FROM": "it would read other graphs or URLs"}
# Refused anywhere inside a bare name: Oxigraph reads a keyword without a word boundary after
# it (`SERVICESILENT<...>` is SERVICE SILENT, `trueSERVICE` is true then SERVICE).
_REFUSED = re.compile("SERVICE|LOAD|FROM|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH",
                      re.IGNORECASE)
# ...and in the prefix of a prefixed name, for those a query can use (`SERVICE:x {` is SERVICE
# and the IRI :x); the local part is read whole, as the engine does (`ex:load` is a name).
_REFUSED_PREFIX = re.compile("SERVICE|FROM", re.IGNORECASE)
_GRAPH = re.compile("GRAPH", re.IGNORECASE)
# The bare names and prefixes read one by one; the rest is read in quiet runs.
_NOTABLE = quiet_tokens(_REFUSED.pattern.split("|") + ["VALUES", "GRAPH", "WHERE"])
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
    (['member', 'name', 'article'], 5)
    >>> print(results.serialize("table").decode(), end="")
    member                  name       article
    ----------------------  ---------  -------------------------------------------------
    organization:arm        Arm        article:verge-2025-01-21-microsoft-openai-compute
    organization:microsoft  Microsoft  article:verge-2025-01-21-microsoft-openai-compute
    organization:nvidia     Nvidia     article:verge-2025-01-21-microsoft-openai-compute
    organization:openai     OpenAI     article:verge-2025-01-21-microsoft-openai-compute
    organization:oracle     Oracle     article:verge-2025-01-21-microsoft-openai-compute
    (5 rows)
    """
    given = parameters(params)
    example = _example(query)
    terms = bindings(example, given)
    if endpoint:
        check_safe(with_values(example.text, terms))  # the text the endpoint is sent
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


def bindings(example: Example, given: Mapping[str, object]) -> dict[str, object]:
    """Parameter terms: the given values over the example's defaults; unknown names refused,
    and names that are not SPARQL variable names (they are written into the query). A
    parameter declared with a type takes a value of that type (kg.catalog.TYPES), bound as a
    typed literal; an optional one, not given, stays unbound.

    >>> example = catalog.parse("q", "# When?\\n# Parameter: date (xsd:date) = 2025-06-01\\n")
    >>> bindings(example, {})["date"]
    <Literal value=2025-06-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    >>> bindings(example, {"date": "June"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.QueryError: the parameter date takes a date, YYYY-MM-DD, like 2025-06-01; ...
    """
    declared = {**dict.fromkeys(example.parameters), **example.types}
    for name in (*given, *declared):
        _check_name(name)
    unknown = sorted(set(given) - set(declared))
    if unknown and declared:
        raise QueryError(f"unknown parameter {', '.join(unknown)}; this query takes: "
                         f"{', '.join(sorted(declared))}")
    values = {**example.parameters, **given}
    return {name: typed(name, value, declared.get(name)) for name, value in values.items()}


def runnable(example: Example) -> str:
    """The example's text with its default parameters bound, as an endpoint that takes no
    parameters runs it (the links of the /sparql page)."""
    return with_values(example.text, bindings(example, {}))


def _check_name(name: object) -> None:
    """Refuse a parameter name that is not a VARNAME, naming its first wrong character."""
    name = str(name)
    if VARNAME.fullmatch(name):
        return
    if not name:
        raise QueryError("a parameter name is empty")
    found = VARNAME.match(name)
    at = found.end() if found else 0
    raise QueryError(f"the parameter name {name!r} is not a SPARQL variable name: character "
                     f"{at + 1} ({name[at]!r}) cannot be in one")


def check_safe(text: str) -> None:
    """Refuse updates and anything that reads beyond the given data (SERVICE, LOAD, FROM),
    read as the engine reads the query (kg.sparql_tokens), and queries over MAX_QUERY_CHARS.
    Run it on the text that the engine is given, parameters bound.

    >>> check_safe("DELETE WHERE { ?s ?p ?o }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.QueryError: DELETE is refused: kg query only reads: SPARQL Update is refused (l...
    >>> check_safe("SELECT ?from WHERE { ?s <http://x/service> 'LOAD' } # SERVICE")
    """
    _check(text)


def _check(text: str) -> bool:
    """check_safe(text), and whether the query uses GRAPH (so that named graphs are needed)."""
    if not isinstance(text, str):
        raise TypeError(f"a query is text, not {type(text)}")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long; the limit is "
                         f"{MAX_QUERY_CHARS:,}")
    graph = _check_tokens(text, "")
    # SPARQL 1.1 §19.2 has \u escapes decoded before parsing; pyoxigraph 0.5 does not decode
    # them (outside strings and IRIs they are syntax errors), an engine that did would read
    # the decoded text: it is checked too.
    if has_codepoints(text):
        graph = _check_tokens(decode_codepoints(text), ", once its \\u escapes are decoded") \
            or graph
    return graph


def _check_tokens(text: str, decoded: str) -> bool:
    graph = False
    try:
        for kind, start, end in notable(text, _NOTABLE, ("word", "pname")):
            if kind == "pname":
                end = text.index(":", start)
                found = _REFUSED_PREFIX.search(text, start, end)
            else:
                found = _REFUSED.search(text, start, end)
                graph = graph or _GRAPH.search(text, start, end) is not None
            if found:
                word = found.group(0).upper()
                line, column = line_column(text, start)
                within = "" if found.span() == (start, end) else f", in {text[start:end]!r}"
                reason = _WHY.get(word, "kg query only reads: SPARQL Update is refused")
                raise QueryError(f"{word} is refused: {reason} "
                                 f"(line {line}, column {column}{within}{decoded})")
    except AmbiguousToken as exc:
        line, column = line_column(text, exc.offset)
        raise QueryError(f"the '<' at line {line}, column {column}{decoded} {exc}") from None
    return graph


def with_values(text: str, terms: Mapping[str, object]) -> str:
    """The query with a VALUES block binding the parameters, after the `{` of its first WHERE
    (for endpoints, which take no initial bindings, and for the local engine alike)."""
    if not terms:
        return text
    names = sorted(terms)
    for name in names:
        _check_name(name)
    values = [terms[n] if isinstance(terms[n], (NamedNode, Literal)) else term(terms[n])
              for n in names]
    where, after = None, False
    try:
        for kind, start, end in notable(text, _NOTABLE):
            if after and kind == "brackets" and text[start] == "{":
                where = start + 1
                break
            after = kind == "word" and text[start:end].upper() == "WHERE"
    except AmbiguousToken:
        pass  # refused by check_safe, which reads the text with its VALUES
    if where is None:
        raise QueryError("parameters need a query with a WHERE clause")
    # Each value is one RDF term in N-Triples syntax (quotes and line breaks escaped).
    block = ("VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(str(v) for v in values) + ") }")
    return f"{text[:where]}\n  {block}\n{text[where:]}"


def run_local(text: str, terms: Mapping[str, object], data: list[Path],
              timeout: float = DEFAULT_TIMEOUT) -> Results:
    """Run the query on the graph files, in a worker process stopped at the time limit. The
    text checked is the one run, parameters bound. A build's graph.trig is answered from its
    index when that matches it (kg.index), else parsed; so is a query still running over the
    index after index.budget seconds, then with the whole timeout."""
    query = with_values(text, terms)
    named = _check(query)
    folder = index.find(data)
    if folder is not None:
        # On disk a query that reads much of the graph runs several times slower than in
        # memory: past about the time parsing would take, it is run on the parsed files.
        budget = min(timeout, index.budget(data[0]))
        try:
            with QueryEngine(index.opener(folder), workers=1) as engine:
                return engine.run(query, budget)
        except StoreUnavailable as exc:
            index.fallback(folder, exc.message)
        except QueryTimeout:
            index.log.info("kg: the query ran %.1f s over the index; running it in memory", budget)
    store = dataset_store(read(data), named_graphs=named)
    with QueryEngine(store, workers=1) as engine:
        return engine.run(query, timeout)


def run_endpoint(url: str, text: str, terms: Mapping[str, object],
                 timeout: float = DEFAULT_TIMEOUT,
                 max_response: int = http.DEFAULT_MAX_RESPONSE) -> Results:
    """Run the query on a SPARQL 1.1 Protocol endpoint (POST, parameters as a VALUES block),
    within timeout seconds from connecting to the answer's last byte, and an answer of
    max_response bytes at most; whatever fails is a QueryError naming the endpoint."""
    query = with_values(text, terms)
    where = http.shown(url)
    try:
        with http.Client(timeout, max_response) as client:
            # The URL-encoded form is the one POST binding every store accepts (Virtuoso does
            # not answer a direct application/sparql-query body).
            answer = client.request("POST", url, data={"query": query},
                                    headers={"Accept": _RESULT_TYPES})
    except http.Failure as exc:
        if exc.kind == "timeout":
            raise QueryTimeout(f"the endpoint {where} did not answer in full within "
                               f"{timeout:g} s") from None
        if exc.retry:
            raise QueryError(f"cannot reach the endpoint {where}: {exc}") from None
        raise QueryError(str(exc)) from None
    if answer.status >= 400:
        raise QueryError(f"the endpoint {where} answered {answer.status}: {answer.words(500)}")
    try:
        results = from_response(answer.media, answer.body)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"the endpoint {where} {answer.described()} that cannot be read: "
                         f"{http.clean(str(exc), 300)}") from None
    if results is None:
        raise QueryError(f"the endpoint {where} answered {answer.status} with an unexpected "
                         f"media type '{http.clean(answer.media, 100)}'")
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
