"""The compound field types of a fact sheet: mappings, lists, the values written in quotes
(amounts, shares, times, roles) and evidence. Like the scalar ones (kg.factsheet.fields), each
checks, gives its JSON Schema fragment and names itself for docs."""

from __future__ import annotations

import re
from decimal import Decimal as Number
from typing import Any

from kg.factsheet.fields import Field, Text, did_you_mean, pattern
from kg.factsheet.model import Amount, Quote, Role, Share, TimeValue

REPORTING_CUE = re.compile(r"\b(reported|reportedly|reports?|according to)\b", re.I)
MIN_QUOTE_WORDS = 3
SHARE_UNITS = {"percent": (Number(0), Number(100)), "ratio": (Number(0), Number(1))}


class Mapping(Field):
    """A mapping of the keys of `spec` and no others; a key set to null counts as not given."""

    type_name = "mapping"

    def __init__(self, spec: dict[str, Field], doc: str = "", *, required: bool = False):
        super().__init__(doc, required=required)
        self.spec = spec

    def check(self, value, line, ctx, name) -> Any:
        return self.checked(value, line, ctx, name)

    def checked(self, value, line, ctx, name) -> dict:
        """The mapping with each given key's value checked."""
        spec = self.spec
        if not isinstance(value, dict):
            raise ctx.error(f"expected a mapping with keys {', '.join(spec)}", line, name)
        for key in value:
            if key not in spec:
                # repr: a key is no text field, and may hold what a terminal acts on
                shown = repr(str(key))[1:-1]
                raise ctx.error(f"unknown key '{shown}'{did_you_mean(key, spec)}; allowed: "
                                f"{', '.join(spec)}", value.key_lines[key],
                                f"{name}.{shown}" if name else shown)
        out = {}
        for key, field in spec.items():
            if key in value and value[key] is not None:
                out[key] = field.check(value[key], value.key_lines[key], ctx,
                                       f"{name}.{key}" if name else key)
            elif field.required:
                raise ctx.error(f"missing required key '{key}'", value.line,
                                f"{name}.{key}" if name else key)
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
        return [self.item.check(v, ln, ctx, name) for v, ln in zip(value, value.item_lines)]

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
        return Amount(m["value"], m["currency"], m["text"], m.get("description"), value.line)


class ShareValue(Written):
    type_name = "share"

    def check(self, value, line, ctx, name) -> Share:
        m = self.checked(value, line, ctx, name)
        low, high = SHARE_UNITS[m["unit"]]
        if not low <= m["value"] <= high:
            raise ctx.error(f"a share in {m['unit']} lies between {low} and {high}, not "
                            f"{m['value']}", value.key_lines["value"], f"{name}.value")
        return Share(m["value"], m["unit"], m["text"], m.get("recipient"), m.get("of"),
                     value.line)

    def fragment(self):
        ranges = [{"if": {"properties": {"unit": {"const": unit}}, "required": ["unit"]},
                   "then": {"properties": {"value": {"anyOf": [
                       {"type": "number", "minimum": int(low), "maximum": int(high)},
                       {"type": "string"}]}}}}
                  for unit, (low, high) in SHARE_UNITS.items()]
        return {**super().fragment(), "allOf": ranges}


class TimeOf(Written):
    """A time: exactly one of date, month or year."""

    type_name = "time"
    PRECISIONS = ("date", "month", "year")

    def check(self, value, line, ctx, name) -> TimeValue:
        m = self.checked(value, line, ctx, name)
        given = [k for k in self.PRECISIONS if k in m]
        if len(given) != 1:
            raise ctx.error("give exactly one of date, month or year (as precise as the text "
                            "allows, no more)", value.line, name)
        return TimeValue(m[given[0]], given[0], m["text"], m.get("relative", False), value.line)

    def fragment(self):
        return {**super().fragment(), "oneOf": [{"required": [k]} for k in self.PRECISIONS]}


class RoleOf(Written):
    type_name = "role"

    def check(self, value, line, ctx, name) -> Role:
        m = self.checked(value, line, ctx, name)
        return Role(m["organization"], m["title"], m["text"], m.get("head", False), value.line)


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
            if quote.reported and not cue:
                raise ctx.error("marked reported, but the quote has no reporting words "
                                "(reported, reportedly, according to): quote them too",
                                quote.line, name)
            quotes.append(quote)
        return quotes

    def fragment(self):
        words = r"^\s*\S+(\s+\S+){" + str(MIN_QUOTE_WORDS - 1) + "}"
        cue = pattern(REPORTING_CUE, anchored=False)
        text = {"type": "string", "allOf": [{"pattern": words}, {"not": {"pattern": cue}}],
                "description": "A quote that states the entry plainly, with no reporting "
                               "words."}
        mapping = self.quote.json()
        mapping["properties"]["quote"]["pattern"] = words
        mapping["allOf"] = [
            {"if": {"required": ["reported"], "properties": {"reported": {"const": True}}},
             "then": {"properties": {"quote": {"pattern": cue}}}},
            {"if": {"not": {"required": ["reported"]}},
             "then": {"properties": {"quote": {"not": {"pattern": cue}}}}}]
        return {"type": "array", "minItems": 1, "items": {"anyOf": [text, mapping]}}
