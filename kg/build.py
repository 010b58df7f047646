"""The main job: article + fact sheet pairs -> checked graph -> every export in one folder."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kg import export, factsheet, order
from kg.graph import build_quads
from kg.iris import Minter
from kg.namespaces import prefixes
from kg.resources import data_dir
from kg.sources import discover


@dataclass
class BuildResult:
    files: list[Path]
    counts: dict[str, int]


def default_sources() -> list[Path]:
    return [data_dir("seeds")]


def load_dataset(sources: list[Path] | None = None, base_iri: str | None = None):
    """Read and check every pair and build its quads; returns (sheets, quads, prefixes)."""
    mint = Minter(base_iri)
    sheets = [factsheet.load(s) for s in discover(sources or default_sources())]
    return sheets, build_quads(sheets, mint), prefixes(mint.base)


def build(sources: list[Path] | None = None, out_dir: Path = Path("out"),
          base_iri: str | None = None) -> BuildResult:
    """Build the graph from the sources and write all exports to out_dir atomically."""
    from kg.validate import ValidationFailed, validate

    sheets, quads, table = load_dataset(sources, base_iri)
    counts = count_entries(sheets)
    del sheets  # the articles' texts and fact sheets are in the quads now; memory peaks later
    report = validate(quads)
    if not report.conforms:
        raise ValidationFailed(report, "the built graph")
    files = export.write_atomically(out_dir, export.render(quads, table))
    counts["triples"], counts["quads"] = len(order.triples(quads)), len(order.dataset(quads))
    return BuildResult(files, counts)


def count_entries(sheets) -> dict[str, int]:
    """Articles and entries by kind; an entity that several articles describe counts once."""
    kinds: Counter = Counter()
    entities = set()
    for sheet in sheets:
        for entry in sheet.entries.values():
            if (entry.kind, entry.id) not in entities:
                entities.add((entry.kind, entry.id))
                kinds[entry.kind] += 1
            kinds["annotation"] += len(entry.evidence)
    return {"articles": len(sheets), "organizations": kinds["organization"],
            "people": kinds["person"], "products": kinds["product"],
            "agreements": kinds["agreement"], "clauses": kinds["clause"],
            "events": kinds["event"], "evidence annotations": kinds["annotation"]}
