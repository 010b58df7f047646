"""Check the lexical form of typed literals as written, before any parser rewrites them."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, Quad

from kg.namespaces import XSD

_TZ = r"(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
# XSD 1.1 years: four digits or more, no leading zero beyond four; 0000 is allowed and means
# 1 BCE (XSD 1.0 forbade it; pyoxigraph follows 1.1, rdflib cannot hold year 0 in a date).
_YEAR = r"-?([1-9]\d{4,}|\d{4})"
LEXICAL = {
    XSD + "gYear": re.compile(rf"{_YEAR}{_TZ}"),
    XSD + "gYearMonth": re.compile(rf"{_YEAR}-(0[1-9]|1[0-2]){_TZ}"),
    XSD + "date": re.compile(
        rf"(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01]){_TZ}"),
    XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "nonNegativeInteger": re.compile(r"\+?\d+|-0+"),
    XSD + "boolean": re.compile(r"true|false|1|0"),
}
# BCP 47 well-formed tags (RFC 5646 section 2.1), without the grandfathered irregular ones.
LANGUAGE_TAG = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"
    r"(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"
    r"(?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?"
    r"|x(?:-[a-z\d]{1,8})+", re.IGNORECASE)
WHAT = {XSD + "gYear": "a year (YYYY)", XSD + "gYearMonth": "a month (YYYY-MM)",
        XSD + "date": "a calendar date (YYYY-MM-DD)", XSD + "decimal": "a decimal number",
        XSD + "integer": "an integer", XSD + "nonNegativeInteger": "a non-negative integer",
        XSD + "boolean": "true or false"}


def days_in_month(year: int, month: int) -> int:
    """The days of the month in the proleptic Gregorian calendar, as XSD 1.1 counts years:
    year 0 is 1 BCE (a leap year), -1 is 2 BCE, and so on; no year is out of range.

    >>> days_in_month(0, 2), days_in_month(-1, 2), days_in_month(-4, 2), days_in_month(10100, 2)
    (29, 28, 29, 28)
    """
    return calendar.mdays[month] + (month == 2 and calendar.isleap(year))


@dataclass(frozen=True)
class LiteralProblem:
    """An ill-formed literal: the statement it stands in and what is wrong with it."""

    subject: str
    predicate: str
    literal: str
    message: str


def problem(literal: Literal) -> str | None:
    """What is wrong with the literal's lexical form, or None when it is well formed."""
    if literal.language:
        if not LANGUAGE_TAG.fullmatch(literal.language):
            return f"'{literal.language}' is not a well-formed BCP 47 language tag"
        return None
    datatype = literal.datatype.value
    pattern = LEXICAL.get(datatype)
    if pattern is None:
        return None
    match = pattern.fullmatch(literal.value)
    short = datatype.removeprefix(XSD)
    if not match:
        return f"'{literal.value}' is not a valid xsd:{short}: expected {WHAT[datatype]}"
    if datatype == XSD + "date":
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if day > days_in_month(year, month):
            return (f"'{literal.value}' is not a valid xsd:date: "
                    f"{literal.value[:match.end('m')]} has no day {day}")
    return None


def check(quads: Iterable[Quad]) -> list[LiteralProblem]:
    """Every ill-formed literal among the quads' objects, in a stable order."""
    return check_terms((q.subject, q.predicate, q.object) for q in quads)


def check_terms(statements: Iterable[tuple]) -> list[LiteralProblem]:
    """check() of (subject, predicate, object, ...) tuples of pyoxigraph terms."""
    found = set()
    for s, p, o, *_ in statements:
        if type(o) is Literal:
            message = problem(o)
            if message:
                found.add(LiteralProblem(s.value, p.value, str(o), message))
    return sorted(found, key=lambda p: (p.subject, p.predicate, p.literal))
