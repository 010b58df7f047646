"""The main job as a library call: sources -> checked dataset -> validated -> exports."""

from __future__ import annotations

import shutil

import pytest

import kg
import kg.pipeline as pipeline
from kg.errors import InputError, OutputError
from kg.pipeline import build, count_entries, default_sources, load_dataset
from kg.validation import ValidationFailed

from conftest import SEED_COUNTS, SEED_SLUG, SEEDS


def test_build_counts_the_seed(tmp_path):
    result = build(out=tmp_path)
    assert result.counts == {k: v for k, v in SEED_COUNTS.items()
                             if k not in ("facts triples", "provenance triples",
                                          "ontology triples")} | {"quads": result.counts["quads"]}
    assert result.counts["quads"] == (SEED_COUNTS["facts triples"]
                                      + SEED_COUNTS["provenance triples"])
    assert sorted(p.name for p in result.files) == sorted(p.name for p in tmp_path.iterdir())


def test_the_public_build_is_this_one():
    assert kg.build is build and kg.BuildResult.__module__ == "kg.pipeline"


def test_default_sources_are_the_bundled_seeds():
    assert default_sources() == [SEEDS]


def test_an_entity_two_articles_describe_counts_once(tmp_path):
    for slug in (SEED_SLUG, "second-copy"):
        for ext in (".txt", ".yaml"):
            shutil.copy(SEEDS / f"{SEED_SLUG}{ext}", tmp_path / f"{slug}{ext}")
    sheets, quads, _ = load_dataset([tmp_path])
    counts = count_entries(sheets)
    assert counts["articles"] == 2
    assert counts["organizations"] == SEED_COUNTS["organizations"]
    assert counts["evidence annotations"] == 2 * SEED_COUNTS["evidence annotations"]


def test_load_dataset_mints_under_the_base_iri():
    _, quads, table = load_dataset([SEEDS], "http://example.com/kg/")
    assert table["organization"] == "http://example.com/kg/id/organization/"
    assert all(q.graph_name.value.startswith("http://example.com/kg/graph/") for q in quads)


def test_a_graph_that_does_not_conform_writes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    class Failing:
        conforms = False
        results = ["planted"]

    monkeypatch.setattr(pipeline, "validate", lambda quads: Failing())
    with pytest.raises(ValidationFailed):
        build(out=out)
    assert not out.exists()


def test_missing_sources_are_an_input_error(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        build([tmp_path / "nothing"], out=tmp_path / "out")


@pytest.mark.parametrize("folder", ["ontology", "shapes", "seeds", "."])
def test_kg_own_folders_are_refused_before_any_work(folder, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the sources were read")
    monkeypatch.setattr(pipeline, "load_dataset", never)
    with pytest.raises(OutputError, match="refused as an output folder"):
        build(out=SEEDS.parent / folder)


def test_rebuilding_the_golden_folder_keeps_it_exactly(tmp_path):
    """What `kg build --out tests/golden -q --no-index` does, on a copy of tests/golden."""
    golden = SEEDS.parent / "tests" / "golden"
    copy = tmp_path / "golden"
    shutil.copytree(golden, copy)
    build(out=copy, index=False)
    assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in golden.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["golden"]
