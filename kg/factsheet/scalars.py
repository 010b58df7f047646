"""The number and calendar field types of a fact sheet: numbers bounded in digits, dates,
months and years as written, each with its JSON Schema fragment."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as Number
from decimal import InvalidOperation

from kg.factsheet.fields import Field

_DECIMAL_TEXT = r"^\s*[+-]?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)([eE][+-]?[0-9]+)?\s*$"
# The bounds of a number, written out as the graph writes it (xsd:decimal, no exponent): so
# that 12 bytes such as 1e99999999 cannot make files of 100 MB.
INTEGER_DIGITS, FRACTION_DIGITS = 30, 10
NUMBER_TEXT_LENGTH = 100  # characters of a number written as text, before it is read


class Decimal(Field):
    """A number: written as a YAML number or as text such as 650_000_000."""

    type_name = "number"

    def __init__(self, doc: str, *, minimum: int | None = None, below: str = "",
                 required: bool = False):
        super().__init__(doc, required=required)
        self.minimum, self.below = minimum, below

    def check(self, value, line, ctx, name) -> Number:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ctx.error(f"expected a number, found {value!r}", line, name)
        if isinstance(value, int) and abs(value) >= 10 ** INTEGER_DIGITS:
            raise ctx.error(self._too_big(), line, name)
        if isinstance(value, str) and len(value) > NUMBER_TEXT_LENGTH:
            raise ctx.error(f"a number written in more than {NUMBER_TEXT_LENGTH} characters; "
                            + self._too_big(), line, name)
        try:
            number = Number(str(value).replace("_", ""))
        except InvalidOperation:
            raise ctx.error(f"expected a number, found {value!r}", line, name) from None
        if not number.is_finite():
            raise ctx.error(f"expected a finite number, found {value!r}", line, name)
        exponent = number.as_tuple().exponent
        if number and number.adjusted() >= INTEGER_DIGITS:
            raise ctx.error(self._too_big(), line, name)
        if exponent < -FRACTION_DIGITS:
            raise ctx.error(f"{value!r} has more than {FRACTION_DIGITS} digits after the "
                            "decimal point", line, name)
        if self.minimum is not None and number < self.minimum:
            raise ctx.error(self.below.format(value=number), line, name)
        return number

    @staticmethod
    def _too_big() -> str:
        return f"numbers have at most {INTEGER_DIGITS} digits before the decimal point"

    def fragment(self):
        number = {"type": "number", "exclusiveMaximum": 10 ** INTEGER_DIGITS,
                  "exclusiveMinimum": -10 ** INTEGER_DIGITS}
        if self.minimum is not None:
            number["minimum"] = self.minimum
        return {"anyOf": [number, {"type": "string", "pattern": _DECIMAL_TEXT,
                                   "maxLength": NUMBER_TEXT_LENGTH}]}

    def describe(self):
        return (f"number (at most {INTEGER_DIGITS} digits before the decimal point and "
                f"{FRACTION_DIGITS} after)")


class Date(Field):
    type_name = "date (YYYY-MM-DD)"

    def check(self, value, line, ctx, name) -> str:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        raise ctx.error(f"{value!r} is not a calendar date written YYYY-MM-DD", line, name)

    def fragment(self):
        return {"type": "string", "format": "date",
                "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"}


class Month(Field):
    type_name = "month (YYYY-MM)"

    def check(self, value, line, ctx, name) -> str:
        text = str(value)
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ctx.error(f"{value!r} is not a month written YYYY-MM", line, name)
        return text

    def fragment(self):
        return {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"}


class Year(Field):
    type_name = "year (YYYY)"

    def check(self, value, line, ctx, name) -> str:
        text = str(value)
        if isinstance(value, bool) or not re.fullmatch(r"[0-9]{4}", text):
            raise ctx.error(f"{value!r} is not a year written YYYY", line, name)
        return text

    def fragment(self):
        return {"anyOf": [{"type": "integer", "minimum": 1000, "maximum": 9999},
                          {"type": "string", "pattern": r"^[0-9]{4}$"}]}


def precision(written: str) -> str | None:
    """Whether a time written YYYY-MM-DD, YYYY-MM or YYYY is a date, a month or a year (by its
    form alone), or None.

    >>> precision("2026-07"), precision("2029"), precision("July")
    ('month', 'year', None)
    """
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", written):
        return None
    return ("year", "month", "date")[written.count("-")]


class When(Field):
    """A bound of a span, as precise as the words: a date (YYYY-MM-DD), a month (YYYY-MM) or a
    year (YYYY); checked into (text, precision)."""

    type_name = "date, month or year (YYYY-MM-DD, YYYY-MM or YYYY)"
    FORMS = (("date", Date), ("month", Month), ("year", Year))

    def check(self, value, line, ctx, name) -> tuple[str, str]:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        form = precision(text)
        if form is None or isinstance(value, bool):
            raise ctx.error(f"{value!r} is not a date, month or year (YYYY-MM-DD, YYYY-MM or "
                            "YYYY)", line, name)
        field = dict(self.FORMS)[form]("")
        return field.check(value, line, ctx, name), form

    def fragment(self):
        return {"anyOf": [f("").fragment() for _, f in self.FORMS]}
