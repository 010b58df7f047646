"""The example articles in examples/: each builds and validates alone and with the seed, and
the shipped queries answer what they say."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from test_factsheet_schema import json_errors

from kg.cli import main
from kg.factsheet import load
from kg.sources import discover

from conftest import EXAMPLES, ROOT

SLUGS = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def test_there_are_five_examples_each_an_article_with_its_fact_sheet():
    assert len(SLUGS) == 5
    for slug in SLUGS:
        assert (EXAMPLES / f"{slug}.txt").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("slug", SLUGS)
def test_every_example_builds_and_validates_alone(example_store, slug):
    store = example_store(slug)
    assert store.query("ASK { GRAPH ?g { ?s a <https://schema.org/NewsArticle> } }")


def test_the_six_articles_build_together_from_the_command_line(tmp_path):
    result = CliRunner().invoke(main, ["build", str(ROOT / "seeds"), str(EXAMPLES), "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "6 articles" in result.output


def test_kg_build_with_no_arguments_still_builds_the_seed_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "-q"])
    assert result.exit_code == 0, result.output
    graphs = {q.graph_name.value for q in ox.parse(path=str(tmp_path / "out" / "graph.nq"),
                                                   format=ox.RdfFormat.N_QUADS)}
    assert len(graphs) == 2


@pytest.mark.parametrize("slug", SLUGS)
def test_every_entry_of_an_example_stands_on_quotes_of_its_own_article(slug):
    (source,) = discover([EXAMPLES / f"{slug}.yaml"])
    sheet = load(source)
    assert sheet.entries and all(entry.evidence for entry in sheet.entries.values())
    for entry in sheet.entries.values():
        for quote in entry.evidence:
            assert sheet.text[quote.anchor.start:quote.anchor.end] == quote.anchor.exact


@pytest.mark.parametrize("slug", SLUGS)
def test_every_example_is_valid_by_the_json_schema(slug):
    text = (EXAMPLES / f"{slug}.yaml").read_text(encoding="utf-8")
    assert json_errors(text) == []


def test_articles_that_tell_of_one_clause_share_it_each_with_its_own_quotes(corpus_built):
    """The seed, the Oracle and the memorandum articles all tell of the right of first refusal
    that replaced Microsoft's Azure exclusivity: one clause, quoted by each of the three."""
    store = ox.Store()
    store.bulk_load(path=str(corpus_built / "graph.trig"), format=ox.RdfFormat.TRIG)
    rows = store.query("""
        PREFIX kgo: <https://kg.example.org/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?clause (COUNT(DISTINCT ?article) AS ?articles) WHERE {
          <https://kg.example.org/id/agreement/microsoft-openai-partnership> kgo:hasClause ?clause .
          ?clause a kgo:RightOfFirstRefusal .
          ?annotation oa:hasBody ?clause ; oa:hasTarget/oa:hasSource ?article .
        } GROUP BY ?clause""", use_default_graph_as_union=True)
    assert [(r["clause"].value.rsplit("/", 1)[1], int(r["articles"].value)) for r in rows] == [
        ("right-of-first-refusal-on-new-capacity", 3)]
