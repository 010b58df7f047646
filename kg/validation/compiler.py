"""SHACL Core compiled from the shapes graph into Python checks, which kg runs on the triples
of each part (kg.validation.data): the results pySHACL gives, in a fraction of its time.

The shapes graph stays the only definition of the constraints: each shape becomes a list of
closures, one per constraint parameter it has. A SHACL feature that is not compiled (a
recursive shape, sh:qualifiedValueShapesDisjoint, the inverse of a complex path) raises
ShapesError naming it; `kg validate --engine pyshacl` runs such shapes.
"""

from __future__ import annotations

import rdflib
from rdflib.collection import Collection

from kg.validation.constraints import CHECKS
from kg.validation.data import EMPTY, Data
from kg.validation.report import VIOLATION, ShapesError
from kg.validation.terms import SH, to_ox

_SH = rdflib.Namespace(SH)
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
            return data.index.get(focus, EMPTY).get(self.predicate, EMPTY)
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
                foci.update(instances.get(cls, EMPTY))
            if subjects_of or objects_of:
                for s, by_predicate in data.index.items():
                    for p in subjects_of:
                        if p in by_predicate:
                            foci[s] = None
                    for p in objects_of:
                        foci.update(dict.fromkeys(by_predicate.get(p, EMPTY)))
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
            make = CHECKS.get(str(parameter)[len(SH):])
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
