"""The example queries shipped with kg (kg/queries/*.rq), and the header every query file may
carry: its first comment line is the question it answers, and each `# Parameter: NAME = VALUE`
line declares a parameter with its default value."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from kg.errors import QueryError

QUERIES = Path(__file__).resolve().parent / "queries"
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARAMETER = re.compile(r"#\s*Parameter:\s*(\w+)\s*=\s*(.+?)\s*$")


@dataclass(frozen=True)
class Example:
    """A shipped example query: its name, the question it answers and its parameters."""

    name: str
    question: str
    parameters: dict[str, str]  # name -> default value as written (<iri> or text)
    text: str


def examples() -> list[Example]:
    """The example queries shipped with kg, sorted by name.

    >>> [e.name for e in examples()][:2]
    ['agreement-clauses', 'agreement-parties']
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
    """
    comments = [line for line in text.splitlines() if line.startswith("#")]
    question = comments[0].lstrip("# ").strip() if comments else ""
    parameters = {}
    for line in comments:
        match = _PARAMETER.match(line)
        if match:
            parameters[match.group(1)] = match.group(2)
    return Example(name, question, parameters, text)


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
