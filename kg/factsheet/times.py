"""The check of a relative time: resolved against the publication date, its words (a weekday,
a month, 'today' or 'now') must give exactly the date or month written, and no more precision."""

from __future__ import annotations

import datetime as dt
import re

from kg.errors import InputError
from kg.factsheet.model import Entry, FactSheet, TimeValue

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def check_time(sheet: FactSheet, entry: Entry, fieldname: str, t: TimeValue) -> None:
    """A resolved time must follow from its words and the publication date, never more precise."""
    published = sheet.article.published
    words = t.text.lower()

    def fail(message: str):
        raise InputError(message, path=sheet.source.factsheet, line=t.line, entry=entry.id,
                         field=fieldname)

    if not t.relative:
        if t.value[:4] not in t.text:
            fail(f"the year {t.value[:4]} is not in the words “{t.text}”; if they are relative "
                 "to the publication date, add relative: true")
        return
    weekday = next((d for d in WEEKDAYS if re.search(rf"\b{d}\b", words)), None)
    month = next((m for m in MONTHS if re.search(rf"\b{m}\b", words)), None)
    if weekday:
        if t.precision != "date":
            fail(f"“{t.text}” names a day: give it as date")
        day = dt.date.fromisoformat(t.value)
        back = (published.weekday() - WEEKDAYS.index(weekday)) % 7
        if published.toordinal() - back < 1:  # before 0001-01-01, where dt.date ends
            fail(f"“{t.text}”, read against the publication date {published}, falls before "
                 "the year 1, which kg cannot write: give an absolute time")
        expected = published - dt.timedelta(days=back)
        if day != expected:
            fail(f"“{t.text}”, read against the publication date {published}, is {expected}, "
                 f"not {t.value}")
    elif month:
        if t.precision != "month":
            fail(f"“{t.text}” names a month and no day: give it as month")
        index = MONTHS.index(month) + 1
        year = published.year if index <= published.month else published.year - 1
        if year < dt.MINYEAR:
            fail(f"“{t.text}”, read against the publication date {published}, falls before "
                 "the year 1, which kg cannot write: give an absolute time")
        expected = f"{year:04d}-{index:02d}"
        if t.value != expected:
            fail(f"“{t.text}”, read against the publication date {published}, is {expected}, "
                 f"not {t.value}")
    elif re.search(r"\b(today|now)\b", words):
        if t.precision != "date" or t.value != published.isoformat():
            fail(f"“{t.text}” means the publication date, {published}")
    else:
        fail(f"cannot tell how “{t.text}” is relative to the publication date: name a weekday, "
             "a month, today or now, or give an absolute time")
