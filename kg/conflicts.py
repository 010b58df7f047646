"""Conflicts across the articles of one build: what two fact sheets say differently of one
entity (ids are corpus-wide), and ids that probably name one entity twice.

Reports change, so a conflict is listed, never resolved: each article's claim stays in its own
graph. The kinds: "kind" (one entity given two types, or one id declared as two kinds of entry),
"wikidata" (two Wikidata items), "date" (an event's two times), "value" (two values of a field
of the schema that holds one value, among them an amount of the same role or a quantity of the
same measure) and "duplicate" (two ids of one kind whose names, aliases, former names or
Wikidata items match, in one article or in two).

Times and numbers are compared by meaning: they conflict only when the periods or ranges they
stand for do not meet (2025-01 and 2025-01-21 agree; "about $10 billion" and "$10.5 billion"
agree), and a type agrees with its superclass. Names, ids and choices are compared by their
exact text. Not conflicts: a description (each article's own words about the entity), a list
(parties, aliases) that grows from one article to the next, and amounts of role 'other'. An
unnamed group ('investors') and an alias in common words ('the startup') make no duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal
from itertools import combinations, product

from kg.factsheet.fields import Field, Refs, Texts
from kg.factsheet.model import Amount, Entry, FactSheet, Quantity, TimeValue
from kg.factsheet.schema import SECTION_OF_KIND
from kg.factsheet.times import bounds
from kg.factsheet.values import AmountValue, Evidence, ListOf, QuantityValue
from kg.factsheet.vocabulary import TYPE_SUPERCLASSES
from kg.gcpause import paused

KINDS = ("kind", "wikidata", "date", "value", "duplicate")
# Fields that hold no claim to compare: the id is the entity, the description is the article's
# own words.
UNCOMPARED = ("id", "description", "evidence")
# Where a deal stands when each article is written: a later article's status (Definitive after
# Talks, Completed after Definitive), instrument and binding force are news, not a conflict.
AS_OF_ARTICLE = ("status", "instrument", "binding")
# How far an "about" value may stray and still agree with another.
ABOUT = Decimal("0.1")
INFINITY = Decimal("Infinity")
_PLURALS = {"person": "people"}


@dataclass(frozen=True, order=True)
class Location:
    """Where a claim is written: the fact sheet, the line of the field or entry, the article."""

    file: str
    line: int
    slug: str

    def __post_init__(self):
        # file:line, made once: hundreds of thousands of duplicates may share a place.
        object.__setattr__(self, "shown", f"{self.file}:{self.line}")

    def __str__(self) -> str:
        return self.shown


@dataclass(frozen=True)
class Conflict:
    """Two claims that disagree: of one entity (or, for a duplicate, of two ids), a field, the
    two values as written, and where each is written; the earlier article first."""

    kind: str
    entity: str  # the kind of entry: organization, ..., event
    ids: tuple[str, ...]
    field: str
    values: tuple[str, str]
    locations: tuple[Location, Location]

    def sort_key(self) -> tuple:
        return (self.locations, KINDS.index(self.kind), self.field, self.ids, self.values)

    def describe(self) -> str:
        """One line: both places, then what each article says.

        >>> a, b = Location("a.yaml", 12, "a"), Location("b.yaml", 40, "b")
        >>> print(Conflict("kind", "agreement", ("x",), "type", ("Partnership", "Acquisition"),
        ...                (a, b)))
        a.yaml:12 and b.yaml:40: agreement 'x' is a Partnership in a, an Acquisition in b
        """
        (one, two), (a, b) = self.values, self.locations
        if self.kind == "duplicate":
            where = (f"'{self.ids[0]}' and '{self.ids[1]}' in {a.slug}" if a.slug == b.slug
                     else f"'{self.ids[0]}' in {a.slug} and '{self.ids[1]}' in {b.slug}")
            what = f"{_PLURALS.get(self.entity, self.entity + 's')} {where} may be one: "
            if self.field == "wikidata":
                return f"{a.shown} and {b.shown}: {what}both are Wikidata {one}"
            same = f"both are named “{one}”" if one == two else f"named “{one}” and “{two}”"
            return f"{a.shown} and {b.shown}: {what}{same}"
        subject = f"{self.entity} '{self.ids[0]}'"
        if self.kind == "kind" and self.field == "kind":
            said = f"'{self.ids[0]}' is {_a(one)} in {a.slug}, {_a(two)} in {b.slug}"
        elif self.kind == "kind":
            said = f"{subject} is {_a(one)} in {a.slug}, {_a(two)} in {b.slug}"
        elif self.kind == "wikidata":
            said = f"{subject} is Wikidata {one} in {a.slug}, {two} in {b.slug}"
        elif self.kind == "date":
            said = f"{subject} is dated {one} in {a.slug}, {two} in {b.slug}"
        else:
            said = f"{subject} has {self.field} {one} in {a.slug}, {two} in {b.slug}"
        return f"{a} and {b}: {said}"

    __str__ = describe


_FIELDS = tuple(f.name for f in fields(Conflict))


def find(sheets: list[FactSheet]) -> list[Conflict]:
    """Every conflict across the articles of a build (and every probable duplicate, within
    one article too), sorted by where they are written."""
    with paused():  # hundreds of thousands of conflicts, none in a cycle
        ordered = sorted(sheets, key=lambda s: (s.article.published, str(s.source.factsheet)))
        declared: dict[str, list[tuple[FactSheet, Entry]]] = defaultdict(list)
        for sheet in ordered:
            for entry in sheet.entries.values():
                declared[entry.id].append((sheet, entry))
        found: list[Conflict] = []
        for claims in declared.values():
            found.extend(_across(claims))
        found.extend(_duplicates(ordered))
        return _sorted(found)


def _sorted(found: list[Conflict]) -> list[Conflict]:
    """In the order of Conflict.sort_key, each location ranked once: hundreds of thousands of
    duplicates then compare by numbers, not by the dataclass's comparison (a Python call),
    and find their rank by the object (the duplicates of a name share them)."""
    places = sorted({id(at): at for c in found for at in c.locations}.values())
    rank: dict[int, int] = {}
    for n, at in enumerate(places):
        rank[id(at)] = rank[id(places[n - 1])] if n and places[n - 1] == at else n
    kinds = {kind: n for n, kind in enumerate(KINDS)}
    return sorted(found, key=lambda c: (rank[id(c.locations[0])], rank[id(c.locations[1])],
                                        kinds[c.kind], c.field, c.ids, c.values))


# ---------------------------------------------------------------- one entity, two articles


def _across(claims: list[tuple[FactSheet, Entry]]) -> list[Conflict]:
    """What the articles' entries of one id say differently. Hundreds of articles may declare
    an entity alike: the entries are grouped by what _between compares, and two of one group
    are compared only when the group's first disagrees with itself (not quadratic then)."""
    groups: dict[object, list[int]] = defaultdict(list)
    for n, (_, entry) in enumerate(claims):
        groups[_compared(entry)].append(n)
    found = []
    members = list(groups.values())
    for g, group in enumerate(members):
        sheet, first = claims[group[0]]
        if len(group) > 1 and _between(sheet, first, sheet, first):
            for i, j in combinations(group, 2):
                found.extend(_between(*claims[i], *claims[j]))
        for other in members[g + 1:]:
            for i, j in product(group, other):  # each pair in the order of the articles
                found.extend(_between(*claims[min(i, j)], *claims[max(i, j)]))
    return found


