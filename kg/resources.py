"""Find the data folders (ontology, shapes, seeds) of an installed or checked-out kg."""

from __future__ import annotations

from pathlib import Path

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
