"""RDF terms as SHACL compares them, the same way pySHACL does on rdflib's terms: equality of
literals after rdflib's normalisation ("01"^^xsd:integer is "1"), well-typed datatypes,
ordering for the range constraints; and the conversions between pyoxigraph and rdflib."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from functools import lru_cache

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode

from kg import literals
from kg.namespaces import RDF, RDFS, SH, XSD

__all__ = ["SH", "compare", "has_datatype", "key", "order_of", "result_text", "text", "to_ox",
           "to_rdflib"]

XSD_STRING, LANG_STRING = XSD + "string", RDF + "langString"
RDFS_LITERAL, RDFS_DATATYPE = RDFS + "Literal", RDFS + "Datatype"
# The numeric datatypes kg checks itself (kg.literals): their order is their decimal value.
_NUMERIC = {XSD + "integer", XSD + "decimal", XSD + "nonNegativeInteger"}
# What rdflib's value of a well-typed literal of the datatype is, as pySHACL asks of it.
_PYTHON = {XSD_STRING: (str, bytes), LANG_STRING: (str, bytes), XSD + "integer": int,
           XSD + "float": float, XSD + "decimal": Decimal, XSD + "boolean": bool,
           XSD + "date": dt.date, XSD + "time": dt.time, XSD + "dateTime": dt.datetime}


def to_ox(term):
    """The pyoxigraph term of an rdflib term (of the shapes graph)."""
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if term.language:
        return Literal(str(term), language=term.language)
    if term.datatype is None:
        return Literal(str(term))
    return Literal(str(term), datatype=NamedNode(str(term.datatype)))


def to_rdflib(term):
    """The rdflib term of a pyoxigraph term, as kg hands them to pySHACL (an xsd:string
    literal carries no datatype in rdflib, as its parser gives it)."""
    if type(term) is NamedNode:
        return rdflib.URIRef(term.value)
    if type(term) is BlankNode:
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return rdflib.Literal(term.value)
    return _typed(term.value, term.datatype.value)


@lru_cache(maxsize=65536)
def _typed(lexical: str, datatype: str) -> rdflib.Literal:
    # rdflib logs a traceback for each literal it cannot convert (2026-02-30 as a date); kg's
    # literal checks report those in words.
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))
    finally:
        logger.setLevel(level)


def key(term):
    """What sh:in and sh:hasValue compare: the term, or for a typed literal its datatype and
    the lexical form rdflib normalises it to."""
    if type(term) is Literal and not term.language and term.datatype.value != XSD_STRING:
        return ("literal", str(_typed(term.value, term.datatype.value)), term.datatype.value)
    return term


def text(term) -> str:
    """The string sh:pattern and sh:minLength read: an IRI, or a literal's (normalised) form."""
    if type(term) is Literal and not term.language and term.datatype.value != XSD_STRING:
        return str(_typed(term.value, term.datatype.value))
    return term.value


def result_text(term) -> str:
    """A focus node or value as kg's reports write it: an IRI bare, anything else in N3."""
    return term.value if type(term) is NamedNode else to_rdflib(term).n3()


def has_datatype(term, rule: NamedNode) -> bool:
    """Whether a value node passes sh:datatype: a literal of that datatype, well formed; kg's
    XSD 1.1 checks decide for the datatypes they know (an xsd:date of year 0000 is one)."""
    if type(term) is not Literal:
        return False
    wanted = rule.value
    if term.language:
        return wanted in (LANG_STRING, RDFS_LITERAL)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return wanted in (XSD_STRING, RDFS_LITERAL)
    if wanted in (RDFS_LITERAL, RDFS_DATATYPE):
        return True
    if datatype != wanted:
        return False
    if datatype in literals.LEXICAL and literals.problem(term) is None:
        return True
    value = _typed(term.value, datatype)
    if value.ill_typed is True:
        return False
    python = _PYTHON.get(datatype)
    return python is None or isinstance(value.value, python)


def compare(term, bound: rdflib.Literal) -> int | None:
    """-1, 0 or 1 as the value node is below, at or above the bound of a range constraint;
    None when they cannot be compared (a blank node, an IRI, a string against a number)."""
    if type(term) is not Literal:
        return None
    datatype = term.datatype.value
    if (datatype in _NUMERIC and isinstance(bound.value, (int, Decimal))
            and not isinstance(bound.value, bool) and literals.problem(term) is None):
        number, limit = Decimal(term.value), Decimal(bound.value)
        return (number > limit) - (number < limit)
    return _order(to_rdflib(term), bound)


def order_of(first, second) -> int | None:
    """How two value nodes compare (sh:lessThan), or None when they cannot be compared."""
    if type(first) is not Literal or type(second) is not Literal:
        return None
    return _order(to_rdflib(first), to_rdflib(second))


def _order(value: rdflib.Literal, bound: rdflib.Literal) -> int | None:
    if isinstance(value.value, str) != isinstance(bound.value, str):
        return None
    try:
        if value.eq(bound):
            return 0
        if isinstance(value.value, (dt.datetime, dt.time)):
            return 1 if value.value > bound.value else -1
        return 1 if value > bound else -1
    except (TypeError, NotImplementedError):
        return None