def _compared(entry: Entry) -> object:
    """What _between reads of an entry but for lines (which only place a conflict): two entries
    of equal keys conflict as one does with itself. A value that cannot be keyed: its own."""
    parts: list = [entry.kind]
    try:
        for name, field in SECTION_OF_KIND[entry.kind].fields.items():
            if name in UNCOMPARED or name in AS_OF_ARTICLE or name not in entry.values:
                continue
            value = entry.values[name]
            if isinstance(field, ListOf) and isinstance(field.item, (AmountValue,
                                                                     QuantityValue)):
                parts.append((name, tuple(_unplaced(v) for v in value)))
            elif _single(field):
                # Any other value is compared by ==, which for a dataclass counts its line.
                parts.append((name, _unplaced(value) if isinstance(value, TimeValue)
                              else (type(value), value)))
        key = tuple(parts)
        hash(key)
    except TypeError:  # not a dataclass, or a value that cannot be hashed
        return object()
    return key


def _unplaced(value) -> tuple:
    """A time, amount or quantity as _between reads it: every field but its line."""
    return (type(value), *(getattr(value, f.name) for f in fields(value) if f.name != "line"))


def _between(sa: FactSheet, a: Entry, sb: FactSheet, b: Entry) -> list[Conflict]:
    """What two articles' entries of one id say differently."""
    if a.kind != b.kind:
        return [Conflict("kind", a.kind, (a.id,), "kind", (a.kind, b.kind),
                         (_at(sa, a.line), _at(sb, b.line)))]
    found = []
    for name, field in SECTION_OF_KIND[a.kind].fields.items():
        if name in UNCOMPARED or name in AS_OF_ARTICLE or name not in a.values \
                or name not in b.values:
            continue
        one, two = a.values[name], b.values[name]
        where = (_at(sa, a.lines.get(name, a.line)), _at(sb, b.lines.get(name, b.line)))
        if isinstance(field, ListOf) and isinstance(field.item, (AmountValue, QuantityValue)):
            found.extend(_measures(a, name, one, two, sa, sb))
        elif _single(field) and _differ(name, one, two):
            found.append(Conflict(_kind_of(a.kind, name), a.kind, (a.id,), name,
                                  (_shown(one), _shown(two)), where))
    return found


