"""kg.drafting.verify: of a model's sheet, only what the article bears out is kept, what is dropped
is said, and what is kept loads as a fact sheet."""

from __future__ import annotations

import copy

import pytest

from kg.drafting.verify import verify

from llm_server import entry, example, loads

SECTIONS = ("organizations", "people", "products", "agreements", "clauses", "events")


@pytest.fixture(scope="module")
def meta():
    return example("meta-scale-ai")


def _ids(sheet: dict, section: str) -> list[str]:
    return [e["id"] for e in sheet.get(section) or []]


def _said(messages: list[str], *words: str) -> bool:
    return any(all(w in m for w in words) for m in messages)


@pytest.mark.parametrize("slug", ["google-wiz", "meta-scale-ai", "oracle-openai",
                                  "microsoft-openai", "broadcom-openai"])
def test_a_reviewed_sheet_comes_through_whole_and_loads(slug, tmp_path):
    sheet, text = example(slug)
    draft, dropped = verify(copy.deepcopy(sheet), text, published=sheet["article"]["published"])
    for section in SECTIONS:
        assert _ids(draft, section) == _ids(sheet, section)
    assert all(m.startswith("dropped") and ("Wikidata" in m or "name" in m) for m in dropped)
    loads(tmp_path, draft, text)


def test_hallucinated_quotes_are_dropped_and_listed(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    agreement = sheet["agreements"][0]
    agreement["evidence"].append("Meta agreed to pay $40 billion for all of Scale AI")
    agreement["evidence"].append({"quote": "the deal was reported to be worth $90 billion",
                                  "reported": True})
    draft, dropped = verify(sheet, text)
    assert _said(dropped, "dropped 2 quotes not in the article", "$40 billion", "$90 billion")
    assert len(entry(draft, "agreements", agreement["id"])["evidence"]) == \
        len(agreement["evidence"]) - 2
    loads(tmp_path, draft, text)


def test_entities_absent_from_the_text_are_dropped(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    sheet["organizations"] += [
        {"id": "nvidia", "name": "Nvidia", "type": "Company",
         "evidence": ["Nvidia is a large customer of Scale AI"]},
        # A real quote that does not name the entity
        {"id": "anthropic", "name": "Anthropic", "type": "Company",
         "evidence": ["Microsoft and Elon Musk's xAI are also pulling back"]}]
    sheet["agreements"][0]["parties"].append("nvidia")
    draft, dropped = verify(sheet, text)
    assert "nvidia" not in _ids(draft, "organizations")
    assert "anthropic" not in _ids(draft, "organizations")
    assert _said(dropped, "with no quote in the article", "organization 'nvidia'")
    assert _said(dropped, "not named in its own quotes", "organization 'anthropic'")
    assert _said(dropped, "to an entry not in the fact sheet", "'nvidia'")
    loads(tmp_path, draft, text)


def test_a_linked_entity_not_named_in_the_quotes_is_unlinked(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    agreement = sheet["agreements"][0]
    agreement["parties"].append("cnbc")
    draft, dropped = verify(sheet, text)
    assert "cnbc" not in entry(draft, "agreements", agreement["id"])["parties"]
    assert _said(dropped, "not named in the linking entry's quotes",
                 f"'parties' of agreement '{agreement['id']}'", "'cnbc'")
    loads(tmp_path, draft, text)


def test_an_agreement_left_with_one_party_goes_and_its_clauses_with_it(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    agreement = sheet["agreements"][0]
    agreement["parties"] = [agreement["parties"][0], "nobody-at-all"]
    clauses = [c["id"] for c in sheet["clauses"] if c["agreement"] == agreement["id"]]
    draft, dropped = verify(sheet, text)
    assert agreement["id"] not in _ids(draft, "agreements")
    assert clauses and not set(clauses) & set(_ids(draft, "clauses"))
    assert _said(dropped, "left without a link", f"'{agreement['id']}' (parties)")
    loads(tmp_path, draft, text)


def test_amounts_not_written_in_the_quotes_are_dropped(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    section = next(s for s in ("agreements", "clauses") if any(e.get("amounts")
                                                               for e in sheet[s]))
    holder = next(e for e in sheet[section] if e.get("amounts"))
    written = [a["text"] for a in holder["amounts"]]
    holder["amounts"].append({"value": 5e9, "currency": "USD", "text": "$5 billion"})
    holder["amounts"][0]["text"] = written[0].upper()  # only the case differs: kept as quoted
    draft, dropped = verify(sheet, text)
    assert [a["text"] for a in entry(draft, section, holder["id"])["amounts"]] == written
    assert _said(dropped, "amount not written in the entry's quotes", "$5 billion",
                 f"'{holder['id']}'")
    loads(tmp_path, draft, text)


def test_fields_types_and_values_the_schema_does_not_know(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    org = sheet["organizations"][0]
    org["headquarters"] = "Menlo Park"
    org["type"] = "company"  # the schema's value in another case
    agreement = sheet["agreements"][0]
    agreement["status"] = "definitive agreement"
    agreement["binding"] = "yes"
    sheet["events"][0]["type"] = "Celebration"
    draft, dropped = verify(sheet, text)
    assert entry(draft, "organizations", org["id"])["type"] == "Company"
    assert "headquarters" not in entry(draft, "organizations", org["id"])
    assert "status" not in entry(draft, "agreements", agreement["id"])
    assert sheet["events"][0]["id"] not in _ids(draft, "events")
    assert _said(dropped, "unknown to the fact sheet", "'headquarters'")
    assert _said(dropped, "not in the schema", "status \u201cdefinitive agreement\u201d")
    assert _said(dropped, "of the wrong type", "binding \u201cyes\u201d")
    assert _said(dropped, "with a type not in the schema", "Celebration")
    loads(tmp_path, draft, text)


def test_ids_that_are_no_slugs_are_rewritten_with_their_references(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    sheet["organizations"][0]["id"] = "Meta Platforms"
    for agreement in sheet["agreements"]:
        agreement["parties"] = ["Meta Platforms" if p == "meta" else p
                                for p in agreement["parties"]]
    sheet["agreements"][0]["parties"] = ["Scale AI" if p == "scale-ai" else p
                                         for p in sheet["agreements"][0]["parties"]]
    draft, dropped = verify(sheet, text)
    assert draft["organizations"][0]["id"] == "meta-platforms"
    parties = draft["agreements"][0]["parties"]
    assert "meta-platforms" in parties and "scale-ai" in parties  # by id, and by name
    assert _said(dropped, "rewrote 1 id into slug form", "'Meta Platforms' to")
    loads(tmp_path, draft, text)


def test_duplicate_ids_keep_the_first(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    sheet["products"] = [*(sheet.get("products") or []),
                         {**sheet["organizations"][0], "type": None}]
    draft, dropped = verify(sheet, text)
    assert sheet["organizations"][0]["id"] not in _ids(draft, "products")
    assert _said(dropped, "whose id another entry has")
    loads(tmp_path, draft, text)


def test_quotes_joined_with_an_ellipsis_count_as_their_pieces(meta):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    org = entry(sheet, "organizations", "google")
    org["evidence"] = ["Google, Scale's largest customer ... Google declined to comment."]
    draft, _ = verify(sheet, text)
    assert entry(draft, "organizations", "google")["evidence"] == [
        "Google, Scale's largest customer", "Google declined to comment."]


def test_a_quote_in_another_case_is_copied_as_the_article_writes_it(meta):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    entry(sheet, "organizations", "google")["evidence"] = ["GOOGLE DECLINED TO COMMENT."]
    draft, _ = verify(sheet, text)
    assert entry(draft, "organizations", "google")["evidence"] == ["Google declined to comment."]


def test_a_reporting_quote_without_its_mark_is_marked_and_noted(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    agreement = next(a for a in sheet["agreements"]
                     if any(isinstance(q, dict) and q.get("reported") for q in a["evidence"]))
    agreement["evidence"] = [q if isinstance(q, str) else q["quote"]
                             for q in agreement["evidence"]]
    draft, _ = verify(sheet, text)
    kept = entry(draft, "agreements", agreement["id"])
    marked = [q for q in kept["evidence"] if isinstance(q, dict)]
    assert marked and all(q["reported"] is True for q in marked)
    assert "did not say whether" in kept["_note"]
    loads(tmp_path, draft, text)


def test_relative_times_are_checked_against_the_publication_date(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    timed = [e for e in sheet["events"] if (e.get("time") or {}).get("relative")
             and (e["time"].get("date") or e["time"].get("month"))]
    assert timed
    timed[0]["time"] = {**timed[0]["time"], "date": "2025-01-02", "month": None}
    draft, dropped = verify(sheet, text, published="2025-06-16")
    assert "time" not in entry(draft, "events", timed[0]["id"])
    assert _said(dropped, "time", "publication date", timed[0]["id"])
    assert draft["article"]["published"] == "2025-06-16"
    loads(tmp_path, draft, text)
    undated = copy.deepcopy(meta[0])
    del undated["article"]
    draft, dropped = verify(undated, text)
    assert "article" not in draft
    assert "time" not in entry(draft, "events", timed[1]["id"] if len(timed) > 1
                               else timed[0]["id"])
    assert _said(dropped, "relative to a publication date not given")


def test_the_caller_s_date_wins_over_the_model_s(meta):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    sheet["article"]["published"] = "1999-12-31"
    draft, _ = verify(sheet, text, published="2025-06-16")
    assert draft["article"]["published"] == "2025-06-16"


def test_the_model_s_date_places_no_time(meta, tmp_path):
    """Without the caller's date, the model's is kept in the article (valid by its form) but
    no relative time is read against it."""
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    draft, dropped = verify(sheet, text)
    assert draft["article"]["published"] == "2025-06-16"
    assert _said(dropped, "relative to a publication date not given")
    timed = [e for e in draft["events"] if "time" in e]
    assert timed and all(not e["time"].get("relative") or set(e["time"]) <= {"text", "relative"}
                         for e in timed)
    loads(tmp_path, draft, text)


def test_an_article_whose_title_is_not_in_the_text_is_dropped(meta):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    sheet["article"]["title"] = "Meta Buys Scale AI Outright"
    sheet["article"]["url"] = "https://example.com/meta-scale"
    draft, dropped = verify(sheet, text, published="2025-06-16")
    assert "article" not in draft
    assert _said(dropped, "whose title is not in the article")


def test_the_article_s_links_and_url_are_checked(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    sheet["article"]["url"] = "https://example.com/meta-scale"
    sheet["article"]["authors"] = ["nadia-forsythe", "john-doe"]
    draft, dropped = verify(sheet, text)
    assert "url" not in draft["article"] and draft["article"]["authors"] == ["nadia-forsythe"]
    assert _said(dropped, "'authors' of the article", "'john-doe'")
    loads(tmp_path, draft, text)


@pytest.mark.parametrize("answer", [[1, 2], "a sheet", None])
def test_an_answer_of_any_other_shape_gives_an_empty_draft(answer, meta):
    draft, dropped = verify(answer, meta[1])
    assert draft == {} and dropped


def test_shapes_the_model_gets_wrong_are_read_where_they_are_clear(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    wrapped = {"fact_sheet": sheet}
    sheet["people"] = {p["id"]: {k: v for k, v in p.items() if k != "id"}
                       for p in sheet["people"]}
    sheet["organizations"][0]["aliases"] = "Meta"
    sheet["organizations"][0]["evidence"] = sheet["organizations"][0]["evidence"][0]
    sheet["weather"] = []
    draft, dropped = verify(wrapped, text)
    assert _ids(draft, "people") == _ids(meta[0], "people")
    assert draft["organizations"][0]["aliases"] == ["Meta"]
    assert _said(dropped, "section unknown to the fact sheet", "'weather'")
    loads(tmp_path, draft, text)


def test_invented_names_are_dropped(meta):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    org = entry(sheet, "organizations", "openai")
    org["aliases"] = ["the ChatGPT maker"]
    draft, dropped = verify(sheet, text)
    assert "aliases" not in entry(draft, "organizations", "openai")
    assert _said(dropped, "name not in the article", "the ChatGPT maker")


def test_what_the_loader_still_refuses_is_dropped_by_its_own_check(meta, tmp_path):
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    holder = next(e for e in sheet["organizations"] + sheet["agreements"] + sheet["clauses"]
                  if any(q.get("unit") == "percent" for q in e.get("quantities") or []))
    share = next(q for q in holder["quantities"] if q.get("unit") == "percent")
    share.pop("of", None)
    share.pop("measure", None)
    draft, dropped = verify(sheet, text)
    assert _said(dropped, "a percentage says of what")
    loads(tmp_path, draft, text)


def test_a_quote_too_long_to_prove_a_link_is_dropped(meta):
    """The whole article as one quote would name every entity: quotes are kept short."""
    sheet, text = copy.deepcopy(meta[0]), meta[1]
    agreement = sheet["agreements"][0]
    agreement["evidence"] = [" ".join(text.split()[:200])]
    draft, dropped = verify(sheet, text)
    assert agreement["id"] not in _ids(draft, "agreements")
    assert _said(dropped, "more than 60 words")
