"""Checks against the article and between entries (kg.factsheet.checks): quotes are found and
anchored however they are typed, references name entries of the right kind, and linked
entities and written values stand in the entry's own quotes."""

from __future__ import annotations

import unicodedata

import pytest

from kg.anchor import fold

from test_factsheet_support import edit, line_of, load, load_error, seed_yaml

# ---------------------------------------------------------------- quotes in the article


def test_seed_every_quote_is_anchored_at_its_exact_text(tmp_path):
    sheet = load(tmp_path, seed_yaml())
    quotes = [q for e in sheet.entries.values() for q in e.evidence]
    for quote in quotes:
        assert quote.anchor is not None, quote.text
        assert sheet.text[quote.anchor.start:quote.anchor.end] == quote.anchor.exact
        assert fold(quote.anchor.exact) == fold(quote.text)


ARM = "  - id: arm"


ARM_QUOTE = "      - a joint venture between Arm, Microsoft, Nvidia, Oracle, and OpenAI"


def test_quote_changed_by_one_word_is_located_with_the_closest_passage(tmp_path):
    changed = "      - a shared venture between Arm, Microsoft, Nvidia, Oracle, and OpenAI"
    text = edit(seed_yaml(), ARM_QUOTE, changed, after=ARM)
    err = load_error(tmp_path, text)
    line = line_of(text, changed)
    assert (err.line, err.entry, err.field) == (line, "arm", "evidence")
    assert "a shared venture between Arm, Microsoft, Nvidia, Oracle, and OpenAI" in err.message
    assert "Closest passage" in err.message
    assert ("The news follows the announcement of a joint venture between Arm, Microsoft, "
            "Nvidia, Oracle, and OpenAI") in err.message
    assert str(err) == (f"{tmp_path / 'a.yaml'}:{line}, entry 'arm', field 'evidence': "
                        f"{err.message}")


def test_quote_changed_in_a_quote_mapping_is_located_at_the_quote_key(tmp_path):
    old = ("      - quote: AGI, reportedly, is defined as a system capable of generating more "
           "than $100 billion in profits.")
    new = old.replace("$100 billion", "$200 billion")
    text = edit(seed_yaml(), old, new)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, new), "agi-escape-clause",
                                                "evidence")
    assert "more than $200 billion in profits" in err.message


def test_quote_with_straight_apostrophe_matches_curly_article(tmp_path):
    new = "      - and OpenAI's API remains exclusive to Azure"
    text = edit(seed_yaml(), "      - and OpenAI’s API remains exclusive to Azure", new)
    sheet = load(tmp_path, text)
    (quote,) = sheet.entries["openai-api"].evidence
    assert quote.anchor.exact == "and OpenAI’s API remains exclusive to Azure"
    assert sheet.text[quote.anchor.start:quote.anchor.end] == quote.anchor.exact


def test_quote_with_straight_double_quotes_matches_curly_article(tmp_path):
    old = ("      - quote: “To further support OpenAI, Microsoft has approved OpenAI’s ability to "
           "build additional capacity, primarily for research and training of models.”")
    new = ("      - quote: '\"To further support OpenAI, Microsoft has approved OpenAI''s ability "
           "to build additional capacity, primarily for research and training of models.\"'")
    sheet = load(tmp_path, edit(seed_yaml(), old, new))
    (quote,) = sheet.entries["additional-capacity-permission"].evidence
    assert quote.anchor.exact.startswith("“To further support OpenAI")
    assert quote.anchor.exact.endswith("training of models.”")


# A small article of our own, for what the seed article cannot show (accented letters).


CAFE_ARTICLE = ("Acme buys a café\n\nThe café on Main Street signed a deal with Acme "
                "on Monday, the owner said \"we are thrilled\" about it.\n")


def cafe_yaml(quote_yaml: str) -> str:
    return ("article:\n"
            "  title: Acme buys a café\n"
            "  published: 2025-01-21\n"
            "  language: en\n"
            "organizations:\n"
            "  - id: acme\n"
            "    name: Acme\n"
            "    evidence:\n"
            f"      - {quote_yaml}\n")


def test_quote_in_nfd_in_the_file_matches_nfc_article(tmp_path):
    nfd = unicodedata.normalize("NFD", "The café on Main Street signed a deal")
    assert nfd != unicodedata.normalize("NFC", nfd)
    sheet = load(tmp_path, cafe_yaml(nfd), article=CAFE_ARTICLE)
    (quote,) = sheet.entries["acme"].evidence
    assert quote.anchor.exact == "The café on Main Street signed a deal"
    assert unicodedata.is_normalized("NFC", quote.anchor.exact)


