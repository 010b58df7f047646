"""One corpus: a fact sheet may refer by id to what another article of the build declares,
and every error of every fact sheet is reported in one run, naming both articles where two
are involved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError, InputErrors
from kg.pipeline import build, load_dataset, load_sheets

from conftest import SEED_COUNTS, SEED_SLUG, SEEDS

LATER = "later-2025-10-28-rofr-ends"
TEXT = ("Microsoft ends its right of first refusal\n\n"
        "Microsoft said on Monday that its right of first refusal over OpenAI's new computing "
        "capacity has ended, under a new agreement between the two companies. The Japanese "
        "steelmaker was not involved.\n")
YAML = """\
article:
  title: Microsoft ends its right of first refusal
  published: 2025-10-28
  language: en
events:
  - id: rofr-ends
    type: Announcement
    name: Microsoft's right of first refusal ends
    participants: [microsoft, openai]
    concerns: microsoft-openai-partnership
    terminates: [right-of-first-refusal-on-new-capacity]
    time:
      date: 2025-10-27
      text: on Monday
      relative: true
    evidence:
      - >-
        Microsoft said on Monday that its right of first refusal over OpenAI's new computing
        capacity has ended
"""
ID = "https://kg.example.org/id/"


def corpus_dir(tmp_path: Path, yaml_text: str = YAML, text: str = TEXT) -> Path:
    """The seed and a later article that refers to the seed's entries without declaring them."""
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for suffix in (".txt", ".yaml"):
        shutil.copy(SEEDS / f"{SEED_SLUG}{suffix}", folder / f"{SEED_SLUG}{suffix}")
    (folder / f"{LATER}.txt").write_text(text, encoding="utf-8")
    (folder / f"{LATER}.yaml").write_text(yaml_text, encoding="utf-8")
    return folder


def test_an_article_refers_to_another_articles_entries_without_declaring_them(tmp_path):
    sheets, quads, _ = load_dataset([corpus_dir(tmp_path)])
    later = f"https://kg.example.org/graph/{LATER}/facts"
    in_later = {(q.subject.value, q.predicate.value, q.object.value) for q in quads
                if q.graph_name.value == later}
    rofr = ID + "clause/right-of-first-refusal-on-new-capacity"
    event = ID + "event/rofr-ends"
    kgo = "https://kg.example.org/ontology#"
    # What the later article says of the seed's clause is in the later article's own graph.
    assert (rofr, kgo + "endedBy", event) in in_later
    assert (event, kgo + "terminates", rofr) in in_later
    assert (event, kgo + "hasParticipant", ID + "organization/microsoft") in in_later
    # It does not declare Microsoft again: the name is the seed's, in the seed's graph.
    assert not [t for t in in_later if t[0] == ID + "organization/microsoft"]


def test_the_corpus_builds_and_validates(tmp_path):
    result = build([corpus_dir(tmp_path)], out=tmp_path / "out")
    assert result.counts["articles"] == 2
    assert result.counts["events"] == SEED_COUNTS["events"] + 1


def test_alone_the_referring_article_names_what_is_missing(tmp_path):
    folder = corpus_dir(tmp_path)
    with pytest.raises(InputErrors) as info:
        load_sheets([folder / f"{LATER}.yaml"])
    messages = [e.message for e in info.value.errors]
    assert "'microsoft' is not the id of an organization or person in this fact sheet" in \
        messages[0]
    assert any("'right-of-first-refusal-on-new-capacity' is not the id of a clause or "
               "agreement" in m for m in messages)
    assert all(e.path == str(folder / f"{LATER}.yaml") for e in info.value.errors)


def test_a_reference_of_the_wrong_kind_names_the_other_articles_file(tmp_path):
    folder = corpus_dir(tmp_path, YAML.replace("concerns: microsoft-openai-partnership",
                                               "concerns: azure"))
    with pytest.raises(InputError) as info:
        load_sheets([folder])
    error = info.value
    assert error.path == str(folder / f"{LATER}.yaml") and error.field == "concerns"
    assert "'azure' is not the id of an agreement in this fact sheet or another article" \
        in error.message
    assert f"it is the id of a product declared in {folder / SEED_SLUG}.yaml:" in error.message


def test_a_named_reference_to_another_article_is_checked_against_its_names(tmp_path):
    yaml_text = YAML.replace("participants: [microsoft, openai]",
                             "participants: [microsoft, nvidia]")
    with pytest.raises(InputError, match=r"'nvidia' is linked here but none of its names "
                                         r"\(Nvidia\) stands"):
        load_sheets([corpus_dir(tmp_path, yaml_text)])


