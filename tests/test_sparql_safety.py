"""The SPARQL safety check reads queries as the engine does (issue 17, classes 1 and 2): a
catalogue of ways to smuggle SERVICE, FROM, LOAD or an update past it, each refused by
kg.query while a real HTTP server on the loopback counts the requests it gets (none); the
harmless look-alikes accepted; parameters bound as terms; and the check linear in time."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from collections import Counter

import pyoxigraph as ox
import pytest

import kg
from kg import sparql
from kg.errors import QueryError
from kg.sparql_tokens import decode_codepoints, tokens

SERVICE = "SERVICE is refused: it would call another endpoint"
FROM = "FROM is refused: it would read other graphs or URLs"
LOAD = "LOAD is refused: it would fetch a URL"
AMBIGUOUS = "could be a less-than or the start of an IRI"


class Probe:
    """An HTTP server on 127.0.0.1 that answers every request with one SPARQL JSON row, and
    counts the requests it gets by path."""

    def __init__(self):
        self.hits: Counter[str] = Counter()
        probe = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                probe.hits[self.path.split("?")[0]] += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [
                    {"s": {"type": "literal", "value": "from the probe"}}]}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def probe():
    server = Probe()
    yield server
    server.close()
    # Whatever ran in this module, kg never called the probe's guarded path.
    assert server.hits["/internal"] == 0


# {url} is the probe's URL, {base} its root (for PREFIX declarations).
REFUSED = {
    # Comments end at a line feed or a carriage return (SPARQL's EOL), and only there.
    "comment ended by CR": ("SELECT * WHERE { # x\rSERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "comment ended by CRLF": ("SELECT * WHERE { # x\r\nSERVICE <{url}> { ?s ?p ?o } }",
                              SERVICE),
    "comment ended by LF": ("SELECT * WHERE { # x\nSERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "comments ended by CRs": ("SELECT * WHERE {#a\r#b\r\rSERVICE <{url}> { ?s ?p ?o } }",
                              SERVICE),
    "form feed outside a comment": ("SELECT * WHERE {\fSERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    # Case, SILENT, and keywords glued to what follows (Oxigraph needs no word boundary).
    "mixed case": ("SELECT * WHERE { sErViCe <{url}> { ?s ?p ?o } }", SERVICE),
    "SERVICE SILENT": ("SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }", SERVICE),
    "SERVICESILENT glued": ("SELECT * WHERE { SERVICESILENT<{url}> { ?s ?p ?o } }", SERVICE),
    "SERVICE glued to :name": ("PREFIX : <{base}> SELECT * WHERE { SERVICE:internal "
                               "{ ?s ?p ?o } }", SERVICE),
    "SERVICE glued to p:name": ("PREFIX p: <{base}> SELECT * WHERE { SERVICEp:internal "
                                "{ ?s ?p ?o } }", SERVICE),
    "true glued to SERVICE": ("SELECT * WHERE { ?s ?p trueSERVICE <{url}> { ?x ?y ?z } }",
                              SERVICE),
    "after a name with two dots": ("PREFIX ex: <http://x/> SELECT * WHERE "
                                   "{ ?s ?p ex:a.b.SERVICE <{url}> { ?x ?y ?z } }", SERVICE),
    "after a name with an escaped #": ("PREFIX ex: <http://x/> SELECT * WHERE "
                                       "{ ?s ?p ex:a\\# SERVICE <{url}> { ?x ?y ?z } }", SERVICE),
    # Wherever a graph pattern can be.
    "in a sub-select": ("SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
                        SERVICE),
    "in OPTIONAL": ("SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }",
                    SERVICE),
    "in UNION": ("SELECT * WHERE { { ?a ?b ?c } UNION { SERVICE <{url}> { ?s ?p ?o } } }",
                 SERVICE),
    "in MINUS": ("SELECT * WHERE { ?a ?b ?c MINUS { SERVICE <{url}> { ?a ?b ?c } } }", SERVICE),
    "in FILTER EXISTS": ("SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE <{url}> "
                         "{ ?s ?p ?o } } }", SERVICE),
    "in FILTER NOT EXISTS": ("SELECT * WHERE { ?a ?b ?c FILTER(NOT EXISTS { SERVICE <{url}> "
                             "{ ?s ?p ?o } }) }", SERVICE),
    "in GRAPH": ("SELECT * WHERE { GRAPH ?g { SERVICE <{url}> { ?s ?p ?o } } }", SERVICE),
    "SERVICE ?variable": ("SELECT * WHERE { BIND(<{url}> AS ?u) SERVICE ?u { ?s ?p ?o } }",
                          SERVICE),
    # After strings that hold what would start a comment, end a string or open an IRI.
    "after a string holding #": ('SELECT * WHERE { BIND("#" AS ?x) SERVICE <{url}> '
                                 "{ ?s ?p ?o } }", SERVICE),
    "after a string with an escaped quote": ('SELECT * WHERE { BIND("a\\"#" AS ?x) '
                                             "SERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "after a ''' string with quotes and lines": (
        "SELECT * WHERE { BIND('''it's ''quoted''\n# no comment\n''' AS ?x) "
        "SERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    'after a """ string with quotes and lines': (
        'SELECT * WHERE { BIND("""say "hi" ""twice""\n<not an IRI\n""" AS ?x) '
        "SERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "after a '<' with a string": ("SELECT * WHERE { ?s ?p ?o FILTER(?o<?s||'>') "
                                  "SERVICE <{url}> { ?x ?y ?z } }", SERVICE),
    # `<` that the engine reads as less-than where a tokenizer could read an IRI.
    "'<' with a quote: less-than or IRI": ("SELECT * WHERE { ?s ?p ?o FILTER(?o<?s&&'>') "
                                           "SERVICE <{url}> { ?x ?y ?z } }", AMBIGUOUS),
    "'<' with a #: less-than or IRI": ("SELECT * WHERE { ?s ?p ?o FILTER(?o<?s#>) '''\n) "
                                       "SERVICE <{url}> { ?x ?y ?z } BIND('''\n''' AS ?w) }",
                                       AMBIGUOUS),
    "'<' after EXISTS": ("SELECT * WHERE { FILTER(EXISTS { ?s ?p ?o }<?s#>) }", AMBIGUOUS),
    # Codepoint escapes, which an engine following SPARQL 1.1 §19.2 decodes first.
    "escaped S": ("SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "escaped I": ("SELECT * WHERE { SERV\\u0049CE <{url}> { ?s ?p ?o } }", SERVICE),
    "long escape": ("SELECT * WHERE { \\U00000053ERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "escaped quote ending a string": ('SELECT * WHERE { BIND("\\u0022 AS ?x) SERVICE <{url}> '
                                      '{ ?s ?p ?o } BIND("x" AS ?y) }', SERVICE),
    "escaped line feed ending a comment": ("SELECT * WHERE { # x\\u000A SERVICE <{url}> "
                                           "{ ?s ?p ?o } \n}", SERVICE),
    # FROM, FROM NAMED, LOAD and updates.
    "FROM": ("SELECT * FROM <{url}> WHERE { ?s ?p ?o }", FROM),
    "FROM NAMED": ("SELECT * FROM NAMED <{url}> WHERE { GRAPH ?g { ?s ?p ?o } }", FROM),
    "from named, lower case": ("select * from named <{url}> where { ?s ?p ?o }", FROM),
    "ASKFROM glued": ("ASKFROM<{url}>{ ?s ?p ?o }", FROM),
    "FROM glued to :name": ("PREFIX : <{base}> SELECT * FROM:internal WHERE { ?s ?p ?o }",
                            FROM),
    "LOAD": ("LOAD <{url}>", LOAD),
    "LOAD SILENT INTO": ("load silent <{url}> into graph <http://x/g>", LOAD),
    "INSERT DATA": ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT is refused"),
    "DELETE WHERE": ("DELETE WHERE { ?s ?p ?o }", "DELETE is refused"),
    "WITH ... DELETE": ("WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                        "WITH is refused"),
    "CLEAR": ("CLEAR ALL", "CLEAR is refused"),
    "DROP": ("DROP GRAPH <http://x/g>", "DROP is refused"),
    "CREATE": ("CREATE GRAPH <http://x/g>", "CREATE is refused"),
    "ADD": ("ADD DEFAULT TO <http://x/g>", "ADD is refused"),
    "MOVE": ("MOVE DEFAULT TO <http://x/g>", "MOVE is refused"),
    "COPY": ("COPY DEFAULT TO <http://x/g>", "COPY is refused"),
    "update after a query": ("SELECT * WHERE { ?s ?p ?o } ;\nINSERT DATA { <http://a> "
                             "<http://b> <http://c> }", "INSERT is refused"),
}

