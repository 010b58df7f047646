"""Mint kg's IRIs under a base IRI, and read them back: one path segment per kind, a slug."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kg.errors import InputError
from kg.namespaces import DEFAULT_BASE_IRI, VOCABULARY_PREFIXES

KINDS = ("organization", "person", "product", "agreement", "clause", "event", "amount",
         "quantity", "instant", "membership", "role", "article", "annotation", "activity",
         "agent", "factsheet")
GRAPH_PARTS = ("facts", "provenance")
# <base>graph/<article>/<part>: the two named graphs of each article.
_ARTICLE_GRAPH = re.compile(r"(?P<base>.+/)graph/(?P<article>[^/]+)/(?P<part>facts|provenance)")


def check_base_iri(base_iri: str | None) -> str:
    """The base IRI to mint under: absolute http(s), ending in '/', no query or fragment."""
    base = base_iri or DEFAULT_BASE_IRI
    parts = urlsplit(base)
    if (parts.scheme not in ("http", "https") or not parts.netloc or parts.query
            or parts.fragment or not base.endswith("/") or re.search(r"[\s<>\"{}|\\^`]", base)):
        raise InputError(f"--base-iri must be an absolute http(s) IRI ending in '/', with no "
                         f"query or fragment (like {DEFAULT_BASE_IRI}); got {base!r}")
    return base


class Minter:
    """Makes the IRIs of one build; every module asks it rather than formatting IRIs itself.

    >>> Minter().id("organization", "openai")
    'https://kg.example.org/id/organization/openai'
    """

    def __init__(self, base_iri: str | None = None):
        self.base = check_base_iri(base_iri)

    def id(self, kind: str, slug: str) -> str:
        assert kind in KINDS, kind
        return f"{self.base}id/{kind}/{slug}"

    def facts_graph(self, article_slug: str) -> str:
        return f"{self.base}graph/{article_slug}/facts"

    def provenance_graph(self, article_slug: str) -> str:
        return f"{self.base}graph/{article_slug}/provenance"

    def ontology_graph(self) -> str:
        return f"{self.base}graph/ontology"

    def prefixes(self) -> dict[str, str]:
        """Vocabulary prefixes plus one prefix per kind of resource minted here."""
        return prefixes(self.base)


def prefixes(base_iri: str) -> dict[str, str]:
    """Vocabulary prefixes plus one prefix per kind of resource minted under base_iri."""
    table = dict(VOCABULARY_PREFIXES)
    for kind in KINDS:
        table[kind] = f"{base_iri}id/{kind}/"
    return table


def parse_id(iri: str, base_iri: str) -> tuple[str, str] | None:
    """(kind, slug) of an IRI minted under base_iri, or None.

    >>> parse_id("https://kg.example.org/id/event/inflection-hire", DEFAULT_BASE_IRI)
    ('event', 'inflection-hire')
    """
    if not iri.startswith(base_iri + "id/"):
        return None
    kind, _, slug = iri[len(base_iri) + 3:].partition("/")
    if kind not in KINDS or not slug:
        return None
    return kind, slug


def parse_article_graph(iri: str) -> tuple[str, str, str] | None:
    """(base IRI, article slug, 'facts' or 'provenance') of an article's named graph, or None.

    >>> parse_article_graph("https://kg.example.org/graph/seed/facts")
    ('https://kg.example.org/', 'seed', 'facts')
    """
    match = _ARTICLE_GRAPH.fullmatch(iri)
    return (match["base"], match["article"], match["part"]) if match else None
