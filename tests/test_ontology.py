"""Ontology hygiene in the style of FIBO's SPARQL tests, and consistency under two reasoners."""

from __future__ import annotations

import os
import shutil

import pyoxigraph as ox
import pytest
import rdflib

from kg.namespaces import KGO, ONTOLOGY_IRI
from kg.resources import ontology_files

PREFIXES = """
PREFIX kgo: <https://kg.example.org/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX vann: <http://purl.org/vocab/vann/>
"""
DECLARATIONS = ("owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty "
                "owl:NamedIndividual")
BUILT_IN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/2002/07/owl#")


@pytest.fixture(scope="module")
def ontology() -> ox.Store:
    store = ox.Store()
    for path in ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def rows(store: ox.Store, query: str) -> list[tuple]:
    return sorted(tuple(t.value if t is not None else None for t in row)
                  for row in store.query(PREFIXES + query))


def test_every_term_is_labelled_defined_and_attributed(ontology):
    missing = rows(ontology, f"""
        SELECT ?term ?what WHERE {{
            ?term a ?kind . VALUES ?kind {{ {DECLARATIONS} }}
            FILTER(STRSTARTS(STR(?term), STR(kgo:)))
            VALUES ?what {{ rdfs:label skos:definition rdfs:isDefinedBy }}
            FILTER NOT EXISTS {{ ?term ?what ?value }}
        }}""")
    assert missing == []


def test_labels_and_definitions_are_english_and_single(ontology):
    bad = rows(ontology, """
        SELECT ?term ?p WHERE {
            ?term ?p ?text . VALUES ?p { rdfs:label skos:definition }
            FILTER(STRSTARTS(STR(?term), STR(kgo:)))
            FILTER(LANG(?text) != "en")
        }""")
    assert bad == []
    many = rows(ontology, """
        SELECT ?term ?p (COUNT(?text) AS ?n) WHERE {
            ?term ?p ?text . VALUES ?p { rdfs:label skos:definition }
            FILTER(STRSTARTS(STR(?term), STR(kgo:)))
        } GROUP BY ?term ?p HAVING (COUNT(?text) > 1)""")
    assert many == []


def test_no_punning(ontology):
    punned = rows(ontology, f"""
        SELECT ?term WHERE {{
            ?term a ?k1, ?k2 . VALUES ?k1 {{ {DECLARATIONS} }} VALUES ?k2 {{ {DECLARATIONS} }}
            FILTER(STR(?k1) < STR(?k2))
        }}""")
    assert punned == []


def test_every_property_used_in_the_ontology_is_declared(ontology):
    undeclared = rows(ontology, f"""
        SELECT DISTINCT ?p WHERE {{
            ?s ?p ?o .
            FILTER NOT EXISTS {{ ?p a ?kind . VALUES ?kind {{ {DECLARATIONS} }} }}
        }}""")
    assert [p for (p,) in undeclared if not p.startswith(BUILT_IN)] == []


def test_every_class_and_property_referenced_is_declared(ontology):
    undeclared = rows(ontology, f"""
        SELECT DISTINCT ?term WHERE {{
            {{ ?x rdfs:subClassOf|rdfs:domain|rdfs:range ?term }}
            UNION {{ ?term rdfs:subClassOf|rdfs:subPropertyOf|owl:inverseOf ?x }}
            UNION {{ ?x rdfs:subPropertyOf|owl:inverseOf ?term }}
            FILTER(isIRI(?term))
            FILTER NOT EXISTS {{ ?term a ?kind . VALUES ?kind {{ {DECLARATIONS} }} }}
        }}""")
    known = (*BUILT_IN, "http://www.w3.org/2001/XMLSchema#")
    assert [t for (t,) in undeclared if not t.startswith(known)] == []


def test_header_metadata(ontology):
    header = dict(rows(ontology, f"""
        SELECT ?p ?v WHERE {{ <{ONTOLOGY_IRI}> a owl:Ontology ; ?p ?v . }}"""))
    for p in ("http://www.w3.org/2002/07/owl#versionIRI", "http://www.w3.org/2002/07/owl#versionInfo",
              "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/description",
              "http://purl.org/dc/terms/license", "http://purl.org/dc/terms/creator",
              "http://purl.org/dc/terms/created", "http://purl.org/vocab/vann/preferredNamespacePrefix",
              "http://purl.org/vocab/vann/preferredNamespaceUri"):
        assert p in header, p
    assert header["http://purl.org/vocab/vann/preferredNamespaceUri"] == KGO
    assert header["http://purl.org/vocab/vann/preferredNamespacePrefix"] == "kgo"
    from kg import __version__

    assert header["http://www.w3.org/2002/07/owl#versionInfo"] == __version__


