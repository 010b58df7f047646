"""kg.index: the query index kg build writes beside its files; the same answers as parsing
them, used only while it matches them, read-only, and switched in with the rest."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import Store

from kg import catalog, engine, index, sparql
from kg.errors import QueryError
from kg.formats import read
from kg.pipeline import build

from conftest import EXAMPLES, SEEDS

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
IN_GRAPHS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> Path:
    """A build of the seeds and the examples, with its index."""
    out = tmp_path_factory.mktemp("index") / "out"
    build([SEEDS, EXAMPLES], out)
    return out


@pytest.fixture
def copy(both, tmp_path) -> Path:
    """A copy of the build for a test to change (mtimes kept, as cp -a does)."""
    out = tmp_path / "out"
    shutil.copytree(both, out)
    return out


def parsed(text: str, terms: dict, trig: Path, monkeypatch):
    """The results of parsing the file, the index ignored."""
    with monkeypatch.context() as patch:
        patch.setattr(index, "find", lambda paths: None)
        return sparql.run_local(text, terms, [trig])


def answers(results) -> tuple:
    """What a result says, in a form to compare: rows in order, then as a multiset."""
    if results.kind == "ask":
        return ("ask", results.boolean)
    if results.kind == "graph":
        return ("graph", Counter(str(t) for t in results.triples))
    rows = [tuple(str(v) if v is not None else None for v in row) for row in results.rows]
    return ("select", results.variables, Counter(rows))


def ordered(results) -> list:
    return [tuple(str(v) for v in row) for row in results.rows]


def used(trig: Path, monkeypatch) -> list:
    """Calls run_local makes to open an index, recorded."""
    calls: list = []
    real = index.opener
    monkeypatch.setattr(index, "opener", lambda folder: calls.append(folder) or real(folder))
    return calls


def test_build_writes_the_index_with_its_metadata(both):
    folder = both / index.INDEX_DIR
    meta = json.loads((folder / index.META).read_text())
    assert meta["format"] == index.FORMAT and meta["indexes"] == "graph.trig"
    assert {k: meta[k] for k in ("size", "mtime_ns", "ends_sha256")} == \
        index.fingerprint(both / "graph.trig")
    assert index.find([both / "graph.trig"]) == folder


def _quads(store) -> set[str]:
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)}


def test_the_index_holds_what_parsing_the_file_gives(both, tmp_path):
    expected = _quads(engine.dataset_store(read([both / "graph.trig"])))
    assert _quads(Store.read_only(str(both / index.INDEX_DIR))) == expected
    # Written from the files instead of the quads in memory: the same store.
    for name in ("graph.nq", "graph.nt", "graph.trig"):
        shutil.copy2(both / name, tmp_path / name)
    assert index.write(tmp_path) == index.INDEX_DIR
    assert _quads(Store.read_only(str(tmp_path / index.INDEX_DIR))) == expected
    assert index.find([tmp_path / "graph.trig"]) == tmp_path / index.INDEX_DIR


@pytest.mark.parametrize("example", catalog.examples(), ids=lambda e: e.name)
def test_every_example_answers_the_same_over_the_index(both, example, monkeypatch):
    trig = both / "graph.trig"
    terms = sparql.bindings(example, {})
    calls = used(trig, monkeypatch)
    fast = sparql.run_local(example.text, terms, [trig])
    assert calls == [both / index.INDEX_DIR]
    slow = parsed(example.text, terms, trig, monkeypatch)
    assert answers(fast) == answers(slow)
    if fast.kind == "select":  # every example's ORDER BY is total: the same rows in order
        assert "ORDER BY" in example.text.upper() and ordered(fast) == ordered(slow)
    assert fast.kind != "select" or fast.rows, "the example answers something on this build"


@pytest.mark.parametrize("text", [
    COUNT, IN_GRAPHS,
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type . GRAPH ?g { ?s ?p ?o } }",
    "ASK { GRAPH <urn:x:none> { ?s ?p ?o } }",
    "DESCRIBE <https://kg.example.org/id/organization/openai>",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://kg.example.org/ontology#JointVenture> ; ?p ?o }",
])
def test_default_graph_and_named_graphs_are_the_same(both, text, monkeypatch):
    trig = both / "graph.trig"
    assert answers(sparql.run_local(text, {}, [trig])) == \
        answers(parsed(text, {}, trig, monkeypatch))


def test_default_graph_is_the_merge_each_triple_once(both):
    trig = both / "graph.trig"
    triples = len((both / "graph.nt").read_bytes().splitlines())
    quads = len((both / "graph.nq").read_bytes().splitlines())
    assert triples < quads  # triples that several articles state
    assert int(sparql.run_local(COUNT, {}, [trig]).rows[0][0].value) == triples
    assert int(sparql.run_local(IN_GRAPHS, {}, [trig]).rows[0][0].value) == quads


def test_bound_parameters_and_refusals_are_the_same(both, monkeypatch):
    example = catalog.find("agreement-parties")
    terms = sparql.bindings(example, {"agreement": "https://kg.example.org/id/agreement/stargate"})
    trig = both / "graph.trig"
    fast = sparql.run_local(example.text, terms, [trig])
    assert fast.rows and answers(fast) == answers(parsed(example.text, terms, trig, monkeypatch))
    for text in ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }",
                 "SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }",
                 "DELETE WHERE { ?s ?p ?o }"):
        with pytest.raises(QueryError, match="refused"):
            sparql.run_local(text, {}, [trig])


def test_kg_query_uses_the_index_by_default(both, monkeypatch):
    monkeypatch.chdir(both.parent)
    calls = used(both / "graph.trig", monkeypatch)
    results = sparql.query("joint-venture-members")
    assert calls == [Path("out") / index.INDEX_DIR] and len(results.rows) == 11


# ---------------------------------------------------------------------- fallbacks
def _notes(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kg.index"]


def _count(trig: Path) -> int:
    return int(sparql.run_local(COUNT, {}, [trig]).rows[0][0].value)


def test_a_changed_file_is_parsed_with_one_note(copy, caplog):
    trig = copy / "graph.trig"
    before = _count(trig)
    with open(trig, "a", encoding="utf-8") as handle:
        handle.write("<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    with caplog.at_level(logging.WARNING, logger="kg.index"):
        assert _count(trig) == before + 1
    [note] = _notes(caplog)
    assert "graph.trig has changed since kg build wrote it" in note
    assert "parsing the files instead" in note and str(copy / index.INDEX_DIR) in note


def test_a_touched_file_is_parsed(copy, caplog):
    trig = copy / "graph.trig"
    status = trig.stat()
    os.utime(trig, ns=(status.st_atime_ns, status.st_mtime_ns + 1))
    with caplog.at_level(logging.WARNING, logger="kg.index"):
        assert index.find([trig]) is None
    assert "has changed" in _notes(caplog)[0]


def test_same_size_and_mtime_but_other_bytes_is_parsed(copy):
    trig = copy / "graph.trig"
    status = trig.stat()
    data = bytearray(trig.read_bytes())
    at = data.rindex(b"<https://kg.example.org/")
    data[at + 1:at + 6] = b"HTTPS"
    trig.write_bytes(bytes(data))
    os.utime(trig, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert index.stale(copy / index.INDEX_DIR, trig) is not None


@pytest.mark.parametrize("damage,why", [
    (lambda f: (f / index.META).unlink(), "no metadata"),
    (lambda f: (f / index.META).write_text("{not json"), "metadata cannot be read"),
    (lambda f: _meta(f, format=index.FORMAT + 1), "another version of kg"),
    (lambda f: _meta(f, pyoxigraph="0.1.0"), "pyoxigraph 0.1.0"),
])
def test_a_bad_index_is_not_used(copy, caplog, damage, why):
    expected = _count(copy / "graph.trig")
    damage(copy / index.INDEX_DIR)
    with caplog.at_level(logging.WARNING, logger="kg.index"):
        assert index.find([copy / "graph.trig"]) is None
        assert _count(copy / "graph.trig") == expected
    assert all(why in note for note in _notes(caplog)) and _notes(caplog)


def _meta(folder: Path, **changes) -> None:
    meta = json.loads((folder / index.META).read_text())
    (folder / index.META).write_text(json.dumps({**meta, **changes}))


@pytest.mark.parametrize("damage", ["no-current", "truncated-tables"])
def test_a_store_that_does_not_open_is_parsed_with_one_note(copy, caplog, damage):
    folder = copy / index.INDEX_DIR
    expected = _count(copy / "graph.trig")
    if damage == "no-current":
        (folder / "CURRENT").unlink()
    else:
        for table in folder.glob("*.sst"):
            table.write_bytes(b"\0" * 16)
    with caplog.at_level(logging.WARNING, logger="kg.index"):
        assert index.find([copy / "graph.trig"]) == folder  # the metadata still matches
        assert _count(copy / "graph.trig") == expected
    [note] = _notes(caplog)
    assert "the store could not be opened" in note


def test_no_index_and_other_files_are_parsed_silently(both, copy, tmp_path, caplog):
    shutil.rmtree(copy / index.INDEX_DIR)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy2(both / "graph.trig", elsewhere / "graph.trig")
    (elsewhere / "x.ttl").write_text("<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    with caplog.at_level(logging.WARNING, logger="kg.index"):
        assert index.find([copy / "graph.trig"]) is None
        assert index.find([elsewhere / "graph.trig"]) is None
        assert index.find([both / "graph.nt"]) is None  # the index answers for graph.trig only
        assert index.find([both / "graph.trig", elsewhere / "x.ttl"]) is None
        assert _count(elsewhere / "x.ttl") == 1
    assert _notes(caplog) == []


def test_a_query_slow_over_the_index_is_run_on_the_parsed_files(both, monkeypatch):
    calls, parses = used(both / "graph.trig", monkeypatch), []
    real = sparql.read
    monkeypatch.setattr(sparql, "read", lambda paths: parses.append(paths) or real(paths))
    monkeypatch.setattr(index, "budget", lambda path: 0.000001)
    assert _count(both / "graph.trig") == len((both / "graph.nt").read_bytes().splitlines())
    assert calls and parses == [[both / "graph.trig"]]
    assert index.budget(both / "graph.trig") < 1  # patched; the real one:
    monkeypatch.undo()
    assert index.budget(both / "graph.trig") == 1.0
    assert index.budget(Path("/nonexistent/graph.trig")) == 1.0


def test_the_worker_reports_a_store_that_does_not_open():
    def broken():
        raise OSError("no such store")

    with engine.QueryEngine(broken, workers=1) as running, \
            pytest.raises(engine.StoreUnavailable, match="no such store"):
        running.run(COUNT, 5)


# ---------------------------------------------------------------------- read-only, atomic
def _state(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def test_querying_writes_nothing(copy):
    before = _state(copy)
    assert _count(copy / "graph.trig") > 0
    sparql.run_local("ASK { GRAPH ?g { ?s ?p ?o } }", {}, [copy / "graph.trig"])
    assert _state(copy) == before


@pytest.mark.skipif(not shutil.which("unshare"), reason="needs unshare(1)")
def test_kg_query_on_a_read_only_file_system(copy):
    script = (f"mount --bind {copy} {copy} && mount -o remount,bind,ro {copy} && "
              f"! touch {copy}/x 2>/dev/null && "
              f"{sys.executable} -m kg.cli query '{COUNT}' --data {copy}/graph.trig --format csv")
    done = subprocess.run(["unshare", "-Urm", "sh", "-c", script], capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0 and "unshare" in done.stderr:
        pytest.skip(f"no user namespaces here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # the index was used: no note
    assert done.stdout.splitlines()[1] == str(len((copy / "graph.nt").read_bytes().splitlines()))


def test_rebuilding_replaces_the_index_and_keeps_foreign_files(copy):
    (copy / "notes.txt").write_text("mine")
    old = index.fingerprint(copy / "graph.trig")
    build([SEEDS], copy)
    assert (copy / "notes.txt").read_text() == "mine"
    meta = json.loads((copy / index.INDEX_DIR / index.META).read_text())
    assert meta["size"] != old["size"] and index.find([copy / "graph.trig"]) is not None
    assert _count(copy / "graph.trig") == len((copy / "graph.nt").read_bytes().splitlines())


def test_queries_during_rebuilds_see_one_build_or_the_other(tmp_path):
    out = tmp_path / "out"
    build([SEEDS], out)
    small = _count(out / "graph.trig")
    script = ("import sys\nfrom kg.pipeline import build\n"
              "seeds, examples, out = sys.argv[1:]\n"
              "for sources in ([seeds, examples], [seeds], [seeds, examples]):\n"
              "    build(sources, out)\n")
    writer = subprocess.Popen([sys.executable, "-c", script, str(SEEDS), str(EXAMPLES), str(out)],
                              stderr=subprocess.PIPE, text=True)
    seen, errors = Counter(), []
    while writer.poll() is None:
        try:
            seen[_count(out / "graph.trig")] += 1
        except (QueryError, FileNotFoundError) as exc:  # only where the switch is 2 renames
            errors.append(exc)
    assert writer.returncode == 0, writer.stderr.read()
    assert not errors
    big = _count(out / "graph.trig")
    assert set(seen) <= {small, big} and big > small


def test_kg_query_says_it_in_one_line_on_standard_error(copy):
    trig = copy / "graph.trig"
    os.utime(trig)
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", COUNT, "--data", str(trig),
                           "--format", "csv"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (f"kg: note: not using the index {copy / index.INDEX_DIR}: graph.trig "
                           "has changed since kg build wrote it; parsing the files instead "
                           "(slower; `kg build` writes a fresh index)\n")
    assert done.stdout.splitlines()[1] == str(len((copy / "graph.nt").read_bytes().splitlines()))
