"""Generate a synthetic corpus of news articles and their fact sheets, for benchmarking kg.

Usage: python benchmarks/corpus.py --articles N --out DIR [--seed S] [--count]

Writes N pairs DIR/synthetic-000000.txt + .yaml ... DIR/synthetic-<N-1>.txt + .yaml. Each
article is a few paragraphs of English business news about deals between organizations drawn
from one shared pool of 200 (Zipf-distributed: the 40 most frequent make about three quarters
of the mentions), with their executives, products, agreements of the three types
(Partnership, JointVenture, HiringDeal),
clauses of the six types, amounts ("$650 million"), shares ("20 percent"), terms ("runs
through 2030"), relative and absolute times ("Last March", "back in June", "Tuesday", "now",
"in March 2021") resolved against the article's publication date the way kg's checker reads
them, reported claims ("reportedly", "according to", "... reported") and superseded clauses.

Every quote of a fact sheet is a verbatim passage of its article, every linked entry is named
in the quotes of the entry linking it, and every written value stands in a quote: the real
`kg build` checks all of that, so the corpus exercises quote anchoring as real input would.
Organizations, people and products keep one id (and the same name, aliases, description, role
and owner) in every fact sheet, so the graphs of the articles merge on their IRIs; agreements,
clauses and events belong to one article and carry its number in their ids.

The output depends only on the seed and the article's number: the corpus of N articles is the
first N articles of the corpus of N + 1, and the same seed gives byte-identical files.
`--count` builds the corpus with kg afterwards and prints triples per article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

# The words that make kg ask whether a quote is a reported claim (kg/factsheet.py,
# REPORTING_CUE); copied so that the generator runs without kg installed.
REPORTING_CUE = re.compile(r"\b(reported|reportedly|reports?|according to)\b", re.I)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FIRST_PUBLISHED = dt.date(2018, 1, 1)
LAST_PUBLISHED = dt.date(2025, 12, 31)
POOL_SEED = "kg-synthetic-pool-v1"  # the pool of organizations is the same for every seed
ORGANIZATIONS = 200
FREQUENT = 40

# ------------------------------------------------------------------ the shared pool

_ONSETS = ["B", "C", "D", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "V", "Z",
           "Br", "Cr", "Dr", "Gl", "Kr", "Pr", "Qu", "St", "Tr", "Sol", "Ver", "Al", "El", "Or"]
_VOWELS = ["a", "e", "i", "o", "u", "a", "o", "ae", "ia", "eo"]
_MIDDLES = ["l", "r", "n", "m", "v", "x", "t", "s", "nd", "rv", "lt", "ns", "k", "d", "ph"]
_ENDINGS = ["a", "o", "is", "ex", "on", "ix", "ara", "ora", "ent", "ium", "el", "io", "yx",
            "us", "ela", "ant", "ico", "era"]
# Suffix, what the company is, and what its products are.
_SECTORS = [
    ("Robotics", "robotics company", ["warehouse robot", "robot arm", "fleet software"]),
    ("Cloud", "cloud computing provider", ["cloud platform", "GPU cloud", "storage service"]),
    ("Bio", "biotechnology company", ["drug discovery platform", "gene therapy"]),
    ("Energy", "energy company", ["battery system", "grid software"]),
    ("Semiconductor", "chipmaker", ["AI accelerator", "server chip", "modem chip"]),
    ("Labs", "AI research lab", ["language model", "AI assistant", "model API"]),
    ("Systems", "enterprise software company", ["database", "analytics suite"]),
    ("Networks", "telecommunications company", ["5G network", "satellite service"]),
    ("Motors", "electric vehicle maker", ["electric truck", "driver-assistance system"]),
    ("Pharma", "drug maker", ["vaccine", "diagnostics kit"]),
    ("Health", "health technology company", ["telehealth app", "imaging software"]),
    ("Logistics", "logistics company", ["freight platform", "delivery network"]),
    ("", "software company", ["developer platform", "productivity suite", "search engine"]),
    ("", "consumer electronics maker", ["smartphone", "headset", "smart speaker"]),
]
_PRODUCT_WORDS = ["Atlas", "Nimbus", "Forge", "Pulse", "Horizon", "Beacon", "Vector", "Orbit",
                  "Cortex", "Harbor", "Summit", "Prism", "Relay", "Lumen", "Anvil", "Echo"]
_CITIES = ["Austin", "Seattle", "Boston", "Toronto", "London", "Berlin", "Paris", "Stockholm",
           "Tel Aviv", "Bangalore", "Singapore", "Seoul", "Tokyo", "Sydney", "Denver", "Dublin"]
_FIRST = ["Dana", "Priya", "Marcus", "Elena", "Tomás", "Aiko", "Grace", "Omar", "Lena", "Victor",
          "Nadia", "Samuel", "Ingrid", "Rafael", "Mei", "Jonas", "Amara", "Luca", "Sofia",
          "Kwame", "Hannah", "Diego", "Yuki", "Fatima", "Oliver", "Chloé", "Arjun", "Maya",
          "Felix", "Zara", "Nikolai", "Leila", "Theo", "Ana", "Ravi", "Clara", "Emeka", "Iris",
          "Mateo", "Noor", "Henrik", "Julia", "Kofi", "Sara", "Andrés", "Lucía", "Pavel",
          "Rosa", "Tariq", "Vera"]
_LAST = ["Whitfield", "Raman", "Okafor", "Lindqvist", "Castillo", "Tanaka", "Holloway",
         "Haddad", "Brandt", "Moreau", "Petrova", "Adeyemi", "Sorensen", "Alvarez", "Chen",
         "Kowalski", "Mensah", "Rossi", "Novak", "Osei", "Fischer", "Herrera", "Sato", "Rahman",
         "Bennett", "Dubois", "Iyer", "Kaplan", "Weber", "Nakamura", "Volkov", "Farah",
         "Laurent", "Silva", "Gupta", "Keller", "Nwosu", "Park", "Ortega", "Karimi", "Jansen",
         "Costa", "Mwangi", "Ruiz", "Patel", "Larsen", "Ibrahim", "Ferreira", "Kim", "Wolfe"]
# Executive titles: (title, head, how the article writes the role; {org} and {person} filled).
_EXECUTIVE_ROLES = {
    "ceo": ("chief executive officer", True, "{org} CEO {person}"),
    "cfo": ("chief financial officer", False, "{org} CFO {person}"),
    "cto": ("chief technology officer", False, "{org} CTO {person}"),
    "president": ("president", False, "{org} President {person}"),
}
_OUTLETS = [("The Ledger", "the-ledger"), ("Tech Dispatch", "tech-dispatch"),
            ("The Market Chronicle", "the-market-chronicle"),
            ("Northern Courier", "northern-courier"), ("The Circuit", "the-circuit"),
            ("Daily Bulletin", "daily-bulletin"), ("The Financial Observer", "the-financial-observer"),
            ("Silicon Gazette", "silicon-gazette")]
_JOURNALIST_TITLES = ["senior reporter", "technology correspondent", "business editor",
                      "staff writer", "deals reporter", "senior AI reporter"]
_BEATS = ["cloud computing", "chips and hardware", "artificial intelligence", "mergers and deals",
          "enterprise software", "energy and climate tech", "biotech", "telecoms"]


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    aliases: tuple[str, ...]
    description: str
    sector: int

    @property
    def short(self) -> str:
        """The name an article uses after the first mention (an alias, else the name)."""
        return self.aliases[0] if self.aliases else self.name


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    aliases: tuple[str, ...]
    org: Org
    title: str
    head: bool
    role_form: str  # how articles write the role, with {org} and {person}

    def role_text(self, org_name: str | None = None) -> str:
        return self.role_form.format(org=org_name or self.org.name, person=self.name)


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    owner: Org
    description: str


@dataclass
class Pool:
    orgs: list[Org]  # by rank: the first FREQUENT are the frequent ones
    weights: list[float]
    executives: dict[str, list[Person]]  # organization id -> its executives, CEO first
    products: dict[str, list[Product]]  # organization id -> its products
    outlets: list[Org]
    journalists: dict[str, list[Person]]  # outlet id -> its journalists


def slugify(words: str) -> str:
    import unicodedata

    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")


def _stems(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    stems: list[str] = []
    while len(stems) < count:
        stem = (rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_MIDDLES)
                + rng.choice(_ENDINGS))
        stem = stem[0].upper() + stem[1:].lower()
        if not 5 <= len(stem) <= 9 or stem.lower() in seen or re.search(r"(.)\1\1", stem):
            continue
        if REPORTING_CUE.search(stem) or stem.lower() in {m.lower() for m in MONTHS + WEEKDAYS}:
            continue
        seen.add(stem.lower())
        stems.append(stem)
    return stems


def make_pool() -> Pool:
    """The organizations, people, products and news outlets every article draws from."""
    rng = random.Random(POOL_SEED)
    orgs = []
    for stem in _stems(rng, ORGANIZATIONS):
        sector = rng.randrange(len(_SECTORS))
        suffix, what, _ = _SECTORS[sector]
        name = f"{stem} {suffix}" if suffix else stem
        aliases = (stem,) if suffix else ()
        description = f"{what[0].upper()}{what[1:]} based in {rng.choice(_CITIES)}."
        orgs.append(Org(slugify(name), name, aliases, description, sector))
    # Zipf popularity: rank r is drawn with weight 1 / (r + 1).
    weights = [1 / (rank + 1) for rank in range(len(orgs))]

    names = [f"{first} {last}" for first in _FIRST for last in _LAST]
    rng.shuffle(names)
    people = iter(names)
    executives: dict[str, list[Person]] = {}
    for rank, org in enumerate(orgs):
        roles = ["ceo"] if rank < 100 else []
        if rank < FREQUENT:
            roles += ["cfo", rng.choice(["cto", "president"])]
        for role in roles:
            title, head, form = _EXECUTIVE_ROLES[role]
            name = next(people)
            executives.setdefault(org.id, []).append(
                Person(slugify(name), name, (name.split()[-1],), org, title, head, form))
    products: dict[str, list[Product]] = {}
    for rank, org in enumerate(orgs[:120]):
        kinds = _SECTORS[org.sector][2]
        words = rng.sample(_PRODUCT_WORDS, 2 if rank < FREQUENT else 1)
        for word in words:
            name = f"{org.short} {word}"
            kind = rng.choice(kinds)
            products.setdefault(org.id, []).append(
                Product(slugify(name), name, org, f"{kind[0].upper()}{kind[1:]} made by {org.name}."))
    outlets = [Org(slug, name, (), "News publication.", -1) for name, slug in _OUTLETS]
    journalists: dict[str, list[Person]] = {}
    for outlet in outlets:
        for _ in range(3):
            name = next(people)
            title = rng.choice(_JOURNALIST_TITLES)
            journalists.setdefault(outlet.id, []).append(
                Person(slugify(name), name, (), outlet, title, False, title))
    return Pool(orgs, weights, executives, products, outlets, journalists)


# ------------------------------------------------------------------ one article

_DEALS = [  # (domain, resource, what the second party may now do, infrastructure of the first)
    ("cloud", "compute capacity", "buy compute from rival providers", "cloud infrastructure"),
    ("chip supply", "chip capacity", "source chips from other foundries", "fabs"),
    ("battery", "battery capacity", "buy cells from other suppliers", "factories"),
    ("AI", "training capacity", "train its models on other clouds", "data centers"),
    ("network", "network capacity", "license its technology to competitors", "fiber network"),
    ("distribution", "distribution capacity", "sell through other channels", "retail network"),
    ("manufacturing", "manufacturing capacity", "build its own factories", "assembly lines"),
    ("data center", "data center capacity", "lease data centers from others", "server farms"),
]
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


def ev(quote: str, reported: bool = False, source: str | None = None):
    """One evidence item: plain text, or a mapping when kg must be told how it is reported."""
    cue = REPORTING_CUE.search(quote)
    assert not reported or cue, f"a reported quote needs reporting words: {quote}"
    if reported or cue or source:
        item: dict = {"quote": quote, "reported": reported}
        if source:
            item["source"] = source
        return item
    return quote


def _quote_text(item) -> str:
    return item["quote"] if isinstance(item, dict) else item


def _money(rng: random.Random) -> tuple[str, int, str]:
    """Written amount, its value and currency: "$650 million", 650000000, "USD"."""
    symbol, currency = rng.choices([("$", "USD"), ("€", "EUR"), ("£", "GBP")], [8, 1, 1])[0]
    if rng.random() < 0.6:
        millions = rng.randrange(50, 1000, 25)
        return f"{symbol}{millions} million", millions * 1_000_000, currency
    tenths = rng.choice([10, 15, 20, 25, 30, 40, 50, 75, 100, 120, 200, 1000])
    text = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}"
    return f"{symbol}{text} billion", tenths * 100_000_000, currency


class Draft:
    """The text and the fact sheet of one article, written together sentence by sentence."""

    def __init__(self, number: int, rng: random.Random, published: dt.date, pool: Pool):
        self.n, self.rng, self.published, self.pool = number, rng, published, pool
        self.tag = f"a{number}"
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
    def org(self, org: Org, quote: str, max_quotes: int = 2) -> str:
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
        return org.id

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
        if product.id not in self.products:
            self.products[product.id] = {"id": product.id, "name": product.name,
                                         "description": product.description,
                                         "owner": product.owner.id, "evidence": [ev(quote)]}
        return product.id

    # ---------------------------------------------------------- choices
    def pick_orgs(self, k: int, exclude: tuple[Org, ...] = ()) -> list[Org]:
        chosen: list[Org] = []
        while len(chosen) < k:
            org = self.rng.choices(self.pool.orgs, self.pool.weights)[0]
            if org not in chosen and org not in exclude:
                chosen.append(org)
        return chosen

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
        entry = {"id": f"{self.tag}-{suffix}", "type": kind, "name": name,
                 "description": description}
        entry.update({k: v for k, v in links.items() if v})
        entry["evidence"] = evidence
        self.events.append(entry)
        return entry

    # ---------------------------------------------------------- the article
    def write(self) -> str:
        rng = self.rng
        a, b = self.pick_orgs(2)
        domain, resource, freedom, infrastructure = rng.choice(_DEALS)
        title = rng.choice([
            "{a} is letting {b} get its own {resource} now",
            "{a} and {b} rework their {domain} partnership",
            "{b} wins more freedom in its {domain} deal with {a}",
            "{a} strikes new {domain} terms with {b}",
        ]).format(a=a.short, b=b.short, resource=resource, domain=domain)

        # Lead: the announcement of the changed partnership.
        days_ago = rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6])
        if rng.random() < 0.15:
            when, when_date = "today", self.published
        else:
            when_date = self.published - dt.timedelta(days=days_ago)
            when = WEEKDAYS[when_date.weekday()]
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
        main_id = f"{a.id}-{b.id}-{slugify(domain)}-partnership-{self.n}"
        main = {"id": main_id, "type": "Partnership",
                "name": f"{a.short}–{b.short} {domain} partnership",
                "description": f"The {domain} partnership between {a.name} and {b.name}, "
                               f"adjusted so that {b.short} can {freedom}.",
                "parties": [a.id, b.id], "evidence": [lead]}
        self.agreements.append(main)
        announcement = self.event(
            "Announcement", "announcement", f"{a.short} and {b.short} announce changes to their "
            f"{domain} partnership", f"{a.name} and {b.name} announce that {b.short} can {freedom}.",
            [lead], participants=[a.id, b.id], concerns=main_id,
            time={"date": when_date.isoformat(), "text": when, "relative": True})

        # The clauses of the partnership.
        clause_sentences = []
        clause_of = lambda suffix: f"{main_id}-{suffix}"  # noqa: E731

        def clause(kind: str, suffix: str, name: str, evidence: list, **fields) -> dict:
            entry = {"id": clause_of(suffix), "type": kind, "agreement": main_id, "name": name,
                     "description": f"A clause of the {main['name']}."}
            entry.update({k: v for k, v in fields.items() if v})
            entry["evidence"] = evidence
            self.clauses.append(entry)
            return entry

        kinds = [k for k, p in (("rofr", 0.55), ("exclusivity", 0.5), ("revenue", 0.5),
                                ("permission", 0.4), ("escape", 0.4), ("term", 0.55))
                 if rng.random() < p]
        while len(kinds) < 2:
            extra = rng.choice(["rofr", "exclusivity", "revenue", "permission", "escape", "term"])
            if extra not in kinds:
                kinds.append(extra)
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
            clause("RightOfFirstRefusal", "right-of-first-refusal",
                   f"{a.short}’s right of first refusal on new {resource}",
                   [ev(statement, source=a.id), summary], grants_right_to=[a.id],
                   obligates=[b.id], supersedes=old["id"] if old else None)
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
            clause("Exclusivity", "exclusivity", f"{a.short}’s exclusive rights under the deal",
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
            clause("RevenueShare", "revenue-share", "Revenue sharing", evidence,
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
            clause("EscapeClause", "escape-clause", "Escape clause", evidence,
                   grants_right_to=[b.id],
                   amounts=[{"value": value, "currency": currency, "text": amount_text,
                             "qualifier": bound, "description": "threshold of the escape clause"}])
        if "term" in kinds:
            year = self.published.year + rng.randrange(2, 10)
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
        if rng.random() < 0.35:
            members = [a, *self.pick_orgs(rng.choice([1, 2, 3]), exclude=(a, b))]
            rng.shuffle(members)
            venture = rng.choice(_VENTURES)
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
        if rng.random() < 0.4:
            (c,) = self.pick_orgs(1, exclude=(a, b))
            words, month = self.relative_month()
            concern = (f"It has been previously reported that some {b.short} shareholders felt "
                       f"{a.short} needed to move faster to deliver {resource} to {b.short}.")
            partner = (f"{words}, the slow timelines led {b.short} to partner with {c.name} "
                       f"(with the blessing of {a.short}) for the necessary {resource}.")
            self.org(c, partner)
            side_id = f"{b.id}-{c.id}-partnership-{self.n}"
            self.agreements.append({
                "id": side_id, "type": "Partnership", "name": f"{b.short}–{c.short} partnership",
                "description": f"{b.short}’s partnership with {c.name} for {resource}, made with "
                               f"{a.short}’s blessing.",
                "parties": [b.id, c.id], "approved_by": [a.id], "evidence": [partner]})
            worry = self.event("Reaction", "shareholder-concern", f"{b.short} shareholders want "
                               f"faster {resource}", f"Some {b.short} shareholders felt {a.short} "
                               "needed to move faster.", [ev(concern, reported=True)],
                               participants=[b.id, a.id])
            self.event("AgreementFormation", "side-partnership", f"{b.short} partners with {c.short}",
                       f"{b.short} partners with {c.name}, with {a.short}’s blessing.", [partner],
                       participants=[b.id, c.id, a.id], establishes=side_id,
                       caused_by=worry["id"], time={"month": month, "text": words, "relative": True})
            self.paragraph(concern, partner)

        # Strain in the relationship, as another outlet reported it.
        strain = None
        if rng.random() < 0.5:
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
        if rng.random() < 0.4:
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
                    "id": deal_id, "type": "HiringDeal", "name": f"{a.short}–{c.short} deal",
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
        if rng.random() < 0.4:
            sentence = (f"But now {b.short} is reportedly considering {rng.choice(_ACTIONS)}, likely "
                        f"to secure more {a.short} funding.")
            self.event("Deliberation", "deliberation", f"{b.short} considers changing the deal",
                       f"{b.short} is reportedly reconsidering part of its deal with {a.short}.",
                       [ev(sentence, reported=True)], participants=[b.id, a.id], concerns=main_id,
                       caused_by=strain["id"] if strain else None,
                       time={"date": self.published.isoformat(), "text": "now", "relative": True})
            self.paragraph(sentence)

        # A change of leadership, dated absolutely.
        if rng.random() < 0.3:
            org = rng.choice([a, b])
            boss = self.ceo(org)
            if boss:
                words, month = self.absolute_month()
                role = f"chief executive of {org.short}"
                sentence = f"{boss.name} took over as {role} in {words}."
                self.person(boss, sentence, role if not self.people.get(boss.id, {}).get("roles")
                            else None)
                self.org(org, sentence)
                self.event("LeadershipChange", "leadership-change", f"{boss.name} becomes CEO of "
                           f"{org.short}", f"{boss.name} took over as chief executive of {org.name}.",
                           [sentence], participants=[boss.id, org.id],
                           time={"month": month, "text": words, "relative": False})
                self.paragraph(sentence)

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


class _Dumper(yaml.SafeDumper):
    """Block style, one quote a line, no line folding, so that files diff well."""


def _dump(sheet: dict, slug: str) -> str:
    header = (f"# Fact sheet for {slug}.txt, a synthetic article written by benchmarks/corpus.py.\n"
              "# Every quote is copied from the article; relative times are resolved against\n"
              "# the publication date.\n")
    return header + yaml.dump(sheet, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                              width=10_000, default_flow_style=False)


def article(number: int, seed: int = 0, pool: Pool | None = None) -> tuple[str, str, str]:
    """(slug, article text, fact sheet YAML) of article `number` of the corpus of `seed`."""
    pool = pool or make_pool()
    rng = random.Random(f"kg-synthetic:{seed}:{number}")
    span = (LAST_PUBLISHED - FIRST_PUBLISHED).days
    published = FIRST_PUBLISHED + dt.timedelta(days=rng.randrange(span + 1))
    slug = f"synthetic-{number:06d}"
    draft = Draft(number, rng, published, pool)
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
