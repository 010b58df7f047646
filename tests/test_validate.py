"""`kg validate` and the validation inside `kg build`: exit codes 0, 1 and 2, readable results,
the standard SHACL report, and shapes that cannot silently check nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.validate import ShapesError, load_shapes, read_graph_files, validate

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.jsonld", "graph.trig",
                                  "graph.nq"])
def test_every_export_validates(built, name):
    result = run("validate", str(built / name))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_rdfxml_validates(built, tmp_path):
    graph = rdflib.Graph().parse(built / "graph.nt", format="nt")
    path = tmp_path / "graph.rdf"
    graph.serialize(path, format="xml")
    assert run("validate", str(path)).exit_code == 0


def test_several_files_are_validated_together(built, tmp_path):
    # Facts alone lack their evidence; with the provenance beside them they conform.
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(built / "graph.trig"), format=ox.RdfFormat.TRIG))
    facts = [q.triple for q in quads if q.graph_name.value.endswith("/facts")]
    prov = [q.triple for q in quads if q.graph_name.value.endswith("/provenance")]
    (tmp_path / "facts.nt").write_bytes(ox.serialize(facts, format=ox.RdfFormat.N_TRIPLES))
    (tmp_path / "prov.nt").write_bytes(ox.serialize(prov, format=ox.RdfFormat.N_TRIPLES))
    assert run("validate", str(tmp_path / "facts.nt")).exit_code == 1
    assert run("validate", str(tmp_path / "facts.nt"), str(tmp_path / "prov.nt")).exit_code == 0


def _edited(built: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = (built / "graph.nt").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.nt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_impossible_date_exits_1_naming_the_node_without_a_traceback(built, tmp_path):
    path = _edited(built, tmp_path, '"2025-01-21"^^<http://www.w3.org/2001/XMLSchema#date>',
                   '"2026-02-30"^^<http://www.w3.org/2001/XMLSchema#date>')
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "'2026-02-30' is not a valid xsd:date" in result.output
    assert "article:verge-2025-01-21-microsoft-openai-compute" in result.output
    assert "Traceback" not in result.output + result.stderr
    assert "Failed to convert" not in result.stderr


def test_date_time_typed_as_date_is_reported(built, tmp_path):
    path = _edited(built, tmp_path, '"2025-01-21"^^<http://www.w3.org/2001/XMLSchema#date>',
                   '"2025-01-21T00:00:00"^^<http://www.w3.org/2001/XMLSchema#date>')
    result = run("validate", str(path))
    assert result.exit_code == 1 and "not a valid xsd:date" in result.output


def test_ttl_report_is_a_standard_shacl_report(built, tmp_path):
    path = _edited(built, tmp_path, '"2030"^^<http://www.w3.org/2001/XMLSchema#gYear>',
                   '"2030x"^^<http://www.w3.org/2001/XMLSchema#gYear>')
    result = run("validate", "--format", "ttl", str(path))
    assert result.exit_code == 1
    report = rdflib.Graph().parse(data=result.output, format="turtle")
    (node,) = report.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == rdflib.Literal(False)
    foci = {str(report.value(r, SH.focusNode)) for r in report.objects(node, SH.result)}
    assert foci == {"https://kg.example.org/id/instant/microsoft-openai-partnership-end",
                    "https://kg.example.org/id/instant/partnership-term-end"}


def test_conforming_ttl_report(built):
    result = run("validate", "--format", "ttl", str(built / "graph.ttl"))
    report = rdflib.Graph().parse(data=result.output, format="turtle")
    assert (None, SH.conforms, rdflib.Literal(True)) in report


def test_unreadable_turtle_exits_2_with_file_and_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e \"unclosed .\n")
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:3" in result.stderr or f"{path}:4" in result.stderr, result.stderr


def test_unknown_extension_exits_2(tmp_path):
    path = tmp_path / "graph.xyz"
    path.write_text("")
    result = run("validate", str(path))
    assert result.exit_code == 2 and "unknown RDF file extension" in result.stderr


def test_missing_file_exits_2(tmp_path):
    assert run("validate", str(tmp_path / "nope.ttl")).exit_code == 2


def test_rdfxml_with_entities_is_refused(tmp_path):
    path = tmp_path / "evil.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    with pytest.raises(InputError, match="DOCTYPE"):
        read_graph_files([path])


def _shapes_with(tmp_path: Path, old: str, new: str) -> tuple[Path, ...]:
    from kg.validate import shape_files

    (source,) = shape_files()
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "shapes.ttl"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return (path,)


def test_misspelt_shacl_term_is_an_error_with_its_line(tmp_path):
    paths = _shapes_with(tmp_path, "sh:minCount 2 ; sh:class kgo:Organization",
                         "sh:mincount 2 ; sh:class kgo:Organization")
    with pytest.raises(ShapesError, match=r"sh:mincount is not a SHACL term \(did you mean sh:minCount\?\)") as info:
        load_shapes(paths)
    line = paths[0].read_text().splitlines()[info.value.line - 1]
    assert "sh:mincount" in line


def test_unknown_target_class_is_an_error(tmp_path):
    paths = _shapes_with(tmp_path, "sh:targetClass kgo:Agreement ;", "sh:targetClass kgo:Agrement ;")
    with pytest.raises(ShapesError, match="not declared in the ontology"):
        load_shapes(paths)


ARTICLE = "Acme and Beta announced a merger. The deal will close in 2027, the companies said.\n"
FACTSHEET = """\
article: {title: Acme and Beta announced a merger, published: 2025-01-21, language: en}
organizations:
  - {id: acme, name: Acme, evidence: [Acme and Beta announced a merger]}
  - {id: beta, name: Beta, evidence: [Acme and Beta announced a merger]}
