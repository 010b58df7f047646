"""kg.validation.report: readable results, the standard SHACL report, and exit code 1 for a
graph that does not conform (`kg validate`, and the validation inside `kg build`)."""

from __future__ import annotations

from pathlib import Path

import rdflib
from click.testing import CliRunner

from kg.cli import main
from kg.namespaces import KGSH
from kg.namespaces import SH as SH_IRI
from kg.validation import Report, Result, ValidationFailed
from kg.validation.report import VIOLATION

SH = rdflib.Namespace(SH_IRI)
ORG = "https://kg.example.org/id/organization/"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


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
    instant = "https://kg.example.org/id/instant/verge-2025-01-21-microsoft-openai-compute-"
    assert foci == {instant + "microsoft-openai-partnership-end",
                    instant + "partnership-term-end"}


def test_conforming_ttl_report(built):
    result = run("validate", "--format", "ttl", str(built / "graph.ttl"))
    report = rdflib.Graph().parse(data=result.output, format="turtle")
    assert (None, SH.conforms, rdflib.Literal(True)) in report


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
    evidence:
      - Acme and Beta announced a merger
      - The deal will close in 2027, the companies said.
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


def _report() -> Report:
    return Report([Result(ORG + "acme", KGSH + "OrganizationShape",
                          SH_IRI + "MinCountConstraintComponent",
                          f"needs a name, as <{ORG}beta> has", "https://schema.org/name"),
                   Result("_:b0", KGSH + "LexicalForm", SH_IRI + "DatatypeConstraintComponent",
                          "bad", "http://example.org/p", '"x"^^<http://example.org/t>')])


def test_text_shortens_iris_with_the_prefixes_given_and_sh_kgsh():
    text = _report().to_text({"organization": ORG, "schema": "https://schema.org/"})
    assert text.splitlines() == [
        "does not conform: 2 violations",
        ("- organization:acme: needs a name, as <organization:beta> has "
         "[kgsh:OrganizationShape, sh:MinCount, path schema:name]"),
        "- _:b0: bad [kgsh:LexicalForm, sh:Datatype, path <http://example.org/p>]",
    ]
    assert Report().to_text() == "conforms: no SHACL results, no ill-formed literals"


def test_turtle_report_has_one_result_per_result_with_its_terms():
    graph = rdflib.Graph().parse(data=_report().to_turtle({"organization": ORG}), format="turtle")
    results = list(graph.subjects(rdflib.RDF.type, SH.ValidationResult))
    assert len(results) == 2
    assert {graph.value(r, SH.resultSeverity) for r in results} == {rdflib.URIRef(VIOLATION)}
    assert (None, SH.value, rdflib.Literal("x", datatype=rdflib.URIRef("http://example.org/t"))) \
        in graph


def test_validation_failed_exits_1_and_counts_the_violations():
    error = ValidationFailed(_report(), "the build")
    assert error.exit_code == 1 and error.report.results
    assert str(error) == "the build does not conform (2 violations)"
