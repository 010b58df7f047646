"""The OpenAI–Oracle example (examples/hsj-2025-09-11-oracle-openai-compute-contract): key facts
of the article, asked of its built graph by SPARQL."""

from __future__ import annotations

import pytest

from example_support import PREFIXES, ask, select

SLUG = "hsj-2025-09-11-oracle-openai-compute-contract"
PROVENANCE = f"https://kg.example.org/graph/{SLUG}/provenance"
ORG = "https://kg.example.org/id/organization/"


@pytest.fixture(scope="module")
def store(example_store):
    return example_store(SLUG)


def test_openai_buys_computing_power_from_oracle_under_a_signed_supply_contract(store):
    assert ask(store, """ASK {
        agreement:openai-oracle-compute-contract a kgo:SupplyAgreement, kgo:Agreement ;
            kgo:status kgo:Definitive ;
            kgo:hasParty organization:openai, organization:oracle ;
            kgo:buyer organization:openai ; kgo:seller organization:oracle ;
            kgo:partOf agreement:stargate .
        agreement:stargate a kgo:JointVenture ;
            kgo:hasPart agreement:openai-oracle-compute-contract .
    }""")
    # OpenAI buys, Oracle sells: not the other way round.
    assert select(store, "SELECT ?x { agreement:openai-oracle-compute-contract kgo:buyer ?x }"
                  ) == [ORG + "openai"]
    assert select(store, "SELECT ?x { agreement:openai-oracle-compute-contract kgo:seller ?x }"
                  ) == [ORG + "oracle"]


def test_the_contract_is_worth_about_300_billion_dollars_about_60_billion_a_year(store):
    rows = store.query(PREFIXES + """SELECT ?v ?q ?per {
        agreement:openai-oracle-compute-contract kgo:hasMonetaryAmount ?a .
        ?a schema:value ?v ; schema:currency "USD" ; kgo:qualifier ?q ;
           kgo:amountRole kgo:CommitmentAmount .
        OPTIONAL { ?a kgo:perUnitCode ?per }
    } ORDER BY ?v""", use_default_graph_as_union=True)
    got = [(float(r["v"].value), r["q"].value.rsplit("#", 1)[1],
            r["per"].value if r["per"] else None) for r in rows]
    assert got == [(60000000000.0, "About", "ANN"), (300000000000.0, "About", None)]
    assert ask(store, """ASK {
        agreement:openai-oracle-compute-contract kgo:hasMonetaryAmount ?a .
        ?a schema:value ?v ; kgo:approximate true ; kgo:asWritten "about $300 billion" .
        FILTER(?v = 300000000000)
    }""")


def test_the_term_is_about_five_years_from_2027(store):
    assert ask(store, """ASK {
        agreement:openai-oracle-compute-contract kgo:hasQuantity ?q ;
            kgo:startsAt ?start .
        ?q schema:unitCode "ANN" ; schema:value ?v ; kgo:qualifier kgo:About ;
           kgo:measure "term" .
        FILTER(?v = 5)
        ?start a time:ProperInterval ; time:hasBeginning ?from .
        ?from time:inXSDgYear ?year .
        FILTER(STR(?year) = "2027")
    }""")
    # "from 2027" is an open span: a beginning, no end.
    assert not ask(store, """ASK {
        agreement:openai-oracle-compute-contract kgo:startsAt ?start .
        ?start time:hasEnd ?end .
    }""")


def test_delivering_the_capacity_takes_about_4_5_gigawatts(store):
    rows = store.query(PREFIXES + """SELECT ?v ?q {
        agreement:openai-oracle-compute-contract kgo:hasClause ?c .
        ?c a kgo:CapacityCommitment ; kgo:hasQuantity ?g .
        ?g schema:unitCode "A90" ; schema:value ?v ; kgo:qualifier ?q .
    }""", use_default_graph_as_union=True)
    assert [(float(r["v"].value), r["q"].value.rsplit("#", 1)[1]) for r in rows] == [
        (4.5, "About")]
    # The comparisons are counts: about four million U.S. homes.
    assert ask(store, """ASK {
        clause:compute-capacity-commitment kgo:hasQuantity ?h .
        ?h schema:unitCode "C62" ; schema:value ?v ; kgo:qualifier kgo:About .
        FILTER(?v = 4000000)
    }""")
    assert ask(store, """ASK {
        clause:compute-purchase-commitment a kgo:PurchaseCommitment ;
            kgo:buyer organization:openai ; kgo:seller organization:oracle .
    }""")


def test_the_contract_is_a_claim_reported_by_the_wall_street_journal(store):
    reported = select(store, f"""SELECT ?x {{
        GRAPH <{PROVENANCE}> {{
            ?x a oa:Annotation ; oa:hasBody agreement:openai-oracle-compute-contract ;
               kgo:assertionStatus kgo:Reported .
        }}
    }}""")
    assert len(reported) == 3  # the headline, the lead sentence, "according to the report"
    sources = select(store, f"""SELECT DISTINCT ?x {{
        GRAPH <{PROVENANCE}> {{
            ?a oa:hasBody agreement:openai-oracle-compute-contract ;
               kgo:assertionStatus kgo:Reported ; kgo:attributedTo ?x .
        }}
    }}""")
    assert sources == [ORG + "wall-street-journal"]
    # Every one of them is attributed to the newspaper.
    assert not ask(store, f"""ASK {{
        GRAPH <{PROVENANCE}> {{
            ?a oa:hasBody agreement:openai-oracle-compute-contract ;
               kgo:assertionStatus kgo:Reported .
            FILTER NOT EXISTS {{ ?a kgo:attributedTo organization:wall-street-journal }}
        }}
    }}""")
    assert ask(store, """ASK {
        organization:wall-street-journal a kgo:NewsOrganization .
        event:wsj-report a kgo:Report ;
            kgo:hasParticipant organization:wall-street-journal,
                               organization:people-familiar-with-the-matter ;
            kgo:concerns agreement:openai-oracle-compute-contract ;
            time:hasTime ?t .
        ?t time:inXSDDate "2025-09-10"^^xsd:date .
        organization:people-familiar-with-the-matter a kgo:Group .
    }""")


