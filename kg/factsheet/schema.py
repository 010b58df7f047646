"""The fact sheet's one schema: its article section and its sections of entries, each field
with its type, whether it must be given, what it means, and, for a reference, the kinds of
entry it may name, whether that entry must be named in the quotes, and its RDF property.

The loader (kg.factsheet.load), the checks (kg.factsheet.checks), the graph (kg.graph), the
JSON Schema and the field reference (kg.factsheet.describe) all read this declaration."""

from __future__ import annotations

from dataclasses import dataclass

from kg.factsheet.fields import (
    Bool,
    Currency,
    Field,
    Language,
    OneOf,
    Ref,
    Refs,
    Slug,
    Text,
    Texts,
    WebAddress,
    Wikidata,
)
from kg.factsheet.scalars import Date, Decimal, Month, Year
from kg.factsheet.values import (
    SHARE_UNITS,
    AmountValue,
    Evidence,
    ListOf,
    Mapping,
    RoleOf,
    ShareValue,
    TimeOf,
)
from kg.namespaces import KGO, ORG, SCHEMA

AGREEMENT_TYPES = ("Partnership", "JointVenture", "HiringDeal")
CLAUSE_TYPES = ("RightOfFirstRefusal", "Exclusivity", "RevenueShare", "EscapeClause",
                "Permission", "TermClause")
EVENT_TYPES = ("Announcement", "AgreementFormation", "Hiring", "LeadershipChange",
               "RelationshipChange", "Reaction", "Deliberation")


@dataclass(frozen=True)
class Section:
    """A section of the fact sheet: a list of entries of one kind, each a mapping of fields."""

    name: str
    kind: str  # the kind of resource its entries become (one IRI path segment)
    doc: str
    fields: dict[str, Field]

    def entry(self) -> Mapping:
        return Mapping(self.fields, self.doc)

    def links(self) -> list[tuple[str, Ref]]:
        """The entry's own reference fields, in order, with the entries they may name."""
        return [(name, f) for name, f in self.fields.items() if isinstance(f, Ref)]


# ---------------------------------------------------------------- values written in quotes

QUOTE = Mapping({
    "quote": Text("The words of the article, copied exactly; straight or curly quotation "
                  "marks and any spacing match. At least three words.", required=True),
    "reported": Bool("true when the entry rests on a claim the article reports (the quote "
                     "says 'reported', 'reportedly' or 'according to'); false when the quote, "
                     "though it has such words, states the entry plainly. Required when the "
                     "quote has reporting words."),
    "source": Ref("organization", "The id of the organization the article names as the one "
                  "who reported or said it (a newspaper, or a party to the deal).",
                  named=False, property=KGO + "attributedTo"),
}, "A quote with what kind of claim it carries.")

EVIDENCE = Evidence(QUOTE, "The quotes from the article that say what this entry asserts: one "
                    "or more, each a text or a mapping with quote, reported and source. Every "
                    "entry linked from this one (where it must be named) and every value "
                    "written here must stand in one of them.", required=True)

AMOUNT = AmountValue({
    "value": Decimal("The amount as a plain number, in units of the currency (650000000 for "
                     "$650 million): at most 30 digits before the decimal point and 10 after "
                     "it, as written out in the graph (so 6.5e8 is fine, 1e31 is not).",
                     minimum=0, below="an amount cannot be negative "
                     "({value})", required=True),
    "currency": Currency("The ISO 4217 code of the currency, such as USD or EUR.",
                         required=True),
    "text": Text("The amount as the article writes it, such as '$650 million'; it must stand "
                 "in one of the entry's quotes.", required=True),
    "description": Text("What the amount is the amount of, in your own words."),
}, "A sum of money the article gives, as a schema:MonetaryAmount.")

SHARE = ShareValue({
    "value": Decimal("The share as a number: 0 to 100 in percent, 0 to 1 as a ratio; at "
                     "most 10 digits after the decimal point.",
                     required=True),
    "unit": OneOf(SHARE_UNITS, "The unit of the value: percent or ratio.", required=True),
    "text": Text("The share as the article writes it, such as '20 percent'; it must stand in "
                 "one of the entry's quotes.", required=True),
    "recipient": Ref("organization", "The id of the organization that receives the share.",
                     named=False, property=KGO + "shareRecipient"),
    "of": Ref("organization", "The id of the organization whose revenue (or other whole) the "
              "share is taken of.", named=False, property=KGO + "shareOf"),
}, "A proportion the article gives, as a schema:QuantitativeValue.")


