"""What the seed graph says, checked with SPARQL the way a user would ask it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import InputError
from kg.iris import KINDS
from kg.namespaces import DEFAULT_BASE_IRI, KGO, OWL, RDF, RDFS
from kg.pipeline import load_dataset
from kg.rdfterms import slugify
from kg.resources import ontology_files

from conftest import SEED_SLUG, SEEDS
from test_factsheet_support import edit, write_pair

YAML = (SEEDS / f"{SEED_SLUG}.yaml").read_text(encoding="utf-8")
AGI = "  - id: agi-escape-clause"

PREFIXES = """
PREFIX kgo: <https://kg.example.org/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ID = DEFAULT_BASE_IRI + "id/"


@pytest.fixture(scope="module")
def store(seed_dataset):
    _, quads, _ = seed_dataset
    s = ox.Store()
    s.extend(quads)
    # As in a user's store: the ontology beside the data, in a graph of its own.
    for path in ontology_files():
        s.load(path=str(path), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(DEFAULT_BASE_IRI + "graph/ontology"))
    return s


def select(store, query: str) -> list[dict[str, str]]:
    results = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return [{v.value: (row[v].value if row[v] is not None else None) for v in results.variables}
            for row in results]


def labels(store, cls: str) -> set[str]:
    rows = select(store, f"SELECT ?l WHERE {{ ?x a {cls} ; rdfs:label ?l }}")
    return {r["l"] for r in rows}


def test_every_organization_of_the_article(store):
    # Stargate, a joint venture, is an organization as well as an agreement.
    assert labels(store, "kgo:Organization") == {
        "Microsoft", "OpenAI", "Arm", "Nvidia", "Oracle", "Inflection", "The Verge",
        "The New York Times", "Stargate"}


def test_the_five_members_of_stargate(store):
    rows = select(store, """SELECT ?name WHERE { ?jv a kgo:JointVenture ; rdfs:label "Stargate" ;
                                                 kgo:hasMember/rdfs:label ?name }""")
    assert sorted(r["name"] for r in rows) == ["Arm", "Microsoft", "Nvidia", "OpenAI", "Oracle"]


def test_agreements_and_their_parties(store):
    rows = select(store, """SELECT ?a (GROUP_CONCAT(?p; separator=",") AS ?parties) WHERE {
        ?agreement kgo:hasParty/rdfs:label ?p ; rdfs:label ?a } GROUP BY ?a""")
    parties = {r["a"]: sorted(r["parties"].split(",")) for r in rows}
    assert parties == {
        "Microsoft–OpenAI partnership": ["Microsoft", "OpenAI"],
        "Stargate": ["Arm", "Microsoft", "Nvidia", "OpenAI", "Oracle"],
        "OpenAI–Oracle compute partnership": ["OpenAI", "Oracle"],
        "Microsoft–Inflection deal": ["Inflection", "Microsoft"],
    }


def test_clauses_of_the_partnership_by_kind(store):
    rows = select(store, """SELECT ?kind ?clause WHERE {
        ?a rdfs:label "Microsoft–OpenAI partnership" ; kgo:hasClause ?clause . ?clause a ?kind }""")
    kinds = sorted(r["kind"].removeprefix(KGO) for r in rows)
    # Every clause is also typed kgo:Clause, so that `?c a kgo:Clause` needs no inference.
    assert kinds == sorted(["RightOfFirstRefusal", "Exclusivity", "Exclusivity", "Exclusivity",
                            "RevenueShare", "EscapeClause", "Permission", "TermClause",
                            *["Clause"] * 8])


@pytest.mark.parametrize(("cls", "count"), [("Agreement", 4), ("Clause", 8), ("Event", 9),
                                            ("Organization", 9)])
def test_every_instance_carries_its_kgo_superclass(store, cls, count):
    # Stargate, a joint venture, is an agreement and a ninth organization.
    rows = select(store, f"SELECT DISTINCT ?x WHERE {{ ?x a kgo:{cls} }}")
    assert len(rows) == count


def test_right_of_first_refusal_supersedes_the_compute_exclusivity(store):
    rows = select(store, """SELECT ?new ?old ?back WHERE {
        ?new a kgo:RightOfFirstRefusal ; kgo:supersedes ?old ; kgo:grantsRightTo ?who .
        ?who rdfs:label "Microsoft" .
        ?old kgo:supersededBy ?back ; kgo:covers/rdfs:label "Azure" }""")
    assert len(rows) == 1 and rows[0]["back"] == rows[0]["new"]


