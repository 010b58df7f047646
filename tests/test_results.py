"""Query results in every output format: an aligned table with short IRIs, the SPARQL 1.1
results formats and RDF, each parsing back to the same answer."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.results import Results, printable, table

from test_catalog import EXPECTED, NETWORK_EDGES, _network, plain


def test_table_output_is_aligned_and_shortens_iris(built):
    result = CliRunner().invoke(main, ["query", "joint-venture-members", "--data",
                                       str(built / "graph.trig")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["member", "name", "article"]
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
        assert rows[1:] == [[o, n, str(c)]
                            for o, n, c in EXPECTED["organizations-in-several-agreements"]]
        return
    parsed = ox.parse_query_results(result.stdout_bytes, format=parser)
    rows = [tuple(plain(s[v]) for v in parsed.variables) for s in parsed]
    assert rows == EXPECTED["organizations-in-several-agreements"]


@pytest.mark.parametrize("fmt,rdf", [("turtle", ox.RdfFormat.TURTLE),
                                     ("nt", ox.RdfFormat.N_TRIPLES),
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



@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"), ("a\x00b", "a\\x00b"),
    ("del\x7f", "del\\x7f"), ("nel\x85c1\x9b", "nel\\x85c1\\x9b"),
    ("\u202eevil\u202c", "\\u202eevil\\u202c"), ("\u2066x\u2069", "\\u2066x\\u2069"),
    ("rlm\u200f", "rlm\\u200f"), ("line\u2028sep", "line\\u2028sep"),
    ("two\n lines\tand\r\nmore", "two lines and more"), ("plain 首席执行官", "plain 首席执行官")])
def test_printable_escapes_what_a_terminal_would_act_on(raw, shown):
    assert printable(raw) == shown


def test_table_escapes_controls_in_every_cell():
    results = Results("select", ["x\x1b", "label"],
                      [[ox.NamedNode("http://example.org/a"), ox.Literal("\x1b[31mred\x07")],
                       [None, ox.Literal("\u202eevil")]])
    out = table(results, {"ex": "http://example.org/"})
    assert not any(c in out for c in "\x1b\x07\u202e")
    lines = out.splitlines()
    assert lines[0].split() == ["x\\x1b", "label"]
    assert lines[2] == "ex:a   \\x1b[31mred\\x07"
    assert lines[3].strip() == "\\u202eevil" and lines[-1] == "(2 rows)"
