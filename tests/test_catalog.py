"""The shipped example queries answer what the article says, exactly; their headers declare
the question and the parameters."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg import catalog, sparql
from kg.cli import main
from kg.errors import QueryError
from kg.pages import templates
from kg.results import Results

ID = "https://kg.example.org/id/"


ORG = ID + "organization/"


KGO = "https://kg.example.org/ontology#"


PARTNERSHIP = ID + "agreement/microsoft-openai-partnership"
ROFR = ID + "clause/right-of-first-refusal-on-new-capacity"
EXCLUSIVITY = ID + "clause/azure-compute-exclusivity"
ANNOUNCEMENT = ID + "event/partnership-change-announcement"
IN_FORCE_ON_THE_SEED = [
    (PARTNERSHIP, ID + "clause/" + clause, name, since, until) for clause, name, since, until in [
        ("agi-escape-clause", "AGI escape clause", None, None),
        ("technology-exclusivity", "Microsoft's exclusive rights to OpenAI's technology", None,
         None),
        ("right-of-first-refusal-on-new-capacity",
         "Microsoft's right of first refusal on new compute capacity", "2025-01-21", None),
        ("api-exclusivity", "OpenAI API exclusive to Azure", None, None),
        ("additional-capacity-permission", "OpenAI may build additional capacity", None, None),
        ("partnership-term", "Term of the Microsoft–OpenAI partnership", None, "2030"),
        ("revenue-sharing", "Two-way revenue sharing", None, None)]]


EXPECTED = {
    "agreement-parties": [
        (ORG + "microsoft", "Microsoft"), (ORG + "openai", "OpenAI")],
    "agreement-clauses": [
        ("EscapeClause", "AGI escape clause", "OpenAI"),
        ("Exclusivity", "Azure exclusivity for OpenAI's compute (superseded)", "Microsoft"),
        ("Exclusivity", "Microsoft's exclusive rights to OpenAI's technology", "Microsoft"),
        ("Exclusivity", "OpenAI API exclusive to Azure", "Microsoft"),
        ("Permission", "OpenAI may build additional capacity", "OpenAI"),
        ("RevenueShare", "Two-way revenue sharing", "Microsoft"),
        ("RevenueShare", "Two-way revenue sharing", "OpenAI"),
        ("RightOfFirstRefusal", "Microsoft's right of first refusal on new compute capacity",
         "Microsoft"),
        ("TermClause", "Term of the Microsoft–OpenAI partnership", None)],
    "joint-venture-members": [
        (ORG + "arm", "Arm"), (ORG + "microsoft", "Microsoft"), (ORG + "nvidia", "Nvidia"),
        (ORG + "openai", "OpenAI"), (ORG + "oracle", "Oracle")],
    "organizations-in-several-agreements": [
        (ORG + "microsoft", "Microsoft", 3), (ORG + "openai", "OpenAI", 3),
        (ORG + "oracle", "Oracle", 2)],
    "organization-agreements": [
        ("OpenAI–Oracle compute partnership", "Partnership", "OpenAI"),
        ("Stargate", "JointVenture", "Arm"), ("Stargate", "JointVenture", "Microsoft"),
        ("Stargate", "JointVenture", "Nvidia"), ("Stargate", "JointVenture", "OpenAI")],
    # "more than $100 billion" is a lower bound: no exact amount.
    "monetary-amounts": [
        ("AGI escape clause", None, Decimal(100_000_000_000), None, "MoreThan", "USD", None,
         "ProfitAmount", "more than $100 billion"),
        ("Microsoft–Inflection deal", Decimal(650_000_000), None, None, "Exactly", "USD", None,
         "PriceAmount", "$650 million")],
    "agreement-term": [("Microsoft–OpenAI partnership", None, "2030", "runs through 2030")],
    "agreements-by-status": [
        ("unstated", "Microsoft–Inflection deal", "HiringDeal", None, None),
        ("unstated", "Microsoft–OpenAI partnership", "Partnership", None, None),
        ("unstated", "OpenAI–Oracle compute partnership", "Partnership", None, None),
        ("unstated", "Stargate", "JointVenture", None, None)],
    "quantities": [
        ("Two-way revenue sharing", Decimal(20), None, None, "Exactly", "P1", "percent",
         "OpenAI", "revenue", False, "20 percent")],
    "superseded-clauses": [
        ("Azure exclusivity for OpenAI's compute (superseded)",
         "Microsoft's right of first refusal on new compute capacity", "RightOfFirstRefusal",
         "Microsoft")],
    "timeline": [
        ("2024-03", None, "month",
         "Microsoft hires Mustafa Suleyman and most of Inflection's staff", False, "Last March"),
        ("2024-06", None, "month", "OpenAI partners with Oracle for compute", False,
         "back in June"),
        ("2025-01-21", None, "day", "Microsoft and OpenAI announce changes to their partnership",
         False, "Tuesday"),
        ("2025-01-21", None, "day", "OpenAI considers dropping the AGI provision", False, "now"),
        (None, None, None, "Microsoft–OpenAI relationship grows strained", False, None),
        (None, None, None, "OpenAI leadership angered by the Inflection hire", False, None),
        (None, None, None, "OpenAI shareholders want faster compute from Microsoft", False,
         None),
        (None, None, None, "Sam Altman briefly ousted from OpenAI", False, None),
        (None, None, None, "Stargate joint venture announced", False, None)],
    "reported-claims": [
        ("20 percent", None,
         "it’s been reported that Microsoft gets 20 percent of OpenAI’s revenue"),
        ("AGI escape clause", None, ("AGI, reportedly, is defined as a system capable of "
                                     "generating more than $100 billion in profits.")),
        ("Microsoft–OpenAI relationship grows strained", "The New York Times",
         ("The New York Times reported that the relationship has grown increasingly strained "
          "over OpenAI’s stability and financial pressures.")),
        ("OpenAI considers dropping the AGI provision", None, (
            "but now OpenAI is reportedly "
            "considering dropping this provision, likely to secure more Microsoft funding.")),
        ("OpenAI leadership angered by the Inflection hire", "The New York Times",
         ("According to The New York Times report, this move particularly angered some OpenAI "
          "leadership, including Altman.")),
        ("OpenAI shareholders want faster compute from Microsoft", None, (
            "It has been "
            "previously reported that some OpenAI shareholders felt Microsoft needed to move "
            "faster to deliver compute power to OpenAI")),
        ("Two-way revenue sharing", None,
         "it’s been reported that Microsoft gets 20 percent of OpenAI’s revenue"),
        ("more than $100 billion", None, ("AGI, reportedly, is defined as a system capable of "
                                          "generating more than $100 billion in profits.")),
        ("now (2025-01-21)", None, ("but now OpenAI is reportedly considering dropping this "
                                    "provision, likely to secure more Microsoft funding."))],
    "claims-by-status": [("Reported", 6), ("Stated", 41)],
    "evidence": [
        (78, 183, ("Microsoft’s deal with OpenAI has ‘evolved’ to include a right of first "
                   "refusal on supplying new capacity."), "Stated"),
        (629, 788, ("The new agreement “includes changes to the exclusivity on new capacity, "
                    "moving to a model where Microsoft has a right of first refusal (ROFR),” "
                    "Microsoft says."), "Stated")],
    "people-and-roles": [
        ("Cath Virginia", "illustrator", "The Verge", False),
        ("Kylie Robison", "senior AI reporter", "The Verge", False),
        ("Mustafa Suleyman", "chief executive officer", "Inflection", True),
        ("Mustafa Suleyman", "head of consumer AI", "Microsoft", False),
        ("Sam Altman", "chief executive officer", "OpenAI", True)],
    # On 2025-06-01: the right of first refusal since the 2025-01-21 announcement, and not the
    # exclusivity it ended (tests/test_queries_time.py tries other dates and the corpus).
    "clauses-in-force": IN_FORCE_ON_THE_SEED,
    "clauses-known-on": IN_FORCE_ON_THE_SEED,
    "agreement-history": [(PARTNERSHIP, *row) for row in [
        ("2025-01-21", "begun by", ROFR,
         "Microsoft's right of first refusal on new compute capacity", ANNOUNCEMENT),
        ("2025-01-21", "ended by", EXCLUSIVITY,
         "Azure exclusivity for OpenAI's compute (superseded)", ANNOUNCEMENT),
        ("2025-01-21", "ends", EXCLUSIVITY, "Azure exclusivity for OpenAI's compute (superseded)",
         None),
        ("2025-01-21", "supersedes", ROFR,
         "Microsoft's right of first refusal on new compute capacity", EXCLUSIVITY),
        ("2030", "ends", PARTNERSHIP, "Microsoft–OpenAI partnership", None),
        ("2030", "ends", ID + "clause/partnership-term",
         "Term of the Microsoft–OpenAI partnership", None)]],
}

# Every example that returns facts ends with the article whose graph states the row (on the
# seed, its one article); the counts are over every article. EXPECTED gives the other columns.
ARTICLE = ID + "article/"
VERGE = ARTICLE + "verge-2025-01-21-microsoft-openai-compute"
COUNTS = {"claims-by-status", "organizations-in-several-agreements"}
# The examples on time and history, whose article is not their last column.
TIME_EXAMPLES = {"clauses-in-force", "clauses-known-on", "agreement-history"}


# The examples that ask what only the example articles say, answered on the six articles
# built together (seeds/ and examples/).
META, STAKE = "Meta's 49% non-voting stake in Scale AI", (Decimal(49), "Exactly", False)
EXPECTED_ON_CORPUS = {
    "equity-stakes": [
        ("Meta Platforms", "Scale AI", *STAKE, Decimal(14_000_000_000), None, None, "About",
         "ValuationAmount", "USD", "about $14 billion", META),
        ("Meta Platforms", "Scale AI", *STAKE, Decimal(14_300_000_000), None, None, "About",
         "InvestmentAmount", "USD", "about $14.3 billion", META),
        ("Meta Platforms", "Scale AI", *STAKE, None, Decimal(29_000_000_000), None, "MoreThan",
         "ValuationAmount", "USD", "more than $29 billion", META),
        ("OpenAI nonprofit", "OpenAI public benefit corporation", None, None, None, None,
         Decimal(100_000_000_000), None, "MoreThan", "ValuationAmount", "USD",
         "exceed $100 billion", "The nonprofit's equity stake in the public benefit corporation")],
    "investments-and-commitments": [
        ("Stargate", "CommitmentAmount", Decimal(500_000_000_000), None, None, "Exactly"),
        ("OpenAI–Oracle computing-power contract", "CommitmentAmount",
         Decimal(300_000_000_000), None, None, "About"),
        ("Nvidia invests up to $100 billion in OpenAI", "InvestmentAmount", None, None,
         Decimal(100_000_000_000), "UpTo"),
        ("Nvidia's investment in OpenAI", "InvestmentAmount", None, None,
         Decimal(100_000_000_000), "UpTo"),
        ("OpenAI–Oracle computing-power contract", "CommitmentAmount", Decimal(60_000_000_000),
         None, None, "About"),
        ("SoftBank-led funding round in OpenAI", "FundingAmount", None, None,
         Decimal(40_000_000_000), "UpTo"),
        ("SoftBank may cut its contribution to $20 billion", "FundingAmount",
         Decimal(20_000_000_000), None, None, "Exactly"),
        (META, "InvestmentAmount", Decimal(14_300_000_000), None, None, "About"),
        ("Microsoft's investment in OpenAI", "InvestmentAmount", None, Decimal(13_000_000_000),
         None, "MoreThan"),
        ("Unidentified customer's custom-chip orders with Broadcom", "CommitmentAmount",
         Decimal(10_000_000_000), None, None, "About")],
    "clause-conditions": [
        ("Google's acquisition of Wiz", "$32 billion in cash",
         "Other customary closing conditions", "CustomaryConditions"),
        ("Google's acquisition of Wiz", "$32 billion in cash", "Regulatory approvals",
         "RegulatoryApproval"),
        ("Google's acquisition of Wiz", "Reverse breakup fee", "The acquisition falls through",
         "OtherCondition"),
        ("Google's acquisition of Wiz", "Wiz becomes part of Google Cloud",
         "Other customary closing conditions", "CustomaryConditions"),
        ("Google's acquisition of Wiz", "Wiz becomes part of Google Cloud",
         "Regulatory approvals", "RegulatoryApproval"),
        ("Microsoft–OpenAI partnership", "AGI escape clause",
         "OpenAI's declaration that it has achieved AGI", "OtherCondition"),
        ("Nvidia's investment in OpenAI", "Nvidia invests up to $100 billion in OpenAI",
         "OpenAI deploys at least 10 gigawatts of Nvidia systems", "Milestone"),
        ("OpenAI–AMD graphics processor agreement",
         "AMD's warrant to OpenAI for up to 160 million shares",
         "Deployment milestones for the AMD warrant", "Milestone"),
        ("OpenAI–AMD graphics processor agreement",
         "AMD's warrant to OpenAI for up to 160 million shares",
         "Share-price milestones for the AMD warrant", "PriceTarget"),
        ("SoftBank-led funding round in OpenAI",
         "SoftBank may cut its contribution to $20 billion",
         "Restructuring finished by the end of 2025", "Deadline")],
}

# The article that states each row of EXPECTED_ON_CORPUS, in order.
SCALE, MEMO = "hsj-2025-06-16-meta-scale-ai-stake", "hsj-2025-09-12-microsoft-openai-memorandum"
ORACLE = "hsj-2025-09-11-oracle-openai-compute-contract"
WIZ = "hsj-2025-03-19-google-wiz-acquisition"
BROADCOM = "hsj-2025-10-14-broadcom-openai-accelerators"
STATED_IN = {
    "equity-stakes": [SCALE, SCALE, SCALE, MEMO],
    "investments-and-commitments": [ORACLE, ORACLE, BROADCOM, BROADCOM, ORACLE, MEMO, MEMO,
                                    SCALE, MEMO, BROADCOM],
    "clause-conditions": [WIZ, WIZ, WIZ, WIZ, WIZ, MEMO, BROADCOM, BROADCOM, BROADCOM, MEMO],
}

NETWORK_EDGES = {
    ("arm", "inJointVentureWith", "microsoft"), ("arm", "inJointVentureWith", "nvidia"),
    ("arm", "inJointVentureWith", "openai"), ("arm", "inJointVentureWith", "oracle"),
    ("microsoft", "inJointVentureWith", "nvidia"), ("microsoft", "inJointVentureWith", "openai"),
    ("microsoft", "inJointVentureWith", "oracle"), ("nvidia", "inJointVentureWith", "openai"),
    ("nvidia", "inJointVentureWith", "oracle"), ("openai", "inJointVentureWith", "oracle"),
    ("microsoft", "inPartnershipWith", "openai"), ("openai", "inPartnershipWith", "oracle"),
    ("inflection", "inHiringDealWith", "microsoft"),
}


def plain(term):
    """A result cell as a Python value, the same whichever engine produced it."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, rdflib.URIRef)):
        return term.value if isinstance(term, ox.NamedNode) else str(term)
    value = term.value if isinstance(term, ox.Literal) else str(term)
    datatype = str(term.datatype.value if isinstance(term, ox.Literal) else term.datatype or "")
    if datatype.endswith(("#integer", "#nonNegativeInteger")):
        return int(value)
    if datatype.endswith("#decimal"):
        return Decimal(value)
    if datatype.endswith("#boolean"):
        return value in ("true", "1")
    return value


