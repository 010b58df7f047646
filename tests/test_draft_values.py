"""kg.drafting.values: money and quantities found by rules in an article's text, in the fact
sheet's form, each loadable as the build loads it, and found again in the reviewed articles."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kg.drafting import values
from kg.drafting.text import sentences
from kg.drafting.values import Found, amounts, quantities
from kg.factsheet.fields import CURRENCIES
from kg.factsheet.values import PER_UNITS, QUALIFIERS, UNITS
from kg.factsheet.vocabulary import AMOUNT_ROLES
from kg.pipeline import load_sheets

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted([*(ROOT / "examples").glob("*.txt"), *(ROOT / "seeds").glob("*.txt")])


def one(found: list[Found]) -> dict:
    assert len(found) == 1, [f.item for f in found]
    return found[0].item


@pytest.mark.parametrize("sentence, value, currency, words", [
    ("Google agreed to buy Wiz for $32 billion.", 32_000_000_000, "USD", "$32 billion"),
    ("It plans a $1.4 trillion build-out.", 1_400_000_000_000, "USD", "$1.4 trillion"),
    ("Inflection was hired in a $650 million deal.", 650_000_000, "USD", "$650 million"),
    ("The fund raised US$5 bn this spring.", 5_000_000_000, "USD", "US$5 bn"),
    ("Siemens paid €2.5bn for the unit.", 2_500_000_000, "EUR", "€2.5bn"),
    ("Barclays took a £400m charge.", 400_000_000, "GBP", "£400m"),
    ("It paid $12.5 billion for Motorola.", 12_500_000_000, "USD", "$12.5 billion"),
    ("They spent 2 billion dollars on it.", 2_000_000_000, "USD", "2 billion dollars"),
    ("It raised C$300 million in Toronto.", 300_000_000, "CAD", "C$300 million"),
    ("It raised A$50 million in Sydney.", 50_000_000, "AUD", "A$50 million"),
    ("It raised HK$8 billion in Hong Kong.", 8_000_000_000, "HKD", "HK$8 billion"),
    ("It raised ¥500 billion in Tokyo.", 500_000_000_000, "JPY", "¥500 billion"),
    ("It raised EUR 2 billion.", 2_000_000_000, "EUR", "EUR 2 billion"),
    ("They paid $5B for it.", 5_000_000_000, "USD", "$5B"),
    ("They paid $10M for it.", 10_000_000, "USD", "$10M"),
    ("They paid $3,500,000 for it.", 3_500_000, "USD", "$3,500,000"),
    ("Shares closed at $356.70 on Monday.", 356.7, "USD", "$356.70"),
    ("It bought three billion euros of bonds.", 3_000_000_000, "EUR", "three billion euros"),
    ("It spent 2 billion Canadian dollars.", 2_000_000_000, "CAD", "2 billion Canadian dollars"),
    ("The backlog may top half a trillion dollars.", 500_000_000_000, "USD",
     "top half a trillion dollars"),
])
def test_money_formats_and_scales(sentence, value, currency, words):
    item = one(amounts(sentence))
    assert (item["value"], item["currency"], item["text"]) == (value, currency, words)
    assert type(item["value"]) is type(value)  # an int when whole: 650000000, not 6.5e8


@pytest.mark.parametrize("words, qualifier", [
    ("about $5 billion", "about"), ("roughly $5 billion", "about"),
    ("approximately $5 billion", "about"), ("around $5 billion", "about"),
    ("nearly $5 billion", "about"), ("almost $5 billion", "about"), ("some $5 billion", "about"),
    ("an estimated $5 billion", "about"), ("more than $5 billion", "more-than"),
    ("over $5 billion", "more-than"), ("upward of $5 billion", "more-than"),
    ("upwards of $5 billion", "more-than"), ("in excess of $5 billion", "more-than"),
    ("$5 billion-plus", "more-than"), ("exceed $5 billion", "more-than"),
    ("at least $5 billion", "at-least"), ("no less than $5 billion", "at-least"),
    ("up to $5 billion", "up-to"), ("as much as $5 billion", "up-to"),
    ("less than $5 billion", "less-than"), ("under $5 billion", "less-than"),
    ("below $5 billion", "less-than"),
])
def test_money_qualifiers_start_the_words(words, qualifier):
    sentence = f"The company said it would get {words} from the deal."
    found = amounts(sentence)
    item = one(found)
    assert item["text"] == words and item["qualifier"] == qualifier
    assert sentence[found[0].start:found[0].end] == words


def test_no_qualifier_word_means_no_qualifier_key():
    assert "qualifier" not in one(amounts("It paid $5 billion for the unit."))


@pytest.mark.parametrize("sentence, per, words", [
    ("The deal comes to about $60 billion a year.", "year", "about $60 billion a year"),
    ("The bid values it at $30 a share.", "share", "$30 a share"),
    ("The offer is $45 per share.", "share", "$45 per share"),
    ("It pays $2 million per month.", "month", "$2 million per month"),
    ("It pays $2 million annually.", "year", "$2 million annually"),
    ("It set a target of $1 billion in annual recurring revenue.", "year", "$1 billion"),
])
def test_per(sentence, per, words):
    item = one(amounts(sentence))
    assert item["per"] == per and item["text"] == words


@pytest.mark.parametrize("sentence, role", [
    ("A deal that values the startup at more than $29 billion.", "valuation"),
    ("Its previous valuation of about $14 billion was lower.", "valuation"),
    ("Nvidia said it would invest up to $100 billion in OpenAI.", "investment"),
    ("Meta is putting about $14.3 billion into Scale.", "investment"),
    ("Google agreed to acquire Wiz for $32 billion in cash.", "price"),
    ("Mandiant, which it bought for $5.4 billion in 2022.", "price"),
    ("It agreed to buy $300 billion of computing power.", "commitment"),
    ("OpenAI will purchase about $300 billion of computing power.", "commitment"),
    ("It pledged to invest $500 billion in data centers.", "commitment"),
    ("It would pay a reverse breakup fee of more than $3.2 billion.", "fee"),
    ("Google Cloud brought in $43.2 billion in revenue last year.", "revenue"),
    ("Scale had sales of about $870 million.", "revenue"),
    ("AGI is a system generating more than $100 billion in profits.", "profit"),
    ("Google spent about $150 million on data in 2024.", "spending"),
    ("Capex will reach $80 billion.", "spending"),
    ("SoftBank is leading a funding round of up to $40 billion.", "funding"),
    ("It raised $6 billion from investors.", "funding"),
    ("Its backlog rose to $455 billion.", "backlog"),
    ("Remaining performance obligations rose to $455 billion.", "backlog"),
    ("Its market value reached $3 trillion.", "market-value"),
    ("Its market cap is $2 trillion.", "market-value"),
    ("The merger would save $2 billion a year.", "savings"),
    ("It projects savings of $500 million.", "savings"),
    ("It expects the $19 billion purchase of WhatsApp to pay off.", "price"),
    ("Siemens paid €2.5bn for the unit, and Barclays took a £400m charge.", "price"),
])
def test_role_from_cues(sentence, role):
    item = amounts(sentence)[0].item
    assert item["role"] == role, item


def test_without_a_cue_the_role_is_left_out_with_a_note():
    [found] = amounts("The company had $5 billion.")
    assert "role" not in found.item and "description" not in found.item
    assert found.note == values.NOTE_ROLE


def test_a_range_is_two_amounts_each_noted():
    found = amounts("The deal is worth $10 billion to $20 billion.")
    assert [f.item["value"] for f in found] == [10_000_000_000, 20_000_000_000]
    assert all("range" in f.note for f in found)


def test_vague_amounts_are_bounds_with_a_note():
    found = amounts("It signed four multi-billion-dollar contracts worth multiple billions of "
                    "dollars.")
    assert [(f.item["value"], f.item["qualifier"]) for f in found] == [
        (1_000_000_000, "more-than"), (2_000_000_000, "at-least")]
    assert all("vague" in f.note for f in found)


def test_choices_are_the_schemas():
    assert {r for r, _ in values.ROLE_CUES} <= set(AMOUNT_ROLES)
    assert {q for q, _ in values.QUALIFIER_WORDS} <= set(QUALIFIERS)
    assert {u for u, _ in values.UNIT_WORDS} <= set(UNITS)
    assert set(values._PER_ADVERB.values()) <= set(PER_UNITS)
    assert {*values.SYMBOLS.values(), *values.CURRENCY_WORDS.values()} <= CURRENCIES


@pytest.mark.parametrize("sentence, value, unit, words", [
    ("Meta bought 49% of Scale AI.", 49, "percent", "49%"),
    ("Microsoft gets 20 percent of OpenAI's revenue.", 20, "percent", "20 percent"),
    ("The group owns 49 per cent of the venture.", 49, "percent", "49 per cent"),
    ("It will roll out 10 gigawatts of chips.", 10, "gigawatt", "10 gigawatts"),
    ("It would take about 4.5 gigawatts of power.", 4.5, "gigawatt", "about 4.5 gigawatts"),
    ("The first phase draws 1.2 GW of power.", 1.2, "gigawatt", "1.2 GW"),
    ("The plant adds 300 megawatts of power.", 300, "megawatt", "300 megawatts"),
    ("It runs over roughly five years.", 5, "year", "roughly five years"),
    ("They signed a five-year deal.", 5, "year", "five-year"),
    ("It takes six months to build.", 6, "month", "six months"),
    ("They worked on it for about 18 months.", 18, "month", "about 18 months"),
    ("The deals came in about three weeks.", 3, "week", "about three weeks"),
    ("Ten gigawatts is a lot of power.", 10, "gigawatt", "Ten gigawatts"),
    ("A 45-year-old executive joined.", 45, "year", "45-year-old"),
])
def test_quantities_with_units(sentence, value, unit, words):
    item = one(quantities(sentence))
    assert (item["value"], item["unit"], item["text"]) == (value, unit, words)


@pytest.mark.parametrize("sentence, value, counts, words", [
    ("It would power 4 million homes.", 4_000_000, "homes", "4 million homes"),
    ("That is what four million U.S. homes consume.", 4_000_000, "homes",
     "four million U.S. homes"),
    ("It employs 10,000 employees.", 10_000, "employees", "10,000 employees"),
    ("Google fights two Justice Department antitrust lawsuits.", 2, "lawsuits",
     "two Justice Department antitrust lawsuits"),
    ("It signed contracts with three different customers.", 3, "customers",
     "three different customers"),
    ("It runs more than 2 million chips.", 2_000_000, "chips", "more than 2 million chips"),
    ("AMD granted a warrant for up to 160 million AMD shares.", 160_000_000, "shares",
     "up to 160 million AMD shares"),
    ("Twenty-one firms bid for it.", 21, "firms", "Twenty-one firms"),
    ("Reuters cited five people familiar with the matter.", 5, "people", "five people"),
])
def test_counts(sentence, value, counts, words):
    item = one(quantities(sentence))
    assert (item["value"], item["unit"], item["counts"], item["text"]) == (
        value, "count", counts, words)


@pytest.mark.parametrize("sentence, words, qualifier", [
    ("Roughly 20% of its revenue goes to Microsoft.", "Roughly 20%", "about"),
    ("It keeps nearly 30 percent of its revenue.", "nearly 30 percent", "about"),
    ("It will hire as many as 5,000 engineers.", "as many as 5,000 engineers", "up-to"),
    ("It will deploy at least 10 gigawatts.", "at least 10 gigawatts", "at-least"),
    ("It will end the year with a little more than 2 gigawatts.",
     "a little more than 2 gigawatts", "more-than"),
    ("It pays a fee worth upward of 10% of the deal's value.", "upward of 10%", "more-than"),
    ("Fewer than 300 employees will move.", "Fewer than 300 employees", "less-than"),
])
def test_quantity_qualifiers(sentence, words, qualifier):
    item = one(quantities(sentence))
    assert (item["text"], item["qualifier"]) == (words, qualifier)


@pytest.mark.parametrize("sentence, words, measure", [
    ("Shares rose 39% on the news.", "rose 39%", "share price"),
    ("Broadcom shares jumped 9.9% on Monday.", "jumped 9.9%", "share price"),
    ("Remaining performance obligations rose 359% to $455 billion.", "rose 359%", None),
    ("Profit was 39% higher than expected.", "39%", "profit"),
    ("Google raised its valuation of Wiz by 39%.", "39%", "valuation"),
    ("Its valuation fell 12% this year.", "fell 12%", "valuation"),
    ("Revenue grew about 70% a year.", "about 70% a year", "revenue"),
    ("Oracle shares closed up 36% on Wednesday.", "up 36%", "share price"),
    ("It offers a premium of 27% to the close.", "premium of 27%", "premium"),
])
def test_a_percentage_that_is_a_change(sentence, words, measure):
    found = quantities(sentence)
    item = one(found)
    assert item["change"] is True and item["text"] == words and item["value"] > 0
    assert item.get("measure") == measure
    assert ("fell" in words) == bool(found[0].note and "a fall" in found[0].note)


@pytest.mark.parametrize("sentence, measure", [
    ("Meta takes a 49% stake in Scale AI.", "equity"),
    ("Meta agreed to buy 49% of Scale AI.", "equity"),
    ("OpenAI shares about 20% of its revenue with Microsoft.", "revenue"),
    ("The stake carries 10% of the voting power.", "voting power"),
    ("It holds 12% market share in cloud.", "market share"),
])
def test_a_percentage_measure_from_a_clear_cue(sentence, measure):
    item = one(quantities(sentence))
    assert "change" not in item and item["measure"] == measure


def test_a_percentage_without_a_cue_says_so():
    [found] = quantities("The figure was 49% in the end.")
    assert "measure" not in found.item and found.note == values.NOTE_MEASURE


@pytest.mark.parametrize("sentence", [
    "It was founded in 2026.", "The 2024 models sold well.", "On March 3 it said so.",
    "It filed on Jan. 20, 2025.", "The 3rd and 21st floors were let.",
    "It was the second-largest deal.", "Call 555-123-4567 today.", "The A380 and GPT-4 models.",
    "COVID-19 cases fell.", "One in 5 homes and 1 in 5 users have it.",
    "The two companies agreed and the three said so.", "It is one of the largest deals.",
    "It signed a multiyear agreement.", "It paid $5 billion for 2,000 acres.",
    "It is the stock's biggest one-day gain.",
])
def test_not_quantities(sentence):
    found = quantities(sentence)
    # "$5 billion" is money, "2,000 acres" a count: nothing else may be taken
    assert [f.item["text"] for f in found] in ([], ["2,000 acres"]), [f.item for f in found]


@pytest.mark.parametrize("sentence, value, change", [
    ("The valuation is roughly double the last one.", 2, True),
    ("Output is five times the output of the Hoover Dam.", 5, None),
    ("That stake would equal about a fifth of the valuation.", 0.2, None),
    ("Growth was 2x last year's.", 2, None),
    ("Its sales could fall by half after the patent expires.", 0.5, True),
])
def test_ratios(sentence, value, change):
    item = one(quantities(sentence))
    assert item["unit"] == "ratio" and item["value"] == value and item.get("change") == change


def test_an_age_as_news_writes_it():
    item = one(quantities("Wang, 28, is giving up the CEO role."))
    assert (item["value"], item["unit"], item["measure"], item["text"]) == (28, "year", "age",
                                                                            "28")


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_offsets_and_order(path):
    text = path.read_text()
    for found in (amounts(text), quantities(text)):
        assert [f.start for f in found] == sorted(f.start for f in found)
        for f in found:
            assert text[f.start:f.end] == f.item["text"]
            assert not any(k.startswith("_") or k == "description" for k in f.item)


def _gold(sheet) -> dict[str, list[dict]]:
    """The amounts and quantities of every entry of a reviewed fact sheet."""
    out: dict[str, list[dict]] = {"amounts": [], "quantities": []}

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k in out and isinstance(v, list):
                    out[k].extend(v)
                else:
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(sheet)
    return out


def _occurrences(text: str, words: str) -> list[tuple[int, int]]:
    at, out = text.find(words), []
    while at >= 0:
        out.append((at, at + len(words)))
        at = text.find(words, at + 1)
    return out


def _recall(kind: str) -> tuple[int, int, list[str]]:
    """How many of the reviewed articles' distinct items of `kind` are found with the same
    value (and currency or unit) where the article writes their words."""
    hits, total, missed = 0, 0, []
    for path in ARTICLES:
        text = path.read_text()
        found = (amounts if kind == "amounts" else quantities)(text)
        seen = set()
        for g in _gold(yaml.safe_load(path.with_suffix(".yaml").read_text()))[kind]:
            key = (g["text"], str(g["value"]), g.get("currency", g.get("unit")))
            if key in seen:
                continue
            seen.add(key)
            total += 1
            where = _occurrences(text, g["text"])
            same = [f for f in found
                    if Decimal(str(abs(f.item["value"]))) == Decimal(str(g["value"]))
                    and f.item.get("currency", f.item.get("unit")) == key[2]
                    and any(a < f.end and f.start < b for a, b in where)]
            hits += bool(same)
            if not same:
                missed.append(f"{path.stem}: {g['text']}")
    return hits, total, missed


def test_recall_of_money_on_the_reviewed_articles():
    hits, total, missed = _recall("amounts")
    assert hits / total >= 0.95, missed


def test_recall_of_quantities_on_the_reviewed_articles():
    # Misses: ordinals ("second-largest", "the second rewrite", "third major chip agreement"),
    # which are no quantities here.
    hits, total, missed = _recall("quantities")
    assert hits / total >= 0.9, missed


def _sheet(text: str, published, found: list[tuple[str, Found]]) -> dict:
    """A fact sheet of one event per value, quoting the value's sentence."""
    title = next(line for line in text.splitlines() if line.strip()).strip()
    spans = [(s.start, s.end) for s in sentences(text)]
    events = []
    for i, (field, f) in enumerate(found):
        a, b = next((a, b) for a, b in spans if a <= f.start < b)
        item = {k: v for k, v in f.item.items() if not k.startswith("_")}
        if item.get("unit") == "percent" and "measure" not in item:
            item["measure"] = "a share"  # the lead gives of or measure
        events.append({"id": f"event-{i}", "type": "Statement", "name": f"value {i}",
                       field: [item], "evidence": [{"quote": text[a:max(b, f.end)],
                                                    "reported": False}]})
    return {"article": {"title": title, "published": published, "language": "en"},
            "events": events}


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_every_value_loads_as_the_build_loads_it(path, tmp_path):
    text = path.read_text()
    published = yaml.safe_load(path.with_suffix(".yaml").read_text())["article"]["published"]
    found = [("amounts", f) for f in amounts(text)] + [("quantities", f)
                                                       for f in quantities(text)]
    (tmp_path / "draft.txt").write_text(text)
    (tmp_path / "draft.yaml").write_text(yaml.safe_dump(_sheet(text, published, found),
                                                        allow_unicode=True, sort_keys=False))
    [sheet] = load_sheets([tmp_path / "draft.txt"])
    assert len(sheet.entries) == len(found)


def test_fast():
    texts = [p.read_text() for p in ARTICLES]
    amounts(texts[0])
    for text in texts:
        start = time.perf_counter()
        amounts(text)
        quantities(text)
        assert time.perf_counter() - start < 0.3
