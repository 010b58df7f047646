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
    check_time(_sheet(dt.date(2025, 1, 21)), SimpleNamespace(id="e"), "time",
               TimeValue(value, "date", words, True, 1))


@pytest.mark.parametrize(("words", "value"), [
    ("in January", "2025-01"), ("back in June", "2024-06"), ("last December", "2024-12")])
def test_months_resolve_to_the_latest_such_month(words, value):
    check_time(_sheet(dt.date(2025, 1, 21)), SimpleNamespace(id="e"), "time",
               TimeValue(value, "month", words, True, 1))


def test_a_weekday_given_as_a_month_is_refused():
    with pytest.raises(InputError, match="names a day: give it as date"):
        check_time(_sheet(dt.date(2025, 1, 21)), SimpleNamespace(id="e"), "time",
                   TimeValue("2025-01", "month", "Tuesday", True, 7))


@pytest.mark.parametrize(("published", "words", "value", "precision"), [
    (dt.date(1, 1, 1), "Tuesday", "0001-01-01", "date"),  # 0001-01-01 is a Monday
    (dt.date(1, 1, 6), "last Sunday", "0001-01-01", "date"),
    (dt.date(1, 1, 1), "last March", "0001-03", "month"),
    (dt.date(1, 2, 28), "back in December", "0001-12", "month")])
def test_relative_times_before_the_year_1_are_refused(published, words, value, precision):
    with pytest.raises(InputError, match="falls before the year 1") as info:
        check_time(_sheet(published), SimpleNamespace(id="e"), "time",
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
    check_time(_sheet(published), SimpleNamespace(id="e"), "time",
               TimeValue(value, precision, words, True, 1))


def test_a_wrong_weekday_at_the_calendars_end_is_a_located_error():
    with pytest.raises(InputError, match="is 9999-12-28, not 9999-12-31"):
        check_time(_sheet(dt.date(9999, 12, 31)), SimpleNamespace(id="e"), "time",
                   TimeValue("9999-12-31", "date", "Tuesday", True, 1))
