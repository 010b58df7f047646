"""What a checked fact sheet holds: its article's metadata, its entries and their values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kg.anchor import Anchor
from kg.sources import Source


@dataclass
class Quote:
    """One evidence quote, where the article says it, and whether it is a reported claim."""

    text: str
    line: int
    reported: bool = False
    source: str | None = None
    anchor: Anchor | None = None


@dataclass
class Amount:
    """A sum of money as the article writes it, with its value and ISO 4217 currency."""

    value: Decimal
    currency: str
    text: str
    description: str | None
    line: int


@dataclass
class Share:
    """A proportion (percent or ratio) as the article writes it, of what and for whom."""

    value: Decimal
    unit: str
    text: str
    recipient: str | None
    of: str | None
    line: int


@dataclass
class TimeValue:
    """A date, month or year and the words of the article that give it."""

    value: str
    precision: str  # "date", "month" or "year"
    text: str
    relative: bool
    line: int


@dataclass
class Role:
    """A person's position in an organization, with the words that say so."""

    organization: str
    title: str
    text: str
    head: bool
    line: int


@dataclass
class Entry:
    """One organization, person, product, agreement, clause or event of a fact sheet."""

    kind: str
    id: str
    line: int
    values: dict[str, Any]
    lines: dict[str, int]
    evidence: list[Quote] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values["name"]


@dataclass
class ArticleMeta:
    """The article section: what the article is, when and by whom it was published."""

    title: str
    published: dt.date
    language: str
    publisher: str | None
    authors: list[str]
    url: str | None
    line: int


@dataclass
class FactSheet:
    """A checked fact sheet: its article's text and metadata, and its entries by id."""

    source: Source
    text: str
    factsheet_text: str
    article: ArticleMeta
    entries: dict[str, Entry]

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]
