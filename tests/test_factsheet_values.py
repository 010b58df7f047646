"""The values of a fact sheet written in the article's words (amounts with qualifiers and roles,
quantities with units, spans of time) and the links of the deal vocabulary (statuses,
conditions, people as parties and sources): what is accepted, and the error for what is not."""

from __future__ import annotations

import pytest

from test_factsheet_support import edit, line_of, load, load_error, seed_yaml

DEAL = "  - id: microsoft-inflection-deal"
AGI = "  - id: agi-escape-clause"
SHARE = "      - value: 20"
TERM = "  - id: partnership-term"


def test_an_amount_keeps_its_qualifier_role_and_rate(tmp_path):
    text = edit(seed_yaml(), "        role: price", "        role: price\n        per: year",
                after=DEAL)
    sheet = load(tmp_path, text)
    deal = sheet.entries["microsoft-inflection-deal"].values["amounts"][0]
    agi = sheet.entries["agi-escape-clause"].values["amounts"][0]
    assert (deal.qualifier, deal.role, deal.per) == ("exact", "price", "year")
    assert (agi.qualifier, agi.role) == ("more-than", "profit")


@pytest.mark.parametrize(("old", "new", "says"), [
    ("        qualifier: more-than", "        qualifier: roughly", "'roughly' is not one of"),
    ("        role: profit", "        role: profits", "did you mean 'profit'"),
])
def test_an_unknown_qualifier_or_role_is_refused_at_its_line(tmp_path, old, new, says):
    text = edit(seed_yaml(), old, new, after=AGI)
    err = load_error(tmp_path, text)
    assert err.line == line_of(text, new, after=AGI)
    assert says in err.message


@pytest.mark.parametrize(("old", "new", "field", "says"), [
    # The earlier form of the fact sheet: one amount, one share.
    ("    amounts:", "    amount:", "amount", "now 'amounts', a list"),
    ("    quantities:", "    share:", "share", "now 'quantities', a list"),
])
def test_a_fact_sheet_in_the_earlier_form_says_what_changed(tmp_path, old, new, field, says):
    text = edit(seed_yaml(), old, new, after=DEAL if field == "amount" else None)
    err = load_error(tmp_path, text)
    assert (err.line, err.field) == (line_of(text, new, after=DEAL if field == "amount"
                                             else None), field)
    assert says in err.message


def test_a_percentage_says_of_what(tmp_path):
    text = edit(edit(seed_yaml(), "        measure: revenue", None), "        of: openai", None,
                after="  - id: revenue-sharing")
    err = load_error(tmp_path, text)
    assert (err.entry, err.field) == ("revenue-sharing", "quantities")
    assert "a percentage says of what" in err.message


@pytest.mark.parametrize(("value", "change", "ok"), [
    ("120", False, False), ("120", True, True), ("-5", False, False), ("-5", True, True)])
def test_a_share_of_a_whole_is_bounded_unless_it_is_a_change(tmp_path, value, change, ok):
    new = f"      - value: {value}" + ("\n        change: true" if change else "")
    text = edit(seed_yaml(), SHARE, new)
    if ok:
        assert load(tmp_path, text).entries["revenue-sharing"].values["quantities"][0].change
    else:
        err = load_error(tmp_path, text)
        assert err.field == "quantities.value"


def test_counts_belong_to_a_count(tmp_path):
    text = edit(seed_yaml(), "        unit: percent",
                "        unit: percent\n        counts: shares")
    err = load_error(tmp_path, text)
    assert err.field == "quantities.counts" and "unit: count" in err.message


def test_a_quantity_of_an_unknown_entry_is_refused(tmp_path):
    text = edit(seed_yaml(), "        of: openai", "        of: open-ai")
    err = load_error(tmp_path, text)
    assert (err.entry, err.field) == ("revenue-sharing", "quantities.of")
    assert "did you mean 'openai'" in err.message


def _term_time(text: str, new: str) -> str:
    return edit(text, "      year: 2030", new, after=TERM)


def test_a_span_is_kept_with_its_bounds(tmp_path):
    sheet = load(tmp_path, _term_time(seed_yaml(), "      until: 2030"))
    ends = sheet.entries["partnership-term"].values["ends"]
    assert (ends.value, ends.start, ends.until, ends.is_span) == (None, None, "2030", True)


