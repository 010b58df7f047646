"""The draft written as a fact sheet people review: the shipped sheets' layout, one blank line
between entries, and each "_note" as a comment above its entry."""

from __future__ import annotations

import yaml

SECTIONS = ("organizations", "people", "products", "agreements", "clauses", "events")


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the shipped fact sheets write them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(value, indent: str) -> str:
    body = yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=80,
                     default_flow_style=False)
    return "".join(indent + line if line.strip() else line
                   for line in body.splitlines(keepends=True))


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _comment(note: str, indent: str) -> str:
    lines, line = [], ""
    for word in note.split():
        if line and len(indent) + 2 + len(line) + 1 + len(word) > 96:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "".join(f"{indent}# {one}\n" for one in lines if one)


def dump(sheet: dict, article_name: str, header: list[str] = ()) -> str:
    """The fact sheet's YAML text: a header comment, the article, then each section."""
    out = [f"# Draft fact sheet for {article_name}, written by `kg draft`.\n",
           "# Review every entry against the article: correct it, delete what is wrong, add what\n",
           "# is missing. Comments say where the rules were unsure.\n"]
    out += [_comment(line, "") for line in header]
    out.append("\n")
    out.append(_dump({"article": _clean(sheet["article"])}, ""))
    for name in SECTIONS:
        entries = sheet.get(name)
        if not entries:
            continue
        out.append(f"\n{name}:\n")
        for number, entry in enumerate(entries):
            if number:
                out.append("\n")
            if entry.get("_note"):
                out.append(_comment(entry["_note"], "  "))
            body = _dump([_clean(entry)], "  ")
            out.append(body)
    return "".join(out)
