"""Fact sheets: the seed loads, and each kind of mistake is reported at its file, line, entry
and field with a message that says what is wrong."""

from __future__ import annotations

import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from kg import factsheet
from kg.anchor import fold
from kg.errors import InputError
from kg.sources import Source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = "verge-2025-01-21-microsoft-openai-compute"
SEED_ARTICLE = SEEDS / f"{SEED}.txt"
SEED_FACTSHEET = SEEDS / f"{SEED}.yaml"


# ---------------------------------------------------------------- helpers

def seed_yaml() -> str:
    return SEED_FACTSHEET.read_text(encoding="utf-8")


def _index(text: str, line: str, after: str | None = None) -> int:
    """0-based index of the exact line `line` (the first one after the exact line `after`)."""
    lines = text.split("\n")
    start = 0
    if after is not None:
        assert lines.count(after) == 1, f"anchor line not unique: {after!r}"
        start = lines.index(after) + 1
    else:
        assert lines.count(line) == 1, f"line not unique, give after=: {line!r}"
    for i in range(start, len(lines)):
        if lines[i] == line:
            return i
    raise AssertionError(f"line not found: {line!r}")


def line_of(text: str, line: str, after: str | None = None) -> int:
    """1-based line number of an exact line of `text`."""
    return _index(text, line, after) + 1


def edit(text: str, old: str, new: str | None, after: str | None = None) -> str:
    """Replace one exact line of the YAML text with `new` (several lines, or None to delete)."""
    lines = text.split("\n")
    i = _index(text, old, after)
    lines[i:i + 1] = [] if new is None else new.split("\n")
    return "\n".join(lines)


def write_pair(tmp_path: Path, yaml_text: str, slug: str = "a",
               article: str | Path = SEED_ARTICLE) -> Source:
    """The seed article (or the given text) and `yaml_text` as tmp_path/<slug>.txt/.yaml."""
    txt, yml = tmp_path / f"{slug}.txt", tmp_path / f"{slug}.yaml"
    if isinstance(article, Path):
        shutil.copyfile(article, txt)
    else:
        txt.write_text(article, encoding="utf-8")
    yml.write_text(yaml_text, encoding="utf-8")
    return Source(slug, txt, yml)


def load(tmp_path: Path, yaml_text: str, **kw) -> factsheet.FactSheet:
    return factsheet.load(write_pair(tmp_path, yaml_text, **kw))


def load_error(tmp_path: Path, yaml_text: str, **kw) -> InputError:
    source = write_pair(tmp_path, yaml_text, **kw)
    with pytest.raises(InputError) as info:
        factsheet.load(source)
    assert info.value.path == str(source.factsheet)
    return info.value


# ---------------------------------------------------------------- the seed

def test_seed_loads_with_the_expected_entries_per_kind(tmp_path):
    sheet = load(tmp_path, seed_yaml())
    counts = Counter(e.kind for e in sheet.entries.values())
    assert counts == {"organization": 8, "person": 4, "product": 4, "agreement": 4,
                      "clause": 8, "event": 9}


def test_seed_every_quote_is_anchored_at_its_exact_text(tmp_path):
    sheet = load(tmp_path, seed_yaml())
    quotes = [q for e in sheet.entries.values() for q in e.evidence]
    for quote in quotes:
        assert quote.anchor is not None, quote.text
        assert sheet.text[quote.anchor.start:quote.anchor.end] == quote.anchor.exact
        assert fold(quote.anchor.exact) == fold(quote.text)


def test_seed_quote_count_matches_the_yaml(tmp_path):
    sheet = load(tmp_path, seed_yaml())
    raw = yaml.safe_load(seed_yaml())
    in_yaml = sum(len(item["evidence"]) for section in factsheet.SECTIONS
                  for item in raw[section])
    assert sum(len(e.evidence) for e in sheet.entries.values()) == in_yaml == 47


# ---------------------------------------------------------------- quotes

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


def test_one_word_quote_is_too_short(tmp_path):
    text = edit(seed_yaml(), "      - and OpenAI’s API remains exclusive to Azure", "      - Azure")
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, "      - Azure"), "openai-api",
                                                "evidence")
    assert "too short" in err.message


def test_two_word_quote_is_too_short(tmp_path):
    new = "      - OpenAI’s API"
    text = edit(seed_yaml(), "      - and OpenAI’s API remains exclusive to Azure", new)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, new), "openai-api", "evidence")
    assert "too short" in err.message and "OpenAI’s API" in err.message


