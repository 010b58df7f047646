"""Compare RDF graphs as graphs and say what differs: only in one, only in the other."""

from __future__ import annotations


def describe_difference(expected, actual, limit: int = 20) -> str:
    """A readable diff of two rdflib graphs, empty when they are isomorphic."""
    from rdflib.compare import graph_diff, to_isomorphic

    iso_expected, iso_actual = to_isomorphic(expected), to_isomorphic(actual)
    if iso_expected == iso_actual:
        return ""
    _, only_expected, only_actual = graph_diff(iso_expected, iso_actual)
    lines = [f"{len(only_expected)} triples only in expected, {len(only_actual)} only in actual"]
    for label, graph in (("only in expected", only_expected), ("only in actual", only_actual)):
        for s, p, o in sorted(graph)[:limit]:
            lines.append(f"  {label}: {s.n3()} {p.n3()} {o.n3()}")
    return "\n".join(lines)
