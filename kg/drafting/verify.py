"""Keep of a model's fact sheet only what the article bears out: quotes found in the text (by the
build's own normalisation), entities named in their quotes, links backed by their quotes, values
written in them, fields and values the schema knows. What is dropped is said, grouped by why."""

from __future__ import annotations

import copy
import re
from pathlib import Path

from kg.anchor import Document, fold, mentions
from kg.drafting import repair
from kg.errors import InputError
from kg.factsheet.checks import SELF_LINKS
from kg.factsheet.fields import Bool, Ctx, OneOf, Ref, Refs, Text, Wikidata
from kg.factsheet.parts import QUOTE
from kg.factsheet.schema import ARTICLE, SECTION_OF_KIND, SECTIONS_SCHEMA
from kg.factsheet.values import ATTRIBUTION_CUE, MIN_QUOTE_WORDS, REPORTING_CUE, ListOf, TimeOf
from kg.rdfterms import slugify
from kg.sources import SLUG
from kg.yamlines import LineDict, LineList

_CTX = Ctx(Path("draft.yaml"))
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026|\[\u2026\]|\[\.\.\.\])\s*")
_NAMED = ("aliases", "former_names")  # the names an entity may carry besides its name
_PLAIN = ("organization", "product")  # kinds whose reported quotes mostly state them plainly
_BOOLS = {"true": True, "false": False}
MAX_QUOTE_WORDS = 60  # the examples' longest is 42: a longer quote would back any link at all


class Report(dict):
    """What was dropped or changed: (verb, noun, reason) -> items, in the order first met."""

    def add(self, noun: str, reason: str, item: str, verb: str = "dropped") -> None:
        self.setdefault((verb, noun, reason), []).append(item)

    def lines(self, shown: int = 6) -> list[str]:
        out = []
        for (verb, noun, reason), items in self.items():
            many = len(items) > 1
            noun = (noun[:-1] + "ies" if noun.endswith("y") else noun + "s") if many else noun
            reason = reason.split("|")[-1 if many else 0]  # "its quotes|their quotes"
            rest = f", and {len(items) - shown} more" if len(items) > shown else ""
            out.append(f"{verb} {len(items)} {noun} {reason}: {', '.join(items[:shown])}{rest}")
        return out


def verify(sheet: dict, text: str, *, published: str | None = None) -> tuple[dict, list[str]]:
    """The part of a model's sheet (any shape) that the article text bears out, as a draft sheet
    that the loader accepts, and what was dropped. Relative times are kept only when checked
    against published, the caller's date (the model's own date is never trusted for that)."""
    inner = next(iter(sheet.values()), None) if isinstance(sheet, dict) else None
    if isinstance(inner, dict) and len(sheet) == 1 and {"article", *SECTIONS_SCHEMA} & set(inner):
        sheet = inner  # the model wrapped the sheet in one key ({"fact_sheet": {...}})
    report, doc = Report(), Document(text)
    if not isinstance(sheet, dict):
        report.add("answer", "that is not a JSON object of sections", repr(type(sheet).__name__))
        return {}, report.lines()
    for key in [k for k in sheet if k != "article" and k not in SECTIONS_SCHEMA]:
        report.add("section", "unknown to the fact sheet", f"'{key}'")
    article = _article(sheet.get("article"), doc, published, report)
    date = published
    entries, renamed = _entries(sheet, doc, report)
    entries = _linked(entries, renamed, date, report)
    index = _Index(entries, renamed)
    for key in ("publisher", "authors") if article else ():
        field, where = ARTICLE.spec[key], f"'{key}' of the article"
        if found := _targets(article.pop(key, []), field, index, "", where, report):
            article[key] = found if isinstance(field, Refs) else found[0]
    sections = {n: [e for k, e in entries if k == s.kind] for n, s in SECTIONS_SCHEMA.items()}
    out = {**({"article": article} if article else {}), **{n: e for n, e in sections.items() if e}}
    return _guard(out, text, date, report), report.lines()


def _lined(value):
    """Plain data as the loader's YAML gives it, every line 1, so that a field can check it."""
    if isinstance(value, dict):
        out = LineDict({k: _lined(v) for k, v in value.items()})
        out.key_lines = dict.fromkeys(value, 1)
    elif isinstance(value, list):
        out = LineList(_lined(v) for v in value)
        out.item_lines = [1] * len(value)
    else:
        return value
    out.line = 1
    return out


def _problem(field, value, name: str = "") -> str | None:
    """Why the schema refuses the value, or None."""
    try:
        field.check(_lined(value), 1, _CTX, name)
    except InputError as exc:
        return getattr(exc, "errors", [exc])[0].message
    return None