def test_quote_in_nfd_through_a_yaml_escape_matches_nfc_article(tmp_path):
    # The escape survives reading the file, so the anchoring itself must normalize.
    sheet = load(tmp_path, cafe_yaml('"The cafe\\u0301 on Main Street signed a deal"'),
                 article=CAFE_ARTICLE)
    (quote,) = sheet.entries["acme"].evidence
    assert quote.anchor.exact == "The café on Main Street signed a deal"
    assert unicodedata.is_normalized("NFC", quote.anchor.exact)


def test_quote_with_curly_quotes_matches_straight_article(tmp_path):
    sheet = load(tmp_path, cafe_yaml("the owner said “we are thrilled” about it"),
                 article=CAFE_ARTICLE)
    (quote,) = sheet.entries["acme"].evidence
    assert quote.anchor.exact == 'the owner said "we are thrilled" about it'


# ---------------------------------------------------------------- references


def test_reference_to_a_missing_entry_suggests_the_id(tmp_path):
    bad = "    parties: [microsoft, openia]"
    text = edit(seed_yaml(), "    parties: [microsoft, openai]", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "microsoft-openai-partnership", "parties")
    assert "'openia' is not the id of an organization" in err.message
    assert "did you mean 'openai'" in err.message


def test_reference_to_an_entry_of_the_wrong_kind(tmp_path):
    bad = "    parties: [microsoft, azure]"
    text = edit(seed_yaml(), "    parties: [microsoft, openai]", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "microsoft-openai-partnership", "parties")
    assert "'azure' is not the id of an organization or person" in err.message


def test_linked_entity_must_be_named_in_the_evidence(tmp_path):
    bad = "    parties: [microsoft, inflection, nvidia]"
    text = edit(seed_yaml(), "    parties: [microsoft, inflection]", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "microsoft-inflection-deal", "parties")
    assert "'nvidia' is linked here but none of its names (Nvidia)" in err.message


def test_clause_superseding_itself(tmp_path):
    bad = "    supersedes: right-of-first-refusal-on-new-capacity"
    text = edit(seed_yaml(), "    supersedes: azure-compute-exclusivity", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "right-of-first-refusal-on-new-capacity",
                                                "supersedes")
    assert "cannot supersede itself" in err.message


@pytest.mark.parametrize(("field", "verb"), [("amends", "amend"), ("extends", "extend"),
                                            ("terminates", "end")])
def test_clause_changing_itself(tmp_path, field, verb):
    bad = f"    {field}: {'[' if field == 'terminates' else ''}azure-compute-exclusivity" \
        f"{']' if field == 'terminates' else ''}"
    text = edit(seed_yaml(), "    covers: [azure]", f"    covers: [azure]\n{bad}")
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (
        line_of(text, bad, after="  - id: azure-compute-exclusivity"),
        "azure-compute-exclusivity", field)
    assert f"a clause cannot {verb} itself" in err.message


@pytest.mark.parametrize(("old", "bad"), [
    ("    begins: [right-of-first-refusal-on-new-capacity]", "    begins: [azure]"),
    ("    terminates: [azure-compute-exclusivity]", "    terminates: [openai]"),
    ("    begins: [right-of-first-refusal-on-new-capacity]",
     "    begins: [stargate-announcement]")])
def test_an_event_begins_and_ends_only_clauses_and_agreements(tmp_path, old, bad):
    text = edit(seed_yaml(), old, bad, after="  - id: partnership-change-announcement")
    err = load_error(tmp_path, text)
    assert (err.line, err.entry) == (
        line_of(text, bad, after="  - id: partnership-change-announcement"),
        "partnership-change-announcement")
    assert "is not the id of a clause or agreement in this fact sheet" in err.message
    assert "(it is the id of a" in err.message


# ---------------------------------------------------------------- written values


DEAL = "  - id: microsoft-inflection-deal"


def test_amount_text_not_in_the_quotes(tmp_path):
    text = edit(seed_yaml(), "        text: $650 million", "        text: $600 million")
    err = load_error(tmp_path, text)
    # An amount is located at the first line of its mapping.
    amount_line = line_of(text, "      - value: 650000000", after=DEAL)
    assert (err.line, err.entry, err.field) == (amount_line, "microsoft-inflection-deal",
                                                "amounts")
    assert "“$600 million” is not written in any quote" in err.message
