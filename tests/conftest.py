"""Shared fixtures: one build of the seed graph per test session, and the seed's counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import build, load_dataset

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_SLUG = "verge-2025-01-21-microsoft-openai-compute"
GOLDEN = Path(__file__).resolve().parent / "golden"

# What the seed's graph holds: the one place tests read these numbers from. A change to the
# seed's fact sheet changes them here, and `kg build --out tests/golden -q` rewrites the golden
# files.
SEED_COUNTS = {
    "articles": 1,
    "organizations": 8,  # Stargate, a joint venture, is a ninth kgo:Organization
    "people": 4,
    "products": 4,
    "agreements": 4,
    "clauses": 8,
    "events": 9,
    "evidence annotations": 47,
    "triples": 1241,
    "facts triples": 343,
    "provenance triples": 898,
    "ontology triples": 432,  # kg.ttl and alignments.ttl, each triple once
}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The output folder of `kg build` on the seeds, shared read-only by the tests."""
    out = tmp_path_factory.mktemp("out")
    build([SEEDS], out)
    return out


@pytest.fixture(scope="session")
def seed_dataset():
    """(sheets, quads, prefixes) of the seed article, built in memory."""
    return load_dataset([SEEDS])
