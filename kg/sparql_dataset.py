"""The RDF dataset of a query at kg serve's endpoint: FROM and FROM NAMED in the text, or
default-graph-uri and named-graph-uri in the request (SPARQL 1.1 Protocol 2.1.4), which win.

The engine reads a dataset clause as a graph of its own store (a name it does not hold is an
empty graph); it never fetches one. kg.sparql.check_safe refuses FROM, which `kg query`
would read as a file or a URL: check_dataset() runs it on the text with its dataset clauses
taken out, so that every other refusal (SERVICE, LOAD, updates) holds as before.
"""

from __future__ import annotations

import re

from kg.errors import QueryError
from kg.sparql import check_safe
from kg.sparql_tokens import AmbiguousToken, tokens

FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
# After DESCRIBE's resources, where no WHERE follows: the solution modifiers.
MODIFIERS = {"ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET", "VALUES"}
# An absolute IRI that is one IRIREF token when written between < and >.
ABSOLUTE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^<>"{}|^`\\\x00-\x20]*')


def split(text: str) -> tuple[str, list[str], int]:
    """(the text with its dataset clauses blanked out, the clauses as written, the offset
    where a dataset clause goes). A FROM that is not a dataset clause (in a name, in
    braces, without an IRI after it) is left where it is, for check_safe to refuse."""
    kept, clauses, at = [], [], None
    last, depth, form, template = 0, 0, None, False
    items = _tokens(text)
    i = 0
    while i < len(items):
        kind, start, end = items[i]
        word = text[start:end].upper() if kind == "word" else ""
        if kind == "brackets":
            for offset, char in enumerate(text[start:end], start):
                if char in "({":
                    if char == "{" and depth == 0 and at is None:
                        if form == "CONSTRUCT" and not template:
                            template = True  # the template: the dataset clause follows it
                        else:
                            at = offset
                    depth += 1
                elif char in ")}" and depth:
                    depth -= 1
                    if char == "}" and depth == 0 and template and at is None:
                        at = offset + 1
        elif depth == 0 and word == "FROM":
            named = (i + 1 < len(items) and items[i + 1][0] == "word"
                     and text[items[i + 1][1]:items[i + 1][2]].upper() == "NAMED")
            target = i + 2 if named else i + 1
            if target < len(items) and items[target][0] in ("iri", "pname"):
                clause = text[start:items[target][2]]
                # Blanked, not cut: the engine's and the check's lines and columns stay.
                kept += [text[last:start], re.sub(r"[^\r\n]", " ", clause)]
                clauses.append(clause)
                at = start if at is None else at
                last = items[target][2]
                i = target + 1
                continue
        elif depth == 0 and at is None:
            if word in FORMS and form is None:
                form = word
            elif form is not None and (word == "WHERE"
                                       or (form == "DESCRIBE" and word in MODIFIERS)):
                at = start
        i += 1
    kept.append(text[last:])
    stripped = "".join(kept)
    return stripped, clauses, len(stripped) if at is None else at


def _tokens(text: str) -> list[tuple[str, int, int]]:
    try:
        return list(tokens(text))
    except AmbiguousToken:
        return []  # check_safe refuses the text, naming the token


def with_dataset(text: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """The query with the request's dataset in place of its own, if the request gives one."""
    if not default_graphs and not named_graphs:
        return text
    for iri in (*default_graphs, *named_graphs):
        if not ABSOLUTE_IRI.fullmatch(iri):
            raise QueryError(f"default-graph-uri and named-graph-uri take absolute IRIs, "
                             f"not {iri[:200]!r}")
    stripped, _, at = split(text)
    clauses = [f"FROM <{iri}>" for iri in default_graphs]
    clauses += [f"FROM NAMED <{iri}>" for iri in named_graphs]
    return f"{stripped[:at]} {' '.join(clauses)} {stripped[at:]}"


def check_dataset(text: str) -> None:
    """check_safe on the text without its dataset clauses: FROM and FROM NAMED name graphs
    of the store, every other refusal stands. (Module-level: the query worker runs it.)"""
    check_safe(split(text)[0])