def table(results: Results, width: int | None = None) -> list[tuple]:
    return [tuple(plain(c) for c in row[:width]) for row in results.rows]


def run_example(name: str, data, **given) -> Results:
    example = catalog.resolve(name)
    return sparql.run_local(example.text, sparql.bindings(example, given), [data])


def test_there_are_at_least_twelve_examples_with_questions():
    examples = catalog.examples()
    assert len(examples) >= 12
    for example in examples:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", example.name)
        assert example.question.endswith((".", "?")), example.name
        assert example.text.startswith("# "), example.name


def test_every_select_example_has_an_expected_answer():
    selects = {e.name for e in catalog.examples() if "CONSTRUCT" not in e.text}
    assert selects == set(EXPECTED) | set(EXPECTED_ON_CORPUS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_answers_exactly(name, built):
    results = run_example(name, built / "graph.trig")
    width = len(EXPECTED[name][0])
    assert table(results, width) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_ON_CORPUS))
def test_example_answers_exactly_on_the_six_articles(name, corpus_built):
    results = run_example(name, corpus_built / "graph.trig")
    width = len(EXPECTED_ON_CORPUS[name][0])
    assert table(results, width) == EXPECTED_ON_CORPUS[name]


def articles(results: Results) -> list[str]:
    return [row[-1] for row in table(results)] if results.variables[-1] == "article" else []


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - COUNTS - TIME_EXAMPLES))
def test_each_row_names_the_article_that_states_it(name, built):
    assert articles(run_example(name, built / "graph.trig")) == [VERGE] * len(EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED_ON_CORPUS))