def test_microsofts_exclusivity_ended_in_january_superseded_by_a_right_of_first_refusal(store):
    assert ask(store, """ASK {
        clause:right-of-first-refusal-on-new-capacity a kgo:RightOfFirstRefusal ;
            kgo:supersedes clause:azure-compute-exclusivity ;
            kgo:grantsRightTo organization:microsoft ; kgo:obligates organization:openai .
        clause:azure-compute-exclusivity a kgo:Exclusivity ;
            kgo:supersededBy clause:right-of-first-refusal-on-new-capacity ;
            kgo:endsAt ?end .
        ?end time:inXSDgYearMonth ?m .
        FILTER(STR(?m) = "2025-01")
        # The seed's partnership and clauses: this article tells of the same change.
        agreement:microsoft-openai-partnership a kgo:Partnership ;
            kgo:hasClause clause:azure-compute-exclusivity,
                          clause:right-of-first-refusal-on-new-capacity .
    }""")


def test_stargate_pledges_500_billion_dollars_for_10_gigawatts_over_four_years(store):
    assert select(store, "SELECT ?x { agreement:stargate kgo:hasParty ?x }") == [
        ORG + "openai", ORG + "oracle", ORG + "softbank"]
    assert ask(store, """ASK {
        agreement:stargate kgo:hasMonetaryAmount ?a ; kgo:hasQuantity ?gw, ?yr .
        ?a schema:value ?v ; kgo:qualifier kgo:Exactly ; kgo:amountRole kgo:CommitmentAmount .
        FILTER(?v = 500000000000)
        ?gw schema:unitCode "A90" ; schema:value ?g . FILTER(?g = 10)
        ?yr schema:unitCode "ANN" ; schema:value ?y . FILTER(?y = 4)
    }""")


def test_the_june_filing_agreement_brings_more_than_30_billion_a_year_from_an_unnamed_customer(
        store):
    assert ask(store, """ASK {
        agreement:june-cloud-agreement a kgo:SupplyAgreement ;
            kgo:seller organization:oracle ; kgo:buyer ?customer ;
            kgo:hasMonetaryAmount ?a .
        ?customer a kgo:Group .
        ?a schema:minValue ?v ; kgo:qualifier kgo:MoreThan ; kgo:perUnitCode "ANN" ;
           kgo:amountRole kgo:RevenueAmount .
        FILTER(?v = 30000000000)
        FILTER NOT EXISTS { ?a schema:value ?exact }
    }""")
    # Fiscal 2028 is not calendar 2028: no beginning is claimed, only an end bound.
    assert not ask(store, """ASK {
        agreement:june-cloud-agreement kgo:startsAt ?s . ?s time:hasBeginning ?b .
    }""")


def test_safra_catz_says_oracle_signed_four_contracts_with_three_customers(store):
    assert ask(store, f"""ASK {{
        person:safra-catz org:headOf organization:oracle .
        event:catz-statement a kgo:Statement ; kgo:hasParticipant person:safra-catz .
        GRAPH <{PROVENANCE}> {{
            ?a oa:hasBody event:catz-statement ; kgo:attributedTo person:safra-catz .
        }}
        agreement:q1-contracts kgo:hasQuantity ?contracts, ?customers .
        ?contracts schema:unitCode "C62" ; schema:value ?n ; schema:unitText "contracts" .
        FILTER(?n = 4)
        ?customers schema:unitCode "C62" ; schema:value ?m ; schema:unitText "customers" .
        FILTER(?m = 3)
    }}""")


def test_percent_changes_are_changes_with_their_qualifiers(store):
    rows = store.query(PREFIXES + """SELECT ?e ?v ?q {
        ?e a kgo:Event ; kgo:hasQuantity ?p .
        ?p schema:unitCode "P1" ; kgo:change true ; kgo:qualifier ?q .
        { ?p schema:value ?v } UNION { ?p schema:minValue ?v }
    }""", use_default_graph_as_union=True)
    got = sorted((r["e"].value.rsplit("/", 1)[1], float(r["v"].value),
                  r["q"].value.rsplit("#", 1)[1]) for r in rows)
    assert got == [("oci-projection", 77.0, "Exactly"),
                   ("oracle-share-surge", 36.0, "Exactly"),
                   ("oracle-share-surge", 40.0, "MoreThan"),
                   ("rpo-rise", 359.0, "Exactly")]
    assert ask(store, """ASK {
        event:oracle-share-surge a kgo:MarketMove ; time:hasTime ?t .
        ?t time:inXSDDate "2025-09-10"^^xsd:date .
        event:rpo-rise time:hasTime ?r . ?r time:inXSDDate "2025-08-31"^^xsd:date .
        organization:oracle-cloud-infrastructure schema:parentOrganization organization:oracle .
    }""")
