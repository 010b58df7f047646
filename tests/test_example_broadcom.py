"""The Broadcom–OpenAI example (examples/hsj-2025-10-14-broadcom-openai-accelerators): key
facts of the article, asked of its built graph by SPARQL."""

from __future__ import annotations

import pytest

from example_support import PREFIXES, ask, select

SLUG = "hsj-2025-10-14-broadcom-openai-accelerators"


@pytest.fixture(scope="module")
def store(example_store):
    return example_store(SLUG)


def test_broadcom_deal_is_a_non_binding_term_sheet_between_openai_and_broadcom(store):
    assert ask(store, """ASK {
        agreement:broadcom-openai-accelerator-agreement a kgo:SupplyAgreement, kgo:Agreement ;
            kgo:status kgo:NonBinding ; kgo:instrument kgo:TermSheet ;
            kgo:hasParty organization:openai, organization:broadcom ;
            kgo:buyer organization:openai ; kgo:seller organization:broadcom ;
            kgo:amends agreement:broadcom-openai-existing-agreements .
    }""")


def test_ten_gigawatts_from_the_second_half_of_2026_through_2029(store):
    # The capacity commitment of the Broadcom deal: 10 GW, starting in a span July..December
    # 2026 and ending by (a span closed at) 2029.
    rows = store.query(PREFIXES + """SELECT ?c ?v ?b ?e ?end WHERE {
        ?c a kgo:CapacityCommitment ;
           kgo:hasQuantity ?q ; kgo:startsAt ?s ; kgo:endsAt ?t .
        agreement:broadcom-openai-accelerator-agreement kgo:hasClause ?c .
        ?q schema:value ?v ; schema:unitCode "A90" .
        ?s a time:ProperInterval ;
           time:hasBeginning/time:inXSDgYearMonth ?b ; time:hasEnd/time:inXSDgYearMonth ?e .
        ?t time:hasEnd/time:inXSDgYear ?end .
    }""", use_default_graph_as_union=True)
    found = {(float(r["v"].value), r["b"].value, r["e"].value, r["end"].value) for r in rows}
    assert found == {(10.0, "2026-07", "2026-12", "2029")}


def test_broadcom_deal_value_is_reported_by_the_wsj_as_at_least_two_billion(store):
    assert ask(store, """ASK {
        agreement:broadcom-openai-accelerator-agreement kgo:hasMonetaryAmount ?a .
        ?a schema:minValue ?v ; schema:currency "USD" ; kgo:qualifier kgo:AtLeast ;
           kgo:asWritten "multiple billions of dollars" .
        FILTER(?v = 2000000000)
        ?ann oa:hasBody ?a ; kgo:assertionStatus kgo:Reported ;
             kgo:attributedTo organization:wall-street-journal .
    }""")


def test_amd_warrant_for_up_to_160_million_shares_vests_on_milestones(store):
    assert ask(store, """ASK {
        clause:amd-warrant a kgo:Warrant ;
            kgo:holder organization:openai ; kgo:issuer organization:amd ;
            kgo:hasQuantity ?q ; kgo:subjectTo ?c1, ?c2 .
        ?q schema:maxValue ?v ; kgo:qualifier kgo:UpTo ; schema:unitText "shares" .
        FILTER(?v = 160000000)
        ?c1 a kgo:Condition ; kgo:conditionKind kgo:Milestone .
        ?c2 a kgo:Condition ; kgo:conditionKind kgo:PriceTarget .
    }""")
    # roughly a 10% stake of AMD
    assert ask(store, """ASK {
        clause:amd-warrant kgo:hasQuantity ?q .
        ?q schema:value ?v ; kgo:approximate true ; schema:unitCode "P1" ;
           kgo:of organization:amd ; kgo:measure "equity" .
        FILTER(?v = 10)
    }""")


