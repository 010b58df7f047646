"""spaCy's blank English pipeline with kg's patterns: no model to download, the same tokens and
matches on every machine. The EntityRuler labels the names a gazetteer knows and organizations
by their legal or sector suffix; a Matcher finds runs of capitalised words, the candidate names
that entities.py then sorts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy

ORG_SUFFIXES = ["Inc", "Inc.", "Corp", "Corp.", "Corporation", "Co.", "Ltd", "Ltd.", "LLC",
                "L.P.", "LP", "plc", "PLC", "AG", "SE", "SA", "S.A.", "N.V.", "NV", "GmbH",
                "Group", "Holdings", "Technologies", "Labs", "Capital", "Partners", "Ventures",
                "Bank", "Energy", "Therapeutics", "Pharmaceuticals", "Pharma", "Biosciences",
                "Bio", "Platforms", "Systems", "Networks", "Semiconductor", "Motors",
                "Airlines", "Communications", "Financial", "Insurance", "Logistics", "Foods",
                "Industries", "Devices", "Department", "Ministry", "Commission", "Authority",
                "Agency", "University", "Institute", "Fund", "Investments", "Robotics",
                "Microsystems", "Software", "Freight", "Power", "Utilities", "Grid", "Media",
                "Studios", "Entertainment", "Telecom", "Airways", "Resources", "Mining"]
# Words that join capitalised words inside one name: "Bank of America", "Procter & Gamble".
CONNECTORS = ["of", "&", "de", "for", "on", "and"]


@dataclass(frozen=True)
class Span:
    """A piece of the text: text[start:end], with its label where the ruler gave one."""

    start: int
    end: int
    text: str
    label: str = ""
    key: str = ""  # the gazetteer's id for the name, when it knows it


@lru_cache(maxsize=8)
def pipeline(gazetteer: tuple[tuple[str, str, str], ...] = ()):
    """The blank English pipeline with an EntityRuler for the gazetteer's (name, label, id)
    triples and the organization suffixes; built once per gazetteer."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH",
                                                 "overwrite_ents": True})
    patterns = [{"label": label, "pattern": name, "id": key} for name, label, key in gazetteer]
    title = {"IS_TITLE": True}
    patterns += [{"label": "ORG", "pattern": [title, {"IS_TITLE": True, "OP": "*"},
                                              {"ORTH": {"IN": ORG_SUFFIXES}}]}]
    ruler.add_patterns(patterns)
    return nlp


def _capitalised(token) -> bool:
    text = token.text
    if re.fullmatch(r"[a-z]{1,2}[A-Z][\w]*", text):
        return True  # "xAI", "iPhone", "eBay"
    if not text[:1].isupper():
        return False
    # "OpenAI", "AMD", "Wiz": a capital first; a lone capital letter only as an initial.
    return len(text) > 1 or token.nbor(1).text == "." if token.i + 1 < len(token.doc) else False


def analyse(text: str, gazetteer: tuple[tuple[str, str, str], ...] = ()):
    """The spaCy Doc of the text, with the ruler's entities set."""
    return pipeline(gazetteer)(text)


def runs(doc) -> list[Span]:
    """Maximal runs of capitalised tokens (with connectors inside, and a trailing possessive
    left out): the candidate names of the text."""
    out, i, tokens = [], 0, list(doc)
    while i < len(tokens):
        if not _capitalised(tokens[i]) or tokens[i].text in ("’s", "'s"):
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            if _capitalised(tokens[j]) and tokens[j - 1].whitespace_:
                j += 1
            elif (tokens[j].text in CONNECTORS and j + 1 < len(tokens)
                  and _capitalised(tokens[j + 1]) and tokens[j].text != "and"):
                j += 2
            elif tokens[j].text == "." and tokens[j - 1].text.isupper() and \
                    len(tokens[j - 1].text) == 1:
                j += 1  # an initial
            else:
                break
        start, end = tokens[i].idx, tokens[j - 1].idx + len(tokens[j - 1].text)
        out.append(Span(start, end, doc.text[start:end]))
        i = j
    return out


def entities(doc) -> list[Span]:
    """The ruler's entities: gazetteer names (with their ids) and names with an org suffix."""
    return [Span(e.start_char, e.end_char, e.text, e.label_, e.ent_id_) for e in doc.ents]
