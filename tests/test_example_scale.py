"""The example fact sheet examples/hsj-2025-06-16-meta-scale-ai-stake.yaml: its key facts, as
SPARQL on the graph kg builds from it alone (Meta's 49% non-voting stake in Scale AI)."""

from __future__ import annotations

import pytest

from example_support import ask, select

SLUG = "hsj-2025-06-16-meta-scale-ai-stake"

PROVENANCE = f"<https://kg.example.org/graph/{SLUG}/provenance>"


@pytest.fixture(scope="module")
def store(example_store):
    return example_store(SLUG)


def test_meta_holds_49_percent_of_scale_without_votes(store):
    assert ask(store, """ASK {
        agreement:meta-scale-investment a kgo:Investment ;
            kgo:status kgo:Definitive ;
            kgo:buyer organization:meta ; kgo:target organization:scale-ai ;
            kgo:hasClause ?stake .
        ?stake a kgo:EquityStake ;
            kgo:holder organization:meta ;
            kgo:issuer organization:scale-ai ;
            kgo:voting false ;
            kgo:hasQuantity ?q .
        ?q schema:value ?v ; schema:unitCode "P1" ; kgo:of organization:scale-ai ;
            kgo:measure "equity" ; kgo:qualifier kgo:Exactly .
        FILTER (?v = 49)
    }""")
    # The stake is non-voting, never also voting.
    assert not ask(store, "ASK { clause:meta-equity-stake kgo:voting true }")


def test_investment_about_14_3_billion(store):
    rows = select(store, """SELECT ?x WHERE {
        clause:meta-equity-stake kgo:hasMonetaryAmount ?a .
        ?a kgo:amountRole kgo:InvestmentAmount ;
           kgo:qualifier kgo:About ;
           kgo:approximate true ;
           schema:currency "USD" ;
           schema:value ?x .
    }""")
    assert [float(x) for x in rows] == [14_300_000_000]


def test_valuation_more_than_29_billion_is_a_lower_bound(store):
    rows = select(store, """SELECT ?x WHERE {
        clause:meta-equity-stake kgo:hasMonetaryAmount ?a .
        ?a kgo:amountRole kgo:ValuationAmount ;
           kgo:qualifier kgo:MoreThan ;
           kgo:asWritten "more than $29 billion" ;
           schema:minValue ?x .
        FILTER NOT EXISTS { ?a schema:value ?any }
    }""")
    assert [float(x) for x in rows] == [29_000_000_000]
    # The previous valuation, about $14 billion, and "roughly double" (about 2, a change).
    assert ask(store, """ASK {
        clause:meta-equity-stake kgo:hasMonetaryAmount ?prev ; kgo:hasQuantity ?double .
        ?prev kgo:amountRole kgo:ValuationAmount ; kgo:qualifier kgo:About ; schema:value ?p .
        ?double schema:unitCode "C62" ; kgo:qualifier kgo:About ; kgo:change true ;
                schema:value ?d .
        FILTER (?p = 14000000000 && ?d = 2)
    }""")


def test_wang_memo_is_attributed_to_alexandr_wang(store):
    exact = select(store, f"""SELECT ?x WHERE {{
        GRAPH {PROVENANCE} {{
            ?annotation a oa:Annotation ;
                oa:hasBody event:wang-memo ;
                kgo:attributedTo person:alexandr-wang ;
                oa:hasTarget ?target .
            ?target oa:hasSelector ?selector .
            ?selector oa:exact ?x .
        }}
    }}""")
    assert len(exact) == 2
    assert exact[0].startswith('"In this instance, that cost is my departure."')
    assert exact[1].startswith('"Opportunities of this magnitude often come at a cost,"')
    assert ask(store, """ASK {
        event:wang-memo a kgo:Statement ; kgo:hasParticipant person:alexandr-wang .
        person:alexandr-wang a schema:Person ; schema:name "Alexandr Wang" .
    }""")


def test_google_cutting_ties_is_reported_by_reuters(store):
    assert ask(store, f"""ASK {{
        event:google-cuts-ties a kgo:RelationshipChange ;
            kgo:planned true ;
            kgo:hasParticipant organization:google , organization:scale-ai .
        organization:reuters a kgo:NewsOrganization .
        GRAPH {PROVENANCE} {{
            ?annotation oa:hasBody event:google-cuts-ties ;
                kgo:assertionStatus kgo:Reported ;
                kgo:attributedTo organization:reuters .
        }}
    }}""")
    # The Reuters report itself is dated "late last week": the ISO week before 2025-06-16.
    assert ask(store, """ASK {
        event:reuters-report a kgo:Report ; time:hasTime ?span .
        ?span a time:ProperInterval ; time:hasBeginning ?b ; time:hasEnd ?e .
        ?b time:inXSDDate "2025-06-09"^^xsd:date .
        ?e time:inXSDDate "2025-06-15"^^xsd:date .
    }""")


