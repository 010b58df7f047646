"""Agreements, clauses, events and reported claims, found sentence by sentence through cue
lexicons: the words that name a kind of deal, its status and instrument, a kind of clause, a kind
of event, and the words of reporting ("according to", "reportedly")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.drafting.entities import Entities, Found
from kg.drafting.text import Layout, Sentence
from kg.factsheet.values import REPORTING_CUE


def _cues(table):
    return [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in table]


# First match wins: a purchase of capacity is a supply deal before it is an acquisition. The
# last, generic words ("the deal") name a kind only when no earlier agreement has the parties.
AGREEMENT_CUES = _cues([
    ("JointVenture", r"\bjoint venture\b|\bventure\b"),
    ("HiringDeal", r"\b(?:hire[sd]?|hiring|poach(?:ed|ing)?|acqui-?hire|joined)\b"),
    ("FinancingRound", r"\b(?:funding round|series [a-h]\b|financing round|round of funding|"
                       r"rais(?:e|es|ed|ing) (?:about |roughly |more than |nearly |some )?[$€£])"),
    ("SupplyAgreement", r"\b(?:suppl(?:y|ies|ier)|customer|client|vendor|computing power|"
                        r"compute|capacity|chips?|power purchase|offtake|electricity|"
                        r"gigawatts?|megawatts?|"
                        r"purchase agreement|contract to (?:buy|purchase))\b"),
    ("Investment", r"\b(?:invest(?:s|ed|ing|ment)?|stake)\b|\bbuy \d+(?:\.\d+)?\s*(?:%|"
                   r"percent)"),
    ("Acquisition", r"\b(?:acquir(?:e|es|ed|ing)|acquisition|buy(?:s|ing)?|bought|takeover|"
                    r"take over|merg(?:e|er|es|ed|ing)|paid\b[^.]{0,30}\bfor|purchase of)\b"),
    # In lower case: "Ostby Partners" is a name.
    ("Partnership", r"\b(?:(?<!general )(?<!managing )(?<!limited )(?-i:[Pp]artner(?:s|ed|ing|"
                    r"ship)?(?<!Partners))|"
                    r"collaborat\w*|alliance|tie-up|licens\w+)\b"),
    ("Acquisition", r"\b(?:approach(?:ed)?|(?:takeover |buyout )?(?:bid|offer|proposal) (?:for|to "
                    r"buy|worth)|offered|bidding)\b"),
])
APART = {"Rejected", "Terminated", "Proposed", "Talks", "NonBinding"}
JOINING = re.compile(r"\b(?:took part|participat\w+|joined the round|also invested|"
                     r"co-led)\b", re.I)
GENERIC = re.compile(r"\b(?:agreement|deal|pact|contract|arrangement|transaction|memorandum|"
                     r"letter of intent|term sheet)\b", re.I)
BOTH = re.compile(r"\b(?:the two|both) (?:companies|sides|firms)\b|\bthe pair\b", re.I)
STATUS_CUES = _cues([
    ("Blocked", r"\bblock(?:ed|s)?\b"),
    ("Terminated", r"\b(?:terminat\w+|called off|scrapped|abandoned|fell apart|collapsed|"
                   r"walked away)\b"),
    ("Rejected", r"\b(?:reject\w*|turned down|spurned|rebuffed)\b"),
    ("NonBinding", r"\b(?:non-?binding|memorandum of understanding|letter of intent|"
                   r"term sheet)\b"),
    ("Completed", r"\b(?:completed|closed the|finali[sz]ed|bought|paid)\b"),
    ("Definitive", r"\b(?:agreed to|has agreed|have agreed|signed|definitive|struck|"
                   r"reached an? (?:deal|agreement))\b"),
    ("Talks", r"\b(?:in talks|talks|discussions|negotiat\w+|exploring)\b"),
    ("Proposed", r"\b(?:offer(?:ed|s)?|proposed|proposal|bid)\b"),
])
INSTRUMENT_CUES = _cues([
    ("MemorandumOfUnderstanding", r"\bmemorandum of understanding\b"),
    ("LetterOfIntent", r"\bletter of intent\b"), ("TermSheet", r"\bterm sheet\b"),
    ("Contract", r"\bcontract\b"),
])
CLAUSE_CUES = _cues([
    ("RightOfFirstRefusal", r"\bright of first refusal\b|\bROFR\b"),
    ("TerminationFee", r"\b(?:termination|break-?up|break|reverse break-?up) fee\b|"
                       r"\bowe\w* [^.]{0,60}\bfee\b"),
    ("EscapeClause", r"\bescape clause\b|\bexit clause\b|\bclause that would (?:end|terminate|"
                     r"cut|close)"),
    ("Exclusivity", r"\bexclusiv\w*\b|\bno other\b|\bsole\b"),
    ("RevenueShare", r"\brevenue[- ]shar\w*|\broyalt\w+"),
    ("Warrant", r"\bwarrants?\b"),
    ("EquityStake", r"\b(?:stake|equity)\b|\bowns? (?:about |roughly |nearly )?\d+(?:\.\d+)?"
                    r"\s*(?:%|percent)(?!\w)|\bbuy \d+(?:\.\d+)?\s*(?:%|percent) of\b"),
    ("LicenceRights", r"\blicen[cs]\w*|\brights to\b|\bintellectual property\b"),
    ("Governance", r"\bboard seats?\b|\bseats? on\b|\bdirectors\b|\bboard will\b|"
                   r"\b(?:join|stay|remain|sit|seat)(?:s|ed)? on (?:the|its|\w+(?:’s|'s)) board\b|"
                   r"\bjoin(?:s|ed)? (?:the|its|\w+(?:’s|'s)) board\b|\bboard (?:seat|member)|"
                   r"\bvoting\b|\bgovernance\b|\bcontrol of\b"),
    ("Condition", r"\bsubject to\b|\bapproval\w*\b|\bclearance\b|\bconditions?\b|"
                  r"\bcontingent\b|\bmilestones?\b|\bif (?:it|they|the|regulators|\w+) [^.]{0,40}"
                  r"\b(?:block|back|fall|fail|terminat|walk)\w*"),
    ("CapacityCommitment", r"\b(?:deploy|roll(?:s|ing)? out|supply|deliver|provide|build|buy)\w*"
                           r"\b[^.]{0,40}\b(?:giga|mega)watts?\b"),
    ("PurchaseCommitment", r"\bcommit(?:ted|ment|s)? to (?:buy|purchase|spend)|"
                           r"\bpurchase commitment|\bto (?:buy|purchase) (?:about |roughly )?\$"),
    ("Consideration", r"\bupfront\b|\bup-front\b|\bmilestone payments?\b|\bin cash\b|"
                      r"\bin stock\b|\ball-stock\b|\ball-cash\b|\bper share\b|\ba share\b"),
    ("TermClause", r"\bruns? through\b|\bterm of\b|\bexpires?\b|\b\d+-year (?:term|contract|"
                   r"agreement|deal|pact)\b"),
    ("Permission", r"\b(?:option to|allow(?:s|ed)?|permit(?:s|ted)?|approved [^.]{0,30}ability|"
                   r"free to|may now)\b"),
    ("Covenant", r"\b(?:will remain|remain available|will not|agreed not to|non-?compete|"
                 r"will continue to|stay on|will (?:become|design|develop|deploy|keep|"
                 r"provide|supply|sell|use|run|pay|build|share|distribute))\b"),
])
SEVERAL = {"Condition", "Covenant", "Exclusivity", "Permission"}
VALUED = re.compile(r"[$€£¥]\s?\d|\d\s?(?:%|percent\b)")
CONDITION_KINDS = _cues([("RegulatoryApproval", r"regulat\w+|antitrust|clearance"),
                         ("CustomaryConditions", r"customary"), ("Milestone", r"milestone"),
                         ("Deadline", r"\bdeadline\b|\bby the end of\b")])
EVENT_CUES = _cues([
    ("MarketMove", r"\b(?:shares|stock)\b[^.]{0,30}\b(?:rose|fell|jumped|climbed|dropped|"
                   r"slid|gained|surged|sank|tumbled)\b"),
    ("LegalAction", r"\b(?:lawsuits?|sued|sues|antitrust (?:suit|case)s?|investigation)\b"),
    ("Rejection", r"\b(?:rejected|turned down|spurned|rebuffed)\b"),
    ("Closing", r"\b(?:to close|closing|completed|closed)\b"),
    ("Hiring", r"\b(?:hired|hires|hire|appointed|named [^.]{0,30} as|joined)\b"),
    ("LeadershipChange", r"\b(?:ousted|stepped down|steps down|resign\w*|taking over as|"
                         r"took over as|replac\w+ [^.]{0,20} as)\b"),
    ("RelationshipChange", r"\b(?:cut ties|pull(?:s|ing|ed)? back|winding down|strained|"
                           r"deepen\w*|reliance|moved beyond|rewrite|rift|tensions?|tie-up)\b"),
    ("Departure", r"\b(?:leav(?:e|es|ing)|departed|departure)\b"),
    ("Founding", r"\bfounded\b"),
    ("Deliberation", r"\b(?:consider\w*|weigh(?:s|ed|ing)|exploring|mull\w*|reviewing)\b"),
    ("Offer", r"\b(?:offered|offer|bid|approach(?:ed)?)\b"),
    ("Negotiation", r"\b(?:talks|negotiat\w+)\b"),
    ("AgreementFormation", r"\b(?:agreed to|has agreed|have agreed|signed|struck|"
                           r"finali[sz]ed a deal|reached an? (?:deal|agreement)|partner(?:ed)? "
                           r"with|bought|acquired|took a stake|invested)\b"),
    ("Announcement", r"\b(?:announc\w+|unveil\w*|said on|confirmed)\b"),
    ("FinancialResult", r"\b(?:revenue|brought in|profit\w*|earnings|results|backlog|"
                        r"performance obligations|loss(?:es)?)\b"),
    ("Report", r"\breported\b|\baccording to\b"),
    ("Statement", r"\b(?:said|says|told|wrote)\b"),
    ("Reaction", r"\b(?:angered|welcomed|criticized|criticised|criticism|praised|concerns?|"
                 r"electrified|puzzle|declined to comment|opposes|opposition|urged)\b"),
])
_SOURCE_BEFORE = re.compile(r"\b(?:according to|citing|reported by)\s+(?:the\s+)?$",
                            re.IGNORECASE)


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
        if _SOURCE_BEFORE.search(sentence.text[:mention - sentence.start]):
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


# What others say, beyond the build's reporting words: unnamed sources and spokespeople.
SECONDHAND = re.compile(r"\bfamiliar with\b|\bciting\b|\bsources?\b|\bspokes(?:person|man|"
                        r"woman)\b|\bpeople close to\b|\bis said to\b|\bare said to\b|"
                        r"\b(?:companies|company|people|firms?|two) (?:said|say|says|told)\b",
                        re.IGNORECASE)


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
            if _SOURCE_BEFORE.search(before) or re.match(r"[,]?\s*(?:reported|reports|, citing)",
                                                         after):
                return found
    return None
