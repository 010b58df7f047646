"""Agreements, clauses, events and reported claims, found sentence by sentence through the cue
lexicons of kg.drafting.cues: parties, statuses, the agreement a clause belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.drafting.cues import (
    AGREEMENT_CUES,
    APART,
    BOTH,
    CLAUSE_CUES,
    CONDITION_KINDS,
    EVENT_CUES,
    GENERIC,
    INSTRUMENT_CUES,
    JOINING,
    SECONDHAND,
    SEVERAL,
    SOURCE_BEFORE,
    STATUS_CUES,
    VALUED,
)
from kg.drafting.entities import Entities, Found
from kg.drafting.text import Layout, Sentence
from kg.factsheet.values import REPORTING_CUE


@dataclass
class Deal:
    """An agreement the article names, by its cue, its parties and the sentences that say so."""

    type: str
    parties: list[Found]
    sentences: list[Sentence]
    cue: str
    status: str | None = None
    instrument: str | None = None
    buyer: Found | None = None
    target: Found | None = None
    hires: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    name: str | None = None  # the name the article gives it, if any


@dataclass
class Term:
    type: str
    deal: Deal
    sentence: Sentence
    cue: str
    condition: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Happening:
    type: str
    sentence: Sentence
    participants: list[Found]
    cue: str


def _body(page: Layout) -> list[Sentence]:
    """The sentences after the headline and byline."""
    skip = {page.headline, page.byline.line if page.byline else None}
    return [s for s in page.sentences if s.text not in skip]


def _parties(ents: Entities, sentence: Sentence, people: bool = False) -> list[Found]:
    kinds = ("organization", "person") if people else ("organization",)
    out = []
    for found in ents.in_span(sentence.start, sentence.end, kinds):
        if found.group or found.news:
            continue
        mention = min(a for a, b in found.mentions if sentence.start <= a < sentence.end)
        if SOURCE_BEFORE.search(sentence.text[:mention - sentence.start]):
            continue
        out.append(found)
    return out


def agreements(page: Layout, ents: Entities) -> list[Deal]:
    """One agreement per kind and set of parties; the cue of status and instrument nearest to
    its kind's cue in its first sentence gives them. A sentence that only says "the deal"
    adds to the agreement of the same parties, or else is a Partnership."""
    deals: dict[tuple, Deal] = {}
    body = _body(page)
    for number, sentence in enumerate(body):
        found_one, taken = False, []
        for kind, cue in AGREEMENT_CUES:
            match = cue.search(sentence.text)
            if match:
                deal = _agreement(deals, ents, sentence, kind, match, taken, body[:number])
                if deal is not None:
                    found_one = True
                    taken.append({id(p) for p in deal.parties})
        generic = GENERIC.search(sentence.text)
        if generic and not found_one:
            parties = _parties(ents, sentence)
            same = [d for d in deals.values() if {id(p) for p in d.parties}
                    <= {id(p) for p in parties}]
            first = next(iter(deals.values()), None)
            status = _nearest_cue(STATUS_CUES, sentence.text, generic.start())
            if first is not None and status in APART and (
                    same[:1] == [first] or BOTH.search(sentence.text)):
                # "the two companies signed a memorandum": an earlier stage of the same deal
                key = (first.type, frozenset(map(id, first.parties)), status)
                earlier = deals.setdefault(key, Deal(first.type, first.parties, [],
                                                     generic.group(), status))
                earlier.instrument = _nearest_cue(INSTRUMENT_CUES, sentence.text,
                                                  generic.start())
                # Its first sentence names the parties, which its quotes must.
                for said in (first.sentences[0], sentence):
                    if said not in earlier.sentences:
                        earlier.sentences.append(said)
            elif same:
                same[0].sentences.append(sentence)
        rounds = [d for d in deals.values() if d.type == "FinancingRound"]
        if rounds and JOINING.search(sentence.text) and not found_one:
            joined = rounds[-1]  # "X and Y also took part": investors in the latest round
            joined.parties += [p for p in _parties(ents, sentence) if p not in joined.parties]
            joined.sentences.append(sentence)
    return list(deals.values())


def _agreement(deals: dict, ents: Entities, sentence: Sentence, kind: str, match,
               taken=(), before=()) -> Deal | None:
    """The agreement of this kind and these parties (made if new), or None when the sentence
    names too few parties, or a kind found earlier in it has the same ones."""
    parties = _parties(ents, sentence, people=kind == "HiringDeal")
    venture = _venture_name(sentence, parties) if kind == "JointVenture" else None
    if venture is not None:
        parties = [p for p in parties if p is not venture]
        venture.kind = "venture"
    if kind == "HiringDeal" and not any(p.kind == "person" for p in parties):
        return None
    notes, naming = [], None
    if len(parties) == 1 and kind != "HiringDeal" and before and re.search(
            r"\b(?:it|its|It|Its)\b", sentence.text[:match.start()]):
        subject = _salient(ents, sentence, parties[0])  # "which it bought for $5.4 billion"
        naming = next((s for s in reversed(before) if subject is not None and any(
            s.start <= a < s.end for a, _ in subject.mentions)), None)
        if naming is not None:
            parties = [subject, *parties]
            notes = [f"“it” read as {subject.name}, the organization named most so far"]
    if len(parties) < 2:
        return None
    if naming is None and kind not in ("JointVenture", "FinancingRound"):  # many parties
        parties = _nearest(parties, sentence, match.start(), kind == "HiringDeal")
    if {id(p) for p in parties} in taken:
        return None
    status = _nearest_cue(STATUS_CUES, sentence.text, match.start())
    # The same parties' rejected offer, ended deal or talks are another agreement than the
    # one they made.
    key = (kind, frozenset(map(id, parties)), status if status in APART else "")
    deal = deals.get(key)
    if deal is None:
        deal = deals[key] = Deal(kind, parties, [], match.group(), notes=notes)
        deal.status = status
        deal.instrument = _nearest_cue(INSTRUMENT_CUES, sentence.text, match.start())
        if kind == "Acquisition" and naming is not None:
            deal.buyer, deal.target = parties
        elif kind == "Acquisition":
            _buyer_target(deal, sentence, match.start())
        if kind == "HiringDeal":
            deal.hires = [p for p in parties if p.kind == "person"]
        if venture is not None:
            deal.name = venture.name
    for said in (sentence, naming):
        if said is not None and said not in deal.sentences:
            deal.sentences.append(said)
    return deal


def _salient(ents: Entities, sentence: Sentence, other: Found) -> Found | None:
    """The organization named most often up to this sentence, other than `other`."""
    counted = [(sum(a < sentence.end for a, _ in f.mentions), f) for f in ents.all()
               if f.kind == "organization" and f is not other and not f.group and not f.news]
    counted = [(n, f) for n, f in counted if n]
    return max(counted, key=lambda p: p[0])[1] if counted else None


def _venture_name(sentence: Sentence, parties: list[Found]) -> Found | None:
    """The name a joint venture is given: "... called Stargate", "its Stargate venture"."""
    for found in parties:
        name = re.escape(found.name)
        if re.search(r"\b(?:called|named|dubbed)\s+" + name + r"\b|\b" + name +
                     r"(?:\s+[\w-]+)?\s+(?:joint\s+)?venture\b|\b" + name +
                     r",\s+the\s+[^,.]{0,40}\bventure\b", sentence.text):
            return found
    return None


def _nearest_cue(table, text: str, at: int) -> str | None:
    """The kind whose cue stands nearest the offset, within 80 characters."""
    best = None
    for kind, cue in table:
        for m in cue.finditer(text):
            distance = min(abs(m.start() - at), abs(m.end() - at))
            if distance <= 80 and (best is None or distance < best[0]):
                best = (distance, kind)
    return best[1] if best else None


def _nearest(parties: list[Found], sentence: Sentence, cue: int, hiring: bool) -> list[Found]:
    """The two parties named nearest the cue (for a hiring deal, an organization and a person),
    in text order: a sentence names more than the deal's parties."""
    def distance(found):
        return min(abs(a - sentence.start - cue) for a, b in found.mentions
                   if sentence.start <= a < sentence.end)
    if hiring:  # the hirer is the sentence's subject, named first
        people = sorted((p for p in parties if p.kind == "person"), key=distance)[:1]
        orgs = [p for p in parties if p.kind != "person"][:1]
        chosen = people + orgs
    else:
        chosen = sorted(parties, key=distance)[:2]
    return [p for p in parties if p in chosen]


