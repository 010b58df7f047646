"""The RDF terms the graph is written with: literals of text, of XSD datatypes and decimals,
booleans, SHA-256 digests, and the slugs of role titles."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pyoxigraph import Literal, NamedNode

from kg.namespaces import XSD

TRUE = Literal("true", datatype=NamedNode(XSD + "boolean"))
FALSE = Literal("false", datatype=NamedNode(XSD + "boolean"))


def text(value: str) -> Literal:
    return Literal(value)


def typed(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=NamedNode(XSD + datatype))


def decimal(value) -> Literal:
    return typed(format(value, "f"), "decimal")


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def slugify(words: str) -> str:
    """A slug of lowercase ASCII letters, digits and hyphens, never empty, for the IRI of a role.

    Accents are dropped (Président -> president). When letters, digits or symbols remain
    outside ASCII (another script, an emoji), 12 hex digits of a SHA-256 of the words (case
    and spacing aside) are added, so that no two such titles share a slug:

    >>> slugify("chief executive officer"), slugify("Président"), slugify("首席执行官")
    ('chief-executive-officer', 'president', '5287bbe069cd')
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", words.casefold())
                    if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if slug and all(c.isascii() or unicodedata.category(c)[0] in "PZ" for c in plain):
        return slug
    key = unicodedata.normalize("NFC", " ".join(words.casefold().split()))
    digest = sha256(key)[:12]
    return f"{slug}-{digest}" if slug else digest
