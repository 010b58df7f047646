"""`kg draft` as users call it: the YAML on standard output or in --out, the scores of --eval,
and each mistake an exit code 2 with a message that names what to change."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import main
from kg.sources import read_text

PACKAGE = "kg.drafting"  # the drafter's package: the one name to change should it move
drafting = importlib.import_module(f"{PACKAGE}.drafter")
evaluation = importlib.import_module(f"{PACKAGE}.evaluate")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "verge-2025-01-21-microsoft-openai-compute.txt"
DATE = "2025-01-21"


def kg(*args):
    """`kg ARGS` run in-process; the result has stdout and stderr apart."""
    return CliRunner().invoke(main, [str(a) for a in args])


def failed(result, *words) -> str:
    """The error message of a run that must fail with exit 2 (and no traceback), naming the
    words."""
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for word in words:
        assert str(word) in result.stderr
    return result.stderr


def organization_ids(text: str) -> dict[str, str]:
    return {e["name"]: e["id"] for e in yaml.safe_load(text).get("organizations", [])}


@pytest.fixture(scope="module")
def seed_draft() -> str:
    """The library's draft of the seed, against which the command's output is compared."""
    return drafting.draft(SEED, DATE).text


def test_the_yaml_goes_to_standard_output(seed_draft):
    result = kg("draft", SEED, "--published", DATE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == seed_draft
    sheet = yaml.safe_load(result.stdout)
    assert str(sheet["article"]["published"]) == DATE
    assert sheet["organizations"] and sheet["agreements"]


def test_out_writes_the_file_and_nothing_on_standard_output(seed_draft, tmp_path):
    out = tmp_path / "sheet.yaml"
    result = kg("draft", SEED, "--published", DATE, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == seed_draft
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.yaml"]


def test_the_build_accepts_what_the_command_wrote(tmp_path):
    article = tmp_path / SEED.name
    shutil.copy(SEED, article)
    drafted = kg("draft", article, "--published", DATE, "--out", article.with_suffix(".yaml"))
    assert drafted.exit_code == 0, drafted.stderr
    built = kg("build", article, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.stderr
    assert (tmp_path / "out" / "graph.trig").is_file()


def test_a_very_long_article_is_drafted_and_built(tmp_path):
    article = tmp_path / "long-article.txt"
    article.write_text("\n\n".join([read_text(SEED)] * 20), encoding="utf-8")
    drafted = kg("draft", article, "--published", DATE, "--no-corpus", "--out",
                 article.with_suffix(".yaml"))
    assert drafted.exit_code == 0, drafted.stderr
    assert len(yaml.safe_load(article.with_suffix(".yaml").read_text("utf-8"))[
        "organizations"]) >= 5
    built = kg("build", article, "--out", tmp_path / "out", "--quiet")
    assert built.exit_code == 0, built.stderr


def test_an_existing_out_is_kept_without_force_and_replaced_with_it(seed_draft, tmp_path):
    out = tmp_path / "reviewed.yaml"
    out.write_text("# reviewed by hand\n", encoding="utf-8")
    failed(kg("draft", SEED, "--published", DATE, "--out", out), out, "--force")
    assert out.read_text(encoding="utf-8") == "# reviewed by hand\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reviewed.yaml"]
    result = kg("draft", SEED, "--published", DATE, "--out", out, "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == seed_draft
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reviewed.yaml"]


def test_out_may_not_be_a_folder(tmp_path):
    failed(kg("draft", SEED, "--published", DATE, "--out", tmp_path), tmp_path, "folder")
    failed(kg("draft", SEED, "--published", DATE, "--out", tmp_path, "--force"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_out_in_a_missing_folder_is_an_error_not_a_traceback(tmp_path):
    out = tmp_path / "missing" / "sheet.yaml"
    failed(kg("draft", SEED, "--published", DATE, "--out", out), "sheet.yaml")
    assert not out.parent.exists()


def test_the_publication_date_is_required():
    message = failed(kg("draft", SEED), SEED.name, "--published")
    assert "YYYY-MM-DD" in message


def test_an_impossible_date_is_named():
    failed(kg("draft", SEED, "--published", "2025-02-30"), "'2025-02-30'", "--published")
    failed(kg("draft", SEED, "--published", "21/01/2025"), "21/01/2025")


@pytest.mark.parametrize("text", ["", "\n  \n"], ids=["empty", "blank"])
def test_an_empty_article_is_refused(tmp_path, text):
    article = tmp_path / "empty-article.txt"
    article.write_text(text, encoding="utf-8")
    failed(kg("draft", article, "--published", DATE, "--no-corpus"), article, "empty")


def test_a_missing_article_is_refused(tmp_path):
    failed(kg("draft", tmp_path / "nowhere.txt", "--published", DATE), "nowhere.txt")
    failed(kg("draft", tmp_path, "--published", DATE), tmp_path)


def test_a_missing_corpus_folder_is_refused(tmp_path):
    failed(kg("draft", SEED, "--published", DATE, "--corpus", tmp_path / "no-such-corpus"),
           "no-such-corpus")


def test_eval_prints_a_row_for_every_type():
    result = kg("draft", SEED, "--published", DATE, "--eval", SEED.with_suffix(".yaml"))
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.strip()]
    assert rows[0] == ["type", "gold", "drafted", "matched", "precision", "recall"]
    assert [row[0] for row in rows[1:]] == list(evaluation.KINDS)
    assert all(len(row) == 6 for row in rows)
    organizations = dict(zip(rows[0], rows[1 + evaluation.KINDS.index("organizations")]))
    assert 0 < float(organizations["recall"]) <= 1
    assert "evidence:" not in result.stdout


def test_eval_json_gives_precision_and_recall_per_type(tmp_path):
    out = tmp_path / "sheet.yaml"
    result = kg("draft", SEED, "--published", DATE, "--eval", SEED.with_suffix(".yaml"),
                "--json", "--out", out)
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert list(scores) == list(evaluation.KINDS)
    for kind, score in scores.items():
        for figure in ("precision", "recall"):
            assert score[figure] is None or 0 <= score[figure] <= 1, kind
        assert score["matched"] <= min(score["gold"], score["drafted"])
    assert scores["organizations"]["recall"] > 0.5
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["article"]


def test_eval_of_a_gold_that_is_not_yaml_names_the_file_and_line(tmp_path):
    gold = tmp_path / "gold.yaml"
    gold.write_text("article:\n  title: a\n\tpublished: x\n", encoding="utf-8")
    failed(kg("draft", SEED, "--published", DATE, "--eval", gold), f"{gold}:3")
    failed(kg("draft", SEED, "--published", DATE, "--eval", tmp_path / "no-gold.yaml"),
           "no-gold.yaml")


def test_eval_does_not_write_over_out_when_it_fails(tmp_path):
    gold = tmp_path / "gold.yaml"
    gold.write_text("- not\n- a sheet\n", encoding="utf-8")
    out = tmp_path / "sheet.yaml"
    failed(kg("draft", SEED, "--published", DATE, "--eval", gold, "--out", out), gold)
    assert not out.exists()


def corpus_folder(tmp_path: Path) -> Path:
    """A corpus whose one sheet gives Microsoft the id 'msft-corp'."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "other-article.yaml").write_text(
        "organizations:\n  - id: msft-corp\n    name: Microsoft\n    evidence: [Microsoft]\n",
        encoding="utf-8")
    return folder