def test_quote_saying_reported_must_be_marked_reported(tmp_path):
    quote = "      - quote: it’s been reported that Microsoft gets 20 percent of OpenAI’s revenue"
    text = edit(seed_yaml(), "        reported: true", None, after=quote)
    text = edit(text, quote, "      - it’s been reported that Microsoft gets 20 percent of "
                             "OpenAI’s revenue")
    err = load_error(tmp_path, text)
    line = line_of(text, "      - it’s been reported that Microsoft gets 20 percent of "
                         "OpenAI’s revenue")
    assert (err.line, err.entry, err.field) == (line, "revenue-sharing", "evidence")
    assert "“reported”" in err.message and "reported: true" in err.message


def test_quote_mapping_saying_reported_without_the_flag_is_rejected(tmp_path):
    quote = "      - quote: it’s been reported that Microsoft gets 20 percent of OpenAI’s revenue"
    text = edit(seed_yaml(), "        reported: true", None, after=quote)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, quote), "revenue-sharing",
                                                "evidence")
    assert "reported claim" in err.message


def test_quote_marked_reported_without_a_reporting_word_is_rejected(tmp_path):
    quote = ("      - quote: The new agreement “includes changes to the exclusivity on new "
             "capacity, moving to a model where Microsoft has a right of first refusal (ROFR),”"
             " Microsoft says.")
    text = edit(seed_yaml(), "        source: microsoft",
                "        source: microsoft\n        reported: true", after=quote)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, quote),
                                                "right-of-first-refusal-on-new-capacity",
                                                "evidence")
    assert "marked reported, but the quote has no reporting words" in err.message


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


# ---------------------------------------------------------------- YAML syntax

def test_bad_indent_is_invalid_yaml_at_its_line(tmp_path):
    bad = "     wikidata: Q2283"
    text = edit(seed_yaml(), "    wikidata: Q2283", bad)
    err = load_error(tmp_path, text)
    assert err.line == line_of(text, bad)
    assert err.message.startswith("invalid YAML")


def test_unclosed_quote_is_invalid_yaml_at_the_quote_line(tmp_path):
    old = ("      - quote: but now OpenAI is reportedly considering dropping this provision, "
           "likely to secure more Microsoft funding.")
    new = old.replace("quote: but", 'quote: "but')
    text = edit(seed_yaml(), old, new)
    err = load_error(tmp_path, text)
    assert err.message.startswith("invalid YAML")
    # The quote opened on this line is never closed: that is the line to fix.
    assert err.line == line_of(text, new)


def test_duplicate_key_in_one_mapping_is_reported_at_the_second_key(tmp_path):
    text = edit(seed_yaml(), "    name: Microsoft", "    name: Microsoft\n    name: Microsoft")
    err = load_error(tmp_path, text)
    assert err.line == line_of(text, "    wikidata: Q2283", after="  - id: microsoft") - 1
    assert "key 'name' appears twice" in err.message


# ---------------------------------------------------------------- schema

def test_missing_required_name_names_the_entry(tmp_path):
    text = edit(seed_yaml(), "    name: Microsoft", None)
    err = load_error(tmp_path, text)
    assert err.line == line_of(text, "  - id: microsoft")
    assert err.entry == "microsoft"
    assert err.field == "name"
    assert "missing required key 'name'" in err.message


def test_unknown_key_typo_suggests_the_key(tmp_path):
    bad = "    partys: [microsoft, openai]"
    text = edit(seed_yaml(), "    parties: [microsoft, openai]", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "microsoft-openai-partnership", "partys")
    assert "unknown key 'partys'" in err.message
    assert "did you mean 'parties'" in err.message


def test_unknown_section_suggests_the_section(tmp_path):
    text = edit(seed_yaml(), "organizations:", "organisations:")
    err = load_error(tmp_path, text)
    assert err.line == line_of(text, "organisations:")
    assert err.entry is None and err.field is None
    assert "unknown section 'organisations'" in err.message
    assert "did you mean 'organizations'" in err.message


def test_two_entries_with_the_same_id(tmp_path):
    text = edit(seed_yaml(), "  - id: nvidia", "  - id: arm")
    err = load_error(tmp_path, text)
    second = line_of(text, "    name: Nvidia") - 1
    first = line_of(text, "    name: Arm") - 1
    assert (err.line, err.entry, err.field) == (second, "arm", "id")
    assert f"already used by the organization on line {first}" in err.message


