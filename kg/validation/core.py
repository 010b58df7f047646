"""SHACL core, article by article over a pool of forked workers: with kg's compiled engine
(kg.validation.compiler), or with pySHACL, which the tests hold it to.

Each article's facts and provenance are complete on their own, with the types of the entities
it refers to that other articles declare, so SHACL core runs article by article: time
grows linearly with the number of articles, and the articles are spread over the cores. What
several articles say about one subject is checked once more, merged; there, two values of a
single-valued property are no violation but a conflict between articles, which `kg check`
lists with both files and lines (kg.conflicts).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import Counter
from functools import lru_cache

import pyshacl
import rdflib
from pyoxigraph import Literal, NamedNode, Quad

from kg import literals
from kg.iris import parse_article_graph
from kg.namespaces import RDF, RDFS, SH
from kg.resources import ontology_triples
from kg.validation.compiler import Program, compile_shapes
from kg.validation.data import statements
from kg.validation.report import Result
from kg.validation.shapes import Shapes
from kg.validation.terms import result_text, to_rdflib

_SH = rdflib.Namespace(SH)
_TYPE = NamedNode(RDF + "type")
MAX_COUNT = SH + "MaxCountConstraintComponent"
_SHARED: dict = {}  # the articles' triples and the shapes, shared with forked workers


def articles(statements: list[tuple]) -> list[list]:
    """The (subject, predicate, object) of each article (its facts and provenance graphs
    together), of (subject, predicate, object, graph name) statements (data.statements); those
    in any other graph go with every article, or form one part when there is no article
    graph."""
    parts: dict = {}
    graph_part: dict = {}  # graph name -> its article's list, or None: one parse per graph
    shared = []
    for s, p, o, graph in statements:
        part = graph_part.get(graph, False)
        if part is False:
            found = parse_article_graph(getattr(graph, "value", ""))
            part = graph_part[graph] = parts.setdefault(
                f"{found[0]}graph/{found[1]}", []) if found else None
        (shared if part is None else part).append((s, p, o))
    if not parts:
        return [shared]
    return [part + shared for _, part in sorted(parts.items())]


ENGINES = ("kg", "pyshacl")


def check(quads: list[Quad], shapes: Shapes, workers: int | None = None,
          engine: str = "kg") -> list[Result]:
    """The SHACL core results of the quads: each article alone, then the subjects that more
    than one article describes; over `workers` forked processes (default: one per core),
    with kg's compiled engine or pySHACL."""
    return start(statements(quads), shapes, workers, engine).results()


class Pending:
    """SHACL core under way in forked workers; `results()` waits for them. Meanwhile this
    process is free for other work (the SHACL-SPARQL rules)."""

    def __init__(self, pool=None, mapped=None, done: list | None = None) -> None:
        self.pool, self.mapped, self.done = pool, mapped, done

    def results(self) -> list[Result]:
        if self.done is None:
            try:
                self.done = [r for rs in self.mapped.get() for r in rs]
            finally:  # the workers are idle once their results are in
                self.pool.terminate()
                self.pool.join()
                _SHARED.clear()
        return self.done


