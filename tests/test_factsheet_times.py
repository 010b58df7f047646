"""Relative times (kg.factsheet.times): a weekday, a month, 'today' or 'now' read against the
publication date must give exactly the date or month written, and no more precision."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from kg.errors import InputError
from kg.factsheet.model import TimeValue
from kg.factsheet.times import check_time

from test_factsheet_support import edit, line_of, load_error, seed_yaml

ANNOUNCEMENT = "  - id: partnership-change-announcement"


ORACLE_EVENT = "  - id: openai-oracle-partnership"


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


PARTNERSHIP = "  - id: microsoft-openai-partnership"
DELIBERATION = "  - id: agi-provision-deliberation"


def test_back_in_june_given_as_a_date(tmp_path):
    bad = "      date: 2024-06-01"
    text = edit(seed_yaml(), "      month: 2024-06", bad, after=ORACLE_EVENT)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad), "openai-oracle-partnership",
                                                "time")
    assert "names a month and no day: give it as month" in err.message


def test_now_must_be_the_publication_date(tmp_path):
    bad = "      date: 2025-01-20"
    text = edit(seed_yaml(), "      date: 2025-01-21", bad, after=DELIBERATION)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry) == (line_of(text, bad), "agi-provision-deliberation")
    assert "“now” means the publication date, 2025-01-21" in err.message


def test_absolute_year_must_stand_in_the_words(tmp_path):
    bad = "      year: 2031"
    text = edit(seed_yaml(), "      year: 2030", bad, after=PARTNERSHIP)
    err = load_error(tmp_path, text)
    assert (err.line, err.entry, err.field) == (line_of(text, bad),
                                                "microsoft-openai-partnership", "ends")
    assert "the year 2031 is not in the words “runs through 2030”" in err.message


def test_relative_words_that_name_no_time(tmp_path):
    text = edit(seed_yaml(), "      text: Tuesday", "      text: adjusted their partnership",
                after=ANNOUNCEMENT)
    err = load_error(tmp_path, text)
    assert (err.entry, err.field) == ("partnership-change-announcement", "time")
    assert "cannot tell how “adjusted their partnership” is relative" in err.message


def _sheet(published: dt.date):
    return SimpleNamespace(article=SimpleNamespace(published=published),
                           source=SimpleNamespace(factsheet="a.yaml"))


@pytest.mark.parametrize(("words", "value"), [
    ("Tuesday", "2025-01-21"), ("on Monday", "2025-01-20"), ("last Wednesday", "2025-01-15"),
    ("Sunday", "2025-01-19"), ("today", "2025-01-21")])
def test_weekdays_and_today_resolve_to_the_latest_such_day(words, value):
    # The seed article was published on Tuesday 2025-01-21.
    check_time(_sheet(dt.date(2025, 1, 21)), SimpleNamespace(id="e", values={}), "time",
               TimeValue(value, "date", words, True, 1))


@pytest.mark.parametrize(("words", "value"), [
    ("in January", "2025-01"), ("back in June", "2024-06"), ("last December", "2024-12")])
def test_months_resolve_to_the_latest_such_month(words, value):
    check_time(_sheet(dt.date(2025, 1, 21)), SimpleNamespace(id="e", values={}), "time",
               TimeValue(value, "month", words, True, 1))


def test_a_weekday_given_as_a_month_is_refused():
    with pytest.raises(InputError, match="names a day: give it as date"):
        check_time(_sheet(dt.date(2025, 1, 21)), SimpleNamespace(id="e", values={}), "time",
                   TimeValue("2025-01", "month", "Tuesday", True, 7))


@pytest.mark.parametrize(("published", "words", "value", "precision"), [
    (dt.date(1, 1, 1), "Tuesday", "0001-01-01", "date"),  # 0001-01-01 is a Monday
    (dt.date(1, 1, 6), "last Sunday", "0001-01-01", "date"),
    (dt.date(1, 1, 1), "last March", "0001-03", "month"),
    (dt.date(1, 2, 28), "back in December", "0001-12", "month")])
def test_relative_times_before_the_year_1_are_refused(published, words, value, precision):
    with pytest.raises(InputError, match="falls before the year 1") as info:
        check_time(_sheet(published), SimpleNamespace(id="e", values={}), "time",
                   TimeValue(value, precision, words, True, 9))
    assert (info.value.line, info.value.entry, info.value.field) == (9, "e", "time")


@pytest.mark.parametrize(("published", "words", "value", "precision"), [
    (dt.date(1, 1, 1), "Monday", "0001-01-01", "date"),
    (dt.date(1, 1, 1), "in January", "0001-01", "month"),
    (dt.date(1, 1, 1), "today", "0001-01-01", "date"),
    (dt.date(9999, 12, 31), "Tuesday", "9999-12-28", "date"),
    (dt.date(9999, 12, 31), "last March", "9999-03", "month"),
    (dt.date(9999, 12, 31), "now", "9999-12-31", "date")])
def test_relative_times_at_the_calendars_ends(published, words, value, precision):
    check_time(_sheet(published), SimpleNamespace(id="e", values={}), "time",
               TimeValue(value, precision, words, True, 1))


def test_a_wrong_weekday_at_the_calendars_end_is_a_located_error():
    with pytest.raises(InputError, match="is 9999-12-28, not 9999-12-31"):
        check_time(_sheet(dt.date(9999, 12, 31)), SimpleNamespace(id="e", values={}), "time",
                   TimeValue("9999-12-31", "date", "Tuesday", True, 1))


def _check(published: dt.date, words: str, value=None, precision=None, *, start=None,
           until=None, planned=False):
    check_time(_sheet(published), SimpleNamespace(id="e", values={"planned": planned}), "time",
               TimeValue(value, precision, words, True, 1, start, until))


MAR_19 = dt.date(2025, 3, 19)  # a Wednesday


@pytest.mark.parametrize(("words", "value", "precision"), [
    ("a January 3 order", "2025-01-03", "date"), ("on Jan. 20", "2025-01-20", "date"),
    ("as of Aug. 31", "2024-08-31", "date"), ("on Sept. 5", "2024-09-05", "date"),
    ("last July", "2024-07", "month"), ("in January", "2025-01", "month"),
    ("last year", "2024", "year"), ("earlier this year", "2025", "year"),
    ("next year", "2026", "year"), ("last month", "2025-02", "month"),
    ("yesterday", "2025-03-18", "date")])
def test_relative_words_resolve_against_the_publication_date(words, value, precision):
    _check(MAR_19, words, value, precision)


@pytest.mark.parametrize(("words", "value", "precision", "expected"), [
    ("a January 3 order", "2024-01-03", "date", "2025-01-03"),
    ("last year", "2023", "year", "2024"),
    ("last July", "2025-07", "month", "2024-07"),
    ("last month", "2025-03", "month", "2025-02")])
def test_a_wrongly_resolved_relative_time_names_the_right_one(words, value, precision, expected):
    with pytest.raises(InputError, match=f"is {expected}, not {value}"):
        _check(MAR_19, words, value, precision)


def test_a_month_and_day_given_as_a_month_is_refused():
    with pytest.raises(InputError, match="names a day: give it as date"):
        _check(MAR_19, "on Jan. 20", "2025-01", "month")


def test_a_planned_month_resolves_forward():
    _check(MAR_19, "in June", "2025-06", "month", planned=True)
    with pytest.raises(InputError, match="is 2025-06, not 2024-06"):
        _check(MAR_19, "in June", "2024-06", "month", planned=True)


@pytest.mark.parametrize(("words", "start", "until"), [
    ("last summer", "2024-06", "2024-08"), ("late last week", "2025-03-13", "2025-03-16"),
    ("last week", "2025-03-10", "2025-03-16"), ("by the end of the year", None, "2025"),
    ("this summer", "2025-06", "2025-08"), ("last winter", "2024-12", "2025-02")])
def test_spans_lie_inside_the_period_their_words_name(words, start, until):
    _check(MAR_19, words, start=start, until=until)


@pytest.mark.parametrize(("words", "start", "until"), [
    ("last summer", "2025-06", "2025-08"), ("last week", "2025-03-17", "2025-03-19"),
    ("this year", "2024-07", "2025-12")])
def test_a_span_outside_the_period_its_words_name_is_refused(words, start, until):
    with pytest.raises(InputError, match="lies outside it"):
        _check(MAR_19, words, start=start, until=until)


def test_an_absolute_span_writes_its_years():
    check_time(_sheet(MAR_19), SimpleNamespace(id="e", values={}), "time",
               TimeValue(None, None, "the second half of 2026", False, 1, "2026-07", "2026-12"))
    with pytest.raises(InputError, match="the year 2027 is not in the words"):
        check_time(_sheet(MAR_19), SimpleNamespace(id="e", values={}), "time",
                   TimeValue(None, None, "from 2026", False, 1, "2027"))


def test_words_that_place_the_time_nowhere_are_kept_unresolved():
    _check(MAR_19, "months ago")
    with pytest.raises(InputError, match="cannot tell how “months ago” is relative"):
        _check(MAR_19, "months ago", "2025-01", "month")


def test_a_span_may_begin_or_end_on_the_day_its_words_name():
    _check(MAR_19, "after President Donald Trump took office on Jan. 20", start="2025-01-20")
    _check(MAR_19, "until Tuesday", until="2025-03-18")
    with pytest.raises(InputError, match="names a day: give it as date"):
        _check(MAR_19, "after Jan. 20", start="2025-01-21")
