"""Generate a synthetic corpus of news articles and their fact sheets, for benchmarking kg.

Usage: python benchmarks/corpus.py --articles N --out DIR [--seed S] [--count]

Writes N pairs DIR/synthetic-000000.txt + .yaml ... DIR/synthetic-<N-1>.txt + .yaml. Each
article is a few paragraphs of English business news about deals between organizations drawn
from one shared pool of 200 (Zipf-distributed: the 40 most frequent make about three quarters
of the mentions), with their executives, products and the fact sheet's whole vocabulary, in
about the proportions real fact sheets have it (share of articles in brackets):

- a reworked partnership (every article) with two to six clauses of the six older types
  (RightOfFirstRefusal, Exclusivity, RevenueShare, EscapeClause, Permission, TermClause),
  amounts ("$650 million"), shares ("20 percent"), terms ("runs through 2030"), relative and
  absolute times ("Last March", "back in June", "Tuesday", "now", "in March 2021") resolved
  against the publication date the way kg's checker reads them, reported claims ("reportedly",
  "according to", "... reported"), joint ventures (25%) and hiring deals (30%);
- clause lifecycles: an exclusivity superseded by a right of first refusal, the announcement
  that begins the one and terminates the other (about 30%), and the lifecycles across articles
  below;
- stakes and acquisitions (30%; Investment 60%, Acquisition 40%) with a status (Talks,
  Proposed, NonBinding, Definitive, Completed, Rejected, Terminated, Blocked, weighted 3:2:2:5:3:
  1:1:1), the instrument (letter of intent, memorandum of understanding, term sheet, contract)
  and binding force where the words give them, buyer and target; an EquityStake clause with
  holder, issuer, the percentage of equity (qualified: "about", "up to", "at least") and
  sometimes its voting power; a valuation (half of them), a regulatory Condition the other
  clauses are subject_to with a planned Closing "in the second half of 2026" (a span), a price
  per share and a breakup fee; the events that go with the status (Negotiation, Offer,
  Rejection, AgreementFormation, Closing, RelationshipChange, LegalAction);
- amounts with qualifiers (about, more than, at least, up to, less than, exactly) and per-year
  and per-share amounts; supply deals (25%: SupplyAgreement, with a CapacityCommitment in
  gigawatts or megawatts or a PurchaseCommitment of chips, a term in years, a yearly value,
  the year it starts, status and instrument); headcounts of organizations (15%, unit count of
  employees) and users of products (15%);
- cross-article references (25%): the article extends, replaces (supersedes) or ends
  (terminates) the partnership an earlier-published article among the 60 before it declares,
  and its TermClause or right of first refusal, by id and without declaring them, its quotes
  naming the partnership by its name; chief executives' takeovers are one event each in the
  whole corpus, told again by every article that mentions them;
- a few planted conflicts that `kg check` lists (articles 17, 37 and 71 of every hundred): an
  earlier announcement dated again months off, an earlier partnership's end given again two
  years later, a headcount that contradicts the pool's. `kg build` builds them (it only counts
  conflicts); names are otherwise specific enough that few probable duplicates remain.

Every quote of a fact sheet is a verbatim passage of its article, every linked entry is named
in the quotes of the entry linking it (an earlier article's agreement too, though kg does not
ask it), and every written value stands in a quote: the real `kg build` checks all of that, so
the corpus exercises quote anchoring as real input would. Organizations, people and products
keep one id (and the same name, aliases, description, role, owner, headcount and users) in
every fact sheet, so the graphs of the articles merge on their IRIs; agreements, clauses and
events belong to one article and carry its number in their ids, but for the references above.

The output depends only on the seed and the article's number: the corpus of N articles is the
first N articles of the corpus of N + 1 (an article refers only to earlier ones, whose start it
draws again from their own random stream, corpus_pool.basics), and the same seed gives
byte-identical files on every machine (the YAML is written by corpus_yaml, not PyYAML).
`--count` builds the corpus with kg afterwards and prints triples per article. The pool is in
corpus_pool.py, the newer vocabulary in corpus_deals.py.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # the helper modules stand beside this file
    sys.path.insert(0, _HERE)

import corpus_yaml  # noqa: E402
from corpus_deals import Deals  # noqa: E402
from corpus_pool import (  # noqa: E402
    _BEATS,
    MONTHS,
    Basics,
    Org,
    Person,
    Pool,
    Product,
    _money,
    _quote_text,
    _stems,
    basics,
    ev,
    make_pool,
    pick_orgs,
    slugify,
)

__all__ = ["article", "basics", "make_corpus", "make_pool"]

# ------------------------------------------------------------------ one article

_SPEECH = ["This gives us the flexibility we need to grow", "We remain deeply committed to this "
           "partnership", "Our customers will see the benefits within months", "This is the "
           "next chapter of a relationship that has served both companies well", "We are "
           "building for the next decade, not the next quarter", "Nothing about our core "
           "commitments changes today"]
_ISSUES = ["its stability and financial pressures", "slow delivery timelines", "pricing",
           "control of the joint roadmap", "access to new capacity", "competing products"]
_ACTIONS = ["dropping this provision", "renegotiating the revenue split", "raising new outside "
            "capital", "buying out part of the arrangement", "spinning off its hardware unit"]
_MILESTONES = ["reaches its technical milestones early", "creates artificial general intelligence",
               "is acquired by a competitor", "misses two consecutive delivery targets"]
_AREAS = ["consumer AI", "cloud", "chip design", "autonomy", "research", "enterprise sales"]
_VENTURES = ["Stargate", "Meridian", "Polaris", "Keystone", "Lodestar", "Tidewater", "Northstar",
             "Bedrock", "Halcyon", "Sentinel", "Aurora", "Cascade", "Frontier", "Ironwood"]
_PROJECTS = ["a system of data centers in the U.S.", "a chip plant in Arizona", "a shared AI "
             "research campus", "a battery gigafactory in Europe", "an undersea cable network",
             "a satellite broadband constellation"]
_FILLER = ["Neither company disclosed further financial terms of the arrangement.",
           "The companies declined to comment beyond their statements.",
           "Analysts said the change had been expected for months.",
           "Shares of both companies were little changed in afternoon trading.",
           "The arrangement still needs approval from regulators in several countries.",
           "People familiar with the talks said they had lasted most of the year."]


class Draft(Deals):
    """The text and the fact sheet of one article, written together sentence by sentence."""

    def __init__(self, start: Basics, rng: random.Random, pool: Pool, seed: int):
        self.start, self.seed = start, seed
        self.n, self.rng, self.published, self.pool = start.number, rng, start.published, pool
        self.tag = f"a{start.number}"
        self.paragraphs: list[list[str]] = []
        self.orgs: dict[str, dict] = {}
        self.people: dict[str, dict] = {}
        self.products: dict[str, dict] = {}
        self.agreements: list[dict] = []
        self.clauses: list[dict] = []
        self.events: list[dict] = []

    # ---------------------------------------------------------- text
    def paragraph(self, *sentences: str) -> None:
        self.paragraphs.append([s for s in sentences if s])

    # ---------------------------------------------------------- shared entities
    def org(self, org: Org, quote: str, max_quotes: int = 2) -> dict:
        assert any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", quote)
                   for n in (org.name, *org.aliases)), (org.name, quote)
        entry = self.orgs.get(org.id)
        if entry is None:
            entry = {"id": org.id, "name": org.name}
            if org.aliases:
                entry["aliases"] = list(org.aliases)
            entry["description"] = org.description
            entry["evidence"] = []
            self.orgs[org.id] = entry
        if len(entry["evidence"]) < max_quotes and quote not in map(_quote_text, entry["evidence"]):
            entry["evidence"].append(ev(quote))
        return entry

    def person(self, person: Person, quote: str, role_text: str | None = None) -> str:
        entry = self.people.get(person.id)
        if entry is None:
            entry = {"id": person.id, "name": person.name}
            if person.aliases:
                entry["aliases"] = list(person.aliases)
            entry["roles"] = []
            entry["evidence"] = []
            self.people[person.id] = entry
        if role_text and not entry["roles"]:
            assert role_text in quote, (role_text, quote)
            self.org(person.org, quote)
            entry["roles"].append({"organization": person.org.id, "title": person.title,
                                   "text": role_text, "head": person.head})
        if quote not in map(_quote_text, entry["evidence"]):
            entry["evidence"].append(ev(quote))
        return person.id

    def product(self, product: Product, quote: str) -> str:
        assert product.name in quote
        self.org(product.owner, quote)
        entry = self.products.get(product.id)
        if entry is None:
            self.products[product.id] = {"id": product.id, "name": product.name,
                                         "description": product.description,
                                         "owner": product.owner.id, "evidence": [ev(quote)]}
        elif quote not in map(_quote_text, entry["evidence"]):
            entry["evidence"].append(ev(quote))
        return product.id

    # ---------------------------------------------------------- choices
    def pick_orgs(self, k: int, exclude: tuple[Org, ...] = ()) -> list[Org]:
        return pick_orgs(self.rng, self.pool, k, exclude)

    def ceo(self, org: Org) -> Person | None:
        people = self.pool.executives.get(org.id, [])
        return people[0] if people and people[0].head else None

    def relative_month(self) -> tuple[str, str]:
        """Words naming a month before the publication date, and the month kg resolves them to."""
        month = self.rng.randrange(1, 13)
        year = self.published.year if month <= self.published.month else self.published.year - 1
        name = MONTHS[month - 1]
        form = (self.rng.choice(["Last {m}", "Back in {m}"]) if year < self.published.year
                else self.rng.choice(["Back in {m}", "In {m}"]))
        return form.format(m=name), f"{year}-{month:02d}"

    def absolute_month(self) -> tuple[str, str]:
        year = self.published.year - self.rng.randrange(1, 7)
        month = self.rng.randrange(1, 13)
        return f"{MONTHS[month - 1]} {year}", f"{year}-{month:02d}"

    def event(self, kind: str, suffix: str, name: str, description: str, evidence: list,
              **links) -> dict:
        if not name.endswith(f"({self.start.stamp})"):
            name = f"{name} ({self.start.stamp})"  # one article's event: its month names it too
        entry = {"id": f"{self.tag}-{suffix}", "type": kind, "name": name,
                 "description": description}
        entry.update({k: v for k, v in links.items() if v})
        entry["evidence"] = evidence
        self.events.append(entry)
        return entry

    # ---------------------------------------------------------- the article
    def write(self) -> str:
        rng, start = self.rng, self.start
        a, b = start.a, start.b
        domain, resource, freedom, infrastructure = start.deal
        title = rng.choice([
            "{a} is letting {b} get its own {resource} now",
            "{a} and {b} rework their {domain} partnership",
            "{b} wins more freedom in its {domain} deal with {a}",
            "{a} strikes new {domain} terms with {b}",
        ]).format(a=a.short, b=b.short, resource=resource, domain=domain)

        # Lead: the announcement of the changed partnership.
        when, when_date = start.announced_words, start.announced
        lead = rng.choice([
            "{A} and {B} announced {when} that they have adjusted their {domain} partnership "
            "so that {b} can {freedom}.",
            "{A} said {when} that it had reworked its {domain} agreement with {B}, allowing {b} "
            "to {freedom}.",
        ]).format(A=a.name, B=b.name, b=b.short, when=when, domain=domain, freedom=freedom)
        summary = (f"{a.short}’s deal with {b.short} has ‘evolved’ to include a right of first "
                   f"refusal on supplying new {resource}.")
        self.org(a, lead)
        self.org(b, lead)
        main_id = start.main_id
        main = {"id": main_id, "type": "Partnership",
                "name": start.main_name,
                "description": f"The {domain} partnership between {a.name} and {b.name}, "
                               f"adjusted so that {b.short} can {freedom}.",
                "parties": [a.id, b.id], "evidence": [lead]}
        self.agreements.append(main)
        announcement = self.event(
            "Announcement", "announcement", start.announcement_name, f"{a.name} and {b.name} announce that {b.short} can {freedom}.",
            [lead], participants=[a.id, b.id], concerns=main_id,
            time={"date": when_date.isoformat(), "text": when, "relative": True})

        # The clauses of the partnership.
        clause_sentences = []
        clause_of = lambda suffix: f"{main_id}-{suffix}"  # noqa: E731

        def clause(kind: str, suffix: str, name: str, evidence: list, **fields) -> dict:
            entry = {"id": clause_of(suffix), "type": kind, "agreement": main_id,
                     "name": f"{name} ({start.stamp})",
                     "description": f"A clause of the {main['name']}."}
            entry.update({k: v for k, v in fields.items() if v})
            entry["evidence"] = evidence
            self.clauses.append(entry)
            return entry

        kinds = start.kinds
        if "rofr" in kinds:
            statement = (f"The new agreement “includes changes to the exclusivity on new {resource}, "
                         f"moving to a model where {a.short} has a right of first refusal (ROFR),” "
                         f"{a.short} says.")
            clause_sentences += [summary, statement]
            old = None
            if rng.random() < 0.6:
                locked = (f"Prior to today’s change, {b.short} was locked into using {a.short}’s "
                          f"{infrastructure} exclusively for its {resource} needs.")
                clause_sentences.append(locked)
                old = clause("Exclusivity", "exclusivity-superseded",
                             f"{a.short}’s exclusivity on {b.short}’s {resource} (superseded)",
                             [locked], grants_right_to=[a.id], obligates=[b.id])
            rofr = clause("RightOfFirstRefusal", "right-of-first-refusal",
                          f"{a.short}’s right of first refusal on {b.short}’s new {resource}",
                          [ev(statement, source=a.id), summary], grants_right_to=[a.id],
                          obligates=[b.id], supersedes=old["id"] if old else None)
            if old:  # the change begins the right and ends the exclusivity
                self.link(announcement, begins=[rofr["id"]], terminates=[old["id"]])
        if "exclusivity" in kinds:
            owned = self.pool.products.get(a.id, []) + self.pool.products.get(b.id, [])
            if owned:
                product = rng.choice(owned)
                if product.owner is a:
                    sentence = (f"{a.short} keeps its exclusive rights to {b.short}’s technology "
                                f"for products like {product.name}.")
                else:
                    sentence = (f"{b.short} will keep offering {product.name} exclusively through "
                                f"{a.short}.")
                covers = [self.product(product, sentence)]
            else:
                sentence = f"{b.short} will keep selling its {resource} exclusively to {a.short}."
                covers = []
            clause_sentences.append(sentence)
            clause("Exclusivity", "exclusivity", f"{a.short}’s exclusive rights under its deal with {b.short}",
                   [sentence], grants_right_to=[a.id], obligates=[b.id], covers=covers)
        if "revenue" in kinds:
            if rng.random() < 0.8:
                pct = rng.choice([5, 8, 10, 12, 15, 20, 25, 30, 49])
                share = {"value": pct, "unit": "percent", "text": f"{pct} percent"}
            else:
                share = rng.choice([{"value": 0.5, "unit": "ratio", "text": "half"},
                                    {"value": 0.25, "unit": "ratio", "text": "a quarter"}])
            share.update({"recipient": a.id, "of": b.id, "measure": "revenue"})
            style = rng.randrange(3)
            if style == 0:
                setup = "They’ll maintain their two-way revenue-sharing setup"
                claim = f"it’s been reported that {a.short} gets {share['text']} of {b.short}’s revenue"
                clause_sentences.append(f"{setup} ({claim}).")
                evidence = [setup, ev(claim, reported=True)]
                grants = [a.id, b.id]
            elif style == 1:
                outlet = rng.choice(self.pool.outlets)
                claim = (f"According to {outlet.name}, {a.short} receives {share['text']} of "
                         f"{b.short}’s revenue under the arrangement.")
                clause_sentences.append(claim)
                self.org(outlet, claim)
                evidence = [ev(claim, reported=True, source=outlet.id)]
                grants = [a.id]
            else:
                claim = f"{b.short} will pay {a.short} {share['text']} of its revenue from the partnership."
                clause_sentences.append(claim)
                evidence = [claim]
                grants = [a.id]
            clause("RevenueShare", "revenue-share", f"Revenue sharing in the {main['name']}", evidence,
                   grants_right_to=grants, quantities=[share])
        if "permission" in kinds:
            sentence = (f"“To further support {b.short}, {a.short} has approved {b.short}’s ability to "
                        f"build additional {resource}, primarily for research,” the companies said.")
            clause_sentences.append(sentence)
            clause("Permission", "permission", f"{b.short} may build additional {resource}",
                   [sentence], grants_right_to=[b.id])
        if "escape" in kinds:
            milestone = rng.choice(_MILESTONES)
            escape = (f"{b.short}’s deal with {a.short} also has an unusual escape clause: if {b.short} "
                      f"{milestone}, it could close off {a.short}’s access to its newest technology.")
            clause_sentences.append(escape)
            amount_text, value, currency = _money(rng)
            if rng.random() < 0.5:
                threshold = (f"That trigger, reportedly, is defined as a system capable of generating "
                             f"more than {amount_text} in profits.")
                evidence = [escape, ev(threshold, reported=True)]
                bound = "more-than"
            else:
                threshold = f"Either side can also walk away if annual sales fall below {amount_text}."
                evidence = [escape, threshold]
                bound = "less-than"
            clause_sentences.append(threshold)
            clause("EscapeClause", "escape-clause", f"Escape clause of the {main['name']}", evidence,
                   grants_right_to=[b.id],
                   amounts=[{"value": value, "currency": currency, "text": amount_text,
                             "qualifier": bound, "description": "threshold of the escape clause"}])
        if "term" in kinds:
            year = start.term_year
            sentence = rng.choice([
                "The foundation of their relationship (which runs through {y}) stays pretty much the same.",
                "The agreement now runs through {y}, several years longer than first planned.",
            ]).format(y=year)
            clause_sentences.append(sentence)
            ends = {"year": year, "text": f"runs through {year}"}
            clause("TermClause", "term", f"Term of the {main['name']}", [sentence], ends=dict(ends))
            main["ends"] = dict(ends)
            main["evidence"].append(sentence)
        rng.shuffle(clause_sentences)
        # The summary stands right under the headline when the right of first refusal is there.
        if summary in clause_sentences:
            clause_sentences.remove(summary)
            self.paragraph(summary)
        self.paragraph(lead, *clause_sentences)

        # An executive comments.
        if rng.random() < 0.7:
            for org in rng.sample([a, b], rng.choice([1, 1, 2])):
                people = self.pool.executives.get(org.id)
                if not people:
                    continue
                person = rng.choice(people)
                role = person.role_text(org.short)
                said = f"“{rng.choice(_SPEECH)},” said {role}."
                self.person(person, said, role)
                self.paragraph(said)

        # A joint venture announced before.
        if rng.random() < 0.25:
            members = [a, *self.pick_orgs(rng.choice([1, 2, 3]), exclude=(a, b))]
            rng.shuffle(members)
            venture = f"{rng.choice(_VENTURES)} {_stems(rng, 1)[0]}"
            listed = ", ".join(m.name for m in members[:-1]) + f", and {members[-1].name}"
            if len(members) == 2:
                listed = f"{members[0].name} and {members[1].name}"
            sentence = (f"The news follows the announcement of a joint venture between {listed} to "
                        f"build {rng.choice(_PROJECTS)} called {venture}.")
            for member in members:
                self.org(member, sentence)
            jv_id = f"{slugify(venture)}-{self.n}"
            self.agreements.append({"id": jv_id, "type": "JointVenture", "name": venture,
                                    "description": f"Joint venture of {listed}.",
                                    "parties": [m.id for m in members], "evidence": [sentence]})
            self.event("Announcement", "joint-venture-announcement", f"{venture} joint venture announced",
                       f"The members announce the {venture} joint venture.", [sentence],
                       participants=[m.id for m in members], establishes=jv_id,
                       precedes=[announcement["id"]])
            self.paragraph(sentence)

        # An earlier partnership of the second party, approved by the first.
        if rng.random() < 0.3:
            (c,) = self.pick_orgs(1, exclude=(a, b))
            words, month = self.relative_month()
            concern = (f"It has been previously reported that some {b.short} shareholders felt "
                       f"{a.short} needed to move faster to deliver {resource} to {b.short}.")
            partner = (f"{words}, the slow timelines led {b.short} to partner with {c.name} "
                       f"(with the blessing of {a.short}) for the necessary {resource}.")
            self.org(c, partner)
            side_id = f"{b.id}-{c.id}-partnership-{self.n}"
            self.agreements.append({
                "id": side_id, "type": "Partnership", "name": f"{b.short}–{c.short} partnership ({start.stamp})",
                "description": f"{b.short}’s partnership with {c.name} for {resource}, made with "
                               f"{a.short}’s blessing.",
                "parties": [b.id, c.id], "approved_by": [a.id], "evidence": [partner]})
            worry = self.event("Reaction", "shareholder-concern", f"{b.short} shareholders want "
                               f"faster {resource} from {a.short}", f"Some {b.short} shareholders felt {a.short} "
                               "needed to move faster.", [ev(concern, reported=True)],
                               participants=[b.id, a.id])
            self.event("AgreementFormation", "side-partnership", f"{b.short} partners with {c.short}",
                       f"{b.short} partners with {c.name}, with {a.short}’s blessing.", [partner],
                       participants=[b.id, c.id, a.id], establishes=side_id,
                       caused_by=worry["id"], time={"month": month, "text": words, "relative": True})
            self.paragraph(concern, partner)

        # Strain in the relationship, as another outlet reported it.
        strain = None
        if rng.random() < 0.4:
            outlet = rng.choice(self.pool.outlets)
            sentence = (f"{outlet.name} reported that the relationship between {a.short} and "
                        f"{b.short} has grown increasingly strained over {rng.choice(_ISSUES)}.")
            self.org(outlet, sentence)
            strain = self.event("RelationshipChange", "relationship-strain",
                                f"{a.short}–{b.short} relationship grows strained",
                                f"The relationship between {a.name} and {b.name} has grown strained.",
                                [ev(sentence, reported=True, source=outlet.id)],
                                participants=[a.id, b.id])
            self.paragraph(sentence)

        # A hiring deal of the first party, and how it was received.
        if rng.random() < 0.3:
            candidates = [o for o in self.pick_orgs(6, exclude=(a, b)) if self.ceo(o)]
            if candidates:
                c = candidates[0]
                hired = self.ceo(c)
                words, month = (self.relative_month() if rng.random() < 0.7
                                else self.absolute_month())
                relative = month[:4] not in words
                amount_text, value, currency = _money(rng)
                role = hired.role_text(c.name)
                opening = words if relative else f"In {words}"
                sentence = (f"{opening}, {a.short} hired {role} to lead its {rng.choice(_AREAS)} "
                            f"efforts, along with most of {c.short}’s staff, in a {amount_text} deal.")
                self.person(hired, sentence, role)
                deal_id = f"{a.id}-{c.id}-hiring-deal-{self.n}"
                self.agreements.append({
                    "id": deal_id, "type": "HiringDeal", "name": f"{a.short}–{c.short} deal ({start.stamp})",
                    "description": f"{a.short} hired {c.short}’s CEO and most of its staff.",
                    "parties": [a.id, c.id], "hires": [hired.id],
                    "amounts": [{"value": value, "currency": currency, "text": amount_text,
                                 "role": "price", "description": "value of the hiring deal"}],
                    "evidence": [sentence]})
                hire = self.event("Hiring", "hire", f"{a.short} hires {hired.name}",
                                  f"{a.short} hires {hired.name} and most of {c.short}’s staff.",
                                  [sentence], participants=[a.id, hired.id, c.id],
                                  establishes=deal_id,
                                  time={"month": month, "text": words, "relative": relative})
                paragraph = [sentence]
                boss = self.ceo(b)
                if boss and boss is not hired and rng.random() < 0.6:
                    outlet = rng.choice(self.pool.outlets)
                    angered = (f"According to {outlet.name}, this move particularly angered some "
                               f"{b.short} leadership, including {boss.name}.")
                    self.org(outlet, angered)
                    self.person(boss, angered)
                    self.event("Reaction", "leadership-angered", f"{b.short} leadership angered by "
                               f"the {hired.name} hire", "The hire angered some of the leadership.",
                               [ev(angered, reported=True, source=outlet.id)],
                               participants=[b.id, boss.id], caused_by=hire["id"])
                    paragraph.append(angered)
                self.paragraph(*paragraph)

        # What the second party is considering now.
        if rng.random() < 0.3:
            sentence = (f"But now {b.short} is reportedly considering {rng.choice(_ACTIONS)}, likely "
                        f"to secure more {a.short} funding.")
            self.event("Deliberation", "deliberation", f"{b.short} considers changing its {domain} deal with {a.short}",
                       f"{b.short} is reportedly reconsidering part of its deal with {a.short}.",
                       [ev(sentence, reported=True)], participants=[b.id, a.id], concerns=main_id,
                       caused_by=strain["id"] if strain else None,
                       time={"date": self.published.isoformat(), "text": "now", "relative": True})
            self.paragraph(sentence)

        # A change of leadership, dated absolutely: one event of the whole corpus (its id, name
        # and month are the chief executive's), told again by every article that mentions it.
        if rng.random() < 0.3:
            org = rng.choice([a, b])
            boss = self.ceo(org)
            if boss:
                took_over = random.Random(f"kg-synthetic-ceo:{boss.id}")
                year, number = took_over.randrange(2010, 2018), took_over.randrange(1, 13)
                words, month = f"{MONTHS[number - 1]} {year}", f"{year}-{number:02d}"
                role = f"chief executive of {org.short}"
                sentence = f"{boss.name} took over as {role} in {words}."
                self.person(boss, sentence, role if not self.people.get(boss.id, {}).get("roles")
                            else None)
                self.org(org, sentence)
                self.events.append({
                    "id": f"{boss.id}-becomes-ceo-of-{org.id}", "type": "LeadershipChange",
                    "name": f"{boss.name} becomes CEO of {org.short}",
                    "description": f"{boss.name} took over as chief executive of {org.name}.",
                    "participants": [boss.id, org.id],
                    "time": {"month": month, "text": words, "relative": False},
                    "evidence": [sentence]})
                self.paragraph(sentence)

        # The newer vocabulary: stakes and acquisitions with their statuses, supply deals with
        # quantities, headcounts and users, what became of an earlier article's partnership,
        # and now and then a figure that contradicts another article (corpus_deals).
        self.newer(a, b, main, announcement)

        # Closing, and the byline.
        outlet = rng.choice(self.pool.outlets)
        authors = rng.sample(self.pool.journalists[outlet.id], rng.choice([1, 1, 1, 2]))
        self.paragraph(*rng.sample(_FILLER, 2))
        for author in authors:
            byline = (f"{author.name} is a {author.title} at {outlet.name} covering "
                      f"{rng.choice(_BEATS)}.")
            self.person(author, byline, author.title)
            self.org(outlet, byline)
            self.paragraph(byline)
        self.publisher, self.authors, self.title = outlet, authors, title
        dateline = f"{MONTHS[self.published.month - 1]} {self.published.day}, {self.published.year}"
        body = "\n\n".join(" ".join(p) for p in self.paragraphs)
        return f"{title}\n\n{dateline}\n\n{body}\n"

    def factsheet(self, slug: str) -> dict:
        sheet: dict = {"article": {
            "title": self.title, "published": self.published.isoformat(), "language": "en",
            "publisher": self.publisher.id, "authors": [p.id for p in self.authors],
            "url": f"https://news.example.com/{slug}"}}
        people = []
        for entry in self.people.values():
            entry = dict(entry)
            if not entry["roles"]:
                del entry["roles"]
            evidence = entry.pop("evidence")
            entry["evidence"] = evidence
            people.append(entry)
        for section, entries in (("organizations", list(self.orgs.values())), ("people", people),
                                 ("products", list(self.products.values())),
                                 ("agreements", self.agreements), ("clauses", self.clauses),
                                 ("events", self.events)):
            if entries:
                sheet[section] = entries
        return sheet


def _dump(sheet: dict, slug: str) -> str:
    header = (f"# Fact sheet for {slug}.txt, a synthetic article written by benchmarks/corpus.py.\n"
              "# Every quote is copied from the article; relative times are resolved against\n"
              "# the publication date.\n")
    return header + corpus_yaml.dump(sheet)


def article(number: int, seed: int = 0, pool: Pool | None = None) -> tuple[str, str, str]:
    """(slug, article text, fact sheet YAML) of article `number` of the corpus of `seed`."""
    pool = pool or make_pool()
    start, rng = basics(number, seed, pool)
    slug = f"synthetic-{number:06d}"
    draft = Draft(start, rng, pool, seed)
    text = draft.write()
    return slug, text, _dump(draft.factsheet(slug), slug)


def make_corpus(directory, articles: int, seed: int = 0) -> list[Path]:
    """Write `articles` article + fact sheet pairs into `directory`; returns the fact sheets."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    pool = make_pool()
    written = []
    for number in range(articles):
        slug, text, sheet = article(number, seed, pool)
        (out / f"{slug}.txt").write_bytes(text.encode("utf-8"))
        (out / f"{slug}.yaml").write_bytes(sheet.encode("utf-8"))
        written.append(out / f"{slug}.yaml")
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the pairs into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--count", action="store_true",
                        help="build the corpus with kg afterwards and print triples per article")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    make_corpus(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} articles with their fact sheets to {args.out} (seed {args.seed})")
    if args.count:
        from kg.order import triples
        from kg.pipeline import count_entries, load_dataset

        sheets, quads, _ = load_dataset([args.out])
        counts = {**count_entries(sheets), "triples": len(triples(quads)), "quads": len(quads)}
        print(", ".join(f"{k} {v}" for k, v in counts.items()))
        print(f"{counts['triples'] / args.articles:.0f} triples per article "
              f"({counts['quads'] / args.articles:.0f} quads)")


if __name__ == "__main__":
    sys.exit(main())
