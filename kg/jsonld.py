"""Compacted JSON-LD with an inline context of prefixes: standalone, stable, no network."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Triple

from kg.namespaces import XSD

_SAFE_SUFFIX = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
XSD_STRING = XSD + "string"


class Compactor:
    """Shortens IRIs to prefix:suffix where the suffix is plain, keeping the rest whole."""

    def __init__(self, prefixes: dict[str, str]):
        # Longest namespace first, so that 'graph/x/' is not shortened by a shorter one.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.context = dict(sorted(prefixes.items()))
        self._cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        found = self._cache.get(iri)
        if found is None:
            found = iri
            for name, namespace in self.prefixes:
                if iri.startswith(namespace) and _SAFE_SUFFIX.fullmatch(iri[len(namespace):]):
                    found = f"{name}:{iri[len(namespace):]}"
                    break
            self._cache[iri] = found
        return found


def _value(term, compact: Compactor):
    if isinstance(term, NamedNode):
        return {"@id": compact.iri(term.value)}
    assert isinstance(term, Literal), f"blank nodes are not written: {term}"
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": compact.iri(term.datatype.value)}


def _sort_key(value) -> tuple:
    return (0, value, ()) if isinstance(value, str) else (1, "", tuple(sorted(value.items())))


def document(triples: Iterable[Triple], prefixes: dict[str, str]) -> dict:
    """The JSON-LD document of the triples: one node object per subject, sorted."""
    compact = Compactor(prefixes)
    nodes: dict[str, dict[str, list]] = {}
    for t in triples:
        node = nodes.setdefault(t.subject.value, {})
        if t.predicate.value.endswith("22-rdf-syntax-ns#type") and isinstance(t.object, NamedNode):
            node.setdefault("@type", []).append(compact.iri(t.object.value))
        else:
            node.setdefault(compact.iri(t.predicate.value), []).append(_value(t.object, compact))
    graph = []
    for subject in sorted(nodes):
        obj: dict = {"@id": compact.iri(subject)}
        props = nodes[subject]
        if "@type" in props:
            types = sorted(set(props.pop("@type")))
            obj["@type"] = types[0] if len(types) == 1 else types
        for key in sorted(props):
            values = sorted(props[key], key=_sort_key)
            obj[key] = values[0] if len(values) == 1 else values
        graph.append(obj)
    return {"@context": compact.context, "@graph": graph}


def dumps(doc: dict) -> bytes:
    """Indented context, then one node object a line: readable, diffable node by node, and
    written by the json module's C encoder (its indenting encoder is pure Python)."""
    head = {k: v for k, v in doc.items() if k != "@graph"}
    text = json.dumps(head, indent=2, ensure_ascii=False)
    if "@graph" not in doc:
        return (text + "\n").encode("utf-8")
    nodes = ",\n    ".join(json.dumps(node, ensure_ascii=False, separators=(", ", ": "))
                           for node in doc["@graph"])
    return (text[:-2] + ',\n  "@graph": [\n    ' + nodes + "\n  ]\n}\n").encode("utf-8")


def context_document(prefixes: dict[str, str]) -> bytes:
    """A context file users can reference locally to write or read the same JSON-LD."""
    return dumps({"@context": Compactor(prefixes).context})
