"""Example queries answer what the article says; `kg query` runs them on files and endpoints."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg import query as q
from kg.cli import main
from kg.errors import KgError
from servers import oxigraph_server

ID = "https://kg.example.org/id/"
ORG = ID + "organization/"
KGO = "https://kg.example.org/ontology#"

# The exact answer of every SELECT example with its default parameters, row by row, in order.
EXPECTED = {
    "agreement-parties": [
        (ORG + "microsoft", "Microsoft"), (ORG + "openai", "OpenAI")],
    "agreement-clauses": [
        ("EscapeClause", "AGI escape clause", "OpenAI"),
        ("Exclusivity", "Azure exclusivity for OpenAI's compute (superseded)", "Microsoft"),
        ("Exclusivity", "Microsoft's exclusive rights to OpenAI's technology", "Microsoft"),
        ("Exclusivity", "OpenAI API exclusive to Azure", "Microsoft"),
        ("Permission", "OpenAI may build additional capacity", "OpenAI"),
        ("RevenueShare", "Two-way revenue sharing", "Microsoft"),
        ("RevenueShare", "Two-way revenue sharing", "OpenAI"),
        ("RightOfFirstRefusal", "Microsoft's right of first refusal on new compute capacity",
         "Microsoft"),
        ("TermClause", "Term of the Microsoft–OpenAI partnership", None)],
    "joint-venture-members": [
        (ORG + "arm", "Arm"), (ORG + "microsoft", "Microsoft"), (ORG + "nvidia", "Nvidia"),
        (ORG + "openai", "OpenAI"), (ORG + "oracle", "Oracle")],
    "organizations-in-several-agreements": [
        (ORG + "microsoft", "Microsoft", 3), (ORG + "openai", "OpenAI", 3),
        (ORG + "oracle", "Oracle", 2)],
    "organization-agreements": [
        ("OpenAI–Oracle compute partnership", "Partnership", "OpenAI"),
        ("Stargate", "JointVenture", "Arm"), ("Stargate", "JointVenture", "Microsoft"),
        ("Stargate", "JointVenture", "Nvidia"), ("Stargate", "JointVenture", "OpenAI")],
    "monetary-amounts": [
        ("AGI escape clause", Decimal(100_000_000_000), "USD", "more than $100 billion"),
        ("Microsoft–Inflection deal", Decimal(650_000_000), "USD", "$650 million")],
    "agreement-term": [("Microsoft–OpenAI partnership", "2030", "runs through 2030")],
    "superseded-clauses": [
        ("Azure exclusivity for OpenAI's compute (superseded)",
         "Microsoft's right of first refusal on new compute capacity", "RightOfFirstRefusal",
         "Microsoft")],
    "timeline": [
        ("2024-03", "month", "Microsoft hires Mustafa Suleyman and most of Inflection's staff",
         "Last March"),
        ("2024-06", "month", "OpenAI partners with Oracle for compute", "back in June"),
        ("2025-01-21", "day", "Microsoft and OpenAI announce changes to their partnership",
         "Tuesday"),
        ("2025-01-21", "day", "OpenAI considers dropping the AGI provision", "now"),
        (None, None, "Microsoft–OpenAI relationship grows strained", None),
        (None, None, "OpenAI leadership angered by the Inflection hire", None),
        (None, None, "OpenAI shareholders want faster compute from Microsoft", None),
        (None, None, "Sam Altman briefly ousted from OpenAI", None),
        (None, None, "Stargate joint venture announced", None)],
    "reported-claims": [
        ("20 percent", None, "it’s been reported that Microsoft gets 20 percent of OpenAI’s revenue"),
        ("AGI escape clause", None, "AGI, reportedly, is defined as a system capable of "
         "generating more than $100 billion in profits."),
        ("Microsoft–OpenAI relationship grows strained", "The New York Times",
         "The New York Times reported that the relationship has grown increasingly strained "
         "over OpenAI’s stability and financial pressures."),
        ("OpenAI considers dropping the AGI provision", None, "but now OpenAI is reportedly "
         "considering dropping this provision, likely to secure more Microsoft funding."),
        ("OpenAI leadership angered by the Inflection hire", "The New York Times",
         "According to The New York Times report, this move particularly angered some OpenAI "
         "leadership, including Altman."),
        ("OpenAI shareholders want faster compute from Microsoft", None, "It has been "
         "previously reported that some OpenAI shareholders felt Microsoft needed to move "
         "faster to deliver compute power to OpenAI"),
        ("Two-way revenue sharing", None,
         "it’s been reported that Microsoft gets 20 percent of OpenAI’s revenue"),
        ("more than $100 billion", None, "AGI, reportedly, is defined as a system capable of "
         "generating more than $100 billion in profits."),
        ("now (2025-01-21)", None, "but now OpenAI is reportedly considering dropping this "
         "provision, likely to secure more Microsoft funding.")],
    "claims-by-status": [("Reported", 6), ("Stated", 41)],
    "evidence": [
        (78, 183, "Microsoft’s deal with OpenAI has ‘evolved’ to include a right of first "
         "refusal on supplying new capacity.", "Stated"),
        (629, 788, "The new agreement “includes changes to the exclusivity on new capacity, "
         "moving to a model where Microsoft has a right of first refusal (ROFR),” Microsoft "
         "says.", "Stated")],
    "people-and-roles": [
        ("Cath Virginia", "illustrator", "The Verge", False),
        ("Kylie Robison", "senior AI reporter", "The Verge", False),
        ("Mustafa Suleyman", "chief executive officer", "Inflection", True),
        ("Mustafa Suleyman", "head of consumer AI", "Microsoft", False),
        ("Sam Altman", "chief executive officer", "OpenAI", True)],
}
NETWORK_EDGES = {
    ("arm", "inJointVentureWith", "microsoft"), ("arm", "inJointVentureWith", "nvidia"),
    ("arm", "inJointVentureWith", "openai"), ("arm", "inJointVentureWith", "oracle"),
    ("microsoft", "inJointVentureWith", "nvidia"), ("microsoft", "inJointVentureWith", "openai"),
    ("microsoft", "inJointVentureWith", "oracle"), ("nvidia", "inJointVentureWith", "openai"),
    ("nvidia", "inJointVentureWith", "oracle"), ("openai", "inJointVentureWith", "oracle"),
    ("microsoft", "inPartnershipWith", "openai"), ("openai", "inPartnershipWith", "oracle"),
    ("inflection", "inHiringDealWith", "microsoft"),
}


def plain(term):
    """A result cell as a Python value, the same whichever engine produced it."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, rdflib.URIRef)):
        return term.value if isinstance(term, ox.NamedNode) else str(term)
    value = term.value if isinstance(term, ox.Literal) else str(term)
    datatype = str(term.datatype.value if isinstance(term, ox.Literal) else term.datatype or "")
    if datatype.endswith(("#integer", "#nonNegativeInteger")):
        return int(value)
    if datatype.endswith("#decimal"):
        return Decimal(value)
    if datatype.endswith("#boolean"):
        return value in ("true", "1")
    return value


