"""Validate a graph: literal forms, then SHACL core with pyshacl, then the SHACL-SPARQL rules.

pyshacl runs each SPARQL constraint once per focus node through rdflib's engine, which took
seconds on one article; the same constraints run here once per shape on pyoxigraph, all focus
nodes at a time, and give the same results (the tests compare both on every fixture).
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store

from kg import literals
from kg.errors import InputError, KgError
from kg.namespaces import RDF, RDFS, XSD, shortener
from kg.resources import data_dir, ontology_files

SH = "http://www.w3.org/ns/shacl#"
KGSH = "https://kg.example.org/shapes#"
VIOLATION = SH + "Violation"
LEXICAL_SHAPE = KGSH + "LexicalForm"
SPARQL_COMPONENT = SH + "SPARQLConstraintComponent"
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
""".split())


@dataclass(frozen=True)
class Result:
    """One validation result, in the terms of a SHACL validation result."""

    focus: str
    shape: str
    component: str
    message: str
    path: str | None = None
    value: str | None = None
    severity: str = VIOLATION


@dataclass
class Report:
    """All results of validating one graph; it conforms when there are none."""

    results: list[Result] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.results

    def to_text(self, prefixes: dict[str, str] | None = None) -> str:
        short = _shortener(prefixes or {})
        if self.conforms:
            return "conforms: no SHACL results, no ill-formed literals"
        lines = [f"does not conform: {len(self.results)} violation"
                 f"{'s' if len(self.results) != 1 else ''}"]
        for r in self.results:
            where = short(r.shape) + ", " + short(r.component).replace("ConstraintComponent", "")
            if r.path:
                where += f", path {short(r.path)}"
            message = _IRI.sub(lambda m: short(m.group(0)), r.message)
            lines.append(f"- {short(r.focus)}: {message} [{where}]")
        return "\n".join(lines)

    def to_turtle(self, prefixes: dict[str, str] | None = None) -> bytes:
        """The standard SHACL validation report (sh:ValidationReport) as Turtle."""
        import rdflib

        g = rdflib.Graph(bind_namespaces="none")
        g.bind("sh", SH)
        for name, ns in (prefixes or {}).items():
            g.bind(name, ns)
        report = rdflib.BNode("report")
        g.add((report, rdflib.RDF.type, rdflib.URIRef(SH + "ValidationReport")))
        g.add((report, rdflib.URIRef(SH + "conforms"), rdflib.Literal(self.conforms)))
        for n, r in enumerate(self.results, 1):
            node = rdflib.BNode(f"result{n}")
            g.add((report, rdflib.URIRef(SH + "result"), node))
            g.add((node, rdflib.RDF.type, rdflib.URIRef(SH + "ValidationResult")))
            g.add((node, rdflib.URIRef(SH + "focusNode"), _rdflib_term(r.focus)))
            g.add((node, rdflib.URIRef(SH + "sourceShape"), rdflib.URIRef(r.shape)))
            g.add((node, rdflib.URIRef(SH + "sourceConstraintComponent"),
                   rdflib.URIRef(r.component)))
            g.add((node, rdflib.URIRef(SH + "resultSeverity"), rdflib.URIRef(r.severity)))
            g.add((node, rdflib.URIRef(SH + "resultMessage"), rdflib.Literal(r.message)))
            if r.path:
                g.add((node, rdflib.URIRef(SH + "resultPath"), rdflib.URIRef(r.path)))
            if r.value:
                g.add((node, rdflib.URIRef(SH + "value"), _rdflib_term(r.value)))
        return g.serialize(format="turtle").encode("utf-8")


class ValidationFailed(KgError):
    """The graph does not conform; exit code 1, as pySHACL's."""

    exit_code = 1

    def __init__(self, report: Report, what: str = "the graph"):
        super().__init__(f"{what} does not conform ({len(report.results)} violations)")
        self.report = report


class ShapesError(KgError):
    """The shapes themselves are wrong (a typo in a SHACL term, an unknown target class)."""


def _rdflib_graph(triples: list):
    """An rdflib graph of pyoxigraph triples, made term by term: 2-3x faster than rdflib
    parsing their N-Triples, and the same triples (xsd:string literals carry no datatype in
    rdflib, as its parser gives them)."""
    import rdflib

    terms: dict = {}

    def term(t):
        found = terms.get(t)
        if found is None:
            if type(t) is NamedNode:
                found = rdflib.URIRef(t.value)
            elif type(t) is BlankNode:
                found = rdflib.BNode(t.value)
            elif t.language:
                found = rdflib.Literal(t.value, lang=t.language)
            elif t.datatype.value == XSD + "string":
                found = rdflib.Literal(t.value)
            else:
                found = rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))
            terms[t] = found
        return found
    graph = rdflib.Graph()
    graph.addN((term(t.subject), term(t.predicate), term(t.object), graph) for t in triples)
    return graph


