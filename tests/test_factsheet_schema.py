"""The declarative schema (kg.factsheet.schema) written out: the JSON Schema accepts the seed
and refuses what kg's loader refuses by shape, every field is described, and the README's
field reference is the one the schema makes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from jsonschema import Draft202012Validator

from kg import factsheet
from kg.errors import InputError
from kg.factsheet import fields, schema, values
from kg.literals import LANGUAGE_TAG

from test_factsheet_support import SEED_FACTSHEET, edit, load, load_error, seed_yaml

ROOT = SEED_FACTSHEET.parent.parent


def as_json(value):
    """YAML as JSON would hold it: PyYAML reads 2025-01-21 as a date, JSON has text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def json_errors(yaml_text: str) -> list[str]:
    validator = Draft202012Validator(factsheet.json_schema())
    return [e.message for e in validator.iter_errors(as_json(yaml.safe_load(yaml_text)))]


def test_the_json_schema_is_a_valid_draft_2020_12_schema():
    document = factsheet.json_schema()
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"] == factsheet.SCHEMA_ID
    assert document["title"] and document["description"]
    assert document["additionalProperties"] is False
    assert set(document["properties"]) == {"article", *factsheet.SECTIONS}


def test_the_seed_fact_sheets_validate_against_the_json_schema():
    seeds = sorted(ROOT.glob("seeds/*.yaml"))
    assert seeds
    for path in seeds:
        assert json_errors(path.read_text(encoding="utf-8")) == [], path


ORACLE_DEAL = "  - id: openai-oracle-compute-deal"
DEAL = "  - id: microsoft-inflection-deal"
ARM = "  - id: arm"
ARM_QUOTE = "      - a joint venture between Arm, Microsoft, Nvidia, Oracle, and OpenAI"
REPORTED = "      - quote: it’s been reported that Microsoft gets 20 percent of OpenAI’s revenue"

