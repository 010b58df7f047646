"""Fact sheets: read one (YAML, every line kept), check it against its declarative schema and
its article, anchor its quotes. The modules, one job each:

- ``model``: what a checked fact sheet holds (FactSheet, Entry, Quote, Amount, ...);
- ``fields`` and ``values``: the field types, each checking a value, giving its JSON Schema
  and naming itself for docs;
- ``schema``: the one declaration of the fact sheet, references and their RDF properties too;
- ``load``: YAML to checked entries; ``checks`` and ``times``: checks against the article and
  between entries;
- ``describe``: the JSON Schema and the Markdown field reference; ``reference``: the command
  that writes that reference into the README.
"""

from kg.factsheet.checks import written_values
from kg.factsheet.describe import SCHEMA_ID, field_reference, json_schema
from kg.factsheet.fields import CURRENCIES
from kg.factsheet.load import load
from kg.factsheet.model import (
    Amount,
    ArticleMeta,
    Entry,
    FactSheet,
    Quantity,
    Quote,
    Role,
    TimeValue,
)
from kg.factsheet.schema import (
    AGREEMENT_TYPES,
    ARTICLE,
    CLAUSE_TYPES,
    EVENT_TYPES,
    SECTIONS,
    SECTIONS_SCHEMA,
    links,
    valued,
)
from kg.factsheet.values import (
    MIN_QUOTE_WORDS,
    PER_UNITS,
    QUALIFIERS,
    REPORTING_CUE,
    SHARE_UNITS,
    UNITS,
)
from kg.factsheet.vocabulary import kgo_classes

__all__ = ["AGREEMENT_TYPES", "ARTICLE", "Amount", "ArticleMeta", "CLAUSE_TYPES", "CURRENCIES",
           "EVENT_TYPES", "Entry", "FactSheet", "MIN_QUOTE_WORDS", "PER_UNITS", "QUALIFIERS",
           "Quantity", "Quote", "REPORTING_CUE", "Role", "SCHEMA_ID", "SECTIONS",
           "SECTIONS_SCHEMA", "SHARE_UNITS", "TimeValue", "UNITS", "field_reference",
           "json_schema", "kgo_classes", "links", "load", "valued", "written_values"]
