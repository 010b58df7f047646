"""The checks of a fact sheet against its article and between its entries: every reference
names an entry of the right kind, every quote stands in the article (and is anchored there),
and every linked entity and written value is named in the entry's own quotes."""

from __future__ import annotations

from collections.abc import Iterator

from kg import anchor as anchoring
from kg.errors import Collect, InputError
from kg.factsheet.fields import Ref, did_you_mean
from kg.factsheet.model import Entry, FactSheet, Quantity, TimeValue
from kg.factsheet.parts import QUANTITY_REFS, QUOTE, ROLE, TIME_REFS
from kg.factsheet.schema import ARTICLE, links, written
from kg.factsheet.times import check_time


def check(sheet: FactSheet, errors: Collect | None = None) -> None:
    """All the checks, entry by entry: with `errors`, every failure is gathered there;
    without, the first raises InputError."""
    gather = errors or Collect()
    check_references(sheet, gather)
    anchor(sheet, gather)
    check_written_values(sheet, gather)
    if errors is None:
        gather.raise_any()


def check_references(sheet: FactSheet, errors: Collect) -> None:
    """Every reference names an entry of a kind it may name, in this fact sheet or in another
    article of the build."""
    path = sheet.source.factsheet

    def check(entry: Entry | None, target: str, ref: Ref, line: int, name: str):
        with errors.each():
            refer(entry, target, ref, line, name)

    def refer(entry: Entry | None, target: str, ref: Ref, line: int, name: str):
        if target in sheet.broken:
            return  # its own error is reported
        found = sheet.find(target, ref.kinds)
        if found is None or found.kind not in ref.kinds:
            what = ref.what()
            ids = [e.id for e in sheet.entries.values() if e.kind in ref.kinds]
            ids += [i for i, es in sheet.others.items() if any(e.kind in ref.kinds for e in es)]
            where = " in this fact sheet" + (" or another article of the build"
                                              if sheet.others else "")
            also = ""
            if found is not None:
                also = f" (it is the id of a {found.kind}{_declared_at(sheet, found)})"
            raise InputError(f"'{target}' is not the id of a{'n' if what[0] in 'aeiou' else ''} "
                             f"{what}{where}{also}{did_you_mean(target, ids)}", path=path,
                             line=line, entry=entry.id if entry else None, field=name)

    article = sheet.article
    if article is not None:
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
                check(entry, quote.source, QUOTE.spec["source"], quote.line,
                      "evidence.source")
        for fieldname, value in written_values(entry):
            refs = (QUANTITY_REFS if isinstance(value, Quantity)
                    else TIME_REFS if isinstance(value, TimeValue) else {})
            for key, ref in refs.items():
                if getattr(value, key, None):
                    check(entry, getattr(value, key), ref, value.line, f"{fieldname}.{key}")
        with errors.each():
            check_clause_links(sheet, entry)


def _declared_at(sheet: FactSheet, entry: Entry) -> str:
    """Where an entry is declared, for a message that involves two articles."""
    if sheet.entries.get(entry.id) is entry:
        return f" on line {entry.line}"
    return f" declared in {entry.path}:{entry.line}"


# The links by which an agreement or clause changes another: none may name the entry itself.
SELF_LINKS = {"supersedes": "supersede", "amends": "amend", "extends": "extend",
              "terminates": "end"}


def check_clause_links(sheet: FactSheet, entry: Entry) -> None:
    """No entry supersedes, amends, extends or ends itself; a clause depends only on Condition
    clauses, and only a Condition clause says what kind of condition it is."""
    path, v = sheet.source.factsheet, entry.values

    def fail(message: str, fieldname: str):
        raise InputError(message, path=path, line=entry.lines[fieldname], entry=entry.id,
                         field=fieldname)

    for fieldname, verb in SELF_LINKS.items():
        if entry.id in _targets(v.get(fieldname, [])):
            fail(f"{'a clause' if entry.kind == 'clause' else 'an agreement'} cannot {verb} "
                 "itself", fieldname)
    for target in v.get("subject_to", []):
        condition = sheet.find(target, ("clause",))
        if condition is not None and condition.values["type"] != "Condition":
            fail(f"'{target}' is not a clause of type Condition{_declared_at(sheet, condition)}"
                 ": subject_to names the conditions this clause depends on", "subject_to")
    if "condition" in v and v["type"] != "Condition":
        fail("condition gives the kind of a Condition clause: give type: Condition, or leave "
             "condition out", "condition")


