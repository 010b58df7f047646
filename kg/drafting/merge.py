"""Merge a verified model draft into the rule-based draft: one entry per thing, the rules' values
first, what the model adds marked for the reviewer."""

from __future__ import annotations

import copy

from kg.anchor import fold
from kg.factsheet.fields import Ref, Refs
from kg.factsheet.parts import QUOTE
from kg.factsheet.schema import ARTICLE, SECTIONS_SCHEMA
from kg.factsheet.values import Evidence, ListOf, Mapping, TimeOf

FROM_MODEL = "from the model"
_NAMES = ("aliases", "former_names")


def merge(base: dict, extra: dict) -> dict:
    """base with the entries of extra merged in: an entry of extra that is one of base (same
    section and id, or a name of one that is a name of the other; for deals, clauses and
    events, the same type and agreement and a shared quote or the same parties) adds its
    quotes, list items and missing fields to it; the others are appended (noted "from the
    model") with colliding ids renamed. Neither argument is changed."""
    out = copy.deepcopy(base)
    taken = {e.get("id") for name in SECTIONS_SCHEMA for e in out.get(name) or []}
    ids: dict[str, str] = {}  # extra's id -> its id in the merged sheet
    plan = []  # (section, extra's entry, the entry of base it joins or None, its new form)
    # Entities come first in the schema: their ids are settled before the entries that link
    # to them are compared (parties, agreement).
    for name, section in SECTIONS_SCHEMA.items():
        candidates = out.get(name) or []
        for entry in extra.get(name) or []:
            probe = copy.deepcopy(entry)
            _rename(probe, section.fields, ids)
            same = _match(candidates, probe, section.fields)
            if same is None:
                probe["id"] = _free(entry["id"], taken)
                taken.add(probe["id"])
            ids[entry["id"]] = (same or probe)["id"]
            plan.append((name, entry, same, probe))
    for name, entry, same, probe in plan:
        fields = SECTIONS_SCHEMA[name].fields
        entry = copy.deepcopy(entry)
        _rename(entry, fields, ids)
        if same is not None:
            _combine(same, entry, fields)
        else:
            probe.clear()
            probe.update({**entry, "id": ids[entry["id"]],
                          "_note": _joined(FROM_MODEL, entry.get("_note"))})
            out.setdefault(name, []).append(probe)
    if isinstance(extra.get("article"), dict):
        article = out.setdefault("article", {})
        for key, value in extra["article"].items():
            if key not in article:
                article[key] = _renamed(value, ARTICLE.spec.get(key), ids)
    return _ordered(out)


def _names(entry: dict) -> set[str]:
    return {fold(entry["name"]).casefold()} if entry.get("name") else set()


def _aliases(entry: dict) -> set[str]:
    return {fold(n).casefold() for key in _NAMES for n in _list(entry.get(key))}


def _quotes(entry: dict) -> set[str]:
    return {_quote_key(q) for q in entry.get("evidence") or []}


def _quote_key(quote) -> str:
    return fold(quote["quote"] if isinstance(quote, dict) else quote).casefold()


def _match(candidates: list, entry: dict, fields: dict) -> dict | None:
    """The entry of base that entry is: same id, same name, one's name the other's alias; in a
    section without aliases (deals, clauses, events), the same type and agreement, and the same
    parties, or a shared quote and the parties (participants) of one among the other's."""
    for other in candidates:
        if other.get("id") == entry.get("id"):
            return other
    name, aliases = _names(entry), _aliases(entry)
    for other in candidates:
        if name & _names(other) or name & _aliases(other) or aliases & _names(other):
            return other
    if "aliases" in fields:
        return None
    for other in candidates:
        if any(_set(other.get(k)) != _set(entry.get(k)) for k in ("type", "agreement")):
            continue
        mine, theirs = (_set(e.get("parties") or e.get("participants")) for e in (entry, other))
        if mine and mine == theirs or _overlap(_quotes(other), _quotes(entry)) and (
                mine <= theirs or theirs <= mine):
            return other
    return None