def _rdflib_term(value: str):
    import rdflib

    if value.startswith("<") or value.startswith('"'):
        return rdflib.util.from_n3(value)
    return rdflib.URIRef(value)


def _shortener(prefixes: dict[str, str]):
    short = shortener({**prefixes, "kgsh": KGSH, "sh": SH})
    return lambda iri: short(iri) or (iri if iri.startswith(('"', "<")) else f"<{iri}>")


# ------------------------------------------------------------------ shapes

@dataclass(frozen=True)
class SparqlConstraint:
    shape: str
    select: str
    message: str
    classes: tuple[str, ...]
    nodes: tuple[str, ...]


@dataclass
class Shapes:
    core: object  # rdflib.Graph: the shapes without their SPARQL constraints
    sparql: list[SparqlConstraint]
    parents: dict  # property shape node -> node shape IRI, to name shapes readably


def shape_files() -> list[Path]:
    return sorted(data_dir("shapes").glob("*.ttl"))


@lru_cache(maxsize=4)
def load_shapes(paths: tuple[Path, ...] | None = None) -> Shapes:
    """Read and lint the shapes; split the SPARQL constraints from the core ones."""
    import rdflib

    paths = paths or tuple(shape_files())
    graph = rdflib.Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many types for syntax errors
            raise ShapesError(f"cannot read the shapes: {exc}", path=path) from None
    _lint(graph, paths)
    sh = rdflib.Namespace(SH)
    constraints = []
    for shape, constraint in sorted(graph.subject_objects(sh.sparql)):
        if (constraint, sh.deactivated, rdflib.Literal(True)) in graph:
            continue
        select = str(graph.value(constraint, sh.select))
        prolog = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _declared_prefixes(graph, constraint))
        constraints.append(SparqlConstraint(
            str(shape), prolog + select, str(graph.value(constraint, sh.message) or ""),
            tuple(sorted(str(c) for c in graph.objects(shape, sh.targetClass))),
            tuple(sorted(str(n) for n in graph.objects(shape, sh.targetNode)))))
    core = rdflib.Graph()
    for triple in graph:
        if triple[1] != sh.sparql:
            core.add(triple)
    parents = {prop: str(node) for node, prop in graph.subject_objects(sh.property)}
    return Shapes(core, constraints, parents)


def _declared_prefixes(graph, constraint) -> list[tuple[str, str]]:
    import rdflib

    sh = rdflib.Namespace(SH)
    pairs = []
    for source in graph.objects(constraint, sh.prefixes):
        for decl in graph.objects(source, sh.declare):
            pairs.append((str(graph.value(decl, sh.prefix)), str(graph.value(decl, sh.namespace))))
    return sorted(pairs)


def _lint(graph, paths: tuple[Path, ...]) -> None:
    """Typos in SHACL terms and target classes make pyshacl pass everything: refuse them."""
    import rdflib

    texts = {path: path.read_text(encoding="utf-8") for path in paths}

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
    sh = rdflib.Namespace(SH)
    referenced = set(graph.objects(None, sh.node)) | set(graph.objects(None, sh.property))
    targets = (sh.targetClass, sh.targetNode, sh.targetSubjectsOf, sh.targetObjectsOf)
    for shape in sorted(graph.subjects(rdflib.RDF.type, sh.NodeShape)):
        if shape not in referenced and not any((shape, t, None) in graph for t in targets):
            local = graph.namespace_manager.normalizeUri(shape)
            path, line = locate(local)
            raise ShapesError(f"the shape {local} has no target (sh:targetClass, sh:targetNode, "
                              "...) and no shape uses it, so it would check nothing",
                              path=path, line=line)
    declared = _ontology_terms()
    for cls in sorted(set(graph.objects(None, rdflib.URIRef(SH + "targetClass")))):
        if str(cls) not in declared:
            path, line = locate(graph.namespace_manager.normalizeUri(cls))
            raise ShapesError(f"the target class {cls} is not declared in the ontology, so the "
                              "shape would check nothing", path=path, line=line)


@lru_cache(maxsize=1)
def _ontology_terms() -> frozenset[str]:
    return frozenset(q.subject.value for q in _ontology_store().quads_for_pattern(
        None, NamedNode(RDF + "type"), None) if isinstance(q.subject, NamedNode))


