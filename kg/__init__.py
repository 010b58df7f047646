"""kg: news articles about corporate deals turned into a linked-data knowledge graph.

The public API, each function with the command of the same name:

- ``kg.build(sources, out)`` builds, validates and exports the graph (``kg build``);
- ``kg.validate(data)`` validates graph files or quads (``kg validate``);
- ``kg.query(query, data=...)`` runs a shipped example or a SPARQL query (``kg query``);
- ``kg.load(directory, endpoint)`` replaces the graphs in a triple store (``kg load``);
- ``kg.publish(source, out)`` writes the linked-data site (``kg publish``);
- ``kg.serve(directory)`` serves it with a SPARQL endpoint (``kg serve``);
- ``kg.check(sources)`` lists the conflicts between the articles of a build (``kg check``);
- ``kg.schema()`` is the fact sheet's JSON Schema (``kg schema``);
- ``kg.draft(article, published)`` drafts an article's fact sheet (``kg draft``).

Each name is imported on first use, so that ``kg --help`` and ``kg query`` load no more than
they need (pySHACL alone takes some 220 ms to import).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# Public name -> the module that defines it (and the name there, where it differs).
_API = {
    "build": "kg.pipeline", "BuildResult": "kg.pipeline", "check": "kg.pipeline",
    "validate": "kg.validation", "Report": "kg.validation", "ValidationFailed": "kg.validation",
    "query": "kg.sparql", "Results": "kg.results",
    "load": "kg.store", "LoadResult": "kg.store",
    "publish": "kg.site", "PublishResult": "kg.site",
    "serve": "kg.server",
    "schema": "kg.factsheet:json_schema",
    "draft": "kg.drafting.drafter", "Draft": "kg.drafting.drafter",
    "KgError": "kg.errors", "InputError": "kg.errors", "OutputError": "kg.errors",
    "QueryError": "kg.errors", "QueryTimeout": "kg.errors",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module, _, attribute = module.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