def _short(quote, limit: int = 60) -> str:
    quote = " ".join(str(quote).split())
    return "\u201c" + (quote if len(quote) <= limit else quote[:limit - 1] + "\u2026") + "\u201d"


def _found(doc: Document, quote: str) -> str | None:
    """The quote as the article writes it (its case, its quotation marks), or None."""
    for candidate in (quote, quote.strip(" \"'\u201c\u201d\u2018\u2019"), quote.rstrip(".")):
        anchor = doc.find(candidate) or doc.find(candidate, ignore_case=True)
        if anchor:
            return " ".join(anchor.exact.split())
    return None


def _article(raw, doc: Document, published: str | None, report: Report) -> dict | None:
    if not isinstance(raw, dict):
        return None
    title = _found(doc, raw["title"]) if isinstance(raw.get("title"), str) else None
    date = published or (raw.get("published") if title else None)
    if title is None or date is None or _problem(ARTICLE.spec["published"], str(date)):
        report.add("article section", "whose title is not in the article" if title is None
                   else "without a valid publication date (give --published)", "article")
        return None
    language, url = raw.get("language") or "en", raw.get("url")
    if _problem(ARTICLE.spec["language"], language):
        report.add("value", "not in the schema", f"language {_short(language, 20)}")
    out = {"title": title, "published": str(date), "language": "en" if _problem(
        ARTICLE.spec["language"], language) else language}
    if isinstance(url, str) and url in doc.text and not _problem(ARTICLE.spec["url"], url):
        out["url"] = url
    elif url:
        report.add("field", "not found in the article", f"url '{url}'")
    return {**out, **{k: raw[k] for k in ("publisher", "authors") if raw.get(k)}}


def _entries(sheet: dict, doc: Document, report: Report):
    """Each entry checked on its own, without its links: (kind, entry) in order, ids unique,
    and the model's ids that were rewritten, old to new."""
    entries, renamed, taken = [], {}, {}
    for name, section in SECTIONS_SCHEMA.items():
        items = sheet.get(name) or []
        if isinstance(items, dict):  # keyed by id
            items = [{"id": k, **v} if isinstance(v, dict) else v for k, v in items.items()]
        if not isinstance(items, list):
            report.add("section", "that is not a list of entries", f"'{name}'")
            continue
        for raw in items:
            if (entry := _entry(section.kind, raw, doc, report)) is None:
                continue
            new, old = entry["id"], raw.get("id")
            if new in taken:
                report.add("entry", "whose id another entry has",
                           f"{section.kind} '{new}' ({taken[new]} too)")
                continue
            taken[new] = section.kind
            if isinstance(old, str) and old != new:
                renamed[old] = new
                report.add("id", "into slug form", f"'{old}' to '{new}'", verb="rewrote")
            entries.append((section.kind, entry))
    return entries, renamed


def _entry(kind: str, raw, doc: Document, report: Report) -> dict | None:
    fields, raw = SECTION_OF_KIND[kind].fields, raw if isinstance(raw, dict) else {}
    name, entry_id = raw.get("name"), raw.get("id")
    label = f"{kind} '{entry_id or name}'"
    evidence = _evidence(raw.get("evidence"), doc, report)
    if not isinstance(name, str) or _problem(Text(""), name) or not evidence:
        report.add("entry", "with no quote in the article" if evidence == [] and isinstance(
            name, str) else "without a name or a quote in the article", label)
        return None
    if not (isinstance(entry_id, str) and SLUG.fullmatch(entry_id)):
        entry_id = slugify(entry_id if isinstance(entry_id, str) and entry_id.strip() else name)
    out = {"id": entry_id, "name": " ".join(name.split())}
    for key in raw:
        if key not in fields and not str(key).startswith("_"):
            report.add("field", "unknown to the fact sheet", f"'{key}' of {label}")
    for key in _NAMED:
        for n in _list(raw.get(key) if key in fields else None):
            if isinstance(n, str) and mentions(doc.text, n, ignore_case=True):
                out[key] = list(dict.fromkeys([*out.get(key, []), " ".join(n.split())]))
            else:
                report.add("name", "not in the article", f"'{n}' of {label}")
    quotes = _joined(evidence)
    if "aliases" in fields and not any(mentions(quotes, n, ignore_case=True) for n in [
            name, *out.get("aliases", []), *out.get("former_names", [])]):
        report.add("entry", "not named in its own quotes|not named in their own quotes", label)
        return None
    for key, field in fields.items():
        value = raw.get(key)
        if key in out or key in ("evidence", *_NAMED) or value is None:
            continue
        if isinstance(field, (Ref, ListOf, TimeOf)):
            out[key] = value  # checked with the links, once every entry is known
            continue
        if isinstance(field, Wikidata):
            report.add("Wikidata id", "(they cannot be checked against the article)",
                       f"{value} of {label}")
            continue
        checked = _choice(field, value) if isinstance(field, OneOf) else \
            _BOOLS.get(str(value).lower()) if isinstance(field, Bool) else \
            None if _problem(field, value, key) else " ".join(str(value).split())
        if checked is None and field.required:
            report.add("entry", "with a type not in the schema", f"{label} ('{value}')")
            return None
        if checked is None:
            why = "not in the schema" if isinstance(field, OneOf) else "of the wrong type"
            report.add("value", why, f"{key} {_short(value, 30)} of {label}")
        else:
            out[key] = checked
    return {**out, "evidence": evidence}


