"""The one table of namespaces and the one IRI shortener."""

from __future__ import annotations

from kg.namespaces import (
    DOCUMENT_PREFIXES,
    KGO,
    OA,
    SCHEMA,
    VOCABULARY_PREFIXES,
    readable,
    shortener,
)


def test_every_namespace_ends_in_slash_or_hash_and_is_named_once():
    table = {**VOCABULARY_PREFIXES, **DOCUMENT_PREFIXES}
    assert all(ns.endswith(("/", "#")) for ns in table.values())
    assert len(set(table.values())) == len(table)


def test_the_longest_namespace_wins():
    short = shortener({"kg": "https://kg.example.org/", "kgo": KGO})
    assert short(KGO + "Agreement") == "kgo:Agreement"
    assert short("https://kg.example.org/x") == "kg:x"
    assert short("https://kg.example.org/id/x") is None  # '/' is not part of a local name


def test_local_names_that_cannot_be_written_give_none():
    short = shortener({"schema": SCHEMA, "oa": OA})
    assert short(SCHEMA + "name") == "schema:name"
    assert short(OA + "x-1#target") == "oa:x-1#target"
    assert short(SCHEMA + "") is None
    assert short(SCHEMA + "a b") is None
    assert short(SCHEMA + "trailing.") is None
    assert short("http://elsewhere.example/x") is None


def test_readable_writes_unknown_iris_in_angle_brackets_and_keeps_terms():
    show = readable({"kgo": KGO})
    assert show(KGO + "Clause") == "kgo:Clause"
    assert show("http://elsewhere.example/x") == "<http://elsewhere.example/x>"
    assert show('"2030"^^<http://www.w3.org/2001/XMLSchema#gYear>').startswith('"2030"')
    assert show("_:b0") == "_:b0"