def _single(field: Field) -> bool:
    """Whether a field holds one value (a list grows from article to article)."""
    return not isinstance(field, (Refs, Texts, ListOf, Evidence))


def _kind_of(entity: str, name: str) -> str:
    if name == "type":
        return "kind"
    if name == "wikidata":
        return "wikidata"
    return "date" if entity == "event" and name == "time" else "value"


def _differ(name: str, one, two) -> bool:
    """Whether two values of a field cannot both be true."""
    if isinstance(one, TimeValue) and isinstance(two, TimeValue):
        first, second = _period(one), _period(two)
        # A time the words place nowhere ('months ago') contradicts nothing.
        return first is not None and second is not None and not _meet(first, second)
    if name == "type" and (one in TYPE_SUPERCLASSES.get(two, ())
                           or two in TYPE_SUPERCLASSES.get(one, ())):
        return False  # a Regulator is a GovernmentBody: the one refines the other
    return one != two


def _measures(entry: Entry, name: str, ones: list, twos: list, sa: FactSheet,
              sb: FactSheet) -> list[Conflict]:
    """Amounts (or quantities) of one entry that measure the same thing and cannot all be
    true: a value of one article that meets none of the other's, and the other way round."""
    found = []
    # Two amounts of role 'other' are of things the fact sheet does not name: not comparable.
    shared = {k for k in {_measure(v) for v in ones} & {_measure(v) for v in twos}
              if k[:2] != ("amount", "other")}
    for key in sorted(shared, key=repr):
        first = [v for v in ones if _measure(v) == key]
        second = [v for v in twos if _measure(v) == key]
        lonely = [v for v in first if not any(_meet(_range(v), _range(w)) for w in second)]
        others = [w for w in second if not any(_meet(_range(v), _range(w)) for v in first)]
        for v in lonely:
            for w in others:
                found.append(Conflict("value", entry.kind, (entry.id,), _field_of(name, key),
                                      (_shown(v), _shown(w)), (_at(sa, v.line), _at(sb, w.line))))
    return found


def _measure(value: Amount | Quantity) -> tuple:
    """What an amount or quantity measures: two values compare only when this is the same."""
    if isinstance(value, Amount):
        return ("amount", value.role, value.currency, value.per)
    measure = " ".join(value.measure.casefold().split()) if value.measure else None
    return ("quantity", value.unit, measure, value.of, value.recipient, value.counts,
            value.change, value.per)


def _field_of(name: str, key: tuple) -> str:
    """The field, with what its values measure: 'amounts (price)', 'quantities (percent of
    equity)'."""
    if key[0] == "amount":
        return f"{name} ({key[1]})" if key[1] else name
    unit, measure, of = key[1:4]
    whole = measure or of
    return f"{name} ({unit} of {whole})" if whole else f"{name} ({unit})"


# ---------------------------------------------------------------- meaning of times and values


def _period(time: TimeValue) -> tuple[dt.date, dt.date] | None:
    """The days a time stands for, first and last; None when the words place it nowhere."""
    if time.value is not None:
        return bounds(time.value)
    if time.is_span:
        return (bounds(time.start)[0] if time.start else dt.date.min,
                bounds(time.until)[1] if time.until else dt.date.max)
    return None