def test_alignments_use_no_equivalence(ontology):
    assert rows(ontology, """SELECT ?s WHERE {
        ?s owl:equivalentClass|owl:equivalentProperty|owl:sameAs ?o }""") == []


def test_required_alignments_are_present(ontology):
    pairs = set(rows(ontology,
                     "SELECT ?s ?o WHERE { ?s rdfs:subClassOf|rdfs:subPropertyOf ?o }"))
    fibo = "https://spec.edmcouncil.org/fibo/ontology/"
    for pair in [
        (KGO + "Organization", "http://www.w3.org/ns/org#FormalOrganization"),
        (KGO + "Organization", "https://schema.org/Organization"),
        (KGO + "Event", "https://schema.org/Event"),
        (KGO + "Event", "http://semanticweb.cs.vu.nl/2009/11/sem/Event"),
        (KGO + "Agreement", fibo + "FND/Agreements/Agreements/Agreement"),
        (KGO + "Partnership", fibo + "FND/Agreements/Contracts/Contract"),
        (KGO + "Clause", fibo + "FND/Agreements/Contracts/ContractualElement"),
        (KGO + "JointVenture", fibo + "BE/LegalEntities/FormalBusinessOrganizations/JointVenture"),
        (KGO + "Company", fibo + "BE/LegalEntities/LegalPersons/BusinessEntity"),
        (KGO + "GovernmentBody", fibo + "BE/GovernmentEntities/GovernmentEntities/GovernmentBody"),
        (KGO + "GovernmentBody", "https://schema.org/GovernmentOrganization"),
        (KGO + "NewsOrganization", "https://schema.org/NewsMediaOrganization"),
        (KGO + "Condition", fibo + "FND/Agreements/Contracts/ConditionPrecedent"),
        (KGO + "Covenant", fibo + "FND/Agreements/Contracts/ContractualCommitment"),
        (KGO + "PurchaseCommitment", fibo + "FND/Agreements/Contracts/ContractualCommitment"),
        (KGO + "CapacityCommitment", fibo + "FND/Agreements/Contracts/ContractualCommitment"),
        (KGO + "buyer", "https://schema.org/buyer"),
        (KGO + "seller", "https://schema.org/seller"),
        (KGO + "formerName", "https://schema.org/alternateName"),
        (KGO + "holder", fibo + "FND/Relations/Relations/isHeldBy"),
    ]:
        assert pair in pairs, pair


def test_close_matches_are_present(ontology):
    """Where a kg term is close to another vocabulary's but of another kind (a clause and a
    financial asset, a value and a class), the alignment is a skos:closeMatch."""
    pairs = set(rows(ontology, """
        SELECT ?s ?o WHERE { ?s <http://www.w3.org/2004/02/skos/core#closeMatch> ?o }"""))
    fibo = "https://spec.edmcouncil.org/fibo/ontology/"
    for pair in [
        (KGO + "Company", "https://schema.org/Corporation"),
        (KGO + "Regulator", "https://www.omg.org/spec/Commons/RegulatoryAgencies/RegulatoryAgency"),
        (KGO + "Acquisition", fibo + "CAE/CorporateEvents/CorporateActions/MergerAcquisition"),
        (KGO + "AgreementStatus",
         fibo + "FBC/ProductsAndServices/FinancialProductsAndServices/ContractLifecycleStage"),
        (KGO + "TermSheet", fibo + "FND/Agreements/Contracts/TermSheet"),
        (KGO + "Contract", fibo + "FND/Agreements/Contracts/ContractDocument"),
        (KGO + "EquityStake", fibo + "BE/OwnershipAndControl/CorporateOwnership/Shareholding"),
        (KGO + "Warrant", fibo + "DER/DerivativesContracts/RightsAndWarrants/Warrant"),
        (KGO + "LicenceRights", fibo + "FND/Law/LegalCapacity/License"),
        (KGO + "Governance", fibo + "BE/OwnershipAndControl/ControlParties/ContractualControl"),
        (KGO + "Event", fibo + "FND/DatesAndTimes/Occurrences/Occurrence"),
        (KGO + "issuer", fibo + "FND/Relations/Relations/isIssuedBy"),
        (KGO + "supersedes", fibo + "FND/Agreements/Contracts/supersedes"),
        ("https://schema.org/parentOrganization", "http://www.w3.org/ns/org#subOrganizationOf"),
    ]:
        assert pair in pairs, pair