def test_the_change_begins_one_clause_and_ends_another_with_its_time(store):
    rows = select(store, """SELECT ?begun ?ended ?day ?end WHERE {
        ?event kgo:begins ?begun ; kgo:terminates ?ended ; time:hasTime/time:inXSDDate ?day .
        ?begun kgo:startedBy ?event . ?ended kgo:endedBy ?event ;
               kgo:endsAt/time:inXSDDate ?end }""")
    assert [(r["begun"].rsplit("/", 1)[1], r["ended"].rsplit("/", 1)[1], str(r["day"]),
             str(r["end"])) for r in rows] == [
        ("right-of-first-refusal-on-new-capacity", "azure-compute-exclusivity", "2025-01-21",
         "2025-01-21")]


def test_revenue_share_is_a_typed_reported_number(store):
    rows = select(store, """SELECT ?value ?unit ?code ?status ?exact WHERE {
        ?clause a kgo:RevenueShare ; kgo:hasQuantity ?share .
        ?share schema:value ?value ; schema:unitText ?unit ; schema:unitCode ?code ;
               kgo:shareRecipient/rdfs:label "Microsoft" ; kgo:of/rdfs:label "OpenAI" .
        ?ann oa:hasBody ?share ; kgo:assertionStatus ?status ;
             oa:hasTarget/oa:hasSelector/oa:exact ?exact }""")
    assert len(rows) == 1
    row = rows[0]
    assert Decimal(row["value"]) == 20 and row["unit"] == "percent" and row["code"] == "P1"
    assert row["status"] == KGO + "Reported"
    assert "20 percent" in row["exact"]


def test_money_is_amount_and_currency(store):
    rows = select(store, """SELECT ?owner ?p ?value ?currency ?written ?q WHERE {
        ?o kgo:hasMonetaryAmount ?m ; rdfs:label ?owner .
        ?m ?p ?value ; schema:currency ?currency ; kgo:asWritten ?written ; kgo:qualifier ?q .
        FILTER(?p IN (schema:value, schema:minValue, schema:maxValue))
        FILTER(datatype(?value) = xsd:decimal) }""")
    got = {r["owner"]: (r["p"].removeprefix("https://schema.org/"), Decimal(r["value"]),
                        r["currency"], r["written"], r["q"].removeprefix(KGO)) for r in rows}
    # "more than $100 billion" is a lower bound, never an exact schema:value.
    assert got == {
        "Microsoft–Inflection deal": ("value", Decimal(650_000_000), "USD", "$650 million",
                                      "Exactly"),
        "AGI escape clause": ("minValue", Decimal(100_000_000_000), "USD",
                              "more than $100 billion", "MoreThan"),
    }


def test_event_times_are_resolved_against_the_publication_date(store):
    rows = select(store, """SELECT ?event ?value ?words ?against WHERE {
        ?e a ?kind ; rdfs:label ?event ; time:hasTime ?t . ?kind rdfs:subClassOf* kgo:Event .
        ?t kgo:timeExpression ?words .
        OPTIONAL { ?t kgo:resolvedAgainst ?against }
        { ?t time:inXSDDate ?value } UNION { ?t time:inXSDgYearMonth ?value }
        UNION { ?t time:inXSDgYear ?value } }""")
    article = ID + f"article/{SEED_SLUG}"
    got = {r["event"]: (r["value"], r["words"], r["against"]) for r in rows}
    assert got == {
        "Microsoft and OpenAI announce changes to their partnership":
            ("2025-01-21", "Tuesday", article),
        "OpenAI partners with Oracle for compute": ("2024-06", "back in June", article),
        "Microsoft hires Mustafa Suleyman and most of Inflection's staff":
            ("2024-03", "Last March", article),
        "OpenAI considers dropping the AGI provision": ("2025-01-21", "now", article),
    }


def test_partnership_term_is_a_year(store):
    rows = select(store, """SELECT ?year WHERE {
        ?c a kgo:TermClause ; kgo:endsAt/time:inXSDgYear ?year .
        FILTER(datatype(?year) = xsd:gYear) }""")
    assert [r["year"] for r in rows] == ["2030"]


