"""The example queries shipped with kg (kg/queries/*.rq), and the header every query file may
carry: its first comment line is the question it answers, and each `# Parameter: NAME = VALUE`
line declares a parameter with its default value. `# Parameter: NAME (TYPE) = VALUE` also
declares its type (xsd:date, IRI... see TYPES): a value given is then checked and bound as a
term of that type; a typed parameter without `= VALUE` is optional, unbound unless given.
term() and typed() make the RDF term of a value given."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date as _date
from decimal import Decimal
from difflib import get_close_matches
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode

from kg.errors import QueryError

QUERIES = Path(__file__).resolve().parent / "queries"
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARAMETER = re.compile(r"#\s*Parameter:\s*(\w+)\s*(?:\(\s*([\w:]+)\s*\))?\s*(?:=\s*(.+?))?\s*$")
# The types a parameter may declare, each with the form its values take.
TYPES = {
    "IRI": "an IRI, like <https://kg.example.org/id/agreement/stargate>",
    "xsd:date": "a date, YYYY-MM-DD, like 2025-06-01",
    "xsd:gYearMonth": "a month, YYYY-MM, like 2025-06",
    "xsd:gYear": "a year, YYYY, like 2025",
    "xsd:integer": "a whole number, like 42",
    "xsd:decimal": "a decimal number, like 4.5",
    "xsd:boolean": "true or false",
    "xsd:string": "any text",
}


@dataclass(frozen=True)
class Example:
    """A shipped example query: its name, the question it answers and its parameters."""

    name: str
    question: str
    parameters: dict[str, str]  # name -> default value as written (<iri> or text)
    text: str
    types: dict[str, str | None] = field(default_factory=dict)  # every declared name -> type


def examples() -> list[Example]:
    """The example queries shipped with kg, sorted by name.

    >>> [e.name for e in examples()][:2]
    ['agreement-clauses', 'agreement-history']
    """
    return [read(path) for path in sorted(QUERIES.glob("*.rq"))]


def find(name: str) -> Example | None:
    """The shipped example of that name, or None.

    >>> find("agreement-parties").parameters
    {'agreement': '<https://kg.example.org/id/agreement/microsoft-openai-partnership>'}
    >>> find("no-such-query") is None
    True
    """
    path = QUERIES / f"{name}.rq"
    return read(path) if NAME.fullmatch(name) and path.is_file() else None


def read(path: str | os.PathLike) -> Example:
    """A query file, named after its file name without the extension."""
    path = Path(path)
    try:
        return parse(path.stem, path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise QueryError("the query file is not UTF-8 text", path=path) from None


def parse(name: str, text: str) -> Example:
    """A query with its question (the first comment line) and declared parameters.

    >>> parse("q", "# Who?\\n# Parameter: x = <http://a>\\nSELECT ?x {}").parameters
    {'x': '<http://a>'}
    >>> parse("q", "# When?\\n# Parameter: d (xsd:date) = 2025-06-01\\nASK {}").types
    {'d': 'xsd:date'}
    """
    comments = [line for line in text.splitlines() if line.startswith("#")]
    question = comments[0].lstrip("# ").strip() if comments else ""
    parameters: dict[str, str] = {}
    types: dict[str, str | None] = {}
    for line in comments:
        match = _PARAMETER.match(line)
        if not match or (match.group(2) is None and match.group(3) is None):
            continue
        pname, kind, default = match.groups()
        if kind is not None and kind not in TYPES:
            raise QueryError(f"the parameter {pname} of {name} declares an unknown type "
                             f"'{kind}'; the types are: {', '.join(TYPES)}")
        types[pname] = kind
        if default is not None:
            parameters[pname] = default
    return Example(name, question, parameters, text, types)


def unknown(spec: str) -> QueryError:
    """The error for a name that is neither an example nor a file, with the nearest name."""
    hint = get_close_matches(spec, [e.name for e in examples()], n=1)
    more = f" (did you mean '{hint[0]}'?)" if hint else ""
    return QueryError(f"'{spec}' is neither an example query nor a file{more}; "
                      "`kg query --list` shows the examples")


def resolve(spec: str | os.PathLike, stdin: str | None = None) -> Example:
    """An example by name, a query file, or '-' for the text given on standard input."""
    if spec == "-":
        return parse("stdin", stdin or "")
    found = find(spec) if isinstance(spec, str) else None
    if found is not None:
        return found
    if Path(spec).is_file():
        return read(spec)
    raise unknown(os.fspath(spec))


# ------------------------------------------------------------------ parameter values

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


# The lexical forms kg takes for each declared type (a subset of XSD's: no time zones).
_FORMS = {
    "xsd:date": r"-?\d{4,}-\d\d-\d\d", "xsd:gYearMonth": r"-?\d{4,}-\d\d",
    "xsd:gYear": r"-?\d{4,}", "xsd:integer": r"[+-]?\d+",
    "xsd:decimal": r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", "xsd:boolean": r"true|false|1|0",
    "xsd:string": r"(?s:.*)",
}
_XSD = "http://www.w3.org/2001/XMLSchema#"


def typed(name: str, value: object, kind: str | None):
    """The term of one parameter value: term(value) when the parameter declares no type, else
    a literal of its type (or an IRI for IRI); a value not of that form is a QueryError
    naming the parameter and the form expected.

    >>> typed("date", "2024-12-01", "xsd:date").datatype.value
    'http://www.w3.org/2001/XMLSchema#date'
    """
    if kind is None:
        return term(value)
    expected = f"the parameter {name} takes {TYPES[kind]}"
    if isinstance(value, Literal):
        if kind != "IRI" and value.datatype.value == _XSD + kind[4:]:
            value = value.value
        else:
            raise QueryError(f"{expected}; got {value}")
    elif isinstance(value, NamedNode):
        if kind == "IRI":
            return value
        raise QueryError(f"{expected}; got the IRI <{value.value}>")
    elif isinstance(value, (_date, int, float, Decimal)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, _date) else str(value)
    elif isinstance(value, bool):
        value = "true" if value else "false"
    if not isinstance(value, str):
        raise QueryError(f"{expected}, not {value!r}")
    if kind == "IRI":
        found = term(value)
        if isinstance(found, NamedNode):
            return found
        raise QueryError(f"{expected}; got '{value}'")
    lexical = value if kind == "xsd:string" else value.strip()
    if not re.fullmatch(_FORMS[kind], lexical) or not _real_date(kind, lexical):
        raise QueryError(f"{expected}; got '{value}'")
    return Literal(lexical, datatype=NamedNode(_XSD + kind[4:]))


def _real_date(kind: str, lexical: str) -> bool:
    """Whether a date or month that has the right form names a day or month that exists."""
    try:
        if kind == "xsd:date" and len(lexical) == 10:
            _date.fromisoformat(lexical)
        elif kind == "xsd:gYearMonth":
            return 1 <= int(lexical[-2:]) <= 12
    except ValueError:
        return False
    return True
