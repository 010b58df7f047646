"""Read the SHACL shapes once, refuse those that would silently check nothing, and split the
SPARQL constraints (run on pyoxigraph) from the core ones (run by pySHACL)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import rdflib
from pyoxigraph import NamedNode

from kg.namespaces import KGSH, RDF, SH
from kg.resources import ontology_triples, shape_files
from kg.validation.report import ShapesError

# The terms of the SHACL vocabulary a shapes file may use; anything else in sh: is a typo
# that pyshacl would silently ignore.
SHACL_TERMS = frozenset("""
NodeShape PropertyShape Shape targetClass targetNode targetSubjectsOf targetObjectsOf path
inversePath alternativePath zeroOrMorePath oneOrMorePath zeroOrOnePath class datatype nodeKind
IRI BlankNode Literal BlankNodeOrIRI BlankNodeOrLiteral IRIOrLiteral minCount maxCount
minExclusive minInclusive maxExclusive maxInclusive minLength maxLength pattern flags
languageIn uniqueLang equals disjoint lessThan lessThanOrEquals not and or xone node property
qualifiedValueShape qualifiedMinCount qualifiedMaxCount qualifiedValueShapesDisjoint closed
ignoredProperties hasValue in name description order group defaultValue message severity
deactivated Violation Warning Info sparql select ask prefixes declare prefix namespace
SPARQLConstraint ValidationReport ValidationResult conforms result focusNode resultPath
value sourceShape sourceConstraint sourceConstraintComponent resultSeverity resultMessage
""".split())  # noqa: SIM905 (a list of words reads best as words)

_SH = rdflib.Namespace(SH)


@dataclass(frozen=True)
class SparqlConstraint:
    """One active sh:sparql constraint: its shape, its query (with the declared prefixes),
    its message, and the shape's targets."""

    shape: str
    select: str
    message: str
    classes: tuple[str, ...]
    nodes: tuple[str, ...]


@dataclass
class Shapes:
    core: rdflib.Graph  # the shapes without their SPARQL constraints, for pySHACL
    sparql: list[SparqlConstraint]
    parents: dict  # property shape node -> node shape IRI, to name shapes readably
    graph: rdflib.Graph  # every triple of the shapes files, as read
    # (node shape IRI, path IRI) of the property shapes marked kgsh:perArticle true: what each
    # article says in its own words (a description, a time), checked article by article only.
    per_article: frozenset = frozenset()
    program: Any = field(default=None, repr=False, compare=False)  # compiled by core


@lru_cache(maxsize=4)
def load_shapes(paths: tuple[Path, ...] | None = None) -> Shapes:
    """Read and lint the shapes (kg's own by default); split the SPARQL constraints from the
    core ones."""
    paths = paths or tuple(shape_files())
    graph = rdflib.Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many types for syntax errors
            raise ShapesError(f"cannot read the shapes: {exc}", path=path) from None
    _lint(graph, paths)
    constraints = []
    for shape, constraint in sorted(graph.subject_objects(_SH.sparql)):
        if (constraint, _SH.deactivated, rdflib.Literal(True)) in graph:
            continue
        select = str(graph.value(constraint, _SH.select))
        prolog = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _declared_prefixes(graph, constraint))
        constraints.append(SparqlConstraint(
            str(shape), prolog + select, str(graph.value(constraint, _SH.message) or ""),
            tuple(sorted(str(c) for c in graph.objects(shape, _SH.targetClass))),
            tuple(sorted(str(n) for n in graph.objects(shape, _SH.targetNode)))))
    core = rdflib.Graph()
    for triple in graph:
        if triple[1] != _SH.sparql:
            core.add(triple)
    parents = {prop: str(node) for node, prop in graph.subject_objects(_SH.property)}
    # A result names a named property shape itself, a blank one by its node shape.
    per_article = frozenset(
        (str(prop) if isinstance(prop, rdflib.URIRef) else parents.get(prop),
         str(graph.value(prop, _SH.path)))
        for prop in graph.subjects(rdflib.URIRef(KGSH + "perArticle"), rdflib.Literal(True)))
    return Shapes(core, constraints, parents, graph, per_article)


