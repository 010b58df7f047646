"""Helpers for the tests of the example articles (tests/test_example_*.py): SPARQL asked of an
example's built graph, with every prefix kg writes. It holds no tests itself."""

from __future__ import annotations

from kg.iris import prefixes
from kg.namespaces import DEFAULT_BASE_IRI

PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes(DEFAULT_BASE_IRI).items())


def ask(store, body: str) -> bool:
    return bool(store.query(PREFIXES + body, use_default_graph_as_union=True))


def select(store, body: str, var: str = "x") -> list[str]:
    """The values of one variable, sorted."""
    return sorted(s[var].value for s in store.query(PREFIXES + body,
                                                     use_default_graph_as_union=True))
