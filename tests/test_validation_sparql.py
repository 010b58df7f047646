"""kg.validation.sparql: each SHACL-SPARQL constraint once per shape for all its focus nodes,
bound by the shape's targets, with the message's placeholders filled in. (That it gives what
pySHACL gives on every fixture is tests/test_shapes.py's job.)"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.namespaces import RDF
from kg.validation import ShapesError, load_shapes, validate
from kg.validation.shapes import SparqlConstraint
from kg.validation.sparql import SPARQL_COMPONENT, batch, check

EX = "http://example.org/"


def test_batch_binds_this_by_the_target_classes_with_subclasses_and_nodes():
    query = batch(SparqlConstraint(EX + "S", "SELECT $this WHERE { $this ?p ?o }", "m",
                                   (EX + "C",), (EX + "n",)))
    assert "$this" not in query
    assert f"?this <{RDF}type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?kgTargetClass" \
        in query
    assert f"VALUES ?kgTargetClass {{ <{EX}C> }}" in query
    assert f"VALUES ?this {{ <{EX}n> }}" in query
    assert " UNION " in query


def test_batch_of_a_shape_without_targets_matches_nothing():
    query = batch(SparqlConstraint(EX + "S", "SELECT $this WHERE { }", "m", (), ()))
    assert "FILTER(false)" in query


def test_a_constraint_without_where_is_a_shapes_error():
    with pytest.raises(ShapesError, match="no WHERE clause"):
        batch(SparqlConstraint(EX + "S", "SELECT $this {}", "m", (EX + "C",), ()))


def test_every_shipped_constraint_batches_into_a_query_pyoxigraph_parses():
    store = ox.Store()
    for constraint in load_shapes().sparql:
        list(store.query(batch(constraint)))


def test_message_placeholders_are_filled_from_the_row():
    shapes = load_shapes()
    c = SparqlConstraint(EX + "S", f"SELECT $this ?value WHERE {{ $this <{EX}p> ?value }}",
                         "value {?value}, missing '{$nothing}'", (), (EX + "a",))
    quads = [ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("v"))]
    (result,) = check(quads, type(shapes)(shapes.core, [c], shapes.parents, shapes.graph))
    assert (result.focus, result.shape, result.component) == (EX + "a", EX + "S", SPARQL_COMPONENT)
    assert result.message == "value v, missing ''" and result.value == '"v"'


def test_event_dated_after_its_article_is_a_sparql_result(seed_dataset):
    _, quads, _ = seed_dataset
    date = "http://www.w3.org/2006/time#inXSDDate"
    dated = [q for q in quads if q.predicate.value == date]
    assert dated
    later = [ox.Quad(q.subject, q.predicate, ox.Literal("2999-01-01", datatype=q.object.datatype),
                     q.graph_name) if q in dated else q for q in quads]
    found = [r for r in validate(later).results if r.component == SPARQL_COMPONENT]
    assert found and all("dated 2999-01-01, after 2025-01-21" in r.message for r in found)
    assert {r.focus for r in found} <= {q.subject.value for q in quads
                                        if q.predicate.value == "http://www.w3.org/2006/time#hasTime"}