def shape_messages(shapes: Shapes | None = None) -> list[dict]:
    """Each node shape (by local name) with its target classes and the sorted messages of its
    constraints, for the documentation of the ontology.

    >>> any(s["name"] == "AgreementShape" for s in shape_messages())
    True
    """
    graph = (shapes or load_shapes()).graph
    out = []
    for shape in sorted(graph.subjects(rdflib.RDF.type, _SH.NodeShape)):
        messages = {str(m) for m in graph.objects(shape, _SH.message)}
        for part in (*graph.objects(shape, _SH.property), *graph.objects(shape, _SH.sparql)):
            messages.update(str(m) for m in graph.objects(part, _SH.message))
        targets = ", ".join(sorted(graph.namespace_manager.normalizeUri(t)
                                   for t in graph.objects(shape, _SH.targetClass)))
        out.append({"name": str(shape).rsplit("#", 1)[-1], "targets": targets,
                    "messages": sorted(messages)})
    return out


def _declared_prefixes(graph: rdflib.Graph, constraint) -> list[tuple[str, str]]:
    pairs = []
    for source in graph.objects(constraint, _SH.prefixes):
        for decl in graph.objects(source, _SH.declare):
            pairs.append((str(graph.value(decl, _SH.prefix)),
                          str(graph.value(decl, _SH.namespace))))
    return sorted(pairs)


def _lint(graph: rdflib.Graph, paths: tuple[Path, ...]) -> None:
    """Typos in SHACL terms and target classes make pyshacl pass everything: refuse them."""
    texts = {path: Path(path).read_text(encoding="utf-8") for path in paths}

    def locate(word: str) -> tuple[Path, int | None]:
        for path, text in texts.items():
            at = text.find(word)
            if at >= 0:
                return path, text.count("\n", 0, at) + 1
        return paths[0], None

    for term in sorted({t for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}):
        if term.startswith(SH) and term[len(SH):] not in SHACL_TERMS:
            local = term[len(SH):]
            hint = difflib.get_close_matches(local, SHACL_TERMS, n=1)
            path, line = locate(f"sh:{local}")
            more = f" (did you mean sh:{hint[0]}?)" if hint else ""
            raise ShapesError(f"sh:{local} is not a SHACL term{more}", path=path, line=line)
    referenced = set(graph.objects(None, _SH.node)) | set(graph.objects(None, _SH.property))
    targets = (_SH.targetClass, _SH.targetNode, _SH.targetSubjectsOf, _SH.targetObjectsOf)
    for shape in sorted(graph.subjects(rdflib.RDF.type, _SH.NodeShape)):
        if shape not in referenced and not any((shape, t, None) in graph for t in targets):
            local = graph.namespace_manager.normalizeUri(shape)
            path, line = locate(local)
            raise ShapesError(f"the shape {local} has no target (sh:targetClass, sh:targetNode, "
                              "...) and no shape uses it, so it would check nothing",
                              path=path, line=line)
    declared = _ontology_terms()
    for cls in sorted(set(graph.objects(None, _SH.targetClass))):
        if str(cls) not in declared:
            path, line = locate(graph.namespace_manager.normalizeUri(cls))
            raise ShapesError(f"the target class {cls} is not declared in the ontology, so the "
                              "shape would check nothing", path=path, line=line)


@lru_cache(maxsize=1)
def _ontology_terms() -> frozenset[str]:
    """Every IRI the ontology gives a type (its classes, properties, individuals)."""
    return frozenset(t.subject.value for t in ontology_triples()
                     if t.predicate.value == RDF + "type" and isinstance(t.subject, NamedNode))