def _list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _joined(evidence: list) -> str:
    return " \n ".join(q if isinstance(q, str) else q["quote"] for q in evidence)


def _choice(field: OneOf, value):
    """The schema's value the model meant, in any case or spacing ('non-binding'), or None."""
    key = re.sub(r"[^a-z0-9]", "", str(value).lower())
    return next((c for c in field.choices if re.sub(r"[^a-z0-9]", "", c.lower()) == key), None)


def _evidence(raw, doc: Document, report: Report) -> list:
    """The quotes found in the article, as it writes them, once each; a quote joined with
    '...' counts as its pieces."""
    out, seen = [], set()
    for item in _list(raw):
        quote = item.get("quote") or item.get("text") if isinstance(item, dict) else item
        quote = quote if isinstance(quote, str) else repr(quote)
        for piece in filter(None, _ELLIPSIS.split(quote.strip())):
            found = _found(doc, piece)
            if found is None:
                report.add("quote", "not in the article", _short(piece))
            elif not MIN_QUOTE_WORDS <= len(found.split()) <= MAX_QUOTE_WORDS:
                report.add("quote", f"of fewer than {MIN_QUOTE_WORDS} or more than "
                           f"{MAX_QUOTE_WORDS} words", _short(found))
            elif fold(found) not in seen:
                seen.add(fold(found))
                extra = {k: item[k] for k in ("reported", "source")
                         if isinstance(item, dict) and item.get(k) is not None}
                out.append({"quote": found, **extra} if extra else found)
    return out


def _linked(entries, renamed: dict, date: str | None, report: Report):
    """The entries with their links and values checked; an entry left without a link it must
    have is dropped, and the others checked again without it."""
    while True:
        index, kept, notes = _Index(entries, renamed), [], Report()
        for kind, entry in entries:
            mine = Report()
            checked = _links(kind, dict(entry), index, date, mine)
            for key, items in mine.items():  # an entry dropped says why at once
                (notes if checked else report).setdefault(key, []).extend(items)
            kept += [(kind, checked)] if checked else []
        if len(kept) == len(entries):
            for key, items in notes.items():
                report.setdefault(key, []).extend(items)
            return kept
        entries = [(k, e) for k, e in entries if e["id"] in {c["id"] for _, c in kept}]


class _Index:
    """The entries by id, and how a model's reference (an old id, a name) finds one."""

    def __init__(self, entries, renamed: dict):
        self.kinds = {e["id"]: kind for kind, e in entries}
        self.names = {e["id"]: [e["name"], *e.get("aliases", [])] for _, e in entries}
        self.by_name = {fold(n).casefold(): i for i, names in reversed(self.names.items())
                        for n in reversed(names)}  # the first entry of a name wins
        self.renamed = renamed

    def resolve(self, target) -> str | None:
        target = target if isinstance(target, str) else repr(target)
        return next((c for c in (target, self.renamed.get(target), slugify(target),
                                 self.by_name.get(fold(target).casefold())) if c in self.kinds),
                    None)


def _links(kind: str, entry: dict, index: _Index, date, notes: Report) -> dict | None:
    label, quotes = f"{kind} '{entry['id']}'", _joined(entry["evidence"])
    for key, field in [(k, f) for k, f in SECTION_OF_KIND[kind].fields.items() if k in entry]:
        if isinstance(field, Ref):
            value = _targets(entry.pop(key), field, index, quotes, f"'{key}' of {label}", notes,
                             entry["id"] if key in SELF_LINKS else None)
            if len(value) >= max(getattr(field, "min_items", 0), 1):  # a Ref has no minimum
                entry[key] = value if isinstance(field, Refs) else value[0]
            elif field.required:
                notes.add("entry", "left without a link it must have|left without a link "
                          "they must have", f"{label} ({key})")
                return None
        elif isinstance(field, (ListOf, TimeOf)):
            spec = field.item if isinstance(field, ListOf) else field
            items = [v for v in (_written(spec, v, key, quotes, index, date, label, notes)
                                 for v in _list(entry.pop(key))) if v is not None]
            if items:
                entry[key] = items if isinstance(field, ListOf) else items[0]
    entry["evidence"] = [_quote(q, kind, index, label, notes, entry) for q in entry["evidence"]]
    return entry


