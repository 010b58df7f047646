"""The draft fact sheet put together from what the rules found: ids, entries, evidence quotes
(whole sentences of the article), values put in the entry of their sentence, and reported
claims marked with their source."""

from __future__ import annotations

import datetime as dt
import re

from kg.drafting import dates, deals, entities, values
from kg.drafting.cues import EVENT_CUES
from kg.drafting.entities import Entities, Found
from kg.drafting.text import Layout, Sentence, layout
from kg.factsheet.fields import text_problem
from kg.factsheet.values import MIN_QUOTE_WORDS
from kg.rdfterms import slugify

READABLE = {"TermClause": "term"}  # where the words of a kind's name do not read well
_ENDS = re.compile(r"\b(?:through|until|till|ends?|expires?|runs? to|by)\b[^.]{0,12}$", re.I)
_STARTS = re.compile(r"\b(?:begin|begins|start|starts|starting|from|effective|as of)\b"
                     r"[^.]{0,20}$", re.I)


# Letters that Unicode does not decompose into a Latin letter and a mark.
_LATIN = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "Ae",
                        "œ": "oe", "Œ": "Oe", "ß": "ss", "đ": "d", "Đ": "D", "þ": "th",
                        "Þ": "Th", "ı": "i"})


def slug(name: str) -> str:
    """The id a name gives, without a possessive: "Google's Gemini" -> 'google-gemini',
    "Ørsted" -> 'orsted'."""
    return slugify(re.sub(r"[’']s\b", "", name).translate(_LATIN))


class Ids:
    """Unique ids across the fact sheet: a second 'acme' is 'acme-2'."""

    def __init__(self):
        self.used: set[str] = set()

    def take(self, wanted: str) -> str:
        candidate, n = wanted, 2
        while candidate in self.used:
            candidate, n = f"{wanted}-{n}", n + 1
        self.used.add(candidate)
        return candidate


def readable(kind: str) -> str:
    return READABLE.get(kind, re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower())


def draft_sheet(text: str, published: dt.date, gazetteer: dict[str, tuple[str, str]]) -> dict:
    """The whole draft of one article, in the fact sheet's form, with "_note" keys for the
    reviewer."""
    page = layout(text)
    ents = entities.find(page, gazetteer)
    found_deals = deals.agreements(page, ents)
    terms = deals.clauses(page, found_deals)
    happenings = deals.events(page, ents)
    ids = Ids()
    of: dict[int, str] = {}
    sheet: dict = {"article": _article(page, published, ents, of, ids)}
    sections = {"organizations": [], "people": [], "products": [], "agreements": [],
                "clauses": [], "events": []}
    by_sentence: dict[int, list[dict]] = {}

    def claim(entry: dict, sentence: Sentence) -> None:
        if any(_quote_text(q) == sentence.text for q in entry["evidence"]) or \
                len(sentence.text.split()) < MIN_QUOTE_WORDS or text_problem(sentence.text):
            return  # too short, or with a character a fact sheet may not hold
        if deals.reported(sentence):
            quote = {"quote": sentence.text, "reported": True}
            cited = deals.source(sentence, ents)
            if cited is not None and id(cited) in of:
                quote["source"] = of[id(cited)]
            entry["evidence"].append(quote)
        else:
            entry["evidence"].append(sentence.text)
        by_sentence.setdefault(sentence.start, []).append(entry)

    section_of = {"organization": "organizations", "person": "people", "product": "products"}
    for found in ents.all():
        of.setdefault(id(found), ids.take(found.key or slug(found.name)))
    for found in ents.all():
        if found.kind not in section_of or text_problem(found.name):
            continue  # the name of an agreement, or one a fact sheet cannot hold
        entry = _entity(found, of)
        for start, _ in sorted(found.mentions)[:1]:
            sentence = entities.sentence_of(page, start)
            if sentence is not None:
                claim(entry, sentence)
        for role in entry.get("roles", []):
            at = text.find(role["text"])
            sentence = entities.sentence_of(page, at)
            if sentence is not None:
                claim(entry, sentence)
        if entry["evidence"]:
            sections[section_of[found.kind]].append(entry)
    for deal in found_deals:
        entry = _agreement(deal, of, ids)
        of[id(deal)] = entry["id"]
        for sentence in deal.sentences[:3]:
            claim(entry, sentence)
        sections["agreements"].append(entry)
    for term in terms:
        entry = {"id": ids.take(slug(f"{of[id(term.deal)]}-{readable(term.type)}")),
                 "type": term.type, "agreement": of[id(term.deal)],
                 "name": f"{readable(term.type).capitalize()} of the "
                         f"{_name_of(term.deal)}",
                 "evidence": [], "_note": f"“{term.cue}” names the clause"}
        if term.condition:
            entry["condition"] = term.condition
        claim(entry, term.sentence)
        sections["clauses"].append(entry)
    for happening in happenings:
        entry = _event(happening, of, ids, found_deals)
        claim(entry, happening.sentence)
        sections["events"].append(entry)
    _place_values(text, published, page, sections, by_sentence, claim, ents, of, ids)
    _claims(page, ents, of, sections, by_sentence, claim)
    sheet.update(sections)
    return sheet