def test_people_and_roles(store):
    rows = select(store, """SELECT ?person ?role ?org WHERE {
        ?m a org:Membership ; org:member/rdfs:label ?person ; org:role/rdfs:label ?role ;
           org:organization/rdfs:label ?org }""")
    assert sorted((r["person"], r["role"], r["org"]) for r in rows) == sorted([
        ("Sam Altman", "chief executive officer", "OpenAI"),
        ("Mustafa Suleyman", "chief executive officer", "Inflection"),
        ("Mustafa Suleyman", "head of consumer AI", "Microsoft"),
        ("Kylie Robison", "senior AI reporter", "The Verge"),
        ("Cath Virginia", "illustrator", "The Verge"),
    ])


def test_reported_claims_name_their_source(store):
    rows = select(store, """SELECT DISTINCT ?fact WHERE {
        ?ann kgo:assertionStatus kgo:Reported ; kgo:attributedTo/rdfs:label "The New York Times" ;
             oa:hasBody/rdfs:label ?fact }""")
    facts = {r["fact"] for r in rows}
    assert {"Microsoft–OpenAI relationship grows strained",
            "OpenAI leadership angered by the Inflection hire"} <= facts


def test_verified_wikidata_links(store):
    rows = select(store, "SELECT ?name ?wd WHERE { ?x owl:sameAs ?wd ; rdfs:label ?name }")
    assert {r["name"]: r["wd"].rsplit("/", 1)[1] for r in rows} == {
        "Microsoft": "Q2283", "OpenAI": "Q21708200", "Nvidia": "Q182477",
        "Sam Altman": "Q7407093", "Azure": "Q725967"}


def test_offsets_match_the_article_text_in_sparql(store):
    # SPARQL's SUBSTR counts characters from 1, like the code points our offsets count from 0.
    rows = select(store, """SELECT ?exact ?found WHERE {
        ?ann oa:hasTarget ?t . ?t oa:hasSource ?article ;
             oa:hasSelector [ oa:exact ?exact ], [ oa:start ?s ; oa:end ?e ] .
        ?article schema:text ?text .
        BIND(SUBSTR(?text, ?s + 1, ?e - ?s) AS ?found) }""")
    assert len(rows) == 47
    assert all(r["exact"] == r["found"] for r in rows)


@pytest.mark.parametrize("link,subject_class", [
    ("kgo:hasParty", "kgo:Agreement"), ("kgo:hasParticipant", "kgo:Event"),
    ("kgo:grantsRightTo", "kgo:Clause"), ("kgo:covers", "kgo:Clause"),
])
def test_every_link_has_a_quote_that_names_its_target(store, link, subject_class):
    rows = select(store, f"""SELECT ?x ?target (GROUP_CONCAT(?exact; separator=" | ") AS ?quotes)
        WHERE {{ ?x {link} ?target . ?x a/rdfs:subClassOf* {subject_class} .
                OPTIONAL {{ ?ann oa:hasBody ?x ; oa:hasTarget/oa:hasSelector/oa:exact ?exact }} }}
        GROUP BY ?x ?target""")
    assert rows
    for row in rows:
        names = [r["n"] for r in select(store, f"""SELECT ?n WHERE {{
            {{ <{row['target']}> schema:name ?n }}
            UNION {{ <{row['target']}> schema:alternateName ?n }} }}""")]
        folded = row["quotes"].replace("\u2019", "'")
        assert any(n.replace("\u2019", "'") in folded for n in names), (row, names)


def test_every_fact_node_has_evidence(store):
    rows = select(store, """SELECT ?x WHERE {
        GRAPH ?g { ?x a ?c } FILTER(STRENDS(STR(?g), "/facts"))
        FILTER NOT EXISTS { ?ann oa:hasBody ?x } FILTER NOT EXISTS { ?x a org:Role } }""")
    assert rows == []


def test_iris_are_flat_and_there_are_no_blank_nodes(seed_dataset):
    _, quads, _ = seed_dataset
    kinds = "|".join(KINDS)
    pattern = re.compile(re.escape(ID) + rf"({kinds})/[a-z0-9.]+(?:-[a-z0-9.]+)*(#[a-z]+)?")
    for q in quads:
        for term in (q.subject, q.object):
            assert not isinstance(term, ox.BlankNode)
            if isinstance(term, ox.NamedNode) and term.value.startswith(ID):
                assert pattern.fullmatch(term.value), term.value


