"""The fact sheet's one schema: its article section and its sections of entries, each field
with its type, whether it must be given, what it means, and, for a reference, the kinds of
entry it may name, whether that entry must be named in the quotes, and its RDF property.

The loader (kg.factsheet.load), the checks (kg.factsheet.checks), the graph (kg.graph), the
JSON Schema and the field reference (kg.factsheet.describe) all read this declaration."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kg.factsheet.fields import (
    Bool,
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
from kg.factsheet.parts import AMOUNT, EVIDENCE, QUANTITY, ROLE, time_field
from kg.factsheet.scalars import Date
from kg.factsheet.values import AmountValue, ListOf, Mapping, QuantityValue, RoleOf, TimeOf
from kg.factsheet.vocabulary import (
    AGREEMENT_STATUSES,
    AGREEMENT_TYPES,
    CLAUSE_TYPES,
    CONDITIONS,
    EVENT_TYPES,
    INSTRUMENTS,
    ORGANIZATION_TYPES,
    RENAMED,
)
from kg.namespaces import KGO, SCHEMA


@dataclass(frozen=True)
class Section:
    """A section of the fact sheet: a list of entries of one kind, each a mapping of fields."""

    name: str
    kind: str  # the kind of resource its entries become (one IRI path segment)
    doc: str
    fields: dict[str, Field]

    def entry(self) -> Mapping:
        return Mapping(self.fields, self.doc, renamed=RENAMED)

    def links(self) -> list[tuple[str, Ref]]:
        """The entry's own reference fields, in order, with the entries they may name."""
        return [(name, f) for name, f in self.fields.items() if isinstance(f, Ref)]


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


def _values(what: str) -> dict[str, Field]:
    return {
        "amounts": ListOf(AMOUNT, f"Sums of money the article gives for the {what}, each with "
                          "its qualifier and role."),
        "quantities": ListOf(QUANTITY, f"Numbers with a unit the article gives for the {what} "
                             "(shares, gigawatts, years, counts)."),
    }


def _span(what: str) -> dict[str, Field]:
    return {"starts": time_field(f"When the {what} takes effect or begins ('from 2027')."),
            "ends": time_field(f"When the {what} ends or runs through ('through 2030').")}


def _lifecycle(what: str) -> dict[str, Field]:
    """How an agreement or clause changes another, which may be declared in another article."""
    return {
        "extends": Ref(what, f"The id of an earlier {what} whose term or scope this one "
                       "extends; it stays in force.", named=False, property=KGO + "extends"),
        "terminates": Refs(("clause", "agreement"), f"The ids of the clauses and agreements "
                           f"this {what} brings to an end.", named=False,
                           property=KGO + "terminates", inverse=KGO + "endedBy"),
    }


def _deal(what: str) -> dict[str, Field]:
    """Who buys and who sells, in an agreement or a clause."""
    return {
        "buyer": _org1(f"The id of the organization that buys under the {what} (the acquirer, "
                       "the purchaser of compute).", KGO + "buyer"),
        "seller": _org1(f"The id of the organization that sells or supplies under the {what}.",
                        KGO + "seller"),
    }


def _org1(doc: str, property: str) -> Ref:
    return Ref("organization", doc, named=True, property=property)


