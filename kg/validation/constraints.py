"""The SHACL Core constraint components, each made into a check from its parameter in the
shapes graph: `CHECKS[name](compiler, shape node, value, shape)` gives a function
(data, focus, value nodes) -> the results, or None when they pass."""

from __future__ import annotations

import re

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib.collection import Collection

from kg.validation.report import ShapesError
from kg.validation.terms import SH, compare, has_datatype, key, order_of, text, to_ox

_SH = rdflib.Namespace(SH)


def _each(component: str, ok, shape):
    """A check that every value node passes `ok(data, value)`; one result per one that fails."""
    component = SH + component

    def check(data, focus, values):
        bad = [v for v in values if not ok(data, v)]
        return [(focus, shape, component, v, shape.path_iri) for v in bad] if bad else None
    check.test = ok
    return check


def _whole(component: str, fails, shape):
    """A check of the value nodes together (`fails(data, values)`); one result, no value."""
    component = SH + component

    def check(data, focus, values):
        return [(focus, shape, component, None, shape.path_iri)] if fails(data, values) else None
    return check


def _class(c, node, value, shape):
    cls = to_ox(value)
    return _each("ClassConstraintComponent",
                 lambda d, v: type(v) is not Literal and cls in d.classes(v), shape)


def _datatype(c, node, value, shape):
    rule = to_ox(value)
    return _each("DatatypeConstraintComponent", lambda d, v: has_datatype(v, rule), shape)


_KINDS = {"IRI": (NamedNode,), "BlankNode": (BlankNode,), "Literal": (Literal,),
          "BlankNodeOrIRI": (BlankNode, NamedNode), "BlankNodeOrLiteral": (BlankNode, Literal),
          "IRIOrLiteral": (NamedNode, Literal)}


def _node_kind(c, node, value, shape):
    kinds = _KINDS[str(value)[len(SH):]]
    return _each("NodeKindConstraintComponent", lambda d, v: type(v) in kinds, shape)


def _min_count(c, node, value, shape):
    least = int(value)
    return _whole("MinCountConstraintComponent", lambda d, vs: len(vs) < least, shape)


def _max_count(c, node, value, shape):
    most = int(value)
    return _whole("MaxCountConstraintComponent", lambda d, vs: len(vs) > most, shape)


def _range(name: str, passes):
    def make(c, node, value, shape):
        def ok(d, v):
            order = compare(v, value)
            return order is not None and passes(order)
        return _each(name, ok, shape)
    return make


def _length(name: str, passes):
    def make(c, node, value, shape):
        bound = int(value)
        return _each(name, lambda d, v: type(v) is not BlankNode
                     and passes(len(text(v)), bound), shape)
    return make


def _pattern(c, node, value, shape):
    flags = 0
    for letter in str(c.graph.value(node, _SH.flags) or ""):
        flags |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(letter, 0)
    pattern = re.compile(str(value), flags)
    return _each("PatternConstraintComponent", lambda d, v: type(v) is not BlankNode
                 and pattern.search(text(v)) is not None, shape)


def _language_in(c, node, value, shape):
    ranges = [str(r).lower() for r in Collection(c.graph, value)]

    def ok(d, v):
        tag = (v.language or "").lower() if type(v) is Literal else ""
        return bool(tag) and any(r == "*" or tag == r or tag.startswith(r + "-") for r in ranges)
    return _each("LanguageInConstraintComponent", ok, shape)


def _unique_lang(c, node, value, shape):
    component = SH + "UniqueLangConstraintComponent"
    if value != rdflib.Literal(True):
        return lambda data, focus, values: None

    def check(data, focus, values):
        tags: dict = {}
        for v in values:
            if type(v) is Literal and v.language:
                tags[v.language.lower()] = tags.get(v.language.lower(), 0) + 1
        return [(focus, shape, component, None, shape.path_iri)
                for _ in (t for t, n in tags.items() if n > 1)] or None
    return check


def _pair(name: str):
    """sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals: the values against those of
    another property of the focus node."""
    component = SH + name + "ConstraintComponent"

    def make(c, node, value, shape):
        other = to_ox(value)

        def check(data, focus, values):
            others = data.objects(focus, other)
            if name == "Equals":
                bad = [v for v in values if v not in others] + \
                      [o for o in others if o not in values]
            elif name == "Disjoint":
                bad = [v for v in values if v in others]
            else:
                # Each value is below (or, with OrEquals, at most) every other value.
                most = 0 if name == "LessThanOrEquals" else -1
                bad = [v for v in values if any(
                    (order := order_of(v, o)) is None or order > most for o in others)]
            return [(focus, shape, component, v, shape.path_iri) for v in bad] or None
        return check
    return make