def test_no_run_specific_values(seed_dataset):
    _, quads, _ = seed_dataset
    datatypes = {q.object.datatype.value for q in quads if isinstance(q.object, ox.Literal)}
    assert not any(d.endswith(("dateTime", "dateTimeStamp", "time")) for d in datatypes)


def test_base_iri_moves_every_minted_iri(tmp_path):
    _, quads, _ = load_dataset([SEEDS], "https://data.example.com/deals/")
    minted = {t.value for q in quads for t in (q.subject, q.object, q.graph_name)
              if isinstance(t, ox.NamedNode) and "example" in t.value}
    assert minted and all(iri.startswith(("https://data.example.com/deals/", KGO))
                          for iri in minted)


def test_every_class_and_property_used_is_declared_in_the_ontology(seed_dataset):
    _, quads, _ = seed_dataset
    ontology = ox.Store()
    for path in ontology_files():
        ontology.load(path=str(path), format=ox.RdfFormat.TURTLE)
    typed = ontology.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None)
    declared = {q.subject.value for q in typed}
    builtin = {RDF + "type", RDFS + "label", OWL + "sameAs"}
    used = {q.predicate.value for q in quads} | {
        q.object.value for q in quads if q.predicate.value == RDF + "type"}
    assert sorted(used - declared - builtin) == []



# ------------------------------------------------------------ slugs and IRI collisions

@pytest.mark.parametrize(("title", "slug"), [
    ("chief executive officer", "chief-executive-officer"),
    ("head of consumer AI", "head-of-consumer-ai"), ("senior AI reporter", "senior-ai-reporter"),
    ("illustrator", "illustrator"), ("Chief  Executive, Officer!", "chief-executive-officer"),
    ("Président-directeur général", "president-directeur-general"),
    ("Geschäftsführerin", "geschaftsfuhrerin"), ("Straßenbauleiter", "strassenbauleiter")])
def test_latin_titles_keep_readable_slugs(title, slug):
    assert slugify(title) == slug


@pytest.mark.parametrize("title", ["首席执行官", "الرئيس التنفيذي", "генеральный директор",
                                   "🎨", "CEO 🚀", "最高経営責任者 (CEO)", "Ω", "٣"])
def test_other_titles_get_a_stable_hashed_slug(title):
    slug = slugify(title)
    assert re.fullmatch(r"([a-z0-9]+-)*[0-9a-f]{12}", slug), slug
    assert slug == slugify(title.upper()) == slugify(f"  {title} ")  # case and spacing aside


def test_different_titles_never_share_a_hashed_slug():
    titles = ["首席执行官", "首席技术官", "الرئيس التنفيذي", "المدير المالي", "🎨", "🚀",
              "CEO 🚀", "CEO 🎨", "генеральный директор", "финансовый директор"]
    assert len({slugify(t) for t in titles}) == len(titles)
    assert slugify("CEO 🚀") != slugify("CEO")
    assert all(slugify(t) for t in titles + ["", "!!!", "—"])