def _buyer_target(deal: Deal, sentence: Sentence, verb: int) -> None:
    """In 'A agreed to acquire B', A buys and B is bought."""
    def first_at(found):
        return min(a for a, b in found.mentions if sentence.start <= a < sentence.end)
    before = [p for p in deal.parties if first_at(p) < sentence.start + verb]
    after = [p for p in deal.parties if first_at(p) > sentence.start + verb]
    if before and after:
        deal.buyer, deal.target = before[-1], after[0]


def _first(table, text: str) -> str | None:
    return next((kind for kind, cue in table if cue.search(text)), None)


def clauses(page: Layout, deals: list[Deal]) -> list[Term]:
    """Each clause cue in a sentence, put in the agreement of its sentence, or else of the
    nearest sentence before it that names one."""
    if not deals:
        return []
    terms, seen = [], set()
    for sentence in _body(page):
        deal = _deal_for(sentence, deals)
        for kind, cue in CLAUSE_CUES:
            match = cue.search(sentence.text)
            # One clause of a kind per agreement, but for those with a value, or of a kind an
            # agreement often has several of, in each sentence.
            several = kind in SEVERAL or VALUED.search(sentence.text)
            key = (kind, id(deal), sentence.start if several else None)
            if not match or key in seen:
                continue
            seen.add(key)
            term = Term(kind, deal, sentence, match.group())
            if kind == "Condition":
                term.condition = _first(CONDITION_KINDS, sentence.text) or "Other"
            terms.append(term)
    return terms


