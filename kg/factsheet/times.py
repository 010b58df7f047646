"""The check of a time against its words. A relative time, read against the publication date
(a weekday, a month with or without its day, 'last year', 'last week', 'last summer', 'today'),
must be the day, month or year its words name, or a span inside the period they name; an
absolute time must write its year in its words. Never more precision than the words give."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from kg.errors import InputError
from kg.factsheet.model import Entry, FactSheet, TimeValue

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# A month as news writes it: in full, or abbreviated with or without a point (Jan., Sept.).
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov"
                    r"|dec)\b\.?(?:\s+([0-9]{1,2})(?:st|nd|rd|th)?\b)?")
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # first month
_YEAR = re.compile(r"\b(last|this|next|the) year\b")
_WEEK = re.compile(r"\b(last|this|next) week\b")
_SEASON = re.compile(r"\b(last|this|next) (spring|summer|autumn|fall|winter)\b")
_MONTH_WORDS = re.compile(r"\b(last|this|next) month\b")
_STEP = {"last": -1, "this": 0, "the": 0, "next": 1}

Window = tuple[dt.date, dt.date]


def bounds(written: str) -> Window:
    """The first and last day of a date, month or year written YYYY-MM-DD, YYYY-MM or YYYY."""
    parts = [int(p) for p in written.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    year, first, last = parts[0], parts[1] if len(parts) == 2 else 1, \
        parts[1] if len(parts) == 2 else 12
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def _month_window(year: int, month: int, months: int) -> Window:
    end_month = (month - 1 + months - 1) % 12 + 1
    end_year = year + (month - 1 + months - 1) // 12
    return (dt.date(year, month, 1),
            dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1]))


def check_time(sheet: FactSheet, entry: Entry, fieldname: str, t: TimeValue) -> None:
    """A time must follow from its words (and, when relative, the publication date)."""
    published = sheet.article.published
    words = t.text.lower()
    forward = bool(entry.values.get("planned")) or "next" in words

    def fail(message: str):
        raise InputError(message, path=sheet.source.factsheet, line=t.line, entry=entry.id,
                         field=fieldname)

    written = [w for w in (t.value, t.start, t.until) if w]
    if not t.relative:
        for w in written:
            if w[:4] not in t.text:
                fail(f"the year {w[:4]} is not in the words “{t.text}”; if they are relative "
                     "to the publication date, add relative: true")
        return
    if not written:
        return  # placed nowhere ('months ago'): the words are kept, nothing is resolved

    def must_be(precision: str, expected: str) -> None:
        if t.is_span and expected in (t.start, t.until):
            return  # "after Jan. 20": a span that begins (or ends) on the day named
        if t.is_span or t.precision != precision:
            named = {"date": "a day", "month": "a month and no day",
                     "year": "a year and no month"}[precision]
            fail(f"“{t.text}” names {named}: give it as {precision}")
        if t.value != expected:
            fail(f"“{t.text}”, read against the publication date {published}, is {expected}, "
                 f"not {t.value}")

    def within(window: Window, what: str) -> None:
        for w in written:
            first, last = bounds(w)
            if first < window[0] or last > window[1]:
                fail(f"“{t.text}”, read against the publication date {published}, is {what} "
                     f"({window[0]} to {window[1]}); {w} lies outside it")

    try:
        weekday = next((d for d in WEEKDAYS if re.search(rf"\b{d}\b", words)), None)
        month = _MONTH.search(words)
        if weekday:
            back = (published.weekday() - WEEKDAYS.index(weekday)) % 7
            if forward and back:
                back -= 7
            must_be("date", (published - dt.timedelta(days=back)).isoformat())
        elif month and month.group(2):
            index = _month_index(month.group(1))
            day = int(month.group(2))
            year = _nearest_year(published, index, day, forward)
            try:
                must_be("date", dt.date(year, index, day).isoformat())
            except ValueError:
                fail(f"“{t.text}” names no day of {MONTHS[index - 1].title()}")
        elif month:
            index = _month_index(month.group(1))
            year = _nearest_year(published, index, 1, forward)
            if t.is_span:
                within(_month_window(year, index, 1), MONTHS[index - 1].title() + f" {year}")
            else:
                must_be("month", f"{year:04d}-{index:02d}")
        elif match := _YEAR.search(words):
            year = published.year + _STEP[match.group(1)]
            if t.is_span or t.precision != "year":
                within(_month_window(year, 1, 12), f"the year {year}")
            else:
                must_be("year", f"{year:04d}")
        elif match := _WEEK.search(words):
            monday = published - dt.timedelta(days=published.weekday())
            monday += dt.timedelta(weeks=_STEP[match.group(1)])
            within((monday, monday + dt.timedelta(days=6)), "that week")
        elif match := _SEASON.search(words):
            within(_season(published, match.group(2), _STEP[match.group(1)]),
                   f"{match.group(1)} {match.group(2)}")
        elif match := _MONTH_WORDS.search(words):
            index = published.month + _STEP[match.group(1)]
            year = published.year + (index - 1) // 12
            must_be("month", f"{year:04d}-{(index - 1) % 12 + 1:02d}")
        elif re.search(r"\byesterday\b", words):
            must_be("date", (published - dt.timedelta(days=1)).isoformat())
        elif re.search(r"\b(today|now)\b", words):
            if t.is_span or t.precision != "date" or t.value != published.isoformat():
                fail(f"“{t.text}” means the publication date, {published}")
        else:
            fail(f"cannot tell how “{t.text}” is relative to the publication date: name a "
                 "weekday, a month, last (this, next) year, week, month or season, today or "
                 "now, or give an absolute time; when the words place the time nowhere "
                 "('months ago'), give only text")
    except (ValueError, OverflowError):
        fail(f"“{t.text}”, read against the publication date {published}, falls before the "
             "year 1 or after the year 9999, which kg cannot write: give an absolute time")


def _month_index(word: str) -> int:
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(word[:3]))


def _nearest_year(published: dt.date, month: int, day: int, forward: bool) -> int:
    """The year of the latest such day on or before the publication date, or with `forward`
    the first on or after it."""
    if forward:
        year = published.year + ((month, day) < (published.month, published.day))
    else:
        year = published.year - ((month, day) > (published.month, published.day))
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValueError(year)
    return year


def _season(published: dt.date, season: str, step: int) -> Window:
    """The three months of a season (northern meteorological): this one is the season of
    the publication year, the last one the latest that ended before the publication date."""
    first = SEASONS[season]
    year = published.year
    if step == -1:
        start = dt.date(year, first, 1)
        while _month_window(start.year, first, 3)[1] >= published:
            start = dt.date(start.year - 1, first, 1)
        year = start.year
    elif step == 1:
        while dt.date(year, first, 1) <= published:
            year += 1
    return _month_window(year, first, 3)
