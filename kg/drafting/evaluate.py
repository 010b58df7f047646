"""Score a draft fact sheet against a reviewed one of the same article: precision and recall
per kind of fact, one to one (best pairs first, then as many reviewed items paired as can be).

- organizations, people, products: the same name, or any shared name among name, aliases and
  former names (typographic quotes and spacing folded, lower case, a leading "the " dropped),
  or the same Wikidata item.
- money: each distinct currency and value among the amounts of any entry (20000000000, 2e10
  and "20_000_000_000" are one value); qualifier, role and entry do not count.
- percentages: each distinct value among the quantities in percent; quantities: each distinct
  unit and value among the other quantities.
- times: each distinct time of events (time), agreements and clauses (starts, ends) with its
  precision: month 2025-01 does not match date 2025-01-15; such a miss says so.
- agreements: the parties, mapped through the matching of organizations and people, are the
  same set; shared quotes, then the same type, choose among several.
- clauses: the same type and overlapping evidence.
- events: overlapping evidence; the same type, then the larger overlap, choose among several.
- claims: the quotes marked reported, in any entry; quotes that overlap in one sheet are one
  claim, and claims match when they overlap.

Evidence overlaps when the character spans where its quotes stand in the article (anchored as
`kg build` does, or else in any case) overlap; a quote not in the article overlaps nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kg.anchor import Document, fold

KINDS = ("organizations", "people", "products", "money", "percentages", "quantities", "times",
         "agreements", "clauses", "events", "claims")
ENTITIES = ("organizations", "people", "products")
SECTIONS = ("organizations", "people", "products", "agreements", "clauses", "events")
TIME_FIELDS = ("time", "starts", "ends")
SHORT = 72  # characters of a quote shown in a list of misses

Span = tuple[int, int]


@dataclass(frozen=True)
class Score:
    """How one kind of fact of the draft compares with the reviewed sheet."""

    kind: str
    true_positives: int
    false_positives: int
    false_negatives: int
    missed: tuple[str, ...]  # reviewed items the draft lacks
    spurious: tuple[str, ...]  # drafted items the reviewed sheet lacks

    @property
    def gold(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def drafted(self) -> int:
        return self.true_positives + self.false_positives

    @property
    def precision(self) -> float | None:
        """The share of drafted items that are right; None when nothing was drafted."""
        return self.true_positives / self.drafted if self.drafted else None

    @property
    def recall(self) -> float | None:
        """The share of reviewed items the draft found; None when there are none."""
        return self.true_positives / self.gold if self.gold else None


def _clean(value):
    """The sheet without its "_" keys (the drafter's notes), which are no part of it."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()
                if not (isinstance(k, str) and k.startswith("_"))}
    return [_clean(v) for v in value] if isinstance(value, list) else value


def _entries(sheet: dict, section: str) -> list[dict]:
    """The entries of one section, whatever else a draft holds there."""
    return [e for e in sheet.get(section) or [] if isinstance(e, dict)]


def _all_entries(sheet: dict) -> Iterator[dict]:
    return (e for section in SECTIONS for e in _entries(sheet, section))


def _quotes(entry: dict) -> Iterator[tuple[str, bool]]:
    """Each quote of the entry's evidence, with whether it is marked reported."""
    for item in entry.get("evidence") or []:
        if isinstance(item, str):
            yield item, False
        elif isinstance(item, dict) and isinstance(item.get("quote"), str):
            yield item["quote"], item.get("reported") is True


class _Spans:
    """Where quotes stand in the article, each quote anchored once."""

    def __init__(self, text: str):
        self.document = Document(text)
        self.found: dict[str, Span | None] = {}

    def of(self, quote: str) -> Span | None:
        if quote not in self.found:
            at = self.document.find(quote) or self.document.find(quote, ignore_case=True)
            self.found[quote] = (at.start, at.end) if at else None
        return self.found[quote]

    def evidence(self, entry: dict) -> list[Span]:
        return _union([s for q, _ in _quotes(entry) if (s := self.of(q))])