def _overlap(quotes: set[str], others: set[str]) -> bool:
    """Whether a quote of one set stands in a quote of the other (a clause of a sentence)."""
    return any(a in b or b in a for a in quotes for b in others)


def _set(value) -> set:
    return set(_list(value))


def _list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _combine(same: dict, entry: dict, fields: dict) -> None:
    """Add to same what entry has that same has not: quotes, names, list items, fields."""
    added = []
    seen = _quotes(same)
    for quote in entry.get("evidence") or []:
        if _quote_key(quote) not in seen:
            seen.add(_quote_key(quote))
            same.setdefault("evidence", []).append(quote)
            added.append("evidence")
    known = _names(same) | _aliases(same)
    for name in [entry.get("name"), *(entry.get("aliases") or [])]:
        if name and "aliases" in fields and fold(name).casefold() not in known:
            known.add(fold(name).casefold())
            same["aliases"] = [*_list(same.get("aliases")), name]
            added.append("aliases")
    for key, field in fields.items():
        if key in ("id", "name", "evidence", "aliases") or entry.get(key) is None:
            continue
        value = entry[key]
        if key not in same or same[key] is None:
            same[key] = value
            added.append(key)
        elif isinstance(field, ListOf) and isinstance(field.item, Mapping):
            have = {_item_key(v) for v in _list(same[key])}
            for item in _list(value):
                if _item_key(item) not in have:
                    have.add(_item_key(item))
                    same[key] = [*_list(same[key]), {**item, "_note": FROM_MODEL}]
                    added.append(key)
        elif isinstance(field, (Refs, ListOf)) or key in _NAMES:
            merged = list(dict.fromkeys([*_list(same[key]), *_list(value)]))
            if len(merged) > len(_list(same[key])):
                same[key] = merged
                added.append(key)
    if added:
        note = "the model added " + ", ".join(dict.fromkeys(added))
        same["_note"] = _joined(same.get("_note"), note, entry.get("_note"))


def _item_key(item) -> str:
    """What makes two amounts, quantities or roles one: their words (a role, its organization
    and title too)."""
    if not isinstance(item, dict):
        return repr(item)
    parts = [item.get("text", "")] + [item.get(k) or "" for k in ("organization", "title")]
    return "\x1f".join(fold(str(p)).casefold() for p in parts)


def _free(entry_id: str, taken: set) -> str:
    if entry_id not in taken:
        return entry_id
    n = 2
    while f"{entry_id}-{n}" in taken:
        n += 1
    return f"{entry_id}-{n}"


def _rename(entry: dict, fields: dict, ids: dict) -> None:
    """Every link of the entry (its own, its values', its quotes' sources) to the merged ids."""
    for key, field in fields.items():
        if key != "id" and entry.get(key) is not None:
            entry[key] = _renamed(entry[key], field, ids)


def _renamed(value, field, ids: dict):
    if isinstance(field, Ref):
        if isinstance(value, list):
            return list(dict.fromkeys(ids.get(v, v) for v in value))
        return ids.get(value, value)
    if isinstance(field, Evidence):
        return [_renamed(q, QUOTE, ids) if isinstance(q, dict) else q for q in value]
    if isinstance(field, ListOf):
        return [_renamed(v, field.item, ids) for v in _list(value)]
    if isinstance(field, (Mapping, TimeOf)) and isinstance(value, dict):
        return {k: _renamed(v, field.spec.get(k), ids) for k, v in value.items()}
    return value


def _joined(*notes) -> str:
    return "; ".join(n for n in notes if n)


def _ordered(sheet: dict) -> dict:
    """The sections in the fact sheet's order, the article first."""
    out = {"article": sheet["article"]} if "article" in sheet else {}
    out.update({name: sheet[name] for name in SECTIONS_SCHEMA if sheet.get(name)})
    return out
