"""Find the data folders (ontology, shapes, seeds) of an installed or checked-out kg, and read
the ontology once: the one loader that every module asks."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name`: inside the wheel as kg/_data/<name>, else at the repository root."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg data folder '{name}' is missing from this installation")


def ontology_files() -> list[Path]:
    """The ontology and its alignments, in a fixed order."""
    return sorted(data_dir("ontology").glob("*.ttl"))


def shape_files() -> list[Path]:
    """The SHACL shapes files, in a fixed order."""
    return sorted(data_dir("shapes").glob("*.ttl"))


@lru_cache(maxsize=1)
def ontology_triples() -> tuple[Triple, ...]:
    """Every triple of the ontology and its alignments, parsed once per process."""
    return tuple(q.triple for path in ontology_files()
                 for q in parse(path=str(path), format=RdfFormat.TURTLE))
