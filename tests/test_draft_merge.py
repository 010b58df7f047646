"""kg.drafting.merge: the model's verified entries join the rule-based draft, one entry per thing,
the rules' values first, what the model adds noted; the result loads."""

from __future__ import annotations

import copy

import pytest

from kg.drafting.merge import FROM_MODEL, merge
from kg.drafting.verify import verify

from llm_server import entry, example, loads


@pytest.fixture(scope="module")
def meta():
    sheet, text = example("meta-scale-ai")
    verified, _ = verify(sheet, text, published=sheet["article"]["published"])
    return verified, text


def _ids(sheet: dict, section: str) -> list[str]:
    return [e["id"] for e in sheet.get(section) or []]


def test_a_sheet_merged_with_itself_is_itself(meta):
    sheet = meta[0]
    assert merge(sheet, sheet) == sheet


def test_the_arguments_are_not_changed_and_the_merge_is_deterministic(meta):
    base, extra = _halves(meta[0])
    before = copy.deepcopy((base, extra))
    assert merge(base, extra) == merge(base, extra)
    assert (base, extra) == before


def _halves(sheet: dict) -> tuple[dict, dict]:
    """A 'rules' draft with the first half of each section, and a 'model' draft with all."""
    base = {"article": sheet["article"]}
    for section in ("organizations", "people", "products"):
        base[section] = copy.deepcopy(sheet[section][: len(sheet[section]) // 2 + 1])
    return base, copy.deepcopy(sheet)


def test_new_entries_are_appended_and_noted_and_the_result_loads(meta, tmp_path):
    base, extra = _halves(meta[0])
    merged = merge(base, extra)
    for section in ("organizations", "people", "products", "agreements", "events"):
        assert sorted(_ids(merged, section)) == sorted(_ids(meta[0], section))
    appended = [e for e in merged["organizations"] if e["id"] not in _ids(base, "organizations")]
    assert appended and all(e["_note"] == FROM_MODEL for e in appended)
    kept = merged["organizations"][0]
    assert "_note" not in kept  # nothing was added to it
    loads(tmp_path, merged, meta[1])


def test_an_entry_named_alike_merges_and_links_follow_it(meta, tmp_path):
    sheet, text = meta
    base = {"article": sheet["article"],
            "organizations": [{"id": "meta-platforms-inc", "name": "Meta", "type": "Company",
                               "evidence": ["Meta Platforms has finalized a deal"]}]}
    merged = merge(base, sheet)
    ids = _ids(merged, "organizations")
    assert "meta" not in ids and ids[0] == "meta-platforms-inc"
    org = merged["organizations"][0]
    assert org["name"] == "Meta"  # the rules' value wins
    assert "Meta Platforms" in org["aliases"]  # the model's name is kept as an alias
    assert org["evidence"][0] == "Meta Platforms has finalized a deal"
    assert len(org["evidence"]) == 1 + len(entry(sheet, "organizations", "meta")["evidence"])
    assert "the model added evidence, aliases" in org["_note"]
    for agreement in merged["agreements"]:
        assert "meta" not in agreement["parties"]
    assert "meta-platforms-inc" in merged["agreements"][0]["parties"]
    loads(tmp_path, merged, text)


def test_quotes_are_one_whatever_their_quotation_marks_and_spacing(meta):
    sheet = meta[0]
    base = copy.deepcopy(sheet)
    google = entry(base, "organizations", "google")
    google["evidence"] = [q.replace("'", "\u2019").replace(" ", "  ") for q in google["evidence"]]
    merged = merge(base, sheet)
    assert entry(merged, "organizations", "google")["evidence"] == google["evidence"]


def test_the_model_fills_what_the_rules_left_out_and_list_items_are_united(meta, tmp_path):
    sheet, text = meta
    base = copy.deepcopy(sheet)
    section = next(s for s in ("agreements", "clauses")
                   if any(len(e.get("amounts") or []) >= 1 for e in base[s]))
    holder = next(e for e in base[section] if e.get("amounts"))
    amounts = holder.pop("amounts")
    description = holder.pop("description", None)
    merged = merge(base, sheet)
    got = entry(merged, section, holder["id"])
    assert [a["text"] for a in got["amounts"]] == [a["text"] for a in amounts]
    assert "amounts" in got["_note"]
    if description:
        assert got["description"] == description
    assert "the model added" in got["_note"]
    loads(tmp_path, merged, text)


def test_base_scalars_win(meta):
    sheet = meta[0]
    base = copy.deepcopy(sheet)
    entry(base, "organizations", "google")["description"] = "The rules' words."
    merged = merge(base, sheet)
    assert entry(merged, "organizations", "google")["description"] == "The rules' words."


def test_an_id_taken_in_another_section_is_renamed_with_its_references(meta, tmp_path):
    sheet, text = meta
    base = copy.deepcopy(sheet)
    base["organizations"] = [o for o in base["organizations"] if o["id"] != "cnbc"]
    base["events"] = [e for e in base["events"] if e["id"] != "llama-reception"]
    cnbc = {**copy.deepcopy(entry(sheet, "organizations", "cnbc")), "id": "meta-scale-investment"}
    event = copy.deepcopy(entry(sheet, "events", "llama-reception"))
    event["evidence"][0]["source"] = "meta-scale-investment"
    merged = merge(base, {"organizations": [cnbc], "events": [event]})
    assert "meta-scale-investment-2" in _ids(merged, "organizations")
    assert _ids(merged, "agreements").count("meta-scale-investment") == 1
    moved = entry(merged, "events", "llama-reception")
    assert moved["evidence"][0]["source"] == "meta-scale-investment-2"
    assert moved["_note"] == FROM_MODEL
    loads(tmp_path, merged, text)


def test_deals_match_by_type_and_a_shared_quote_or_the_same_parties(meta):
    sheet = meta[0]
    base = copy.deepcopy(sheet)
    extra = copy.deepcopy(sheet)
    renamed = {}
    for agreement in extra["agreements"]:
        renamed[agreement["id"]] = agreement["id"] + "-deal"
        agreement["id"] += "-deal"
        agreement["name"] += " (as the model calls it)"
    for clause in extra["clauses"]:
        clause["agreement"] = renamed[clause["agreement"]]
    merged = merge(base, extra)
    assert _ids(merged, "agreements") == _ids(sheet, "agreements")
    assert _ids(merged, "clauses") == _ids(sheet, "clauses")


def test_a_model_draft_with_no_article_leaves_base_s(meta):
    sheet = meta[0]
    extra = {k: v for k, v in sheet.items() if k != "article"}
    assert merge({"article": sheet["article"]}, extra)["article"] == sheet["article"]
