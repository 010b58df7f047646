"""Mint flat, readable IRIs under a base IRI: one path segment per kind, then a slug."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kg.errors import InputError
from kg.namespaces import DEFAULT_BASE_IRI

KINDS = ("organization", "person", "product", "agreement", "clause", "event", "amount",
         "quantity", "instant", "membership", "role", "article", "annotation", "activity",
         "agent", "factsheet")


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
    """Makes the IRIs of one build; every module asks it rather than formatting IRIs itself."""

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
