"""A small YAML writer for the fact sheets of benchmarks/corpus.py: block mappings and lists of
text, whole numbers, decimals and booleans, one quote a line, never folded.

PyYAML's pure-Python dumper took 96% of the generator's time (15 s for 1,800 articles); this
writes the same documents (yaml.safe_load reads back exactly the values given, which the tests
check) in a fraction of it, the same on every machine whether or not libyaml is installed."""

from __future__ import annotations

import json
import re

# A text written plain: it starts with a letter and holds no character YAML gives a meaning
# (": ", " #", flow and quoting characters, a trailing colon); the words YAML would read as
# something else (true, no, null...) are quoted.
_PLAIN = re.compile(r"[A-Za-z\u00c0-\u024f][^:#{}\[\],&*!|>'\"%@`\n\t\\]*")
_SPECIAL = {"y", "yes", "n", "no", "true", "false", "on", "off", "null", "nan", "inf"}


def scalar(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if (_PLAIN.fullmatch(text) and not text.endswith(" ") and "  " not in text
            and text.lower() not in _SPECIAL and " -" not in text):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _lines(value, indent: str, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{indent}{key}:")
                _lines(item, indent + ("  " if isinstance(item, dict) else ""), out)
            else:
                out.append(f"{indent}{key}: {_leaf(item)}")
        return
    for item in value:
        if isinstance(item, (dict, list)) and item:
            first = len(out)
            _lines(item, indent + "  ", out)
            out[first] = f"{indent}- {out[first][len(indent) + 2:]}"
        else:
            out.append(f"{indent}- {_leaf(item)}")


def _leaf(value) -> str:
    if isinstance(value, (dict, list)):
        return "{}" if isinstance(value, dict) else "[]"
    return scalar(value)


def dump(document: dict) -> str:
    """The document as block YAML, keys in their order, lists at their key's indentation."""
    out: list[str] = []
    _lines(document, "", out)
    return "\n".join(out) + "\n"