def _not(c, node, value, shape):
    inner = c.shape(value)
    return _each("NotConstraintComponent", lambda d, v: not inner.conforms(d, v), shape)


def _and(c, node, value, shape):
    members = c.shapes(value)
    return _each("AndConstraintComponent",
                 lambda d, v: all(m.conforms(d, v) for m in members), shape)


def _or(c, node, value, shape):
    members = c.shapes(value)
    return _each("OrConstraintComponent",
                 lambda d, v: any(m.conforms(d, v) for m in members), shape)


def _xone(c, node, value, shape):
    members = c.shapes(value)
    return _each("XoneConstraintComponent",
                 lambda d, v: sum(m.conforms(d, v) for m in members) == 1, shape)


def _node(c, node, value, shape):
    inner = c.shape(value)
    return _each("NodeConstraintComponent", lambda d, v: inner.conforms(d, v), shape)


def _property(c, node, value, shape):
    inner = c.shape(value)

    def check(data, focus, values):
        if len(values) == 1:
            for v in values:
                return inner.violations(data, v) or None
        out = []
        for v in values:
            out += inner.violations(data, v)
        return out or None
    return check


def _qualified(c, node, value, shape):
    g = c.graph
    if g.value(node, _SH.qualifiedValueShapesDisjoint) == rdflib.Literal(True):
        raise ShapesError(f"sh:qualifiedValueShapesDisjoint of {c.readable(node)} is not "
                          "compiled by kg's SHACL engine (use --engine pyshacl)")
    inner = c.shape(value)
    least, most = g.value(node, _SH.qualifiedMinCount), g.value(node, _SH.qualifiedMaxCount)
    least = int(least) if least is not None else None
    most = int(most) if most is not None else None
    low, high = (SH + "QualifiedMinCountConstraintComponent",
                 SH + "QualifiedMaxCountConstraintComponent")

    def check(data, focus, values):
        count = sum(1 for v in values if inner.conforms(data, v))
        out = []
        if least is not None and count < least:
            out.append((focus, shape, low, None, shape.path_iri))
        if most is not None and count > most:
            out.append((focus, shape, high, None, shape.path_iri))
        return out or None
    return check


def _closed(c, node, value, shape):
    component = SH + "ClosedConstraintComponent"
    if value != rdflib.Literal(True):
        return lambda data, focus, values: None
    g = c.graph
    allowed = {to_ox(p) for prop in g.objects(node, _SH.property)
               for p in g.objects(prop, _SH.path) if isinstance(p, rdflib.URIRef)}
    for ignored in g.objects(node, _SH.ignoredProperties):
        allowed |= {to_ox(p) for p in Collection(g, ignored)}

    def check(data, focus, values):
        return [(v, shape, component, o, p.value) for v in values
                for p, objects in data.predicates(v).items() if p not in allowed
                for o in objects] or None
    return check


def _has_value(c, node, value, shape):
    wanted = key(to_ox(value))
    return _whole("HasValueConstraintComponent",
                  lambda d, vs: not any(key(v) == wanted for v in vs), shape)


def _in(c, node, value, shape):
    allowed = {key(to_ox(m)) for m in Collection(c.graph, value)}
    return _each("InConstraintComponent", lambda d, v: key(v) in allowed, shape)


CHECKS = {
    "class": _class, "datatype": _datatype, "nodeKind": _node_kind,
    "minCount": _min_count, "maxCount": _max_count,
    "minExclusive": _range("MinExclusiveConstraintComponent", lambda o: o > 0),
    "minInclusive": _range("MinInclusiveConstraintComponent", lambda o: o >= 0),
    "maxExclusive": _range("MaxExclusiveConstraintComponent", lambda o: o < 0),
    "maxInclusive": _range("MaxInclusiveConstraintComponent", lambda o: o <= 0),
    "minLength": _length("MinLengthConstraintComponent", lambda n, b: n >= b),
    "maxLength": _length("MaxLengthConstraintComponent", lambda n, b: n <= b),
    "pattern": _pattern, "languageIn": _language_in, "uniqueLang": _unique_lang,
    "equals": _pair("Equals"), "disjoint": _pair("Disjoint"), "lessThan": _pair("LessThan"),
    "lessThanOrEquals": _pair("LessThanOrEquals"),
    "not": _not, "and": _and, "or": _or, "xone": _xone, "node": _node, "property": _property,
    "qualifiedValueShape": _qualified, "closed": _closed, "hasValue": _has_value, "in": _in,
}
