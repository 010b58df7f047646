"""What a checked fact sheet holds: its article's metadata, its entries and their values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
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
    """A sum of money as the article writes it: its value, ISO 4217 currency, the qualifier
    the words give it ('about', 'more than'), and what it is (a price, a valuation)."""

    value: Decimal
    currency: str
    text: str
    description: str | None
    line: int
    qualifier: str = "exact"
    role: str | None = None
    per: str | None = None


@dataclass
class Quantity:
    """A number with a unit (percent, gigawatt, year, a count) as the article writes it, with
    its qualifier, of what whole it is a part, and what it measures."""

    value: Decimal
    unit: str
    text: str
    line: int
    qualifier: str = "exact"
    of: str | None = None
    measure: str | None = None
    counts: str | None = None
    recipient: str | None = None
    change: bool = False
    per: str | None = None
    description: str | None = None


@dataclass
class TimeValue:
    """A time and the words of the article that give it: a point (a date, month or year), a
    span (from and/or until, each a date, month or year), or, when the words place it nowhere
    ('months ago'), neither."""

    value: str | None  # the point, or None for a span or an unplaced time
    precision: str | None  # "date", "month" or "year" of the point; None otherwise
    text: str
    relative: bool
    line: int
    start: str | None = None  # the span's bounds, each written YYYY, YYYY-MM or YYYY-MM-DD
    until: str | None = None
    after: str | None = None  # ids of events the time is after or before
    before: str | None = None

    @property
    def is_span(self) -> bool:
        return self.start is not None or self.until is not None


@dataclass
class Role:
    """A person's position in an organization, with the words that say so."""

    organization: str
    title: str
    text: str
    head: bool
    line: int
    former: bool = False


@dataclass
class Entry:
    """One organization, person, product, agreement, clause or event of a fact sheet."""

    kind: str
    id: str
    line: int
    values: dict[str, Any]
    lines: dict[str, int]
    evidence: list[Quote] = field(default_factory=list)
    path: Path | None = None  # the fact sheet that declares it

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
    article: ArticleMeta | None  # None only while its errors are gathered
    entries: dict[str, Entry]
    # The entries of every fact sheet of the build, by id (kg.corpus): this sheet may refer
    # to another article's without declaring them again.
    others: dict[str, list[Entry]] = field(default_factory=dict)
    # Ids of entries that failed their own checks: references to them add no further error.
    broken: set[str] = field(default_factory=set)

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def find(self, entry_id: str, kinds: tuple[str, ...] = ()) -> Entry | None:
        """The entry of that id: this sheet's own, else one of another article of the build
        (of one of `kinds` when given), else None."""
        own = self.entries.get(entry_id)
        if own is not None:
            return own
        declared = self.others.get(entry_id, [])
        return next((e for e in declared if not kinds or e.kind in kinds),
                    declared[0] if declared else None)

    def names(self, entry_id: str) -> list[str]:
        """Every name and alias the build gives the entry of that id, this sheet's first."""
        own = self.entries.get(entry_id)
        found = _names_of([own] if own else [])
        if isinstance(self.others, Declared):
            # An entity may be declared by most articles of the build, and each links it:
            # the build's names of an id are gathered once, not once for each link.
            rest = self.others.names(entry_id)
        else:
            rest = _names_of(self.others.get(entry_id, []))
        mine = set(found)
        return found + [name for name in rest if name not in mine]


class Declared(dict):
    """The entries of every fact sheet of a build by id (kg.corpus.index), filled once and
    then only read: the names of each id are kept once asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._names: dict[str, tuple[str, ...]] = {}

    def names(self, entry_id: str) -> tuple[str, ...]:
        """The names and aliases of the entries of that id, in the order of the build."""
        found = self._names.get(entry_id)
        if found is None:
            found = self._names[entry_id] = tuple(_names_of(self.get(entry_id, [])))
        return found


def _names_of(entries: list[Entry]) -> list[str]:
    """The names and aliases of the entries, each once, in order."""
    found: dict[str, None] = {}
    for entry in entries:
        found[entry.name] = None
        for alias in entry.values.get("aliases", []):
            found[alias] = None
    return list(found)