ACCEPTED = {
    "a ?service variable": "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
    "$from, ?load, ?with": "SELECT $from ?load ?with WHERE { $from ?load ?with } LIMIT 1",
    "ex:from, ex:load, ex:SERVICE": ("PREFIX ex: <http://example.org/>\nSELECT ?s WHERE "
                                     "{ ?s ex:from ?o ; ex:load ?o ; ex:SERVICE ?o }"),
    "SERVICE in a string": ('SELECT ?x WHERE { BIND("SERVICE <{url}> { }" AS ?x) }'),
    "SERVICE in a ''' string": "SELECT ?x WHERE { BIND('''\nSERVICE <{url}> {}\n''' AS ?x) }",
    "an IRI holding service": "SELECT * WHERE { ?s <http://x/service> ?o }",
    "an IRI holding FROM and #": "SELECT * WHERE { ?s <http://x/FROM#LOAD> ?o }",
    "SERVICE in a comment": "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <{url}> { }",
    "form feed in a comment": ("SELECT * WHERE { # x\fSERVICE <{url}> { ?s ?p ?o }\n"
                               "?s ?p ?o } LIMIT 1"),
    "vertical tab in a comment": ("SELECT * WHERE { # x\vSERVICE <{url}> { ?s ?p ?o }\n"
                                  "?s ?p ?o } LIMIT 1"),
    "NEL and LS in a comment": ("SELECT * WHERE { # x\x85SERVICE\u2028SERVICE <{url}>\n"
                                "?s ?p ?o } LIMIT 1"),
    "an escaped # in a name": ("PREFIX ex: <http://x/> SELECT * WHERE { ?s ?p ex:a\\#SERVICE }"),
    "a hash IRI in VALUES": "SELECT * WHERE { VALUES (?x ?y) { (1 <http://x/#y>) } }",
    "less-than with and without spaces": ("SELECT * WHERE { ?s ?p ?o FILTER(?o < ?s "
                                          "|| ?o<?s || STR(?o)<'#') } LIMIT 1"),
    "an escape in a string": 'SELECT ?x WHERE { BIND("\\u0053ERVICE" AS ?x) }',
    "a language tag": 'SELECT ?x WHERE { BIND("SERVICE"@en AS ?x) }',
    "a shipped example": "timeline",
}