def _union(spans: list[Span]) -> list[Span]:
    """The spans merged where they overlap, in order."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _overlap(a: list[Span], b: list[Span]) -> int:
    """How many characters two merged lists of spans share."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _short(text: str) -> str:
    return text if len(text := fold(text)) <= SHORT else text[: SHORT - 1] + "\u2026"


def _pairs(n_gold: int, n_draft: int,
           score: Callable[[int, int], tuple | None]) -> dict[int, int]:
    """Gold index -> draft index: the best scored pairs first, then augmenting paths so that
    no gold item that could have a partner is left without one."""
    ranked = sorted((tuple(-x for x in s), g, d) for g in range(n_gold) for d in range(n_draft)
                    if (s := score(g, d)) is not None)
    options: dict[int, list[int]] = {g: [] for g in range(n_gold)}
    for _, g, d in ranked:
        options[g].append(d)
    gold_of: dict[int, int] = {}
    draft_of: dict[int, int] = {}
    for _, g, d in ranked:
        if g not in draft_of and d not in gold_of:
            draft_of[g], gold_of[d] = d, g

    def augment(g: int, seen: set[int]) -> bool:
        for d in (d for d in options[g] if d not in seen):
            seen.add(d)
            if d not in gold_of or augment(gold_of[d], seen):
                gold_of[d], draft_of[g] = g, d
                return True
        return False

    for g in (g for g in range(n_gold) if g not in draft_of):
        augment(g, set())
    return draft_of


def _score(kind: str, gold: list[str], draft: list[str], pairs: dict[int, int],
           missed: list[str] | None = None) -> Score:
    matched = set(pairs.values())
    if missed is None:
        missed = [g for i, g in enumerate(gold) if i not in pairs]
    return Score(kind, len(pairs), len(draft) - len(pairs), len(gold) - len(pairs),
                 tuple(missed), tuple(d for i, d in enumerate(draft) if i not in matched))


def _names(entry: dict) -> set[str]:
    names = [entry.get("name"), *(entry.get("aliases") or []),
             *(entry.get("former_names") or [])]
    return {_folded(n) for n in names if isinstance(n, str) and n.strip()}


def _folded(name: str) -> str:
    name = fold(name).lower()
    return name[4:] if name.startswith("the ") and len(name) > 4 else name


def _label(entry: dict) -> str:
    return str(entry.get("name") or entry.get("id") or "?")


