"""The compound field types of a fact sheet: mappings, lists, the values written in quotes
(amounts, shares, times, roles) and evidence. Like the scalar ones (kg.factsheet.fields), each
checks, gives its JSON Schema fragment and names itself for docs."""

from __future__ import annotations

import re
from decimal import Decimal as Number
from typing import Any

from kg.errors import Collect, InputError
from kg.factsheet.fields import Field, Text, did_you_mean, pattern
from kg.factsheet.model import Amount, Quantity, Quote, Role, TimeValue

REPORTING_CUE = re.compile(r"\b(reported|reportedly|reports?|according to)\b", re.I)
# Words that attribute a claim to someone ("people familiar with the agreement told Reuters",
# "Those people said"): a quote with them may be marked reported, but need not say either way.
ATTRIBUTION_CUE = re.compile(r"\b(said|says|say|told|tells|familiar with|citing|sources?|"
                             r"claims?|claimed|stated|wrote|indicated)\b", re.I)
MIN_QUOTE_WORDS = 3
# The whole, in each unit of a part: a share of something lies between 0 and this.
SHARE_UNITS = {"percent": (Number(0), Number(100)), "ratio": (Number(0), Number(1))}
# The qualifier a value is written with -> (its individual in the ontology, the property that
# carries the number): a bound is never written as an exact schema:value.
QUALIFIERS = {"exact": ("Exactly", "value"), "about": ("About", "value"),
              "more-than": ("MoreThan", "minValue"), "at-least": ("AtLeast", "minValue"),
              "up-to": ("UpTo", "maxValue"), "less-than": ("LessThan", "maxValue")}
# Units of a quantity -> UN/CEFACT Recommendation 20 common code (schema:unitCode).
UNITS = {"percent": "P1", "ratio": "C62", "count": "C62", "gigawatt": "A90",
         "megawatt": "MAW", "year": "ANN", "month": "MON", "week": "WEE", "day": "DAY"}
# What a value may be given per: "$60 billion a year", "$600 a share".
PER_UNITS = {"year": "ANN", "month": "MON", "week": "WEE", "day": "DAY", "share": None}


class Mapping(Field):
    """A mapping of the keys of `spec` and no others; a key set to null counts as not given.
    A key of `renamed` (one of an earlier form of the fact sheet) is refused with its message,
    which says what replaced it."""

    type_name = "mapping"

    def __init__(self, spec: dict[str, Field], doc: str = "", *, required: bool = False,
                 renamed: dict[str, str] | None = None):
        super().__init__(doc, required=required)
        self.spec = spec
        self.renamed = renamed or {}

    def check(self, value, line, ctx, name) -> Any:
        return self.checked(value, line, ctx, name)

    def checked(self, value, line, ctx, name) -> dict:
        """The mapping with each given key's value checked."""
        spec = self.spec
        if not isinstance(value, dict):
            raise ctx.error(f"expected a mapping with keys {', '.join(spec)}", line, name)
        errors = Collect()  # every key's error, not only the first
        for key in value:
            with errors.each():
                if key in self.renamed:
                    raise ctx.error(self.renamed[key], value.key_lines[key],
                                    f"{name}.{key}" if name else key)
                if key not in spec:
                    # repr: a key is no text field, and may hold what a terminal acts on
                    shown = repr(str(key))[1:-1]
                    raise ctx.error(f"unknown key '{shown}'{did_you_mean(key, spec)}; "
                                    f"allowed: {', '.join(spec)}", value.key_lines[key],
                                    f"{name}.{shown}" if name else shown)
        out = {}
        gathered = errors.errors
        for key, field in spec.items():
            # try rather than errors.each(): this runs for every key of every entry.
            try:
                if key in value and value[key] is not None:
                    out[key] = field.check(value[key], value.key_lines[key], ctx,
                                           f"{name}.{key}" if name else key)
                elif field.required:
                    raise ctx.error(f"missing required key '{key}'", value.line,
                                    f"{name}.{key}" if name else key)
            except InputError as exc:
                gathered.extend(getattr(exc, "errors", [exc]))
        errors.raise_any()
        return out

    def fragment(self):
        return {"type": "object", "properties": {k: _property(f) for k, f in self.spec.items()},
                "required": [k for k, f in self.spec.items() if f.required],
                "additionalProperties": False}


