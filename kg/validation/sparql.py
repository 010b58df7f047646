"""The SHACL-SPARQL constraints, batched: each runs once per shape on pyoxigraph, for all its
focus nodes at a time.

pySHACL runs each SPARQL constraint once per focus node through rdflib's engine, which took
seconds on one article; batched here they give the same results (the tests compare both on
every fixture).
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode, Quad, Store

from kg.namespaces import RDF, RDFS, SH
from kg.resources import ontology_triples
from kg.validation.report import Result, ShapesError
from kg.validation.shapes import Shapes, SparqlConstraint

SPARQL_COMPONENT = SH + "SPARQLConstraintComponent"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def batch(constraint: SparqlConstraint) -> str:
    """The constraint's query for all focus nodes at once: $this bound by the shape's targets."""
    query = constraint.select.replace("$this", "?this")
    match = _WHERE.search(query)
    if not match:
        raise ShapesError(f"a SPARQL constraint of {constraint.shape} has no WHERE clause")
    targets = []
    if constraint.classes:
        values = " ".join(f"<{c}>" for c in constraint.classes)
        targets.append(f"{{ ?this <{RDF}type>/<{RDFS}subClassOf>* ?kgTargetClass . "
                       f"VALUES ?kgTargetClass {{ {values} }} }}")
    if constraint.nodes:
        nodes = " ".join(f"<{n}>" for n in constraint.nodes)
        targets.append(f"{{ VALUES ?this {{ {nodes} }} }}")
    target = " UNION ".join(targets) or "FILTER(false)"
    return f"{query[:match.end()]} {target} {query[match.end():]}"


def check(statements: list[tuple], shapes: Shapes) -> list[Result]:
    """The results of every SPARQL constraint on the merge of all graphs and the ontology, of
    (subject, predicate, object, graph name) statements (kg.validation.data.statements)."""
    store = Store()  # the merge: each triple once in the default graph
    store.extend(Quad(s, p, o) for s, p, o, _ in statements)
    store.extend(Quad(t.subject, t.predicate, t.object) for t in ontology_triples())
    out = []
    for constraint in shapes.sparql:
        solutions = store.query(batch(constraint))
        names = [v.value for v in solutions.variables]
        for row in solutions:
            def fill(m, row=row, names=names):
                term = row[m.group(1)] if m.group(1) in names else None
                return term.value if term is not None else ""

            value = row["value"] if "value" in names else None
            path = row["path"] if "path" in names else None
            out.append(Result(
                _node_text(row["this"]), constraint.shape, SPARQL_COMPONENT,
                _PLACEHOLDER.sub(fill, constraint.message),
                path.value if isinstance(path, NamedNode) else None,
                _node_text(value) if value is not None else None))
    return out


def _node_text(term) -> str:
    return term.value if isinstance(term, NamedNode) else str(term)