agreements:
  - id: acme-beta-merger
    type: Partnership
    name: Acme–Beta merger
    parties: [acme, beta]
    evidence: [Acme and Beta announced a merger]
events:
  - id: merger-closing
    type: AgreementFormation
    name: The merger closes
    participants: [acme, beta]
    establishes: acme-beta-merger
    time: {year: 2027, text: in 2027}
    evidence: ["Acme and Beta announced a merger", "The deal will close in 2027, the companies said."]
"""


def test_build_of_a_graph_that_does_not_conform_exits_1_and_writes_nothing(tmp_path):
    (tmp_path / "acme.txt").write_text(ARTICLE)
    (tmp_path / "acme.yaml").write_text(FACTSHEET)
    out = tmp_path / "out"
    result = run("build", str(tmp_path / "acme.yaml"), "--out", str(out))
    assert result.exit_code == 1, result.output
    assert "dated 2027, after 2025-01-21" in result.stderr
    assert "event:merger-closing" in result.stderr
    assert not out.exists()


def test_validate_library_call_on_parsed_files(built):
    report = validate(read_graph_files([built / "graph.trig"]))
    assert report.conforms and report.results == []


def test_articles_that_disagree_about_a_shared_entity_are_caught(tmp_path):
    """Each article is valid alone; together they give Microsoft two descriptions."""
    from conftest import SEED_SLUG, SEEDS
    from kg.build import load_dataset

    yaml_text = (SEEDS / f"{SEED_SLUG}.yaml").read_text(encoding="utf-8")
    for slug, description in (("first-copy", "Software company."), ("second-copy", "Cloud company.")):
        (tmp_path / f"{slug}.txt").write_bytes((SEEDS / f"{SEED_SLUG}.txt").read_bytes())
        (tmp_path / f"{slug}.yaml").write_text(yaml_text.replace(
            "    name: Microsoft\n", f"    name: Microsoft\n    description: {description}\n", 1),
            encoding="utf-8")
    _, quads, _ = load_dataset([tmp_path])
    report = validate(quads)
    assert {(r.focus, r.shape, r.component) for r in report.results} == {
        ("https://kg.example.org/id/organization/microsoft", "https://kg.example.org/shapes#description",
         "http://www.w3.org/ns/shacl#MaxCountConstraintComponent")}
    for one in ("first-copy", "second-copy"):
        _, alone, _ = load_dataset([tmp_path / f"{one}.yaml"])
        assert validate(alone).conforms
