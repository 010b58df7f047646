"""The one table of RDF formats: pyoxigraph's facts, kg's columns, reading files."""

from __future__ import annotations

import os
import time

import pyoxigraph as ox
import pytest

from kg.errors import InputError
from kg.formats import (
    BY_EXTENSION,
    BY_MEDIA_TYPE,
    BY_NAME,
    EXPORTED,
    FORMATS,
    RESULTS_FORMATS,
    SERVED,
    from_path,
    read,
)

TRIPLES = [ox.Triple(ox.NamedNode("http://example.com/s"), ox.NamedNode("http://example.com/p"),
                     ox.Literal("café", language="fr"))]
QUADS = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("http://example.com/g"))
         for t in TRIPLES]


def test_names_extensions_and_media_types_are_unique():
    assert len(BY_NAME) == sum(1 + len(f.aliases) for f in FORMATS)
    assert len(BY_EXTENSION) == sum(1 + len(f.read_extensions) for f in FORMATS)
    assert len(BY_MEDIA_TYPE) == len(FORMATS)


def test_the_table_agrees_with_pyoxigraph():
    for f in FORMATS:
        assert f.media_type == f.oxigraph.media_type
        assert f.extension == "." + f.oxigraph.file_extension
        assert ox.RdfFormat.from_media_type(f.media_type) == f.oxigraph
        # kg writes named graphs only where the format can carry them.
        assert not f.dataset or f.oxigraph.supports_datasets


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_writer_writes_what_pyoxigraph_reads_back(fmt):
    statements = QUADS if fmt.dataset else TRIPLES
    data = fmt.dumps(statements, {"ex": "http://example.com/"})
    parsed = list(ox.parse(data, format=fmt.oxigraph))
    if fmt.dataset:
        assert parsed == QUADS
    else:
        assert [q.triple for q in parsed] == TRIPLES


def test_exported_and_served_columns():
    assert [f.name for f in EXPORTED] == ["turtle", "ntriples", "jsonld", "trig", "nquads"]
    assert {f.name for f in SERVED} == {"turtle", "ntriples", "jsonld", "rdfxml"}
    assert {f.name for f in RESULTS_FORMATS} == {"json", "xml", "csv", "tsv"}


@pytest.mark.parametrize("name, expected", [
    ("a.ttl", "turtle"), ("A.TTL", "turtle"), ("a.nt", "ntriples"), ("a.json", "jsonld"),
    ("a.jsonld", "jsonld"), ("a.trig", "trig"), ("a.nq", "nquads"), ("a.owl", "rdfxml"),
    ("a.rdf", "rdfxml"), ("a.xml", "rdfxml")])
def test_files_are_known_by_extension(name, expected):
    assert from_path(name).name == expected


def test_an_unknown_extension_is_an_error_naming_the_known_ones(tmp_path):
    with pytest.raises(ValueError, match=r"unknown RDF file extension '\.csv' \(known: .*\.ttl"):
        from_path("x.csv")
    path = tmp_path / "x.csv"
    path.write_text("a,b\n")
    with pytest.raises(InputError) as caught:
        read([path])
    assert caught.value.path == str(path)


def test_read_names_the_file_and_line_of_a_syntax_error(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix ex: <http://example.com/> .\n\nex:s ex:p ex:o ;\n  ex:q .\n")
    with pytest.raises(InputError) as caught:
        read([path])
    assert caught.value.path == str(path) and caught.value.line in (3, 4)
    assert "not valid turtle" in caught.value.message


def test_read_refuses_rdfxml_entities_and_remote_jsonld_contexts(tmp_path):
    xml = tmp_path / "x.rdf"
    xml.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                   '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>')
    with pytest.raises(InputError, match="DOCTYPE or entity"):
        read([xml])
    jsonld = tmp_path / "x.jsonld"
    jsonld.write_text('{"@context": "http://example.com/context.jsonld", "@id": "http://x/"}')
    with pytest.raises(InputError, match="kg never fetches contexts"):
        read([jsonld])


def test_read_keeps_literals_as_written(tmp_path):
    path = tmp_path / "x.nt"
    path.write_text('<http://x/s> <http://x/p> '
                    '"01.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n')
    assert read([path])[0].object.value == "01.50"


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_read_refuses_what_is_not_a_regular_file(tmp_path, kind):
    path = tmp_path / "x.ttl"
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    started = time.monotonic()
    with pytest.raises(InputError, match="not a regular file") as info:
        read([path])
    assert time.monotonic() - started < 1 and info.value.path == str(path)
