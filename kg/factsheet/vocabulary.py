"""The choices a fact sheet gives by name (kinds of organization, agreement, clause and event;
statuses, instruments, conditions, amount roles), each the local name of a kgo term, and the
kgo classes an entry carries."""

from __future__ import annotations

# Each choice is the local name of a kgo class, or (for the dicts) maps to that of an
# individual: the ontology declares them all, and tests check that it does.
ORGANIZATION_TYPES = ("Company", "GovernmentBody", "Regulator", "NewsOrganization", "Group")
AGREEMENT_TYPES = ("Partnership", "JointVenture", "HiringDeal", "Acquisition", "Investment",
                   "SupplyAgreement", "FinancingRound")
AGREEMENT_STATUSES = ("Talks", "Proposed", "NonBinding", "Definitive", "Completed", "Rejected",
                      "Terminated", "Blocked")
INSTRUMENTS = ("LetterOfIntent", "MemorandumOfUnderstanding", "TermSheet", "Contract")
CLAUSE_TYPES = ("RightOfFirstRefusal", "Exclusivity", "RevenueShare", "EscapeClause",
                "Permission", "TermClause", "EquityStake", "Consideration",
                "PurchaseCommitment", "CapacityCommitment", "Warrant", "LicenceRights",
                "TerminationFee", "Governance", "Condition", "Covenant")
CONDITIONS = {"RegulatoryApproval": "RegulatoryApproval",
              "CustomaryConditions": "CustomaryConditions",
              "ExpertVerification": "ExpertVerification", "Milestone": "Milestone",
              "PriceTarget": "PriceTarget", "Deadline": "Deadline", "Other": "OtherCondition"}
EVENT_TYPES = ("Announcement", "AgreementFormation", "Hiring", "LeadershipChange",
               "RelationshipChange", "Reaction", "Deliberation", "Offer", "Rejection",
               "Negotiation", "Closing", "Statement", "Report", "Founding", "LegalAction",
               "FinancialResult", "MarketMove", "Departure", "Filing")
# The kgo class of each kind of entry, and the superclasses of a type below it.
KIND_CLASS = {"organization": "Organization", "agreement": "Agreement", "clause": "Clause",
              "event": "Event"}
TYPE_SUPERCLASSES = {"Regulator": ("GovernmentBody",), "JointVenture": ("Organization",)}
AMOUNT_ROLES = {role: "".join(w.title() for w in role.split("-")) + "Amount" for role in (
    "price", "valuation", "investment", "commitment", "fee", "revenue", "market-value",
    "profit", "spending", "funding", "backlog", "savings", "other")}
# Keys of an earlier form of the fact sheet, with what replaced them.
RENAMED = {
    "amount": "the key 'amount' is now 'amounts', a list: write 'amounts:' and put the amount "
              "under it as '- value: ...'; each amount may also give qualifier (about, "
              "more-than, ...) and role (price, valuation, ...)",
    "share": "the key 'share' is now 'quantities', a list: write 'quantities:' and the share "
             "under it as '- value: ..., unit: percent, text: ..., of: <id>, recipient: <id>'",
}


def kgo_classes(kind: str, type_name: str | None) -> tuple[str, ...]:
    """The local names of the kgo classes an entry of this kind and type carries: its own and
    every superclass, so that `?x a kgo:Event` finds all events without inference. An
    unnamed group is no organization.

    >>> kgo_classes("organization", "Regulator")
    ('Regulator', 'GovernmentBody', 'Organization')
    """
    if type_name == "Group":
        return ("Group",)
    own = (type_name,) if type_name else ()
    return (*own, *TYPE_SUPERCLASSES.get(type_name, ()), KIND_CLASS[kind])