def _text(template: str, probe: Probe) -> str:
    return template.replace("{url}", probe.base + "internal").replace("{base}", probe.base)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_smuggled_keywords_are_refused_and_the_probe_gets_nothing(name, probe, built):
    template, message = REFUSED[name]
    text = _text(template, probe)
    with pytest.raises(QueryError, match=message.replace("(", r"\(")):
        kg.query(text, data=[built / "graph.trig"])
    with pytest.raises(QueryError, match=message.replace("(", r"\(")):
        sparql.check_safe(text)
    assert probe.hits["/internal"] == 0


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_look_alikes_are_accepted(name, probe, built):
    text = _text(ACCEPTED[name], probe)
    sparql.check_safe(text)
    kg.query(text, data=[built / "graph.trig"])  # no QueryError
    assert probe.hits["/internal"] == 0


REACHED = ["comment ended by CR", "comment ended by CRLF", "mixed case", "SERVICE SILENT",
           "SERVICESILENT glued", "SERVICE glued to :name", "SERVICE glued to p:name",
           "true glued to SERVICE", "after a name with two dots", "in a sub-select",
           "in OPTIONAL", "in UNION", "after a string holding #",
           "after a ''' string with quotes and lines", "after a '<' with a string"]


@pytest.mark.parametrize("name", REACHED)
def test_the_variants_are_real_the_engine_alone_calls_the_probe(name, probe):
    """Without the check, pyoxigraph sends these to the URL in them: they are the requests
    that the check stops."""
    store = ox.Store()
    for obj in (ox.NamedNode("http://x/a.b"), ox.Literal(True), ox.NamedNode("http://c")):
        store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), obj))
    canary = _text(REFUSED[name][0], probe).replace("internal", "canary")
    before = probe.hits["/canary"]
    list(store.query(canary))
    assert probe.hits["/canary"] > before