@lru_cache(maxsize=1)
def _class_hierarchy() -> tuple:
    """The ontology's rdfs:subClassOf triples between named classes: all that SHACL core needs
    of it (sh:class and sh:targetClass count instances of subclasses)."""
    return tuple(q.triple for q in _ontology_store().quads_for_pattern(
        None, NamedNode(RDFS + "subClassOf"), None)
        if isinstance(q.subject, NamedNode) and isinstance(q.object, NamedNode))


@lru_cache(maxsize=1)
def _ontology_store() -> Store:
    store = Store()
    for path in ontology_files():
        store.load(path=str(path), format=RdfFormat.TURTLE)
    return store


# ------------------------------------------------------------------ validation

def validate(quads: list[Quad], shapes: Shapes | None = None, workers: int | None = None) -> Report:
    """Literal checks, SHACL core article by article, and SHACL-SPARQL over all graphs."""
    shapes = shapes or load_shapes()
    results = [Result(p.subject, LEXICAL_SHAPE, SH + "DatatypeConstraintComponent", p.message,
                      p.predicate, p.literal) for p in literals.check(quads)]
    results += _core_by_article(quads, shapes, workers)
    results += _sparql(quads, shapes)
    return Report(sorted(set(results), key=lambda r: (r.focus, r.shape, r.component,
                                                     r.path or "", r.value or "", r.message)))


_ARTICLE_GRAPH = re.compile(r"(.+/graph/[^/]+)/(facts|provenance)")
_SHARED: dict = {}  # the articles' triples and the shapes, shared with forked workers


def articles(quads: list[Quad]) -> list[list]:
    """The triples of each article (its facts and provenance graphs together); triples in any
    other graph go with every article, or form one part when there is no article graph."""
    parts: dict[str, list] = {}
    shared = []
    for q in quads:
        match = _ARTICLE_GRAPH.fullmatch(getattr(q.graph_name, "value", ""))
        if match:
            parts.setdefault(match.group(1), []).append(q.triple)
        else:
            shared.append(q.triple)
    if not parts:
        return [shared]
    return [part + shared for _, part in sorted(parts.items())]