def test_each_row_names_its_article_among_the_six(name, corpus_built):
    results = run_example(name, corpus_built / "graph.trig")
    assert articles(results) == [ARTICLE + slug for slug in STATED_IN[name]]


def test_without_named_graphs_the_rows_stay_and_the_article_is_unknown(built, tmp_path):
    """On a graph file of triples only (graph.ttl) nothing says which article states what."""
    data = tmp_path / "graph.nt"
    quads = ox.parse(path=str(built / "graph.trig"), format=ox.RdfFormat.TRIG)
    ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], str(data),
                 format=ox.RdfFormat.N_TRIPLES)
    for name in ("agreement-clauses", "timeline", "agreements-by-status"):
        results = run_example(name, data)
        assert table(results, len(EXPECTED[name][0])) == EXPECTED[name], name
        assert set(articles(results)) == {None}, name


def _network(triples) -> set[tuple[str, str, str]]:
    edges = set()
    for t in triples:
        s, p, o = (x.value if hasattr(x, "value") else str(x)
                   for x in (t.subject, t.predicate, t.object)) \
            if isinstance(t, ox.Triple) else (str(t[0]), str(t[1]), str(t[2]))
        if p.startswith(KGO):
            a, b = s.rsplit("/", 1)[1], o.rsplit("/", 1)[1]
            edges.add((min(a, b), p[len(KGO):], max(a, b)))
    return edges