def _entities(kind: str, gold: list[dict], draft: list[dict]) -> tuple[Score, dict[str, str]]:
    """The score of one kind of entity, and draft id -> gold id of the pairs."""
    gold_names, draft_names = [_names(e) for e in gold], [_names(e) for e in draft]

    def score(g: int, d: int) -> tuple | None:
        name = _folded(str(gold[g].get("name") or ""))
        same_name = bool(name) and name == _folded(str(draft[d].get("name") or ""))
        wikidata = gold[g].get("wikidata")
        same_item = bool(wikidata) and wikidata == draft[d].get("wikidata")
        shared = len(gold_names[g] & draft_names[d])
        if not (same_name or same_item or shared):
            return None
        return int(same_name), int(same_item), shared

    pairs = _pairs(len(gold), len(draft), score)
    ids = {str(draft[d].get("id")): str(gold[g].get("id")) for g, d in pairs.items()}
    return _score(kind, [_label(e) for e in gold], [_label(e) for e in draft], pairs), ids


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        return None
    try:
        number = Decimal(str(value).replace("_", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _distinct(items: Iterator[tuple[object, str]]) -> tuple[list[object], list[str]]:
    """Keys each once, in order of first appearance, with the label of that appearance."""
    found: dict[object, str] = {}
    for key, label in items:
        found.setdefault(key, label)
    return list(found), list(found.values())


def _values(sheet: dict, field: str) -> Iterator[dict]:
    return (item for entry in _all_entries(sheet) for item in entry.get(field) or []
            if isinstance(item, dict))


def _measures(sheet: dict, field: str, unit: str, keep: Callable[[str], bool]):
    """(unit, value) and a label of each amount (whose unit is its currency) or quantity."""
    for item in _values(sheet, field):
        value, of = _number(item.get("value")), str(item.get(unit) or "")
        if value is not None and of and keep(of):
            yield (of, value), f"{item.get('text') or ''} = {value.normalize():f} {of}".strip()


def _by_value(kind: str, gold_items, draft_items,
              near: Callable[[tuple, tuple], bool] | None = None) -> Score:
    """Distinct keys match when equal; with `near`, a missed key lists the first unmatched
    drafted key near it."""
    gold_keys, gold_labels = _distinct(gold_items)
    draft_keys, draft_labels = _distinct(draft_items)
    at = {k: i for i, k in enumerate(draft_keys)}
    pairs = {g: at[k] for g, k in enumerate(gold_keys) if k in at}
    unmatched = [k for i, k in enumerate(draft_keys) if i not in set(pairs.values())]
    missed = []
    for g, key in enumerate(gold_keys):
        if g not in pairs:
            close = next((k for k in unmatched if near(key, k)), None) if near else None
            missed.append(gold_labels[g] + (f"; drafted as {_show_time(close)}, only the "
                                            "precision differs" if close else ""))
    return _score(kind, gold_labels, draft_labels, pairs, missed)


def _written(value) -> str | None:
    """A date, month or year as written: YAML reads 2025-09-11 as a date, 2030 as a number."""
    if isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return None if value is None or isinstance(value, bool) else (str(value).strip() or None)


def _time_key(t: dict) -> tuple | None:
    """(precision, value) of a point, ("from-until", start, end) of a span, or None when the
    time is placed nowhere."""
    for precision in ("date", "month", "year"):
        if (value := _written(t.get(precision))) is not None:
            return precision, value
    start, until = _written(t.get("from")), _written(t.get("until"))
    return None if start is None and until is None else ("from-until", start, until)


def _times(sheet: dict):
    for entry in _all_entries(sheet):
        for field in TIME_FIELDS:
            t = entry.get(field)
            if isinstance(t, dict) and (key := _time_key(t)):
                yield key, f"{_show_time(key)} ({_short(str(t.get('text') or ''))})"


def _show_time(key: tuple) -> str:
    if key[0] != "from-until":
        return f"{key[0]} {key[1]}"
    return " ".join(f"{word} {w}" for word, w in zip(("from", "until"), key[1:]) if w)


def _near(a: tuple, b: tuple) -> bool:
    """Whether two times differ only in precision: their written values agree as far as the
    shorter one goes ("2025-01" and "2025-01-15"; "until 2030" and "2030")."""
    return any(x[:min(len(x), len(y))] == y[:min(len(x), len(y))]
               for x in a[1:] if x for y in b[1:] if y)


def _by_spans(kind: str, gold: list[list[Span]], draft: list[list[Span]],
              labels: tuple[list[str], list[str]],
              rank: Callable[[int, int, int], tuple | None]) -> Score:
    """Pairs ranked by rank(gold index, draft index, characters of evidence shared), which
    says None for a pair that cannot match."""
    return _score(kind, *labels, _pairs(len(gold), len(draft), lambda g, d: rank(
        g, d, _overlap(gold[g], draft[d]))))


def _by_evidence(kind: str, gold: list[dict], draft: list[dict], spans: _Spans,
                 rank: Callable[[dict, dict, int], tuple | None],
                 label: Callable[[dict], str]) -> Score:
    return _by_spans(kind, [spans.evidence(e) for e in gold], [spans.evidence(e) for e in draft],
                     ([label(e) for e in gold], [label(e) for e in draft]),
                     lambda g, d, shared: rank(gold[g], draft[d], shared))


def _parties(entry: dict, ids: dict[str, str] | None = None) -> frozenset[str]:
    """The agreement's parties; with ids, drafted ones as the reviewed ids they match (one that
    matches none is no reviewed party)."""
    found = [str(p) for p in entry.get("parties") or []]
    return frozenset(found if ids is None else (ids.get(p, "\0" + p) for p in found))


def _same_type(g: dict, d: dict) -> int:
    return int(g.get("type") == d.get("type"))


def _typed(entry: dict) -> str:
    return f"{entry.get('type') or '?'}: {_label(entry)}"


def _claims(sheet: dict, spans: _Spans) -> list[list[Span]]:
    """The sheet's reported claims: its reported quotes, those that overlap merged into one."""
    found = [at for e in _all_entries(sheet) for q, reported in _quotes(e)
             if reported and (at := spans.of(q))]
    return [[s] for s in _union(found)]


def evaluate(draft: dict, gold: dict, text: str) -> list[Score]:
    """The score of each kind of fact, in the order of KINDS, of a draft against the reviewed
    fact sheet of the same article text."""
    draft, gold = _clean(draft or {}), _clean(gold or {})
    spans = _Spans(text)
    scores: dict[str, Score] = {}
    ids: dict[str, str] = {}
    for kind in ENTITIES:
        scores[kind], mapped = _entities(kind, _entries(gold, kind), _entries(draft, kind))
        if kind != "products":  # parties are organizations and people
            ids.update(mapped)
    for kind, field, unit, keep in (
            ("money", "amounts", "currency", lambda _: True),
            ("percentages", "quantities", "unit", lambda u: u == "percent"),
            ("quantities", "quantities", "unit", lambda u: u != "percent")):
        scores[kind] = _by_value(kind, _measures(gold, field, unit, keep),
                                 _measures(draft, field, unit, keep))
    scores["times"] = _by_value("times", _times(gold), _times(draft), _near)
    scores["agreements"] = _by_evidence(
        "agreements", _entries(gold, "agreements"), _entries(draft, "agreements"), spans,
        lambda g, d, shared: (shared, _same_type(g, d))
        if _parties(g) and _parties(g) == _parties(d, ids) else None,
        lambda e: f"{_label(e)} ({', '.join(sorted(_parties(e)))})")
    scores["clauses"] = _by_evidence(
        "clauses", _entries(gold, "clauses"), _entries(draft, "clauses"), spans,
        lambda g, d, shared: (shared,) if shared and _same_type(g, d) else None, _typed)
    scores["events"] = _by_evidence(
        "events", _entries(gold, "events"), _entries(draft, "events"), spans,
        lambda g, d, shared: (_same_type(g, d), shared) if shared else None, _typed)
    claims = _claims(gold, spans), _claims(draft, spans)
    text = spans.document.text
    scores["claims"] = _by_spans("claims", *claims, tuple(
        [_short(text[c[0][0]:c[0][1]]) for c in side] for side in claims),
        lambda g, d, shared: (shared,) if shared else None)
    return [scores[k] for k in KINDS]


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def table(scores: list[Score]) -> str:
    """The scores as an aligned text table: type, gold, drafted, matched, precision, recall."""
    head = ("type", "gold", "drafted", "matched", "precision", "recall")
    rows = [head] + [(s.kind, str(s.gold), str(s.drafted), str(s.true_positives),
                      _ratio(s.precision), _ratio(s.recall)) for s in scores]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def misses(scores: list[Score]) -> str:
    """The reviewed items each kind missed and the drafted items it has in excess, as text."""
    return "".join(line for s in scores for line in
                   [f"{s.kind}: missed {m}\n" for m in s.missed]
                   + [f"{s.kind}: not in the reviewed sheet: {m}\n" for m in s.spurious])


def as_json(scores: list[Score]) -> dict:
    """The same figures as `table`, with the misses, ready for json.dumps."""
    return {s.kind: {"gold": s.gold, "drafted": s.drafted, "matched": s.true_positives,
                     "precision": _rounded(s.precision), "recall": _rounded(s.recall),
                     "missed": list(s.missed), "spurious": list(s.spurious)}
            for s in scores}
