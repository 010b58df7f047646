"""The checks of a fact sheet against its article and between its entries: every reference
names an entry of the right kind, every quote stands in the article (and is anchored there),
and every linked entity and written value is named in the entry's own quotes."""

from __future__ import annotations

from collections.abc import Iterator

from kg import anchor as anchoring
from kg.errors import InputError
from kg.factsheet.fields import Ref, did_you_mean
from kg.factsheet.model import Entry, FactSheet, Quantity, TimeValue
from kg.factsheet.parts import QUANTITY_REFS, QUOTE, ROLE, TIME_REFS
from kg.factsheet.schema import ARTICLE, links, written
from kg.factsheet.times import check_time


def check(sheet: FactSheet) -> None:
    """All the checks, in order; the first failure raises InputError."""
    check_references(sheet)
    anchor(sheet)
    check_written_values(sheet)


def check_references(sheet: FactSheet) -> None:
    path = sheet.source.factsheet

    def check(entry: Entry | None, target: str, ref: Ref, line: int, name: str):
        found = sheet.entries.get(target)
        if found is None or found.kind not in ref.kinds:
            what = ref.what()
            ids = [e.id for e in sheet.entries.values() if e.kind in ref.kinds]
            raise InputError(f"'{target}' is not the id of a{'n' if what[0] in 'aeiou' else ''} "
                             f"{what} in this fact sheet{did_you_mean(target, ids)}", path=path,
                             line=line, entry=entry.id if entry else None, field=name)

    article = sheet.article
    if article.publisher:
        check(None, article.publisher, ARTICLE.spec["publisher"], article.line,
              "article.publisher")
    for author in article.authors:
        check(None, author, ARTICLE.spec["authors"], article.line, "article.authors")
    for entry in sheet.entries.values():
        for name, ref in links(entry.kind):
            if name in entry.values:
                for target in _targets(entry.values[name]):
                    check(entry, target, ref, entry.lines[name], name)
        for role in entry.values.get("roles", []):
            check(entry, role.organization, ROLE.spec["organization"], role.line,
                  "roles.organization")
        for quote in entry.evidence:
            if quote.source:
                check(entry, quote.source, QUOTE.spec["source"], quote.line, "evidence.source")
        for fieldname, value in written_values(entry):
            refs = (QUANTITY_REFS if isinstance(value, Quantity)
                    else TIME_REFS if isinstance(value, TimeValue) else {})
            for key, ref in refs.items():
                if getattr(value, key, None):
                    check(entry, getattr(value, key), ref, value.line, f"{fieldname}.{key}")
        check_clause_links(sheet, entry)


def check_clause_links(sheet: FactSheet, entry: Entry) -> None:
    """No entry supersedes itself; a clause depends only on Condition clauses, and only a
    Condition clause says what kind of condition it is."""
    path, v = sheet.source.factsheet, entry.values

    def fail(message: str, fieldname: str):
        raise InputError(message, path=path, line=entry.lines[fieldname], entry=entry.id,
                         field=fieldname)

    if v.get("supersedes") == entry.id:
        fail(f"{'a clause' if entry.kind == 'clause' else 'an agreement'} cannot supersede "
             "itself", "supersedes")
    for target in v.get("subject_to", []):
        if sheet.entries[target].values["type"] != "Condition":
            fail(f"'{target}' is not a clause of type Condition: subject_to names the "
                 "conditions this clause depends on", "subject_to")
    if "condition" in v and v["type"] != "Condition":
        fail("condition gives the kind of a Condition clause: give type: Condition, or leave "
             "condition out", "condition")


def anchor(sheet: FactSheet) -> None:
    """Find the title and every quote in the article; a quote not found shows the closest
    passage."""
    document = anchoring.Document(sheet.text)
    if document.find(sheet.article.title) is None:
        raise InputError(f"the title “{sheet.article.title}” is not in the article "
                         f"{sheet.source.article}", path=sheet.source.factsheet,
                         line=sheet.article.line, field="article.title")
    for entry in sheet.entries.values():
        for quote in entry.evidence:
            quote.anchor = document.find(quote.text)
            if quote.anchor is None:
                raise InputError(
                    f"quote not found in {sheet.source.article}: “{quote.text}”. "
                    f"Closest passage: “{document.closest_passage(quote.text)}”",
                    path=sheet.source.factsheet, line=quote.line, entry=entry.id,
                    field="evidence")


def _targets(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def _names(sheet: FactSheet, entry_id: str) -> list[str]:
    target = sheet.entries[entry_id]
    return [target.name, *target.values.get("aliases", [])]


def check_written_values(sheet: FactSheet) -> None:
    """Every linked entity is named, and every value stands as written, in the evidence."""
    path = sheet.source.factsheet
    for entry in sheet.entries.values():
        quotes = " \n ".join(q.text for q in entry.evidence)
        for name, ref in links(entry.kind):
            if not ref.named or name not in entry.values:
                continue
            for target in _targets(entry.values[name]):
                names = _names(sheet, target)
                if not any(anchoring.mentions(quotes, n) for n in names):
                    raise InputError(
                        f"'{target}' is linked here but none of its names ({', '.join(names)}) "
                        "stands in this entry's evidence: quote the words that say so",
                        path=path, line=entry.lines[name], entry=entry.id, field=name)
        for fieldname, value in written_values(entry):
            if not anchoring.mentions(quotes, value.text):
                raise InputError(f"“{value.text}” is not written in any quote of this entry's "
                                 "evidence: values must be quoted as the article writes them",
                                 path=path, line=value.line, entry=entry.id, field=fieldname)
        for fieldname, value in written_values(entry):
            if isinstance(value, TimeValue):
                check_time(sheet, entry, fieldname, value)


def written_values(entry: Entry) -> Iterator[tuple[str, object]]:
    """(field, value) of each value of the entry given with the words that write it."""
    for fieldname in written(entry.kind):
        if fieldname in entry.values:
            value = entry.values[fieldname]
            for item in value if isinstance(value, list) else [value]:
                yield fieldname, item
