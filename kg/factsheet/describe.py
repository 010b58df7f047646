"""The fact sheet schema written out for others: as a JSON Schema (for editors and other
tools) and as a Markdown field reference (for the README), both made from kg.factsheet.schema."""

from __future__ import annotations

from kg.factsheet.fields import Field, Ref
from kg.factsheet.schema import ARTICLE, SECTIONS_SCHEMA
from kg.factsheet.values import Evidence, ListOf, Mapping
from kg.namespaces import DEFAULT_BASE_IRI

SCHEMA_ID = DEFAULT_BASE_IRI + "schema/factsheet.schema.json"
TITLE = "kg fact sheet"
DESCRIPTION = ("What one news article says about corporate deals, each entry with the quotes "
               "of the article that say it; kg builds a knowledge graph from it. The article's "
               "text is the .txt file of the same name beside the fact sheet (.yaml).")


def json_schema() -> dict:
    """The fact sheet's JSON Schema (draft 2020-12). It refuses what the loader refuses by
    shape alone; references between entries and quotes in the article are kg's to check."""
    properties = {"article": ARTICLE.json()}
    for name, section in SECTIONS_SCHEMA.items():
        properties[name] = {"description": section.doc, "type": ["array", "null"],
                            "items": section.entry().fragment()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": TITLE,
        "description": DESCRIPTION,
        "type": "object",
        "properties": properties,
        "required": ["article"],
        "additionalProperties": False,
    }


def _rows(fields: dict[str, Field], prefix: str = "") -> list[str]:
    rows = []
    for key, field in fields.items():
        doc = field.full_doc() if isinstance(field, Ref) else field.doc
        kind = field.describe()
        rows.append(f"| `{prefix}{key}` | {kind} | {'yes' if field.required else 'no'} | "
                    f"{doc} |")
        if isinstance(field, Mapping):
            rows += _rows(field.spec, f"{prefix}{key}.")
        elif isinstance(field, ListOf) and isinstance(field.item, Mapping):
            rows += _rows(field.item.spec, f"{prefix}{key}[].")
        elif isinstance(field, Evidence):
            rows += _rows(field.quote.spec, f"{prefix}{key}[].")
    return rows


def _table(fields: dict[str, Field]) -> list[str]:
    return ["| Key | Type | Required | Description |", "| --- | --- | --- | --- |",
            *_rows(fields)]


def field_reference() -> str:
    """Markdown of every section and field: type, whether required, and what it means."""
    intro = (
        "A fact sheet is a YAML mapping with the section `article` and the sections of "
        f"entries {', '.join(f'`{n}`' for n in SECTIONS_SCHEMA)}, each a list of entries. "
        "A key set to null counts as not given. Keys of the form `a.b` are keys of the "
        "mapping `a`; `a[].b` are keys of each item of the list `a`. An item of `evidence` "
        "is either the quote's text or a mapping with `quote`.")
    out = [
        intro,
        "",
        "### `article`",
        "",
        ARTICLE.doc,
        "",
        *_table(ARTICLE.spec),
    ]
    for name, section in SECTIONS_SCHEMA.items():
        about = (f"{section.doc} Each entry becomes the resource "
                 f"`<base>id/{section.kind}/<id>`.")
        out += ["", f"### `{name}`", "", about, "", *_table(section.fields)]
    return "\n".join(out) + "\n"