def test_pyoxigraph_does_not_decode_codepoint_escapes_outside_strings_and_iris():
    """What kg.sparql_tokens assumes of pyoxigraph 0.5: \\u escapes are characters inside
    strings and IRIs, syntax errors elsewhere; the check reads the decoded text as well."""
    store = ox.Store()
    with pytest.raises(SyntaxError):
        store.query("\\u0053ELECT * WHERE { ?s ?p ?o }")
    [row] = store.query('SELECT ?x WHERE { BIND("\\u0022" AS ?x) }')
    assert row["x"].value == '"'
    assert decode_codepoints("\\u0053ERVICE") == "SERVICE"


# ------------------------------------------------------------------ parameters

INJECTING_NAMES = ["x } SERVICE <{url}> { ?s ?p ?o } #", "a b", "x}", "{x", "x)", "x.y",
                   "x\rSERVICE", "x#", "-x", ""]


@pytest.mark.parametrize("name", INJECTING_NAMES)
def test_a_parameter_name_that_is_not_a_variable_name_is_refused(name, probe, built):
    name = _text(name, probe)
    text = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    with pytest.raises(QueryError, match="is not a SPARQL variable name|name is empty"):
        kg.query(text, data=[built / "graph.trig"], params={name: "1"})
    if name:
        with pytest.raises(QueryError, match="is not a SPARQL variable name: character"):
            kg.query(text, data=[built / "graph.trig"], params=[f"{name}=1"])
    with pytest.raises(QueryError, match="is not a SPARQL variable name|name is empty"):
        sparql.with_values(text, {name: ox.Literal("1")})
    assert probe.hits["/internal"] == 0


def test_the_name_error_says_where():
    with pytest.raises(QueryError) as caught:
        sparql.with_values("SELECT * WHERE { }", {"ab}c": ox.Literal("1")})
    assert caught.value.message == ("the parameter name 'ab}c' is not a SPARQL variable name: "
                                    "character 3 ('}') cannot be in one")


INJECTING_VALUES = ['x" ) } SERVICE <{url}> { ?s ?p ?o } #',
                    "<http://x/> ) } SERVICE <{url}> { (",
                    "x\\\" } SERVICE <{url}> { ?s ?p ?o }",
                    "''' } SERVICE <{url}> { ?s ?p ?o } '''",
                    "x\n} SERVICE <{url}> { ?s ?p ?o }\r#",
                    "\\u0022) } SERVICE <{url}> { ?s ?p ?o } #",
                    "SERVICE <{url}>"]


@pytest.mark.parametrize("value", INJECTING_VALUES)
def test_a_parameter_value_stays_one_literal(value, probe, built):
    value = _text(value, probe)
    results = kg.query("SELECT ?v WHERE { BIND(?x AS ?v) }", data=[built / "graph.trig"],
                       params={"x": value})
    assert [row[0].value for row in results.rows] == [value]
    assert probe.hits["/internal"] == 0


def test_a_hash_iri_parameter_with_a_literal_one(built):
    results = kg.query("SELECT ?a ?b WHERE { BIND(?x AS ?a) BIND(?y AS ?b) }",
                       data=[built / "graph.trig"],
                       params={"x": "text", "y": "<http://x/#y>"})
    assert [(a.value, b.value) for a, b in results.rows] == [("text", "http://x/#y")]


