"""kg.yamlines builds the node tree itself (the fast way) and hands anything unusual to
PyYAML's construct_document (the usual way): both give the same values, lines and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg import yamlines
from kg.errors import InputError

FOLDERS = [Path(__file__).resolve().parent.parent / name for name in ("seeds", "examples")]


class _Usual(yamlines._Loader):
    resolve = yamlines._Base.resolve  # PyYAML's own, not the joined lists


def _shape(value):
    """A value with the lines of every mapping, key and list item."""
    if isinstance(value, dict):
        return (type(value), getattr(value, "line", None), getattr(value, "key_lines", None),
                [(k, _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return (type(value), getattr(value, "line", None), getattr(value, "item_lines", None),
                [_shape(v) for v in value])
    return type(value), value


def _outcome(load, text: str):
    try:
        return "value", _shape(load(text))
    except (InputError, yaml.YAMLError, ValueError) as exc:
        return "error", type(exc), str(exc)


def usual(text: str):
    return _outcome(lambda t: yaml.load(t, Loader=_Usual), text)  # noqa: S506 - safe subclass


def fast(text: str):
    return _outcome(yamlines._document, text)


TRICKY = [
    "",
    "a: 1\nb: [x, 'y', 2.5, true, null, ~, 0x1F, 1_000]\n",
    "when: 2025-01-21\nat: 2025-01-21T10:00:00Z\n",  # dates stay text
    "base: &b {x: 1, y: [1, 2]}\none: *b\ntwo: *b\n",  # an alias: one object, twice
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",  # a merge key
    "merged:\n  <<: 5\n  y: 2\n",  # a bad merge
    "a: &a [1, *a]\n",  # recursive
    "? [1, 2]\n: x\n",  # a key that is no text
    "1: x\n",
    "a: 1\na: 2\n",  # a key twice
    "a: !!set {x, y}\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!timestamp 2025-01-21\n",
    "a: !!python/object:os.system x\n",
    "a: !custom x\n",
    "a: !!str 12\nb: !!int '12'\n",
    "= : x\n",
    "a: " + "9" * 5000 + "\n",  # past Python's digit limit
    "- a\n- b: [c, {d: e}]\n-\n  - f\n",
    "a: [1, 2\n",  # a syntax error
]


@pytest.mark.parametrize("text", TRICKY)
def test_the_fast_way_gives_what_the_usual_way_gives(text):
    assert fast(text) == usual(text)


def test_every_shipped_fact_sheet_reads_the_same_both_ways():
    sheets = [p for folder in FOLDERS for p in sorted(folder.glob("*.yaml"))]
    assert sheets
    for path in sheets:
        text = path.read_text(encoding="utf-8")
        assert fast(text) == usual(text), path


def test_an_alias_is_one_object():
    value = yamlines._document("base: &b {x: 1}\none: *b\n")
    assert value["one"] is value["base"] and value["one"].key_lines == {"x": 1}


def test_a_fact_sheet_takes_the_fast_way():
    loader = yamlines._Loader((FOLDERS[0] / next(FOLDERS[0].glob("*.yaml")).name)
                              .read_text(encoding="utf-8"))
    try:
        assert isinstance(yamlines._built(loader, loader.get_single_node(), {}, set()), dict)
    finally:
        loader.dispose()