def _deal_for(sentence: Sentence, deals: list[Deal]) -> Deal:
    same = [d for d in deals if sentence in d.sentences]
    if same:
        return same[0]
    earlier = [(max(s.start for s in d.sentences if s.start <= sentence.start), d)
               for d in deals if any(s.start <= sentence.start for s in d.sentences)]
    if earlier:
        return max(earlier, key=lambda p: p[0])[1]
    return deals[0]


def events(page: Layout, ents: Entities, most: int = 3) -> list[Happening]:
    """The events of each sentence: one per kind of event cue, the first `most` kinds in the
    lexicon's order; the participants are the entities the sentence names."""
    out = []
    for sentence in _body(page):
        kinds = [(name, m.group()) for name, cue in EVENT_CUES
                 if (m := cue.search(sentence.text))]
        if len(kinds) > 1:  # a statement or report of another event is that event
            kinds = [k for k in kinds if k[0] not in ("Statement", "Report")] or kinds[:1]
        people = [f for f in ents.in_span(sentence.start, sentence.end,
                                          ("organization", "person")) if not f.news]
        for name, cue in kinds[:most]:
            out.append(Happening(name, sentence, people, cue))
    return out


def reported(sentence: Sentence) -> bool:
    """Whether the sentence reports what others say, by the build's own cues."""
    return bool(REPORTING_CUE.search(sentence.text) or SECONDHAND.search(sentence.text))


def source(sentence: Sentence, ents: Entities) -> Found | None:
    """Who the sentence cites: the name after 'according to' or 'citing', or before
    'reported'."""
    text = sentence.text
    for found in ents.in_span(sentence.start, sentence.end, ("organization", "person")):
        for a, b in found.mentions:
            if not sentence.start <= a < sentence.end:
                continue
            before = text[:a - sentence.start]
            after = text[b - sentence.start:]
            if SOURCE_BEFORE.search(before) or re.match(r"[,]?\s*(?:reported|reports|, citing)",
                                                         after):
                return found
    return None
