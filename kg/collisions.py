"""What minted each IRI of a build's values, quotes and role titles: two different inputs that
would make one IRI are refused with both named, the file, line, entry and field of each."""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import InputError


@dataclass(frozen=True)
class Owner:
    """What minted an IRI: an entry's field (or its n-th quote) in one fact sheet."""

    path: str
    line: int
    entry: str
    what: str


class Minted:
    """The IRIs minted for values and quotes, with what minted each: two different inputs that
    would make one IRI (an agreement 'x' that ends and an event 'x-end' that happens; person
    'a-b' in 'c' and person 'a' in 'b-c') are refused with both named."""

    def __init__(self):
        self.owners: dict[str, Owner] = {}
        self.titles: dict[str, tuple[str, str, Owner]] = {}  # role IRI: one title, case aside

    def claim(self, iri: str, owner: Owner) -> None:
        first = self.owners.setdefault(iri, owner)
        if first != owner:
            raise InputError(f"the {owner.what} of this entry would get the IRI <{iri}>, "
                             f"already that of the {first.what} of entry '{first.entry}' "
                             f"({first.path}:{first.line}); rename one of the entries",
                             path=owner.path, line=owner.line, entry=owner.entry,
                             field=owner.what.split(" ")[0])

    def claim_title(self, iri: str, title: str, owner: Owner) -> None:
        """People with the same title share one role; two titles that differ in more than
        case and spacing ('CEO', 'C.E.O.') must not."""
        key = " ".join(title.casefold().split())
        first_key, first_title, first = self.titles.setdefault(iri, (key, title, owner))
        if first_key != key:
            raise InputError(f"the title '{title}' would get the IRI <{iri}>, already that of "
                             f"the title '{first_title}' of entry '{first.entry}' ({first.path}:"
                             f"{first.line}); write the two titles alike, or tell them apart",
                             path=owner.path, line=owner.line, entry=owner.entry,
                             field="roles.title")
