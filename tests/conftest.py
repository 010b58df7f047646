"""Shared fixtures: one build of the seed graph per test session, and the seed's counts."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kg.pipeline import build, load_dataset

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_SLUG = "verge-2025-01-21-microsoft-openai-compute"
GOLDEN = Path(__file__).resolve().parent / "golden"

# What the seed's graph holds: the one place tests read these numbers from. A change to the
# seed's fact sheet changes them here, and `kg build --out tests/golden -q --no-index`
# rewrites the golden files.
SEED_COUNTS = {
    "articles": 1,
    "organizations": 8,  # Stargate, a joint venture, is a ninth kgo:Organization
    "people": 4,
    "products": 4,
    "agreements": 4,
    "clauses": 8,
    "events": 9,
    "evidence annotations": 47,
    "triples": 1282,
    "facts triples": 382,  # superclass types, qualifiers and lifecycle links
    "provenance triples": 900,
    "ontology triples": 1358,  # kg.ttl and alignments.ttl, each triple once
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


EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def example_store(tmp_path_factory):
    """A function of an example's slug that builds that article alone (once per session) and
    gives a pyoxigraph Store of its dataset; query it with use_default_graph_as_union=True."""
    stores: dict[str, pyoxigraph.Store] = {}

    def get(slug: str) -> pyoxigraph.Store:
        if slug not in stores:
            out = tmp_path_factory.mktemp(slug)
            build([EXAMPLES / f"{slug}.yaml"], out)
            store = pyoxigraph.Store()
            store.bulk_load(path=str(out / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
            stores[slug] = store
        return stores[slug]

    return get


@pytest.fixture(scope="session")
def corpus_built(tmp_path_factory) -> Path:
    """The output folder of `kg build seeds/ examples/`: the six articles built together."""
    out = tmp_path_factory.mktemp("corpus")
    build([SEEDS, EXAMPLES], out)
    return out
