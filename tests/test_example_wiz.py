"""The Google–Wiz example (examples/hsj-2025-03-19-google-wiz-acquisition): key facts of the
article, asked of its built graph by SPARQL."""

from __future__ import annotations

import pytest

from example_support import PREFIXES, ask, select

SLUG = "hsj-2025-03-19-google-wiz-acquisition"
PROVENANCE = f"https://kg.example.org/graph/{SLUG}/provenance"


@pytest.fixture(scope="module")
def store(example_store):
    return example_store(SLUG)


def test_google_acquires_wiz_for_32_billion_dollars_in_a_definitive_deal(store):
    assert ask(store, """ASK {
        agreement:google-wiz-acquisition a kgo:Acquisition, kgo:Agreement ;
            kgo:status kgo:Definitive ;
            kgo:hasParty organization:google, organization:wiz ;
            kgo:buyer organization:google ; kgo:target organization:wiz ;
            kgo:hasMonetaryAmount ?a .
        ?a schema:value ?v ; schema:currency "USD" ; kgo:qualifier kgo:Exactly ;
           kgo:amountRole kgo:PriceAmount ; kgo:asWritten "$32 billion" .
        FILTER(?v = 32000000000)
    }""")
    # The only buyer and target: Google, not its parent Alphabet.
    assert select(store, "SELECT ?x { agreement:google-wiz-acquisition kgo:buyer ?x }") == [
        "https://kg.example.org/id/organization/google"]


def test_the_cash_price_is_subject_to_regulatory_approval_and_customary_conditions(store):
    assert ask(store, """ASK {
        clause:wiz-cash-consideration a kgo:Consideration, kgo:Clause ;
            kgo:hasMonetaryAmount ?a ; kgo:subjectTo ?reg, ?other .
        agreement:google-wiz-acquisition kgo:hasClause clause:wiz-cash-consideration, ?reg, ?other .
        ?a schema:value ?v . FILTER(?v = 32000000000)
        ?reg a kgo:Condition ; kgo:conditionKind kgo:RegulatoryApproval .
        ?other a kgo:Condition ; kgo:conditionKind kgo:CustomaryConditions .
    }""")
    # Both conditions the transaction's closing waits for, and nothing else, on the price.
    kinds = select(store, """SELECT ?x {
        clause:wiz-cash-consideration kgo:subjectTo/kgo:conditionKind ?x }""")
    assert kinds == ["https://kg.example.org/ontology#CustomaryConditions",
                     "https://kg.example.org/ontology#RegulatoryApproval"]


def test_reverse_breakup_fee_is_more_than_3_2_billion_and_upward_of_ten_percent(store):
    assert ask(store, """ASK {
        clause:wiz-reverse-breakup-fee a kgo:TerminationFee ;
            kgo:obligates organization:google ;
            kgo:hasMonetaryAmount ?a ; kgo:hasQuantity ?q .
        agreement:google-wiz-acquisition kgo:hasClause clause:wiz-reverse-breakup-fee .
        ?a schema:minValue ?v ; kgo:qualifier kgo:MoreThan ; kgo:amountRole kgo:FeeAmount .
        FILTER(?v = 3200000000)
        FILTER NOT EXISTS { ?a schema:value ?exact }
        ?q schema:minValue ?p ; kgo:qualifier kgo:MoreThan ; schema:unitCode "P1" ;
           kgo:of agreement:google-wiz-acquisition .
        FILTER(?p = 10)
        FILTER NOT EXISTS { ?q schema:value ?exactShare }
    }""")


def test_the_rejected_23_billion_offer_is_superseded_by_the_deal(store):
    assert ask(store, """ASK {
        agreement:google-wiz-2024-offer a kgo:Acquisition ;
            kgo:status kgo:Rejected ;
            kgo:buyer organization:google ; kgo:target organization:wiz ;
            kgo:hasMonetaryAmount ?a ;
            kgo:supersededBy agreement:google-wiz-acquisition .
        agreement:google-wiz-acquisition kgo:supersedes agreement:google-wiz-2024-offer .
        ?a schema:value ?v . FILTER(?v = 23000000000)
        event:wiz-rejects-offer a kgo:Rejection ; kgo:concerns agreement:google-wiz-2024-offer .
        event:google-2024-offer a kgo:Offer ; time:hasTime/time:inXSDgYearMonth ?m .
        FILTER(str(?m) = "2024-07")
    }""")


def test_closing_is_planned_in_2026(store):
    years = select(store, """SELECT ?x {
        ?e a kgo:Closing ; kgo:planned true ;
           kgo:concerns agreement:google-wiz-acquisition ;
           time:hasTime/time:inXSDgYear ?y .
        BIND(str(?y) AS ?x)
    }""")
    assert years == ["2026"]


