"""The drafter's rules one by one, on short articles of our own: what each cue makes of a
sentence (tests/test_draft.py checks whole drafts build)."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.drafting.assemble import draft_sheet

DAY = dt.date(2025, 11, 4)


def sheet(body: str, headline: str = "Acme and Widget Labs Strike a Deal") -> dict:
    return draft_sheet(f"{headline}\n\nBy Ann Lee, The Daily Ledger\n\n{body}\n", DAY, {})


def names(drafted: dict, section: str) -> list[str]:
    return [e["name"] for e in drafted.get(section) or []]


def test_an_acquisition_has_its_buyer_and_target():
    drafted = sheet("Acme Robotics has agreed to acquire Widget Labs for $2 billion in cash, the "
                    "companies said on Monday.")
    deal = drafted["agreements"][0]
    assert (deal["type"], deal["status"]) == ("Acquisition", "Definitive")
    assert (deal["buyer"], deal["target"]) == ("acme-robotics", "widget-labs")
    # "in cash" names the consideration, which holds the price of its sentence.
    price = next(c for c in drafted["clauses"] if c["type"] == "Consideration")
    assert price["agreement"] == deal["id"] and price["amounts"][0]["value"] == 2_000_000_000


def test_an_earlier_stage_of_the_same_deal_is_another_agreement():
    drafted = sheet("Acme Robotics has agreed to acquire Widget Labs for $2 billion. The deal "
                    "replaces a nonbinding memorandum of understanding the two companies signed "
                    "in March.")
    stages = sorted((a["type"], a.get("status")) for a in drafted["agreements"])
    assert stages == [("Acquisition", "Definitive"), ("Acquisition", "NonBinding")]
    earlier = next(a for a in drafted["agreements"] if a.get("status") == "NonBinding")
    assert earlier["instrument"] == "MemorandumOfUnderstanding"


def test_investors_who_took_part_join_the_round():
    drafted = sheet("Widget Labs raised $300 million in a Series C round led by Quarry "
                    "Ventures. Existing investors Birch Capital and Ostby Partners also took "
                    "part.", "Widget Labs Raises $300 Million")
    round_ = next(a for a in drafted["agreements"] if a["type"] == "FinancingRound")
    assert set(round_["parties"]) == {"widget-labs", "quarry-ventures", "birch-capital",
                                      "ostby-partners"}


def test_it_is_read_as_the_organization_named_most_and_its_sentence_quoted():
    drafted = sheet("Acme Robotics makes arms. Acme Robotics sells them. Its previous purchase "
                    "was Gizmo Works, which it bought for $40 million in 2021.",
                    "Acme Robotics Grows")
    deal = next(a for a in drafted["agreements"] if a["type"] == "Acquisition")
    assert deal["parties"] == ["acme-robotics", "gizmo-works"]
    assert any("Acme Robotics" in (q if isinstance(q, str) else q["quote"])
               for q in deal["evidence"])


@pytest.mark.parametrize("words, kind", [
    ("Acme would owe Widget Labs a fee of $90 million if it walked away.", "TerminationFee"),
    ("Acme will own about 58% of the combined company.", "EquityStake"),
    ("Widget Labs's founder will join Acme's board as part of the deal.", "Governance"),
    ("The deal needs clearance from antitrust regulators.", "Condition"),
    ("Acme gets exclusive rights to sell the arms in Europe.", "Exclusivity"),
    ("Acme has the option to extend the deal by five years.", "Permission"),
])
def test_a_clause_cue_names_its_kind(words, kind):
    drafted = sheet(f"Acme Robotics has agreed to acquire Widget Labs for $2 billion. {words}")
    assert kind in [c["type"] for c in drafted.get("clauses") or []]


def test_a_board_that_weighs_options_is_no_governance_clause():
    drafted = sheet("Acme Robotics has agreed to acquire Widget Labs for $2 billion. A Widget "
                    "Labs spokeswoman said the board had weighed every option.")
    assert "Governance" not in [c["type"] for c in drafted.get("clauses") or []]


def test_groups_unnamed_sources_and_places():
    drafted = sheet("Acme Robotics has agreed to acquire Widget Labs for $2 billion, according "
                    "to people familiar with the matter. Analysts expect more deals. The "
                    "company is based in Columbus, Ohio.")
    orgs = names(drafted, "organizations")
    assert "people familiar with the matter" in orgs and "analysts" in orgs
    assert "Columbus" not in orgs and "Ohio" not in orgs
    groups = [o for o in drafted["organizations"] if o.get("type") == "Group"]
    assert len(groups) == 2


def test_people_by_their_titles_and_family_names():
    drafted = sheet("Acme Robotics has agreed to acquire Widget Labs. Acme CEO Dana Kowal "
                    "called it a good day. Kowal said more deals would follow. Widget Labs's "
                    "head of research, Tobias Wren, agreed.")
    people = {p["name"]: p for p in drafted["people"]}
    assert people["Dana Kowal"]["aliases"] == ["Kowal"]
    assert people["Dana Kowal"]["roles"][0]["title"] == "chief executive officer"
    assert "Tobias Wren" in people


@pytest.mark.parametrize("words, product", [
    ("Acme sells the arthritis drug Veltrana.", "Veltrana"),
    ("Its arms run on competing clouds, including Nimbus Cloud and Stratus.", "Nimbus Cloud"),
    ("Acme's chip AX-100 powers the arms.", "AX-100"),
])
def test_products_by_the_words_before_them(words, product):
    drafted = sheet(f"Acme Robotics has agreed to acquire Widget Labs for $2 billion. {words}")
    assert product in names(drafted, "products")


def test_a_reported_sentence_is_a_claim_with_its_source():
    drafted = sheet("Acme Robotics is in talks to buy Widget Labs, The Daily Ledger reported on "
                    "Sunday, citing people familiar with the matter.")
    quotes = [q for section in ("organizations", "agreements", "events")
              for e in drafted.get(section) or [] for q in e["evidence"]
              if isinstance(q, dict)]
    assert quotes and all(q["reported"] for q in quotes)
    assert {q.get("source") for q in quotes} >= {"the-daily-ledger"}


def test_a_time_with_no_event_gets_one_made_for_it():
    drafted = sheet("Acme Robotics has agreed to acquire Widget Labs. The companies expect the "
                    "transaction to close in 2026.")
    times = [e.get("time") for e in drafted["events"]]
    assert {"year": 2026, "text": "in 2026"} in [
        {k: v for k, v in t.items() if k in ("year", "text")} for t in times if t]
