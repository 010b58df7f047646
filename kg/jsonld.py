"""Compacted JSON-LD with an inline context of prefixes: standalone, stable, no network."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg import order
from kg.gcpause import paused
from kg.namespaces import RDF, XSD

_SAFE_SUFFIX = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
XSD_STRING = XSD + "string"
RDF_TYPE = RDF + "type"


class Compactor:
    """Shortens IRIs to prefix:suffix where the suffix is plain, keeping the rest whole, and
    remembers which prefixes it used."""

    def __init__(self, prefixes: dict[str, str]):
        self.all = dict(prefixes)
        self.used: set[str] = set()
        self._by_namespace = {ns: name for name, ns in prefixes.items()}
        # A plain suffix has no '/' or '#', so a namespace ending in one of them can only be the
        # IRI up to its last '/' or '#': one lookup. Others are tried longest first.
        self._others = sorted(((ns, name) for name, ns in prefixes.items()
                               if not ns.endswith(("/", "#"))), key=lambda kv: -len(kv[0]))
        self._cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        found = self._cache.get(iri)
        if found is None:
            found = self._cache[iri] = self._shorten(iri)
        return found

    def _shorten(self, iri: str) -> str:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        for namespace, name in self._others:
            # Shorter ones would leave a '/' or '#' in the suffix.
            if len(namespace) > cut and iri.startswith(namespace) \
                    and _SAFE_SUFFIX.fullmatch(iri, len(namespace)):
                return self._use(name, iri, len(namespace))
        name = self._by_namespace.get(iri[:cut])
        if name is not None and _SAFE_SUFFIX.fullmatch(iri, cut):
            return self._use(name, iri, cut)
        return iri

    def _use(self, name: str, iri: str, cut: int) -> str:
        self.used.add(name)
        return f"{name}:{iri[cut:]}"

    def context(self, only_used: bool = True) -> dict[str, str]:
        names = self.used if only_used else self.all
        return {name: self.all[name] for name in sorted(names)}


def _node_id(term, compact: Compactor) -> str:
    return compact.iri(term.value) if type(term) is NamedNode else f"_:{term.value}"


def _value(term, compact: Compactor):
    if type(term) is Literal:
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact.iri(datatype)}
    if type(term) is BlankNode:
        return {"@id": f"_:{term.value}"}
    return {"@id": compact.iri(term.value)}


def nodes(triples: Iterable[Triple], compact: Compactor) -> Iterator[dict]:
    """One node object per subject, for triples in canonical order (a subject's triples are
    consecutive, rdf:type first); values keep that order. Keys are left for the encoder to
    sort (sort_keys): '@id' and '@type' sort before any prefix or IRI."""
    short = compact.iri
    # Lookups inlined: this loop runs once per triple. One {"@id": ...} per IRI is shared.
    keys: dict[str, str] = {}
    references: dict[str, dict] = {}
    node: dict | None = None
    subject = None
    for t in triples:
        s = t.subject
        if s != subject:
            if node is not None:
                yield node
            subject, node = s, {"@id": _node_id(s, compact)}
        p, o = t.predicate.value, t.object
        key = keys.get(p)
        if key is None:
            key = keys[p] = short(p)
        if type(o) is not NamedNode:
            value = _value(o, compact)  # a literal or blank node: rdf:type too stays a property
        elif p == RDF_TYPE:
            key, value = "@type", short(o.value)
        else:
            value = references.get(o.value)
            if value is None:
                value = references[o.value] = {"@id": short(o.value)}
        # One value is written bare, several as an array.
        old = node.get(key)
        if old is None:
            node[key] = value
        elif type(old) is list:
            old.append(value)
        else:
            node[key] = [old, value]
    if node is not None:
        yield node


def document(triples: Iterable[Triple], prefixes: dict[str, str]) -> dict:
    """The JSON-LD document of the triples: one node object per subject, in canonical order."""
    compact = Compactor(prefixes)
    graph = list(nodes(order.triples(triples), compact))
    return {"@context": compact.context(), "@graph": graph}


def write(triples: Iterable[Triple], prefixes: dict[str, str], out: BinaryIO) -> None:
    """Indented context, then one node object a line: readable, diffable node by node, and
    written by the json module's C encoder (its indenting encoder is pure Python)."""
    compact = Compactor(prefixes)
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    with paused():
        lines = [encode(node) for node in nodes(order.triples(triples), compact)]
    # The context lists the prefixes used, known only once every node is made.
    head = json.dumps({"@context": compact.context()}, indent=2, ensure_ascii=False)
    out.write((head[:-2] + ',\n  "@graph": [').encode("utf-8"))
    for start in range(0, len(lines), 10_000):  # written in pieces: no second copy of it all
        out.write(((",\n    " if start else "\n    ")
                   + ",\n    ".join(lines[start:start + 10_000])).encode("utf-8"))
    out.write(("\n  ]\n}\n" if lines else "]\n}\n").encode("utf-8"))


def context_document(prefixes: dict[str, str]) -> bytes:
    """A context file users can reference locally to write or read the same JSON-LD."""
    context = json.dumps({"@context": Compactor(prefixes).context(only_used=False)}, indent=2,
                         ensure_ascii=False)
    return (context + "\n").encode("utf-8")
