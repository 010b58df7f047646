"""SHACL Core compiled from the shapes graph into Python checks, which kg runs on the triples
of each part (kg.validation.data): the results pySHACL gives, in a fraction of its time.

The shapes graph stays the only definition of the constraints: each shape becomes a list of
closures, one per constraint parameter it has. A SHACL feature that is not compiled (a
recursive shape, sh:qualifiedValueShapesDisjoint, the inverse of a complex path) raises
ShapesError naming it; `kg validate --engine pyshacl` runs such shapes.
"""

from __future__ import annotations

import re

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib.collection import Collection

from kg.validation.data import Data
from kg.validation.report import VIOLATION, ShapesError
from kg.validation.terms import SH, compare, has_datatype, key, order_of, text, to_ox

_SH = rdflib.Namespace(SH)
_NO_VALUE = ()
_EMPTY: dict = {}
# Parameters that describe a shape or are read with another one: no check of their own.
_READ_ELSEWHERE = {_SH[n] for n in (
    "path", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "message",
    "severity", "deactivated", "name", "description", "order", "group", "defaultValue", "flags",
    "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
    "ignoredProperties", "sparql")} | {rdflib.RDF.type, rdflib.RDFS.label, rdflib.RDFS.comment}


class Shape:
    """One compiled shape: what to report it as, how to reach its value nodes, its checks."""

    __slots__ = ("name", "path", "path_iri", "predicate", "checks", "tests", "message",
                 "severity", "deactivated")

    def __init__(self, name: str, message: str | None, severity: str, deactivated: bool):
        self.name, self.message, self.severity = name, message, severity
        self.deactivated = deactivated
        self.path = None
        self.path_iri: str | None = None
        self.predicate = None  # the path, when it is one predicate: looked up inline
        self.checks: list = []
        # A node shape whose every check tests each value alone (sh:class, sh:in ...): those
        # tests, so that sh:or ( [ sh:class A ] [ sh:class B ] ) costs a call per member.
        self.tests: list | None = None

    def values(self, data: Data, focus):
        if self.predicate is not None:
            return data.index.get(focus, _EMPTY).get(self.predicate, _EMPTY)
        return self.path(data, focus) if self.path else (focus,)

    def violations(self, data: Data, focus) -> list:
        """(focus, shape, component, value, path) of each result for the focus node."""
        if self.deactivated:
            return []
        values = self.values(data, focus)
        out: list = []
        for check in self.checks:
            found = check(data, focus, values)
            if found:
                out += found
        return out

    def conforms(self, data: Data, node) -> bool:
        if self.deactivated:
            return True
        # Loops, not all(): no generator made on each of the millions of calls.
        if self.tests is not None:
            for test in self.tests:  # noqa: SIM110
                if not test(data, node):
                    return False
            return True
        values = self.values(data, node)
        for check in self.checks:  # noqa: SIM110
            if check(data, node, values):
                return False
        return True


class Program:
    """The compiled shapes with their targets; `results(triples)` validates one part."""

    def __init__(self, targeted: list) -> None:
        self.targeted = targeted  # [(Shape, classes, nodes, subjects_of, objects_of)]

    def results(self, triples) -> list[tuple]:
        """(focus, Shape, component, value, path) of every result in the triples."""
        data = Data(triples)
        instances = data.instances() if any(t[1] for t in self.targeted) else {}
        out: list = []
        for shape, classes, nodes, subjects_of, objects_of in self.targeted:
            foci: dict = dict.fromkeys(nodes)
            for cls in classes:
                foci.update(instances.get(cls, _EMPTY))
            if subjects_of or objects_of:
                for s, by_predicate in data.index.items():
                    for p in subjects_of:
                        if p in by_predicate:
                            foci[s] = None
                    for p in objects_of:
                        foci.update(dict.fromkeys(by_predicate.get(p, _NO_VALUE)))
            for focus in foci:
                found = shape.violations(data, focus)
                if found:
                    out += found
        return out


def compile_shapes(graph: rdflib.Graph, parents: dict) -> Program:
    """The program of every shape of the graph that has a target (SHACL core only)."""
    return _Compiler(graph, parents).program()


