"""The examples on time: which clauses were in force on a date (as known on another), and how
an agreement changed, read from the seed alone and from the six articles built together."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import QueryError

from test_catalog import ID, run_example

PARTNERSHIP = f"<{ID}agreement/microsoft-openai-partnership>"
EXCLUSIVITY = ID + "clause/azure-compute-exclusivity"
ROFR = ID + "clause/right-of-first-refusal-on-new-capacity"
ANNOUNCEMENT = ID + "event/partnership-change-announcement"
ARTICLE = ID + "article/"
VERGE = ARTICLE + "verge-2025-01-21-microsoft-openai-compute"
ORACLE = ARTICLE + "hsj-2025-09-11-oracle-openai-compute-contract"
MEMO = ARTICLE + "hsj-2025-09-12-microsoft-openai-memorandum"
XSD = "http://www.w3.org/2001/XMLSchema#"


def rows(results) -> list[dict]:
    """Each row as a dict of its bound cells, literals as (value, datatype name)."""
    found = []
    for row in results.rows:
        cells = {}
        for name, term in zip(results.variables, row):
            if term is None:
                continue
            datatype = getattr(term, "datatype", None)
            cells[name] = (term.value, datatype.value.removeprefix(XSD)) \
                if datatype is not None and not datatype.value.endswith("#string") \
                else term.value
        found.append(cells)
    return found


def in_force(data, name="clauses-in-force", **params) -> dict[str, list[dict]]:
    """The rows by clause."""
    by_clause: dict[str, list[dict]] = {}
    for row in rows(run_example(name, data, **params)):
        by_clause.setdefault(row["clause"], []).append(row)
    return by_clause


# ------------------------------------------------------------------ the seed alone

def test_before_the_change_the_exclusivity_and_not_the_right_of_first_refusal(built):
    clauses = in_force(built / "graph.trig", date="2024-12-01")
    assert EXCLUSIVITY in clauses and ROFR not in clauses
    (row,) = clauses[EXCLUSIVITY]
    assert row["until"] == ("2025-01-21", "date") and "since" not in row
    assert row["article"] == VERGE and row["published"] == ("2025-01-21", "date")
    assert row["quote"].startswith("Prior to today’s change, OpenAI was locked into")


def test_after_the_change_the_right_of_first_refusal_and_not_the_exclusivity(built):
    clauses = in_force(built / "graph.trig", date="2025-02-01")
    assert ROFR in clauses and EXCLUSIVITY not in clauses
    (row,) = clauses[ROFR]
    assert row["since"] == ("2025-01-21", "date") and "until" not in row
    # Its first quote by offset: the subheading comes before Microsoft's words.
    assert row["quote"].startswith("Microsoft’s deal with OpenAI has ‘evolved’")


def test_a_day_ends_on_that_day_a_year_after_it(built):
    data = built / "graph.trig"
    assert EXCLUSIVITY in in_force(data, date="2025-01-20")
    on_the_day = in_force(data, date="2025-01-21")
    assert EXCLUSIVITY not in on_the_day and ROFR in on_the_day
    term = ID + "clause/partnership-term"  # "runs through 2030"
    assert in_force(data, date="2030-12-31")[term][0]["until"] == ("2030", "gYear")
    assert term not in in_force(data, date="2031-01-01")


def test_the_agreement_parameter_is_optional(built):
    data = built / "graph.trig"
    every = in_force(data, date="2025-02-01")
    assert in_force(data, date="2025-02-01", agreement=PARTNERSHIP) == every
    assert in_force(data, date="2025-02-01", agreement=f"<{ID}agreement/stargate>") == {}


def test_the_cli_lists_the_exclusivity_in_2024_and_the_right_in_2025(built):
    def listed(date: str) -> str:
        result = CliRunner().invoke(main, ["query", "clauses-in-force", "--data",
                                           str(built / "graph.trig"), "--param", f"date={date}"])
        assert result.exit_code == 0, result.output
        return result.output
    before, after = listed("2024-12-01"), listed("2025-02-01")
    assert "clause:azure-compute-exclusivity" in before
    assert "clause:right-of-first-refusal-on-new-capacity" not in before
    assert "clause:right-of-first-refusal-on-new-capacity" in after
    assert "clause:azure-compute-exclusivity" not in after


@pytest.mark.parametrize("name", ["clauses-in-force", "clauses-known-on"])
def test_a_date_that_is_not_a_day_is_refused_naming_the_parameter(name, built):
    with pytest.raises(QueryError, match=r"the parameter date takes a date, YYYY-MM-DD, like "
                                         r"2025-06-01; got '2025-02-30'"):
        run_example(name, built / "graph.trig", date="2025-02-30")
    result = CliRunner().invoke(main, ["query", name, "--data", str(built / "graph.trig"),
                                       "--param", "date=June 2025"])
    assert result.exit_code == 2 and "the parameter date takes a date" in result.stderr


def test_the_history_of_the_seed(built):
    history = rows(run_example("agreement-history", built / "graph.trig"))
    changes = [(r.get("when", (None,))[0], r["change"], r["subject"], r.get("of"))
               for r in history]
    assert changes[:4] == [
        ("2025-01-21", "begun by", ROFR, ANNOUNCEMENT),
        ("2025-01-21", "ended by", EXCLUSIVITY, ANNOUNCEMENT),
        ("2025-01-21", "ends", EXCLUSIVITY, None),
        ("2025-01-21", "supersedes", ROFR, EXCLUSIVITY)]
    assert {r["article"] for r in history} == {VERGE}
    ended = history[2]
    assert ended["when"] == ("2025-01-21", "date")
    assert ended["quote"].startswith("Prior to today’s change")  # the quote of "today’s change"


# ------------------------------------------------------------------ seeds/ and examples/

def test_each_article_that_quotes_a_clause_gives_a_row(corpus_built):
    clauses = in_force(corpus_built / "graph.trig", date="2025-01-15", agreement=PARTNERSHIP)
    exclusivity = {r["article"]: r for r in clauses[EXCLUSIVITY]}
    assert list(exclusivity) == [VERGE, ORACLE, MEMO]  # by publication
    # The seed's day decides over the month the September articles give ("until January").
    assert {r["until"] for r in exclusivity.values()} == {("2025-01-21", "date")}
    assert exclusivity[ORACLE]["quote"] == "The deal also shows how far OpenAI has moved " \
                                           "beyond Microsoft."
    assert ROFR not in clauses
    rofr = in_force(corpus_built / "graph.trig", date="2025-01-21")[ROFR]
    assert [r["article"] for r in rofr] == [VERGE, ORACLE, MEMO]
    assert {r["since"] for r in rofr} == {("2025-01-21", "date")}  # the latest start


def test_what_was_known_when(corpus_built):
    data = corpus_built / "graph.trig"

    def known(on: str, date: str = "2031-06-01") -> dict[str, list[dict]]:
        return in_force(data, "clauses-known-on", date=date, known=on, agreement=PARTNERSHIP)
    revenue, api = ID + "clause/revenue-sharing", ID + "clause/api-exclusivity"
    # On 2025-01-21 only the seed was out: it gives the revenue sharing and the API exclusivity
    # no end; the memorandum (2025-09-12) has them run through 2030.
    early = known("2025-01-21")
    assert revenue in early and api in early
    assert {r["article"] for rs in early.values() for r in rs} == {VERGE}
    late = known("2025-09-12")
    assert revenue not in late and api not in late
    assert known("2025-09-12", date="2030-06-01")[revenue][-1]["until"] == ("2030", "gYear")
    # With the Oracle article (2025-09-11) and not yet the memorandum: its account of the
    # exclusivity is a row, and the permission only it reports is in force.
    september = known("2025-09-11", date="2025-01-15")
    assert [r["article"] for r in september[EXCLUSIVITY]] == [VERGE, ORACLE]
    assert ID + "clause/openai-other-suppliers-permission" in september
    assert ID + "clause/microsoft-ip-access" not in september
    assert ID + "clause/microsoft-ip-access" in known("2025-09-12", date="2025-01-15")
    assert known("2025-01-20") == {}  # nothing published yet


def test_the_history_across_the_articles(corpus_built):
    history = rows(run_example("agreement-history", corpus_built / "graph.trig"))
    said = {(r["article"], r["change"], r["subject"]): r for r in history}
    oracle = said[(ORACLE, "ends", EXCLUSIVITY)]
    assert oracle["when"] == ("2025-01", "gYearMonth")
    assert oracle["quote"] == "Microsoft was its exclusive cloud provider until January"
    assert said[(VERGE, "ends", EXCLUSIVITY)]["when"] == ("2025-01-21", "date")
    assert said[(MEMO, "ends", EXCLUSIVITY)]["when"] == ("2025-01", "gYearMonth")
    mou = said[(MEMO, "amends", ID + "agreement/microsoft-openai-mou")]
    assert mou["of"] == PARTNERSHIP[1:-1]
    # In time order, months before their days; each change once per article.
    order = [r["when"][0] if "when" in r else r["published"][0] for r in history]
    assert order == sorted(order)
    assert len(said) == len(history)
