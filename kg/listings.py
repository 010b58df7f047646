"""The site's ways into a corpus: the index's lists of the entities of each class, the
timeline of the events by date, and the search index over labels (search.json, read by the
site's own search.js).

kg.pages renders the index and the timeline page from these; kg.site writes search.json.
"""

from __future__ import annotations

import json

from pyoxigraph import NamedNode

from kg.iris import parse_id
from kg.namespaces import KGO, PROV, RDF, RDFS, SCHEMA, SKOS, TIME
from kg.sitegraph import Graph

# The classes the index lists, each the resources minted as one kind (as `kg build` counts).
LISTED = (("Organizations", "organization"), ("People", "person"), ("Products", "product"),
          ("Agreements", "agreement"), ("Clauses", "clause"), ("Events", "event"),
          ("Articles", "article"))
# The properties of an instant that give its date, most precise first.
DATE_PROPERTIES = (TIME + "inXSDDate", TIME + "inXSDgYearMonth", TIME + "inXSDgYear")
LABELS = (RDFS + "label", SCHEMA + "name", SCHEMA + "headline")
ALTERNATES = (SKOS + "altLabel", SCHEMA + "alternateName")


def sort_key(label: str) -> tuple[str, str]:
    return label.casefold(), label


def entities(graph: Graph) -> dict[str, list[str]]:
    """kind -> the IRIs of the typed resources minted as that kind, sorted by label."""
    found: dict[str, set[str]] = {kind: set() for _, kind in LISTED}
    for t in graph.triples:
        if t.predicate.value != RDF + "type" or not isinstance(t.subject, NamedNode):
            continue
        iri = t.subject.value
        parsed = "#" not in iri and parse_id(iri, graph.base)
        if parsed and parsed[0] in found:
            found[parsed[0]].add(iri)
    return {kind: sorted(iris, key=lambda i: (*sort_key(graph.label(i)), i))
            for kind, iris in found.items()}


def event_date(graph: Graph, event: str) -> str | None:
    """The date of an event as written in its literal (2024, 2024-03 or 2024-03-05): its
    time:hasTime instant's, or the beginning of its interval; None when undated."""
    for time in graph.values(event, TIME + "hasTime"):
        if not isinstance(time, NamedNode):
            continue
        for node in [time.value] + [b.value for b in graph.values(time.value,
                                                                     TIME + "hasBeginning")
                                    if isinstance(b, NamedNode)]:
            for predicate in DATE_PROPERTIES:
                value = graph.value(node, predicate)
                if value:
                    return value
    return None


def timeline(graph: Graph, events: list[str] | None = None) -> list[dict]:
    """The events by date (a year before its months, a month before its days), ties and the
    undated (after all the dated) by label: each {event, date, words, articles}."""
    if events is None:
        events = entities(graph)["event"]
    rows = []
    for event in events:
        date = event_date(graph, event)
        words = None
        for time in graph.values(event, TIME + "hasTime"):  # the article's words for it
            words = (words or graph.value(time.value, KGO + "asWritten")
                     or graph.value(time.value, KGO + "timeExpression"))
        articles = sorted({o.value for o in graph.values(event, PROV + "wasDerivedFrom")
                           if isinstance(o, NamedNode)}
                          | {e.article for e in graph.evidence.get(event, ()) if e.article})
        rows.append({"event": event, "date": date, "words": words, "articles": articles})
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "",
                             *sort_key(graph.label(r["event"])), r["event"]))
    return rows


def search_index(graph: Graph, href) -> bytes:
    """search.json: every labelled resource that has a page, as {label, alternates, class,
    path}, path relative to the site's root (href(iri) gives it, or None when unpublished)."""
    items = []
    for iri in sorted(graph.out):
        labels = [t.object.value for t in graph.out[iri] if t.predicate.value in LABELS]
        if not labels:
            continue
        path = href(iri)
        if path is None:
            continue
        label = graph.label(iri)
        alternates = sorted({t.object.value for t in graph.out[iri]
                             if t.predicate.value in ALTERNATES + LABELS} - {label})
        types = graph.types(iri)
        parsed = "#" not in iri and parse_id(iri, graph.base)
        kind = parsed[0] if parsed else (class_name(types[0]) if types else "")
        items.append({"label": label, "alternates": alternates, "class": kind,
                      "types": [class_name(t) for t in types], "path": path})
    items.sort(key=lambda i: (*sort_key(i["label"]), i["path"]))
    return (json.dumps(items, ensure_ascii=False, sort_keys=True,
                       separators=(",", ":")) + "\n").encode()


def class_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
