"""`kg query` and kg.query: names, files and text, bound parameters, refused updates, the
default dataset, and the same answers from a real SPARQL server."""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg
from kg import catalog, sparql
from kg.cli import main
from kg.errors import QueryError, QueryTimeout

from servers import oxigraph_server, raw_server, reply
from test_catalog import EXPECTED, ID, NETWORK_EDGES, _network, run_example, table
from test_engine import CROSS_JOIN

HOSTILE = 'x" } # DROP ALL ; <http://evil.example/> "'


def test_hostile_parameter_is_bound_as_a_literal(built, tmp_path):
    path = tmp_path / "echo.rq"
    path.write_text("# Echo a parameter.\n# Parameter: x = default\n"
                    "SELECT ?value ?kind WHERE { BIND (?x AS ?value) "
                    "BIND (DATATYPE(?x) AS ?kind) }\n")
    example = catalog.resolve(str(path))
    results = sparql.run_local(example.text, sparql.bindings(example, {"x": HOSTILE}),
                               [built / "graph.trig"])
    assert table(results) == [(HOSTILE, "http://www.w3.org/2001/XMLSchema#string")]
    # And as a parameter of an example: no match, no error, nothing injected.
    results = run_example("agreement-parties", built / "graph.trig", agreement=HOSTILE)
    assert results.rows == []


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
    result = CliRunner().invoke(main, ["query", "-", "--data", str(built / "graph.trig")],
                                input=text)
    assert result.exit_code == 2
    assert f"{word} is refused" in result.stderr


@pytest.mark.parametrize("text", [
    "SELECT ?from WHERE { ?from ?p ?o } LIMIT 1",
    'SELECT ?x WHERE { BIND ("SERVICE and LOAD FROM here" AS ?x) }',
    "PREFIX ex: <http://example.org/from/>\nSELECT ?s WHERE { ?s ex:load ?o } # FROM a comment",
])
def test_words_in_names_strings_and_comments_are_not_refused(text, built):
    result = CliRunner().invoke(main, ["query", "-", "--data", str(built / "graph.trig")],
                                input=text)
    assert result.exit_code == 0, result.stderr


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


@pytest.fixture(scope="module")
def endpoint(built):
    with oxigraph_server() as base:
        response = httpx.post(f"{base}/store", content=(built / "graph.trig").read_bytes(),
                              headers={"Content-Type": "application/trig"}, timeout=30)
        assert response.status_code in (200, 201, 204), response.text
        yield f"{base}/query", built / "graph.trig"