def test_organization_network_construct(built):
    results = run_example("organization-network", built / "graph.trig")
    assert results.kind == "graph"
    assert _network(results.triples) == NETWORK_EDGES
    labels = {t.object.value for t in results.triples if t.predicate.value.endswith("#label")}
    assert labels == {"Arm", "Inflection", "Microsoft", "Nvidia", "OpenAI", "Oracle"}


def test_parameters_choose_the_answer(built):
    results = run_example("agreement-parties", built / "graph.trig",
                          agreement=f"<{ID}agreement/stargate>")
    assert [r[1] for r in table(results)] == ["Arm", "Microsoft", "Nvidia", "OpenAI", "Oracle"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rdflib_gives_the_same_answers(name, built):
    """The embedded engine was chosen over rdflib for speed; both must agree on every example."""
    example = catalog.resolve(name)
    text = sparql.with_values(example.text, sparql.bindings(example, {}))
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(built / "graph.trig", format="trig")
    theirs = [tuple(plain(row[v]) for v in row.labels) for row in dataset.query(text)]
    ours = table(sparql.run_local(example.text, sparql.bindings(example, {}),
                                  [built / "graph.trig"]))
    assert theirs == ours


def test_list_prints_name_and_question_one_a_line_without_header():
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(catalog.examples())
    for line in lines:
        name, question = line.split("  ", 1)
        assert re.fullmatch(r"[a-z0-9-]+", name) and question.strip()


# ------------------------------------------------------------------ the catalog itself

def test_find_gives_a_shipped_example_or_none():
    example = catalog.find("agreement-parties")
    assert example.name == "agreement-parties"
    assert example.question == "Who are the parties of an agreement?"
    assert example.parameters == {"agreement": f"<{ID}agreement/microsoft-openai-partnership>"}
    assert example.text == (catalog.QUERIES / "agreement-parties.rq").read_text(encoding="utf-8")
    assert catalog.find("no-such-query") is None
    assert catalog.find("../queries/timeline") is None  # names only, never paths


def test_the_header_gives_the_question_and_every_parameter():
    example = catalog.parse("mine", "# Which one?\n#Parameter: a = <http://a>\n"
                            "# Parameter:  b  =  two words  \nSELECT * WHERE { ?s ?p ?o }\n")
    assert (example.name, example.question) == ("mine", "Which one?")
    assert example.parameters == {"a": "<http://a>", "b": "two words"}
    assert catalog.parse("bare", "ASK {}") == catalog.Example("bare", "", {}, "ASK {}")


def test_resolve_takes_a_name_a_file_or_standard_input(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("# Mine?\nASK {}\n", encoding="utf-8")
    assert catalog.resolve("timeline") == catalog.find("timeline")
    assert catalog.resolve(str(path)).name == "mine"
    assert catalog.resolve(path).question == "Mine?"
    assert catalog.resolve("-", "ASK {}").text == "ASK {}"
    with pytest.raises(QueryError, match=r"'timelin' is neither an example query nor a file "
                       r"\(did you mean 'timeline'\?\)"):
        catalog.resolve("timelin")


def test_a_query_file_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "latin1.rq"
    path.write_bytes('# Qu\xe9?\nASK {}\n'.encode("latin-1"))
    with pytest.raises(QueryError, match="not UTF-8 text") as caught:
        catalog.read(path)
    assert caught.value.path == str(path)


# ------------------------------------------------------------------ typed parameters

def test_a_parameter_may_declare_its_type_and_be_optional():
    example = catalog.parse("mine", "# When?\n# Parameter: date (xsd:date) = 2025-06-01\n"
                            "# Parameter: agreement (IRI)\n# Parameter: words = as before\n"
                            "SELECT * WHERE { ?s ?p ?o }\n")
    assert example.parameters == {"date": "2025-06-01", "words": "as before"}
    assert example.types == {"date": "xsd:date", "agreement": "IRI", "words": None}
    with pytest.raises(QueryError, match="declares an unknown type 'xsd:datum'"):
        catalog.parse("bad", "# Parameter: d (xsd:datum) = 2025\nASK {}")


def test_a_typed_parameter_is_bound_as_a_typed_literal():
    example = catalog.find("clauses-in-force")
    assert example.types == {"date": "xsd:date", "agreement": "IRI"}
    terms = sparql.bindings(example, {})
    assert set(terms) == {"date"}  # the agreement is optional: unbound unless given
    assert str(terms["date"]) == '"2025-06-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    given = sparql.bindings(example, {"date": " 2024-12-01 ", "agreement": f"{ID}agreement/x"})
    assert given["date"].value == "2024-12-01"
    assert given["agreement"] == ox.NamedNode(f"{ID}agreement/x")
    from_python = sparql.bindings(example, {"date": date(2024, 12, 1)})["date"]
    assert (from_python.value, from_python.datatype) == ("2024-12-01", terms["date"].datatype)


@pytest.mark.parametrize("name,value,expected", [
    ("date", "2024-12", "a date, YYYY-MM-DD, like 2025-06-01; got '2024-12'"),
    ("date", "2024-02-30", "a date, YYYY-MM-DD, like 2025-06-01; got '2024-02-30'"),
    ("date", f"<{ID}x>", "a date, YYYY-MM-DD, like 2025-06-01; got '<"),
    ("agreement", "microsoft-openai-partnership", "an IRI, like <https://kg.example.org/id/"),
])
def test_a_value_not_of_the_declared_type_is_refused(name, value, expected):
    with pytest.raises(QueryError, match=f"the parameter {name} takes {re.escape(expected)}"):
        sparql.bindings(catalog.find("clauses-in-force"), {name: value})


def test_untyped_parameters_keep_their_plain_terms():
    terms = sparql.bindings(catalog.find("agreement-parties"), {"agreement": "Stargate"})
    assert terms["agreement"] == ox.Literal("Stargate")


def test_the_endpoint_pages_examples_carry_their_default_parameters(built):
    """The /sparql page links each example with its defaults bound, typed as declared."""
    example = catalog.find("clauses-in-force")
    runnable = sparql.runnable(example)
    assert 'VALUES (?date) { ("2025-06-01"^^<http://www.w3.org/2001/XMLSchema#date>) }' \
        in runnable
    network = catalog.find("organization-network")
    assert sparql.runnable(network) == network.text  # no parameters: the text as it is
    page = templates().get_template("sparql.html").render(
        root="./", endpoint=True, title="SPARQL endpoint", query="", examples=[example],
        variables=[], rows=[], max_rows=10, timeout=1, version="0")
    assert f'href="sparql?query={quote(runnable)}"' in page.replace("&#34;", '"')
    local = sparql.run_local(runnable, {}, [built / "graph.trig"])
    assert table(local) == table(run_example("clauses-in-force", built / "graph.trig"))