class _Compiler:
    def __init__(self, graph: rdflib.Graph, parents: dict) -> None:
        self.graph, self.parents = graph, parents
        self.done: dict = {}
        self.busy: set = set()

    def program(self) -> Program:
        g = self.graph
        targets = (_SH.targetClass, _SH.targetNode, _SH.targetSubjectsOf, _SH.targetObjectsOf)
        roots = {s for t in targets for s in g.subjects(t, None)}
        roots |= {s for s in g.subjects(rdflib.RDF.type, rdflib.RDFS.Class)
                  if (s, rdflib.RDF.type, _SH.NodeShape) in g}
        targeted = []
        for node in sorted(roots, key=str):
            classes = [to_ox(c) for c in g.objects(node, _SH.targetClass)]
            if (node, rdflib.RDF.type, rdflib.RDFS.Class) in g:
                classes.append(to_ox(node))
            targeted.append((self.shape(node), tuple(classes),
                             tuple(to_ox(n) for n in g.objects(node, _SH.targetNode)),
                             tuple(to_ox(p) for p in g.objects(node, _SH.targetSubjectsOf)),
                             tuple(to_ox(p) for p in g.objects(node, _SH.targetObjectsOf))))
        return Program(targeted)

    def shape(self, node) -> Shape:
        if node in self.done:
            return self.done[node]
        if node in self.busy:
            raise ShapesError(f"the shape {self.readable(node)} refers to itself: recursive "
                              "shapes are not compiled (use --engine pyshacl)")
        self.busy.add(node)
        g = self.graph
        messages = sorted(str(m) for m in g.objects(node, _SH.message))
        name = str(node) if isinstance(node, rdflib.URIRef) else self.parents.get(node, "")
        shape = Shape(name, messages[0] if messages else None,
                      str(g.value(node, _SH.severity) or VIOLATION),
                      g.value(node, _SH.deactivated) == rdflib.Literal(True))
        path = g.value(node, _SH.path)
        if path is not None:
            shape.path = self.path(path)
            if isinstance(path, rdflib.URIRef):
                shape.path_iri, shape.predicate = str(path), to_ox(path)
        for parameter, value in sorted(g.predicate_objects(node)):
            if parameter in _READ_ELSEWHERE or not str(parameter).startswith(SH):
                continue
            make = _CHECKS.get(str(parameter)[len(SH):])
            if make is None:
                raise ShapesError(f"sh:{str(parameter)[len(SH):]} of the shape "
                                  f"{self.readable(node)} is not a constraint kg's SHACL engine "
                                  "compiles (use --engine pyshacl)")
            shape.checks.append(make(self, node, value, shape))
        if path is None and all(hasattr(check, "test") for check in shape.checks):
            shape.tests = [check.test for check in shape.checks]
        self.busy.discard(node)
        self.done[node] = shape
        return shape

    def shapes(self, node) -> list[Shape]:
        return [self.shape(member) for member in Collection(self.graph, node)]

    def readable(self, node) -> str:
        return self.graph.namespace_manager.normalizeUri(node) \
            if isinstance(node, rdflib.URIRef) else f"[{self.parents.get(node, 'blank node')}]"

    def path(self, node):
        """A function (data, node) -> the value nodes along the SHACL path."""
        g = self.graph
        if isinstance(node, rdflib.URIRef):
            predicate = to_ox(node)
            return lambda data, focus: data.objects(focus, predicate)
        if (node, rdflib.RDF.first, None) in g:
            steps = [self.path(step) for step in Collection(g, node)]
            return lambda data, focus: _sequence(data, focus, steps)
        inverse = g.value(node, _SH.inversePath)
        if isinstance(inverse, rdflib.URIRef):
            predicate = to_ox(inverse)
            return lambda data, focus: data.subjects(predicate, focus)
        alternatives = g.value(node, _SH.alternativePath)
        if alternatives is not None:
            steps = [self.path(step) for step in Collection(g, alternatives)]
            return lambda data, focus: list(dict.fromkeys(
                v for step in steps for v in step(data, focus)))
        for repeat, least, most in ((_SH.zeroOrMorePath, 0, None), (_SH.oneOrMorePath, 1, None),
                                 (_SH.zeroOrOnePath, 0, 1)):
            inner = g.value(node, repeat)
            if inner is not None:
                step = self.path(inner)
                return lambda data, focus, s=step, a=least, b=most: _repeat(data, focus, s, a, b)
        raise ShapesError(f"a path of the shapes is not one kg's SHACL engine compiles "
                          f"({node}; use --engine pyshacl)")


def _sequence(data, focus, steps) -> list:
    nodes = [focus]
    for step in steps:
        nodes = list(dict.fromkeys(v for n in nodes for v in step(data, n)))
    return nodes


def _repeat(data, focus, step, least: int, most: int | None) -> list:
    seen = {focus: None} if least == 0 else {}
    frontier, depth = [focus], 0
    while frontier and (most is None or depth < most):
        depth += 1
        frontier = [v for n in frontier for v in step(data, n) if v not in seen]
        seen.update(dict.fromkeys(frontier))
    return list(seen)


# ------------------------------------------------------------------ the constraints

def _each(component: str, ok, shape: Shape):
    """A check that every value node passes `ok(data, value)`; one result per one that fails."""
    component = SH + component

    def check(data, focus, values):
        bad = [v for v in values if not ok(data, v)]
        return [(focus, shape, component, v, shape.path_iri) for v in bad] if bad else None
    check.test = ok
    return check


def _whole(component: str, fails, shape: Shape):
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


_CHECKS = {
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