def test_relative_times_are_resolved_against_the_publication_date(store):
    # "on Tuesday" (published Wednesday 2025-03-19), "in January", "last year".
    assert ask(store, """ASK {
        event:wiz-deal-announcement time:hasTime/time:inXSDDate ?d .
        FILTER(str(?d) = "2025-03-18")
        event:merchant-joins-wiz time:hasTime/time:inXSDgYearMonth ?m .
        FILTER(str(?m) = "2025-01")
        event:google-cloud-2024-revenue time:hasTime/time:inXSDgYear ?y ;
            kgo:hasMonetaryAmount ?r .
        FILTER(str(?y) = "2024")
        ?r schema:value ?v ; kgo:amountRole kgo:RevenueAmount . FILTER(?v = 43200000000)
    }""")
    # "last summer": a span from June to August 2024.
    rows = store.query(PREFIXES + """SELECT ?b ?e {
        event:google-wiz-courtship-collapse time:hasTime ?t .
        ?t a time:ProperInterval ;
           time:hasBeginning/time:inXSDgYearMonth ?b ; time:hasEnd/time:inXSDgYearMonth ?e .
    }""", use_default_graph_as_union=True)
    assert {(r["b"].value, r["e"].value) for r in rows} == {("2024-06", "2024-08")}


def test_pichai_quote_is_attributed_to_sundar_pichai_google_ceo(store):
    assert ask(store, f"""ASK {{
        event:pichai-email a kgo:Statement ; kgo:hasParticipant person:sundar-pichai .
        person:sundar-pichai org:headOf organization:google .
        GRAPH <{PROVENANCE}> {{
            ?ann a oa:Annotation ; oa:hasBody event:pichai-email ;
                 kgo:attributedTo person:sundar-pichai ;
                 oa:hasTarget/oa:hasSelector/oa:exact ?quote .
        }}
        FILTER(CONTAINS(?quote, "We don't make deals like this every day"))
    }}""")


def test_valuation_rose_39_percent_per_people_familiar_with_the_agreement(store):
    assert ask(store, """ASK {
        event:google-raises-valuation kgo:concerns agreement:google-wiz-acquisition ;
            kgo:hasQuantity ?q .
        ?q schema:value ?v ; kgo:change true ; kgo:of organization:wiz ;
           kgo:measure "valuation" .
        FILTER(?v = 39)
        ?ann oa:hasBody event:google-raises-valuation ; kgo:assertionStatus kgo:Reported ;
             kgo:attributedTo organization:people-familiar-with-the-wiz-deal .
        organization:people-familiar-with-the-wiz-deal a kgo:Group .
        organization:reuters a kgo:NewsOrganization .
    }""")


def test_organization_types_and_parents(store):
    assert ask(store, """ASK {
        organization:google schema:parentOrganization organization:alphabet .
        organization:alphabet schema:subOrganization organization:google .
        organization:google-cloud schema:parentOrganization organization:google .
        organization:justice-department a kgo:GovernmentBody .
        organization:harbor-street-journal a kgo:NewsOrganization .
        organization:business-insider a kgo:NewsOrganization .
        organization:big-tech a kgo:Group .
        article:hsj-2025-03-19-google-wiz-acquisition
            schema:publisher organization:harbor-street-journal ;
            schema:author person:tomasz-keller .
    }""")
    # Groups are kgo:Group only, not kgo:Organization.
    assert not ask(store, "ASK { organization:regulators a kgo:Organization }")


def test_wiz_stays_on_competing_clouds_and_joins_google_cloud_once_completed(store):
    clouds = select(store, """SELECT ?x {
        clause:wiz-multicloud-availability a kgo:Covenant ; kgo:obligates organization:wiz ;
            kgo:covers ?x .
        ?x schema:manufacturer ?owner .
        FILTER(?owner != organization:wiz)
    }""")
    assert clouds == ["https://kg.example.org/id/product/amazon-web-services",
                      "https://kg.example.org/id/product/azure",
                      "https://kg.example.org/id/product/oracle-cloud"]
    # Said by the companies: one annotation attributed to each of Google and Wiz.
    sources = select(store, """SELECT ?x {
        ?ann oa:hasBody clause:wiz-multicloud-availability ; kgo:attributedTo ?x }""")
    assert sources == ["https://kg.example.org/id/organization/google",
                       "https://kg.example.org/id/organization/wiz"]
    assert ask(store, """ASK {
        clause:wiz-google-cloud-integration a kgo:Covenant ;
            kgo:subjectTo clause:wiz-regulatory-approval ;
            kgo:startsAt/kgo:after event:wiz-expected-closing .
    }""")