@pytest.mark.parametrize(("new", "says"), [
    ("      from: 2031\n      until: 2030", "the span begins (2031) after it ends (2030)"),
    ("      from: 2030-13", "is not a month"),
    ("      year: 2030\n      until: 2030", "give one of date, month or year, or a span"),
    ("      relative: false", "when the words place the time nowhere"),
])
def test_a_bad_time_is_refused(tmp_path, new, says):
    err = load_error(tmp_path, _term_time(seed_yaml(), new))
    assert err.entry == "partnership-term" and says in err.message


def test_a_time_placed_nowhere_keeps_its_words(tmp_path):
    text = _term_time(seed_yaml(), "      relative: true")
    ends = load(tmp_path, text).entries["partnership-term"].values["ends"]
    assert (ends.value, ends.is_span, ends.text) == (None, False, "runs through 2030")


def test_status_instrument_and_binding_are_checked(tmp_path):
    new = ("    type: Partnership\n    status: NonBinding\n    instrument: TermSheet\n"
           "    binding: false")
    text = edit(seed_yaml(), "    type: Partnership", new,
                after="  - id: microsoft-openai-partnership")
    values = load(tmp_path, text).entries["microsoft-openai-partnership"].values
    assert (values["status"], values["instrument"], values["binding"]) == (
        "NonBinding", "TermSheet", False)
    bad = edit(text, "    status: NonBinding", "    status: Signed")
    assert "'Signed' is not one of" in load_error(tmp_path, bad).message


def test_a_clause_depends_only_on_conditions(tmp_path):
    new = "    agreement: microsoft-openai-partnership\n    subject_to: [partnership-term]"
    text = edit(seed_yaml(), "    agreement: microsoft-openai-partnership", new, after=AGI)
    err = load_error(tmp_path, text)
    assert (err.entry, err.field) == ("agi-escape-clause", "subject_to")
    assert "not a clause of type Condition" in err.message


def test_a_condition_kind_needs_a_condition_clause(tmp_path):
    new = "    type: TermClause\n    condition: Deadline"
    text = edit(seed_yaml(), "    type: TermClause", new)
    err = load_error(tmp_path, text)
    assert (err.entry, err.field) == ("partnership-term", "condition")


def test_a_condition_clause_can_be_depended_on(tmp_path):
    text = edit(seed_yaml(), "    type: TermClause", "    type: Condition\n    condition: Deadline")
    new = "    agreement: microsoft-openai-partnership\n    subject_to: [partnership-term]"
    text = edit(text, "    agreement: microsoft-openai-partnership", new, after=AGI)
    assert load(tmp_path, text).entries["agi-escape-clause"].values["subject_to"] == [
        "partnership-term"]


def test_an_agreement_cannot_supersede_itself(tmp_path):
    new = "    parties: [microsoft, inflection]\n    supersedes: microsoft-inflection-deal"
    text = edit(seed_yaml(), "    parties: [microsoft, inflection]", new)
    err = load_error(tmp_path, text)
    assert (err.entry, err.field) == ("microsoft-inflection-deal", "supersedes")
    assert "an agreement cannot supersede itself" in err.message


def test_a_person_may_be_a_party_and_a_source(tmp_path):
    text = edit(seed_yaml(), "    parties: [microsoft, inflection]",
                "    parties: [microsoft, mustafa-suleyman]")
    text = edit(text, "        source: microsoft", "        source: sam-altman",
                after="  - id: additional-capacity-permission")
    sheet = load(tmp_path, text)
    assert sheet.entries["microsoft-inflection-deal"].values["parties"] == [
        "microsoft", "mustafa-suleyman"]
    assert sheet.entries["additional-capacity-permission"].evidence[0].source == "sam-altman"


def test_a_parent_must_be_named_in_the_quotes(tmp_path):
    text = edit(seed_yaml(), "    name: Inflection", "    name: Inflection\n    parent: nvidia")
    err = load_error(tmp_path, text)
    assert (err.entry, err.field) == ("inflection", "parent")
    assert "none of its names (Nvidia)" in err.message


def test_an_unnamed_group_is_an_organization_entry_of_type_group(tmp_path):
    text = edit(seed_yaml(), "    name: The New York Times",
                "    name: The New York Times\n    type: NewsOrganization")
    assert load(tmp_path, text).entries["new-york-times"].values["type"] == "NewsOrganization"