# name -> the edited seed; each is refused both by the JSON Schema and by kg's loader.
INVALID = {
    "unknown key": lambda t: edit(t, "    parties: [microsoft, openai]",
                                  "    partys: [microsoft, openai]"),
    "unknown section": lambda t: edit(t, "organizations:", "organisations:"),
    "unknown article key": lambda t: edit(t, "  publisher: the-verge", "  publihser: the-verge"),
    "bad slug": lambda t: edit(t, "  - id: nvidia", "  - id: Nvidia Corp"),
    "missing evidence": lambda t: edit(edit(t, "    evidence:", None, after=ARM), ARM_QUOTE, None,
                                       after=ARM),
    "empty evidence": lambda t: edit(edit(t, "    evidence:", "    evidence: []", after=ARM),
                                     ARM_QUOTE, None, after=ARM),
    "missing name": lambda t: edit(t, "    name: Arm", None),
    "bad currency": lambda t: edit(t, "        currency: USD", "        currency: USS", after=DEAL),
    "retired currency": lambda t: edit(t, "        currency: USD", "        currency: BGN",
                                       after=DEAL),
    "bad agreement type": lambda t: edit(t, "    type: Partnership", "    type: Partnershp",
                                         after=ORACLE_DEAL),
    "one party": lambda t: edit(t, "    parties: [microsoft, openai]", "    parties: [microsoft]"),
    "same party twice": lambda t: edit(t, "    parties: [microsoft, openai]",
                                       "    parties: [microsoft, microsoft]"),
    "bad wikidata id": lambda t: edit(t, "    wikidata: Q2283", "    wikidata: 2283"),
    "bad language tag": lambda t: edit(t, "  language: en", "  language: en-GB-GB"),
    "impossible month": lambda t: edit(t, "      month: 2024-06", "      month: 2024-13"),
    "year with a letter": lambda t: edit(t, "      year: 2030", "      year: 2030x",
                                         after="  - id: partnership-term"),
    "two precisions": lambda t: edit(t, "      month: 2024-06",
                                     "      month: 2024-06\n      year: 2024"),
    "negative amount": lambda t: edit(t, "      - value: 650000000", "      - value: -650000000"),
    "share above 100 percent": lambda t: edit(t, "      - value: 20", "      - value: 120"),
    "share ratio above 1": lambda t: edit(edit(t, "      - value: 20", "      - value: 2"),
                                          "        unit: percent", "        unit: ratio"),
    "relative not a boolean": lambda t: edit(t, "      relative: true",
                                             "      relative: yes please",
                                             after="  - id: inflection-hire"),
    "two-word quote": lambda t: edit(t, "      - and OpenAI’s API remains exclusive to Azure",
                                     "      - OpenAI’s API"),
    "reporting words without reported": lambda t: edit(t, "        reported: true", None,
                                                       after=REPORTED),
    "javascript url": lambda t: edit(t, "  language: en",
                                     '  language: en\n  url: "javascript:alert(1)"'),
    "scheme-relative url": lambda t: edit(t, "  language: en",
                                          "  language: en\n  url: //evil.example/"),
    "amount of 31 digits": lambda t: edit(t, "      - value: 650000000",
                                          "      - value: " + "1" + "0" * 30),
    "amount written in 101 characters": lambda t: edit(t, "      - value: 650000000",
                                                       f"      - value: '{'1' * 101}'"),
    "escape character in a name": lambda t: edit(t, "    name: Arm", '    name: "Arm\\e[2J"'),
    "bidi override in a name": lambda t: edit(t, "    name: Arm", '    name: "Arm\\u202e"'),
    "reported without reporting words": lambda t: edit(
        t, "      - They’ll maintain their two-way revenue-sharing setup",
        "      - quote: They’ll maintain their two-way revenue-sharing setup\n"
        "        reported: true"),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_variants_are_refused_by_both_the_json_schema_and_kg(tmp_path, name):
    text = INVALID[name](seed_yaml())
    assert json_errors(text), f"the JSON Schema accepts: {name}"
    load_error(tmp_path, text)


@pytest.mark.parametrize("tag", ["en", "en-GB", "de-CH-1996", "zh-Hant-TW", "es-419", "EN-gb",
                                 "x-private", "en-GB-GB", "en_GB", "e", "en--GB", "sl-rozaj-biske"])
def test_the_language_pattern_of_the_json_schema_is_kgs_language_tag(tag):
    assert bool(re.fullmatch(fields.pattern(LANGUAGE_TAG), tag)) == bool(
        LANGUAGE_TAG.fullmatch(tag))


@pytest.mark.parametrize("code", ["USD", "EUR", "VED", "ANG", "BGN", "USS"])
def test_the_currency_enum_is_what_kg_accepts(tmp_path, code):
    text = edit(seed_yaml(), "        currency: USD", f"        currency: {code}", after=DEAL)
    in_schema = not json_errors(text)
    try:
        load(tmp_path, text)
        accepted = True
    except InputError:
        accepted = False
    assert in_schema == accepted == (code in {"USD", "EUR", "VED"})


CONDITIONS = {"if", "then", "else", "not"}  # constraints on properties declared elsewhere


def _properties(node, path="$"):
    """(path, subschema) of every property a JSON Schema declares (not in conditions)."""
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            yield f"{path}.{key}", sub
        for key, sub in node.items():
            if key not in CONDITIONS:
                yield from _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _properties(sub, f"{path}[{i}]")


def test_every_property_of_the_json_schema_has_a_description():
    found = list(_properties(factsheet.json_schema()))
    assert len(found) > 80
    for path, sub in found:
        assert len(sub.get("description", "").split()) >= 4, path


def _fields(mapping: dict, prefix: str = ""):
    for key, field in mapping.items():
        yield prefix + key, field
        if isinstance(field, schema.Mapping):
            yield from _fields(field.spec, f"{prefix}{key}.")
        elif isinstance(field, schema.ListOf) and isinstance(field.item, schema.Mapping):
            yield from _fields(field.item.spec, f"{prefix}{key}[].")
        elif isinstance(field, values.Evidence):
            yield from _fields(field.quote.spec, f"{prefix}{key}[].")


def test_every_field_of_the_schema_has_a_sentence_of_description():
    everything = [("article." + k, f) for k, f in _fields(schema.ARTICLE.spec)]
    for section in schema.SECTIONS_SCHEMA.values():
        assert section.doc.endswith(".")
        everything += [(f"{section.name}.{k}", f) for k, f in _fields(section.fields)]
    assert len(everything) > 100
    for name, field in everything:
        assert len(field.doc.split()) >= 4 and field.doc.rstrip().endswith("."), name


def test_every_reference_declares_kinds_and_how_it_is_linked():
    for section in schema.SECTIONS_SCHEMA.values():
        for name, ref in section.links():
            assert ref.kinds and set(ref.kinds) <= set(schema.SECTIONS.values()), name
            # Each link becomes at least one statement of the graph, one way or the other.
            assert ref.properties or ref.inverse, (section.name, name)


def test_the_field_reference_names_every_section_and_field():
    text = factsheet.field_reference()
    for section in ("article", *factsheet.SECTIONS):
        assert f"### `{section}`" in text
    for name in ("`parties`", "`amounts[].currency`", "`roles[].organization`",
                 "`evidence[].reported`", "`time.relative`", "`quantities[].unit`"):
        assert f"| {name} |" in text
    assert "`kgo:hasParty`" in text