def _property(field: Field) -> dict:
    """A key's JSON Schema; an optional key may also be null, which counts as not given."""
    described = field.json()
    if field.required:
        return described
    doc = described.pop("description")
    choices = described.pop("anyOf") if set(described) == {"anyOf"} else [described]
    return {"description": doc, "anyOf": [*choices, {"type": "null"}]}


class ListOf(Field):
    def __init__(self, item: Field, doc: str, *, required: bool = False):
        super().__init__(doc, required=required)
        self.item = item

    def check(self, value, line, ctx, name):
        if not isinstance(value, list):
            raise ctx.error("expected a list", line, name)
        errors, items = Collect(), []
        for v, ln in zip(value, value.item_lines):
            with errors.each():
                items.append(self.item.check(v, ln, ctx, name))
        errors.raise_any()
        return items

    def fragment(self):
        return {"type": "array", "items": self.item.fragment()}

    def describe(self):
        return f"list of {self.item.describe()}s"


class Written(Mapping):
    """A value of the entry (an amount, a share, a time, a role) given with `text`, the words
    of the article that write it: they must stand in one of the entry's quotes."""


class AmountValue(Written):
    type_name = "amount"

    def check(self, value, line, ctx, name) -> Amount:
        m = self.checked(value, line, ctx, name)
        return Amount(m["value"], m["currency"], m["text"], m.get("description"), value.line,
                      m.get("qualifier", "exact"), m.get("role"), m.get("per"))


class QuantityValue(Written):
    """A number with a unit. A part of a whole (a percent or ratio `of` something, not a
    change) lies between 0 and the whole; a percent says of what (`of` or `measure`)."""

    type_name = "quantity"

    def check(self, value, line, ctx, name) -> Quantity:
        m = self.checked(value, line, ctx, name)
        q = Quantity(m["value"], m["unit"], m["text"], value.line, m.get("qualifier", "exact"),
                     m.get("of"), m.get("measure"), m.get("counts"), m.get("recipient"),
                     m.get("change", False), m.get("per"), m.get("description"))
        if q.unit == "percent" and not (q.of or q.measure):
            raise ctx.error("a percentage says of what: give of (the id of the whole) or "
                            "measure (such as revenue or equity)", value.line, name)
        if q.unit in SHARE_UNITS and q.of and not q.change:
            low, high = SHARE_UNITS[q.unit]
            if not low <= q.value <= high:
                raise ctx.error(f"a share in {q.unit} lies between {low} and {high}, not "
                                f"{q.value} (a rise or fall is change: true)",
                                value.key_lines["value"], f"{name}.value")
        elif q.value < 0 and not q.change:
            raise ctx.error(f"a quantity cannot be negative ({q.value}) unless it is a change",
                            value.key_lines["value"], f"{name}.value")
        if q.counts and q.unit != "count":
            raise ctx.error("counts says what a count counts: give it with unit: count",
                            value.key_lines["counts"], f"{name}.counts")
        return q

    def fragment(self):
        number = {"type": "number"}
        part = [{"if": {"properties": {"unit": {"const": unit}}, "required": ["unit", "of"],
                        "not": {"properties": {"change": {"const": True}},
                                "required": ["change"]}},
                 "then": {"properties": {"value": {"anyOf": [
                     {**number, "minimum": int(low), "maximum": int(high)},
                     {"type": "string"}]}}}}
                for unit, (low, high) in SHARE_UNITS.items()]
        percent = {"if": {"properties": {"unit": {"const": "percent"}}, "required": ["unit"]},
                   "then": {"anyOf": [{"required": ["of"]}, {"required": ["measure"]}]}}
        return {**super().fragment(), "allOf": [*part, percent]}