SECTIONS_SCHEMA: dict[str, Section] = {s.name: s for s in (
    Section("organizations", "organization", "Companies, publishers, government bodies and "
            "other organizations the article names, and the unnamed groups it cites.", {
                **_common("organization"), **_named("organization"),
                "type": OneOf(ORGANIZATION_TYPES, "The kind of organization (its class in the "
                              "ontology): Company, GovernmentBody, Regulator, NewsOrganization, "
                              "or Group for an unnamed or generic group ('people familiar with "
                              "the matter', 'investors', 'Big Tech'), which is no "
                              "kgo:Organization."),
                "parent": Ref("organization", "The id of the parent organization ('Alphabet's "
                              "Google'; a unit's company).", named=True,
                              property=SCHEMA + "parentOrganization",
                              inverse=SCHEMA + "subOrganization"),
                "former_names": Texts("Names the organization had before it was renamed "
                                      "(kgo:formerName)."),
                **_values("organization"),
                "evidence": EVIDENCE}),
    Section("people", "person", "People the article names, with the roles it gives them.", {
        **_common("person"), **_named("person"),
        "roles": ListOf(ROLE, "The person's positions in organizations that the article "
                        "gives."),
        **_values("person"),
        "evidence": EVIDENCE}),
    Section("products", "product", "Products, services and technologies the article names.", {
        **_common("product"), **_named("product"),
        "owner": Ref("organization", "The id of the organization that makes or owns the "
                     "product.", named=True,
                     property=SCHEMA + "manufacturer"),
        **_values("product"),
        "evidence": EVIDENCE}),
    Section("agreements", "agreement", "Deals: partnerships, joint ventures, hiring deals, "
            "acquisitions and mergers, investments, supply and purchase agreements, financing "
            "rounds, each with its status.", {
                **_common("agreement"),
                "type": OneOf(AGREEMENT_TYPES, "The kind of agreement (its class in the "
                              "ontology); the parties of a JointVenture are also its members. "
                              "An offer to acquire is an Acquisition with status Proposed.",
                              required=True),
                "status": OneOf(AGREEMENT_STATUSES, "Where the agreement stands, as the "
                                "article says: Talks (reported talks), Proposed (an offer, a "
                                "plan), NonBinding (a letter of intent, memorandum of "
                                "understanding or term sheet), Definitive (signed), Completed "
                                "(closed), Rejected, Terminated or Blocked.",
                                property=KGO + "status"),
                "instrument": OneOf(INSTRUMENTS, "The document the agreement is: a letter of "
                                    "intent, memorandum of understanding, term sheet or "
                                    "contract.", property=KGO + "instrument"),
                "binding": Bool("Whether the agreement binds its parties ('non-binding' is "
                                "false).", property=KGO + "binding"),
                "parties": Refs(("organization", "person"), "The ids of the organizations (and "
                                "people, in a hiring) that are party to the agreement, at least "
                                "two.", named=True, property=KGO + "hasParty", min_items=2,
                                too_few="an agreement has at least two parties", required=True),
                **_deal("agreement"),
                "target": _org1("The id of the organization acquired or invested in.",
                                KGO + "target"),
                "approved_by": _org("The ids of organizations, not parties, whose approval the "
                                    "article says the agreement has.",
                                    property=KGO + "approvedBy"),
                "hires": Refs("person", "The ids of the people the agreement hires.",
                              named=True, property=KGO + "hires"),
                "part_of": Ref("agreement", "The id of a larger agreement or venture this one "
                               "is part of.", named=False, property=KGO + "partOf",
                               inverse=KGO + "hasPart"),
                "amends": Ref("agreement", "The id of an earlier agreement this one amends or "
                              "builds on.", named=False, property=KGO + "amends"),
                "supersedes": Ref("agreement", "The id of an earlier agreement or offer this "
                                  "one replaces (not itself).", named=False,
                                  property=KGO + "supersedes", inverse=KGO + "supersededBy"),
                **_lifecycle("agreement"),
                **_span("agreement"),
                **_values("agreement"),
                "evidence": EVIDENCE}),
    Section("clauses", "clause", "Terms of an agreement: rights, exclusivities, revenue "
            "shares, equity stakes, prices, purchase and capacity commitments, warrants, "
            "licences, fees, governance, conditions and covenants.", {
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
                "holder": _org1("The id of the organization that holds the stake, warrant, "
                                "right or seat.", KGO + "holder"),
                "issuer": _org1("The id of the organization whose shares or equity the clause "
                                "is about.", KGO + "issuer"),
                **_deal("clause"),
                "voting": Bool("Whether the stake or shares carry votes ('no voting power' is "
                               "false).", property=KGO + "voting"),
                "condition": OneOf(CONDITIONS, "With type Condition, the kind of condition or "
                                   "trigger: RegulatoryApproval, CustomaryConditions, "
                                   "ExpertVerification, Milestone (vesting, deployment), "
                                   "PriceTarget, Deadline or Other.",
                                   property=KGO + "conditionKind"),
                "subject_to": Refs("clause", "The ids of the Condition clauses this clause "
                                   "depends on.", named=False, property=KGO + "subjectTo"),
                "supersedes": Ref("clause", "The id of an earlier clause this one replaces (not "
                                  "itself).",
                                  named=False, property=KGO + "supersedes",
                                  inverse=KGO + "supersededBy"),
                "amends": Ref("clause", "The id of an earlier clause this one amends; it stays "
                              "in force as amended.", named=False, property=KGO + "amends"),
                **_lifecycle("clause"),
                **_span("clause"),
                **_values("clause"),
                "evidence": EVIDENCE}),
    Section("events", "event", "What happened, or is planned: announcements, agreements made, "
            "offers and rejections, closings, hirings and departures, statements and reports, "
            "filings, results, market moves, lawsuits and more.", {
                **_common("event"),
                "type": OneOf(EVENT_TYPES, "The kind of event (its class in the ontology).",
                              required=True),
                "planned": Bool("true when the event is expected or planned, not yet happened.",
                                property=KGO + "planned"),
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
                "begins": Refs(("clause", "agreement"), "The ids of the clauses and agreements "
                               "that take effect with this event (the right that a change "
                               "creates).", named=False, property=KGO + "begins",
                               inverse=KGO + "startedBy"),
                "terminates": Refs(("clause", "agreement"), "The ids of the clauses and "
                                   "agreements that this event ends (the exclusivity a change "
                                   "removes).", named=False, property=KGO + "terminates",
                                   inverse=KGO + "endedBy"),
                "time": time_field("When the event happened, or is to happen."),
                **_values("event"),
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
    return list(_links(kind))


def written(kind: str) -> list[str]:
    """The fields of entries of one kind whose values carry words that must be quoted."""
    return list(_written(kind))


# The schema is fixed once imported, and both are asked for each entry of each fact sheet.
@functools.cache
def _links(kind: str) -> tuple[tuple[str, Ref], ...]:
    return tuple(SECTION_OF_KIND[kind].links())


@functools.cache
def _written(kind: str) -> tuple[str, ...]:
    return tuple(name for name, f in SECTION_OF_KIND[kind].fields.items()
                 if isinstance(f, TimeOf) or (isinstance(f, ListOf)
                                              and isinstance(f.item, (AmountValue, QuantityValue,
                                                                      RoleOf))))


def valued(kind: str) -> list[tuple[str, OneOf | Bool]]:
    """The fields of entries of one kind that the graph writes as a kgo term or a boolean."""
    return [(name, f) for name, f in SECTION_OF_KIND[kind].fields.items()
            if isinstance(f, (OneOf, Bool)) and f.property]