def table(results: q.Results, width: int | None = None) -> list[tuple]:
    return [tuple(plain(c) for c in row[:width]) for row in results.rows]


def run_example(name: str, data, **given) -> q.Results:
    example = q.resolve(name)
    return q.run_local(example.text, q.bindings(example, given), [data])


def test_there_are_at_least_twelve_examples_with_questions():
    examples = q.examples()
    assert len(examples) >= 12
    for example in examples:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", example.name)
        assert example.question.endswith((".", "?")), example.name
        assert example.text.startswith("# "), example.name


def test_every_select_example_has_an_expected_answer():
    selects = {e.name for e in q.examples() if "CONSTRUCT" not in e.text}
    assert selects == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_answers_exactly(name, built):
    results = run_example(name, built / "graph.trig")
    width = len(EXPECTED[name][0])
    assert table(results, width) == EXPECTED[name]


def _network(triples) -> set[tuple[str, str, str]]:
    edges = set()
    for t in triples:
        s, p, o = (x.value if hasattr(x, "value") else str(x) for x in (t.subject, t.predicate, t.object)) \
            if isinstance(t, ox.Triple) else (str(t[0]), str(t[1]), str(t[2]))
        if p.startswith(KGO):
            a, b = s.rsplit("/", 1)[1], o.rsplit("/", 1)[1]
            edges.add((min(a, b), p[len(KGO):], max(a, b)))
    return edges