def _core_by_article(quads: list[Quad], shapes: Shapes, workers: int | None) -> list[Result]:
    # Each article's facts and provenance are complete on their own (a fact sheet describes
    # every entity it links), so SHACL core runs article by article: time grows linearly with
    # the number of articles, and the articles are spread over the cores.
    parts = articles(quads)
    shared = _shared_descriptions(parts) if len(parts) > 1 else []
    workers = min(workers or os.cpu_count() or 1, len(parts))
    if workers <= 1:
        return [r for part in parts for r in _core(part, shapes)] + _core_shared(shared, shapes)
    import multiprocessing

    _SHARED.update(parts=parts, shapes=shapes)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            found = pool.map(_core_part, range(len(parts)),
                             chunksize=max(1, len(parts) // (workers * 8)))
    finally:
        _SHARED.clear()
    return [r for rs in found for r in rs] + _core_shared(shared, shapes)


def _shared_descriptions(parts: list[list]) -> list:
    """The merged triples of every subject that more than one article describes, with the
    types of what they point to: where articles can disagree (two names, two owners)."""
    from collections import Counter

    counts = Counter(s for part in parts for s in {t.subject for t in part})
    shared = {s for s, n in counts.items() if n > 1}
    if not shared:
        return []
    merged = {t for part in parts for t in part if t.subject in shared}
    objects = {t.object for t in merged if isinstance(t.object, NamedNode)}
    merged |= {t for part in parts for t in part
               if t.subject in objects and t.predicate.value == RDF + "type"}
    return list(merged)


def _core_shared(triples: list, shapes: Shapes) -> list[Result]:
    # Only results about the shared subjects count here: the objects' other properties are
    # not in this subgraph, and each article was checked whole already.
    if not triples:
        return []
    subjects = {t.subject.value for t in triples if t.predicate.value != RDF + "type"}
    return [r for r in _core(triples, shapes) if r.focus in subjects]


def _core_part(index: int) -> list[Result]:
    return _core(_SHARED["parts"][index], _SHARED["shapes"])


def _core(triples, shapes: Shapes) -> list[Result]:
    import pyshacl
    import rdflib

    # rdflib logs a traceback for literals it cannot convert (2026-02-30 as a date); the
    # literal checks above report those in words.
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        # The class hierarchy goes into the data graph itself, which is ours to change
        # (inplace): pySHACL would otherwise copy the data to mix the ontology in.
        data = _rdflib_graph([*triples, *_class_hierarchy()])
        _, report, _ = pyshacl.validate(data, shacl_graph=shapes.core, inference="none",
                                        abort_on_first=False, allow_warnings=True, inplace=True)
    finally:
        logger.setLevel(level)
    sh = rdflib.Namespace(SH)
    out = []
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        source = report.value(node, sh.sourceShape)
        shape = str(source) if isinstance(source, rdflib.URIRef) else shapes.parents.get(source, "")
        path, value = report.value(node, sh.resultPath), report.value(node, sh.value)
        out.append(Result(
            _term_text(report.value(node, sh.focusNode)), shape,
            str(report.value(node, sh.sourceConstraintComponent)),
            str(report.value(node, sh.resultMessage) or ""),
            str(path) if isinstance(path, rdflib.URIRef) else None,
            _term_text(value) if value is not None else None,
            str(report.value(node, sh.resultSeverity))))
    return out


def _term_text(term) -> str:
    import rdflib

    return str(term) if isinstance(term, rdflib.URIRef) else term.n3()


_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+[^\s<>\"{}|\\^`.,;:)]")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _batch(constraint: SparqlConstraint) -> str:
    """The constraint's query for all focus nodes at once: $this bound by the shape's targets."""
    query = constraint.select.replace("$this", "?this")
    match = _WHERE.search(query)
    if not match:
        raise ShapesError(f"a SPARQL constraint of {constraint.shape} has no WHERE clause")
    targets = []
    if constraint.classes:
        values = " ".join(f"<{c}>" for c in constraint.classes)
        targets.append(f"{{ ?this <{RDF}type>/<{RDFS}subClassOf>* ?kgTargetClass . "
                       f"VALUES ?kgTargetClass {{ {values} }} }}")
    if constraint.nodes:
        targets.append("{ VALUES ?this { %s } }" % " ".join(f"<{n}>" for n in constraint.nodes))
    target = " UNION ".join(targets) or "FILTER(false)"
    return f"{query[:match.end()]} {target} {query[match.end():]}"


def _sparql(quads: list[Quad], shapes: Shapes) -> list[Result]:
    from kg.query import dataset_store

    store = dataset_store(quads, named_graphs=False)
    store.extend(Quad(q.subject, q.predicate, q.object) for q in _ontology_store())
    out = []
    for constraint in shapes.sparql:
        solutions = store.query(_batch(constraint))
        names = [v.value for v in solutions.variables]
        for row in solutions:
            def fill(m, row=row):
                term = row[m.group(1)] if m.group(1) in names else None
                return term.value if term is not None else ""

            value = row["value"] if "value" in names else None
            path = row["path"] if "path" in names else None
            out.append(Result(
                _node_text(row["this"]), constraint.shape, SPARQL_COMPONENT,
                _PLACEHOLDER.sub(fill, constraint.message),
                path.value if isinstance(path, NamedNode) else None,
                _node_text(value) if value is not None else None))
    return out


def _node_text(term) -> str:
    return term.value if isinstance(term, NamedNode) else str(term)


# ------------------------------------------------------------------ files

def read_graph_files(paths: Iterable[Path]) -> list[Quad]:
    """Parse graph files (by extension) with pyoxigraph, keeping literals as written."""
    from kg.formats import from_path

    quads: list[Quad] = []
    for path in paths:
        try:
            fmt = from_path(path)
        except ValueError as exc:
            raise InputError(str(exc), path=path) from None
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=path) from None
        if fmt.name == "rdfxml" and re.search(rb"<!(DOCTYPE|ENTITY)", data):
            raise InputError("RDF/XML with a DOCTYPE or entity declarations is refused "
                             "(entities can read local files or expand without bound)", path=path)
        try:
            from pyoxigraph import parse

            quads.extend(parse(data, format=fmt.oxigraph, base_iri=Path(path).resolve().as_uri()))
        except SyntaxError as exc:
            message = _syntax_message(exc)
            if "LoadDocumentCallback" in message:
                message = ("its @context names a remote or file document; kg never fetches "
                           "contexts: put the context inline")
            raise InputError(f"not valid {fmt.name}: {message}", path=path,
                             line=_syntax_line(exc)) from None
        except (ValueError, OSError) as exc:
            raise InputError(f"not valid {fmt.name}: {exc}", path=path) from None
    return quads


def _syntax_line(exc: SyntaxError) -> int | None:
    if exc.lineno:
        return exc.lineno
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def _syntax_message(exc: SyntaxError) -> str:
    return str(exc.msg if getattr(exc, "msg", None) else exc)
