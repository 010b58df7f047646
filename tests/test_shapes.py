"""Every shape has fixtures: a valid one that conforms, and invalid ones whose exact results
(focus node, shape, constraint component) are stated in the fixture's header.

A fixture is a SPARQL Update applied to the seed dataset, in tests/fixtures/shapes/:
`<Shape>.valid-<what>.ru` or `<Shape>.invalid-<what>.ru`, with header lines
`# expect: <focus> <shape> <component>` (prefixed names) for each result an invalid one gives.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.iris import prefixes
from kg.namespaces import DEFAULT_BASE_IRI, KGSH, RDF, SH
from kg.resources import ontology_triples, shape_files
from kg.validation import SPARQL_COMPONENT, load_shapes, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
TABLE = {**prefixes(DEFAULT_BASE_IRI), "kgsh": KGSH, "sh": SH}


def expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return TABLE[prefix] + local


def fixtures(kind: str | None = None) -> list[Path]:
    found = sorted(FIXTURES.glob("*.ru"))
    return [f for f in found if kind is None or f.name.split(".")[1].startswith(kind)]


def expected(fixture: Path) -> set[tuple[str, str, str]]:
    rows = set()
    for line in fixture.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            focus, shape, component = line.split(":", 1)[1].split()
            rows.add((expand(focus), expand(shape), expand(component)))
    return rows


def apply(fixture: Path, quads) -> list:
    # rdflib applies the update: an Oxigraph store would rewrite literals to canonical forms
    # (xsd:nonNegativeInteger becomes xsd:integer), and the shapes check datatypes.
    import rdflib

    dataset = rdflib.Dataset()
    dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    dataset.update(fixture.read_text(encoding="utf-8"))
    data = dataset.serialize(format="nquads").encode("utf-8")
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def node_shapes() -> list[str]:
    core = load_shapes().core
    import rdflib

    return sorted(str(s) for s in core.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "NodeShape")))


def test_seed_graph_conforms_with_no_result_of_any_severity(seed_dataset):
    _, quads, _ = seed_dataset
    report = validate(quads)
    assert report.results == [], report.to_text(TABLE)


@pytest.mark.parametrize("fixture", fixtures("valid"), ids=lambda p: p.stem)
def test_valid_fixture_conforms(fixture, seed_dataset):
    report = validate(apply(fixture, seed_dataset[1]))
    assert report.conforms, report.to_text(TABLE)


@pytest.mark.parametrize("fixture", fixtures("invalid"), ids=lambda p: p.stem)
def test_invalid_fixture_gives_exactly_the_expected_results(fixture, seed_dataset):
    want = expected(fixture)
    assert want, f"{fixture.name} states no '# expect:' line"
    report = validate(apply(fixture, seed_dataset[1]))
    got = {(r.focus, r.shape, r.component) for r in report.results}
    assert got == want, report.to_text(TABLE)


@pytest.mark.parametrize("shape", node_shapes(), ids=lambda s: s.rsplit("#", 1)[1])
def test_every_shape_has_a_valid_and_an_invalid_fixture(shape):
    local = shape.rsplit("#", 1)[1]
    kinds = {f.name.split(".")[1].split("-")[0] for f in FIXTURES.glob(f"{local}.*.ru")}
    assert kinds == {"valid", "invalid"}, f"{local}: fixtures {sorted(kinds)}"


@pytest.mark.parametrize("shape", node_shapes(), ids=lambda s: s.rsplit("#", 1)[1])
def test_every_shape_targets_a_node_of_the_seed_graph(shape, seed_dataset):
    import rdflib

    core = load_shapes().core
    classes = [str(c) for c in core.objects(rdflib.URIRef(shape),
                                            rdflib.URIRef(SH + "targetClass"))]
    assert classes, f"{shape} has no sh:targetClass"
    store = ox.Store()
    store.extend(seed_dataset[1])
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(KGSH + "o"))
                 for t in ontology_triples())
    values = " ".join(f"<{c}>" for c in classes)
    ask = (f"ASK {{ ?x <{RDF}type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?c "
           f"VALUES ?c {{ {values} }} }}")
    assert store.query(ask, use_default_graph_as_union=True), f"{shape} targets nothing"


SPARQL_FIXTURES = [f for f in fixtures("invalid")
                   if any(c == SPARQL_COMPONENT for _, _, c in expected(f))]


@pytest.fixture(scope="module")
def sparql_only_shapes():
    """The shapes files with the property shapes detached from their node shapes, and the
    ontology: what pySHACL needs to run the SHACL-SPARQL constraints alone, read once."""
    import rdflib

    from kg.resources import ontology_files

    shapes, ontology = rdflib.Graph(), rdflib.Graph()
    for path in shape_files():
        shapes.parse(path)
    for path in ontology_files():
        ontology.parse(path)
    shapes.remove((None, rdflib.URIRef(SH + "property"), None))
    return shapes, ontology


@pytest.mark.parametrize("fixture", SPARQL_FIXTURES, ids=lambda p: p.stem)
def test_fast_sparql_constraints_agree_with_pyshacl(fixture, seed_dataset, sparql_only_shapes):
    """Our batched SHACL-SPARQL gives what pyshacl gives with the same shapes, in full."""
    import pyshacl
    import rdflib

    quads = apply(fixture, seed_dataset[1])
    data = rdflib.Graph().parse(data=ox.serialize([q.triple for q in quads],
                                                  format=ox.RdfFormat.N_TRIPLES), format="nt")
    # pySHACL's SPARQL takes seconds a constraint: it runs the node shapes the fixture breaks,
    # the others are detached from their targets. test_invalid_fixture_gives_exactly_the_
    # expected_results checks all of ours against the fixture's header.
    broken = {shape for _, shape, _ in expected(fixture)}
    shapes = rdflib.Graph() + sparql_only_shapes[0]
    for target in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
        for node in set(shapes.subjects(rdflib.URIRef(SH + target), None)) - {
                rdflib.URIRef(b) for b in broken}:
            shapes.remove((node, rdflib.URIRef(SH + target), None))
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=sparql_only_shapes[1])
    sh = rdflib.Namespace(SH)
    theirs = {(str(results.value(r, sh.focusNode)), str(results.value(r, sh.sourceShape)))
              for r in results.subjects(rdflib.RDF.type, sh.ValidationResult)
              if results.value(r, sh.sourceConstraintComponent) == sh.SPARQLConstraintComponent}
    ours = {(r.focus, r.shape) for r in validate(quads).results
            if r.component == SPARQL_COMPONENT and r.shape in broken}
    assert theirs  # each of these fixtures breaks a SPARQL constraint
    assert ours == theirs


def test_sparql_constraints_use_no_values_clause():
    """SHACL forbids VALUES in a SPARQL constraint, and pySHACL then refuses the whole shapes
    graph: the constraints filter with IN or UNION instead."""
    import re

    for constraint in load_shapes().sparql:
        assert not re.search(r"\bVALUES\b", constraint.select, re.IGNORECASE), constraint.shape