class TimeOf(Written):
    """A time: a point (exactly one of date, month or year), a span (from and/or until), or,
    when the words place it nowhere, only its text (relative: true)."""

    type_name = "time"
    PRECISIONS = ("date", "month", "year")

    def check(self, value, line, ctx, name) -> TimeValue:
        m = self.checked(value, line, ctx, name)
        given = [k for k in self.PRECISIONS if k in m]
        start, until = m.get("from"), m.get("until")
        relative = m.get("relative", False)
        span = start is not None or until is not None
        if len(given) > 1 or (given and span):
            raise ctx.error("give one of date, month or year, or a span with from and/or "
                            "until (as precise as the text allows, no more)", value.line, name)
        if not given and not span and not (relative or "after" in m or "before" in m):
            raise ctx.error("give one of date, month or year, or a span with from and/or "
                            "until; when the words place the time nowhere ('months ago'), "
                            "give only text, with relative: true", value.line, name)
        n = min(len(start[0]), len(until[0])) if start and until else 0
        if n and start[0][:n] > until[0][:n]:
            raise ctx.error(f"the span begins ({start[0]}) after it ends ({until[0]})",
                            value.line, name)
        point = m[given[0]] if given else None
        return TimeValue(point, given[0] if given else None, m["text"], relative, value.line,
                         start[0] if start else None, until[0] if until else None,
                         m.get("after"), m.get("before"))

    def fragment(self):
        points = [{"required": [k]} for k in self.PRECISIONS]
        span = {"anyOf": [{"required": ["from"]}, {"required": ["until"]}]}
        two = [{"allOf": [a, b]} for i, a in enumerate(points) for b in [*points[i + 1:], span]]
        return {**super().fragment(), "not": {"anyOf": two}}


class RoleOf(Written):
    type_name = "role"

    def check(self, value, line, ctx, name) -> Role:
        m = self.checked(value, line, ctx, name)
        return Role(m["organization"], m["title"], m["text"], m.get("head", False), value.line,
                    m.get("former", False))


class Evidence(Field):
    """One or more quotes from the article: each a text, or a mapping of `quote` (see
    `QuoteOf`) that says whether it is a reported claim and who reported it."""

    type_name = "list of quotes"

    def __init__(self, quote: Mapping, doc: str, *, required: bool = False):
        super().__init__(doc, required=required)
        self.quote = quote

    def check(self, value, line, ctx, name) -> list[Quote]:
        if not isinstance(value, list) or not value:
            raise ctx.error("expected a list of one or more quotes from the article", line, name)
        quotes = []
        for item, item_line in zip(value, value.item_lines):
            said = None  # whether the fact sheet says explicitly if the quote is reported
            if isinstance(item, dict):
                m = self.quote.checked(item, item_line, ctx, name)
                said = m.get("reported")
                quote = Quote(m["quote"], item.key_lines["quote"], bool(said), m.get("source"))
            else:
                quote = Quote(Text("").check(item, item_line, ctx, name), item_line)
            if len(quote.text.split()) < MIN_QUOTE_WORDS:
                raise ctx.error(f"the quote “{quote.text}” is too short to prove anything: "
                                "quote the words that carry what the entry asserts", quote.line,
                                name)
            cue = REPORTING_CUE.search(quote.text)
            if cue and said is None:
                # A quote such as "The New York Times reported that ..." reports a claim, yet
                # it also states plainly that the newspaper exists: only the author can tell.
                raise ctx.error(f"the quote says “{cue.group(0)}”: say whether this entry rests "
                                "on a reported claim, as {quote: ..., reported: true} (with "
                                "source: <id> when the article names who reported it), or "
                                "reported: false when the quote states the entry plainly",
                                quote.line, name)
            if quote.reported and not cue and not ATTRIBUTION_CUE.search(quote.text):
                raise ctx.error("marked reported, but the quote has no reporting words "
                                "(reported, reportedly, according to, said, told, citing): "
                                "quote them too", quote.line, name)
            quotes.append(quote)
        return quotes

    def fragment(self):
        words = r"^\s*\S+(\s+\S+){" + str(MIN_QUOTE_WORDS - 1) + "}"
        cue = pattern(REPORTING_CUE, anchored=False)
        either = f"(?:{cue})|(?:{pattern(ATTRIBUTION_CUE, anchored=False)})"
        text = {"type": "string", "allOf": [{"pattern": words}, {"not": {"pattern": cue}}],
                "description": "A quote that states the entry plainly, with no reporting "
                               "words."}
        mapping = self.quote.json()
        mapping["properties"]["quote"]["pattern"] = words
        mapping["allOf"] = [
            {"if": {"required": ["reported"], "properties": {"reported": {"const": True}}},
             "then": {"properties": {"quote": {"pattern": either}}}},
            {"if": {"not": {"required": ["reported"]}},
             "then": {"properties": {"quote": {"not": {"pattern": cue}}}}}]
        return {"type": "array", "minItems": 1, "items": {"anyOf": [text, mapping]}}