def start(terms: list[tuple], shapes: Shapes, workers: int | None = None,
          engine: str = "kg") -> Pending:
    """check() of the quads' statements (data.statements), started: with more than one
    worker, the articles are checked in forked processes while the caller goes on."""
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}: one of {', '.join(ENGINES)}")
    run = _native if engine == "kg" else _core
    if engine == "kg":
        program(shapes)  # compiled once, before the workers fork
    parts = articles(terms)
    shared = _shared_descriptions(parts) if len(parts) > 1 else []
    parts, elsewhere = with_references(parts)
    workers = min(workers or os.cpu_count() or 1, len(parts))
    if workers <= 1:
        return Pending(done=[r for i, part in enumerate(parts) for r in run(part, shapes)
                             if r.focus not in elsewhere[i]] + _core_shared(shared, shapes, run))
    _SHARED.update(parts=parts, shapes=shapes, elsewhere=elsewhere, run=run, shared=shared)
    pool = multiprocessing.get_context("fork").Pool(workers, _quiet_worker)
    # The merged descriptions go first, as one more task: the longest, so none waits for it.
    tasks = [-1, *range(len(parts))] if shared else list(range(len(parts)))
    return Pending(pool, pool.map_async(_core_part, tasks,
                                        chunksize=max(1, len(parts) // (workers * 8))))


def with_references(parts: list[list]) -> tuple[list[list], list[frozenset]]:
    """Each article with the types of what it refers to but another article declares (ids are
    corpus-wide), so that its links to them hold; and, for each article, those referenced
    nodes, whose own results are left to the merged check (they are described elsewhere)."""
    type_of: dict = {}
    for part in parts:
        for t in part:
            if t[1] == _TYPE:
                type_of.setdefault(t[0], []).append(t)
    out, elsewhere = [], []
    for part in parts:
        typed = {s for s, p, _ in part if p == _TYPE}
        nodes = {s for s, _, _ in part} | {o for _, p, o in part
                                           if type(o) is NamedNode and p != _TYPE}
        missing = frozenset(n for n in nodes - typed if n in type_of)
        out.append(part + [t for n in sorted(missing, key=lambda n: n.value)
                           for t in type_of[n]] if missing else part)
        elsewhere.append(frozenset(n.value for n in missing))
    return out, elsewhere


def _quiet_worker() -> None:
    """The pool ends its workers with SIGTERM: a worker dies at once, as by default, instead of
    raising the KeyboardInterrupt that `kg`'s own handler (inherited by the fork) makes of it,
    which printed a traceback on every other multi-article build."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _shared_descriptions(parts: list[list]) -> list:
    """The merged triples of every subject that more than one article describes, with the
    types of what they point to: where articles can disagree (two names, two owners)."""
    counts = Counter(s for part in parts for s in {t[0] for t in part})
    shared = {s for s, n in counts.items() if n > 1}
    if not shared:
        return []
    merged = {t for part in parts for t in part if t[0] in shared}
    objects = {o for _, _, o in merged if type(o) is NamedNode}
    merged |= {t for part in parts for t in part if t[1] == _TYPE and t[0] in objects}
    return list(merged)


def _core_shared(triples: list, shapes: Shapes, run) -> list[Result]:
    # Only results about the shared subjects count here: the objects' other properties are
    # not in this subgraph, and each article was checked whole already.
    if not triples:
        return []
    subjects = {s.value for s, p, _ in triples if p != _TYPE}
    return [r for r in run(triples, shapes) if r.focus in subjects
            and (r.shape, r.path) not in shapes.per_article and r.component != MAX_COUNT]


def _core_part(index: int) -> list[Result]:
    if index == -1:
        return _core_shared(_SHARED["shared"], _SHARED["shapes"], _SHARED["run"])
    elsewhere = _SHARED["elsewhere"][index]
    return [r for r in _SHARED["run"](_SHARED["parts"][index], _SHARED["shapes"])
            if r.focus not in elsewhere]


def program(shapes: Shapes) -> Program:
    """The shapes compiled for kg's engine, once per Shapes."""
    if shapes.program is None:
        shapes.program = compile_shapes(shapes.core, shapes.parents)
    return shapes.program


def _native(triples, shapes: Shapes) -> list[Result]:
    """kg's engine's results for the triples, with the ontology's class hierarchy."""
    return [Result(result_text(focus), shape.name, component,
                   shape.message or _default_message(component, path),
                   path, result_text(value) if value is not None else None,
                   shape.severity)
            for focus, shape, component, value, path
            in program(shapes).results([*triples, *_class_hierarchy()])]


def _default_message(component: str, path: str | None) -> str:
    what = component.removeprefix(SH).removesuffix("ConstraintComponent")
    return f"fails sh:{what[0].lower()}{what[1:]}" + (f" on <{path}>" if path else "")


def _core(triples, shapes: Shapes) -> list[Result]:
    """pySHACL's results for the triples, with the ontology's class hierarchy."""
    # rdflib logs a traceback for literals it cannot convert (2026-02-30 as a date); the
    # literal checks report those in words.
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
    out = []
    # The report's results, not the sh:detail results nested in them (sh:node has those).
    for node in report.objects(None, _SH.result):
        source = report.value(node, _SH.sourceShape)
        if _well_typed_in_xsd_1_1(report, node, source, shapes):
            continue
        shape = str(source) if isinstance(source, rdflib.URIRef) else shapes.parents.get(source, "")
        path, value = report.value(node, _SH.resultPath), report.value(node, _SH.value)
        out.append(Result(
            _term_text(report.value(node, _SH.focusNode)), shape,
            str(report.value(node, _SH.sourceConstraintComponent)),
            str(report.value(node, _SH.resultMessage) or ""),
            str(path) if isinstance(path, rdflib.URIRef) else None,
            _term_text(value) if value is not None else None,
            str(report.value(node, _SH.resultSeverity))))
    return out


def _well_typed_in_xsd_1_1(report: rdflib.Graph, node, source, shapes: Shapes) -> bool:
    """Whether a sh:datatype result is only rdflib's: a literal of the very datatype asked for,
    well formed by kg's XSD 1.1 checks, that rdflib cannot hold (an xsd:date of year 0000,
    1 BCE, or before it: Python's dates start at year 1). kg's checks decide those."""
    if report.value(node, _SH.sourceConstraintComponent) != _SH.DatatypeConstraintComponent:
        return False
    value = report.value(node, _SH.value)
    if not isinstance(value, rdflib.Literal) or value.datatype is None:
        return False
    datatype = str(value.datatype)
    if datatype not in literals.LEXICAL:
        return False
    if shapes.core.value(source, _SH.datatype) != value.datatype:
        return False
    return literals.problem(Literal(str(value), datatype=NamedNode(datatype))) is None


@lru_cache(maxsize=1)
def _class_hierarchy() -> tuple:
    """The ontology's rdfs:subClassOf triples between named classes: all that SHACL core needs
    of it (sh:class and sh:targetClass count instances of subclasses)."""
    return tuple((t.subject, t.predicate, t.object) for t in ontology_triples()
                 if t.predicate.value == RDFS + "subClassOf"
                 and isinstance(t.subject, NamedNode) and isinstance(t.object, NamedNode))


def _rdflib_graph(triples: list) -> rdflib.Graph:
    """An rdflib graph of (subject, predicate, object) in pyoxigraph terms, made term by
    term: 2-3x faster than rdflib parsing their N-Triples, and the same triples."""
    terms_seen: dict = {}

    def term(t):
        found = terms_seen.get(t)
        if found is None:
            found = terms_seen[t] = to_rdflib(t)
        return found
    graph = rdflib.Graph()
    graph.addN((term(s), term(p), term(o), graph) for s, p, o in triples)
    return graph


def _term_text(term) -> str:
    return str(term) if isinstance(term, rdflib.URIRef) else term.n3()