# The value individuals of the fact sheet's choices, by class (issue 13).
VALUES = {
    "AgreementStatus": "Talks Proposed NonBinding Definitive Completed Rejected Terminated Blocked",
    "Instrument": "LetterOfIntent MemorandumOfUnderstanding TermSheet Contract",
    "Qualifier": "Exactly About MoreThan AtLeast UpTo LessThan",
    "AmountRole": ("PriceAmount ValuationAmount InvestmentAmount CommitmentAmount FeeAmount "
                   "RevenueAmount MarketValueAmount ProfitAmount SpendingAmount FundingAmount "
                   "BacklogAmount SavingsAmount OtherAmount"),
    "ConditionKind": ("RegulatoryApproval CustomaryConditions ExpertVerification Milestone "
                      "PriceTarget Deadline OtherCondition"),
}
SUBCLASSES = {
    "Organization": "Company GovernmentBody NewsOrganization",
    "GovernmentBody": "Regulator",
    "Agreement": ("Partnership JointVenture HiringDeal Acquisition Investment SupplyAgreement "
                  "FinancingRound"),
    "Clause": ("RightOfFirstRefusal Exclusivity RevenueShare EscapeClause Permission TermClause "
               "EquityStake Consideration PurchaseCommitment CapacityCommitment Warrant "
               "LicenceRights TerminationFee Governance Condition Covenant"),
    "Event": ("Announcement AgreementFormation Hiring LeadershipChange RelationshipChange "
              "Reaction Deliberation Offer Rejection Negotiation Closing Statement Report "
              "Founding LegalAction FinancialResult MarketMove Departure Filing"),
}


@pytest.mark.parametrize("cls", sorted(VALUES))
def test_value_individuals_are_named_members_of_their_class_and_all_different(ontology, cls):
    members = {m for (m,) in rows(ontology, f"""
        SELECT ?m WHERE {{ ?m a owl:NamedIndividual , kgo:{cls} }}""")}
    assert members == {KGO + n for n in VALUES[cls].split()}
    # One owl:AllDifferent lists exactly these individuals.
    lists = rows(ontology, f"""
        SELECT ?d (COUNT(?m) AS ?n) WHERE {{
            ?d a owl:AllDifferent ; owl:distinctMembers/rdf:rest*/rdf:first ?m .
            ?m a kgo:{cls} .
        }} GROUP BY ?d""")
    assert [int(n) for _, n in lists] == [len(members)]


@pytest.mark.parametrize("parent", sorted(SUBCLASSES))
def test_types_are_subclasses_of_their_kind(ontology, parent):
    children = {c for (c,) in rows(ontology, f"""
        SELECT ?c WHERE {{ ?c rdfs:subClassOf kgo:{parent} . FILTER(isIRI(?c)) }}""")}
    assert {KGO + n for n in SUBCLASSES[parent].split()} <= children


def test_groups_are_agents_but_no_organizations(ontology):
    assert rows(ontology, """SELECT ?x WHERE {
        kgo:Group rdfs:subClassOf <http://www.w3.org/ns/prov#Agent> ;
                  owl:disjointWith kgo:Organization . BIND(1 AS ?x) }""") == [(
        "1",)]
    assert rows(ontology, "SELECT ?c WHERE { kgo:Group rdfs:subClassOf+ ?c }") == [
        ("http://www.w3.org/ns/prov#Agent",)]


def test_has_share_is_replaced_by_has_quantity(ontology):
    assert rows(ontology, "SELECT ?p ?o WHERE { kgo:hasShare ?p ?o }") == []
    assert rows(ontology, "SELECT ?o WHERE { kgo:hasQuantity rdfs:range ?o }") == [
        ("https://schema.org/QuantitativeValue",)]