@pytest.mark.parametrize("name", sorted(e.name for e in catalog.examples()))
def test_every_example_gives_the_same_answer_from_the_server(name, endpoint):
    url, data = endpoint
    example = catalog.resolve(name)
    remote = sparql.run_endpoint(url, example.text, sparql.bindings(example, {}))
    local = sparql.run_local(example.text, sparql.bindings(example, {}), [data])
    if local.kind == "graph":
        assert _network(remote.triples) == _network(local.triples) == NETWORK_EDGES
    else:
        assert table(remote) == table(local)
        expected = EXPECTED.get(name, [])  # those of EXPECTED_ON_CORPUS have no row here
        assert table(remote, len(expected[0]) if expected else None) == expected


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
    from kg.pipeline import build

    from conftest import SEED_SLUG, SEEDS

    for slug in ("first-copy", "second-copy"):
        for ext in (".txt", ".yaml"):
            (tmp_path / f"{slug}{ext}").write_bytes((SEEDS / f"{SEED_SLUG}{ext}").read_bytes())
    build([tmp_path], tmp_path / "out")
    data = tmp_path / "out" / "graph.trig"
    assert len({q.graph_name for q in ox.parse(path=str(data), format=ox.RdfFormat.TRIG)}) == 4
    roles = sparql.run_local(catalog.resolve("people-and-roles").text, {}, [data])
    # One row per article that states the membership (its article column), never more.
    assert table(roles, 4) == [row for row in EXPECTED["people-and-roles"] for _ in range(2)]
    assert len(set(table(roles))) == 2 * len(EXPECTED["people-and-roles"])
    several = sparql.run_local(catalog.resolve("organizations-in-several-agreements").text, {},
                               [data])
    assert table(several) == EXPECTED["organizations-in-several-agreements"]
    graphs = sparql.run_local("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                              {}, [data])
    assert table(graphs) == [(4,)]



# ------------------------------------------------------------------ kg.query, the public API

def test_query_takes_a_name_a_file_text_or_bytes(built, tmp_path):
    data = [built / "graph.trig"]
    by_name = kg.query("joint-venture-members", data=data)
    assert table(by_name, 2) == EXPECTED["joint-venture-members"]
    path = tmp_path / "members.rq"
    path.write_text(catalog.find("joint-venture-members").text, encoding="utf-8")
    for spec in (path, str(path)):  # a file, with its declared parameters
        assert table(kg.query(spec, data=data), 2) == EXPECTED["joint-venture-members"]
    ask = "ASK { ?x a <https://kg.example.org/ontology#JointVenture> }"
    assert kg.query(ask, data=data).boolean is True
    assert kg.query(ask.encode("utf-8"), data=data).boolean is True
    assert kg.query(f"# a comment first\n{ask}", data=data).boolean is True
    assert kg.query("DESCRIBE <https://kg.example.org/id/organization/arm>",
                    data=data).kind == "graph"


def test_query_keeps_the_errors_of_kg_query(built, tmp_path):
    data = [built / "graph.trig"]
    with pytest.raises(QueryError, match=r"^'timelin' is neither an example query nor a file "
                       r"\(did you mean 'timeline'\?\); `kg query --list` shows the examples$"):
        kg.query("timelin", data=data)
    with pytest.raises(QueryError, match="is neither an example query nor a file"):
        kg.query(tmp_path / "missing.rq", data=data)
    with pytest.raises(QueryError, match=r"^the query on standard input is not UTF-8 text "
                       r"\(byte 13\)$"):
        kg.query(b'ASK { ?s ?p "\xff" }', data=data)
    with pytest.raises(QueryError, match="DELETE is refused"):
        kg.query("DELETE WHERE { ?s ?p ?o }", data=data)
    with pytest.raises(QueryError, match="not a valid SPARQL query"):
        kg.query("SELECT WHERE {", data=data)
    with pytest.raises(QueryTimeout, match="time limit of 0.5 s") as caught:
        kg.query(CROSS_JOIN, data=data, timeout=0.5)
    assert caught.value.exit_code == 3


def test_params_as_a_mapping_or_as_name_value_strings(built):
    data = [built / "graph.trig"]
    stargate = f"<{ID}agreement/stargate>"
    names = ["Arm", "Microsoft", "Nvidia", "OpenAI", "Oracle"]
    for params in ({"agreement": stargate}, {"?agreement": stargate},
                   {"agreement": ox.NamedNode(f"{ID}agreement/stargate")},
                   [f"agreement={stargate}"], (f"$agreement={stargate}",),
                   f"agreement={ID}agreement/stargate"):
        results = kg.query("agreement-parties", data=data, params=params)
        assert [r[1] for r in table(results)] == names, params
    with pytest.raises(QueryError, match=r"^--param takes NAME=VALUE, got 'agreement'$"):
        kg.query("agreement-parties", data=data, params=["agreement"])
    with pytest.raises(QueryError, match=r"^--param takes NAME=VALUE, got '=x'$"):
        kg.query("agreement-parties", data=data, params=["=x"])
    with pytest.raises(QueryError, match="unknown parameter agrement; this query takes: agreement"):
        kg.query("agreement-parties", data=data, params={"agrement": stargate})
    # A parameter value that looks like SPARQL is a literal, never query text.
    assert kg.query("agreement-parties", data=data, params={"agreement": HOSTILE}).rows == []


def test_the_default_data_is_out_graph_trig(built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(QueryError) as caught:
        kg.query("timeline")
    assert caught.value.message == ("no built dataset at out/graph.trig: run `kg build` first, "
                                    "or give --data FILE or --endpoint URL")
    assert caught.value.exit_code == 2
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.trig").write_bytes((built / "graph.trig").read_bytes())
    assert table(kg.query("timeline"), 6) == EXPECTED["timeline"]
    assert table(kg.query("timeline", data=[]), 6) == EXPECTED["timeline"]


def test_the_results_carry_the_prefixes_kg_query_prints_with(built, tmp_path):
    from kg.iris import prefixes

    results = kg.query("joint-venture-members", data=[built / "graph.trig"])
    assert results.prefixes == {**prefixes("https://kg.example.org/"),
                                **sparql.file_prefixes([built / "graph.trig"])}
    for fmt in (None, "table", "csv", "tsv", "json", "xml"):
        args = ["query", "joint-venture-members", "--data", str(built / "graph.trig")]
        printed = CliRunner().invoke(main, args + (["--format", fmt] if fmt else []))
        assert printed.exit_code == 0, printed.stderr
        assert results.serialize(fmt) == printed.stdout_bytes, fmt
    # The data files' own prefixes shorten IRIs too.
    mine = tmp_path / "mine.ttl"
    mine.write_text("@prefix ex: <http://example.org/things/> .\n\nex:a ex:b ex:c .\n",
                    encoding="utf-8")
    results = kg.query("SELECT ?s WHERE { ?s ?p ?o }", data=[mine])
    assert results.prefixes["ex"] == "http://example.org/things/"
    assert results.serialize().decode().splitlines()[2] == "ex:a"


def test_a_single_data_path_is_taken_as_a_list(built):
    one = kg.query("claims-by-status", data=built / "graph.trig")
    assert table(one) == EXPECTED["claims-by-status"]
    assert table(kg.query("claims-by-status", data=str(built / "graph.trig"))) == table(one)


def test_query_against_the_server_gives_the_default_prefixes(endpoint):
    from kg.iris import prefixes

    url, _ = endpoint
    results = kg.query("joint-venture-members", endpoint=url)
    assert table(results, 2) == EXPECTED["joint-venture-members"]
    assert results.prefixes == prefixes("https://kg.example.org/")
    printed = CliRunner().invoke(main, ["query", "joint-venture-members", "--endpoint", url])
    assert results.serialize() == printed.stdout_bytes


def test_an_endpoint_answer_in_an_unexpected_media_type_is_an_error():
    def answer(conn, request, stop):
        reply(conn, 200, b"<p>hi</p>", {"Content-Type": "text/html"})
    with raw_server(answer) as server, \
            pytest.raises(QueryError, match="unexpected media type 'text/html'"):
        kg.query("timeline", endpoint=server.base + "/sparql")


def test_the_endpoint_answer_is_read_within_the_timeout_and_the_size_limit(endpoint):
    """The real server's answers pass through kg.http's bounds; tiny bounds stop them."""
    url, _ = endpoint
    assert sparql.run_endpoint(url, "ASK { ?s ?p ?o }", {}, timeout=5).boolean is True
    with pytest.raises(QueryError, match="larger than the limit of 100 bytes"):
        sparql.run_endpoint(url, "SELECT * WHERE { ?s ?p ?o }", {}, timeout=5, max_response=100)
