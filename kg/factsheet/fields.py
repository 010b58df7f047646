"""The text and reference field types of a fact sheet (text, slugs, ids, references). Each checks a
YAML value at its line, raising InputError with path, line, entry and field; gives its JSON
Schema fragment; and names itself in a few words for the field reference."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import pycountry

from kg.errors import InputError
from kg.iris import web_iri_problem
from kg.literals import LANGUAGE_TAG
from kg.namespaces import VOCABULARY_PREFIXES, shortener
from kg.sources import SLUG

# ISO 4217 alphabetic codes, to refuse typos such as 'USS'.
CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies)
WIKIDATA = re.compile(r"Q[1-9][0-9]*")
# What no text field may hold: a lone surrogate or NUL (UTF-8 and RDF cannot carry them), C0
# controls other than tab, line feed and carriage return (which become spaces), DEL, the C1
# controls (NEL included), and the bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069) that make text read otherwise than it is stored. The marks U+200E, U+200F
# and U+061C stay allowed: they embed nothing, reorder only their neighbours, and right-to-left
# names need them.
FORBIDDEN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e"
                            "\u2066-\u2069\ud800-\udfff]")
# The same, as a JSON Schema pattern (JSON text cannot hold a lone surrogate).
_FORBIDDEN_JSON = FORBIDDEN_TEXT.pattern.replace("\ud800-\udfff", "")
_CHARACTER_KIND = (("\x00", "NUL, which RDF text cannot carry"),
                   ("\ud800\udfff", "a lone surrogate, which RDF text cannot carry"),
                   ("\x01\x1f", "a control character"), ("\x7f\x7f", "a control character"),
                   ("\x80\x9f", "a control character"),
                   ("\u202a\u202e", "a bidirectional embedding or override"),
                   ("\u2066\u2069", "a bidirectional isolate"))


def text_problem(value: str) -> str | None:
    """What makes value unfit for a text field (see FORBIDDEN_TEXT), or None."""
    bad = FORBIDDEN_TEXT.search(value)
    if bad is None:
        return None
    c = bad.group()
    kind = next(what for span, what in _CHARACTER_KIND if span[0] <= c <= span[-1])
    return f"the text holds the character U+{ord(c):04X} ({kind}); remove it"


class Ctx:
    """Where we are in the fact sheet, for error messages."""

    def __init__(self, path: Path, entry: str | None = None):
        self.path, self.entry = path, entry

    def error(self, message: str, line: int | None, fieldname: str | None = None) -> InputError:
        return InputError(message, path=self.path, line=line, entry=self.entry, field=fieldname)


def did_you_mean(word: str, choices) -> str:
    """' (did you mean 'x'?)' for the choice closest to a mistyped word, or ''."""
    hint = difflib.get_close_matches(str(word), list(choices), n=1)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def pattern(regex: re.Pattern, *, anchored: bool = True) -> str:
    """A Python regex as a JSON Schema (ECMA 262) pattern, anchored for a full match unless
    told not, with re.IGNORECASE spelled out in classes (JSON Schema patterns take no flags)."""
    source = regex.pattern
    if regex.flags & re.IGNORECASE:
        out, i, in_class = [], 0, False
        while i < len(source):
            c = source[i]
            if c == "\\":
                out.append(source[i:i + 2])
                i += 2
                continue
            end = source[i + 2:i + 3]
            if in_class and c.isalpha() and source[i + 1:i + 2] == "-" and end.isalpha():
                out.append(f"{c}-{end}{c.swapcase()}-{end.swapcase()}")
                i += 3
                continue
            if c.isalpha():
                out.append(c + c.swapcase() if in_class else f"[{c}{c.swapcase()}]")
            else:
                out.append(c)
                in_class = (c == "[") or (in_class and c != "]")
            i += 1
        source = "".join(out)
    return f"^(?:{source})$" if anchored else source


def _items(value, line):
    items = value if isinstance(value, list) else [value]
    return items, getattr(value, "item_lines", [line] * len(items))


class Field:
    """One key of a mapping: whether it must be given, what it means, how it is checked."""

    type_name = "value"

    def __init__(self, doc: str, *, required: bool = False):
        self.doc, self.required = doc, required

    def check(self, value, line: int, ctx: Ctx, name: str) -> Any:
        return value

    def fragment(self) -> dict:
        """The JSON Schema of the value, without its description."""
        return {}

    def json(self) -> dict:
        return {"description": self.doc, **self.fragment()}

    def describe(self) -> str:
        """The type, in a few words, for the field reference."""
        return self.type_name


class Text(Field):
    type_name = "text"

    def check(self, value, line, ctx, name):
        if not isinstance(value, str) or not value.strip():
            raise ctx.error(f"expected non-empty text, found {value!r}", line, name)
        # YAML escapes can make what UTF-8 cannot carry (a lone surrogate, a NUL) and what
        # terminals and XML must not see (ESC, BEL, C1 controls) or what misleads the reader
        # (bidi overrides).
        problem = text_problem(value)
        if problem:
            raise ctx.error(problem, line, name)
        return " ".join(value.split())

    def fragment(self):
        return {"type": "string", "pattern": r"\S", "not": {"pattern": _FORBIDDEN_JSON}}


class WebAddress(Text):
    """An absolute http(s) IRI, checked by an IRI parser: pages link to it."""

    type_name = "http(s) IRI"

    def check(self, value, line, ctx, name):
        iri = super().check(value, line, ctx, name)
        problem = web_iri_problem(value.strip())
        if problem or iri != value.strip():
            raise ctx.error(f"{value!r} is not an absolute http or https IRI: "
                            f"{problem or 'it holds spaces'}", line, name)
        return iri

    def fragment(self):
        return {**super().fragment(), "format": "iri",
                "pattern": "^[hH][tT][tT][pP][sS]?://[^/?#\\s]"}


class Currency(Text):
    type_name = "ISO 4217 currency code"

    def check(self, value, line, ctx, name):
        code = super().check(value, line, ctx, name)
        if code not in CURRENCIES:
            raise ctx.error(f"'{code}' is not an ISO 4217 currency code (like USD or EUR)",
                            line, name)
        return code

    def fragment(self):
        return {"type": "string", "enum": sorted(CURRENCIES)}


class Language(Text):
    type_name = "BCP 47 language tag"

    def check(self, value, line, ctx, name):
        tag = super().check(value, line, ctx, name)
        if not LANGUAGE_TAG.fullmatch(tag):
            raise ctx.error(f"'{tag}' is not a BCP 47 language tag (like en or en-GB)", line,
                            name)
        return tag

    def fragment(self):
        return {"type": "string", "pattern": pattern(LANGUAGE_TAG)}


class Slug(Field):
    type_name = "slug"

    def check(self, value, line, ctx, name):
        if not isinstance(value, str) or not SLUG.fullmatch(value):
            raise ctx.error(f"{value!r} is not a slug: use lowercase letters, digits and single "
                            "hyphens (like 'openai' or 'stargate-joint-venture')", line, name)
        return value

    def fragment(self):
        return {"type": "string", "pattern": pattern(SLUG)}


class Bool(Field):
    type_name = "true or false"

    def __init__(self, doc: str, *, required: bool = False, property: str = ""):
        super().__init__(doc, required=required)
        self.property = property  # with one, the graph writes the value as an xsd:boolean

    def check(self, value, line, ctx, name):
        if not isinstance(value, bool):
            raise ctx.error(f"expected true or false, found {value!r}", line, name)
        return value

    def fragment(self):
        return {"type": "boolean"}


class Texts(Field):
    type_name = "text or list of texts"

    def check(self, value, line, ctx, name):
        items, lines = _items(value, line)
        text = Text("")
        return [text.check(v, ln, ctx, name) for v, ln in zip(items, lines)]

    def fragment(self):
        one = Text("").fragment()
        return {"anyOf": [one, {"type": "array", "items": one}]}


class Wikidata(Field):
    type_name = "Wikidata item id"

    def check(self, value, line, ctx, name):
        if not isinstance(value, str) or not WIKIDATA.fullmatch(value):
            raise ctx.error(f"{value!r} is not a Wikidata item id (like Q2283)", line, name)
        return value

    def fragment(self):
        return {"type": "string", "pattern": pattern(WIKIDATA)}


class OneOf(Field):
    """One of `choices`; a mapping of choices gives the local name of the kgo term each one
    stands for. With a `property`, the graph writes that term (or a boolean) as its value."""

    def __init__(self, choices, doc: str, *, required: bool = False, property: str = ""):
        super().__init__(doc, required=required)
        self.choices = tuple(choices)
        self.names = dict(choices) if isinstance(choices, dict) else {c: c for c in choices}
        self.property = property

    def check(self, value, line, ctx, name):
        if value not in self.choices:
            raise ctx.error(f"{value!r} is not one of: {', '.join(self.choices)}"
                            f"{did_you_mean(value, self.choices)}", line, name)
        return value

    def fragment(self):
        return {"type": "string", "enum": list(self.choices)}

    def describe(self):
        return "one of " + ", ".join(f"`{c}`" for c in self.choices)


_shortener = shortener(VOCABULARY_PREFIXES)


def _short(iri: str) -> str:
    return _shortener(iri) or f"<{iri}>"


def _a(what: str) -> str:
    return f"a{'n' if what[0] in 'aeiou' else ''} {what}"


class Ref(Slug):
    """The id of another entry: of one of `kinds`; when `named`, one of its names must stand
    in the quotes of the entry that refers to it. In the graph it becomes `property` (one IRI
    or several) from the entry to the one named, and `inverse` from that one back."""

    def __init__(self, kinds, doc: str, *, named: bool, property=(), inverse: str | None = None,
                 required: bool = False):
        super().__init__(doc, required=required)
        self.kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
        self.named = named
        self.properties = (property,) if isinstance(property, str) else tuple(property)
        self.inverse = inverse

    def what(self) -> str:
        """'organization', 'organization or person': what the ids may name."""
        return " or ".join(self.kinds)

    def describe(self):
        return f"id of {_a(self.what())}"

    def full_doc(self) -> str:
        """The description, with what the declaration says of the link."""
        parts = [self.doc]
        if self.named:
            parts.append("Each entry named here must be named, by its name or an alias, in "
                         "this entry's quotes.")
        if self.properties:
            parts.append("In the graph: " + ", ".join(f"`{_short(p)}`" for p in self.properties)
                         + ".")
        if self.inverse:
            parts.append(f"In the graph, the entry named gets `{_short(self.inverse)}` to this "
                         "one.")
        return " ".join(parts)

    def json(self):
        return {"description": self.full_doc(), **self.fragment()}


class Refs(Ref):
    """Several ids (a list, or one id alone), none twice, at least `min_items` of them."""

    def __init__(self, kinds, doc: str, *, named: bool, property=(), inverse: str | None = None,
                 min_items: int = 0, too_few: str = "", required: bool = False):
        super().__init__(kinds, doc, named=named, property=property, inverse=inverse,
                         required=required)
        self.min_items, self.too_few = min_items, too_few

    def check(self, value, line, ctx, name):
        items, lines = _items(value, line)
        checked = [Slug.check(self, v, ln, ctx, name) for v, ln in zip(items, lines)]
        if len(set(checked)) != len(checked):
            raise ctx.error("the same entry is listed twice", line, name)
        if len(checked) < self.min_items:
            raise ctx.error(self.too_few, line, name)
        return checked

    def fragment(self):
        one = Slug("").fragment()
        many = {"type": "array", "items": one, "uniqueItems": True}
        if self.min_items:
            return {**many, "minItems": self.min_items}
        return {"anyOf": [one, many]}

    def describe(self):
        plural = " or ".join(k + ("s" if not k.endswith("s") else "") for k in self.kinds)
        plural = plural.replace("persons", "people")
        least = f" (at least {self.min_items})" if self.min_items else ""
        return f"list of ids of {plural}{least}"
