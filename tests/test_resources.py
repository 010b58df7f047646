"""The data folders and the one loader of the ontology."""

from __future__ import annotations

import pytest

from kg import resources

from conftest import ROOT, SEED_COUNTS


def test_data_folders_are_found_at_the_repository_root():
    for name in ("ontology", "shapes", "seeds"):
        assert resources.data_dir(name) == ROOT / name


def test_a_missing_data_folder_says_so():
    with pytest.raises(FileNotFoundError, match="'nothing-here' is missing"):
        resources.data_dir("nothing-here")


def test_ontology_and_shape_files_in_a_fixed_order():
    assert [p.name for p in resources.ontology_files()] == ["alignments.ttl", "kg.ttl"]
    assert [p.name for p in resources.shape_files()] == ["kg.shapes.ttl"]


def test_the_ontology_is_parsed_once():
    first = resources.ontology_triples()
    assert first is resources.ontology_triples()
    assert len(set(first)) == SEED_COUNTS["ontology triples"]
