"""The organizations, people and products an article names: candidate names (runs of capitalised
words) sorted by the gazetteer, by organization suffixes, by the words around them (a title
before a person, "startup" before a company, "chips" after a product) and by lists that mix them;
people's roles from "Acme CEO Ann Lee", "Ann Lee, Acme's chief executive"; groups of unnamed
sources ("people familiar with the matter")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.draft import nlp
from kg.draft.text import Layout, Sentence
from kg.factsheet.values import ATTRIBUTION_CUE, REPORTING_CUE

# A title, as news writes it, and the title the fact sheet gives; True when it heads the org.
TITLES = {"ceo": ("chief executive officer", True), "chief executive": ("chief executive officer",
          True), "chief executive officer": ("chief executive officer", True),
          "cfo": ("chief financial officer", False),
          "chief financial officer": ("chief financial officer", False),
          "coo": ("chief operating officer", False),
          "chief operating officer": ("chief operating officer", False),
          "cto": ("chief technology officer", False),
          "chief technology officer": ("chief technology officer", False),
          "chief strategy officer": ("chief strategy officer", False),
          "president": ("president", False), "chairman": ("chairman", False),
          "chairwoman": ("chairwoman", False), "chair": ("chair", False),
          "founder": ("founder", False), "co-founder": ("co-founder", False),
          "cofounder": ("co-founder", False), "head of research": ("head of research", False),
          "general counsel": ("general counsel", False), "spokesperson": ("spokesperson", False),
          "spokesman": ("spokesperson", False), "spokeswoman": ("spokesperson", False),
          "analyst": ("analyst", False), "director": ("director", False),
          "vice president": ("vice president", False), "partner": ("partner", False)}
_TITLE_WORDS = {w for t in TITLES for w in t.split()} | {"executive", "officer", "interim",
                                                         "senior", "former", "chief"}
_TITLE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True))
                    + r")\b", re.IGNORECASE)
# Nouns that say the next or previous name is a company, or a product.
ORG_CUES = {"startup", "start-up", "company", "firm", "rival", "maker", "giant", "developer",
            "operator", "group", "lender", "bank", "investor", "insurer", "carrier", "retailer",
            "conglomerate", "chipmaker", "automaker", "drugmaker", "biotech", "provider",
            "supplier", "utility", "outlet", "newspaper", "publisher", "fund", "owner",
            "subsidiary", "unit", "parent", "competitor", "partner", "buyer", "acquirer",
            "regulator", "agency", "producer", "manufacturer", "platform", "network"}
PRODUCT_CUES = {"chip", "chips", "model", "models", "platform", "service", "services", "app",
                "apps", "software", "processor", "processors", "gpus", "gpu", "api", "chatbot",
                "assistant", "accelerators", "accelerator", "drug", "therapy", "vaccine",
                "device", "devices", "phone", "phones", "system", "systems", "engine", "tool",
                "tools", "suite", "cloud", "database", "browser", "headset", "console", "car",
                "vehicle", "truck", "satellite", "satellites", "brand", "product", "products",
                "maker", "developer", "candidate", "treatment"}
# "the ChatGPT maker": the cue names the product's owner, so the name is a product only there.
_PRODUCT_OWNER_CUES = {"maker", "developer"}
_PRODUCT_BEFORE = (r"\b(?:the|its|a|an)\s+(?:"
                   + "|".join(sorted(PRODUCT_CUES - _PRODUCT_OWNER_CUES)) + r")\s*,?\s*$")
SAY = {"said", "says", "told", "wrote", "added", "announced", "confirmed", "declined", "noted",
       "reported", "reports", "disclosed", "stated", "argued", "explained"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# Sources a news story cites without naming them, kept as groups.
GROUPS = re.compile(r"\b(?:(?:several|some|two|three|four|five|many|other|a|one)\s+)?"
                    r"(?:people|persons?|sources?)\s+(?:familiar|close|briefed)\s+(?:with|to|on)"
                    r"\s+(?:the|its|his|her|their)\s+\w+"
                    r"|\b[Aa]n?\s+[A-Z][\w-]*\s+spokes(?:person|man|woman)\b", re.IGNORECASE)
# Plural nouns of people a story cites as a group, when they say or are told something.
GROUP_NOUNS = re.compile(r"\b(?:(?:[A-Z][\w-]*(?:’s|'s)?|some|other|former|rival|commercial|"
                         r"large|more|many|several)\s+){0,2}(?:analysts|investors|regulators|"
                         r"shareholders|executives|employees|customers|developers|suppliers|"
                         r"bankers|lawyers|antitrust enforcers)\b")


def _places() -> set[str]:
    import pycountry
    names = {c.name for c in pycountry.countries} | {getattr(c, "common_name", c.name)
                                                     for c in pycountry.countries}
    names |= {s.name for s in pycountry.subdivisions.get(country_code="US")}
    return names | {"U.S.", "US", "U.K.", "UK", "EU", "Europe", "Asia", "Africa", "America",
                    "Silicon Valley", "Wall Street", "Washington", "Beijing", "London", "Tokyo",
                    "New York", "San Francisco", "Paris", "Berlin", "Seoul", "Taiwan", "Israel"}


@dataclass
class Found:
    """An entity the draft will declare: its kind, name, other names and where it is named."""

    kind: str  # organization, person, product
    name: str
    key: str = ""  # the corpus id from the gazetteer
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    group: bool = False
    news: bool = False
    roles: list[dict] = field(default_factory=list)


class Entities:
    """Every entity of one article, by name; `at(start, end)` finds the one named there."""

    def __init__(self):
        self.by_name: dict[str, Found] = {}

    def add(self, kind: str, name: str, where: tuple[int, int], note: str = "",
            key: str = "") -> Found:
        found = self.lookup(name)
        if found is None and key:
            found = next((f for f in self.by_name.values() if f.key == key), None)
            if found is not None and name not in found.aliases and name != found.name:
                found.aliases.append(name)
        if found is None:
            found = self.by_name[name.lower()] = Found(kind, name, key)
        if where not in found.mentions:
            found.mentions.append(where)
        if note and note not in found.notes:
            found.notes.append(note)
        return found

    def lookup(self, name: str) -> Found | None:
        name = name.lower()
        if name in self.by_name:
            return self.by_name[name]
        return next((f for f in self.by_name.values() if name in map(str.lower, f.aliases)),
                    None)

    def all(self) -> list[Found]:
        return sorted(self.by_name.values(), key=lambda f: (min(f.mentions), f.name))

    def in_span(self, start: int, end: int, kinds=("organization", "person", "product")):
        """The entities named between start and end, in text order, each once."""
        seen, out = set(), []
        for found in self.all():
            if found.kind in kinds and any(start <= a and b <= end for a, b in found.mentions):
                first = min(a for a, b in found.mentions if start <= a and b <= end)
                if id(found) not in seen:
                    seen.add(id(found))
                    out.append((first, found))
        return [f for _, f in sorted(out, key=lambda p: p[0])]


def find(page: Layout, gazetteer: dict[str, tuple[str, str]]) -> Entities:
    """The entities of the article. `gazetteer` maps a known name to (kind, corpus id)."""
    text = page.text
    triples = tuple(sorted((name, {"organization": "ORG", "person": "PERSON",
                                   "product": "PRODUCT"}[kind], key)
                           for name, (kind, key) in gazetteer.items()))
    doc = nlp.analyse(text, triples)
    places = _places()
    sentence_starts = {s.start for s in page.sentences}
    headline_end = (text.find(page.headline) + len(page.headline)) if page.headline else 0
    byline = None
    if page.byline:
        at = text.find(page.byline.line)
        byline = (at, at + len(page.byline.line))
    ents = Entities()
    known = {(s.start, s.end): s for s in nlp.entities(doc)}
    candidates = [piece for run in nlp.runs(doc) for piece in _split(text, run)]
    candidates += [s for s in known.values()
                   if not any(c.start <= s.start and s.end <= c.end for c in candidates)]
    kinds_of_label = {"ORG": "organization", "PERSON": "person", "PRODUCT": "product"}
    pending = []
    for span in sorted(candidates, key=lambda s: (s.start, -s.end)):
        if span.text in places or span.text + "." in places or \
                span.text.lower().rstrip(".") in MONTHS | WEEKDAYS:
            continue
        inner = next((k for (a, b), k in known.items() if a <= span.start and span.end <= b
                      or (span.start <= a and b <= span.end and b - a == span.end - span.start)
                      ), None)
        if inner is not None and inner.label in kinds_of_label:
            kind = kinds_of_label[inner.label]
            ents.add(kind, inner.text if inner.key else span.text, (span.start, span.end),
                     key=inner.key, note="" if inner.key else "an organization suffix")
            continue
        if span.end <= headline_end or (byline and byline[0] <= span.start < byline[1]):
            continue  # the headline's capitals are style; its names are named again below
        pending.append(span)
    _sort(text, pending, ents, sentence_starts)
    if byline:
        _byline(page, byline[0], ents)
    _credits(text, ents)
    _people_aliases(text, ents)
    _short_forms(ents)
    _roles(page, ents)
    _groups(page, ents)
    return ents


def _split(text: str, run: nlp.Span):
    """A run cut at its title words ("Google Cloud CEO Thomas Kurian" is a company, a title and
    a person), each piece labelled "title-before" or "title-after" where a title touches it,
    leading sentence words ("In July") left out."""
    words = [(m.start() + run.start, m.group()) for m in re.finditer(r"\S+", run.text)]
    pieces, current, titled = [], [], False
    for at, word in words:
        if word.lower().strip(".,") in _TITLE_WORDS or word == "By":
            if current:
                pieces.append((current, titled, True))
            current, titled = [], word != "By" or titled
        else:
            current.append((at, word))
    if current:
        pieces.append((current, titled, False))
    for piece, before, after in pieces:
        while len(piece) > 1 and piece[0][1].lower() in _STOP and piece[0][1] != "The":
            piece = piece[1:]
        start, end = piece[0][0], piece[-1][0] + len(piece[-1][1].rstrip(".") or piece[-1][1])
        if piece[-1][1].endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", piece[-1][1]):
            end = piece[-1][0] + len(piece[-1][1]) - 1
        label = "title-before" if before else "title-after" if after else ""
        yield nlp.Span(start, end, text[start:end], label)


def _context(text: str, span, width: int = 40) -> tuple[list[str], list[str]]:
    before = re.findall(r"[\w’'-]+", text[max(0, span.start - width):span.start].lower())
    after = re.findall(r"[\w’'-]+", text[span.end:span.end + width].lower())
    return before, after


def _sort(text: str, spans, ents: Entities, sentence_starts: set[int]) -> None:
    """Sort candidate names into kinds by their context; a name seen once with a cue keeps its
    kind at every other mention."""
    votes: dict[str, dict[str, list[str]]] = {}
    where: dict[str, list] = {}
    for span in spans:
        name = span.text
        words = name.split()
        at_start = span.start in sentence_starts or text[max(0, span.start - 1)] in "“\"("
        if words[0] == "The" and len(words) > 1 and at_start and not re.search(
                r"[\w,] The " + re.escape(" ".join(words[1:])), text):
            span = nlp.Span(span.start + 4, span.end, " ".join(words[1:]), span.label)
            name, words = span.text, words[1:]
        follows = text[span.end:span.end + 20]
        if len(words) == 1 and at_start and not re.search(
                r"[\w,;:(] " + re.escape(name) + r"\b", text) and not (
                re.match(r"(?:’s|'s)\s|\s+and\s+[A-Z]|\s+(?:" + "|".join(SAY) + r")\b", follows)
                or re.fullmatch(r"\w+[A-Z]\w*|[A-Z]{2,}", name)):
            continue  # capitalised only because it starts a sentence
        if name.lower() in _STOP or name in ACRONYMS or re.fullmatch(r"Q[1-4]", name):
            continue
        before, after = _context(text, span)
        vote = votes.setdefault(name, {})
        if NEWS.search(name) or (words[0] == "The" and len(words) > 1):
            vote.setdefault("organization", []).append("the name of a publication")
        where.setdefault(name, []).append(span)
        if span.label == "title-before" or re.search(
                r"(?:" + _TITLE.pattern[3:-3] + r"),\s*$", text[max(0, span.start - 40):span.start],
                re.IGNORECASE):
            vote.setdefault("person", []).append("a title before the name")
        if re.search(_PRODUCT_BEFORE, text[max(0, span.start - 30):span.start], re.IGNORECASE) \
                or re.fullmatch(r"[A-Z]+-?\d+[A-Za-z]*|[A-Z][a-z]+-\d+", name):
            vote.setdefault("product", []).append("a product's word before the name, or a code")
        if span.label == "title-after":
            vote.setdefault("organization", []).append("a title after the name")
        if before and before[-1] in ORG_CUES:
            vote.setdefault("organization", []).append(f"“{before[-1]}” before the name")
        owner_cue = bool(after) and after[0] in _PRODUCT_OWNER_CUES
        if after and after[0] in PRODUCT_CUES and (not owner_cue or len(words) == 1):
            vote.setdefault("product", []).append(f"“{after[0]}” after the name")
        if len(after) > 1 and after[0] in ("’s", "'s", "s") and after[1] in _TITLE_WORDS:
            vote.setdefault("organization", []).append("a title after its possessive")
        if after and after[0] in SAY and len(words) in (2, 3) and _name_like(words[0]):
            vote.setdefault("person?", []).append("said by a two-word name")
        if re.match(r",\s+\d{2},", text[span.end:span.end + 6]):
            vote.setdefault("person", []).append("an age after the name")
        if re.match(r",\s+(?:(?:who|the|a|an|its|his|her)\b[^,.]{0,60}\b|[A-Z][\w&.-]*(?:’s|'s)"
                    r"\s+|(?:interim|former|senior)\s+)?(?:" + _TITLE.pattern[3:-3] + r")\b",
                    text[span.end:span.end + 80], re.IGNORECASE):
            vote.setdefault("person", []).append("a title in an apposition")
    decided = {}
    for name, vote in votes.items():
        decided[name] = _decide(name, vote)
    neighbours = _lists(text, [span for spans_ in where.values() for span in spans_])
    for name, (kind, _) in list(decided.items()):
        if kind is None:
            kinds = sorted({decided[n][0] for n in neighbours.get(name, ()) if decided[n][0]})
            if len(kinds) == 1:
                decided[name] = (kinds[0], "named in a list with others of its kind")
    for name, (kind, note) in decided.items():
        words = name.split()
        if kind is None and len(words) in (2, 3) and all(map(_name_like, words)) and \
                words[-1] in decided and decided[words[-1]][0] in (None, "person"):
            kind, note = "person", "its last word stands alone elsewhere, as a family name does"
        if kind is None and all(_locative(text, span) for span in where[name]):
            continue  # a place: only ever "in", "near" or "based in" it
        if kind is None:
            kind, note = "organization", "a capitalised name with no cue for its kind"
        for span in where[name]:
            ents.add(kind, name, (span.start, span.end), note)


NEWS = re.compile(r"\b(?:Times|Journal|Post|News|Daily|Insider|Reuters|Bloomberg|Press|Herald|"
                  r"Tribune|Gazette|Telegraph|Guardian|Wire|Review|Information|Verge|Axios|"
                  r"CNBC|CNN|BBC|Politico|Semafor|TechCrunch|Financial Times)\b")
# Acronyms of things, not of names.
ACRONYMS = {"AI", "AGI", "API", "APIs", "GPU", "GPUs", "CPU", "CPUs", "IPO", "ROFR", "M&A",
            "ESG", "R&D", "LLM", "LLMs", "IT", "PC", "TV", "EV", "EVs", "CEO", "CFO", "COO",
            "CTO", "GW", "MW", "ARR", "EPS", "GDP", "FY", "HQ", "OK"}
_STOP = {"the", "a", "an", "in", "on", "at", "for", "and", "but", "or", "as", "it", "its",
         "this", "that", "these", "those", "such", "once", "under", "after", "before",
         "while", "with", "we", "our", "they", "their", "he", "she", "his", "her", "i",
         "if", "when", "neither", "both", "each", "some", "many", "most", "other", "spread",
         "founded", "purchases", "delivering", "analysts", "investors", "shares", "still",
         "there", "here", "because", "although", "though", "last", "next", "since", "until",
         "according", "also", "meanwhile", "however", "yet", "so", "one", "two", "three",
         "prior", "to", "by", "from", "of", "chief", "executive", "image", "follow",
         "vector", "skip", "read", "related", "more", "advertisement", "mr", "ms", "mrs"}


_LOCATIVE = re.compile(r"\b(?:in|near|outside|across|throughout|based in|headquartered in)"
                       r"\s+(?:the\s+)?$")


def _locative(text: str, span) -> bool:
    """Whether the name stands where a place does: after "in", "near"..., or before "-based" or
    ", <State>"."""
    return bool(_LOCATIVE.search(text[max(0, span.start - 20):span.start])
                or re.match(r"-based\b|,\s+(?:[A-Z][a-z]+\.|[A-Z]{2}\b)",
                            text[span.end:span.end + 12]))


def _name_like(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][\w.’'&-]*", word))


def _decide(name: str, vote: dict[str, list[str]]) -> tuple[str | None, str]:
    strong = {k: v for k, v in vote.items() if not k.endswith("?")}
    if strong:
        kind = max(strong, key=lambda k: (len(strong[k]), k == "organization"))
        return kind, strong[kind][0]
    if "person?" in vote and len(vote["person?"]) >= 1 and not NEWS.search(name):
        return "person", "said by a two-word name, unsure it is a person"
    return None, ""


def _lists(text: str, spans) -> dict[str, set[str]]:
    """The names that stand in one list with each name ("Arm, Microsoft, Nvidia, Oracle, and
    OpenAI"): a list's members are of one kind."""
    ordered = sorted(spans, key=lambda s: s.start)
    out: dict[str, set[str]] = {}
    for left, right in zip(ordered, ordered[1:]):
        if re.fullmatch(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text[left.end:right.start]):
            out.setdefault(left.text, set()).add(right.text)
            out.setdefault(right.text, set()).add(left.text)
    return out


def _byline(page: Layout, at: int, ents: Entities) -> None:
    """The byline's authors are people, its publisher a news organization."""
    line = page.byline.line
    for name in page.byline.authors:
        start = at + line.find(name)
        ents.add("person", name, (start, start + len(name)), "the byline")
    if page.byline.publisher:
        name = page.byline.publisher
        start = at + line.find(name)
        ents.add("organization", name, (start, start + len(name)), "the byline").news = True


def _credits(text: str, ents: Entities) -> None:
    """'Image: Ann Lee / The Daily': a picture's credit names a person and an organization."""
    for m in re.finditer(r"(?m)^(?:Image|Photo|Illustration|Photograph)(?: by)?:\s*"
                         r"([A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+){1,2})\s*/\s*([^\n]+?)\s*$", text):
        found = ents.lookup(m.group(1))
        if found is not None and found.kind != "person":
            del ents.by_name[found.name.lower()]
        ents.add("person", m.group(1), m.span(1), "a picture's credit")
        if ents.lookup(m.group(2)) is None:
            ents.add("organization", m.group(2), m.span(2), "a picture's credit")


def _short_forms(ents: Entities) -> None:
    """An organization named once in full and then by its first word ("Meta Platforms", then
    "Meta"): the short form is an alias."""
    for found in [f for f in ents.all() if f.kind == "organization" and not f.key]:
        if " " in found.name or found.group:
            continue
        longer = [f for f in ents.all() if f is not found and f.kind in ("organization",)
                  and f.name.split()[0] == found.name and len(f.name.split()) == 2
                  and not f.group and not f.news]
        if len(longer) == 1:
            longer[0].aliases.append(found.name)
            longer[0].mentions += found.mentions
            del ents.by_name[found.name.lower()]


def _people_aliases(text: str, ents: Entities) -> None:
    """A person's family name alone later on ("Altman") is an alias of the person."""
    for person in [f for f in ents.all() if f.kind == "person"]:
        family = person.name.split()[-1]
        if len(person.name.split()) < 2:
            continue
        other = ents.by_name.get(family.lower())
        if other is not None and other is not person and other.kind != "person" and \
                "no cue" not in " ".join(other.notes) and "said" not in " ".join(other.notes):
            continue
        if other is not None and other is not person:
            person.mentions += other.mentions
            del ents.by_name[family.lower()]
        for m in re.finditer(r"(?<![\w-])" + re.escape(family) + r"(?![\w-])", text):
            if not any(a <= m.start() < b for a, b in person.mentions):
                person.mentions.append((m.start(), m.end()))
                if family not in person.aliases:
                    person.aliases.append(family)


def _roles(page: Layout, ents: Entities) -> None:
    """Roles written next to a person's name: 'Acme CEO Ann Lee', 'Ann Lee, Acme's chief
    executive', 'Chief Executive Ann Lee' (of the organization named just before)."""
    text = page.text
    for person in [f for f in ents.all() if f.kind == "person"]:
        for start, end in sorted(person.mentions):
            before = text[max(0, start - 60):start]
            after = text[end:end + 80]
            role = None
            m = re.search(r"([A-Z][\w’'&. -]*?)(?:’s|'s)?\s+((?:interim\s+|former\s+)?(?:" +
                          _TITLE.pattern[3:-3] + r"))\s*,?\s*$", before, re.IGNORECASE)
            if m:
                org = ents.lookup(m.group(1).strip())
                words = text[start - len(before) + m.start():start].strip().rstrip(",")
                if org is not None and org.kind == "organization":
                    role = (org, m.group(2), words)
            if role is None:
                m = re.match(r",\s+(?:the\s+)?(?:([A-Z][\w&. -]*?)(?:’s|'s)\s+)?((?:interim\s+|"
                             r"former\s+)?(?:" + _TITLE.pattern[3:-3] + r"))(?:\s+of\s+"
                             r"([A-Z][\w&. -]*\w))?", after, re.IGNORECASE)
                if m and (m.group(1) or m.group(3)):
                    org = ents.lookup((m.group(1) or m.group(3)).strip())
                    if org is not None and org.kind == "organization":
                        role = (org, m.group(2), after[m.start(2) if not m.group(1)
                                                       else m.start(1):m.end()].strip())
            if role is None:
                continue
            org, title, words = role
            key = _TITLE.search(title).group(1).lower()
            fact_title, head = TITLES.get(key, (key, False))
            if any(r["organization"] is org for r in person.roles):
                continue
            entry = {"organization": org, "title": fact_title, "text": words}
            if head:
                entry["head"] = True
            if "former" in title.lower():
                entry["former"] = True
            person.roles.append(entry)


def _groups(page: Layout, ents: Entities) -> None:
    """Unnamed sources a story cites ("people familiar with the matter", "analysts")."""
    matches = list(GROUPS.finditer(page.text))
    for sentence in page.sentences:
        if REPORTING_CUE.search(sentence.text) or ATTRIBUTION_CUE.search(sentence.text):
            matches += [m for m in GROUP_NOUNS.finditer(page.text, sentence.start, sentence.end)
                        if not any(g.start() <= m.start() < g.end() for g in matches)]
    for match in sorted(matches, key=lambda m: m.start()):
        name = match.group().strip()
        found = ents.add("organization", name[0].lower() + name[1:],
                         (match.start(), match.end()), "a group of unnamed sources")
        found.group = True


def sentence_of(page: Layout, start: int) -> Sentence | None:
    """The sentence that holds the offset."""
    return next((s for s in page.sentences if s.start <= start < s.end), None)
