"""Every export parses back to the graph that was built, the same bytes every time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg import export
from kg.errors import OutputError
from kg.formats import BY_NAME, EXPORTED, from_path
from kg.index import INDEX_DIR

from conftest import GOLDEN, SEEDS
from rdfdiff import describe_difference

TRIPLE_FORMATS = [f for f in EXPORTED if not f.dataset]
DATASET_FORMATS = [f for f in EXPORTED if f.dataset]


def expected_triples(quads) -> set:
    return {q.triple for q in quads}


def reference_graph(quads) -> rdflib.Graph:
    """The built triples as an rdflib graph, made from memory rather than from an export."""
    data = ox.serialize(list(expected_triples(quads)), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


def test_build_writes_every_file(built):
    names = {p.name for p in built.iterdir()}
    expected = {f"graph{f.extension}" for f in EXPORTED} | {"context.jsonld", "kg.ttl",
                                                           "alignments.ttl", INDEX_DIR}
    assert names == expected
    assert (built / INDEX_DIR).is_dir()  # the query index (kg.index), not a product file


@pytest.mark.parametrize("fmt", TRIPLE_FORMATS, ids=lambda f: f.name)
def test_triple_exports_parse_back_with_pyoxigraph(fmt, built, seed_dataset):
    _, quads, _ = seed_dataset
    parsed = {q.triple for q in ox.parse(path=str(built / f"graph{fmt.extension}"),
                                         format=fmt.oxigraph)}
    assert parsed == expected_triples(quads)


@pytest.mark.parametrize("fmt", TRIPLE_FORMATS, ids=lambda f: f.name)
def test_triple_exports_parse_back_with_rdflib(fmt, built, seed_dataset):
    _, quads, _ = seed_dataset
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[fmt.name]
    parsed = rdflib.Graph().parse(built / f"graph{fmt.extension}", format=rdflib_format)
    assert describe_difference(reference_graph(quads), parsed) == ""


@pytest.mark.parametrize("fmt", DATASET_FORMATS, ids=lambda f: f.name)
def test_dataset_exports_keep_named_graphs(fmt, built, seed_dataset):
    _, quads, _ = seed_dataset
    parsed = set(ox.parse(path=str(built / f"graph{fmt.extension}"), format=fmt.oxigraph))
    assert parsed == set(quads)
    graphs = {q.graph_name for q in parsed}
    assert all(isinstance(g, ox.NamedNode) for g in graphs), "nothing in the default graph"
    assert sorted(g.value.rsplit("/", 1)[1] for g in graphs) == ["facts", "provenance"]


def test_trig_parses_with_rdflib_into_the_same_named_graphs(built, seed_dataset):
    _, quads, _ = seed_dataset
    dataset = rdflib.Dataset()
    dataset.parse(built / "graph.trig", format="trig")
    names = {str(q.graph_name.value) for q in quads}
    found = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert found == names
    for name in names:
        expected = [q for q in quads if q.graph_name.value == name]
        graph = dataset.graph(rdflib.URIRef(name))
        assert describe_difference(reference_graph(expected), graph) == ""
    assert len(dataset.default_graph) == 0


def test_jsonld_is_compacted_with_inline_context(built):
    doc = json.loads((built / "graph.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict), "context inline, never a URL"
    assert all(isinstance(v, str) for v in doc["@context"].values())
    ids = [node["@id"] for node in doc["@graph"]]
    assert "organization:microsoft" in ids
    microsoft = doc["@graph"][ids.index("organization:microsoft")]
    assert microsoft["@type"] == "kgo:Organization"
    assert microsoft["owl:sameAs"] == {"@id": "wd:Q2283"}
    context = json.loads((built / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert doc["@context"].items() <= context.items()


RDF_TYPE = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "


def _reading_key(line: str) -> str:
    return line.replace(RDF_TYPE, " \x00 ", 1)


def test_ntriples_lines_are_unique_and_sorted_by_subject_with_types_first(built):
    lines = (built / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines), key=_reading_key)
    assert all(line.endswith(" .") for line in lines)
    first_of_subject = {}
    for line in lines:
        first_of_subject.setdefault(line.split(" ", 1)[0], line)
    typed = {line.split(" ", 1)[0] for line in lines if RDF_TYPE in line}
    assert all(RDF_TYPE in first_of_subject[s] for s in typed)


def test_nquads_lines_are_unique_and_grouped_graph_by_graph(built):
    quads = list(ox.parse(path=str(built / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    lines = (built / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(quads)
    graphs = [q.graph_name.value for q in quads]
    assert graphs == sorted(graphs), "each graph's quads are together, graphs sorted by name"
    for name in set(graphs):
        mine = [line for line, g in zip(lines, graphs) if g == name]
        assert mine == sorted(mine, key=_reading_key)


def test_exports_hold_the_same_triples(built):
    sets = {fmt.name: {q.triple for q in ox.parse(path=str(built / f"graph{fmt.extension}"),
                                                  format=fmt.oxigraph)}
            for fmt in TRIPLE_FORMATS}
    trig = {q.triple for q in ox.parse(path=str(built / "graph.trig"),
                                       format=ox.RdfFormat.TRIG)}
    assert all(s == trig for s in sets.values())
    assert len(trig) > 1000


def _build_in_subprocess(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "kg.cli", "build", "-q", str(SEEDS), "--out",
                    str(out)], check=True, env=env)


def test_builds_are_byte_identical_across_hash_seeds(tmp_path):
    _build_in_subprocess(tmp_path / "a", "1")
    _build_in_subprocess(tmp_path / "b", "4242")
    # Every file; the query index (RocksDB's files, not byte-identical) is no product file.
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert INDEX_DIR in names
    names.remove(INDEX_DIR)
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.iterdir()) if GOLDEN.is_dir()
                         else [])
def test_outputs_match_golden_files(name, built):
    """Regenerate after an intended change with: kg build --out tests/golden -q --no-index"""
    expected, actual = GOLDEN / name, built / name
    if expected.read_bytes() == actual.read_bytes():
        return
    fmt = from_path(expected) if name.startswith("graph") else BY_NAME["turtle"]
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "trig": "trig",
                     "nquads": "nquads"}[fmt.name]
    if fmt.dataset:
        diff = "dataset differs"
    else:
        diff = describe_difference(rdflib.Graph().parse(expected, format=rdflib_format),
                                   rdflib.Graph().parse(actual, format=rdflib_format))
    pytest.fail(f"{name} differs from tests/golden/{name} (regenerate with "
                f"`kg build --out tests/golden -q --no-index` if intended):\n"
                f"{diff or 'same triples, other bytes'}")


def test_golden_folder_is_complete(built):
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(p.name for p in built.iterdir()
                                                              if p.name != INDEX_DIR)


def test_failed_write_leaves_old_files_intact(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("old turtle\n")
    (out / "graph.nt").write_text("old ntriples\n")
    calls = {"n": 0}
    real_fdopen = os.fdopen

    def failing_fdopen(fd, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(export.os, "fdopen", failing_fdopen)
    files = {"graph.ttl": b"new\n", "graph.nt": b"new\n", "graph.jsonld": b"{}\n"}
    with pytest.raises(OutputError, match="No space left on device"):
        export.write_atomically(out, files.items())
    assert (out / "graph.ttl").read_text() == "old turtle\n"
    assert (out / "graph.nt").read_text() == "old ntriples\n"
    assert sorted(p.name for p in out.iterdir()) == ["graph.nt", "graph.ttl"], "no temp files"


def test_a_failure_while_rendering_leaves_no_temporary_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("old turtle\n")

    def files():
        yield "graph.ttl", b"new\n"
        raise RuntimeError("the writer failed")
    with pytest.raises(RuntimeError):
        export.write_atomically(out, files())
    assert (out / "graph.ttl").read_text() == "old turtle\n"
    assert [p.name for p in out.iterdir()] == ["graph.ttl"]


def test_output_path_that_is_a_file_is_an_error(tmp_path):
    target = tmp_path / "out"
    target.write_text("I am a file")
    with pytest.raises(OutputError):
        export.write_atomically(target, [("graph.ttl", b"")])
    assert target.read_text() == "I am a file"
