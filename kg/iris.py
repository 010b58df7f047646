"""Mint kg's IRIs under a base IRI, and read them back: one path segment per kind, a slug."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from kg.errors import InputError
from kg.namespaces import DEFAULT_BASE_IRI, VOCABULARY_PREFIXES

KINDS = ("organization", "person", "product", "agreement", "clause", "event", "amount",
         "quantity", "instant", "interval", "temporal", "membership", "role", "article",
         "annotation", "activity", "agent", "factsheet")
GRAPH_PARTS = ("facts", "provenance")
# <base>graph/<article>/<part>: the two named graphs of each article.
_ARTICLE_GRAPH = re.compile(r"(?P<base>.+/)graph/(?P<article>[^/]+)/(?P<part>facts|provenance)")


# Characters no IRI from the user may hold, though RFC 3987's ucschar admits some of them:
# controls (C0, DEL, C1) and the bidi embeddings, overrides and isolates, which RFC 3987
# (section 4.1) says IRIs must not use: they make an IRI read otherwise than it is.
UNSAFE_IRI_CHARACTERS = re.compile("[\x00-\x20\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# An http(s) IRI by the grammar of RFC 3987 section 2.2 (kept free of pyoxigraph, which the
# command line does not load before it must; tests/test_iris.py checks both agree).
_UCSCHAR = "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef" + "".join(
    f"{chr(plane << 16)}-{chr((plane << 16) | 0xFFFD)}" for plane in range(1, 14)) \
    + "\U000e1000-\U000efffd"
_IPRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRESERVED = f"A-Za-z0-9\\-._~{_UCSCHAR}"
_SUB_DELIMS = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_PCHAR = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_WEB_IRI = re.compile(
    rf"(?P<scheme>[Hh][Tt][Tt][Pp][Ss]?)://"
    rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"
    rf"(?P<host>\[[0-9A-Fa-f:.]+\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)"
    rf"(?::(?P<port>[0-9]*))?"
    rf"(?:/{_PCHAR}*)*"
    rf"(?:\?(?:{_PCHAR}|[{_IPRIVATE}/?])*)?"
    rf"(?:#(?:{_PCHAR}|[/?])*)?")


def web_iri_problem(iri: str) -> str | None:
    """Why iri is not an absolute http(s) IRI with a host (RFC 3987, and the scheme and
    authority rules of urllib.parse), or None when it is one.

    >>> web_iri_problem("https://kg.example.org/a?b#c") is None
    True
    >>> web_iri_problem("javascript:alert(1)")
    'it is not an absolute http(s) IRI (RFC 3987)'
    """
    if not isinstance(iri, str):
        return "it is not text"
    bad = UNSAFE_IRI_CHARACTERS.search(iri)
    if bad:
        return f"it holds the character U+{ord(bad.group()):04X}"
    match = _WEB_IRI.fullmatch(iri)
    if match is None:
        return "it is not an absolute http(s) IRI (RFC 3987)"
    host = match["host"]
    if not host:
        return "it names no host"
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return f"its host {host} is not an IPv6 address"
    if match["port"] and int(match["port"]) > 65535:
        return f"its port {match['port']} is out of range"
    try:
        parts = urlsplit(iri)
        parts.port  # noqa: B018 - raises ValueError for a port urllib cannot read
    except ValueError as exc:
        return f"it is not a valid IRI ({exc})"
    if not parts.hostname:
        return "it names no host"
    return None


def is_web_iri(iri: str) -> bool:
    """Whether iri is an absolute http(s) IRI that pages may link to."""
    return web_iri_problem(iri) is None


def check_base_iri(base_iri: str | None) -> str:
    """The base IRI to mint under: absolute http(s), ending in '/', no query or fragment."""
    base = base_iri or DEFAULT_BASE_IRI
    problem = web_iri_problem(base)
    if problem is None:
        parts = urlsplit(base)
        if parts.query or parts.fragment or "?" in base or "#" in base:
            problem = "it has a query or fragment"
        elif not base.endswith("/"):
            problem = "it does not end in '/'"
        elif re.search(r"[<>\"{}|\\^`]", base):
            problem = "it holds a character IRIs may not hold"
    if problem:
        raise InputError(f"--base-iri must be an absolute http(s) IRI ending in '/', with no "
                         f"query or fragment (like {DEFAULT_BASE_IRI}); got {base!r}: {problem}")
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
