"""The drafter as a whole: the rules' draft, the model's entries merged in, the checks, the
scores and the file; a person reviews the draft instead of writing it.

>>> from kg.resources import data_dir
>>> result = draft(data_dir("seeds") / "verge-2025-01-21-microsoft-openai-compute.txt",
...                published="2025-01-21", corpus=[])
>>> result.sheet["article"]["title"]
'Microsoft is letting OpenAI get its own AI compute now'
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.drafting import assemble, repair, yamlout
from kg.drafting import evaluate as scoring
from kg.drafting import llm as language_model
from kg.drafting.gazetteer import default_corpus, gazetteer
from kg.drafting.merge import merge
from kg.drafting.verify import verify
from kg.errors import InputError, OutputError
from kg.factsheet.describe import json_schema
from kg.sources import SLUG, read_text


@dataclass
class Draft:
    """A drafted fact sheet, its YAML text, and what was taken out to make it valid."""

    sheet: dict
    text: str
    removed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # what the model gave that failed
    scores: list | None = None  # against a reviewed fact sheet (kg.drafting.evaluate.Score)

    def write(self, path: str | os.PathLike, force: bool = False) -> None:
        """Write the YAML to `path` in one step (a file of that name is replaced only with
        `force`)."""
        path = Path(path)
        check_out(path, force)
        staging = path.with_name(f".{path.name}.kg-draft-{os.getpid()}")
        try:
            staging.write_text(self.text, encoding="utf-8")
            os.replace(staging, path)
        except OSError as exc:
            staging.unlink(missing_ok=True)
            raise OutputError(f"cannot write the draft: {exc.strerror}", path=path) from None


def check_out(path: str | os.PathLike, force: bool = False) -> None:
    """Refuse to write over a file (a reviewed fact sheet, perhaps) unless forced."""
    path = Path(path)
    if path.is_dir():
        raise OutputError("this is a folder; --out names the fact sheet file", path=path)
    if path.exists() and not force:
        raise OutputError("the file exists; give --force to replace it, or another --out",
                          path=path)


def score(result: Draft, gold: str | os.PathLike, article: str | os.PathLike):
    """The draft's precision and recall per type against a reviewed fact sheet
    (kg.drafting.evaluate)."""
    text = read_text(Path(article))
    try:
        reviewed = yaml.safe_load(read_text(Path(gold)))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not YAML: {getattr(exc, 'problem', exc)}", path=gold,
                         line=mark.line + 1 if mark else None) from None
    if not isinstance(reviewed, dict):
        raise InputError("not a fact sheet: a mapping with the sections article, "
                         "organizations, …", path=gold)
    return scoring.evaluate(result.sheet, reviewed, text)


def draft(article: str | os.PathLike, published: str | dt.date | None = None,
          corpus: list | None = None, *, llm: str | None = None, model: str | None = None,
          api_key: str | None = None, timeout: float = 120.0,
          gold: str | os.PathLike | None = None, out: str | os.PathLike | None = None,
          force: bool = False) -> Draft:
    """Draft the fact sheet of an article (a .txt file): the rules, then, with `llm`, the
    model's entries merged in, each checked against the text; `corpus` folders give the ids
    of known entities (by default the bundled seeds and examples). With `gold`, a reviewed
    fact sheet, the draft's `scores`; with `out`, the YAML is written there (an existing file
    only with `force`, checked before any work)."""
    path = Path(article)
    if out is not None:
        check_out(out, force)
    if not SLUG.fullmatch(path.stem):
        raise InputError("the article's file name is not a slug (lowercase letters, digits, "
                         "single hyphens), which kg build needs to name its graphs: rename it, "
                         f"e.g. {assemble.slug(path.stem)}{path.suffix}", path=path)
    text = read_text(path)
    if not text.strip():
        raise InputError("the article is empty", path=path)
    day = _published(published, path)
    folders = default_corpus() if corpus is None else corpus
    names = gazetteer(folders, exclude={path.stem})
    sheet = assemble.draft_sheet(text, day, names)
    dropped: list[str] = []
    if llm:
        answer = language_model.ask(llm, text, schema=json_schema(), model=model,
                                    published=day.isoformat(), api_key=api_key,
                                    timeout=timeout)
        checked, dropped = verify(answer, text, published=day.isoformat())
        checked.pop("article", None)
        sheet = merge(sheet, checked)
    try:
        sheet, removed = repair.repaired(sheet, text, path.stem)
    except InputError as exc:
        raise InputError(exc.message, path=path) from None
    sheet = {key: value for key, value in sheet.items() if value or key == "article"}
    header = ["Every quote below stands in the article; `kg build` accepts this sheet as it is."]
    header += [f"Left out, as the checks refuse it: {what}" for what in removed]
    result = Draft(sheet, yamlout.dump(sheet, path.name, header), removed, dropped)
    if gold is not None:
        result.scores = score(result, gold, path)
    if out is not None:
        result.write(out, force)
    return result


def _published(published, path: Path) -> dt.date:
    if isinstance(published, dt.date):
        return published
    if published is None:
        raise InputError("give the publication date with --published YYYY-MM-DD: a news "
                         "article's text rarely carries it, and relative times (\"on Tuesday\", "
                         "\"last year\") are read against it", path=path)
    try:
        return dt.date.fromisoformat(published)
    except ValueError:
        raise InputError(f"--published takes a date, YYYY-MM-DD; got '{published}'",
                         path=path) from None
