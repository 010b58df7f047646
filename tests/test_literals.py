"""Lexical checks of typed literals, as written, before any parser rewrites them."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import literals
from kg.namespaces import XSD

S, P = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


@pytest.mark.parametrize("value,datatype", [
    ("2030", "gYear"), ("-0044", "gYear"), ("2030Z", "gYear"), ("12345", "gYear"),
    ("2024-06", "gYearMonth"), ("2024-12+01:00", "gYearMonth"),
    ("2025-01-21", "date"), ("2024-02-29", "date"), ("2025-01-21Z", "date"),
    ("650000000", "decimal"), ("-1.5", "decimal"), (".5", "decimal"), ("20.", "decimal"),
    ("42", "integer"), ("-7", "integer"), ("0", "nonNegativeInteger"), ("+12", "nonNegativeInteger"),
    ("true", "boolean"), ("0", "boolean"),
    ("anything at all", "string"),
])
def test_well_formed(value, datatype):
    assert literals.problem(typed(value, datatype)) is None


@pytest.mark.parametrize("value,datatype,words", [
    ("2030x", "gYear", "not a valid xsd:gYear"),
    ("203", "gYear", "not a valid xsd:gYear"),
    ("2024-13", "gYearMonth", "not a valid xsd:gYearMonth"),
    ("2024-6", "gYearMonth", "not a valid xsd:gYearMonth"),
    ("2026-02-30", "date", "has no day 30"),
    ("2023-02-29", "date", "has no day 29"),
    ("2025-01-21T10:00:00", "date", "not a valid xsd:date"),
    ("21/01/2025", "date", "not a valid xsd:date"),
    ("1e5", "decimal", "not a valid xsd:decimal"),
    ("$650", "decimal", "not a valid xsd:decimal"),
    ("1.0", "integer", "not a valid xsd:integer"),
    ("-3", "nonNegativeInteger", "not a valid xsd:nonNegativeInteger"),
    ("yes", "boolean", "not a valid xsd:boolean"),
])
def test_ill_formed(value, datatype, words):
    message = literals.problem(typed(value, datatype))
    assert message is not None and words in message and value in message


@pytest.mark.parametrize("tag,ok", [
    ("en", True), ("en-GB", True), ("zh-Hant-TW", True), ("de-CH-1996", True),
    ("x-private", True), ("en_GB", False), ("en-", False), ("123", False), ("e", False),
])
def test_language_tags(tag, ok):
    class FakeLiteral:  # pyoxigraph refuses some bad tags itself; check our rule alone
        language, value, datatype = tag, "x", None

    assert (literals.problem(FakeLiteral()) is None) is ok


def test_check_reports_each_bad_literal_with_its_statement():
    quads = [ox.Quad(S, P, typed("2030x", "gYear")), ox.Quad(S, P, typed("2030", "gYear")),
             ox.Quad(S, P, typed("2024-13", "gYearMonth"))]
    found = literals.check(quads)
    assert [(p.subject, p.predicate) for p in found] == [(S.value, P.value)] * 2
    assert {p.literal for p in found} == {
        '"2030x"^^<http://www.w3.org/2001/XMLSchema#gYear>',
        '"2024-13"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'}
