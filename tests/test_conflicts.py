"""Conflicts across the articles of a build (kg.conflicts): the fixture corpora that contradict
themselves on purpose, one per kind, each conflict with both files and lines; and the rules
by which times, amounts and quantities agree (by meaning) and names and choices (by text)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest

from kg import conflicts, factsheet
from kg.conflicts import Conflict, Location
from kg.factsheet import scalars
from kg.factsheet.model import Amount, ArticleMeta, Entry, FactSheet, Quantity, TimeValue
from kg.sources import Source, discover

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "conflicts"


def corpus(kind: str) -> list[FactSheet]:
    return [factsheet.load(s) for s in discover([FIXTURES / kind])]


def line(kind: str, slug: str, text: str, after: str | None = None) -> Location:
    """Where the exact line `text` stands in a fixture's fact sheet (the first after the line
    `after`)."""
    path = FIXTURES / kind / f"{slug}.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(after) + 1 if after else 0
    return Location(str(path), lines.index(text, start) + 1, slug)


def found(kind: str) -> list[tuple]:
    return [(c.kind, c.ids, c.field, c.values, c.locations) for c in conflicts.find(corpus(kind))]


# ---------------------------------------------------------------- the fixture corpora


def test_one_entity_given_two_kinds():
    assert found("kind") == [
        ("kind", ("stone",), "kind", ("organization", "person"),
         (line("kind", "march-report", "  - id: stone"),
          line("kind", "may-report", "  - id: stone"))),
        ("kind", ("northwind-contoso-deal",), "type", ("Partnership", "Acquisition"),
         (line("kind", "march-report", "    type: Partnership"),
          line("kind", "may-report", "    type: Acquisition"))),
    ]


def test_two_wikidata_items():
    assert found("wikidata") == [
        ("wikidata", ("northwind",), "wikidata", ("Q1000001", "Q1000002"),
         (line("wikidata", "march-report", "    wikidata: Q1000001"),
          line("wikidata", "may-report", "    wikidata: Q1000002"))),
    ]


def test_two_dates_of_one_event_that_do_not_overlap():
    # The launch, 2025-03 in one and 2025-03-03 in the other, agrees.
    assert found("date") == [
        ("date", ("partnership-signing",), "time",
         ("2025-02 (“in February 2025”)", "2025-01-15 (“January 15, 2025”)"),
         (line("date", "march-report", "    time:", after="  - id: partnership-signing"),
          line("date", "may-report", "    time:", after="  - id: partnership-signing"))),
    ]


def test_two_values_of_single_valued_fields():
    # The valuations, "about $5 billion" and "$5.3 billion", agree.
    assert found("value") == [
        ("value", ("northwind-contoso-deal",), "amounts (price)",
         ("“$2 billion”", "“$2.4 billion”"),
         (line("value", "march-report", "      - value: 2000000000"),
          line("value", "may-report", "      - value: 2400000000"))),
        ("value", ("contoso-stake",), "quantities (percent of contoso)", ("“20%”", "“25%”"),
         (line("value", "march-report", "      - value: 20"),
          line("value", "may-report", "      - value: 25"))),
        ("value", ("ledger-exclusivity",), "ends",
         ("2028 (“through 2028”)", "2030 (“through 2030”)"),
         (line("value", "march-report", "    ends:"), line("value", "may-report", "    ends:"))),
    ]


def test_probable_duplicates_across_articles_and_within_one():
    assert found("duplicate") == [
        ("duplicate", ("northwind", "northwind-corp"), "name", ("Northwind", "Northwind"),
         (line("duplicate", "march-report", "    name: Northwind"),
          line("duplicate", "may-report", "    aliases: [Northwind]"))),
        ("duplicate", ("dana-reyes", "reyes"), "name", ("Reyes", "Reyes"),
         (line("duplicate", "may-report", "    aliases: [Reyes]"),
          line("duplicate", "may-report", "    name: Reyes"))),
    ]


def test_a_corpus_that_agrees_with_itself_has_no_conflict():
    # A month and a day in it, "about $2 billion" and "$2.1 billion", two descriptions.
    assert found("none") == []


def test_each_conflict_reads_as_one_line_with_both_places():
    stone, deal = map(str, conflicts.find(corpus("kind")))
    a = line("kind", "march-report", "    type: Partnership")
    b = line("kind", "may-report", "    type: Acquisition")
    assert deal == (f"{a.file}:{a.line} and {b.file}:{b.line}: agreement "
                    "'northwind-contoso-deal' is a Partnership in march-report, an Acquisition "
                    "in may-report")
    assert stone.endswith(": 'stone' is an organization in march-report, a person in "
                          "may-report")
    assert all("\n" not in str(c) for kind in conflicts.KINDS
               for c in conflicts.find(corpus(kind)))


@pytest.mark.parametrize("kind", conflicts.KINDS)
def test_the_order_does_not_depend_on_the_order_of_the_sheets(kind):
    sheets = corpus(kind)
    assert conflicts.find(sheets) == conflicts.find(sheets[::-1])


# ---------------------------------------------------------------- the rules, on sheets made here


def sheet(slug: str, *entries: Entry, published: str = "2025-05-01") -> FactSheet:
    source = Source(slug, Path(f"{slug}.txt"), Path(f"{slug}.yaml"))
    meta = ArticleMeta(slug, dt.date.fromisoformat(published), "en", None, [], None, 1)
    return FactSheet(source, "", "", meta, {e.id: e for e in entries})


def entry(kind: str, id: str, line: int = 10, **values) -> Entry:
    values = {"id": id, "name": values.pop("name", id.title()), **values}
    return Entry(kind, id, line, values, {k: line + i for i, k in enumerate(values)})


def when(written: str | None = None, start: str | None = None, until: str | None = None,
         text: str = "some time") -> TimeValue:
    precision = scalars.precision(written) if written else None
    return TimeValue(written, precision, text, False, 20, start, until)


def money(value: str, qualifier: str = "exact", role: str | None = "price", currency="USD",
          text: str | None = None) -> Amount:
    return Amount(Decimal(value), currency, text or f"${value}", None, 30, qualifier, role)


def between(kind: str, one: dict, two: dict, id: str = "x") -> list[Conflict]:
    return conflicts.find([sheet("a", entry(kind, id, **one), published="2025-01-01"),
                           sheet("b", entry(kind, id, **two))])


@pytest.mark.parametrize("one, two, conflict", [
    (when("2025-01"), when("2025-01-21"), False),
    (when("2025-01"), when("2025-02-03"), True),
    (when("2025"), when("2025-12-31"), False),
    (when("2024-12-31"), when("2025-01-01"), True),
    (when(start="2025-03", until="2025-06"), when("2025-06-30"), False),
    (when(start="2025-03", until="2025-06"), when("2025-07-01"), True),
    (when(start="2027"), when("2026"), True),
    (when(until="2026"), when("2026-12"), False),
    (when(start="2025-01", until="2025-02"), when(start="2025-02-28", until="2026"), False),
    (when(text="months ago"), when("1999"), False),  # placed nowhere: contradicts nothing
])
def test_times_agree_when_their_periods_overlap(one, two, conflict):
    assert bool(between("event", {"time": one}, {"time": two})) is conflict
    kinds = {c.kind for c in between("clause", {"ends": one}, {"ends": two})}
    assert kinds == ({"value"} if conflict else set())


@pytest.mark.parametrize("one, two, conflict", [
    (money("100"), money("100"), False),
    (money("100"), money("101"), True),
    (money("100", "about"), money("110"), False),
    (money("100", "about"), money("111"), True),
    (money("100", "about"), money("90", "about"), False),
    (money("100", "more-than"), money("500"), False),
    (money("100", "at-least"), money("99"), True),
    (money("100", "up-to"), money("100"), False),
    (money("100", "less-than"), money("150", "about"), True),
    (money("100", "up-to"), money("50", "more-than"), False),
    (money("100"), money("300", role="valuation"), False),  # not the same thing measured
    (money("100"), money("300", currency="EUR"), False),
    (money("100", role="other"), money("300", role="other"), False),  # of things unnamed
    (money("100", role=None), money("300", role=None), True),
])
def test_amounts_agree_when_their_ranges_meet(one, two, conflict):
    assert bool(between("agreement", {"amounts": [one]}, {"amounts": [two]})) is conflict


def test_an_amount_that_agrees_with_one_of_the_others_is_no_conflict():
    one = {"amounts": [money("100")]}
    assert between("agreement", one, {"amounts": [money("100"), money("40")]}) == []
    [conflict] = between("agreement", one, {"amounts": [money("40")]})
    assert conflict.values == ("“$100”", "“$40”")


def share(value: str, qualifier: str = "exact", **kw) -> Quantity:
    return Quantity(Decimal(value), kw.pop("unit", "percent"), f"{value}%", 40, qualifier,
                    **{"of": "y", **kw})


@pytest.mark.parametrize("one, two, conflict", [
    (share("49"), share("49"), False),
    (share("49"), share("51"), True),
    (share("49", "about"), share("52"), False),
    (share("49", "more-than"), share("60"), False),
    (share("49"), share("51", of="z"), False),
    (share("49", measure="equity"), share("51", measure="voting power"), False),
    (share("49", measure="equity"), share("51", measure="Equity"), True),
    (share("49"), share("51", recipient="r"), False),
    (share("49"), share("51", unit="ratio"), False),
])
def test_quantities_of_the_same_measure_agree_when_their_ranges_meet(one, two, conflict):
    assert bool(between("clause", {"quantities": [one]}, {"quantities": [two]})) is conflict


@pytest.mark.parametrize("kind, field, one, two", [
    ("organization", "parent", "p", "q"),
    ("product", "owner", "p", "q"),
    ("agreement", "buyer", "p", "q"),
    ("clause", "agreement", "p", "q"),
    ("clause", "supersedes", "p", "q"),
    ("clause", "holder", "p", "q"),
    ("event", "planned", True, False),
    ("event", "concerns", "p", "q"),
    ("person", "name", "Ann Lee", "Ann Li"),
])
def test_two_values_of_a_single_valued_field(kind, field, one, two):
    [conflict] = between(kind, {field: one}, {field: two})
    assert (conflict.kind, conflict.field, conflict.entity) == ("value", field, kind)
    assert conflict.values == tuple("true" if v is True else "false" if v is False else v
                                    for v in (one, two))
    assert [loc.file for loc in conflict.locations] == ["a.yaml", "b.yaml"]


@pytest.mark.parametrize("kind, field, one, two", [
    ("organization", "description", "A maker of chips.", "Chip designer."),
    # Where the deal stands when each article is written: news, not a conflict.
    ("agreement", "status", "Talks", "Definitive"),
    ("agreement", "binding", True, False),
    ("agreement", "instrument", "TermSheet", "Contract"),
    ("organization", "aliases", ["P"], ["Q"]),
    ("agreement", "parties", ["p", "q"], ["p", "q", "r"]),
    ("clause", "grants_right_to", ["p"], ["q"]),
    ("event", "participants", ["p"], ["q"]),
])
def test_descriptions_statuses_and_lists_are_no_conflict(kind, field, one, two):
    assert between(kind, {field: one}, {field: two}) == []


def test_a_type_and_its_superclass_agree():
    assert between("organization", {"type": "Regulator"}, {"type": "GovernmentBody"}) == []
    [conflict] = between("organization", {"type": "Regulator"}, {"type": "Company"})
    assert (conflict.kind, conflict.values) == ("kind", ("Regulator", "Company"))


def test_a_field_one_article_leaves_out_is_no_conflict():
    assert between("agreement", {"buyer": "p"}, {}) == []


def test_a_value_in_one_article_only_is_never_compared_with_itself():
    twice = entry("agreement", "x", amounts=[money("100"), money("900")])
    assert conflicts.find([sheet("a", twice)]) == []


def test_an_id_of_two_kinds_is_one_conflict_not_one_per_field():
    [conflict] = conflicts.find([sheet("a", entry("organization", "x", wikidata="Q1")),
                                 sheet("b", entry("person", "x", wikidata="Q2"))])
    assert (conflict.kind, conflict.field, conflict.values) == ("kind", "kind",
                                                                ("organization", "person"))


def test_the_earlier_article_comes_first():
    later = sheet("a-later", entry("agreement", "x", buyer="q"), published="2025-09-01")
    earlier = sheet("z-earlier", entry("agreement", "x", buyer="p"), published="2025-01-01")
    [conflict] = conflicts.find([later, earlier])
    assert conflict.values == ("p", "q")
    assert [loc.slug for loc in conflict.locations] == ["z-earlier", "a-later"]


def test_three_articles_give_a_conflict_for_each_pair_that_disagrees():
    sheets = [sheet(f"s{i}", entry("agreement", "x", buyer=buyer), published=f"2025-0{i}-01")
              for i, buyer in enumerate(["p", "p", "q"], 1)]
    assert [(c.locations[0].slug, c.locations[1].slug) for c in conflicts.find(sheets)] == \
        [("s1", "s3"), ("s2", "s3")]


# ---------------------------------------------------------------- probable duplicates


def duplicates(*sheets: FactSheet) -> list[tuple]:
    return [(c.ids, c.field, c.values) for c in conflicts.find(list(sheets))
            if c.kind == "duplicate"]


def test_names_match_case_and_spacing_aside():
    assert duplicates(sheet("a", entry("organization", "nvidia", name="Nvidia")),
                      sheet("b", entry("organization", "nvidia-corp", name="NVIDIA"))) == \
        [(("nvidia", "nvidia-corp"), "name", ("Nvidia", "NVIDIA"))]
    assert duplicates(sheet("a", entry("person", "a", name="Ann  Lee"),
                            entry("person", "b", aliases=["ANN LEE"], name="A. Lee"))) == \
        [(("a", "b"), "name", ("Ann  Lee", "ANN LEE"))]


def test_a_former_name_matches_too():
    assert duplicates(sheet("a", entry("organization", "facebook", name="Facebook")),
                      sheet("b", entry("organization", "meta", name="Meta",
                                       former_names=["Facebook"]))) == \
        [(("facebook", "meta"), "name", ("Facebook", "Facebook"))]


def test_a_shared_wikidata_item_is_a_duplicate_told_once_with_its_name():
    assert duplicates(sheet("a", entry("product", "azure", name="Azure", wikidata="Q1")),
                      sheet("b", entry("product", "ms-azure", name="Microsoft Azure",
                                       wikidata="Q1"))) == \
        [(("azure", "ms-azure"), "wikidata", ("Q1", "Q1"))]
    assert duplicates(sheet("a", entry("product", "azure", name="Azure", wikidata="Q1")),
                      sheet("b", entry("product", "ms-azure", name="Azure", wikidata="Q1"))) == \
        [(("azure", "ms-azure"), "name", ("Azure", "Azure"))]


def test_no_duplicate_across_kinds_groups_or_common_words():
    assert duplicates(sheet("a", entry("organization", "openai", name="OpenAI"),
                            entry("product", "openai-product", name="OpenAI"))) == []
    assert duplicates(sheet("a", entry("organization", "a", name="investors", type="Group")),
                      sheet("b", entry("organization", "b", name="investors", type="Group"))) == []
    assert duplicates(sheet("a", entry("organization", "a", aliases=["the startup"])),
                      sheet("b", entry("organization", "b", aliases=["The startup"]))) == []
    assert duplicates(sheet("a", entry("organization", "a", aliases=["the ChatGPT maker"])),
                      sheet("b", entry("organization", "b", aliases=["the ChatGPT maker"]))) \
        == [(("a", "b"), "name", ("the ChatGPT maker", "the ChatGPT maker"))]


def test_one_id_in_two_articles_is_no_duplicate():
    assert duplicates(sheet("a", entry("organization", "x", name="X")),
                      sheet("b", entry("organization", "x", name="X"))) == []


# ---------------------------------------------------------------- many articles of one entity


def _pairwise(sheets: list[FactSheet]) -> list[Conflict]:
    """find as it was: every pair of entries of one id compared, then sorted by sort_key."""
    ordered = sorted(sheets, key=lambda s: (s.article.published, str(s.source.factsheet)))
    claims: dict[str, list] = {}
    for s in ordered:
        for e in s.entries.values():
            claims.setdefault(e.id, []).append((s, e))
    found = [c for same in claims.values() for (sa, a), (sb, b) in
             itertools.combinations(same, 2) for c in conflicts._between(sa, a, sb, b)]
    return sorted(found + conflicts._duplicates(ordered), key=Conflict.sort_key)


def test_entries_grouped_by_what_they_say_conflict_as_every_pair_does():
    # Many articles alike, some apart: the groups compare as all the pairs would.
    times = [when("2025-01"), when("2025-01-21"), when("2025-03"),
             when(start="2027", until="2026"),  # a span that does not meet itself
             None]
    amounts = [[money("10")], [money("10", text="$10.0")], [money("12")], [money("10"),
                                                                            money("30")]]
    sheets = []
    for n in range(40):
        values = {"type": ("Acquisition", "Partnership")[n % 7 == 0],
                  "amounts": amounts[n % len(amounts)]}
        time = {"time": times[n % len(times)]} if times[n % len(times)] else {}
        sheets.append(sheet(f"s{n:02d}", entry("agreement", "deal", line=5 + n, **values),
                            entry("event", "ev", line=40, type="Announcement", **time),
                            entry("organization", "org", line=2, wikidata=f"Q{1 + n % 3}"),
                            entry("organization", f"o{n}", name="Same Name"),
                            published=f"2025-0{1 + n % 9}-01"))
    expected = _pairwise(sheets)
    assert {c.kind for c in expected} == {"kind", "wikidata", "value", "date", "duplicate"}
    assert conflicts.find(sheets) == expected
    assert [c.describe() for c in conflicts.find(sheets[::-1])] == \
        [c.describe() for c in expected]


def test_a_value_that_cannot_be_keyed_is_compared_pair_by_pair():
    odd = [entry("agreement", "deal", line=n, type="Acquisition", status=["x"]) for n in (1, 2)]
    sheets = [sheet(f"s{n}", e) for n, e in enumerate(odd)]
    assert conflicts.find(sheets) == _pairwise(sheets)


def test_find_leaves_the_garbage_collector_as_it_was():
    import gc
    assert gc.isenabled()
    conflicts.find(corpus("duplicate"))
    assert gc.isenabled()
    gc.disable()
    try:
        conflicts.find(corpus("duplicate"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_duplicate_made_without_init_is_a_conflict_like_any():
    at = (Location("a.yaml", 1, "a"), Location("b.yaml", 2, "b"))
    made = conflicts._made("duplicate", "person", ("x", "y"), "name", ("X", "Y"), at)
    usual = Conflict("duplicate", "person", ("x", "y"), "name", ("X", "Y"), at)
    assert made == usual and hash(made) == hash(usual) and repr(made) == repr(usual)
    assert made.describe() == usual.describe()
    with pytest.raises(AttributeError):
        made.kind = "other"  # still frozen