def test_a_regulator_in_a_supply_deal_with_a_group_is_consistent_but_a_group_organization_is_not(
        seed_dataset, tmp_path):
    """The new vocabulary in use: an unnamed group may buy and be a party, an interval is a
    time; a group that is also an organization breaks their disjointness."""
    import owlready2

    kgo, oid = KGO, "https://kg.example.org/id/"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    time = "http://www.w3.org/2006/time#"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    extra = "".join(f"{t}\n" for t in [
        f"<{oid}organization/ftc> <{rdf}> <{kgo}Regulator> .",
        f"<{oid}organization/buyers> <{rdf}> <{kgo}Group> .",
        f"<{oid}agreement/chips> <{rdf}> <{kgo}SupplyAgreement> .",
        f"<{oid}agreement/chips> <{kgo}hasParty> <{oid}organization/buyers> .",
        f"<{oid}agreement/chips> <{kgo}buyer> <{oid}organization/buyers> .",
        f"<{oid}agreement/chips> <{kgo}approvedBy> <{oid}organization/ftc> .",
        f"<{oid}agreement/chips> <{kgo}status> <{kgo}Definitive> .",
        f"<{oid}agreement/chips> <{kgo}startsAt> <{oid}interval/chips-start> .",
        f"<{oid}interval/chips-start> <{rdf}> <{time}ProperInterval> .",
        f"<{oid}interval/chips-start> <{time}hasBeginning> <{oid}instant/chips-start-from> .",
        f'<{oid}instant/chips-start-from> <{time}inXSDgYear> "2026"^^<{xsd}gYear> .',
    ])
    _hermit(seed_dataset[1], tmp_path, extra)
    planted = extra + f"<{oid}organization/buyers> <{rdf}> <{kgo}Company> .\n"
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(seed_dataset[1], tmp_path, planted)


def _data_and_ontology_graph(quads) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES),
                format="nt")
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


ERROR = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")


def owlrl_errors(graph: rdflib.Graph) -> list[str]:
    import owlrl
    from rdflib.term import _toPythonMapping

    saved = dict(_toPythonMapping)
    try:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    finally:
        # owlrl swaps rdflib's lexical conversions process-wide; later tests expect rdflib's.
        _toPythonMapping.clear()
        _toPythonMapping.update(saved)
    err = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
    return sorted(str(graph.value(m, err)) for m in graph.subjects(rdflib.RDF.type, ERROR))


def test_consistent_under_owl2_rl(seed_dataset):
    assert owlrl_errors(_data_and_ontology_graph(seed_dataset[1])) == []


def test_owl2_rl_finds_a_planted_inconsistency(seed_dataset):
    graph = _data_and_ontology_graph(seed_dataset[1])
    # A clause that is also an event breaks the disjointness of the two classes.
    graph.add((rdflib.URIRef("https://kg.example.org/id/clause/revenue-sharing"), rdflib.RDF.type,
               rdflib.URIRef(KGO + "Announcement")))
    assert owlrl_errors(graph) != []


def _hermit(quads, tmp_path, extra: str = "") -> None:
    """Run HermiT through owlready2; raises OwlReadyInconsistentOntologyError if inconsistent."""
    if not shutil.which("java"):
        if os.environ.get("CI") == "true":
            pytest.fail("HermiT needs Java, and CI must have it (.ci/run installs a JRE)")
        pytest.skip("HermiT needs Java, which is not installed here")
    import owlready2

    path = tmp_path / "all.nt"
    graph = _data_and_ontology_graph(quads)
    path.write_bytes(graph.serialize(format="nt", encoding="utf-8") + extra.encode("utf-8"))
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    with onto:
        owlready2.sync_reasoner_hermit(world, ignore_unsupported_datatypes=True, debug=0)


def test_consistent_under_hermit(seed_dataset, tmp_path):
    _hermit(seed_dataset[1], tmp_path)


def test_hermit_finds_a_planted_inconsistency(seed_dataset, tmp_path):
    import owlready2

    planted = (f"<https://kg.example.org/id/clause/revenue-sharing> "
               f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KGO}Announcement> .\n")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(seed_dataset[1], tmp_path, planted)