STEELMAKER = """\
organizations:
  - id: steelmaker
    name: the Japanese steelmaker
    type: Company
    evidence:
      - QUOTE
products:
  - id: capacity
    name: new computing capacity
    owner: steelmaker
    evidence:
      - QUOTE
"""


def test_names_in_quotes_match_in_any_case(tmp_path):
    """The name “the Japanese steelmaker” stands in a quote that writes “The Japanese …”."""
    quote = "capacity has ended, under a new agreement between the two companies. The " \
        "Japanese steelmaker was not involved."
    sheets = load_sheets([corpus_dir(tmp_path, YAML + STEELMAKER.replace("QUOTE", quote))])
    assert sheets[0].entries["capacity"].values["owner"] == "steelmaker"


def test_a_quote_that_differs_only_in_case_says_so(tmp_path):
    yaml_text = YAML + STEELMAKER.replace("QUOTE", "the Japanese steelmaker was not involved")
    with pytest.raises(InputError) as info:
        load_sheets([corpus_dir(tmp_path, yaml_text)])
    errors = getattr(info.value, "errors", [info.value])
    assert {(e.entry, e.field) for e in errors} == {("steelmaker", "evidence"),
                                                    ("capacity", "evidence")}
    assert all("only the case differs, the article writes “The Japanese steelmaker was not "
               "involved”" in e.message for e in errors)


def test_every_error_of_every_fact_sheet_in_one_run(tmp_path):
    folder = corpus_dir(tmp_path, YAML.replace("concerns: microsoft-openai-partnership",
                                               "concerns: no-such-deal")
                        .replace("text: on Monday", "text: on Sunday"))
    seed = (folder / f"{SEED_SLUG}.yaml")
    seed.write_text(seed.read_text(encoding="utf-8").replace("type: Partnership",
                                                             "type: Partnersihp", 1),
                    encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_sheets([folder])
    where = [(Path(e.path).name, e.field) for e in info.value.errors]
    assert (f"{SEED_SLUG}.yaml", "type") in where
    assert (f"{LATER}.yaml", "concerns") in where
    assert (f"{LATER}.yaml", "time") in where
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"kg: error: {len(info.value.errors)} errors in the input:"
    assert len(lines) == 1 + len(info.value.errors)
    assert not (tmp_path / "out").exists()


def test_a_shacl_result_names_the_entries_that_made_its_node(tmp_path):
    """Two articles that each build alone put one clause in two agreements: the violation
    names both fact sheets and the line of the clause in each."""
    folder = tmp_path / "two"
    folder.mkdir()
    seed_yaml = (SEEDS / f"{SEED_SLUG}.yaml").read_text(encoding="utf-8")
    old = "    agreement: microsoft-openai-partnership\n    name: AGI"
    for slug, text in (("first-copy", seed_yaml),
                       ("second-copy", seed_yaml.replace(old, old.replace(
                           "microsoft-openai-partnership", "stargate")))):
        shutil.copy(SEEDS / f"{SEED_SLUG}.txt", folder / f"{slug}.txt")
        (folder / f"{slug}.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    line = seed_yaml[:seed_yaml.index("  - id: agi-escape-clause")].count("\n") + 1
    clause = [ln for ln in result.stderr.splitlines() if ln.startswith("- clause:agi-escape")]
    assert clause, result.stderr
    assert all(f"(from {folder / 'first-copy.yaml'}:{line}, entry 'agi-escape-clause'; "
               f"{folder / 'second-copy.yaml'}:{line}, entry 'agi-escape-clause')" in ln
               for ln in clause), clause


def test_the_builds_names_of_an_id_are_gathered_once_and_alike(tmp_path):
    # Declared (kg.corpus.index) keeps each id's names; a plain mapping gives the same.
    import gc

    from kg.factsheet.model import Declared

    assert gc.isenabled()
    sheets = load_sheets([corpus_dir(tmp_path)])
    assert gc.isenabled(), "load_all leaves the garbage collector as it was"
    declared = sheets[0].others
    assert isinstance(declared, Declared)
    for sheet in sheets:
        for entry_id in declared:
            memoized = sheet.names(entry_id)
            sheet.others = dict(declared)
            assert sheet.names(entry_id) == memoized
            sheet.others = declared
    assert sheets[0].names("no-such-id") == []
