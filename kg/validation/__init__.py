"""Validate a graph: literal forms as written, then SHACL core with pySHACL article by article,
then the SHACL-SPARQL constraints batched on pyoxigraph.

- report: the results (Result, Report) and the errors (ValidationFailed, ShapesError);
- shapes: reading and linting the shapes (load_shapes, shape_messages);
- core: SHACL core, article by article over forked workers;
- sparql: the SHACL-SPARQL constraints, once per shape for all focus nodes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import Quad

from kg import formats, literals
from kg.gcpause import paused
from kg.namespaces import KGSH, SH
from kg.validation import core, sparql
from kg.validation.data import statements
from kg.validation.report import Report, Result, ShapesError, ValidationFailed
from kg.validation.shapes import Shapes, load_shapes, shape_messages

LEXICAL_SHAPE = KGSH + "LexicalForm"
DATATYPE_COMPONENT = SH + "DatatypeConstraintComponent"
SPARQL_COMPONENT = sparql.SPARQL_COMPONENT

__all__ = ["Report", "Result", "ShapesError", "ValidationFailed", "load_shapes",
           "shape_messages", "validate"]


def validate(data: Iterable[Quad] | Iterable[str | os.PathLike], shapes: Shapes | None = None,
             workers: int | None = None, engine: str = "kg") -> Report:
    """Validate quads, or the graph files at the given paths (read together, by extension):
    literal checks, SHACL core article by article (over `workers` processes, by default one per
    core), and SHACL-SPARQL over all graphs; with kg's shapes unless others are given.

    >>> import tempfile
    >>> turtle = '''
    ...   @prefix time: <http://www.w3.org/2006/time#> .
    ...   @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...   <https://kg.example.org/id/instant/end> a time:Instant ;
    ...       time:inXSDgYear "2030x"^^xsd:gYear .
    ... '''
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "bad.ttl"
    ...     _ = path.write_text(turtle, encoding="utf-8")
    ...     report = validate([path])
    >>> report.conforms
    False
    >>> sorted(r.shape.rsplit("#", 1)[1] for r in report.results)
    ['EvidenceShape', 'InstantShape', 'LexicalForm']
    >>> validate([]).conforms
    True
    """
    quads = _quads(data)
    shapes = shapes or load_shapes()
    with paused():  # each part's index is millions of small objects, none in a cycle
        terms = statements(quads)  # the terms read once, for all three layers
        results = [Result(p.subject, LEXICAL_SHAPE, DATATYPE_COMPONENT, p.message,
                          p.predicate, p.literal) for p in literals.check_terms(terms)]
        # The articles go to the forked workers, the SPARQL rules run here meanwhile.
        pending = core.start(terms, shapes, workers, engine)
        results += sparql.check(terms, shapes)
        results += pending.results()
    return Report(sorted(set(results), key=lambda r: (r.focus, r.shape, r.component,
                                                     r.path or "", r.value or "", r.message)))


def _quads(data) -> list[Quad]:
    """The quads given, or those of the files given (one path alone is taken as a list of one;
    a file that cannot be read raises InputError naming it)."""
    items = [data] if isinstance(data, (str, os.PathLike)) else list(data)
    if all(isinstance(item, Quad) for item in items):
        return items
    if all(isinstance(item, (str, os.PathLike)) for item in items):
        return formats.read([Path(item) for item in items])
    raise TypeError("validate() takes pyoxigraph Quads or the paths of graph files, not a mix "
                    "or other objects")
