"""Read a fact sheet (YAML), check it against its schema and the article, keep every line."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable

from kg import anchor as anchoring
from kg import yamlines
from kg.currencies import ISO_4217
from kg.errors import InputError
from kg.sources import SLUG, Source, read_text

# Section of the fact sheet -> the kind of resource its entries become (one IRI path segment).
SECTIONS = {
    "organizations": "organization",
    "people": "person",
    "products": "product",
    "agreements": "agreement",
    "clauses": "clause",
    "events": "event",
}
AGREEMENT_TYPES = ("Partnership", "JointVenture", "HiringDeal")
CLAUSE_TYPES = ("RightOfFirstRefusal", "Exclusivity", "RevenueShare", "EscapeClause",
                "Permission", "TermClause")
EVENT_TYPES = ("Announcement", "AgreementFormation", "Hiring", "LeadershipChange",
               "RelationshipChange", "Reaction", "Deliberation")
SHARE_UNITS = {"percent": (Decimal(0), Decimal(100)), "ratio": (Decimal(0), Decimal(1))}
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
REPORTING_CUE = re.compile(r"\b(reported|reportedly|reports?|according to)\b", re.I)
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MIN_QUOTE_WORDS = 3


@dataclass
class Quote:
    """One evidence quote, where the article says it, and whether it is a reported claim."""

    text: str
    line: int
    reported: bool = False
    source: str | None = None
    anchor: anchoring.Anchor | None = None


@dataclass
class Amount:
    value: Decimal
    currency: str
    text: str
    description: str | None
    line: int


@dataclass
class Share:
    value: Decimal
    unit: str
    text: str
    recipient: str | None
    of: str | None
    line: int


@dataclass
class TimeValue:
    value: str
    precision: str  # "date", "month" or "year"
    text: str
    relative: bool
    line: int


@dataclass
class Role:
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


class _Ctx:
    """Where we are in the fact sheet, for error messages."""

    def __init__(self, path: Path, entry: str | None = None):
        self.path, self.entry = path, entry

    def error(self, message: str, line: int | None, fieldname: str | None = None) -> InputError:
        return InputError(message, path=self.path, line=line, entry=self.entry, field=fieldname)


# ---------------------------------------------------------------- field checkers
# Each checker takes (value, line, ctx, fieldname) and returns the value in its checked form.

def _text(value, line, ctx, name):
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(f"expected non-empty text, found {value!r}", line, name)
    # YAML escapes can make what UTF-8 cannot carry: a lone surrogate, or a NUL.
    bad = next((c for c in value if "\ud800" <= c <= "\udfff" or c == "\x00"), None)
    if bad is not None:
        raise ctx.error(f"the text holds the character U+{ord(bad):04X}, which RDF text cannot "
                        "carry", line, name)
    return " ".join(value.split())


def _slug(value, line, ctx, name):
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise ctx.error(f"{value!r} is not a slug: use lowercase letters, digits and single "
                        "hyphens (like 'openai' or 'stargate-joint-venture')", line, name)
    return value


def _bool(value, line, ctx, name):
    if not isinstance(value, bool):
        raise ctx.error(f"expected true or false, found {value!r}", line, name)
    return value


def _texts(value, line, ctx, name):
    items = value if isinstance(value, list) else [value]
    lines = getattr(value, "item_lines", [line] * len(items))
    return [_text(v, ln, ctx, name) for v, ln in zip(items, lines)]


def _wikidata(value, line, ctx, name):
    if not isinstance(value, str) or not re.fullmatch(r"Q[1-9][0-9]*", value):
        raise ctx.error(f"{value!r} is not a Wikidata item id (like Q2283)", line, name)
    return value


def _one_of(*choices: str) -> Callable:
    def check(value, line, ctx, name):
        if value not in choices:
            hint = difflib.get_close_matches(str(value), choices, n=1)
            more = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ctx.error(f"{value!r} is not one of: {', '.join(choices)}{more}", line, name)
        return value
    return check


def _refs(value, line, ctx, name):
    items = value if isinstance(value, list) else [value]
    lines = getattr(value, "item_lines", [line] * len(items))
    checked = [_slug(v, ln, ctx, name) for v, ln in zip(items, lines)]
    if len(set(checked)) != len(checked):
        raise ctx.error("the same entry is listed twice", line, name)
    return checked


def _decimal(value, line, ctx, name) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ctx.error(f"expected a number, found {value!r}", line, name)
    try:
        number = Decimal(str(value).replace("_", ""))
    except InvalidOperation:
        raise ctx.error(f"expected a number, found {value!r}", line, name) from None
    if not number.is_finite():
        raise ctx.error(f"expected a finite number, found {value!r}", line, name)
    return number


def _mapping(value, line, ctx, name, spec: dict) -> dict:
    if not isinstance(value, dict):
        raise ctx.error(f"expected a mapping with keys {', '.join(spec)}", line, name)
    out = {}
    for key in value:
        if key not in spec:
            hint = difflib.get_close_matches(key, spec, n=1)
            more = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ctx.error(f"unknown key '{key}'{more}; allowed: {', '.join(spec)}",
                            value.key_lines[key], f"{name}.{key}" if name else key)
    for key, (check, required) in spec.items():
        if key in value and value[key] is not None:
            out[key] = check(value[key], value.key_lines[key], ctx,
                             f"{name}.{key}" if name else key)
        elif required:
            raise ctx.error(f"missing required key '{key}'", value.line,
                            f"{name}.{key}" if name else key)
    return out


def _amount(value, line, ctx, name) -> Amount:
    m = _mapping(value, line, ctx, name, {
        "value": (_decimal, True), "currency": (_text, True), "text": (_text, True),
        "description": (_text, False)})
    if m["value"] < 0:
        raise ctx.error(f"an amount cannot be negative ({m['value']})", value.key_lines["value"],
                        f"{name}.value")
    if m["currency"] not in ISO_4217:
        raise ctx.error(f"'{m['currency']}' is not an ISO 4217 currency code (like USD or EUR)",
                        value.key_lines["currency"], f"{name}.currency")
    return Amount(m["value"], m["currency"], m["text"], m.get("description"), value.line)


def _share(value, line, ctx, name) -> Share:
    m = _mapping(value, line, ctx, name, {
        "value": (_decimal, True), "unit": (_one_of(*SHARE_UNITS), True),
        "text": (_text, True), "recipient": (_slug, False), "of": (_slug, False)})
    low, high = SHARE_UNITS[m["unit"]]
    if not low <= m["value"] <= high:
        raise ctx.error(f"a share in {m['unit']} lies between {low} and {high}, not {m['value']}",
                        value.key_lines["value"], f"{name}.value")
    return Share(m["value"], m["unit"], m["text"], m.get("recipient"), m.get("of"), value.line)


def _time(value, line, ctx, name) -> TimeValue:
    m = _mapping(value, line, ctx, name, {
        "date": (_date_text, False), "month": (_month_text, False), "year": (_year_text, False),
        "text": (_text, True), "relative": (_bool, False)})
    given = [k for k in ("date", "month", "year") if k in m]
    if len(given) != 1:
        raise ctx.error("give exactly one of date, month or year (as precise as the text "
                        "allows, no more)", value.line, name)
    return TimeValue(m[given[0]], given[0], m["text"], m.get("relative", False), value.line)


def _date_text(value, line, ctx, name) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ctx.error(f"{value!r} is not a calendar date written YYYY-MM-DD", line, name)


def _month_text(value, line, ctx, name) -> str:
    text = str(value)
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ctx.error(f"{value!r} is not a month written YYYY-MM", line, name)
    return text


def _year_text(value, line, ctx, name) -> str:
    text = str(value)
    if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text):
        raise ctx.error(f"{value!r} is not a year written YYYY", line, name)
    return text


def _role(value, line, ctx, name) -> Role:
    m = _mapping(value, line, ctx, name, {
        "organization": (_slug, True), "title": (_text, True), "text": (_text, True),
        "head": (_bool, False)})
    return Role(m["organization"], m["title"], m["text"], m.get("head", False), value.line)


def _list_of(item: Callable) -> Callable:
    def check(value, line, ctx, name):
        if not isinstance(value, list):
            raise ctx.error("expected a list", line, name)
        return [item(v, ln, ctx, name) for v, ln in zip(value, value.item_lines)]
    return check


def _evidence(value, line, ctx, name) -> list[Quote]:
    if not isinstance(value, list) or not value:
        raise ctx.error("expected a list of one or more quotes from the article", line, name)
    quotes = []
    for item, item_line in zip(value, value.item_lines):
        said = None  # whether the fact sheet says explicitly if the quote is reported
        if isinstance(item, dict):
            m = _mapping(item, item_line, ctx, name, {
                "quote": (_text, True), "reported": (_bool, False), "source": (_slug, False)})
            said = m.get("reported")
            quote = Quote(m["quote"], item.key_lines["quote"], bool(said), m.get("source"))
        else:
            quote = Quote(_text(item, item_line, ctx, name), item_line)
        if len(quote.text.split()) < MIN_QUOTE_WORDS:
            raise ctx.error(f"the quote “{quote.text}” is too short to prove anything: quote "
                            "the words that carry what the entry asserts", quote.line, name)
        cue = REPORTING_CUE.search(quote.text)
        if cue and said is None:
            # A quote such as "The New York Times reported that ..." reports a claim, yet it
            # also states plainly that the newspaper exists: only the author can tell which.
            raise ctx.error(f"the quote says “{cue.group(0)}”: say whether this entry rests on "
                            "a reported claim, as {quote: ..., reported: true} (with source: "
                            "<id> when the article names who reported it), or reported: false "
                            "when the quote states the entry plainly", quote.line, name)
        if quote.reported and not cue:
            raise ctx.error("marked reported, but the quote has no reporting words (reported, "
                            "reportedly, according to): quote them too", quote.line, name)
        quotes.append(quote)
    return quotes


# ---------------------------------------------------------------- schemas
_R, _O = True, False
_COMMON = {"id": (_slug, _R), "name": (_text, _R), "description": (_text, _O)}
SCHEMAS: dict[str, dict[str, tuple[Callable, bool]]] = {
    "organizations": {**_COMMON, "aliases": (_texts, _O), "wikidata": (_wikidata, _O),
                      "evidence": (_evidence, _R)},
    "people": {**_COMMON, "aliases": (_texts, _O), "wikidata": (_wikidata, _O),
               "roles": (_list_of(_role), _O), "evidence": (_evidence, _R)},
    "products": {**_COMMON, "aliases": (_texts, _O), "wikidata": (_wikidata, _O),
                 "owner": (_slug, _O), "evidence": (_evidence, _R)},
    "agreements": {**_COMMON, "type": (_one_of(*AGREEMENT_TYPES), _R), "parties": (_refs, _R),
                   "approved_by": (_refs, _O), "hires": (_refs, _O), "amount": (_amount, _O),
                   "ends": (_time, _O), "evidence": (_evidence, _R)},
    "clauses": {**_COMMON, "type": (_one_of(*CLAUSE_TYPES), _R), "agreement": (_slug, _R),
                "grants_right_to": (_refs, _O), "obligates": (_refs, _O), "covers": (_refs, _O),
                "supersedes": (_slug, _O), "share": (_share, _O), "amount": (_amount, _O),
                "ends": (_time, _O), "evidence": (_evidence, _R)},
    "events": {**_COMMON, "type": (_one_of(*EVENT_TYPES), _R), "participants": (_refs, _O),
               "concerns": (_slug, _O), "establishes": (_slug, _O), "precedes": (_refs, _O),
               "caused_by": (_slug, _O), "time": (_time, _O), "evidence": (_evidence, _R)},
}
ARTICLE_SCHEMA = {"title": (_text, _R), "published": (_date_text, _R), "language": (_text, _R),
                  "publisher": (_slug, _O), "authors": (_refs, _O), "url": (_text, _O)}

# Which kinds each reference field may point to, and whether the referenced entity must be
# named in the entry's own evidence (so that every link is backed by a quote).
REFERENCES: dict[str, tuple[tuple[str, ...], bool]] = {
    "parties": (("organization",), True),
    "approved_by": (("organization",), True),
    "hires": (("person",), True),
    "grants_right_to": (("organization",), True),
    "obligates": (("organization",), True),
    "covers": (("product",), True),
    "participants": (("organization", "person"), True),
    "owner": (("organization",), True),
    "agreement": (("agreement",), False),
    "supersedes": (("clause",), False),
    "concerns": (("agreement",), False),
    "establishes": (("agreement",), False),
    "precedes": (("event",), False),
    "caused_by": (("event",), False),
}


# ---------------------------------------------------------------- loading

def load(source: Source) -> FactSheet:
    """Read and check a fact sheet and anchor all its quotes in its article."""
    path = source.factsheet
    text = read_text(source.article)
    if not text.strip():
        raise InputError("the article is empty", path=source.article)
    factsheet_text = read_text(path)
    raw = yamlines.load(path, factsheet_text)
    ctx = _Ctx(path)
    if not isinstance(raw, dict):
        raise ctx.error("a fact sheet is a mapping with the sections article, "
                        + ", ".join(SECTIONS), 1)
    for key in raw:
        if key != "article" and key not in SECTIONS:
            hint = difflib.get_close_matches(key, ["article", *SECTIONS], n=1)
            more = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ctx.error(f"unknown section '{key}'{more}", raw.key_lines[key])
    if "article" not in raw:
        raise ctx.error("missing the 'article' section (title, published, language)", 1)
    meta = _mapping(raw["article"], raw.key_lines["article"], ctx, "article", ARTICLE_SCHEMA)
    article = ArticleMeta(meta["title"], dt.date.fromisoformat(meta["published"]),
                          meta["language"], meta.get("publisher"), meta.get("authors", []),
                          meta.get("url"), raw["article"].line)
    if not LANGUAGE_TAG.fullmatch(article.language):
        raise ctx.error(f"'{article.language}' is not a BCP 47 language tag (like en or en-GB)",
                        raw["article"].key_lines["language"], "article.language")

    entries: dict[str, Entry] = {}
    for section, kind in SECTIONS.items():
        items = raw.get(section) or []
        if not isinstance(items, list):
            raise ctx.error(f"'{section}' must be a list of entries", raw.key_lines[section])
        for item, line in zip(items, getattr(items, "item_lines", [])):
            entry = _entry(item, line, path, section, kind)
            if entry.id in entries:
                first = entries[entry.id]
                raise InputError(f"the id '{entry.id}' is already used by the {first.kind} "
                                 f"on line {first.line}; ids must be unique in a fact sheet",
                                 path=path, line=line, entry=entry.id, field="id")
            entries[entry.id] = entry

    sheet = FactSheet(source, text, factsheet_text, article, entries)
    _check_references(sheet)
    _anchor(sheet)
    _check_written_values(sheet)
    return sheet


def _entry(item, line: int, path: Path, section: str, kind: str) -> Entry:
    entry_id = item.get("id") if isinstance(item, dict) else None
    ctx = _Ctx(path, entry_id if isinstance(entry_id, str) else None)
    if not isinstance(item, dict):
        raise ctx.error(f"each of '{section}' is a mapping with at least id, name and evidence",
                        line)
    values = _mapping(item, line, ctx, "", SCHEMAS[section])
    evidence = values.pop("evidence")
    lines = {k: item.key_lines[k] for k in item}
    entry = Entry(kind, values["id"], line, values, lines, evidence)
    if kind == "agreement" and len(values["parties"]) < 2:
        raise InputError("an agreement has at least two parties", path=path,
                         line=lines["parties"], entry=entry.id, field="parties")
    return entry


def _check_references(sheet: FactSheet) -> None:
    path = sheet.source.factsheet

    def check(entry: Entry | None, target: str, kinds: tuple[str, ...], line: int, name: str):
        found = sheet.entries.get(target)
        if found is None or found.kind not in kinds:
            what = " or ".join(kinds)
            hint = difflib.get_close_matches(target, [e.id for e in sheet.entries.values()
                                                      if e.kind in kinds], n=1)
            more = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise InputError(f"'{target}' is not the id of a{'n' if what[0] in 'aeiou' else ''} "
                             f"{what} in this fact sheet{more}", path=path, line=line,
                             entry=entry.id if entry else None, field=name)

    if sheet.article.publisher:
        check(None, sheet.article.publisher, ("organization",), sheet.article.line,
              "article.publisher")
    for author in sheet.article.authors:
        check(None, author, ("person",), sheet.article.line, "article.authors")
    for entry in sheet.entries.values():
        for name, (kinds, _) in REFERENCES.items():
            if name in entry.values:
                value = entry.values[name]
                for target in value if isinstance(value, list) else [value]:
                    check(entry, target, kinds, entry.lines[name], name)
        for role in entry.values.get("roles", []):
            check(entry, role.organization, ("organization",), role.line, "roles.organization")
        for quote in entry.evidence:
            if quote.source:
                check(entry, quote.source, ("organization",), quote.line,
                      "evidence.source")
        share = entry.values.get("share")
        for target in (share.recipient, share.of) if share else ():
            if target:
                check(entry, target, ("organization",), share.line, "share")
        if entry.values.get("supersedes") == entry.id:
            raise InputError("a clause cannot supersede itself", path=path,
                             line=entry.lines["supersedes"], entry=entry.id, field="supersedes")


def _anchor(sheet: FactSheet) -> None:
    document = anchoring.Document(sheet.text)
    found_title = document.find(sheet.article.title)
    if found_title is None:
        raise InputError(f"the title “{sheet.article.title}” is not in the article "
                         f"{sheet.source.article}", path=sheet.source.factsheet,
                         line=sheet.article.line, field="article.title")
    for entry in sheet.entries.values():
        for quote in entry.evidence:
            quote.anchor = document.find(quote.text)
            if quote.anchor is None:
                raise InputError(
                    f"quote not found in {sheet.source.article}: “{quote.text}”. "
                    f"Closest passage: “{document.closest_passage(quote.text)}”",
                    path=sheet.source.factsheet, line=quote.line, entry=entry.id,
                    field="evidence")


def _names(sheet: FactSheet, entry_id: str) -> list[str]:
    target = sheet.entries[entry_id]
    return [target.name, *target.values.get("aliases", [])]


def _check_written_values(sheet: FactSheet) -> None:
    """Every linked entity is named, and every value stands as written, in the evidence."""
    path = sheet.source.factsheet
    for entry in sheet.entries.values():
        quotes = " \n ".join(q.text for q in entry.evidence)
        for name, (_, must_be_named) in REFERENCES.items():
            if not must_be_named or name not in entry.values:
                continue
            value = entry.values[name]
            for target in value if isinstance(value, list) else [value]:
                names = _names(sheet, target)
                if not any(anchoring.mentions(quotes, n) for n in names):
                    raise InputError(
                        f"'{target}' is linked here but none of its names ({', '.join(names)}) "
                        "stands in this entry's evidence: quote the words that say so",
                        path=path, line=entry.lines[name], entry=entry.id, field=name)
        for fieldname, written in _written_values(entry):
            if not anchoring.mentions(quotes, written.text):
                raise InputError(f"“{written.text}” is not written in any quote of this entry's "
                                 "evidence: values must be quoted as the article writes them",
                                 path=path, line=written.line, entry=entry.id, field=fieldname)
        for fieldname, written in _written_values(entry):
            if isinstance(written, TimeValue):
                _check_time(sheet, entry, fieldname, written)


def _written_values(entry: Entry):
    for fieldname in ("amount", "share", "time", "ends"):
        if fieldname in entry.values:
            yield fieldname, entry.values[fieldname]
    for role in entry.values.get("roles", []):
        yield "roles", role


def _check_time(sheet: FactSheet, entry: Entry, fieldname: str, t: TimeValue) -> None:
    """A resolved time must follow from its words and the publication date, never more precise."""
    published = sheet.article.published
    words = t.text.lower()

    def fail(message: str):
        raise InputError(message, path=sheet.source.factsheet, line=t.line, entry=entry.id,
                         field=fieldname)

    if not t.relative:
        if t.value[:4] not in t.text:
            fail(f"the year {t.value[:4]} is not in the words “{t.text}”; if they are relative "
                 "to the publication date, add relative: true")
        return
    weekday = next((d for d in WEEKDAYS if re.search(rf"\b{d}\b", words)), None)
    month = next((m for m in MONTHS if re.search(rf"\b{m}\b", words)), None)
    if weekday:
        if t.precision != "date":
            fail(f"“{t.text}” names a day: give it as date")
        day = dt.date.fromisoformat(t.value)
        expected = published - dt.timedelta(days=(published.weekday() - WEEKDAYS.index(weekday)) % 7)
        if day != expected:
            fail(f"“{t.text}”, read against the publication date {published}, is {expected}, "
                 f"not {t.value}")
    elif month:
        if t.precision != "month":
            fail(f"“{t.text}” names a month and no day: give it as month")
        index = MONTHS.index(month) + 1
        year = published.year if index <= published.month else published.year - 1
        expected = f"{year}-{index:02d}"
        if t.value != expected:
            fail(f"“{t.text}”, read against the publication date {published}, is {expected}, "
                 f"not {t.value}")
    elif re.search(r"\b(today|now)\b", words):
        if t.precision != "date" or t.value != published.isoformat():
            fail(f"“{t.text}” means the publication date, {published}")
    else:
        fail(f"cannot tell how “{t.text}” is relative to the publication date: name a weekday, "
             "a month, today or now, or give an absolute time")