def _quote_text(quote) -> str:
    return quote["quote"] if isinstance(quote, dict) else quote


def _article(page: Layout, published: dt.date, ents: Entities, of, ids: Ids) -> dict:
    titles = [page.headline] if page.headline else []
    titles += [s.text for s in page.sentences]
    title = next((t for t in titles if not text_problem(t)), titles[0])
    article = {"title": title, "published": published, "language": "en"}
    if page.byline:
        people = [ents.lookup(n) for n in page.byline.authors]
        publisher = ents.lookup(page.byline.publisher) if page.byline.publisher else None
        for found in [*people, publisher]:
            if found is not None:
                of.setdefault(id(found), ids.take(found.key or slug(found.name)))
        if publisher is not None:
            article["publisher"] = of[id(publisher)]
        authors = [of[id(p)] for p in people if p is not None and p.kind == "person"]
        if authors:
            article["authors"] = authors
    return article


def _entity(found: Found, of: dict) -> dict:
    entry = {"id": of[id(found)], "name": found.name}
    if found.aliases:
        entry["aliases"] = list(found.aliases)
    if found.kind == "organization" and (found.group or found.news):
        entry["type"] = "Group" if found.group else "NewsOrganization"
    if found.roles:
        entry["roles"] = [{"organization": of[id(r["organization"])], "title": r["title"],
                           "text": r["text"], **({"head": True} if r.get("head") else {}),
                           **({"former": True} if r.get("former") else {})}
                          for r in found.roles if id(r["organization"]) in of]
    entry["evidence"] = []
    if found.notes:
        entry["_note"] = "; ".join(found.notes)
    return entry


def _name_of(deal: deals.Deal) -> str:
    if deal.name:
        return deal.name
    return f"{'–'.join(p.name for p in deal.parties[:3])} {readable(deal.type)}"


def _agreement(deal: deals.Deal, of: dict, ids: Ids) -> dict:
    entry = {"id": ids.take(slug(_name_of(deal))), "type": deal.type, "name": _name_of(deal),
             "parties": [of[id(p)] for p in deal.parties]}
    for key in ("status", "instrument"):
        if getattr(deal, key):
            entry[key] = getattr(deal, key)
    if deal.buyer is not None:
        entry["buyer"], entry["target"] = of[id(deal.buyer)], of[id(deal.target)]
    if deal.hires:
        entry["hires"] = [of[id(p)] for p in deal.hires]
    entry["evidence"] = []
    entry["_note"] = "; ".join([f"“{deal.cue}” names the kind; parties are the organizations "
                                "of its sentence", *deal.notes])
    return entry


