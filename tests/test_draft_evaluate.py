"""Tests of the scoring of a draft fact sheet against a reviewed one (kg draft --eval)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from kg.drafting.evaluate import KINDS, Score, as_json, evaluate, misses, table

ROOT = Path(__file__).resolve().parent.parent
SHEETS = sorted([*(ROOT / "examples").glob("*.yaml"), *(ROOT / "seeds").glob("*.yaml")])

TEXT = (
    "Northwind Robotics agreed to buy Lumen Labs for $2.5 billion, the companies said on "
    "Tuesday. The deal gives Northwind an exclusive licence to Lumen's vision software through "
    "2030. Lumen Chief Executive Ada Brook will join Northwind. Northwind will own 100% of "
    "Lumen, which has about 300 employees. The buyer also agreed to pay a $100 million fee if "
    "regulators block the deal, according to people familiar with the matter.\n")


def gold_sheet() -> dict:
    """A small reviewed sheet of TEXT."""
    return {
        "article": {"title": "Northwind Robotics agreed to buy Lumen Labs",
                    "published": "2025-06-12", "language": "en"},
        "organizations": [
            {"id": "northwind", "name": "Northwind Robotics", "aliases": ["Northwind"],
             "wikidata": "Q1001", "evidence": ["Northwind Robotics agreed to buy Lumen Labs"]},
            {"id": "lumen", "name": "Lumen Labs", "aliases": ["Lumen"],
             "evidence": ["Northwind Robotics agreed to buy Lumen Labs"],
             "quantities": [{"value": 300, "unit": "count", "text": "about 300 employees",
                             "qualifier": "about"}]},
        ],
        "people": [{"id": "ada-brook", "name": "Ada Brook",
                    "evidence": ["Lumen Chief Executive Ada Brook will join Northwind"]}],
        "products": [{"id": "lumen-vision", "name": "Lumen vision software",
                      "aliases": ["Lumen's vision software"],
                      "evidence": ["an exclusive licence to Lumen's vision software"]}],
        "agreements": [{
            "id": "acquisition", "type": "Acquisition", "name": "Northwind buys Lumen",
            "parties": ["northwind", "lumen"],
            "amounts": [{"value": 2500000000, "currency": "USD", "text": "$2.5 billion"}],
            "evidence": ["Northwind Robotics agreed to buy Lumen Labs for $2.5 billion"]}],
        "clauses": [
            {"id": "licence", "type": "Licence", "agreement": "acquisition",
             "name": "Exclusive licence", "ends": {"year": 2030, "text": "through 2030"},
             "evidence": ["The deal gives Northwind an exclusive licence to Lumen's vision "
                          "software through 2030."]},
            {"id": "stake", "type": "EquityStake", "agreement": "acquisition",
             "name": "Full ownership",
             "quantities": [{"value": 100, "unit": "percent", "text": "100%", "of": "lumen"}],
             "evidence": ["Northwind will own 100% of Lumen"]},
            {"id": "break-fee", "type": "Fee", "agreement": "acquisition",
             "name": "Break fee",
             "amounts": [{"value": "100_000_000", "currency": "USD", "text": "$100 million"}],
             "evidence": [{"quote": "The buyer also agreed to pay a $100 million fee if "
                                    "regulators block the deal, according to people familiar "
                                    "with the matter.", "reported": True}]},
        ],
        "events": [
            {"id": "announcement", "type": "Announcement", "name": "Deal announced",
             "time": {"date": "2025-06-10", "text": "on Tuesday", "relative": True},
             "evidence": ["agreed to buy Lumen Labs for $2.5 billion, the companies said on "
                          "Tuesday"]},
            {"id": "hiring", "type": "Hiring", "name": "Ada Brook joins Northwind",
             "evidence": ["Lumen Chief Executive Ada Brook will join Northwind."]},
        ],
    }


def score(draft: dict, gold: dict | None = None, text: str = TEXT) -> dict[str, Score]:
    return {s.kind: s for s in evaluate(draft, gold or gold_sheet(), text)}


def load(path: Path) -> tuple[dict, str]:
    return yaml.safe_load(path.read_text(encoding="utf-8")), \
        path.with_suffix(".txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- a sheet against itself


@pytest.mark.parametrize("path", SHEETS, ids=lambda p: p.stem)
def test_a_reviewed_sheet_scores_perfectly_against_itself(path):
    gold, text = load(path)
    scores = evaluate(copy.deepcopy(gold), gold, text)
    assert [s.kind for s in scores] == list(KINDS)
    for s in scores:
        assert s.false_positives == s.false_negatives == 0, (s.kind, s.missed, s.spurious)
        if s.gold:
            assert s.precision == s.recall == 1.0
        else:
            assert s.precision is None and s.recall is None


def test_the_small_sheet_has_every_kind():
    assert all(s.gold for s in evaluate(gold_sheet(), gold_sheet(), TEXT))


def test_the_same_input_gives_the_same_output():
    gold, text = load(SHEETS[0])
    draft = copy.deepcopy(gold)
    del draft["events"][::3]
    assert as_json(evaluate(draft, gold, text)) == as_json(evaluate(draft, gold, text))


# ---------------------------------------------------------------- fewer and more items


@pytest.mark.parametrize("path", SHEETS, ids=lambda p: p.stem)
@pytest.mark.parametrize("section", ["organizations", "people", "products", "agreements",
                                     "clauses", "events"])
def test_removing_entries_lowers_recall_by_their_count(path, section):
    gold, text = load(path)
    draft = copy.deepcopy(gold)
    entries = draft.get(section) or []
    removed = min(2, len(entries))
    del entries[:removed]
    s = score(draft, gold, text)[section]
    assert s.false_negatives == removed and s.true_positives == s.gold - removed
    assert s.false_positives == 0
    if s.gold:
        assert s.recall == (s.gold - removed) / s.gold


def _drop_values(sheet: dict, field: str, keep) -> None:
    for section in ("organizations", "people", "products", "agreements", "clauses", "events"):
        for entry in sheet.get(section) or []:
            if field in entry:
                entry[field] = [v for v in entry[field] if keep(v)]


@pytest.mark.parametrize("path", SHEETS, ids=lambda p: p.stem)
def test_removing_a_value_everywhere_lowers_recall_by_one(path):
    gold, text = load(path)
    before = score(gold, gold, text)
    first = next(a for e in gold["agreements"] + gold["clauses"] + gold["events"]
                 + gold["organizations"] for a in e.get("amounts") or [])
    draft = copy.deepcopy(gold)
    _drop_values(draft, "amounts", lambda a: a["value"] != first["value"])
    money = score(draft, gold, text)["money"]
    assert money.true_positives == before["money"].gold - 1
    assert money.false_negatives == 1 and money.false_positives == 0
    assert money.missed[0].startswith(first["text"])


def test_removing_times_and_claims_lowers_recall_by_their_count():
    draft = gold_sheet()
    del draft["events"][0]["time"]
    draft["clauses"][2]["evidence"][0]["reported"] = False
    s = score(draft)
    assert (s["times"].true_positives, s["times"].false_negatives) == (1, 1)
    assert s["times"].missed == ("date 2025-06-10 (on Tuesday)",)
    assert (s["claims"].true_positives, s["claims"].false_negatives) == (0, 1)
    assert s["claims"].recall == 0.0 and s["claims"].precision is None


@pytest.mark.parametrize("path", SHEETS, ids=lambda p: p.stem)
def test_spurious_items_lower_precision(path):
    gold, text = load(path)
    draft = copy.deepcopy(gold)
    draft["organizations"].append({"id": "acme", "name": "Acme Widgets",
                                   "evidence": ["no such quote"]})
    # A second event on the quotes of the first: one to one, only one of them matches.
    draft["events"].append({**copy.deepcopy(draft["events"][0]), "id": "again"})
    draft["events"][0].setdefault("amounts", []).append(
        {"value": 12345, "currency": "USD", "text": "$12,345"})
    s = score(draft, gold, text)
    for kind in ("organizations", "events", "money"):
        assert s[kind].false_positives == 1 and s[kind].recall == 1.0
        assert s[kind].precision == s[kind].gold / (s[kind].gold + 1)
    assert s["organizations"].spurious == ("Acme Widgets",)


# ---------------------------------------------------------------- matching rules


def test_entities_match_by_alias_former_name_and_a_leading_the():
    gold = gold_sheet()
    gold["organizations"][1]["former_names"] = ["Lumen Vision Inc."]
    draft = gold_sheet()
    draft["organizations"][0]["name"] = "The Northwind"  # an alias of the reviewed entry
    draft["organizations"][0]["aliases"] = []
    draft["organizations"][1].update(name="LUMEN VISION INC.", aliases=[])
    draft["products"][0].update(name="Lumen\u2019s  vision software", aliases=[])
    s = score(draft, gold)
    for kind in ("organizations", "products"):
        assert s[kind].true_positives == s[kind].gold


def test_entities_match_by_wikidata():
    draft = gold_sheet()
    draft["organizations"][0].update(name="NW Robotics Corp", aliases=[])
    assert score(draft)["organizations"].true_positives == 2
    draft["organizations"][0]["wikidata"] = "Q9999"
    s = score(draft)["organizations"]
    assert s.true_positives == 1 and s.missed == ("Northwind Robotics",)
    assert s.spurious == ("NW Robotics Corp",)


def test_an_entity_matches_once():
    draft = gold_sheet()
    draft["organizations"].append({"id": "northwind-2", "name": "Northwind",
                                   "evidence": ["Northwind Robotics agreed to buy"]})
    s = score(draft)["organizations"]
    assert (s.true_positives, s.false_positives) == (2, 1)


@pytest.mark.parametrize("value", ["2500000000", "2_500_000_000", "2.5e9", 2.5e9,
                                   "2500000000.00", 2500000000])
def test_values_are_equal_across_text_and_numbers(value):
    draft = gold_sheet()
    draft["agreements"][0]["amounts"][0]["value"] = value
    draft["clauses"][2]["amounts"][0]["value"] = 100000000  # the reviewed one is text
    draft["clauses"][1]["quantities"][0]["value"] = "100.0"
    s = score(draft)
    assert s["money"].true_positives == 2 and s["percentages"].true_positives == 1


def test_money_needs_the_same_currency_not_the_same_qualifier():
    draft = gold_sheet()
    draft["agreements"][0]["amounts"][0].update(qualifier="about", role="price")
    draft["clauses"][2]["amounts"][0]["currency"] = "EUR"
    s = score(draft)["money"]
    assert s.true_positives == 1 and s.missed == ("$100 million = 100000000 USD",)
    assert s.spurious == ("$100 million = 100000000 EUR",)


def test_percentages_and_quantities_are_kept_apart():
    draft = gold_sheet()
    draft["clauses"][1]["quantities"][0]["unit"] = "count"
    draft["organizations"][1]["quantities"][0]["unit"] = "percent"
    s = score(draft)
    assert s["percentages"].true_positives == s["quantities"].true_positives == 0
    assert s["percentages"].false_positives == s["quantities"].false_positives == 1


def test_a_time_of_another_precision_is_a_miss_with_a_hint():
    draft = gold_sheet()
    draft["events"][0]["time"] = {"month": "2025-06", "text": "on Tuesday"}
    draft["clauses"][0]["ends"] = {"until": 2030, "text": "through 2030"}
    s = score(draft)["times"]
    assert (s.true_positives, s.false_positives, s.false_negatives) == (0, 2, 2)
    assert s.missed == (
        "year 2030 (through 2030); drafted as until 2030, only the precision differs",
        "date 2025-06-10 (on Tuesday); drafted as month 2025-06, only the precision differs")


def test_times_from_yaml_dates_and_numbers_match_their_text():
    gold = yaml.safe_load("events: [{id: a, type: Announcement, name: A, evidence: [x],"
                          " time: {date: 2025-06-10, text: t}}, {id: b, type: Announcement,"
                          " name: B, evidence: [y], time: {from: 2026-07, until: 2029, text: u}}]")
    draft = {"events": [{"time": {"date": "2025-06-10", "text": "t"}},
                        {"time": {"from": "2026-07", "until": "2029", "text": "u"}}]}
    s = score(draft, gold)["times"]
    assert s.true_positives == 2 and not s.missed


def test_agreement_parties_map_through_entity_matching():
    draft = gold_sheet()
    draft["organizations"][0]["id"] = "nw"
    draft["organizations"][1]["id"] = "lumen-labs"
    draft["agreements"][0].update(parties=["lumen-labs", "nw"], evidence=["for $2.5 billion"])
    assert score(draft)["agreements"].true_positives == 1
    # The reviewed ids, named by the draft for other entities, are other parties.
    draft["organizations"][0]["id"] = "northwind"
    draft["organizations"][1].update(id="lumen", name="Lumen Holdings", aliases=[])
    draft["agreements"][0]["parties"] = ["northwind", "lumen"]
    s = score(draft)["agreements"]
    assert s.true_positives == 0
    assert s.missed == ("Northwind buys Lumen (lumen, northwind)",)


def test_agreements_with_the_same_parties_pair_by_their_quotes():
    gold = gold_sheet()
    gold["agreements"].append({"id": "licence-deal", "type": "Licensing", "name": "Licence",
                               "parties": ["lumen", "northwind"],
                               "evidence": ["an exclusive licence to Lumen's vision software"]})
    draft = copy.deepcopy(gold)
    draft["agreements"].reverse()
    for a in draft["agreements"]:
        a["name"] = "drafted " + a["id"]
    draft["agreements"][0]["type"] = "Partnership"
    s = score(draft, gold)["agreements"]
    assert s.true_positives == 2
    # One drafted agreement on the licence's quotes: the acquisition is the one missed.
    del draft["agreements"][1]
    s = score(draft, gold)["agreements"]
    assert s.true_positives == 1
    assert s.missed == ("Northwind buys Lumen (lumen, northwind)",)


def test_clauses_need_the_same_type_and_overlapping_evidence():
    draft = gold_sheet()
    draft["clauses"][0]["evidence"] = ["an exclusive licence to Lumen's vision"]
    draft["clauses"][1]["type"] = "Governance"
    draft["clauses"][2]["evidence"] = ["Northwind will own 100% of Lumen"]  # another sentence
    s = score(draft)["clauses"]
    assert s.true_positives == 1
    assert s.missed == ("EquityStake: Full ownership", "Fee: Break fee")


def test_events_match_by_overlapping_evidence_in_any_case_and_spacing():
    draft = gold_sheet()
    draft["events"][0].update(type="Statement", evidence=["the companies  said on TUESDAY"])
    draft["events"][1]["evidence"] = ["no such words in the article"]
    s = score(draft)["events"]
    assert s.true_positives == 1 and s.spurious == ("Hiring: Ada Brook joins Northwind",)


def test_claims_match_by_overlapping_reported_quotes():
    draft = gold_sheet()
    draft["clauses"][2]["evidence"] = ["The buyer also agreed to pay a $100 million fee"]
    draft["events"][1]["evidence"] = [{"quote": "if regulators block the deal, according to "
                                                "people familiar", "reported": True},
                                      {"quote": "according to people familiar with the matter",
                                       "reported": True}]
    s = score(draft)["claims"]
    # Overlapping quotes of one sheet are one claim.
    assert (s.true_positives, s.false_positives, s.false_negatives) == (1, 0, 0)


def test_keys_with_an_underscore_are_ignored():
    draft = gold_sheet()
    draft["_rules"] = {"organizations": [{"id": "x", "name": "X"}]}
    draft["organizations"][0]["_note"] = "a suffix"
    draft["clauses"][1]["quantities"][0]["_note"] = "guessed"
    draft["_extra"] = [{"name": "Y"}]
    assert all(s.false_positives == s.false_negatives == 0 for s in score(draft).values())


def test_an_empty_draft_finds_nothing():
    s = score({})
    assert all(x.precision is None and x.recall == 0.0 for x in s.values())


# ---------------------------------------------------------------- reports


def test_table_lists_each_kind_with_its_figures():
    draft = gold_sheet()
    del draft["people"][0]
    draft["organizations"].append({"id": "acme", "name": "Acme", "evidence": ["x y z"]})
    lines = table(evaluate(draft, gold_sheet(), TEXT)).splitlines()
    assert lines[0].split() == ["type", "gold", "drafted", "matched", "precision", "recall"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert list(rows) == list(KINDS)
    assert rows["organizations"] == ["2", "3", "2", "0.67", "1.00"]
    assert rows["people"] == ["1", "0", "0", "-", "0.00"]
    assert len({len(line) for line in lines}) == 1  # numbers are right-aligned
    assert lines[0].index("precision") + len("precision") == lines[1].index("0.67") + 4


def test_as_json_gives_the_same_figures_and_the_misses():
    draft = gold_sheet()
    del draft["people"][0]
    draft["organizations"].append({"id": "acme", "name": "Acme", "evidence": ["x y z"]})
    data = as_json(evaluate(draft, gold_sheet(), TEXT))
    assert list(data) == list(KINDS)
    assert data["organizations"] == {"gold": 2, "drafted": 3, "matched": 2, "precision": 0.6667,
                                     "recall": 1.0, "missed": [], "spurious": ["Acme"]}
    assert data["people"]["precision"] is None and data["people"]["missed"] == ["Ada Brook"]
    assert json.loads(json.dumps(data)) == data


def test_misses_lists_what_is_missing_and_what_is_extra():
    draft = gold_sheet()
    del draft["people"][0]
    draft["organizations"].append({"id": "acme", "name": "Acme", "evidence": ["x y z"]})
    assert misses(evaluate(draft, gold_sheet(), TEXT)) == (
        "organizations: not in the reviewed sheet: Acme\npeople: missed Ada Brook\n")
