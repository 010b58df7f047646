"""Reading a fact sheet (kg.factsheet.load and the field types): the seed loads, and each
mistake of YAML, shape or value is reported at its file, line, entry and field with a message
that says what is wrong (and, for a typo, what was meant)."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from kg import factsheet

from test_factsheet_support import edit, line_of, load, load_error, load_errors, seed_yaml


def test_seed_loads_with_the_expected_entries_per_kind(tmp_path):
    sheet = load(tmp_path, seed_yaml())
    counts = Counter(e.kind for e in sheet.entries.values())
    assert counts == {"organization": 8, "person": 4, "product": 4, "agreement": 4,
                      "clause": 8, "event": 9}


def test_seed_quote_count_matches_the_yaml(tmp_path):
    sheet = load(tmp_path, seed_yaml())
    raw = yaml.safe_load(seed_yaml())
    in_yaml = sum(len(item["evidence"]) for section in factsheet.SECTIONS
                  for item in raw[section])
    assert sum(len(e.evidence) for e in sheet.entries.values()) == in_yaml == 47


# ---------------------------------------------------------------- evidence


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
    # "Microsoft says" attributes a claim, so a quote with it may be marked reported; this
    # one neither reports nor attributes.
    line = "      - Microsoft keeps its exclusive rights to OpenAI’s tech for products like Copilot"
    quote = ("      - quote: Microsoft keeps its exclusive rights to OpenAI’s tech for products "
             "like Copilot")
    text = edit(seed_yaml(), line, quote + "\n        reported: true",
                after="  - id: technology-exclusivity")
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, quote), "technology-exclusivity",
                                                "evidence")
    assert "marked reported, but the quote has no reporting words" in err.message


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

ARM = "  - id: arm"


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


# ---------------------------------------------------------------- amounts and shares


DEAL = "  - id: microsoft-inflection-deal"


def test_negative_amount(tmp_path):
    bad = "      - value: -650000000"
    text = edit(seed_yaml(), "      - value: 650000000", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "microsoft-inflection-deal",
                                                "amounts.value")
    assert "cannot be negative" in err.message


def test_unknown_currency_code(tmp_path):
    bad = "        currency: USS"
    text = edit(seed_yaml(), "        currency: USD", bad, after=DEAL)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "microsoft-inflection-deal",
                                                "amounts.currency")
    assert "'USS' is not an ISO 4217 currency code" in err.message


def test_share_above_100_percent(tmp_path):
    bad = "      - value: 120"
    text = edit(seed_yaml(), "      - value: 20", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "revenue-sharing",
                                                "quantities.value")
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


# ---------------------------------------------------------------- article

@pytest.mark.parametrize("tag", ["en-GB-GB", "en_GB", "en--GB", "e", "toolonglanguage"])
def test_language_that_is_not_a_well_formed_bcp47_tag(tmp_path, tag):
    bad = f"  language: {tag}"
    text = edit(seed_yaml(), "  language: en", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), None, "article.language")
    assert f"'{tag}' is not a BCP 47 language tag (like en or en-GB)" == err.message


@pytest.mark.parametrize("tag", ["en-GB", "de-CH-1996", "zh-Hant-TW", "sr-Latn", "es-419"])
def test_language_tags_that_are_well_formed(tmp_path, tag):
    sheet = load(tmp_path, edit(seed_yaml(), "  language: en", f"  language: {tag}"))
    assert sheet.article.language == tag


def test_article_key_typo_suggests_the_key(tmp_path):
    bad = "  publihser: the-verge"
    text = edit(seed_yaml(), "  publisher: the-verge", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.field) == (line_of(text, bad), "article.publihser")
    assert "did you mean 'publisher'" in err.message


@pytest.mark.parametrize("code", ["VED", "EUR", "JPY"])
def test_currency_codes_of_iso_4217(tmp_path, code):
    text = edit(seed_yaml(), "        currency: USD", f"        currency: {code}", after=DEAL)
    assert load(tmp_path, text).entries["microsoft-inflection-deal"].values["amounts"][0].currency \
        == code


@pytest.mark.parametrize("code", ["ANG", "BGN", "usd", "US"])
def test_currency_codes_no_longer_or_never_in_iso_4217(tmp_path, code):
    bad = f"        currency: {code}"
    text = edit(seed_yaml(), "        currency: USD", bad, after=DEAL)
    err = load_error(tmp_path, text)
    assert (err.line, err.field) == (line_of(text, bad), "amounts.currency")
    assert f"'{code}' is not an ISO 4217 currency code" in err.message


def test_agreement_type_typo_suggests_the_type(tmp_path):
    bad = "    type: Partnershp"
    text = edit(seed_yaml(), "    type: Partnership", bad,
                after="  - id: openai-oracle-compute-deal")
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "openai-oracle-compute-deal",
                                                "type")
    assert "did you mean 'Partnership'" in err.message


def test_time_with_both_a_month_and_a_year(tmp_path):
    text = edit(seed_yaml(), "      month: 2024-06", "      month: 2024-06\n      year: 2024")
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, "      month: 2024-06"),
                                                "openai-oracle-partnership", "time")
    assert "give one of date, month or year" in err.message


def test_evidence_that_is_empty(tmp_path):
    text = edit(seed_yaml(), "    evidence:", "    evidence: []", after=ARM)
    text = edit(text, "      - a joint venture between Arm, Microsoft, Nvidia, Oracle, and OpenAI",
                None, after=ARM)
    err = load_error(tmp_path, text)
    assert (err.entry, err.field) == ("arm", "evidence")
    assert "one or more quotes" in err.message


# ---------------------------------------------------------------- bounds and text hygiene

AMOUNT_VALUE = "      - value: 650000000"


@pytest.mark.parametrize(("value", "says"), [
    ("1e400", "at most 30 digits before"), ("-1e99999", "at most 30 digits before"),
    ("1e99999999", "at most 30 digits before"), ("'1e999999999'", "at most 30 digits before"),
    ("1" + "0" * 30, "at most 30 digits before"), ("'" + "9" * 5000 + "'", "100 characters"),
    ("9" * 5000, "too many digits"), ("0.00000000001", "10 digits after"),
    ("1e-11", "10 digits after")])
def test_numbers_out_of_bounds(tmp_path, value, says):
    bad = f"      - value: {value}"
    text = edit(seed_yaml(), AMOUNT_VALUE, bad)
    err = load_error(tmp_path, text)
    assert err.line == line_of(text, bad)
    assert says in err.message
    if "too many digits" not in says:  # refused by the YAML reader, before any entry is known
        assert (err.entry, err.field) == ("microsoft-inflection-deal", "amounts.value")


@pytest.mark.parametrize(("value", "number"), [
    ("9" * 30, "9" * 30), ("6.5e8", "650000000"),
    ("'650_000_000.0000000001'", "650000000.0000000001"), ("1e29", "1" + "0" * 29)])
def test_numbers_within_bounds(tmp_path, value, number):
    sheet = load(tmp_path, edit(seed_yaml(), AMOUNT_VALUE, f"      - value: {value}"))
    amount = sheet.entries["microsoft-inflection-deal"].values["amounts"][0].value
    assert format(amount, "f") == number


@pytest.mark.parametrize(("escape", "code"), [
    ("\\e", "U+001B"), ("\\a", "U+0007"), ("\\0", "U+0000"), ("\\x7f", "U+007F"),
    ("\\N", "U+0085"), ("\\x9b", "U+009B"), ("\\u202e", "U+202E"), ("\\u202a", "U+202A"),
    ("\\u2066", "U+2066"), ("\\u2069", "U+2069"), ("\\b", "U+0008"), ("\\v", "U+000B")])
def test_control_and_bidi_characters_in_text_are_refused(tmp_path, escape, code):
    bad = f'    name: "Arm{escape}x"'
    text = edit(seed_yaml(), "    name: Arm", bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "arm", "name")
    assert f"the text holds the character {code}" in err.message


@pytest.mark.parametrize("escape", ["\\t", "\\n", "\\r", "\\u200e", "\\u200f", "\\u061c",
                                    "\\u00a0", "\\u2028"])
def test_whitespace_and_direction_marks_are_kept_or_folded(tmp_path, escape):
    sheet = load(tmp_path, edit(seed_yaml(), "    name: Arm",
                                f'    name: Arm\n    description: "Chip{escape}maker"'))
    assert sheet.entries["arm"].values["description"].startswith("Chip")


def test_raw_control_character_in_the_file_is_located(tmp_path):
    bad = "    name: Arm\x1b[31m"
    text = edit(seed_yaml(), "    name: Arm", bad)
    err = load_error(tmp_path, text)
    assert err.line == line_of(text, bad) and "U+001B" in err.message


@pytest.mark.parametrize("url", ["javascript:alert(document.domain)", "data:text/html,x",
                                 "file:///etc/passwd", "//evil.example/", "/relative/path",
                                 "https://exa mple/", "http://%zz/", "https://[::1/",
                                 "ftp://example.org/x", "https://example.org/\u202e"])
def test_article_url_must_be_http_or_https(tmp_path, url):
    bad = f"  url: {url!r}".replace("'", '"')
    text = edit(seed_yaml(), "  language: en", "  language: en\n" + bad)
    err = load_error(tmp_path, text)
    assert (err.line, err.field) == (line_of(text, bad), "article.url")


def test_article_url_accepted(tmp_path):
    url = "https://www.theverge.com/2025/1/21/24348816/microsoft-openai?x=1#top"
    sheet = load(tmp_path, edit(seed_yaml(), "  language: en", f"  language: en\n  url: {url}"))
    assert sheet.article.url == url


def test_every_error_of_the_fact_sheet_is_reported_at_once(tmp_path):
    """Two wrong keys of one entry, and a wrong value in another: three errors, one run."""
    text = edit(seed_yaml(), "    name: Arm", "    name: Arm\n    wikidat: Q123\n    typ: Company")
    text = edit(text, "    type: HiringDeal", "    type: Hirring")
    errors = load_errors(tmp_path, text)
    where = [(e.line, e.entry, e.field) for e in errors]
    assert where == [(line_of(text, "    wikidat: Q123"), "arm", "wikidat"),
                     (line_of(text, "    typ: Company"), "arm", "typ"),
                     (line_of(text, "    type: Hirring"), "microsoft-inflection-deal", "type")]
    assert "did you mean 'wikidata'" in errors[0].message
