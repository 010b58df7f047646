"""Shared fixtures: one build of the seed graph per test session, and graph comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_SLUG = "verge-2025-01-21-microsoft-openai-compute"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The output folder of `kg build` on the seeds, shared read-only by the tests."""
    out = tmp_path_factory.mktemp("out")
    build([SEEDS], out)
    return out


@pytest.fixture(scope="session")
def seed_dataset():
    """(sheets, quads, prefixes) of the seed article, built in memory."""
    from kg.build import load_dataset

    return load_dataset([SEEDS])