def _time(doc: str, required: bool = False) -> TimeOf:
    return TimeOf({
        "date": Date("The day, written YYYY-MM-DD, when the words name a day."),
        "month": Month("The month, written YYYY-MM, when the words name a month but no day."),
        "year": Year("The year, written YYYY, when the words name only a year."),
        "text": Text("The words of the article that give the time, such as 'back in June'; "
                     "they must stand in one of the entry's quotes.", required=True),
        "relative": Bool("true when the words are relative to the publication date (a "
                         "weekday, a month without its year, 'today' or 'now'): kg checks the "
                         "date, month or year against that date."),
    }, doc + " Give exactly one of date, month or year, as precise as the words and no more.",
        required=required)


ROLE = RoleOf({
    "organization": Ref("organization", "The id of the organization the person holds the role "
                        "in.", named=False, property=ORG + "organization", required=True),
    "title": Text("The role's title in plain words, such as 'chief executive officer'; people "
                  "with the same title share one org:Role.", required=True),
    "text": Text("The words of the article that give the role, such as 'OpenAI CEO Sam "
                 "Altman'; they must stand in one of the person's quotes.", required=True),
    "head": Bool("true when the role makes the person the head of the organization "
                 "(org:headOf), as a chief executive is."),
}, "A position the person holds, as an org:Membership.")

# ---------------------------------------------------------------- sections


def _common(what: str) -> dict[str, Field]:
    return {
        "id": Slug(f"The {what}'s id: lowercase letters, digits and single hyphens, unique in "
                   "the fact sheet. It names the entry's IRI, and other entries refer to it by "
                   "this id.", required=True),
        "name": Text(f"The {what}'s name as the article gives it (rdfs:label and schema:name).",
                     required=True),
        "description": Text(f"A short description of the {what} in your own words "
                            "(schema:description); it is not checked against the article."),
    }


def _named(what: str) -> dict[str, Field]:
    return {
        "aliases": Texts(f"Other names the article uses for the {what} (schema:alternateName); "
                         "a link to it is backed by a quote that holds any of its names."),
        "wikidata": Wikidata(f"The Wikidata item of the {what}, such as Q2283 (owl:sameAs)."),
    }


def _org(doc: str, **kw) -> Refs:
    """Ids of organizations, each named in the entry's quotes."""
    return Refs("organization", doc, named=True, **kw)


