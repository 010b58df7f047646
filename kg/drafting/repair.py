"""A draft the build accepts: the draft is checked as `kg build` checks a fact sheet, and each
field or entry the checks refuse is taken out (and said why, in a comment), until none is."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from kg import pipeline
from kg.drafting import yamlout
from kg.errors import InputError
from kg.factsheet.fields import text_problem
from kg.sources import SLUG
from kg.validation import validate

SECTIONS = yamlout.SECTIONS
ROUNDS = 12


def repaired(sheet: dict, text: str, slug: str, shapes: bool = True) -> tuple[dict, list[str]]:
    """The sheet with what the checks refuse taken out, and the list of what was taken out: the
    fact sheet checks round by round, then (with `shapes`) SHACL on the graph once they pass.
    Any slug will do: the checks run on a copy of the article under a name of their own."""
    removed = _unfit(sheet)
    with tempfile.TemporaryDirectory(prefix="kg-draft-") as folder:
        article = Path(folder) / f"{SLUG.fullmatch(slug) and slug or 'article'}.txt"
        article.write_text(text, encoding="utf-8")
        for _ in range(ROUNDS):
            problems = _problems(sheet, article)
            if not problems and shapes:
                problems = _shape_problems(article)
            if not problems:
                sheet.pop("_gone", None)
                return sheet, removed
            for problem in problems:
                removed.append(_take_out(sheet, problem))
    raise InputError(f"the draft still fails the checks after {ROUNDS} rounds: "
                     f"{removed[-1] if removed else ''}")


def _problems(sheet: dict, article: Path) -> list:
    """The fact sheet checks' errors, each with its entry and field."""
    article.with_suffix(".yaml").write_text(yamlout.dump(sheet, article.name), encoding="utf-8")
    try:
        pipeline.load_sheets([article])
    except InputError as error:
        return list(getattr(error, "errors", [error]))
    return []


def _shape_problems(article: Path) -> list:
    """The SHACL results on the graph the sheet builds."""
    _, quads, _ = pipeline.load_dataset([article])
    return [("shape", r) for r in validate(quads, workers=1).results]


def _unfit(sheet: dict) -> list[str]:
    """Entries holding a character no fact sheet may hold (a control or bidi character copied
    from the article) are taken out before the checks."""
    removed = []
    for section, entry in list(_entries(sheet)):
        problem = next(filter(None, map(text_problem, _strings(entry))), None)
        if problem:
            removed.append(_drop_entry(sheet, section, entry,
                                       f"{entry['id']}: the entry ({problem})"))
    return removed


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _entries(sheet: dict):
    for name in SECTIONS:
        for entry in sheet.get(name) or []:
            yield name, entry


def _take_out(sheet: dict, problem) -> str:
    if isinstance(problem, tuple):
        return _take_out_shape(sheet, problem[1])
    entry_id, field = problem.entry, problem.field
    found = next(((n, e) for n, e in _entries(sheet) if e.get("id") == entry_id), None)
    if found is None and entry_id and entry_id in _gone(sheet):
        return f"{entry_id}: already taken out"
    if found is None:
        if field and field.startswith("article."):
            sheet["article"].pop(field.split(".", 1)[1], None)
            return f"article: {field} ({problem.message})"
        raise InputError(f"the draft fails a check it cannot repair: {problem.message}")
    section, entry = found
    top = (field or "").split(".")[0]
    if top in ("", "id", "name", "evidence", "type", "agreement") or top not in entry:
        return _drop_entry(sheet, section, entry, f"{entry_id}: the entry ({problem.message})")
    target = re.search(r"^'([^']+)'", problem.message)
    value = entry[top]
    if isinstance(value, list) and target and target.group(1) in value:
        value.remove(target.group(1))
        if not value:
            del entry[top]
    elif isinstance(value, list) and top in ("amounts", "quantities", "roles"):
        entry[top] = [v for v in value if v.get("text") not in problem.message]
        if len(entry[top]) == len(value) or not entry[top]:
            del entry[top]
    else:
        del entry[top]
    return f"{entry_id}: {top} ({problem.message})"


def _gone(sheet: dict) -> set[str]:
    return sheet.setdefault("_gone", set())


def _drop_entry(sheet: dict, section: str, entry: dict, why: str = "") -> str:
    """Take the entry out, and every link to it; its clauses go with an agreement. Says so."""
    clauses_before = {c["id"] for c in sheet.get("clauses") or []}
    sheet[section] = [e for e in sheet[section] if e is not entry]
    gone = entry["id"]
    _gone(sheet).add(gone)
    for _, other in _entries(sheet):
        for key, value in list(other.items()):
            if value == gone:
                del other[key]
            elif isinstance(value, list) and gone in value:
                other[key] = [v for v in value if v != gone]
                if not other[key]:
                    del other[key]
        for role in other.get("roles", []):
            if role.get("organization") == gone:
                other["roles"] = [r for r in other["roles"] if r is not role]
        for quote in other.get("evidence", []):
            if isinstance(quote, dict) and quote.get("source") == gone:
                del quote["source"]
    clauses = [c for c in sheet.get("clauses") or [] if "agreement" not in c]
    for clause in clauses:
        _drop_entry(sheet, "clauses", clause)
    article = sheet["article"]
    if article.get("publisher") == gone:
        del article["publisher"]
    if gone in article.get("authors", []):
        article["authors"].remove(gone)
    lost = sorted(clauses_before - {c["id"] for c in sheet.get("clauses") or []} - {gone})
    return why + (f"; with it its clauses {', '.join(lost)}" if lost else "")


def _take_out_shape(sheet: dict, result) -> str:
    """A SHACL result names a node: the entry whose id ends its IRI goes."""
    focus = str(getattr(result, "focus", "") or getattr(result, "focus_node", ""))
    tail = focus.rstrip("/").rsplit("/", 1)[-1]
    for section, entry in _entries(sheet):
        if entry.get("id") == tail:
            return _drop_entry(sheet, section, entry,
                               f"{tail}: the entry (SHACL: {getattr(result, 'message', result)})")
    raise InputError(f"the draft fails a shape it cannot repair: {result.message}")