def test_nvidia_would_invest_up_to_100_billion_as_openai_deploys_at_least_10_gigawatts(store):
    assert ask(store, """ASK {
        agreement:nvidia-openai-investment a kgo:Investment ;
            kgo:target organization:openai ; kgo:hasMonetaryAmount ?a .
        ?a schema:maxValue ?v ; kgo:qualifier kgo:UpTo ; kgo:amountRole kgo:InvestmentAmount .
        FILTER(?v = 100000000000)
        ?cl kgo:subjectTo ?cond .
        ?cond a kgo:Condition ; kgo:hasQuantity ?q .
        ?q schema:minValue ?g ; kgo:qualifier kgo:AtLeast ; schema:unitCode "A90" .
        FILTER(?g = 10)
    }""")


def test_amd_deal_is_six_gigawatts_agreed_last_week(store):
    assert ask(store, """ASK {
        agreement:amd-openai-agreement a kgo:SupplyAgreement ;
            kgo:hasParty organization:openai, organization:amd ; kgo:hasQuantity ?q .
        ?q schema:value ?v ; schema:unitCode "A90" . FILTER(?v = 6)
        event:amd-openai-deal a kgo:AgreementFormation ;
            kgo:establishes agreement:amd-openai-agreement .
    }""")
    # "Last week" read against Tuesday 2025-10-14: the ISO week 2025-10-06..2025-10-12.
    bounds = select(store, """SELECT ?x WHERE {
        event:amd-openai-deal time:hasTime ?i . ?i a time:ProperInterval ;
            (time:hasBeginning|time:hasEnd)/time:inXSDDate ?x .
    }""")
    assert bounds == ["2025-10-06", "2025-10-12"]


def test_broadcom_shares_jumped_9_9_percent_to_356_70_on_monday(store):
    assert ask(store, """ASK {
        event:broadcom-shares-jump a kgo:MarketMove, kgo:Event ;
            kgo:hasQuantity ?q ; kgo:hasMonetaryAmount ?a .
        ?q schema:value ?pct ; schema:unitCode "P1" ; kgo:change true .
        FILTER(?pct = 9.9)
        ?a schema:value ?price ; schema:currency "USD" ; kgo:amountRole kgo:PriceAmount ;
           kgo:per "share" .
        FILTER(?price = 356.70)
    }""")
    assert select(store, """SELECT ?x WHERE {
        event:broadcom-shares-jump time:hasTime/time:inXSDDate ?x .
    }""") == ["2025-10-13"]


def test_people_hold_their_roles(store):
    assert ask(store, """ASK {
        person:sam-altman org:headOf organization:openai .
        person:hock-tan org:headOf organization:broadcom .
        organization:broadcom-semiconductor-solutions-group
            schema:parentOrganization organization:broadcom .
        ?m org:member person:charlie-kawwas ;
           org:organization organization:broadcom-semiconductor-solutions-group .
        ?n org:member person:greg-brockman ; org:organization organization:openai .
    }""")


def test_quotes_of_executives_are_statements_attributed_to_them(store):
    speakers = select(store, """SELECT DISTINCT ?x WHERE {
        ?e a kgo:Statement ; kgo:hasParticipant ?x .
        ?ann oa:hasBody ?e ; kgo:attributedTo ?x .
        ?x a schema:Person .
    }""")
    assert {"https://kg.example.org/id/person/" + p
            for p in ("sam-altman", "hock-tan", "charlie-kawwas")} <= set(speakers)


def test_unnamed_sources_are_groups_and_newspapers_are_news_organizations(store):
    groups = select(store, "SELECT ?x WHERE { ?x a kgo:Group }")
    assert {"https://kg.example.org/id/organization/" + g for g in (
        "wsj-broadcom-deal-sources", "broadcom-investors", "broadcom-analysts",
        "broadcom-new-customer")} <= set(groups)
    assert not ask(store, "ASK { organization:broadcom-analysts a kgo:Organization }")
    news = select(store, "SELECT ?x WHERE { ?x a kgo:NewsOrganization }")
    assert {"https://kg.example.org/id/organization/" + n for n in (
        "wall-street-journal", "cnbc", "harbor-street-journal")} <= set(news)
