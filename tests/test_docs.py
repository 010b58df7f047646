"""The README's generated sections are what their tables say today."""

from __future__ import annotations

import pytest

from kg import docs
from kg.formats import EXPORTED, FORMATS

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(docs.SECTIONS))
def test_generated_section_is_up_to_date(name):
    found = docs.current(README, name)
    assert found is not None, f"README.md has no <!-- {name}:start/end --> markers"
    assert found.rstrip("\n") == docs.SECTIONS[name]().rstrip("\n"), (
        f"the README's {name} section is out of date: run `python -m kg.docs README.md`")


def test_rewrite_replaces_only_between_markers():
    text = "before\n<!-- formats:start -->\nstale\n<!-- formats:end -->\nafter\n"
    out = docs.rewrite(text)
    assert out.startswith("before\n<!-- formats:start -->\n| format |")
    assert out.endswith("<!-- formats:end -->\nafter\n") and "stale" not in out
    assert docs.rewrite(out) == out


def test_the_tables_name_every_format():
    for f in FORMATS:
        assert f"`{f.media_type}`" in docs.formats()
    for f in EXPORTED:
        assert f"`graph{f.extension}`" in docs.output_files()


def test_main_rewrites_the_file(tmp_path):
    path = tmp_path / "README.md"
    path.write_text("<!-- output-files:start -->\n<!-- output-files:end -->\n", encoding="utf-8")
    assert docs.main([str(path)]) == 0
    assert "`graph.ttl`" in path.read_text(encoding="utf-8")
