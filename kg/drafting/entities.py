"""The organizations, people and products an article names: candidate names (runs of capitalised
words) sorted by the gazetteer, by organization suffixes, by the words around them (a title
before a person, "startup" before a company, "chips" after a product) and by lists that mix them;
people's roles from "Acme CEO Ann Lee", "Ann Lee, Acme's chief executive"; groups of unnamed
sources ("people familiar with the matter")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.drafting import nlp, people
from kg.drafting.lexicon import (
    ACRONYMS,
    GROUP_NOUNS,
    GROUPS,
    LOCATIVE,
    MONTHS,
    NEWS,
    ORG_CUES,
    PRODUCT_BEFORE,
    PRODUCT_CUES,
    PRODUCT_OWNER_CUES,
    SAY,
    STOP,
    TITLE,
    TITLE_WORDS,
    WEEKDAYS,
    places,
)
from kg.drafting.text import Layout, Sentence


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
    known_places = places()
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
        if span.text in known_places or span.text + "." in known_places or \
                span.text.lower().rstrip(".") in MONTHS | WEEKDAYS:
            continue
        inner = next((k for (a, b), k in known.items() if a <= span.start and span.end <= b
                      or (span.start <= a and b <= span.end and b - a == span.end - span.start)
                      ), None)
        if inner is not None and inner.label in kinds_of_label:
            # The gazetteer wins over a suffix rule that matched the same words.
            key = inner.key or gazetteer.get(inner.text, ("", ""))[1]
            kind = kinds_of_label[inner.label] if inner.key or not key else \
                gazetteer[inner.text][0]
            ents.add(kind, inner.text if key else span.text, (span.start, span.end),
                     key=key, note="" if key else "an organization suffix")
            continue
        if span.end <= headline_end or (byline and byline[0] <= span.start < byline[1]):
            continue  # the headline's capitals are style; its names are named again below
        pending.append(span)
    _sort(text, pending, ents, sentence_starts, page.headline or "")
    if byline:
        people.byline(page, byline[0], ents)
    people.credits(text, ents)
    people.family_names(text, ents)
    _short_forms(ents)
    people.roles(page, ents)
    _groups(page, ents)
    return ents


def _split(text: str, run: nlp.Span):
    """A run cut at its title words ("Google Cloud CEO Thomas Kurian" is a company, a title and
    a person), each piece labelled "title-before" or "title-after" where a title touches it,
    leading sentence words ("In July") left out."""
    words = [(m.start() + run.start, m.group()) for m in re.finditer(r"\S+", run.text)]
    pieces, current, titled = [], [], False
    for at, word in words:
        if word.lower().strip(".,") in TITLE_WORDS or word == "By":
            if current:
                pieces.append((current, titled, True))
            current, titled = [], word != "By" or titled
        else:
            current.append((at, word))
    if current:
        pieces.append((current, titled, False))
    for piece, before, after in pieces:
        while len(piece) > 1 and piece[0][1].lower() in STOP and piece[0][1] != "The":
            piece = piece[1:]
        start, end = piece[0][0], piece[-1][0] + len(piece[-1][1].rstrip(".") or piece[-1][1])
        if piece[-1][1].endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", piece[-1][1]):
            end = piece[-1][0] + len(piece[-1][1]) - 1
        while len(piece) > 2 and piece[-1][1].lower().strip(".,") in MONTHS | WEEKDAYS and \
                piece[-2][1] in nlp.CONNECTORS:
            piece = piece[:-2]
        start, end = piece[0][0], piece[-1][0] + len(piece[-1][1])
        label = "title-before" if before else "title-after" if after else ""
        yield nlp.Span(start, end, text[start:end], label)


def _context(text: str, span, width: int = 40) -> tuple[list[str], list[str]]:
    before = re.findall(r"[\w’'-]+", text[max(0, span.start - width):span.start].lower())
    after = re.findall(r"[\w’'-]+", text[span.end:span.end + width].lower())
    return before, after


def _sort(text: str, spans, ents: Entities, sentence_starts: set[int], headline: str) -> None:
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
                or re.fullmatch(r"\w+[A-Z]\w*|[A-Z]{2,}", name)
                or re.search(r"\b" + re.escape(name) + r"\b", headline)):
            continue  # capitalised only because it starts a sentence
        if name.lower() in STOP or name in ACRONYMS or re.fullmatch(r"Q[1-4]", name):
            continue
        before, after = _context(text, span)
        vote = votes.setdefault(name, {})
        if NEWS.search(name) or (words[0] == "The" and len(words) > 1):
            vote.setdefault("organization", []).append("the name of a publication")
        where.setdefault(name, []).append(span)
        if span.label == "title-before" or re.search(
                r"(?:" + TITLE.pattern[3:-3] + r"),\s*$", text[max(0, span.start - 40):span.start],
                re.IGNORECASE):
            vote.setdefault("person", []).append("a title before the name")
        if re.search(PRODUCT_BEFORE, text[max(0, span.start - 30):span.start], re.IGNORECASE) \
                or re.fullmatch(r"[A-Z]+-?\d+[A-Za-z]*|[A-Z][a-z]+-\d+", name):
            vote.setdefault("product", []).append("a product's word before the name, or a code")
        if span.label == "title-after":
            vote.setdefault("organization", []).append("a title after the name")
        if before and before[-1] in ORG_CUES:
            vote.setdefault("organization", []).append(f"“{before[-1]}” before the name")
        owner_cue = bool(after) and after[0] in PRODUCT_OWNER_CUES
        if after and after[0] in PRODUCT_CUES and (not owner_cue or len(words) == 1):
            vote.setdefault("product", []).append(f"“{after[0]}” after the name")
        if len(after) > 1 and after[0] in ("’s", "'s", "s") and after[1] in TITLE_WORDS:
            vote.setdefault("organization", []).append("a title after its possessive")
        if after and after[0] in SAY and len(words) in (2, 3) and _name_like(words[0]):
            vote.setdefault("person?", []).append("said by a two-word name")
        if re.match(r"\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:" + TITLE.pattern[3:-3]
                    + r")\b", text[span.end:span.end + 80], re.IGNORECASE):
            vote.setdefault("person", []).append("“was a …” and a title after the name")
        if re.match(r",\s+\d{2},", text[span.end:span.end + 6]):
            vote.setdefault("person", []).append("an age after the name")
        if re.match(r",\s+(?:(?:who|the|a|an|its|his|her)\b[^,.]{0,60}\b|[A-Z][\w&.-]*(?:’s|'s)"
                    r"\s+|(?:interim|former|senior)\s+)?(?:" + TITLE.pattern[3:-3] + r")\b",
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


def _locative(text: str, span) -> bool:
    """Whether the name stands where a place does: after "in", "near"..., or before "-based" or
    ", <State>"."""
    return bool(LOCATIVE.search(text[max(0, span.start - 20):span.start])
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


def _short_forms(ents: Entities) -> None:
    """An organization named once in full and then by its first word ("Meta Platforms", then
    "Meta"): the short form is an alias."""
    for found in [f for f in ents.all() if f.kind == "organization" and not f.key]:
        if " " in found.name or found.group:
            continue
        longer = [f for f in ents.all() if f is not found and f.kind in ("organization",)
                  and f.name.split()[0] == found.name and len(f.name.split()) == 2
                  and not f.group and not f.news]
        if longer:  # the first named in full: "Lumen Freight" before "Lumen Nord"
            first = min(longer, key=lambda f: min(f.mentions))
            first.aliases.append(found.name)
            first.mentions += found.mentions
            del ents.by_name[found.name.lower()]


def _groups(page: Layout, ents: Entities) -> None:
    """Unnamed sources a story cites ("people familiar with the matter"), and the groups of
    people or companies it speaks of ("analysts", "Wiz employees", "rival providers")."""
    starts = {s.start for s in page.sentences}
    named = [span for f in ents.all() for span in f.mentions]
    matches = list(GROUPS.finditer(page.text))
    # A capitalised noun is a group only where it starts a sentence ("Analysts said"); "Ostby
    # Partners" is a name, and so is any group that overlaps one.
    matches += [m for m in GROUP_NOUNS.finditer(page.text)
                if not any(g.start() <= m.start() < g.end() for g in matches)
                and (m.group().split()[-1][0].islower() or m.start() in starts)
                and not any(a < m.end() and m.start() < b for a, b in named)]
    for match in sorted(matches, key=lambda m: m.start()):
        name = match.group().strip()
        found = ents.add("organization", name[0].lower() + name[1:],
                         (match.start(), match.end()), "a group of unnamed sources")
        found.group = True


def sentence_of(page: Layout, start: int) -> Sentence | None:
    """The sentence that holds the offset."""
    return next((s for s in page.sentences if s.start <= start < s.end), None)
