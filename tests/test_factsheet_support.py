"""Helpers for the fact sheet tests (test_factsheet_load, _checks, _times, _schema): the seed,
exact-line edits of its YAML, and loading a pair that must fail. It holds no tests itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import factsheet
from kg.errors import InputError
from kg.sources import Source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = "verge-2025-01-21-microsoft-openai-compute"
SEED_ARTICLE = SEEDS / f"{SEED}.txt"
SEED_FACTSHEET = SEEDS / f"{SEED}.yaml"


def seed_yaml() -> str:
    return SEED_FACTSHEET.read_text(encoding="utf-8")


def _index(text: str, line: str, after: str | None = None) -> int:
    """0-based index of the exact line `line` (the first one after the exact line `after`)."""
    lines = text.split("\n")
    start = 0
    if after is not None:
        assert lines.count(after) == 1, f"anchor line not unique: {after!r}"
        start = lines.index(after) + 1
    else:
        assert lines.count(line) == 1, f"line not unique, give after=: {line!r}"
    for i in range(start, len(lines)):
        if lines[i] == line:
            return i
    raise AssertionError(f"line not found: {line!r}")


def line_of(text: str, line: str, after: str | None = None) -> int:
    """1-based line number of an exact line of `text`."""
    return _index(text, line, after) + 1


def edit(text: str, old: str, new: str | None, after: str | None = None) -> str:
    """Replace one exact line of the YAML text with `new` (several lines, or None to delete)."""
    lines = text.split("\n")
    i = _index(text, old, after)
    lines[i:i + 1] = [] if new is None else new.split("\n")
    return "\n".join(lines)


def write_pair(tmp_path: Path, yaml_text: str, slug: str = "a",
               article: str | Path = SEED_ARTICLE) -> Source:
    """The seed article (or the given text) and `yaml_text` as tmp_path/<slug>.txt/.yaml."""
    txt, yml = tmp_path / f"{slug}.txt", tmp_path / f"{slug}.yaml"
    if isinstance(article, Path):
        shutil.copyfile(article, txt)
    else:
        txt.write_text(article, encoding="utf-8")
    yml.write_text(yaml_text, encoding="utf-8")
    return Source(slug, txt, yml)


def load(tmp_path: Path, yaml_text: str, **kw) -> factsheet.FactSheet:
    return factsheet.load(write_pair(tmp_path, yaml_text, **kw))


def load_errors(tmp_path: Path, yaml_text: str, **kw) -> list[InputError]:
    """Every error of the fact sheet, in the order they were found (one run reports all)."""
    source = write_pair(tmp_path, yaml_text, **kw)
    with pytest.raises(InputError) as info:
        factsheet.load(source)
    assert info.value.path == str(source.factsheet)
    errors = getattr(info.value, "errors", [info.value])
    assert all(e.path == str(source.factsheet) for e in errors)
    return errors


def load_error(tmp_path: Path, yaml_text: str, **kw) -> InputError:
    """The first error of the fact sheet: the one the edit made (others may follow from it)."""
    return load_errors(tmp_path, yaml_text, **kw)[0]
