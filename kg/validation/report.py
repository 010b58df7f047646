"""The results of a validation, as text for people and as a standard SHACL report in Turtle,
and the errors that validation raises."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import rdflib

from kg.errors import KgError
from kg.namespaces import KGSH, SH, readable

VIOLATION = SH + "Violation"
# An IRI inside a message, without the punctuation that may follow it in a sentence.
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+[^\s<>\"{}|\\^`.,;:)]")


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
    # Where the nodes of a built graph come from: IRI -> "file:line, entry 'id'" of the fact
    # sheet entry that made it, so that a result names what to fix.
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def conforms(self) -> bool:
        return not self.results

    def to_text(self, prefixes: dict[str, str] | None = None) -> str:
        """One line per result, IRIs shortened with the prefixes (and sh:, kgsh:)."""
        short = readable({**(prefixes or {}), "kgsh": KGSH, "sh": SH})
        if self.conforms:
            return "conforms: no SHACL results, no ill-formed literals"
        count = len(self.results)
        lines = [f"does not conform: {count} violation{'s' if count != 1 else ''}"]
        for r in self.results:
            where = short(r.shape) + ", " + short(r.component).replace("ConstraintComponent", "")
            if r.path:
                where += f", path {short(r.path)}"
            message = _IRI.sub(lambda m: short(m.group(0)), r.message)
            made = self.sources.get(r.focus)
            lines.append(f"- {short(r.focus)}: {message} [{where}]"
                         + (f" (from {made})" if made else ""))
        return "\n".join(lines)

    def to_turtle(self, prefixes: dict[str, str] | None = None) -> bytes:
        """The standard SHACL validation report (sh:ValidationReport) as Turtle."""
        g = rdflib.Graph(bind_namespaces="none")
        g.bind("sh", SH)
        for name, ns in (prefixes or {}).items():
            g.bind(name, ns)
        sh = rdflib.Namespace(SH)
        report = rdflib.BNode("report")
        g.add((report, rdflib.RDF.type, sh.ValidationReport))
        g.add((report, sh.conforms, rdflib.Literal(self.conforms)))
        for n, r in enumerate(self.results, 1):
            node = rdflib.BNode(f"result{n}")
            g.add((report, sh.result, node))
            g.add((node, rdflib.RDF.type, sh.ValidationResult))
            g.add((node, sh.focusNode, _rdflib_term(r.focus)))
            g.add((node, sh.sourceShape, rdflib.URIRef(r.shape)))
            g.add((node, sh.sourceConstraintComponent, rdflib.URIRef(r.component)))
            g.add((node, sh.resultSeverity, rdflib.URIRef(r.severity)))
            g.add((node, sh.resultMessage, rdflib.Literal(r.message)))
            if r.path:
                g.add((node, sh.resultPath, rdflib.URIRef(r.path)))
            if r.value:
                g.add((node, sh.value, _rdflib_term(r.value)))
        return g.serialize(format="turtle").encode("utf-8")


def _rdflib_term(value: str):
    """A result's focus node or value (an IRI, or an N-Triples term) as an rdflib term."""
    if value.startswith("<") or value.startswith('"'):
        return rdflib.util.from_n3(value)
    return rdflib.URIRef(value)


class ValidationFailed(KgError):
    """The graph does not conform; exit code 1, as pySHACL's."""

    exit_code = 1

    def __init__(self, report: Report, what: str = "the graph"):
        super().__init__(f"{what} does not conform ({len(report.results)} violations)")
        self.report = report


class ShapesError(KgError):
    """The shapes themselves are wrong (a typo in a SHACL term, an unknown target class)."""
