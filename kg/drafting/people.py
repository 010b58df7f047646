"""People as news names them: authors in the byline, a picture's credit, a family name standing
alone after the full name, and roles written beside the name ("Acme CEO Ann Lee", "Ann Lee,
Acme's chief executive")."""

from __future__ import annotations

import re

from kg.drafting.lexicon import TITLE, TITLES
from kg.drafting.text import Layout


def byline(page: Layout, at: int, ents) -> None:
    """The byline's authors are people, its publisher a news organization."""
    line = page.byline.line
    for name in page.byline.authors:
        start = at + line.find(name)
        ents.add("person", name, (start, start + len(name)), "the byline")
    if page.byline.publisher:
        name = page.byline.publisher
        start = at + line.find(name)
        ents.add("organization", name, (start, start + len(name)), "the byline").news = True


def credits(text: str, ents) -> None:
    """'Image: Ann Lee / The Daily': a picture's credit names a person and an organization."""
    for m in re.finditer(r"(?m)^(?:Image|Photo|Illustration|Photograph)(?: by)?:\s*"
                         r"([A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+){1,2})\s*/\s*([^\n]+?)\s*$", text):
        found = ents.lookup(m.group(1))
        if found is not None and found.kind != "person":
            del ents.by_name[found.name.lower()]
        ents.add("person", m.group(1), m.span(1), "a picture's credit")
        if ents.lookup(m.group(2)) is None:
            ents.add("organization", m.group(2), m.span(2), "a picture's credit")


def family_names(text: str, ents) -> None:
    """A person's family name alone later on ("Altman") is an alias of the person, unless two
    people share it or the corpus knows the word as another entity."""
    people = [f for f in ents.all() if f.kind == "person" and len(f.name.split()) > 1]
    families = [p.name.split()[-1] for p in people]
    for person, family in zip(people, families):
        if families.count(family) > 1:
            continue
        other = ents.by_name.get(family.lower())
        if other is not None and other is not person:
            if other.key and other.kind != "person":
                continue  # the corpus knows the word as something else
            # A corpus person known by this family name alone is this article's person.
            person.mentions += [m for m in other.mentions if m not in person.mentions]
            del ents.by_name[family.lower()]
        alone = [m for m in re.finditer(r"(?<![\w-])" + re.escape(family) + r"(?![\w-])", text)
                 if text[max(0, m.start() - len(person.name) + len(family)):m.end()]
                 != person.name]
        for m in alone:
            if (m.start(), m.end()) not in person.mentions:
                person.mentions.append((m.start(), m.end()))
        if alone and family not in person.aliases:
            person.aliases.append(family)


_BEFORE = re.compile(r"(?:’s|'s)?\s+((?:interim\s+|former\s+)?(?:" + TITLE.pattern[3:-3]
                     + r"))\s*,?\s*$", re.IGNORECASE)


def _title_before(text: str, ents, start: int):
    """'Acme CEO Ann Lee': an organization's mention, then a title, then the name."""
    for org in ents.all():
        if org.kind != "organization":
            continue
        for a, b in org.mentions:
            if start - 60 <= b <= start and (m := _BEFORE.fullmatch(text, b, start)):
                return org, m.group(1), text[a:start].strip().rstrip(",")
    return None


def roles(page: Layout, ents) -> None:
    """Roles written next to a person's name: 'Acme CEO Ann Lee', 'Ann Lee, Acme's chief
    executive', 'Chief Executive Ann Lee' (of the organization named just before)."""
    text = page.text
    for person in [f for f in ents.all() if f.kind == "person"]:
        for start, end in sorted(person.mentions):
            after = text[end:end + 80]
            role = _title_before(text, ents, start)
            if role is None:
                m = re.match(r",\s+(?:the\s+)?(?:([A-Z][\w&. -]*?)(?:’s|'s)\s+)?((?:interim\s+|"
                             r"former\s+)?(?:" + TITLE.pattern[3:-3] + r"))(?:\s+of\s+"
                             r"([A-Z][\w&. -]*\w))?", after, re.IGNORECASE)
                if m and (m.group(1) or m.group(3)):
                    org = ents.lookup((m.group(1) or m.group(3)).strip())
                    if org is not None and org.kind == "organization":
                        role = (org, m.group(2), after[m.start(2) if not m.group(1)
                                                       else m.start(1):m.end()].strip())
            if role is None:
                continue
            org, title, words = role
            key = TITLE.search(title).group(1).lower()
            fact_title, head = TITLES.get(key, (key, False))
            if any(r["organization"] is org for r in person.roles):
                continue
            entry = {"organization": org, "title": fact_title, "text": words}
            if head:
                entry["head"] = True
            if "former" in title.lower():
                entry["former"] = True
            person.roles.append(entry)


