"""kg.validation and kg.validation.core: validating graph files or quads end to end, SHACL core
article by article, and what only the articles together show."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

import kg.validation
from kg.cli import main
from kg.errors import InputError
from kg.formats import read
from kg.pipeline import check, load_dataset
from kg.validation import core, validate
from kg.validation.data import statements

from conftest import SEED_SLUG, SEEDS

BASE = "https://kg.example.org/"


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
    quads = list(ox.parse(path=str(built / "graph.trig"), format=ox.RdfFormat.TRIG))
    facts = [q.triple for q in quads if q.graph_name.value.endswith("/facts")]
    prov = [q.triple for q in quads if q.graph_name.value.endswith("/provenance")]
    (tmp_path / "facts.nt").write_bytes(ox.serialize(facts, format=ox.RdfFormat.N_TRIPLES))
    (tmp_path / "prov.nt").write_bytes(ox.serialize(prov, format=ox.RdfFormat.N_TRIPLES))
    assert run("validate", str(tmp_path / "facts.nt")).exit_code == 1
    assert run("validate", str(tmp_path / "facts.nt"), str(tmp_path / "prov.nt")).exit_code == 0


def test_unreadable_turtle_exits_2_with_file_and_line(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\n"
                    "ex:a ex:b ex:c .\nex:d ex:e \"unclosed .\n")
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
        validate([path])


def test_validate_library_call_on_parsed_files(built):
    report = validate(read([built / "graph.trig"]))
    assert report.conforms and report.results == []


def test_validate_takes_paths_as_str_or_path_and_quads_alike(built):
    path = built / "graph.trig"
    assert validate([str(path)]) == validate([path]) == validate(path) == validate(read([path]))
    assert validate([]).conforms
    with pytest.raises(TypeError):
        validate([path, *read([path])[:1]])


def test_the_docstring_example_runs():
    assert doctest.testmod(kg.validation, raise_on_error=True).attempted >= 4


def _two_copies(tmp_path, old: str, news: tuple[str, str]) -> list:
    """The seed twice, as two articles, each with one line of its fact sheet edited."""
    yaml_text = (SEEDS / f"{SEED_SLUG}.yaml").read_text(encoding="utf-8")
    for slug, new in zip(("first-copy", "second-copy"), news):
        (tmp_path / f"{slug}.txt").write_bytes((SEEDS / f"{SEED_SLUG}.txt").read_bytes())
        (tmp_path / f"{slug}.yaml").write_text(yaml_text.replace(old, new, 1), encoding="utf-8")
    return load_dataset([tmp_path])[1]


def test_articles_that_disagree_about_a_shared_entity_conflict_and_still_conform(tmp_path):
    """Each article is valid alone; together they give Arm two names: a conflict between
    articles (listed by kg check), not a violation; each name stays in its own graph."""
    quads = _two_copies(tmp_path, "    name: Arm\n", (
        "    name: Arm\n", "    name: Arm Holdings\n    aliases: [Arm]\n"))
    report = validate(quads)
    assert report.conforms, report.to_text()
    arm = "https://kg.example.org/id/organization/arm"
    names = {(q.graph_name.value.rsplit("/", 2)[1], q.object.value) for q in quads
             if q.subject.value == arm and q.predicate.value == "https://schema.org/name"}
    assert names == {("first-copy", "Arm"), ("second-copy", "Arm Holdings")}
    found = [c for c in check([tmp_path]) if c.ids == ("arm",)]
    assert [(c.kind, c.field, c.values) for c in found] == [
        ("value", "name", ("Arm", "Arm Holdings"))]
    # The same results on one process as on several.
    assert validate(quads, workers=1) == validate(quads, workers=2) == report


def test_merged_check_still_catches_what_no_article_alone_breaks(tmp_path):
    """What only the union of the articles makes wrong still fails the build: two articles
    that put one clause in two agreements (a clause belongs to exactly one)."""
    quads = _two_copies(tmp_path, "    agreement: microsoft-openai-partnership\n    name: AGI",
                        ("    agreement: microsoft-openai-partnership\n    name: AGI",
                         "    agreement: stargate\n    name: AGI"))
    report = validate(quads)
    clause = "https://kg.example.org/id/clause/agi-escape-clause"
    assert clause in {r.focus for r in report.results}


def test_articles_may_describe_and_time_a_shared_entity_in_their_own_words(tmp_path):
    """Descriptions and times are kgsh:perArticle: checked in each article, not across them."""
    quads = _two_copies(tmp_path, "    name: Microsoft\n", (
        "    name: Microsoft\n    description: Software company.\n",
        "    name: Microsoft\n    description: Cloud company.\n"))
    assert validate(quads).conforms
    descriptions = {q.object.value for q in quads if q.predicate.value.endswith("/description")
                    and q.subject.value.endswith("/organization/microsoft")}
    assert descriptions == {"Software company.", "Cloud company."}


def _quad(s: str, graph: str | None) -> ox.Quad:
    g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    return ox.Quad(ox.NamedNode(BASE + s), ox.NamedNode(BASE + "p"), ox.Literal("o"), g)


def test_articles_groups_facts_and_provenance_and_shares_the_other_graphs():
    quads = [_quad("b1", f"{BASE}graph/b/facts"), _quad("a1", f"{BASE}graph/a/provenance"),
             _quad("a2", f"{BASE}graph/a/facts"), _quad("x", None),
             _quad("y", f"{BASE}graph/ontology")]
    parts = core.articles(statements(quads))
    assert [sorted(t[0].value.removeprefix(BASE) for t in part) for part in parts] == [
        ["a1", "a2", "x", "y"], ["b1", "x", "y"]]
    assert core.articles(statements(quads[3:])) == [
        [(q.subject, q.predicate, q.object) for q in quads[3:]]]
    assert core.articles([]) == [[]]


@pytest.mark.parametrize("day,ok", [("0000-01-01", True), ("-0001-03-01", True),
                                    ("12345-01-01", True), ("-0001-02-29", False)])
def test_dates_rdflib_cannot_hold_are_judged_by_xsd_1_1(seed_dataset, day, ok):
    """pySHACL's sh:datatype refuses a year-0000 xsd:date (Python's dates start at year 1);
    XSD 1.1 allows it (1 BCE), and kg's literal checks decide."""
    _, quads, _ = seed_dataset
    first = next(q for q in quads if q.predicate.value == "http://www.w3.org/2006/time#inXSDDate")
    edited = [ox.Quad(q.subject, q.predicate, ox.Literal(day, datatype=q.object.datatype),
                      q.graph_name) if q == first else q for q in quads]
    report = validate(edited)
    assert report.conforms is ok, report.to_text()
    if not ok:
        assert {r.shape.rsplit("#", 1)[1] for r in report.results} >= {"LexicalForm"}


def test_a_build_on_several_workers_ends_them_without_a_word(tmp_path):
    """The pool ends its workers with SIGTERM; a worker must not print the KeyboardInterrupt
    that kg's SIGTERM handler, inherited by the fork, would make of it."""
    _two_copies(tmp_path, "    name: Arm\n", ("    name: Arm\n", "    name: Arm\n"))
    for run in range(3):
        done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(tmp_path), "--out",
                               str(tmp_path / f"out{run}"), "-q"], capture_output=True,
                              text=True, timeout=120)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