def anchor(sheet: FactSheet, errors: Collect) -> None:
    """Find the title and every quote in the article; a quote not found shows the closest
    passage, or says that only the case differs."""
    document = anchoring.Document(sheet.text)
    if sheet.article is not None and document.find(sheet.article.title) is None:
        with errors.each():
            raise InputError(f"the title “{sheet.article.title}” is not in the article "
                             f"{sheet.source.article}{_case_note(document, sheet.article.title)}",
                             path=sheet.source.factsheet, line=sheet.article.line,
                             field="article.title")
    for entry in sheet.entries.values():
        for quote in entry.evidence:
            quote.anchor = document.find(quote.text)
            if quote.anchor is None:
                with errors.each():
                    note = _case_note(document, quote.text) or (
                        f". Closest passage: “{document.closest_passage(quote.text)}”")
                    raise InputError(f"quote not found in {sheet.source.article}: "
                                     f"“{quote.text}”{note}", path=sheet.source.factsheet,
                                     line=quote.line, entry=entry.id, field="evidence")


def _case_note(document: anchoring.Document, quote: str) -> str:
    """', only the case differs: the article writes “…”' when the quote stands but for case."""
    found = document.find(quote, ignore_case=True)
    return f": only the case differs, the article writes “{found.exact}”" if found else ""


def _targets(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def check_written_values(sheet: FactSheet, errors: Collect) -> None:
    """Every linked entity is named (in any case), and every value stands as written, in the
    evidence."""
    path = sheet.source.factsheet
    for entry in sheet.entries.values():
        quotes = " \n ".join(q.text for q in entry.evidence)
        for name, ref in links(entry.kind):
            if ref.named and name in entry.values:
                for target in _targets(entry.values[name]):
                    with errors.each():
                        _check_named(sheet, entry, quotes, name, ref, target)
        for fieldname, value in written_values(entry):
            with errors.each():
                _check_written(entry, quotes, fieldname, value, path)
                if sheet.article is not None and isinstance(value, TimeValue):
                    check_time(sheet, entry, fieldname, value)


def _check_named(sheet: FactSheet, entry: Entry, quotes: str, name: str, ref: Ref,
                 target: str) -> None:
    found = sheet.find(target, ref.kinds)
    if target in sheet.broken or found is None or found.kind not in ref.kinds:
        return  # reported by check_references
    names = sheet.names(target)
    if not any(anchoring.mentions(quotes, n, ignore_case=True) for n in names):
        raise InputError(f"'{target}' is linked here but none of its names ({', '.join(names)}) "
                         "stands in this entry's evidence: quote the words that say so",
                         path=sheet.source.factsheet, line=entry.lines[name], entry=entry.id,
                         field=name)


def _check_written(entry: Entry, quotes: str, fieldname: str, value, path) -> None:
    if not anchoring.mentions(quotes, value.text):
        note = ""
        if anchoring.mentions(quotes, value.text, ignore_case=True):
            note = " (only the case differs: write it as the quote does)"
        raise InputError(f"“{value.text}” is not written in any quote of this entry's "
                         f"evidence{note}: values must be quoted as the article writes them",
                         path=path, line=value.line, entry=entry.id, field=fieldname)


def written_values(entry: Entry) -> Iterator[tuple[str, object]]:
    """(field, value) of each value of the entry given with the words that write it."""
    for fieldname in written(entry.kind):
        if fieldname in entry.values:
            value = entry.values[fieldname]
            for item in value if isinstance(value, list) else [value]:
                yield fieldname, item
