"""Minting kg's IRIs and reading them back."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from kg.errors import InputError
from kg.iris import (
    KINDS,
    Minter,
    check_base_iri,
    is_web_iri,
    parse_article_graph,
    parse_id,
    prefixes,
    web_iri_problem,
)
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
                                 "https://kg.example.org/a b/", "https:///",
                                 "https://[::1/", "https://exa mple/", "http://%zz/",
                                 "https://[zz]/", "https://kg.example.org:99999/",
                                 "https://kg.example.org/\u202e/", "https://kg.example.org/\x1b/",
                                 "https://kg.example.org/<x>/", "javascript:alert(1)//",
                                 "//kg.example.org/", "https://kg.example.org/?", "HTTPS:/x/"])
def test_bad_base_iris_are_refused(bad):
    with pytest.raises(InputError, match="--base-iri must be an absolute http"):
        check_base_iri(bad)


def test_prefixes_hold_the_vocabularies_and_one_per_kind():
    table = prefixes("http://example.com/")
    assert {k: table[k] for k in VOCABULARY_PREFIXES} == VOCABULARY_PREFIXES
    assert table["organization"] == "http://example.com/id/organization/"
    assert set(table) == set(VOCABULARY_PREFIXES) | set(KINDS)
    assert Minter("http://example.com/").prefixes() == table


@pytest.mark.parametrize("base", ["https://kg.example.org/", "http://[::1]:8080/kg/",
                                  "https://例え.jp/データ/", "http://127.0.0.1/", "HTTPS://KG.example/"])
def test_good_base_iris_are_kept(base):
    assert check_base_iri(base) == base


# Each with whether it is an http(s) IRI kg accepts as a URL or a base IRI.
WEB_IRIS = {
    "https://www.theverge.com/2025/1/21/x?utm=1#top": True,
    "http://user:pw@h.example/p;a=b/c?q=1&r#f": True,
    "https://例え.jp/パス?ク=エ#フ": True,
    "http://[::1]:80/": True,
    "http://h.example/?\ue000": True,  # private use is allowed in a query
    "https://a.example/%41": True,
    "javascript:alert(document.domain)": False,
    "data:text/html,<script>alert(1)</script>": False,
    "file:///etc/passwd": False,
    "//evil.example/": False,
    "/relative": False,
    "mailto:a@example.org": False,
    "ftp://example.org/": False,
    "https://[::1/": False,
    "https://[zz]/": False,
    "https://exa mple/": False,
    "http://%zz/": False,
    "https://a.example/b%2": False,
    "https://a.example/#\ue000": False,
    "https://a.example#x#y": False,
    "https://a.example/{x}": False,
    "https://a.example/\\": False,
    "https://a.example/\x1b": False,
    "https://a.example/\x85": False,
    "https://a.example/\u202e": False,
    "https://a.example/\u2066": False,
    "https:///x": False,
    "http://a.example:99999/": False,
}


@pytest.mark.parametrize("iri", sorted(WEB_IRIS))
def test_web_iris_by_rfc_3987(iri):
    assert is_web_iri(iri) is WEB_IRIS[iri], web_iri_problem(iri)


@pytest.mark.parametrize("iri", sorted(WEB_IRIS))
def test_every_web_iri_accepted_is_an_iri_for_pyoxigraph(iri):
    """kg's own RFC 3987 check (pyoxigraph-free, for a fast command line) never accepts what
    pyoxigraph's IRI parser refuses; where pyoxigraph refuses, so does kg."""
    try:
        NamedNode(iri)
        parsed = True
    except ValueError:
        parsed = False
    if is_web_iri(iri):
        assert parsed
    if not parsed:
        assert not is_web_iri(iri)