SECTIONS_SCHEMA: dict[str, Section] = {s.name: s for s in (
    Section("organizations", "organization", "Companies, publishers and other organizations "
            "the article names.", {
                **_common("organization"), **_named("organization"),
                "evidence": EVIDENCE}),
    Section("people", "person", "People the article names, with the roles it gives them.", {
        **_common("person"), **_named("person"),
        "roles": ListOf(ROLE, "The person's positions in organizations that the article "
                        "gives."),
        "evidence": EVIDENCE}),
    Section("products", "product", "Products, services and technologies the article names.", {
        **_common("product"), **_named("product"),
        "owner": Ref("organization", "The id of the organization that makes or owns the "
                     "product.", named=True,
                     property=SCHEMA + "manufacturer"),
        "evidence": EVIDENCE}),
    Section("agreements", "agreement", "Deals between organizations: partnerships, joint "
            "ventures and hiring deals.", {
                **_common("agreement"),
                "type": OneOf(AGREEMENT_TYPES, "The kind of agreement (its class in the "
                              "ontology); the parties of a JointVenture are also its members.",
                              required=True),
                "parties": _org("The ids of the organizations that are party to the agreement, "
                                "at least two.",
                                property=KGO + "hasParty", min_items=2,
                                too_few="an agreement has at least two parties", required=True),
                "approved_by": _org("The ids of organizations, not parties, whose approval the "
                                    "article says the agreement has.",
                                    property=KGO + "approvedBy"),
                "hires": Refs("person", "The ids of the people the agreement hires.",
                              named=True, property=KGO + "hires"),
                "amount": AMOUNT,
                "ends": _time("When the agreement ends or runs through."),
                "evidence": EVIDENCE}),
    Section("clauses", "clause", "Terms of an agreement: rights, exclusivities, revenue shares, "
            "escape clauses, permissions and terms.", {
                **_common("clause"),
                "type": OneOf(CLAUSE_TYPES, "The kind of clause (its class in the ontology).",
                              required=True),
                "agreement": Ref("agreement", "The id of the agreement the clause belongs to.",
                                 named=False,
                                 inverse=KGO + "hasClause", required=True),
                "grants_right_to": _org("The ids of the organizations the clause gives a right "
                                        "to.",
                                        property=KGO + "grantsRightTo"),
                "obligates": _org("The ids of the organizations the clause binds.",
                                  property=KGO + "obligates"),
                "covers": Refs("product", "The ids of the products the clause is about.",
                               named=True, property=KGO + "covers"),
                "supersedes": Ref("clause", "The id of an earlier clause this one replaces (not "
                                  "itself).",
                                  named=False, property=KGO + "supersedes",
                                  inverse=KGO + "supersededBy"),
                "share": SHARE,
                "amount": AMOUNT,
                "ends": _time("When the clause ends or runs through."),
                "evidence": EVIDENCE}),
    Section("events", "event", "What happened: announcements, agreements made, hirings, "
            "leadership and relationship changes, reactions and deliberations.", {
                **_common("event"),
                "type": OneOf(EVENT_TYPES, "The kind of event (its class in the ontology).",
                              required=True),
                "participants": Refs(("organization", "person"), "The ids of the organizations "
                                     "and people that take part.", named=True,
                                     property=KGO + "hasParticipant"),
                "concerns": Ref("agreement", "The id of the agreement the event is about.",
                                named=False, property=KGO + "concerns"),
                "establishes": Ref("agreement", "The id of the agreement the event makes; it "
                                   "is also written as concerns, so plain queries need no "
                                   "inference.", named=False,
                                   property=(KGO + "establishes", KGO + "concerns")),
                "precedes": Refs("event", "The ids of events that come after this one.",
                                 named=False, property=KGO + "precedes"),
                "caused_by": Ref("event", "The id of the event that led to this one.",
                                 named=False, property=KGO + "causedBy"),
                "time": _time("When the event happened."),
                "evidence": EVIDENCE}),
)}

ARTICLE = Mapping({
    "title": Text("The article's headline; it must stand in the article's text.",
                  required=True),
    "published": Date("The day the article was published, YYYY-MM-DD; relative times (a "
                      "weekday, 'back in June', 'now') are read against it.", required=True),
    "language": Language("The language of the article as a BCP 47 tag, such as en or en-GB.",
                         required=True),
    "publisher": Ref("organization", "The id of the organization that published the article, "
                     "an entry of organizations.", named=False, property=SCHEMA + "publisher"),
    "authors": Refs("person", "The ids of the article's authors, entries of people.",
                    named=False, property=SCHEMA + "author"),
    "url": WebAddress("Where the article was published on the web (schema:url): an "
                      "absolute http or https IRI, such as https://www.theverge.com/…; other "
                      "schemes (javascript:, data:, file:) and relative references are "
                      "refused."),
}, "What the article is: its title, publication date and language, who published and wrote "
   "it. The article's text is the .txt file beside the fact sheet.", required=True)

# Section of the fact sheet -> the kind of resource its entries become.
SECTIONS = {name: s.kind for name, s in SECTIONS_SCHEMA.items()}
SECTION_OF_KIND = {s.kind: s for s in SECTIONS_SCHEMA.values()}


def links(kind: str) -> list[tuple[str, Ref]]:
    """The reference fields of entries of one kind (organization, ..., event)."""
    return SECTION_OF_KIND[kind].links()


def written(kind: str) -> list[str]:
    """The fields of entries of one kind whose values carry words that must be quoted."""
    return [name for name, f in SECTION_OF_KIND[kind].fields.items()
            if isinstance(f, (AmountValue, ShareValue, TimeOf))
            or (isinstance(f, ListOf) and isinstance(f.item, RoleOf))]