def test_organization_network_construct(built):
    results = run_example("organization-network", built / "graph.trig")
    assert results.kind == "graph"
    assert _network(results.triples) == NETWORK_EDGES
    labels = {t.object.value for t in results.triples if t.predicate.value.endswith("#label")}
    assert labels == {"Arm", "Inflection", "Microsoft", "Nvidia", "OpenAI", "Oracle"}


def test_parameters_choose_the_answer(built):
    results = run_example("agreement-parties", built / "graph.trig",
                          agreement=f"<{ID}agreement/stargate>")
    assert [r[1] for r in table(results)] == ["Arm", "Microsoft", "Nvidia", "OpenAI", "Oracle"]


HOSTILE = 'x" } # DROP ALL ; <http://evil.example/> "'


def test_hostile_parameter_is_bound_as_a_literal(built, tmp_path):
    path = tmp_path / "echo.rq"
    path.write_text("# Echo a parameter.\n# Parameter: x = default\n"
                    "SELECT ?value ?kind WHERE { BIND (?x AS ?value) "
                    "BIND (DATATYPE(?x) AS ?kind) }\n")
    example = q.resolve(str(path))
    results = q.run_local(example.text, q.bindings(example, {"x": HOSTILE}), [built / "graph.trig"])
    assert table(results) == [(HOSTILE, "http://www.w3.org/2001/XMLSchema#string")]
    # And as a parameter of an example: no match, no error, nothing injected.
    results = run_example("agreement-parties", built / "graph.trig", agreement=HOSTILE)
    assert results.rows == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rdflib_gives_the_same_answers(name, built):
    """The embedded engine was chosen over rdflib for speed; both must agree on every example."""
    example = q.resolve(name)
    text = q.with_values(example.text, q.bindings(example, {}))
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(built / "graph.trig", format="trig")
    theirs = [tuple(plain(row[v]) for v in row.labels) for row in dataset.query(text)]
    ours = table(q.run_local(example.text, q.bindings(example, {}), [built / "graph.trig"]))
    assert theirs == ours


def test_list_prints_name_and_question_one_a_line_without_header():
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(q.examples())
    for line in lines:
        name, question = line.split("  ", 1)
        assert re.fullmatch(r"[a-z0-9-]+", name) and question.strip()


