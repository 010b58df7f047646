"""The main job: article + fact sheet pairs -> checked graph -> validated -> every export."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from kg import conflicts, corpus, export, order, outdir
from kg.conflicts import Conflict
from kg.graph import build_quads
from kg.index import write as write_index
from kg.iris import Minter
from kg.resources import data_dir
from kg.sources import discover
from kg.validation import ValidationFailed, validate


@dataclass
class BuildResult:
    """What `build` wrote, and how many articles, entries and statements the graph holds."""

    files: list[Path]
    counts: dict[str, int]
    conflicts: list = field(default_factory=list)  # between articles, listed by `kg check`


def default_sources() -> list[Path]:
    """The seed article shipped with kg."""
    return [data_dir("seeds")]


def load_dataset(sources: list[Path] | None = None, base_iri: str | None = None,
                 made: dict[str, str] | None = None):
    """Read and check every pair and build its quads; returns (sheets, quads, prefixes). With
    `made`, it maps each node to the fact sheet entry that made it (for validation reports)."""
    mint = Minter(base_iri)
    sheets = load_sheets(sources)
    return sheets, build_quads(sheets, mint, made), mint.prefixes()


def load_sheets(sources: list | None = None) -> list:
    """The checked fact sheets of the sources (by default the seed), as one build."""
    return corpus.load_all(discover([Path(s) for s in sources or default_sources()]))


def check(sources: list[str | os.PathLike] | None = None) -> list[Conflict]:
    """The conflicts between the articles of a build (kg.conflicts): what they say differently
    of one entity, and entities that are probably one under two ids.

    >>> check()
    []
    """
    return conflicts.find(load_sheets(sources))


def build(sources: list[str | os.PathLike] | None = None, out: str | os.PathLike = "out",
          base_iri: str | None = None, *, index: bool = True) -> BuildResult:
    """Build the graph of the sources (files or folders of X.txt + X.yaml pairs; by default the
    seed), validate it and write every export into `out`, all files or none, switched in as
    one (kg.outdir); kg's own data folders are refused as `out`. With index (the default),
    the query index graph.oxigraph/ is written with them (kg.index).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     result = build(out=out)
    >>> result.counts["articles"], result.counts["organizations"]
    (1, 8)
    >>> sorted(path.name for path in result.files)[:3]
    ['alignments.ttl', 'context.jsonld', 'graph.jsonld']
    """
    outdir.check_target(out, keep_foreign=True, command="kg build",
                        owned=export.OWNED)  # before the work
    sheets, quads, table = load_dataset(sources, base_iri)
    counts = count_entries(sheets)
    found = conflicts.find(sheets)
    del sheets  # the articles' texts and fact sheets are in the quads now; memory peaks later
    report = validate(quads)
    if not report.conforms:
        raise ValidationFailed(with_sources(report, sources, base_iri), "the built graph")
    files = export.write_atomically(Path(out), export.render(quads, table),
                                    finish=partial(write_index, quads=quads) if index else None)
    counts["triples"], counts["quads"] = len(order.triples(quads)), len(order.dataset(quads))
    return BuildResult(files, counts, found)


def with_sources(report, sources, base_iri):
    """The report with each node mapped to the fact sheet entry that made it: the graph is
    made again (only when validation fails), so that a build keeps no such map in memory."""
    made: dict[str, str] = {}
    load_dataset(sources, base_iri, made)
    report.sources = made
    return report


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