def test_corpus_gives_ids_and_no_corpus_makes_them_from_names(tmp_path):
    folder = corpus_folder(tmp_path)
    given = kg("draft", SEED, "--published", DATE, "--corpus", folder)
    assert given.exit_code == 0, given.stderr
    assert organization_ids(given.stdout)["Microsoft"] == "msft-corp"
    by_file = kg("draft", SEED, "--published", DATE, "--corpus", folder / "other-article.yaml")
    assert organization_ids(by_file.stdout)["Microsoft"] == "msft-corp"
    none = kg("draft", SEED, "--published", DATE, "--corpus", folder, "--no-corpus")
    assert none.exit_code == 0, none.stderr
    ids = organization_ids(none.stdout)
    assert ids["Microsoft"] == "microsoft"
    # the bundled seed's own sheet names The New York Times 'new-york-times'; --no-corpus and
    # the default corpus (which leaves the article's own sheet out) both make the id anew
    assert ids["The New York Times"] == "the-new-york-times"


def test_an_article_that_is_not_utf8_names_the_line(tmp_path):
    article = tmp_path / "latin-article.txt"
    article.write_bytes("Acme Buys Widgets\n\nSociété Générale said so.\n".encode("latin-1"))
    failed(kg("draft", article, "--published", DATE), f"{article}:3", "UTF-8")


def test_an_article_whose_name_is_not_a_slug_is_named(tmp_path):
    article = tmp_path / "My Article.txt"
    shutil.copy(SEED, article)
    message = failed(kg("draft", article, "--published", DATE, "--no-corpus"), "slug")
    assert f"{article}:" in message or f"{article} " in message, message