def test_table_output_is_aligned_and_shortens_iris(built):
    result = CliRunner().invoke(main, ["query", "joint-venture-members", "--data",
                                       str(built / "graph.trig")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["member", "name"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].startswith("organization:arm ")
    assert lines[2].index("Arm") == lines[0].index("name")
    assert lines[-1] == "(5 rows)"


@pytest.mark.parametrize("fmt,parser", [
    ("csv", ox.QueryResultsFormat.CSV), ("tsv", ox.QueryResultsFormat.TSV),
    ("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML)])
def test_results_formats_parse_back(fmt, parser, built):
    result = CliRunner().invoke(main, ["query", "organizations-in-several-agreements",
                                       "--data", str(built / "graph.trig"), "--format", fmt])
    assert result.exit_code == 0
    if fmt == "csv":  # CSV keeps no types, and pyoxigraph will not read it back
        import csv

        rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"))))
        assert rows[0] == ["organization", "name", "agreements"]
        assert rows[1:] == [[o, n, str(c)] for o, n, c in EXPECTED["organizations-in-several-agreements"]]
        return
    parsed = ox.parse_query_results(result.stdout_bytes, format=parser)
    rows = [tuple(plain(s[v]) for v in parsed.variables) for s in parsed]
    assert rows == EXPECTED["organizations-in-several-agreements"]


@pytest.mark.parametrize("fmt,rdf", [("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                                     ("json", ox.RdfFormat.JSON_LD)])
def test_construct_formats_parse_back(fmt, rdf, built):
    result = CliRunner().invoke(main, ["query", "organization-network", "--data",
                                       str(built / "graph.trig"), "--format", fmt])
    assert result.exit_code == 0
    triples = [x.triple for x in ox.parse(result.stdout_bytes, format=rdf)]
    assert _network(triples) == NETWORK_EDGES


def test_select_refuses_graph_formats(built):
    result = CliRunner().invoke(main, ["query", "timeline", "--data", str(built / "graph.trig"),
                                       "--format", "turtle"])
    assert result.exit_code == 2 and "SELECT/ASK" in result.stderr


def test_ask_query_from_stdin(built):
    result = CliRunner().invoke(main, ["query", "-", "--data", str(built / "graph.trig")],
                                input="ASK { ?x a <https://kg.example.org/ontology#JointVenture> }")
    assert result.exit_code == 0 and result.output == "true\n"


def test_a_query_on_stdin_that_is_not_utf8_is_an_error(built):
    result = CliRunner().invoke(main, ["query", "-", "--data", str(built / "graph.trig")],
                                input=b'ASK { ?s ?p "\xff" }')
    assert result.exit_code == 2
    assert "standard input is not UTF-8 text (byte 13)" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("text,word", [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("select * from named <http://example.org/g> where { graph ?g { ?s ?p ?o } }", "FROM"),
])
def test_refused_queries(text, word, built):
    result = CliRunner().invoke(main, ["query", "-", "--data", str(built / "graph.trig")], input=text)
    assert result.exit_code == 2
    assert f"{word} is refused" in result.stderr


@pytest.mark.parametrize("text", [
    "SELECT ?from WHERE { ?from ?p ?o } LIMIT 1",
    'SELECT ?x WHERE { BIND ("SERVICE and LOAD FROM here" AS ?x) }',
    "PREFIX ex: <http://example.org/from/>\nSELECT ?s WHERE { ?s ex:load ?o } # FROM a comment",
])
def test_words_in_names_strings_and_comments_are_not_refused(text, built):
    result = CliRunner().invoke(main, ["query", "-", "--data", str(built / "graph.trig")], input=text)
    assert result.exit_code == 0, result.stderr


CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_cross_join_is_stopped_at_the_time_limit(built):
    result = CliRunner().invoke(main, ["query", "-", "--data", str(built / "graph.trig"),
                                       "--timeout", "0.5"], input=CROSS_JOIN)
    assert result.exit_code == 3
    assert "time limit of 0.5 s" in result.stderr
    assert result.stdout == ""


def test_syntax_error_exits_2(built):
    result = CliRunner().invoke(main, ["query", "-", "--data", str(built / "graph.trig")],
                                input="SELECT WHERE {")
    assert result.exit_code == 2 and "not a valid SPARQL query" in result.stderr


def test_unknown_example_suggests_a_name():
    result = CliRunner().invoke(main, ["query", "timelin"])
    assert result.exit_code == 2 and "did you mean 'timeline'" in result.stderr


def test_unknown_parameter_is_refused(built):
    result = CliRunner().invoke(main, ["query", "agreement-parties", "--data",
                                       str(built / "graph.trig"), "--param", "agrement=x"])
    assert result.exit_code == 2 and "unknown parameter agrement" in result.stderr


def test_missing_dataset_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["query", "timeline"])
    assert result.exit_code == 2 and "run `kg build` first" in result.stderr


# ------------------------------------------------------------------ the query engine

@pytest.fixture(scope="module")
def store(built):
    from kg.validate import read_graph_files

    return q.dataset_store(read_graph_files([built / "graph.trig"]), named_graphs=False)


def answers(engine: q.QueryEngine, name: str) -> list[tuple]:
    example = q.resolve(name)
    results = engine.run(q.with_values(example.text, q.bindings(example, {})), 30)
    return table(results, len(EXPECTED[name][0]))


def started(pid: int) -> str | None:
    """When the process started (so that a reused pid is told apart), or None once it ended."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return None if fields[0] == "Z" else fields[19]


def test_the_engine_answers_query_after_query_from_one_worker(store):
    with q.QueryEngine(store, workers=2) as engine:
        assert engine.worker_pids == ()  # nothing is forked before the first query
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        (worker,) = engine.worker_pids
        since = started(worker)
        assert since and worker in {p.pid for p in multiprocessing.active_children()}
        for name in ("joint-venture-members", "claims-by-status", "timeline"):
            assert answers(engine, name) == EXPECTED[name]
        assert engine.worker_pids == (worker,) and started(worker) == since


def test_a_query_past_the_limit_is_stopped_and_the_next_gets_a_fresh_worker(store):
    with q.QueryEngine(store, workers=1) as engine:
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        (stuck,) = engine.worker_pids
        start = time.monotonic()
        with pytest.raises(q.QueryTimeout, match="time limit of 0.5 s"):
            engine.run(CROSS_JOIN, 0.5)
        assert time.monotonic() - start < 0.5 + 2
        assert started(stuck) is None and engine.worker_pids == ()
        assert answers(engine, "joint-venture-members") == EXPECTED["joint-venture-members"]
        assert engine.worker_pids not in ((), (stuck,))


def test_a_syntax_error_is_a_query_error_and_the_worker_carries_on(store):
    with q.QueryEngine(store, workers=1) as engine:
        with pytest.raises(q.QueryError, match="not a valid SPARQL query"):
            engine.run("SELECT WHERE {", 5)
        workers = engine.worker_pids
        assert answers(engine, "agreement-clauses") == EXPECTED["agreement-clauses"]
        assert engine.worker_pids == workers


def test_a_worker_that_dies_is_replaced(store):
    with q.QueryEngine(store, workers=1) as engine:
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        (idle,) = engine.worker_pids
        os.kill(idle, signal.SIGKILL)
        while started(idle):
            time.sleep(0.01)
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        (busy,) = engine.worker_pids
        assert busy != idle
        threading.Timer(0.3, os.kill, (busy, signal.SIGKILL)).start()
        with pytest.raises(q.QueryError, match="ended without an answer"):
            engine.run(CROSS_JOIN, 30)
        assert answers(engine, "evidence") == EXPECTED["evidence"]
        assert engine.worker_pids not in ((), (busy,))


def test_close_stops_every_worker_even_a_busy_one(store):
    engine = q.QueryEngine(store, workers=2)
    failed = []

    def stuck():
        try:
            engine.run(CROSS_JOIN, 20)
        except KgError as exc:
            failed.append(exc.message)
    thread = threading.Thread(target=stuck)
    thread.start()
    try:
        while not engine.worker_pids:
            time.sleep(0.01)
        # The first worker is busy with the cross join: this query forks the second.
        assert answers(engine, "timeline") == EXPECTED["timeline"]
        workers = engine.worker_pids
        assert len(workers) == 2 and all(started(pid) for pid in workers)
    finally:
        engine.close()
    thread.join(10)
    assert not thread.is_alive() and failed == ["the query process ended without an answer"]
    assert not any(started(pid) for pid in workers)
    assert not set(workers) & {p.pid for p in multiprocessing.active_children()}
    with pytest.raises(q.QueryError, match="closed"):
        engine.run("ASK {}", 5)


def test_concurrent_queries_share_at_most_the_workers_allowed(store):
    names = sorted(EXPECTED) * 3
    seen: set[int] = set()
    most = []

    def one(name):
        result = answers(engine, name)
        pids = engine.worker_pids
        seen.update(pids)
        most.append(len(pids))
        return result
    with q.QueryEngine(store, workers=2) as engine, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, names))
    assert results == [EXPECTED[name] for name in names]
    assert max(most) <= 2 and 1 <= len(seen) <= 2


def test_workers_end_when_their_parent_ends_without_cleaning_up():
    script = """if True:
        import os
        import pyoxigraph as ox
        from kg import query as q

        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.NamedNode("http://c")))
        engine = q.QueryEngine(store)
        assert engine.run("ASK { ?s ?p ?o }", 5).boolean
        print(*engine.worker_pids, flush=True)
        os._exit(0)  # no close, no atexit, no finalizer: only the closed pipe tells the worker
    """
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    (worker,) = map(int, parent.stdout.readline().split())
    parent.wait(30)
    try:
        deadline = time.monotonic() + 5
        while started(worker) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert started(worker) is None
    finally:
        if started(worker):
            os.kill(worker, signal.SIGKILL)
        parent.stdout.close()


# ------------------------------------------------------------------ a real SPARQL server

@pytest.fixture(scope="module")
def endpoint(built):
    with oxigraph_server() as base:
        response = httpx.post(f"{base}/store", content=(built / "graph.trig").read_bytes(),
                              headers={"Content-Type": "application/trig"}, timeout=30)
        assert response.status_code in (200, 201, 204), response.text
        yield f"{base}/query", built / "graph.trig"


@pytest.mark.parametrize("name", sorted(e.name for e in q.examples()))
def test_every_example_gives_the_same_answer_from_the_server(name, endpoint):
    url, data = endpoint
    example = q.resolve(name)
    remote = q.run_endpoint(url, example.text, q.bindings(example, {}))
    local = q.run_local(example.text, q.bindings(example, {}), [data])
    if local.kind == "graph":
        assert _network(remote.triples) == _network(local.triples) == NETWORK_EDGES
    else:
        assert table(remote) == table(local)
        assert table(remote, len(EXPECTED[name][0])) == EXPECTED[name]


def test_cli_against_the_server_with_a_hostile_parameter(endpoint):
    url, _ = endpoint
    result = CliRunner().invoke(main, ["query", "agreement-parties", "--endpoint", url,
                                       "--param", f"agreement={HOSTILE}", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.output)["results"]["bindings"] == []


def test_endpoint_errors_show_the_server_message(endpoint):
    url, _ = endpoint
    result = CliRunner().invoke(main, ["query", "-", "--endpoint", url], input="SELECT WHERE {")
    assert result.exit_code == 2 and "answered 400" in result.stderr


def test_unreachable_endpoint(tmp_path):
    from servers import free_port

    result = CliRunner().invoke(main, ["query", "timeline", "--endpoint",
                                       f"http://127.0.0.1:{free_port()}/query"])
    assert result.exit_code == 2 and "cannot reach the endpoint" in result.stderr


def test_entities_shared_by_articles_are_counted_once(tmp_path):
    """Two articles describing the same entities: the default graph is their merge, so rows do
    not multiply with the number of articles that mention an entity."""
    from conftest import SEED_SLUG, SEEDS
    from kg.build import build

    for slug in ("first-copy", "second-copy"):
        for ext in (".txt", ".yaml"):
            (tmp_path / f"{slug}{ext}").write_bytes((SEEDS / f"{SEED_SLUG}{ext}").read_bytes())
    build([tmp_path], tmp_path / "out")
    data = tmp_path / "out" / "graph.trig"
    assert len({q.graph_name for q in ox.parse(path=str(data), format=ox.RdfFormat.TRIG)}) == 4
    roles = q.run_local(q.resolve("people-and-roles").text, {}, [data])
    assert table(roles, 4) == EXPECTED["people-and-roles"]
    several = q.run_local(q.resolve("organizations-in-several-agreements").text, {}, [data])
    assert table(several) == EXPECTED["organizations-in-several-agreements"]
    graphs = q.run_local("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {}, [data])
    assert table(graphs) == [(4,)]


@pytest.mark.parametrize("text", [
    "ASK { ?s a <https://kg.example.org/ontology#JointVenture> }",
    "ASK { ?s a <http://example.org/Nothing> }",
    "SELECT * WHERE {}",
    'SELECT ?s ?label ?none WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label '
    'OPTIONAL { ?s <http://example.org/none> ?none } } ORDER BY ?s LIMIT 5',
    'SELECT ?x ?b WHERE { VALUES ?x { "ünï"@fr "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> '
    '"a\\ttab\\nline" } BIND(BNODE() AS ?b) }',
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 7",
])
def test_results_come_back_from_the_worker_term_for_term(store, text):
    direct = q._collect(store.query(text))
    with q.QueryEngine(store, workers=1) as engine:
        sent = engine.run(text, 10)
    assert (sent.kind, sent.variables, sent.boolean) == (direct.kind, direct.variables, direct.boolean)
    if direct.kind == "select":
        assert len(sent.rows) == len(direct.rows)
        for mine, theirs in zip(sent.rows, direct.rows):
            # Blank nodes are fresh in each run: compared by kind, the rest term for term.
            assert [type(t) for t in mine] == [type(t) for t in theirs]
            assert [t for t in mine if not isinstance(t, ox.BlankNode)] == \
                [t for t in theirs if not isinstance(t, ox.BlankNode)]
    assert sent.triples == direct.triples
