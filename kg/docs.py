"""The README's generated sections, made from the tables they describe (the format table, the
fact sheet's schema, the example queries), and the command that rewrites them:
`python -m kg.docs README.md`."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from kg import catalog, factsheet
from kg.formats import EXPORTED, FORMATS
from kg.index import INDEX_DIR
from kg.resources import ontology_files


def output_files() -> str:
    """The table of the files `kg build` writes."""
    rows = ["| file | media type | what |", "|---|---|---|"]
    rows += [f"| `graph{f.extension}` | `{f.media_type}` | {f.description} |" for f in EXPORTED]
    ontology = ", ".join(f"`{p.name}`" for p in reversed(ontology_files()))
    rows += ["| `context.jsonld` | `application/ld+json` | the JSON-LD context, for writing or "
             "reading the same JSON-LD |",
             f"| {ontology} | `text/turtle` | the ontology and its alignments |",
             f"| `{INDEX_DIR}/` | – | not a product file: the query index of `graph.trig` that "
             "`kg query` reads (an Oxigraph store; `--no-index` leaves it out) |"]
    return "\n".join(rows)


def formats() -> str:
    """The table of every RDF format kg reads or writes, and where."""
    yes = {True: "yes", False: "–"}
    rows = ["| format | file names | media type | `kg build` writes it | each published "
            "resource has it | names |", "|---|---|---|---|---|---|"]
    for f in FORMATS:
        names = ", ".join(f"`{n}`" for n in (f.name, *f.aliases))
        files = ", ".join(f"`{e}`" for e in (f.extension, *f.read_extensions))
        rows.append(f"| {f.label} | {files} | `{f.media_type}` | {yes[f.exported]} | "
                    f"{yes[f.served]} | {names} |")
    return "\n".join(rows)


def example_queries() -> str:
    """The table of the example queries kg ships, with the question each answers."""
    rows = ["| name | question |", "|---|---|"]
    for example in catalog.examples():
        kind = " (CONSTRUCT)" if "CONSTRUCT" in example.text else ""
        rows.append(f"| `{example.name}` | {example.question}{kind} |")
    return "\n".join(rows)


SECTIONS: dict[str, Callable[[], str]] = {
    "example-queries": example_queries,
    "output-files": output_files,
    "formats": formats,
    "fact-sheet-reference": factsheet.field_reference,
}


def _marker(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- {name}:start -->\n)(.*?)(<!-- {name}:end -->)", re.S)


def current(text: str, name: str) -> str | None:
    """The text of one generated section as the README has it, or None without its markers."""
    match = _marker(name).search(text)
    return match.group(2) if match else None


def rewrite(text: str) -> str:
    """The README with every generated section made anew."""
    for name, make in SECTIONS.items():
        text = _marker(name).sub(lambda m, make=make: m.group(1) + make().rstrip("\n") + "\n"
                                 + m.group(3), text)
    return text


def main(argv: list[str] | None = None) -> int:
    path = Path((argv if argv is not None else sys.argv[1:] or ["README.md"])[0])
    text = path.read_text(encoding="utf-8")
    updated = rewrite(text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
