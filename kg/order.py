"""The canonical order of statements, which makes every export byte-identical for one graph.

Triples are unique and sorted by subject, then rdf:type first, then predicate and object (on
their N-Triples text). Quads are unique and grouped graph by graph (graphs sorted by name),
each graph in that same order. Sorting a million statements costs more in Python than
pyoxigraph takes to write them, so the build emits its quads in this order once and the writers
take them as they come.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Quad

_TYPE_TEXT = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "


class Ordered(list):
    """A list of statements already in canonical order (the marker spares a second sort);
    ordered quads keep their ordered triples once asked for (they are not to be changed)."""

    triples: Ordered | None = None


def _key(text: str) -> str:
    # str() of a pyoxigraph triple or quad is its N-Triples/N-Quads text; sorting on it in C
    # is several times faster than any key built term by term. \x00 never occurs in that
    # text (control characters are escaped), so rdf:type sorts first and the key stays unique.
    return text.replace(_TYPE_TEXT, " \x00 ", 1)


def statements(items: Iterable) -> Ordered:
    """Unique triples (or the quads of one graph) in canonical order."""
    if isinstance(items, Ordered):
        return items
    items = items if isinstance(items, list) else list(items)
    keyed = dict(zip(map(_key, map(str, items)), items))
    return Ordered(keyed[k] for k in sorted(keyed))


def dataset(quads: Iterable) -> Ordered:
    """Unique quads, graph by graph in the order of the graphs' names, each graph sorted."""
    if isinstance(quads, Ordered):
        return quads
    graphs: dict = {}
    for quad in quads:
        graphs.setdefault(quad.graph_name, []).append(quad)
    return join_graphs(graphs.values())


def join_graphs(graphs: Iterable[list]) -> Ordered:
    """The canonical dataset of quad lists that each hold one whole graph."""
    ordered = sorted((statements(g) for g in graphs if g), key=lambda g: str(g[0].graph_name))
    return Ordered(q for g in ordered for q in g)


def triples(statements_: Iterable) -> Ordered:
    """The unique triples of triples, or of quads of any graphs together, in canonical order."""
    items = statements_ if isinstance(statements_, list) else list(statements_)
    if not items or not isinstance(items[0], Quad):
        return statements(items)
    if isinstance(items, Ordered):
        if items.triples is None:
            items.triples = statements([q.triple for q in items])
        return items.triples
    return statements([q.triple for q in items])
