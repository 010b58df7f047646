"""The shared pool of benchmarks/corpus.py: the organizations, people, products and news outlets
every synthetic article draws from (the same for every seed), and the helpers that write a quote
or an amount."""


from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

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


_HEADCOUNTS = [800, 1200, 2500, 4000, 6500, 9000, 12000, 18000, 35000, 60000, 140000]
_USERS = [5, 12, 20, 40, 75, 100, 250, 500]


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    aliases: tuple[str, ...]
    description: str
    sector: int
    employees: int = 0  # how many people it employs, "about 12,000 people" (0: not said)

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
    users: int = 0  # its users in millions, "more than 40 million users"


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
    # A last name is an alias only where no one else in the pool has it: two people called
    # "Brandt" would be probable duplicates in every `kg check`.
    used = names[:len(orgs) + 3 * len(_OUTLETS)]
    last_names = [n.split()[-1] for n in used]

    def aliases_of(name: str) -> tuple[str, ...]:
        return (name.split()[-1],) if last_names.count(name.split()[-1]) == 1 else ()

    executives: dict[str, list[Person]] = {}
    for rank, org in enumerate(orgs):
        roles = ["ceo"] if rank < 100 else []
        if rank < FREQUENT:
            roles += ["cfo", rng.choice(["cto", "president"])]
        for role in roles:
            title, head, form = _EXECUTIVE_ROLES[role]
            name = next(people)
            executives.setdefault(org.id, []).append(
                Person(slugify(name), name, aliases_of(name), org, title, head, form))
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
    # Drawn last, so that the pool above stays what it was: the same for every article.
    orgs = [Org(o.id, o.name, o.aliases, o.description, o.sector,
                rng.choice(_HEADCOUNTS)) for o in orgs]
    by_id = {o.id: o for o in orgs}
    for org_id, owned in products.items():
        products[org_id] = [Product(p.id, p.name, by_id[org_id], p.description,
                                    rng.choice(_USERS)) for p in owned]
    executives = {org_id: [Person(p.id, p.name, p.aliases, by_id[org_id], p.title, p.head,
                                  p.role_form) for p in people]
                  for org_id, people in executives.items()}
    return Pool(orgs, weights, executives, products, outlets, journalists)



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




# ------------------------------------------------------------------ what every article begins with

DEALS = [  # (domain, resource, what the second party may now do, infrastructure of the first)
    ("cloud", "compute capacity", "buy compute from rival providers", "cloud infrastructure"),
    ("chip supply", "chip capacity", "source chips from other foundries", "fabs"),
    ("battery", "battery capacity", "buy cells from other suppliers", "factories"),
    ("AI", "training capacity", "train its models on other clouds", "data centers"),
    ("network", "network capacity", "license its technology to competitors", "fiber network"),
    ("distribution", "distribution capacity", "sell through other channels", "retail network"),
    ("manufacturing", "manufacturing capacity", "build its own factories", "assembly lines"),
    ("data center", "data center capacity", "lease data centers from others", "server farms"),
]
CLAUSE_KINDS = ("rofr", "exclusivity", "revenue", "permission", "escape", "term")
HEADCOUNTS = 0.15  # the share of articles that give the headcount of one of their two parties


def pick_orgs(rng: random.Random, pool: Pool, k: int, exclude: tuple[Org, ...] = ()) -> list[Org]:
    chosen: list[Org] = []
    while len(chosen) < k:
        org = rng.choices(pool.orgs, pool.weights)[0]
        if org not in chosen and org not in exclude:
            chosen.append(org)
    return chosen


@dataclass(frozen=True)
class Basics:
    """What article `number` is about, drawn first from its random stream: a later article
    draws it again (cheaply) to refer to the partnership, clauses and announcement it declares."""

    number: int
    published: dt.date
    a: Org
    b: Org
    deal: tuple[str, str, str, str]
    kinds: tuple[str, ...]  # the clauses of the partnership (CLAUSE_KINDS)
    announced: dt.date  # the day of the announcement
    announced_words: str  # how the lead writes it: a weekday or "today"
    term_year: int  # the year the partnership runs through, when it has a term clause
    counted: Org | None  # the organization whose headcount the article gives, if any

    @property
    def main_id(self) -> str:
        return f"{self.a.id}-{self.b.id}-{slugify(self.deal[0])}-partnership-{self.number}"

    @property
    def main_name(self) -> str:
        return f"{self.a.short}–{self.b.short} {self.deal[0]} partnership"

    @property
    def stamp(self) -> str:
        """The month of publication, which tells this article's entries from another's."""
        return f"{MONTHS[self.published.month - 1]} {self.published.year}"

    @property
    def announcement_id(self) -> str:
        return f"a{self.number}-announcement"

    @property
    def announcement_name(self) -> str:
        return (f"{self.a.short} and {self.b.short} announce changes to their {self.deal[0]} "
                f"partnership ({self.stamp})")

    def clause_id(self, suffix: str) -> str:
        return f"{self.main_id}-{suffix}"


def basics(number: int, seed: int, pool: Pool) -> tuple[Basics, random.Random]:
    """The start of article `number`, and its random stream, ready for the rest."""
    rng = random.Random(f"kg-synthetic:{seed}:{number}")
    span = (LAST_PUBLISHED - FIRST_PUBLISHED).days
    published = FIRST_PUBLISHED + dt.timedelta(days=rng.randrange(span + 1))
    a, b = pick_orgs(rng, pool, 2)
    deal = rng.choice(DEALS)
    days_ago = rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6])
    if rng.random() < 0.15:
        when, when_date = "today", published
    else:
        when_date = published - dt.timedelta(days=days_ago)
        when = WEEKDAYS[when_date.weekday()]
    odds = (0.55, 0.5, 0.5, 0.4, 0.4, 0.55)
    kinds = [k for k, p in zip(CLAUSE_KINDS, odds) if rng.random() < p]
    while len(kinds) < 2:
        extra = rng.choice(CLAUSE_KINDS)
        if extra not in kinds:
            kinds.append(extra)
    term_year = published.year + rng.randrange(2, 10)
    counted = rng.choice([a, b]) if rng.random() < HEADCOUNTS else None
    return Basics(number, published, a, b, deal, tuple(kinds), when_date, when, term_year,
                  counted), rng