def _event(happening: deals.Happening, of: dict, ids: Ids, found_deals) -> dict:
    words = re.split(r"(?<=\w)[,;:—–(]", happening.sentence.text)[0].split()
    name = " ".join(words[:12]).strip("“”\"'")
    entry = {"id": ids.take(slug(f"{' '.join(words[:5])}")), "type": happening.type,
             "name": name or happening.type,
             "participants": [of[id(p)] for p in happening.participants if id(p) in of]}
    concerned = [d for d in found_deals if happening.sentence in d.sentences]
    if concerned:
        entry["concerns"] = of[id(concerned[0])]
        if happening.type == "AgreementFormation":
            entry["establishes"] = of[id(concerned[0])]
    entry["evidence"] = []
    entry["_note"] = f"“{happening.cue}” names the kind of event"
    return entry


def _claims(page, ents, of, sections, by_sentence, claim) -> None:
    """A reported sentence no entry quotes yet is quoted by the first entity it names."""
    entries = {e["id"]: e for name in ("organizations", "people", "products")
               for e in sections[name]}
    for sentence in page.sentences:
        if sentence.start in by_sentence or not deals.reported(sentence):
            continue
        named = [f for f in ents.in_span(sentence.start, sentence.end)
                 if of.get(id(f)) in entries]
        if named:
            claim(entries[of[id(named[0])]], sentence)


def _holder(sentence, ents, of, ids, sections, by_sentence, claim) -> dict | None:
    """An event made for a time no entry of its sentence can hold."""
    named = [f for f in ents.in_span(sentence.start, sentence.end, ("organization", "person"))
             if id(f) in of and not f.news]
    kind = next((k for k, cue in EVENT_CUES if cue.search(sentence.text)),
                "Announcement")
    entry = _event(deals.Happening(kind, sentence, named, ""), of, ids, [])
    entry["_note"] = "made to hold the time of its sentence; check its kind"
    claim(entry, sentence)
    sections["events"].append(entry)
    return entry


def _place_values(text, published, page, sections, by_sentence, claim, ents, of, ids) -> None:
    """Each amount, quantity and time goes to an entry of its own sentence: a clause first,
    then an agreement, an event, an organization; else to the first agreement."""
    order = {"clauses": 0, "agreements": 1, "events": 2, "organizations": 3, "products": 4,
             "people": 5}
    kind_of = {id(e): name for name, entries in sections.items() for e in entries}

    def home(start: int, kinds=tuple(order)):
        sentence = entities.sentence_of(page, start)
        if sentence is None:
            return None, None
        here = [e for e in by_sentence.get(sentence.start, []) if kind_of.get(id(e)) in kinds]
        here.sort(key=lambda e: order[kind_of[id(e)]])
        return (here[0] if here else None), sentence

    for found in [*values.amounts(text), *values.quantities(text)]:
        entry, sentence = home(found.start)
        if entry is None and sentence is not None and sections["agreements"]:
            entry = sections["agreements"][0]
            claim(entry, sentence)
        if entry is None:
            continue
        field = "amounts" if "currency" in found.item else "quantities"
        item = {k: v for k, v in found.item.items() if not k.startswith("_")}
        entry.setdefault(field, []).append(item)
        if found.note:
            _add_note(entry, f"{found.item['text']}: {found.note}")
    for found in dates.times(text, published):
        before = text[max(0, found.start - 40):found.start]
        sentence = entities.sentence_of(page, found.start)
        if sentence is None:
            continue
        item = {k: v for k, v in found.item.items() if not k.startswith("_")}
        here = by_sentence.get(sentence.start, [])
        event = next((e for e in here if kind_of.get(id(e)) == "events" and "time" not in e),
                     None)
        span = "ends" if _ENDS.search(before) else "starts" if _STARTS.search(before) else None
        lasting = next((e for e in here if kind_of.get(id(e)) in ("clauses", "agreements")
                        and span and span not in e), None)
        if lasting is None and event is None:
            event = _holder(sentence, ents, of, ids, sections, by_sentence, claim)
            if event is not None:
                kind_of[id(event)] = "events"
        if lasting is not None:
            lasting[span] = item
        elif event is not None:
            event["time"] = item
            if found.item.get("_future"):
                event["planned"] = True
        else:
            continue
        if found.note:
            _add_note(lasting or event, f"{found.item['text']}: {found.note}")


def _add_note(entry: dict, note: str) -> None:
    entry["_note"] = f"{entry['_note']}; {note}" if entry.get("_note") else note
