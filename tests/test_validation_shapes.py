"""kg.validation.shapes: shapes that cannot silently check nothing, the SPARQL constraints split
from the core ones, and the shapes' messages for the documentation."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from kg.namespaces import KGSH, SH
from kg.resources import shape_files
from kg.validation import ShapesError, load_shapes, shape_messages
from kg.validation.shapes import SHACL_TERMS


def _shapes_with(tmp_path: Path, old: str, new: str) -> tuple[Path, ...]:
    (source,) = shape_files()
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "shapes.ttl"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return (path,)


def test_misspelt_shacl_term_is_an_error_with_its_line(tmp_path):
    paths = _shapes_with(tmp_path, "sh:minCount 2 ; sh:class kgo:Organization",
                         "sh:mincount 2 ; sh:class kgo:Organization")
    wanted = r"sh:mincount is not a SHACL term \(did you mean sh:minCount\?\)"
    with pytest.raises(ShapesError, match=wanted) as info:
        load_shapes(paths)
    line = paths[0].read_text().splitlines()[info.value.line - 1]
    assert "sh:mincount" in line


def test_unknown_target_class_is_an_error(tmp_path):
    paths = _shapes_with(tmp_path, "sh:targetClass kgo:Agreement ;",
                         "sh:targetClass kgo:Agrement ;")
    with pytest.raises(ShapesError, match="not declared in the ontology"):
        load_shapes(paths)


def test_unreadable_shapes_are_an_error_naming_the_file(tmp_path):
    path = tmp_path / "shapes.ttl"
    path.write_text("kgsh:A a sh:NodeShape .\n", encoding="utf-8")  # undeclared prefixes
    with pytest.raises(ShapesError, match="cannot read the shapes") as info:
        load_shapes((path,))
    assert info.value.path == str(path)


def test_sparql_constraints_are_split_from_the_core_shapes():
    shapes = load_shapes()
    sparql = rdflib.URIRef(SH + "sparql")
    assert shapes.sparql and all(c.select.lstrip().startswith(("PREFIX", "SELECT"))
                                 for c in shapes.sparql)
    assert (None, sparql, None) not in shapes.core
    assert (None, sparql, None) in shapes.graph
    # pySHACL adds a few RDFS triples of its own to the shapes graph it is given (the core).
    assert all(t in shapes.core for t in shapes.graph if t[1] != sparql)
    assert all(c.classes or c.nodes for c in shapes.sparql)


def test_every_shacl_term_the_shapes_use_is_known():
    used = {str(t)[len(SH):] for triple in load_shapes().graph for t in triple
            if isinstance(t, rdflib.URIRef) and str(t).startswith(SH)}
    assert used <= SHACL_TERMS


def test_shape_messages_lists_each_node_shape_with_its_targets_and_messages():
    graph = load_shapes().graph
    node_shapes = sorted(graph.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "NodeShape")))
    found = shape_messages()
    assert [s["name"] for s in found] == [str(s).rsplit("#", 1)[1] for s in node_shapes]
    (agreement,) = [s for s in found if s["name"] == "AgreementShape"]
    assert agreement["targets"] == "kgo:Agreement"
    assert agreement["messages"] == sorted(agreement["messages"]) and agreement["messages"]
    assert str(node_shapes[0]).startswith(KGSH)
    # The SPARQL constraints' messages are there too.
    messages = {m for s in found for m in s["messages"]}
    assert {c.message for c in load_shapes().sparql} <= messages