@pytest.mark.parametrize("bad_id", ["open ai", "a<b", "a#b", "../x"])
def test_id_that_is_not_a_slug_is_rejected(tmp_path, bad_id):
    text = edit(seed_yaml(), ARM, f"  - id: {bad_id}")
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, f"  - id: {bad_id}"), bad_id, "id")
    assert f"{bad_id!r} is not a slug" in err.message


def test_agreement_with_one_party(tmp_path):
    bad = "    parties: [microsoft]"
    text = edit(seed_yaml(), "    parties: [microsoft, openai]", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "microsoft-openai-partnership", "parties")
    assert "at least two parties" in err.message


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
    bad = "    parties: [microsoft, sam-altman]"
    text = edit(seed_yaml(), "    parties: [microsoft, openai]", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "microsoft-openai-partnership", "parties")
    assert "'sam-altman' is not the id of an organization" in err.message


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


# ---------------------------------------------------------------- amounts and shares

DEAL = "  - id: microsoft-inflection-deal"


def test_amount_text_not_in_the_quotes(tmp_path):
    text = edit(seed_yaml(), "      text: $650 million", "      text: $600 million")
    err = load_error(tmp_path, text)
    # An amount is located at the first line of its mapping.
    amount_line = line_of(text, "      value: 650000000", after=DEAL)
    assert (err.line, err.entry, err.field) == (amount_line, "microsoft-inflection-deal",
                                                "amount")
    assert "“$600 million” is not written in any quote" in err.message


def test_negative_amount(tmp_path):
    bad = "      value: -650000000"
    text = edit(seed_yaml(), "      value: 650000000", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "microsoft-inflection-deal",
                                                "amount.value")
    assert "cannot be negative" in err.message


def test_unknown_currency_code(tmp_path):
    bad = "      currency: USS"
    text = edit(seed_yaml(), "      currency: USD", bad, after=DEAL)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "microsoft-inflection-deal",
                                                "amount.currency")
    assert "'USS' is not an ISO 4217 currency code" in err.message


def test_share_above_100_percent(tmp_path):
    bad = "      value: 120"
    text = edit(seed_yaml(), "      value: 20", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "revenue-sharing",
                                                "share.value")
    assert "between 0 and 100, not 120" in err.message


# ---------------------------------------------------------------- times

PARTNERSHIP = "  - id: microsoft-openai-partnership"
ANNOUNCEMENT = "  - id: partnership-change-announcement"
ORACLE_EVENT = "  - id: openai-oracle-partnership"


def test_year_with_trailing_letter(tmp_path):
    bad = "      year: 2030x"
    text = edit(seed_yaml(), "      year: 2030", bad, after=PARTNERSHIP)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "microsoft-openai-partnership", "ends.year")
    assert "'2030x' is not a year" in err.message


def test_month_13(tmp_path):
    bad = "      month: 2024-13"
    text = edit(seed_yaml(), "      month: 2024-06", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "openai-oracle-partnership",
                                                "time.month")
    assert "'2024-13' is not a month" in err.message


def test_impossible_calendar_date_quoted(tmp_path):
    bad = "      date: '2026-02-30'"
    text = edit(seed_yaml(), "      date: 2025-01-21", bad, after=ANNOUNCEMENT)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "partnership-change-announcement", "time.date")
    assert "'2026-02-30' is not a calendar date" in err.message


def test_impossible_calendar_date(tmp_path):
    # Written like every other date of the fact sheet, without quotes.
    bad = "      date: 2026-02-30"
    text = edit(seed_yaml(), "      date: 2025-01-21", bad, after=ANNOUNCEMENT)
    err = load_error(tmp_path, text)
    assert err.line == line_of(text, bad)
    assert "2026-02-30" in err.message


def test_tuesday_resolved_to_the_wrong_day(tmp_path):
    bad = "      date: 2025-01-20"
    text = edit(seed_yaml(), "      date: 2025-01-21", bad, after=ANNOUNCEMENT)
    err = load_error(tmp_path, text)
    time_line = line_of(text, bad)  # the time mapping starts with its date
    assert (err.line, err.entry, err.field) == (time_line, "partnership-change-announcement",
                                                "time")
    assert "is 2025-01-21, not 2025-01-20" in err.message


def test_back_in_june_resolved_to_the_wrong_year(tmp_path):
    bad = "      month: 2025-06"
    text = edit(seed_yaml(), "      month: 2024-06", bad, after=ORACLE_EVENT)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "openai-oracle-partnership",
                                                "time")
    assert "is 2024-06, not 2025-06" in err.message