def _targets(value, ref: Ref, index: _Index, quotes: str, where: str, notes: Report,
             own: str | None = None) -> list[str]:
    """The ids a link may hold, each of an entry of the right kind named in the quotes."""
    out = []
    for target in _list(value):
        found = index.resolve(target)
        if found is None:
            notes.add("link", "to an entry not in the fact sheet", f"{where} to '{target}'")
        elif index.kinds[found] not in ref.kinds or found == own:
            notes.add("link", "to an entry it cannot name", f"{where} to '{found}'")
        elif ref.named and not any(mentions(quotes, n, ignore_case=True)
                                   for n in index.names[found]):
            notes.add("link", "to an entry not named in the linking entry's quotes",
                      f"{where} to '{found}'")
        elif found not in out:
            out.append(found)
    return out


def _written(spec, item, key: str, quotes: str, index: _Index, date, label: str,
             notes: Report) -> dict | None:
    """A value written in the quotes (in their case), its links known, its fields the
    schema's; a relative time only with a publication date to read it against."""
    noun, text = spec.type_name, item.get("text") if isinstance(item, dict) else None
    text = " ".join(text.split()) if isinstance(text, str) else None
    if text and not mentions(quotes, text):
        written = re.search(r"(?<!\w)" + re.escape(fold(text)) + r"(?!\w)", fold(quotes), re.I)
        if not written:
            notes.add(noun, "not written in the entry's quotes", f"{_short(text)} of {label}")
            return None
        text = written.group(0)
    if not text:
        notes.add(noun, "without the words that write it|without the words that write them",
                  f"{key} of {label}")
        return None
    out = {"text": text}
    for k, v in item.items():
        sub = spec.spec.get(k)
        if k == "text" or v is None or str(k).startswith("_"):
            continue
        if sub is None:
            notes.add("field", "unknown to the fact sheet", f"'{key}.{k}' of {label}")
        elif isinstance(sub, Ref):
            if found := _targets(v, sub, index, quotes, f"'{key}.{k}' of {label}", notes):
                out[k] = found[0]
        elif isinstance(sub, OneOf) and _choice(sub, v) is None:
            notes.add("value", "not in the schema", f"{key}.{k} '{v}' of {label}")
        else:
            out[k] = _choice(sub, v) if isinstance(sub, OneOf) else v
    if isinstance(spec, TimeOf) and out.get("relative") and not date and \
            any(k in out for k in TimeOf.PRECISIONS + ("from", "until")):
        notes.add(noun, "relative to a publication date not given", f"{_short(text)} of {label}")
        return None
    if problem := _problem(spec, out, key):
        notes.add(noun, "the schema refuses", f"{_short(text)} of {label} ({problem})")
        return None
    return {k: out[k] for k in spec.spec if k in out}


def _quote(quote, kind: str, index: _Index, label: str, notes: Report, entry: dict):
    """A quote with its reported flag as the loader wants it, and its source known."""
    quote = quote if isinstance(quote, dict) else {"quote": quote}
    text, reported, source = quote["quote"], quote.get("reported"), quote.get("source")
    reported = None if reported is None else _BOOLS.get(str(reported).lower())
    cue = REPORTING_CUE.search(text)
    if reported and not cue and not ATTRIBUTION_CUE.search(text):
        notes.add("reported mark", "on quotes with no reporting words", _short(text))
        reported = None
    if cue and reported is None:
        reported = kind not in _PLAIN
        note = (f"the model did not say whether {_short(text, 40)} reports a claim: "
                f"marked reported: {str(reported).lower()}")
        entry["_note"] = f"{entry['_note']}; {note}" if entry.get("_note") else note
    if source is not None:
        source = next(iter(_targets(source, QUOTE.spec["source"], index, "",
                                    f"'source' of a quote of {label}", notes)), None)
    extra = {k: v for k, v in (("reported", reported), ("source", source)) if v is not None}
    return {"quote": text, **extra} if extra else text


def _guard(out: dict, text: str, date, report: Report) -> dict:
    """The draft as the build's own loader takes it: what it still refuses is taken out
    (kg.drafting.repair), under a stand-in article section when there is none."""
    stand_in = {"title": " ".join(text.split()[:3]), "published": date or "2000-01-01",
                "language": "en"}
    sheet = copy.deepcopy({**out, "article": out.get("article") or stand_in})
    try:
        sheet, removed = repair.repaired(sheet, text, "draft", shapes=False)
    except InputError as exc:
        report.add("draft", "the build refuses", exc.message)
        return {}
    for line in removed:
        report.add("part", "the build refuses", line)
    if "article" not in out:
        del sheet["article"]
    return sheet
