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
corpus_yaml = _module("corpus_yaml")


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
    assert types["agreements"] >= {"Partnership", "JointVenture", "HiringDeal", "Investment",
                                   "SupplyAgreement"}
    assert types["clauses"] >= {"RightOfFirstRefusal", "Exclusivity", "RevenueShare",
                                "EscapeClause", "Permission", "TermClause", "EquityStake"}
    assert all(flags[k] for k in ("supersedes", "amounts", "quantities", "relative", "reported",
                                  "source")), dict(flags)
    assert len(published) > 20


def test_benchmark_runs_end_to_end(tmp_path):
    report_path = tmp_path / "report.json"
    done = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--triples", "3000",
                           "--json", str(report_path), "--quiet", "--pyshacl"],
                          capture_output=True, text=True, timeout=180)
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
    assert stages["shacl-pyshacl"]["conforms"] is True  # the reference engine, timed beside
    for name in ("export-order", "build-all", "index"):  # kg's own work, with no floor
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


def _sheets(directory: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.yaml"))]


def _walk(value):
    """Every mapping inside a fact sheet."""
    if isinstance(value, dict):
        yield value
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from _walk(item)


def test_the_corpus_has_the_newer_vocabulary_and_a_few_conflicts(tmp_path):
    from kg.conflicts import find

    corpus.make_corpus(tmp_path, 120, seed=0)
    sheets, quads, _ = load_dataset([tmp_path])  # every quote, name, value and reference checked
    assert len(sheets) == 120 and quads
    found = defaultdict(set)
    declared_in: dict[str, int] = {}
    referenced = []  # (article, id) of references to an agreement, clause or event
    for number, sheet in enumerate(_sheets(tmp_path)):
        own = {e["id"] for section in ("agreements", "clauses", "events")
               for e in sheet.get(section, [])}
        for section in ("agreements", "clauses", "events"):
            for entry in sheet.get(section, []):
                declared_in.setdefault(entry["id"], number)
                for key in ("status", "instrument", "condition"):
                    if key in entry:
                        found[key].add(entry[key])
                for key in ("extends", "supersedes", "terminates", "begins", "subject_to",
                            "concerns", "establishes"):
                    for target in entry.get(key, []) if isinstance(entry.get(key), list) \
                            else [entry[key]] if key in entry else []:
                        found["lifecycle"].add(key)
                        if target not in own:
                            referenced.append((number, target, key))
        for item in _walk(sheet):
            if "unit" in item:
                found["unit"].add(item["unit"])
                found["counts"].add(item.get("counts"))
            if "currency" in item or "unit" in item:
                found["qualifier"].add(item.get("qualifier", "exact"))
                found["per"].add(item.get("per"))
            if item.get("type") == "EquityStake":
                assert {"holder", "issuer", "quantities"} <= set(item)
    assert found["status"] >= {"Talks", "Proposed", "NonBinding", "Definitive", "Completed",
                               "Rejected"}
    assert {"MemorandumOfUnderstanding", "Contract"} < found["instrument"] <= {
        "LetterOfIntent", "MemorandumOfUnderstanding", "TermSheet", "Contract"}
    assert found["unit"] >= {"percent", "ratio", "count", "gigawatt", "megawatt", "year"}
    assert found["counts"] >= {"employees", "users", "chips"}
    assert found["qualifier"] >= {"exact", "about", "more-than", "at-least", "up-to",
                                  "less-than"}
    assert found["per"] >= {"year", "share"}
    assert found["lifecycle"] >= {"extends", "supersedes", "terminates", "begins", "subject_to"}
    # References to what an earlier article declares, never to a later one.
    assert len(referenced) >= 10
    assert all(declared_in[target] < number for number, target, _ in referenced)
    assert {key for _, _, key in referenced} >= {"extends", "supersedes", "terminates"}
    # The planted conflicts (articles 17, 37 and 71): a date and two values; no others but
    # probable duplicates.
    conflicts = find(sheets)
    planted = [c for c in conflicts if c.kind != "duplicate"]
    assert {c.kind for c in planted} == {"date", "value"}, [str(c) for c in planted]
    assert {c.field.split(" (")[0] for c in planted} == {"time", "ends", "quantities"}
    assert 3 <= len(planted) <= 10
    assert len(conflicts) - len(planted) < 20  # few probable duplicates


def test_the_yaml_writer_reads_back_as_written():
    document = {"article": {"title": "Foo: a test # of quoting", "published": "2025-01-21",
                            "language": "en"},
                "organizations": [{"id": "yes", "name": "No", "aliases": ["On", "null", "Foo’s"],
                                   "quantities": [{"value": 12000, "unit": "count"},
                                                  {"value": 19.9, "unit": "percent"}],
                                   "evidence": ["It said “hello,” and left.", "- a dash",
                                                {"quote": "'quoted' text", "reported": False}],
                                   "empty": [], "voting": True, "month": "2024-03",
                                   "spaces": "trailing ", "text": "a\\b \"c\""}]}
    written = corpus_yaml.dump(document)
    assert yaml.safe_load(written) == document
    assert "  - id: yes" not in written and "It said “hello,” and left." in written