def test_relative_days_resolved_against_publication(store):
    rows = select(store, """SELECT ?e ?x WHERE {
        VALUES ?e { event:deal-confirmation event:friar-statement }
        ?e time:hasTime ?t . ?t time:inXSDDate ?x .
    }""")
    assert rows == ["2025-06-12", "2025-06-13"]
    assert ask(store, """ASK {
        article:hsj-2025-06-16-meta-scale-ai-stake schema:datePublished ?d ;
            schema:publisher organization:harbor-street-journal ;
            schema:author person:nadia-forsythe .
        FILTER (STR(?d) = "2025-06-16")
    }""")


def test_people_ages_heads_and_groups(store):
    assert ask(store, """ASK {
        person:alexandr-wang kgo:hasQuantity ?age .
        ?age schema:value ?v ; schema:unitCode "ANN" ; kgo:measure "age" .
        FILTER (?v = 28)
    }""")
    heads = select(store, "SELECT ?x WHERE { ?x org:headOf organization:scale-ai }")
    assert heads == ["https://kg.example.org/id/person/alexandr-wang",
                     "https://kg.example.org/id/person/jason-droege"]
    assert ask(store, "ASK { person:mark-zuckerberg org:headOf organization:meta }")
    # Wang's three roles at Scale: founder, chief executive and the board seat he keeps.
    titles = select(store, """SELECT ?x WHERE {
        ?m org:member person:alexandr-wang ; org:organization organization:scale-ai ;
           org:role ?r .
        ?r rdfs:label ?x .
    }""")
    assert titles == ["board member", "chief executive officer", "founder"]
    # Unnamed sources are groups, not organizations; Reuters cites five of them.
    assert ask(store, """ASK {
        organization:five-people-familiar-with-the-matter a kgo:Group ; kgo:hasQuantity ?n .
        ?n schema:value ?v ; schema:unitCode "C62" .
        FILTER (?v = 5)
        FILTER NOT EXISTS { organization:five-people-familiar-with-the-matter a kgo:Organization }
    }""")


def test_whatsapp_purchase_and_google_spending(store):
    assert ask(store, """ASK {
        agreement:whatsapp-acquisition a kgo:Acquisition ; kgo:status kgo:Completed ;
            kgo:buyer organization:meta ; kgo:target organization:whatsapp ;
            kgo:hasMonetaryAmount ?price .
        ?price kgo:amountRole kgo:PriceAmount ; kgo:qualifier kgo:Exactly ; schema:value ?v .
        FILTER (?v = 19000000000)
        event:whatsapp-purchase time:hasTime ?t . ?t time:inXSDgYear ?y .
        FILTER (STR(?y) = "2014")
    }""")
    spending = select(store, """SELECT ?y ?x WHERE {
        ?e kgo:concerns agreement:google-scale-supply ; kgo:hasMonetaryAmount ?a ;
           time:hasTime ?t .
        ?a kgo:amountRole kgo:SpendingAmount ; kgo:qualifier kgo:About ; schema:value ?x .
        ?t time:inXSDgYear ?y .
    }""", "y")
    assert spending == ["2024", "2025"]


def test_every_event_is_a_kgo_event_and_statements_have_speakers(store):
    events = select(store, "SELECT DISTINCT ?x WHERE { ?x a kgo:Event }")
    assert len(events) == 27
    speakers = select(store, """SELECT ?x WHERE {
        event:friar-statement kgo:hasParticipant ?x .
    }""")
    assert speakers == ["https://kg.example.org/id/organization/openai",
                        "https://kg.example.org/id/person/sarah-friar"]


def test_claims_of_unnamed_and_named_sources_are_reported(store):
    rows = select(store, f"""SELECT ?x WHERE {{
        GRAPH {PROVENANCE} {{
            ?a oa:hasBody ?body ; kgo:assertionStatus kgo:Reported ; kgo:attributedTo ?src .
        }}
        VALUES (?body ?src) {{
            (clause:meta-equity-stake organization:people-familiar-with-the-terms)
            (clause:meta-equity-stake organization:scale-spokesperson)
            (event:microsoft-pulls-back organization:people-familiar-with-the-matter)
            (event:llama-reception organization:cnbc)
            (agreement:openai-scale-supply person:sarah-friar)
        }}
        BIND (CONCAT(STRAFTER(STR(?body), "/id/"), " ", STRAFTER(STR(?src), "/id/")) AS ?x)
    }}""")
    assert sorted(set(rows)) == [
        "agreement/openai-scale-supply person/sarah-friar",
        "clause/meta-equity-stake organization/people-familiar-with-the-terms",
        "clause/meta-equity-stake organization/scale-spokesperson",
        "event/llama-reception organization/cnbc",
        "event/microsoft-pulls-back organization/people-familiar-with-the-matter",
    ]
    # "OpenAI reportedly began winding down": reported, by no named source, "months ago".
    assert ask(store, f"""ASK {{
        event:openai-winds-down time:hasTime ?t . ?t kgo:timeExpression "months ago" .
        GRAPH {PROVENANCE} {{
            ?a oa:hasBody event:openai-winds-down ; kgo:assertionStatus kgo:Reported .
            FILTER NOT EXISTS {{ ?a kgo:attributedTo ?anyone }}
        }}
    }}""")
