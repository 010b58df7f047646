"""The benchmark tools: the synthetic corpus generator and the stage-by-stage benchmark run."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from kg.catalog import examples
from kg.pipeline import build, load_dataset

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
KGO = "https://kg.example.org/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"kg_benchmarks_{name}",
                                                  BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


corpus = _module("corpus")


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_corpus_is_byte_identical_for_a_seed(tmp_path):
    corpus.make_corpus(tmp_path / "a", 3, seed=7)
    corpus.make_corpus(tmp_path / "b", 3, seed=7)
    first = _files(tmp_path / "a")
    assert sorted(first) == [f"synthetic-00000{i}.{ext}" for i in range(3)
                             for ext in ("txt", "yaml")]
    assert first == _files(tmp_path / "b")
    # Another seed gives another corpus; a smaller corpus is the start of a larger one.
    corpus.make_corpus(tmp_path / "c", 3, seed=8)
    assert _files(tmp_path / "c") != first
    corpus.make_corpus(tmp_path / "d", 2, seed=7)
    assert _files(tmp_path / "d") == {k: v for k, v in first.items()
                                      if not k.startswith("synthetic-000002")}


def test_command_line_writes_the_pairs(tmp_path):
    done = subprocess.run([sys.executable, str(BENCHMARKS / "corpus.py"), "--articles", "2",
                           "--out", str(tmp_path), "--seed", "3"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "synthetic-000000.txt", "synthetic-000000.yaml", "synthetic-000001.txt",
        "synthetic-000001.yaml"]


def test_three_articles_build_validate_and_share_organizations(tmp_path):
    corpus.make_corpus(tmp_path / "corpus", 3, seed=0)
    result = build([tmp_path / "corpus"], tmp_path / "out")  # raises unless SHACL conforms
    assert result.counts["articles"] == 3

    import pyoxigraph as ox

    graphs_of = defaultdict(set)
    for quad in ox.parse(path=str(tmp_path / "out" / "graph.nq"), format=ox.RdfFormat.N_QUADS):
        if (quad.predicate.value == RDF_TYPE and quad.object.value == KGO + "Organization"
                and quad.graph_name.value.endswith("/facts")):
            graphs_of[quad.subject.value].add(quad.graph_name.value)
    assert len({g for graphs in graphs_of.values() for g in graphs}) == 3
    shared = [org for org, graphs in graphs_of.items() if len(graphs) >= 2]
    assert shared, "no organization appears in the facts graphs of two articles"
    assert any("/id/organization/" in org for org in shared)


def test_a_larger_corpus_passes_the_checks_and_covers_the_schema(tmp_path):
    corpus.make_corpus(tmp_path, 30, seed=1)
    sheets, quads, _ = load_dataset([tmp_path])  # every quote, name and value is checked
    assert len(sheets) == 30 and quads
    types, flags = defaultdict(set), defaultdict(int)
    published = set()
    for path in sorted(tmp_path.glob("*.yaml")):
        sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
        published.add(sheet["article"]["published"])
        for section in ("agreements", "clauses", "events"):
            for entry in sheet.get(section, []):
                types[section].add(entry["type"])
                flags["supersedes"] += "supersedes" in entry
                flags["amounts"] += "amounts" in entry
                flags["quantities"] += "quantities" in entry
                flags["relative"] += entry.get("time", {}).get("relative", False)
                for quote in entry["evidence"]:
                    if isinstance(quote, dict) and quote["reported"]:
                        flags["reported"] += 1
                        flags["source"] += "source" in quote
    assert types["agreements"] == {"Partnership", "JointVenture", "HiringDeal"}
    assert types["clauses"] == {"RightOfFirstRefusal", "Exclusivity", "RevenueShare",
                                "EscapeClause", "Permission", "TermClause"}
    assert all(flags[k] for k in ("supersedes", "amounts", "quantities", "relative", "reported",
                                  "source")), dict(flags)
    assert len(published) > 20


def test_benchmark_runs_end_to_end(tmp_path):
    report_path = tmp_path / "report.json"
    done = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--triples", "3000",
                           "--json", str(report_path), "--quiet"], capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    stages = {s["name"]: s for s in report["stages"]}
    expected = {"build", "literals", "shacl", "export-turtle", "export-ntriples", "export-trig",
                "export-jsonld", "load"} | {f"query-{e.name}" for e in examples()}
    assert expected <= set(stages)
    for name, stage in stages.items():
        assert isinstance(stage["seconds"], (int, float)) or "error" in stage, name
        assert {"baseline_seconds", "ratio", "triples", "peak_rss_mb"} <= set(stage), name
    for name in ("build", "literals", "shacl", "export-turtle", "export-ntriples",
                 "export-trig", "export-jsonld"):
        stage = stages[name]
        assert "error" not in stage and "baseline_error" not in stage, (name, stage)
        assert stage["seconds"] > 0 and stage["baseline_seconds"] > 0 and stage["ratio"] > 0
        assert stage["peak_rss_mb"] > 0
    assert stages["shacl"]["conforms"] is True
    for name in ("export-order", "build-all"):  # kg's own work, with no pyoxigraph floor
        assert "error" not in stages[name] and stages[name]["seconds"] > 0, stages[name]
    assert stages["export-order"]["statements"] == report["corpus"]["triples"]
    assert stages["build-all"]["triples_built"] == report["corpus"]["triples"]
    assert 1000 <= report["corpus"]["triples"] <= 9000
    assert stages["build"]["triples"] == report["corpus"]["triples"]
    assert "| " not in done.stdout and "build" in done.stdout  # the table is printed


@pytest.mark.parametrize("number", [0, 1, 2])
def test_every_quote_is_in_the_article(number):
    slug, text, sheet_yaml = corpus.article(number, seed=11)
    sheet = yaml.safe_load(sheet_yaml)
    assert sheet["article"]["title"] in text
    for section in ("organizations", "people", "products", "agreements", "clauses", "events"):
        for entry in sheet.get(section, []):
            for quote in entry["evidence"]:
                assert (quote["quote"] if isinstance(quote, dict) else quote) in text