def _dataset(tmp_path, yaml: str, *more: tuple[str, str]):
    for slug, text in ((SEED_SLUG, yaml), *more):
        (tmp_path / f"{slug}.txt").write_text((SEEDS / f"{SEED_SLUG}.txt").read_text(
            encoding="utf-8"), encoding="utf-8")
        (tmp_path / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return load_dataset([tmp_path])


def test_non_latin_roles_are_distinct_resources(tmp_path):
    yaml = YAML.replace("title: illustrator", "title: 插画师").replace(
        "title: senior AI reporter", "title: 记者")
    _, quads, _ = _dataset(tmp_path, yaml)
    roles = {q.subject.value: q.object.value for q in quads
             if "/id/role/" in q.subject.value and q.predicate.value == RDFS + "label"}
    assert sorted(roles.values()) == sorted(["chief executive officer", "head of consumer AI",
                                             "插画师", "记者"])
    assert not any(iri.endswith("/role/") for iri in roles)


def test_an_event_named_like_an_agreements_end_is_refused(tmp_path):
    yaml = YAML.replace("partnership-change-announcement", "microsoft-openai-partnership-end")
    with pytest.raises(InputError) as info:
        _dataset(tmp_path, yaml)
    err = info.value
    assert (err.entry, err.field) == ("microsoft-openai-partnership-end", "time")
    assert "already that of the ends of entry 'microsoft-openai-partnership'" in err.message
    assert f"{SEED_SLUG}.yaml:158" in err.message  # where the ends is


def test_a_clause_end_and_an_event_time_are_refused(tmp_path):
    yaml = YAML.replace("partnership-change-announcement", "partnership-term-end")
    with pytest.raises(InputError, match="ends of entry 'partnership-term'"):
        _dataset(tmp_path, yaml)


def test_annotations_of_two_articles_cannot_share_an_iri(tmp_path):
    """Article 'a' quoting entry 'new-york-times' and article 'a-new' quoting an entry
    'york-times' would both annotate as …/annotation/a-new-york-times-1."""
    renamed = YAML.replace("new-york-times", "york-times")
    (tmp_path / "a.txt").write_text((SEEDS / f"{SEED_SLUG}.txt").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    (tmp_path / "a.yaml").write_text(YAML, encoding="utf-8")
    (tmp_path / "a-new.txt").write_text((tmp_path / "a.txt").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    (tmp_path / "a-new.yaml").write_text(renamed, encoding="utf-8")
    with pytest.raises(InputError, match="/id/annotation/a-new-york-times-1>, already") as info:
        load_dataset([tmp_path])
    assert info.value.field == "evidence"


def _edited_store(tmp_path, edits) -> ox.Store:
    """A store of the seed with its fact sheet edited line by line: (old, new, after)."""
    text = YAML
    for old, new, after in edits:
        text = edit(text, old, new, after=after)
    write_pair(tmp_path, text)
    store = ox.Store()
    store.extend(load_dataset([tmp_path])[1])
    return store


def test_a_span_is_an_interval_between_instants_with_the_words(tmp_path):
    store = _edited_store(tmp_path, [
        ("      year: 2030", "      from: 2030-07\n      until: 2030", "  - id: partnership-term")])
    rows = select(store, """SELECT ?begin ?end ?words WHERE {
        ?c rdfs:label "Term of the Microsoft–OpenAI partnership" ; kgo:endsAt ?t .
        ?t a time:ProperInterval ; kgo:timeExpression ?words ;
           time:hasBeginning/time:inXSDgYearMonth ?begin ; time:hasEnd/time:inXSDgYear ?end }""")
    assert rows == [{"begin": "2030-07", "end": "2030", "words": "runs through 2030"}]


def test_a_time_placed_nowhere_keeps_only_its_words(tmp_path):
    store = _edited_store(tmp_path, [
        ("      year: 2030", "      relative: true", "  - id: partnership-term")])
    rows = select(store, """SELECT ?t ?words WHERE {
        ?c rdfs:label "Term of the Microsoft–OpenAI partnership" ; kgo:endsAt ?t .
        ?t a time:TemporalEntity ; kgo:timeExpression ?words .
        FILTER NOT EXISTS { ?t time:inXSDgYear|time:hasBeginning|time:hasEnd ?any } }""")
    # Values are what one article says: their IRIs start with its slug (here 'a').
    assert rows == [{"t": ID + "temporal/a-partnership-term-end", "words": "runs through 2030"}]


def test_status_instrument_binding_and_planned_are_terms_and_booleans(tmp_path):
    store = _edited_store(tmp_path, [
        ("    type: Partnership", "    type: Partnership\n    status: NonBinding\n"
         "    instrument: MemorandumOfUnderstanding\n    binding: false",
         "  - id: microsoft-openai-partnership"),
        ("    type: Deliberation", "    type: Deliberation\n    planned: true", None)])
    assert store.query(PREFIXES + """ASK {
        ?a kgo:status kgo:NonBinding ; kgo:instrument kgo:MemorandumOfUnderstanding ;
           kgo:binding false ; rdfs:label "Microsoft–OpenAI partnership" .
        ?e kgo:planned true ; a kgo:Deliberation , kgo:Event }""",
                       use_default_graph_as_union=True)


def test_a_group_is_no_organization_and_a_regulator_is_a_government_body(tmp_path):
    store = _edited_store(tmp_path, [
        ("    name: Arm", "    name: Arm\n    type: Group", None),
        ("    name: Inflection", "    name: Inflection\n    type: Regulator", None)])
    types = {r["t"].removeprefix(KGO) for r in select(store, """SELECT ?t WHERE {
        <https://kg.example.org/id/organization/inflection> a ?t }""")}
    assert types == {"Regulator", "GovernmentBody", "Organization"}
    assert {r["t"].removeprefix(KGO) for r in select(store, """SELECT ?t WHERE {
        <https://kg.example.org/id/organization/arm> a ?t }""")} == {"Group"}


def test_qualified_numbers_never_write_an_exact_value_the_text_does_not_give(tmp_path):
    store = _edited_store(tmp_path, [
        ("        qualifier: more-than", "        qualifier: up-to", AGI),
        ("        unit: percent", "        unit: percent\n        qualifier: about", None)])
    rows = select(store, """SELECT ?p ?q ?approx WHERE {
        ?x kgo:hasMonetaryAmount|kgo:hasQuantity ?v . ?v ?p ?n ; kgo:qualifier ?q .
        FILTER (?p IN (schema:value, schema:minValue, schema:maxValue))
        OPTIONAL { ?v kgo:approximate ?approx } }""")
    got = {(r["p"].removeprefix("https://schema.org/"), r["q"].removeprefix(KGO), r["approx"])
           for r in rows}
    assert got == {("maxValue", "UpTo", None), ("value", "Exactly", None),
                   ("value", "About", "true")}


# What the vocabulary issue renamed in the seed's facts: the one place the changes are listed.
BEFORE = Path(__file__).resolve().parent / "fixtures" / "seed-facts-before-vocabulary.nt"
RENAMED_IRIS = {
    # kgo:hasShare is kgo:hasQuantity for every quantity; a share's whole is kgo:of.
    KGO + "hasShare": KGO + "hasQuantity",
    KGO + "shareOf": KGO + "of",
}


def _renamed_value(iri: str) -> str:
    """Amounts, quantities and times are what one article says: their IRIs start with the
    article's slug; amounts and quantities became lists, and end in their place in it."""
    for kind, suffix in (("amount/", "-1"), ("quantity/", "-1"), ("instant/", "")):
        if iri.startswith(ID + kind):
            return f"{ID}{kind}{SEED_SLUG}-{iri.removeprefix(ID + kind)}{suffix}"
    return RENAMED_IRIS.get(iri, iri)


# "more than $100 billion" is a lower bound: never again an exact schema:value.
CORRECTED = {(f"{ID}amount/{SEED_SLUG}-agi-escape-clause-1", "https://schema.org/value"):
             "https://schema.org/minValue"}


def _triples(quads) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


def test_the_seed_keeps_every_fact_it_had_before_the_vocabulary(seed_dataset):
    def renamed(term: str) -> str:
        return f"<{_renamed_value(term[1:-1])}>" if term.startswith("<") else term

    before = set()
    for s, p, o in _triples(ox.parse(path=str(BEFORE), format=ox.RdfFormat.N_TRIPLES)):
        s, p, o = renamed(s), renamed(p), renamed(o)
        p = f"<{CORRECTED.get((s[1:-1], p[1:-1]), p[1:-1])}>"
        before.add((s, p, o))
    facts = [q for q in seed_dataset[1] if q.graph_name.value.endswith("/facts")]
    assert before - _triples(facts) == set()


def test_two_roles_in_one_organization_are_two_memberships(tmp_path):
    store = _edited_store(tmp_path, [(
        "        head: true",
        "        head: true\n      - organization: openai\n        title: co-founder\n"
        "        text: OpenAI CEO Sam Altman", "  - id: sam-altman")])
    rows = select(store, """SELECT ?m ?title WHERE {
        ?m org:member <https://kg.example.org/id/person/sam-altman> ;
           org:role/rdfs:label ?title }""")
    assert {(r["m"].removeprefix(ID), r["title"]) for r in rows} == {
        ("membership/sam-altman-openai", "chief executive officer"),
        ("membership/sam-altman-openai-co-founder", "co-founder")}


def test_a_former_role_is_marked_and_is_no_membership_now(tmp_path):
    former = "        head: true\n        former: true"
    store = _edited_store(tmp_path, [("        head: true", former, "  - id: mustafa-suleyman")])
    suleyman = "<https://kg.example.org/id/person/mustafa-suleyman>"
    assert store.query(PREFIXES + f"""ASK {{
        ?m org:member {suleyman} ; org:organization ?inflection ; kgo:former true .
        ?inflection rdfs:label "Inflection" .
        FILTER NOT EXISTS {{ {suleyman} org:memberOf|org:headOf ?inflection }}
        {suleyman} org:memberOf/rdfs:label "Microsoft" }}""", use_default_graph_as_union=True)