def test_the_check_runs_on_the_text_with_its_values(monkeypatch, built):
    """run_local checks what it runs: the text after with_values."""
    checked = []
    real = sparql._check
    monkeypatch.setattr(sparql, "_check", lambda text: checked.append(text) or real(text))
    kg.query("SELECT ?v WHERE { BIND(?x AS ?v) }", data=[built / "graph.trig"],
             params={"x": "1"})
    assert len(checked) == 1 and "VALUES (?x) { (\"1\") }" in checked[0]


# ------------------------------------------------------------------ time and length

# The issue's example and long runs of what opens a comment, a string or an IRI: a megabyte
# (just under MAX_QUERY_CHARS) of each is read in well under a second.
ADVERSARIAL = {
    "the issue's example": lambda n: "ASK {}\n#\n" + "a" * (n - 9),
    "#": lambda n: "#" * n,
    '"': lambda n: '"' * n,
    "<": lambda n: "<" * n,
    "'''": lambda n: "'''" * (n // 3),
    "'": lambda n: "'" * n,
    '"""a': lambda n: '"""a' * (n // 4),
    "#...\r": lambda n: "# SERVICE\r" * (n // 10),
}
# Text as dense in tokens as text can be: linear too, some 1 µs a token on this 2-core machine
# (a megabyte of it takes about a second), so 60 kB of each here.
DENSE = {
    "<a": lambda n: "<a" * (n // 2),
    "letters and spaces": lambda n: "SELECT * WHERE { " + "a " * (n // 2 - 10) + "}",
    "'<' in parentheses": lambda n: "ASK { FILTER(" + "?a<?b " * (n // 6 - 5) + ") }",
    "braces": lambda n: "ASK { " + "{a}" * (n // 3 - 4) + " }",
    "escapes": lambda n: "\\u0041" * (n // 6),
}


@pytest.mark.parametrize("shape,size", [(shape, size) for shape in sorted(ADVERSARIAL)
                                        for size in (60_000, 990_000)]
                         + [(shape, 60_000) for shape in sorted(DENSE)])
def test_adversarial_queries_are_read_in_well_under_a_second(shape, size):
    text = {**ADVERSARIAL, **DENSE}[shape](size)
    assert len(text) <= sparql.MAX_QUERY_CHARS
    started = time.perf_counter()
    with contextlib.suppress(QueryError):
        sparql.check_safe(text)
    assert time.perf_counter() - started < (1.0 if size > 60_000 else 0.25)


def test_the_issues_example_through_kg_query(built):
    text = "ASK {}\n#\n" + "a" * 60_000
    started = time.perf_counter()
    with pytest.raises(QueryError, match="not a valid SPARQL query"):
        kg.query(text, data=[built / "graph.trig"])
    assert time.perf_counter() - started < 5.0  # a build's data read and a worker forked


def test_a_query_over_the_length_limit_is_refused_at_once():
    text = "ASK { }" + " " * sparql.MAX_QUERY_CHARS
    started = time.perf_counter()
    with pytest.raises(QueryError, match=r"^the query is 1,000,007 characters long; the limit "
                                         r"is 1,000,000$"):
        sparql.check_safe(text)
    assert time.perf_counter() - started < 0.1


def test_tokens_of_each_kind():
    text = ("PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:a.b.c 'x'@en, 1.5e3, _:b ; "
            "ex:p\\# \"\"\"a\"b\"\"\" } # done\r?x")
    assert [(kind, text[start:end]) for kind, start, end in tokens(text)] == [
        ("word", "PREFIX"), ("pname", "ex:"), ("iri", "<http://x/>"), ("word", "SELECT"),
        ("punct", "*"), ("word", "WHERE"), ("brackets", "{"), ("var", "?s"),
        ("pname", "ex:a.b"), ("punct", "."), ("word", "c"), ("string", "'x'"),
        ("langtag", "@en"), ("punct", ","), ("number", "1.5e3"), ("punct", ","),
        ("bnode", "_:b"), ("punct", ";"), ("pname", "ex:p\\#"), ("string", '"""a"b"""'),
        ("brackets", "}"), ("var", "?x")]
