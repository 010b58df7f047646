"""The example fact sheet examples/hsj-2025-09-12-microsoft-openai-memorandum.yaml: the key facts
of the article, asked of its built graph by SPARQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from example_support import ask as example_ask
from example_support import select

SLUG = "hsj-2025-09-12-microsoft-openai-memorandum"

PROVENANCE = f"<https://kg.example.org/graph/{SLUG}/provenance>"
FACTS = f"<https://kg.example.org/graph/{SLUG}/facts>"


@pytest.fixture(scope="module")
def store(example_store):
    return example_store(SLUG)


def ask(store, body: str) -> bool:
    """Whether the graph pattern `body` matches."""
    return example_ask(store, "ASK {" + body + "}")


def test_memorandum_is_non_binding_and_amends_the_partnership(store):
    assert ask(store, """
        agreement:microsoft-openai-mou a kgo:Partnership, kgo:Agreement ;
            kgo:status kgo:NonBinding ;
            kgo:instrument kgo:MemorandumOfUnderstanding ;
            kgo:binding false ;
            kgo:amends agreement:microsoft-openai-partnership ;
            kgo:hasParty organization:microsoft, organization:openai .
    """)
    assert not ask(store, "agreement:microsoft-openai-mou kgo:binding true")
    # The definitive agreement is still being negotiated, and builds on the memorandum.
    assert ask(store, """
        agreement:microsoft-openai-definitive-agreement kgo:status kgo:Talks ;
            kgo:amends agreement:microsoft-openai-mou .
        event:definitive-agreement-signing kgo:planned true ;
            kgo:establishes agreement:microsoft-openai-definitive-agreement .
    """)


def test_nonprofit_equity_stake_would_exceed_100_billion(store):
    rows = select(store, """
        SELECT ?x WHERE {
            clause:nonprofit-equity-stake a kgo:EquityStake ;
                kgo:holder organization:openai-nonprofit ;
                kgo:issuer organization:openai-pbc ;
                kgo:hasMonetaryAmount ?a .
            ?a schema:minValue ?x ; schema:currency "USD" ;
                kgo:qualifier kgo:MoreThan ; kgo:amountRole kgo:ValuationAmount .
            FILTER NOT EXISTS { ?a schema:value ?v }
            FILTER NOT EXISTS { ?a schema:maxValue ?m }
        }""")
    assert [Decimal(v) for v in rows] == [Decimal("100000000000")]
    # ... about a fifth of the roughly $500 billion valuation OpenAI is seeking.
    ratio = select(store, """
        SELECT ?x WHERE {
            clause:nonprofit-equity-stake kgo:hasQuantity ?q .
            ?q schema:value ?x ; kgo:approximate true ; kgo:qualifier kgo:About ;
               schema:unitCode "C62" ; kgo:of organization:openai .
        }""")
    assert [Decimal(v) for v in ratio] == [Decimal("0.2")]
    valuation = select(store, """
        SELECT ?x WHERE {
            event:openai-valuation-sought kgo:hasMonetaryAmount ?a .
            ?a schema:value ?x ; kgo:qualifier kgo:About ; kgo:amountRole kgo:ValuationAmount .
        }""")
    assert [Decimal(v) for v in valuation] == [Decimal("500000000000")]


def test_nonprofit_controls_the_public_benefit_corporation(store):
    assert ask(store, """
        organization:openai-pbc schema:parentOrganization organization:openai-nonprofit .
        organization:openai schema:parentOrganization organization:openai-nonprofit .
        organization:openai-nonprofit schema:subOrganization organization:openai-pbc .
        clause:nonprofit-control a kgo:Governance ;
            kgo:holder organization:openai-nonprofit .
        agreement:openai-restructuring kgo:hasClause clause:nonprofit-control,
            clause:nonprofit-equity-stake, clause:microsoft-restructuring-approval ;
            kgo:status kgo:Proposed .
        clause:microsoft-restructuring-approval a kgo:Condition ;
            kgo:grantsRightTo organization:microsoft .
    """)


def test_softbank_round_is_up_to_40_billion_with_a_deadline(store):
    rows = select(store, """
        SELECT ?x WHERE {
            agreement:softbank-openai-funding-round a kgo:FinancingRound ;
                kgo:hasParty organization:softbank, organization:openai ;
                kgo:hasMonetaryAmount ?a .
            ?a schema:maxValue ?x ; kgo:qualifier kgo:UpTo ; kgo:amountRole kgo:FundingAmount .
            FILTER NOT EXISTS { ?a schema:value ?v }
        }""")
    assert [Decimal(v) for v in rows] == [Decimal("40000000000")]
    # SoftBank can cut its contribution to $20 billion if the restructuring misses the end of
    # the year: a Deadline condition, ending by 2025.
    cut = select(store, """
        SELECT ?x WHERE {
            clause:softbank-contribution-cut kgo:subjectTo clause:softbank-restructuring-deadline ;
                kgo:grantsRightTo organization:softbank ;
                kgo:hasMonetaryAmount/schema:value ?x .
            clause:softbank-restructuring-deadline a kgo:Condition ;
                kgo:conditionKind kgo:Deadline .
        }""")
    assert [Decimal(v) for v in cut] == [Decimal("20000000000")]
    assert select(store, """
        SELECT ?x WHERE {
            clause:softbank-restructuring-deadline kgo:endsAt/time:hasEnd/time:inXSDgYear ?x .
        }""") == ["2025"]


def test_revenue_share_is_about_20_percent_of_openai_revenue(store):
    rows = select(store, """
        SELECT ?x WHERE {
            clause:revenue-sharing a kgo:RevenueShare ; kgo:hasQuantity ?q .
            ?q schema:value ?x ; kgo:approximate true ; kgo:qualifier kgo:About ;
               schema:unitCode "P1" ; kgo:of organization:openai ; kgo:measure "revenue" ;
               kgo:shareRecipient organization:microsoft .
        }""")
    assert [Decimal(v) for v in rows] == [Decimal("20")]
    # ... expected to shrink to about 8% by 2030, and to save more than $50 billion.
    rows = select(store, """
        SELECT ?x WHERE {
            event:revenue-share-reduction kgo:planned true ; kgo:hasQuantity ?q ;
                kgo:hasMonetaryAmount ?a ;
                time:hasTime/time:hasEnd/time:inXSDgYear "2030"^^xsd:gYear .
            ?q schema:value ?x ; kgo:shareRecipient organization:openai-commercial-partners .
            ?a schema:minValue ?saved ; kgo:amountRole kgo:SavingsAmount .
            FILTER(?saved = 50000000000)
        }""")
    assert [Decimal(v) for v in rows] == [Decimal("8")]


def test_core_terms_run_through_2030_and_exclusivity_gave_way_to_rofr(store):
    for clause in ("api-exclusivity", "microsoft-ip-access", "revenue-sharing"):
        assert select(store, f"""
            SELECT ?x WHERE {{ clause:{clause} kgo:endsAt/time:inXSDgYear ?x }}""") == ["2030"]
    assert ask(store, """
        clause:microsoft-ip-access a kgo:LicenceRights .
        clause:right-of-first-refusal-on-new-capacity
            kgo:supersedes clause:azure-compute-exclusivity .
        clause:azure-compute-exclusivity
            kgo:supersededBy clause:right-of-first-refusal-on-new-capacity ;
            kgo:endsAt/time:inXSDgYearMonth "2025-01"^^xsd:gYearMonth .
        clause:api-exclusivity kgo:covers <https://kg.example.org/id/product/azure> .
    """)
    # Microsoft's investment: more than $13 billion since 2019.
    rows = select(store, """
        SELECT ?x WHERE {
            agreement:microsoft-openai-investment a kgo:Investment ;
                kgo:startsAt/time:inXSDgYear "2019"^^xsd:gYear ;
                kgo:hasMonetaryAmount ?a .
            ?a schema:minValue ?x ; kgo:amountRole kgo:InvestmentAmount .
        }""")
    assert [Decimal(v) for v in rows] == [Decimal("13000000000")]


def test_taylor_quote_is_attributed_to_him(store):
    exact = select(store, f"""
        SELECT ?x WHERE {{
            GRAPH {PROVENANCE} {{
                ?annotation a oa:Annotation ;
                    oa:hasBody event:taylor-statement ;
                    kgo:attributedTo person:bret-taylor ;
                    oa:hasTarget/oa:hasSelector ?selector .
                ?selector a oa:TextQuoteSelector ; oa:exact ?x .
            }}
        }}""")
    assert '"This new equity stake would exceed $100 billion," Taylor said' in exact
    assert len(exact) == 3
    assert ask(store, f"""
        GRAPH {FACTS} {{
            event:taylor-statement a kgo:Statement ;
                kgo:hasParticipant person:bret-taylor ;
                time:hasTime/time:inXSDDate "2025-09-11"^^xsd:date .
            ?m org:member person:bret-taylor ; org:organization organization:openai .
        }}""")


def test_reported_claims_carry_their_sources(store):
    def sources(entry: str) -> list[str]:
        return select(store, f"""
            SELECT DISTINCT ?x WHERE {{
                ?a oa:hasBody {entry} ; kgo:assertionStatus kgo:Reported ; kgo:attributedTo ?x .
            }}""")
    org = "https://kg.example.org/id/organization/"
    assert sources("event:revenue-share-reduction") == [org + "the-information"]
    assert sources("clause:softbank-contribution-cut") == [org + "earlier-reports"]
    # "Still unresolved, reportedly": reported, but by no one the article names.
    assert ask(store, """
        ?a oa:hasBody clause:agi-escape-clause ; kgo:assertionStatus kgo:Reported .
        FILTER NOT EXISTS { ?a kgo:attributedTo ?who }
    """)


def test_organization_types_and_events(store):
    assert ask(store, """
        organization:openai-regulators a kgo:Group .
        organization:earlier-reports a kgo:Group .
        organization:the-information a kgo:NewsOrganization .
        organization:harbor-street-journal a kgo:NewsOrganization .
        organization:california-attorney-general a kgo:GovernmentBody .
        organization:delaware-attorney-general a kgo:GovernmentBody .
        event:musk-lawsuit a kgo:LegalAction ; kgo:hasParticipant person:elon-musk .
        event:earlier-plan-dropped time:hasTime/time:inXSDgYearMonth "2025-05"^^xsd:gYearMonth .
        event:mou-announcement time:hasTime/time:inXSDDate "2025-09-11"^^xsd:date .
        event:conversion-completion kgo:planned true .
    """)
    assert not ask(store, "organization:openai-regulators a kgo:Organization")