def _range(value: Amount | Quantity) -> tuple[Decimal, Decimal]:
    """The numbers a value's words allow: exact [v, v], about within 10%, a lower bound
    [v, inf), an upper bound (-inf, v]."""
    v, qualifier = value.value, value.qualifier
    if qualifier == "about":
        spread = abs(v) * ABOUT
        return v - spread, v + spread
    if qualifier in ("more-than", "at-least"):
        return v, INFINITY
    if qualifier in ("up-to", "less-than"):
        return -INFINITY, v
    return v, v


def _meet(one: tuple, two: tuple) -> bool:
    return one[0] <= two[1] and two[0] <= one[1]


# ---------------------------------------------------------------- probable duplicates


def _duplicates(sheets: list[FactSheet]) -> list[Conflict]:
    """Two ids of one kind whose names or aliases match (case and spacing aside), or whose
    Wikidata items are the same: one conflict for each pair of ids, at the first match."""
    seen: dict[tuple[str, str, str], dict[str, tuple[str, Location]]] = defaultdict(dict)
    for sheet in sheets:
        for entry in sheet.entries.values():
            for key, written, line in _names(entry):
                ids = seen[(entry.kind, *key)]
                ids.setdefault(entry.id, (written, _at(sheet, line)))
    pairs: dict[tuple[str, str, str], Conflict] = {}
    for (kind, what, _), ids in seen.items():
        field = "wikidata" if what == "wikidata" else "name"
        for (id_a, (one, a)), (id_b, (two, b)) in combinations(ids.items(), 2):
            pair = (kind, id_a, id_b) if id_a <= id_b else (kind, id_b, id_a)
            # A pair that shares a name and a Wikidata item is told once, by its name.
            told = pairs.get(pair)
            if told is None or (field == "name" and told.field == "wikidata"):
                pairs[pair] = _made("duplicate", kind, (id_a, id_b), field, (one, two), (a, b))
    return list(pairs.values())


def _made(*values) -> Conflict:
    """Conflict(*values) without the frozen dataclass's __init__ (object.__setattr__ for each
    field), which takes two thirds of the time of making one."""
    conflict = object.__new__(Conflict)
    conflict.__dict__.update(zip(_FIELDS, values))
    return conflict


def _names(entry: Entry) -> list[tuple[tuple[str, str], str, int]]:
    """The keys an entry is matched by ((what, normalized text)): its name, aliases, former
    names and Wikidata item, each as written, with its line. An unnamed group ('investors')
    is generic, and an alias in common words only ('the startup', 'The company') describes
    rather than names: neither is matched."""
    if entry.values.get("type") == "Group":
        return []
    names = [(entry.values["name"], entry.lines.get("name", entry.line))]
    names += [(other, entry.lines.get(field, entry.line))
              for field in ("aliases", "former_names")
              for other in entry.values.get(field, []) if _proper(other)]
    keys = [(("name", " ".join(text.casefold().split())), text, line) for text, line in names]
    if "wikidata" in entry.values:
        keys.append((("wikidata", entry.values["wikidata"]), entry.values["wikidata"],
                     entry.lines.get("wikidata", entry.line)))
    return keys


def _proper(alias: str) -> bool:
    """Whether an alias is a name: past a leading article, it has a capital or a digit."""
    words = alias.split()
    if words and words[0].casefold() in ("the", "a", "an"):
        words = words[1:]
    return any(c.isupper() or c.isdigit() for c in "".join(words))


# ---------------------------------------------------------------- shown as written


def _at(sheet: FactSheet, line: int) -> Location:
    return Location(str(sheet.source.factsheet), line, sheet.source.slug)


def _shown(value) -> str:
    """A value as the fact sheet writes it; a time or a number with the article's words."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, TimeValue):
        if value.value is not None:
            when = value.value
        else:
            when = " ".join(f"{word} {bound}" for word, bound in
                            (("from", value.start), ("until", value.until)) if bound)
        return f"{when} ({_quoted(value.text)})" if when else _quoted(value.text)
    if isinstance(value, (Amount, Quantity)):
        return _quoted(value.text)
    return str(value)


def _quoted(text: str) -> str:
    return f"“{text}”"


def _a(word: str) -> str:
    return f"a{'n' if word[:1].lower() in 'aeiou' else ''} {word}"

