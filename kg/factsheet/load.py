"""Read a fact sheet's YAML, keeping every line, into checked entries (by the schema), then run
the checks against the article and between entries (kg.factsheet.checks)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from kg import yamlines
from kg.errors import Collect, InputError
from kg.factsheet.checks import check
from kg.factsheet.fields import FORBIDDEN_TEXT, Ctx, did_you_mean, text_problem
from kg.factsheet.model import ArticleMeta, Entry, FactSheet
from kg.factsheet.scalars import INTEGER_DIGITS
from kg.factsheet.schema import ARTICLE, SECTIONS, SECTIONS_SCHEMA, Section
from kg.sources import Source, read_text


def load(source: Source) -> FactSheet:
    """Read and check a fact sheet on its own and anchor all its quotes in its article; every
    error of the sheet is raised at once (kg.errors.InputErrors when there are several)."""
    errors = Collect()
    sheet = read(source, errors)
    with errors.each():
        check(sheet, errors)
    errors.raise_any()
    return sheet


def read(source: Source, errors: Collect) -> FactSheet:
    """The fact sheet's article and entries checked against the schema, each entry on its
    own: the errors are gathered in `errors`, and an entry in error is left out (its id in
    `broken`). What cannot be read at all (the files, the YAML) raises at once."""
    path = source.factsheet
    text = read_text(source.article)
    if not text.strip():
        raise InputError("the article is empty", path=source.article)
    factsheet_text = read_text(path)
    raw = _parse(path, factsheet_text)
    ctx = Ctx(path)
    if not isinstance(raw, dict):
        raise ctx.error("a fact sheet is a mapping with the sections article, "
                        + ", ".join(SECTIONS), 1)
    broken: set[str] = set()
    for key in raw:
        if key != "article" and key not in SECTIONS:
            # Its entries' ids are known: references to them are not errors of their own.
            broken |= {item["id"] for item in raw[key] or [] if isinstance(item, dict)
                       and isinstance(item.get("id"), str)} if isinstance(raw[key], list) else set()
            shown = repr(str(key))[1:-1]  # a key may hold what a terminal acts on
            with errors.each():
                raise ctx.error(f"unknown section '{shown}'"
                                f"{did_you_mean(key, ['article', *SECTIONS])}",
                                raw.key_lines[key])
    article = None
    with errors.each():
        article = _article(raw, ctx)

    entries: dict[str, Entry] = {}
    for name, section in SECTIONS_SCHEMA.items():
        items = raw.get(name) or []
        if not isinstance(items, list):
            broken |= {item["id"] for item in items.values() if isinstance(item, dict)
                       and isinstance(item.get("id"), str)} if isinstance(items, dict) else set()
            with errors.each():
                raise ctx.error(f"'{name}' must be a list of entries", raw.key_lines[name])
            continue
        for item, line in zip(items, getattr(items, "item_lines", [])):
            with errors.each():
                try:
                    entry = _entry(item, line, path, section)
                except InputError:
                    entry_id = item.get("id") if isinstance(item, dict) else None
                    if isinstance(entry_id, str):
                        broken.add(entry_id)
                    raise
                if entry.id in entries:
                    first = entries[entry.id]
                    raise InputError(f"the id '{entry.id}' is already used by the {first.kind} "
                                     f"on line {first.line}; ids must be unique in a fact sheet",
                                     path=path, line=line, entry=entry.id, field="id")
                entries[entry.id] = entry
    return FactSheet(source, text, factsheet_text, article, entries, broken=broken)


def _article(raw, ctx: Ctx) -> ArticleMeta:
    if "article" not in raw:
        raise ctx.error("missing the 'article' section (title, published, language)", 1)
    meta = ARTICLE.checked(raw["article"], raw.key_lines["article"], ctx, "article")
    return ArticleMeta(meta["title"], dt.date.fromisoformat(meta["published"]),
                       meta["language"], meta.get("publisher"), meta.get("authors", []),
                       meta.get("url"), raw["article"].line)


# A YAML integer Python refuses to read (more than sys.get_int_max_str_digits() digits).
_LONG_INTEGER = re.compile(r"[0-9]{" + str(max(sys.get_int_max_str_digits(), 1)) + ",}")


def _parse(path: Path, text: str):
    """The YAML, with an integer too long for Python to read named by its line, and with no
    control or bidi character written as such anywhere in the file (as escapes, they are
    refused by the text fields)."""
    # Line by line only to name the line: a line feed is no forbidden character.
    if FORBIDDEN_TEXT.search(text) is not None:
        for number, line in enumerate(text.split("\n"), 1):
            problem = text_problem(line)
            if problem:
                raise InputError(problem.replace("the text holds", "the fact sheet holds"),
                                 path=path, line=number)
    try:
        return yamlines.load(path, text)
    except ValueError:  # raised by int() in the YAML loader, past Python's digit limit
        match = _LONG_INTEGER.search(text.replace("_", ""))
        line = text.replace("_", "")[:match.start()].count("\n") + 1 if match else None
        raise InputError("a number with too many digits for Python to read; numbers have at "
                         f"most {INTEGER_DIGITS} digits before the decimal point", path=path,
                         line=line) from None


def _entry(item, line: int, path: Path, section: Section) -> Entry:
    entry_id = item.get("id") if isinstance(item, dict) else None
    ctx = Ctx(path, entry_id if isinstance(entry_id, str) else None)
    if not isinstance(item, dict):
        raise ctx.error(f"each of '{section.name}' is a mapping with at least id, name and "
                        "evidence", line)
    values = section.entry().checked(item, line, ctx, "")
    evidence = values.pop("evidence")
    lines = {k: item.key_lines[k] for k in item}
    return Entry(section.kind, values["id"], line, values, lines, evidence, path)
