"""The data graph as kg's SHACL engine reads it: the triples of one part, by subject and
predicate, with the classes of each node through rdfs:subClassOf."""

from __future__ import annotations

from pyoxigraph import NamedNode

from kg.namespaces import RDF, RDFS

TYPE = NamedNode(RDF + "type")
SUBCLASS = NamedNode(RDFS + "subClassOf")
EMPTY: dict = {}  # what a missing subject or predicate has: nothing


def statements(quads) -> list[tuple]:
    """(subject, predicate, object, graph name) of each quad: pyoxigraph makes a new Python
    object each time a term is read, so validation reads them once, here."""
    return [(q.subject, q.predicate, q.object, q.graph_name) for q in quads]


class Data:
    """Triples, as (subject, predicate, object), indexed by subject, then predicate, then
    object (dicts keep the first order seen and hold each triple once, as a graph does); by
    object on first use.

    >>> a, b, c = (NamedNode(f"https://x.example/{n}") for n in "abc")
    >>> data = Data([(a, TYPE, b), (b, SUBCLASS, c), (a, TYPE, b)])
    >>> list(data.objects(a, TYPE)) == [b], sorted(n.value[-1] for n in data.classes(a))
    (True, ['b', 'c'])
    """

    def __init__(self, triples) -> None:
        index: dict = {}
        for s, p, o in triples:
            by_predicate = index.get(s)
            if by_predicate is None:
                index[s] = {p: {o: None}}
            else:
                objects = by_predicate.get(p)
                if objects is None:
                    by_predicate[p] = {o: None}
                else:
                    objects[o] = None
        self.index = index
        self._inverse: dict | None = None
        self._supers: dict = {}
        self._classes: dict = {}

    def objects(self, subject, predicate):
        """The objects of the subject's statements with this predicate."""
        return self.index.get(subject, EMPTY).get(predicate, EMPTY).keys()

    def predicates(self, subject) -> dict:
        """The subject's statements: predicate -> objects."""
        return self.index.get(subject, EMPTY)

    def subjects(self, predicate, obj):
        """The subjects of statements with this predicate and object."""
        if self._inverse is None:
            inverse: dict = {}
            for s, by_predicate in self.index.items():
                for p, objects in by_predicate.items():
                    for o in objects:
                        inverse.setdefault(o, {}).setdefault(p, {})[s] = None
            self._inverse = inverse
        return self._inverse.get(obj, EMPTY).get(predicate, EMPTY).keys()

    def superclasses(self, cls) -> frozenset:
        """The class and every class it is a subclass of, through rdfs:subClassOf*."""
        found = self._supers.get(cls)
        if found is None:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), SUBCLASS):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._supers[cls] = frozenset(seen)
        return found

    def classes(self, node) -> frozenset:
        """Every class the node is an instance of: its types and their superclasses."""
        found = self._classes.get(node)
        if found is None:
            types = self.objects(node, TYPE)
            if not types:
                found = frozenset()
            elif len(types) == 1:
                found = self.superclasses(next(iter(types)))
            else:
                found = frozenset().union(*(self.superclasses(t) for t in types))
            self._classes[node] = found
        return found

    def instances(self) -> dict:
        """class -> the nodes that are instances of it (with subclasses), in first-seen order."""
        out: dict = {}
        for subject, by_predicate in self.index.items():
            if TYPE in by_predicate:
                for cls in self.classes(subject):
                    out.setdefault(cls, {})[subject] = None
        return out
