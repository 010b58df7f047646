"""Minting kg's IRIs and reading them back."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.iris import KINDS, Minter, check_base_iri, parse_article_graph, parse_id, prefixes
from kg.namespaces import DEFAULT_BASE_IRI, VOCABULARY_PREFIXES


@pytest.mark.parametrize("base", [DEFAULT_BASE_IRI, "http://example.com/data/kg/"])
@pytest.mark.parametrize("kind", KINDS)
def test_minted_ids_parse_back(base, kind):
    assert parse_id(Minter(base).id(kind, "some-slug-2"), base) == (kind, "some-slug-2")


@pytest.mark.parametrize("iri", [
    "https://kg.example.org/id/unknown-kind/x",  # not a kind
    "https://kg.example.org/id/organization/",  # no slug
    "https://kg.example.org/graph/x/facts",  # a graph, not an id
    "https://other.example/id/organization/openai",  # another base
    "https://kg.example.org/idx/organization/openai",
])
def test_other_iris_are_not_ids(iri):
    assert parse_id(iri, DEFAULT_BASE_IRI) is None


def test_article_graphs_parse_back():
    mint = Minter("http://example.com/base/")
    assert parse_article_graph(mint.facts_graph("a-1")) == ("http://example.com/base/", "a-1",
                                                            "facts")
    assert parse_article_graph(mint.provenance_graph("a-1"))[2] == "provenance"
    assert parse_article_graph(mint.ontology_graph()) is None
    assert parse_article_graph(mint.id("article", "a-1")) is None
    assert parse_article_graph("http://example.com/base/graph/a/b/facts") is None


@pytest.mark.parametrize("bad", ["kg.example.org/", "ftp://kg.example.org/", "https://kg.example.org",
                                 "https://kg.example.org/?q=1", "https://kg.example.org/#x",
                                 "https://kg.example.org/a b/", "https:///"])
def test_bad_base_iris_are_refused(bad):
    with pytest.raises(InputError, match="--base-iri must be an absolute http"):
        check_base_iri(bad)


def test_prefixes_hold_the_vocabularies_and_one_per_kind():
    table = prefixes("http://example.com/")
    assert {k: table[k] for k in VOCABULARY_PREFIXES} == VOCABULARY_PREFIXES
    assert table["organization"] == "http://example.com/id/organization/"
    assert set(table) == set(VOCABULARY_PREFIXES) | set(KINDS)
    assert Minter("http://example.com/").prefixes() == table
