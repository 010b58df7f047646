"""`kg load` against real stores (Oxigraph, Virtuoso) and against a scripted faulty server."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg
from kg import store
from kg.cli import main
from kg.resources import ontology_files

from conftest import SEED_COUNTS
from servers import oxigraph_server, virtuoso_server

ONTOLOGY_GRAPH = "https://kg.example.org/graph/ontology"
FACTS = "https://kg.example.org/graph/verge-2025-01-21-microsoft-openai-compute/facts"
REMOVED = ox.Triple(ox.NamedNode("https://kg.example.org/id/agreement/stargate"),
                    ox.NamedNode("https://kg.example.org/ontology#hasMember"),
                    ox.NamedNode("https://kg.example.org/id/organization/nvidia"))


@pytest.fixture(scope="module")
def dataset(built) -> Path:
    return built


@pytest.fixture(scope="module")
def smaller(tmp_path_factory, dataset) -> Path:
    """The same dataset with one triple (Nvidia's membership of Stargate) removed."""
    out = tmp_path_factory.mktemp("smaller")
    quads = [q for q in ox.parse(path=str(dataset / "graph.trig"), format=ox.RdfFormat.TRIG)
             if q.triple != REMOVED]
    (out / "graph.trig").write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    return out


def expected_counts(dataset: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for q in ox.parse(path=str(dataset / "graph.trig"), format=ox.RdfFormat.TRIG):
        counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
    ontology = {q.triple for p in ontology_files()
                for q in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE)}
    counts[ONTOLOGY_GRAPH] = len(ontology)
    return counts


def store_counts(query_url: str, auth=None) -> dict[str, int]:
    query = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
             "FILTER(STRSTARTS(STR(?g), 'https://kg.example.org/')) } GROUP BY ?g")
    response = httpx.post(query_url, data={"query": query}, auth=auth, timeout=30,
                          headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    rows = response.json()["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def ask(query_url: str, triple: ox.Triple) -> bool:
    response = httpx.post(query_url, data={"query": f"ASK {{ GRAPH ?g {{ {triple.subject} "
                                           f"{triple.predicate} {triple.object} }} }}"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return response.json()["boolean"]


def load(directory: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["load", str(directory), *args], env=env)


# ------------------------------------------------------------------ Oxigraph

@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-db")) as base:
        yield base


@pytest.mark.parametrize("protocol,path", [("gsp", "/store"), ("update", "/update")])
def test_oxigraph_load_is_idempotent_and_replaces_graphs(protocol, path, oxigraph, dataset,
                                                         smaller):
    endpoint, query = oxigraph + path, oxigraph + "/query"
    expected = expected_counts(dataset)
    for _ in range(2):
        result = load(dataset, "--endpoint", endpoint, "--protocol", protocol, "--verify",
                      "--batch-size", "300")
        assert result.exit_code == 0, result.output
        assert store_counts(query) == expected
    assert ask(query, REMOVED)
    result = load(smaller, "--endpoint", endpoint, "--protocol", protocol, "--verify")
    assert result.exit_code == 0, result.output
    assert not ask(query, REMOVED), "PUT/DROP replaced the graph: the removed triple is gone"
    assert store_counts(query) == {**expected, FACTS: expected[FACTS] - 1}


def test_query_through_the_loaded_oxigraph(oxigraph, dataset):
    assert load(dataset, "--endpoint", oxigraph + "/store").exit_code == 0
    result = CliRunner().invoke(main, ["query", "joint-venture-members", "--endpoint",
                                       oxigraph + "/query", "--format", "csv"])
    assert result.exit_code == 0
    assert [line.split(",")[1] for line in result.output.splitlines()[1:]] == [
        "Arm", "Microsoft", "Nvidia", "OpenAI", "Oracle"]


def test_ontology_graph_name_can_be_chosen(oxigraph, dataset):
    graph = "http://example.org/kg-ontology"
    result = load(dataset, "--endpoint", oxigraph + "/store", "--ontology-graph", graph, "--verify")
    assert result.exit_code == 0, result.output
    ontology = SEED_COUNTS["ontology triples"]
    assert f"<{graph}>: {ontology} triples, store has {ontology}" in result.output


# ------------------------------------------------------------------ Virtuoso

@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-db")) as base:
        yield base


VIRTUOSO_ENV = {"KG_STORE_USER": "dba", "KG_STORE_PASSWORD": "dba"}


@pytest.mark.parametrize("protocol,path", [("gsp", "/sparql-graph-crud-auth"),
                                           ("update", "/sparql-auth")])
def test_virtuoso_load_with_digest_auth(protocol, path, virtuoso, dataset, smaller):
    endpoint, query = virtuoso + path, virtuoso + "/sparql"
    args = ["--endpoint", endpoint, "--protocol", protocol, "--auth", "digest", "--verify",
            "--query-endpoint", query, "--batch-size", "300"]
    expected = expected_counts(dataset)
    for _ in range(2):
        result = load(dataset, *args, env=VIRTUOSO_ENV)
        assert result.exit_code == 0, result.output
        assert store_counts(query) == expected
    result = load(smaller, *args, env=VIRTUOSO_ENV)
    assert result.exit_code == 0, result.output
    assert not ask(query, REMOVED)
    assert store_counts(query) == {**expected, FACTS: expected[FACTS] - 1}


def test_virtuoso_refuses_wrong_credentials_without_retrying(virtuoso, dataset):
    result = load(dataset, "--endpoint", virtuoso + "/sparql-graph-crud-auth", "--auth", "digest",
                  env={"KG_STORE_USER": "dba", "KG_STORE_PASSWORD": "not-the-password"})
    assert result.exit_code == 2
    assert "401" in result.stderr
    assert "not-the-password" not in result.output + result.stderr


def test_virtuoso_query_through_kg(virtuoso, dataset):
    assert load(dataset, "--endpoint", virtuoso + "/sparql-graph-crud-auth", "--auth", "digest",
                env=VIRTUOSO_ENV).exit_code == 0
    result = CliRunner().invoke(main, ["query", "organizations-in-several-agreements",
                                       "--endpoint", virtuoso + "/sparql", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines()[1:] == [
        "https://kg.example.org/id/organization/microsoft,Microsoft,3",
        "https://kg.example.org/id/organization/openai,OpenAI,3",
        "https://kg.example.org/id/organization/oracle,Oracle,2"]


# ------------------------------------------------------------------ a scripted faulty server

class ScriptedStore:
    """A Graph Store that answers from a script of statuses, then keeps graphs like a store."""

    def __init__(self, script: list, delay: float = 0.0):
        self.script, self.delay = list(script), delay
        self.requests: list[tuple[str, str, dict]] = []
        self.graphs: dict[str, list[bytes]] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                outer.requests.append((self.command, self.path, dict(self.headers)))
                if outer.delay:
                    time.sleep(outer.delay)
                status = outer.script.pop(0) if outer.script else 204
                if status >= 300:
                    message = f"scripted failure {status}".encode()
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(message)))
                    self.end_headers()
                    self.wfile.write(message)
                    return
                graph = parse_qs(urlsplit(self.path).query).get("graph", [""])[0]
                lines = [line for line in body.splitlines() if line.strip()]
                if self.command == "PUT":
                    outer.graphs[graph] = lines
                else:
                    outer.graphs.setdefault(graph, []).extend(lines)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_PUT = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted():
    servers = []

    def make(script, delay=0.0):
        server = ScriptedStore(script, delay)
        servers.append(server)
        return server
    yield make
    for server in servers:
        server.close()


def run_load(dataset: Path, server: ScriptedStore, **kw):
    sleeps: list[float] = []
    target = store.Target(server.url, timeout=kw.pop("timeout", 5.0), retries=kw.pop("retries", 4),
                          credentials=kw.pop("credentials", store.Credentials()))
    result = store.load_files(dataset / "graph.trig", ontology_files(), ONTOLOGY_GRAPH, target,
                              sleep=sleeps.append)
    return result, sleeps


def test_a_500_is_retried_once_and_leaves_no_duplicates(scripted, dataset):
    server = scripted([500])
    result, sleeps = run_load(dataset, server)
    assert len(server.requests) == len(result.graphs) + 1
    assert sleeps == [0.5]
    for graph, count in result.graphs.items():
        assert len(server.graphs[graph]) == count
        assert len(set(server.graphs[graph])) == count


def test_a_second_500_is_not_retried(scripted, dataset):
    server = scripted([500, 500])
    with pytest.raises(store.StoreError, match="500 Internal Server Error: scripted failure 500"):
        run_load(dataset, server)
    assert len(server.requests) == 2


def test_503_and_502_are_retried_with_backoff(scripted, dataset):
    server = scripted([503, 502, 504])
    result, sleeps = run_load(dataset, server)
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(server.requests) == len(result.graphs) + 3


def test_retries_are_bounded(scripted, dataset):
    server = scripted([503] * 10)
    with pytest.raises(store.StoreError, match="503"):
        run_load(dataset, server, retries=3)
    assert len(server.requests) == 4


def test_a_server_that_times_out_gets_bounded_retries_and_a_clear_message(scripted, dataset):
    server = scripted([], delay=1.0)
    with pytest.raises(store.StoreError,
                       match=r"no complete answer within 0.2 s .* after 3 attempts"):
        run_load(dataset, server, timeout=0.2, retries=2)
    assert len(server.requests) == 3


def test_a_401_is_not_retried_and_the_password_is_never_shown(scripted, dataset):
    server = scripted([401])
    result = load(dataset, "--endpoint", server.url, "--auth", "basic",
                  env={"KG_STORE_USER": "loader", "KG_STORE_PASSWORD": "s3cret-pass"})
    assert result.exit_code == 2
    assert "401 Unauthorized" in result.stderr and "scripted failure 401" in result.stderr
    assert "KG_STORE_PASSWORD" in result.stderr
    assert "s3cret-pass" not in result.output + result.stderr
    assert len(server.requests) == 1
    assert server.requests[0][2]["Authorization"].startswith("Basic ")


def test_a_failed_load_leaves_no_temporary_folder(scripted, dataset, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    for script, delay in (([400], 0.0), ([], 1.0)):
        server = scripted(script, delay)
        with pytest.raises(store.StoreError):
            run_load(dataset, server, timeout=0.3, retries=0)
        assert list(tmp_path.iterdir()) == []


def test_the_timeout_bounds_the_whole_request_not_each_read(scripted, dataset):
    """Each answer of this store comes after 0.6 s: within a 1 s timeout, not a 0.5 s one."""
    result, _ = run_load(dataset, scripted([], delay=0.6), timeout=1.0, retries=0)
    assert sum(result.graphs.values()) > 0
    started = time.monotonic()
    with pytest.raises(store.StoreError, match="no complete answer within 0.5 s"):
        run_load(dataset, scripted([], delay=0.6), timeout=0.5, retries=0)
    assert time.monotonic() - started < 1.5


def test_a_400_is_not_retried(scripted, dataset):
    server = scripted([400])
    with pytest.raises(store.StoreError, match="400"):
        run_load(dataset, server)
    assert len(server.requests) == 1


def test_bearer_token_comes_from_the_environment(scripted, dataset):
    server = scripted([])
    credentials = store.credentials_from_env("bearer", env={"KG_STORE_TOKEN": "tok-123"})
    run_load(dataset, server, credentials=credentials)
    assert all(h["Authorization"] == "Bearer tok-123" for _, _, h in server.requests)
    assert "tok-123" not in repr(credentials)


def test_missing_credentials_are_an_error_not_a_prompt_without_terminal(dataset):
    result = load(dataset, "--endpoint", "http://127.0.0.1:9/store", "--auth", "basic", env={
        "KG_STORE_USER": "", "KG_STORE_PASSWORD": ""})
    assert result.exit_code == 2 and "KG_STORE_USER" in result.stderr


def test_unreachable_store_fails_after_retries(dataset):
    from servers import free_port

    target = store.Target(f"http://127.0.0.1:{free_port()}/store", retries=2, timeout=1)
    with pytest.raises(store.StoreError, match="cannot connect .* after 3 attempts"):
        store.load_files(dataset / "graph.trig", ontology_files(), ONTOLOGY_GRAPH, target,
                         sleep=lambda s: None)


def test_missing_dataset_says_to_build(tmp_path):
    result = load(tmp_path, "--endpoint", "http://127.0.0.1:9/store")
    assert result.exit_code == 2 and "run `kg build` first" in result.stderr


@pytest.mark.parametrize("endpoint,query", [
    ("http://h:7878/store", "http://h:7878/query"),
    ("http://h:3030/ds/data", "http://h:3030/ds/query"),
    ("http://h:3030/ds/update", "http://h:3030/ds/query"),
    ("http://h:8890/sparql-graph-crud-auth", "http://h:8890/sparql"),
    ("http://h:7200/repositories/kg/rdf-graphs/service", "http://h:7200/repositories/kg"),
    ("https://neptune:8182/sparql", "https://neptune:8182/sparql"),
    ("http://h/elsewhere", None),
])
def test_query_endpoint_is_guessed_for_known_stores(endpoint, query):
    assert store.guess_query_endpoint(endpoint) == query


# ------------------------------------------------------------------ kg.load, the public API

def test_kg_load_loads_and_verifies_like_the_command(oxigraph, dataset):
    sent = []
    result = kg.load(dataset, oxigraph + "/store", verify=True, batch_size=300,
                     progress=sent.append)
    assert isinstance(result, kg.LoadResult)
    assert result.graphs == expected_counts(dataset) == result.verified
    assert sum(sent) == sum(result.graphs.values())
    assert store.statement_count(dataset) == sum(result.graphs.values()) - result.graphs[
        ONTOLOGY_GRAPH]
    assert store_counts(oxigraph + "/query") == expected_counts(dataset)


def test_kg_load_over_sparql_update_into_a_chosen_ontology_graph(oxigraph, dataset):
    graph = "http://example.org/api-ontology"
    result = kg.load(str(dataset), oxigraph + "/update", protocol="update",
                     query_endpoint=oxigraph + "/query", ontology_graph=graph, verify=True)
    assert result.verified[graph] == SEED_COUNTS["ontology triples"]


def _ontology_graph(server: ScriptedStore, graph: str = ONTOLOGY_GRAPH) -> set[bytes]:
    return set(server.graphs[graph])


def test_the_ontology_is_the_folders_own_else_the_packaged_one(scripted, dataset, tmp_path):
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "graph.trig").write_bytes((dataset / "graph.trig").read_bytes())
    assert store.ontology_of(bare) == ontology_files()
    server = scripted([])
    kg.load(bare, server.url)
    packaged = _ontology_graph(server)
    assert len(packaged) == expected_counts(dataset)[ONTOLOGY_GRAPH]

    own = tmp_path / "own"
    own.mkdir()
    (own / "graph.trig").write_bytes((dataset / "graph.trig").read_bytes())
    (own / "kg.ttl").write_text("<http://example.org/o> a <http://www.w3.org/2002/07/owl#"
                                "Ontology> .\n", encoding="utf-8")
    assert store.ontology_of(own) == [own / "kg.ttl"]
    server = scripted([])
    result = kg.load(own, server.url)
    assert result.graphs[ONTOLOGY_GRAPH] == 1
    assert _ontology_graph(server) == {(b"<http://example.org/o> "
                                        b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                                        b"<http://www.w3.org/2002/07/owl#Ontology> .")}
    # A built folder has both files: the same triples as the packaged ontology.
    assert store.ontology_of(dataset) == [dataset / "alignments.ttl", dataset / "kg.ttl"]


def test_the_ontology_graph_follows_the_base_iri(scripted, dataset):
    server = scripted([])
    result = kg.load(dataset, server.url, base_iri="https://other.example/")
    assert "https://other.example/graph/ontology" in result.graphs
    with pytest.raises(kg.InputError, match="--base-iri must be an absolute http"):
        kg.load(dataset, server.url, base_iri="not-an-iri")


def test_credentials_come_from_the_environment_else_the_prompt(scripted, dataset, monkeypatch):
    asked = []

    def prompt(label: str, secret: bool) -> str:
        asked.append((label, secret))
        return {"User": "loader", "Password": "pw"}[label]
    monkeypatch.delenv("KG_STORE_USER", raising=False)
    monkeypatch.delenv("KG_STORE_PASSWORD", raising=False)
    server = scripted([])
    kg.load(dataset, server.url, auth="basic", prompt=prompt)
    assert asked == [("User", False), ("Password", True)]
    assert all(h["Authorization"].startswith("Basic ") for _, _, h in server.requests)
    with pytest.raises(store.StoreError, match="needs KG_STORE_USER and KG_STORE_PASSWORD"):
        kg.load(dataset, server.url, auth="basic")
    monkeypatch.setenv("KG_STORE_TOKEN", "tok-456")
    server = scripted([])
    kg.load(dataset, server.url, auth="bearer", prompt=prompt)
    assert len(asked) == 2
    assert all(h["Authorization"] == "Bearer tok-456" for _, _, h in server.requests)


def test_kg_load_refuses_what_the_command_line_cannot_give(dataset):
    with pytest.raises(store.StoreError, match="give the store's endpoint"):
        kg.load(dataset)
    with pytest.raises(store.StoreError, match="protocol is one of gsp, update"):
        kg.load(dataset, "http://127.0.0.1:9/store", protocol="put")
    with pytest.raises(store.StoreError, match="--auth is one of basic, digest, bearer"):
        kg.load(dataset, "http://127.0.0.1:9/store", auth="kerberos")


def test_kg_load_of_a_folder_without_a_dataset(tmp_path):
    with pytest.raises(kg.InputError, match="no built dataset here: run `kg build` first") \
            as caught:
        kg.load(tmp_path, "http://127.0.0.1:9/store")
    assert caught.value.path == str(tmp_path / "graph.trig")


def test_statement_count_is_the_lines_of_graph_nq(dataset, tmp_path):
    nquads = (dataset / "graph.nq").read_bytes()
    assert store.statement_count(dataset) == nquads.count(b"\n") > 0
    assert store.statement_count(str(dataset)) == store.statement_count(dataset)
    assert store.statement_count(tmp_path) is None
