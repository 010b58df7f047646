"""Tests of `kg draft` as a library: every bundled and test article gives a draft `kg build`
accepts as it is, the same every time, each quote in the text; the gazetteer, the layout, ids."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import kg
from kg.anchor import Document
from kg.errors import InputError, KgError
from kg.sources import SLUG, read_text

PACKAGE = "kg.drafting"  # the drafter's package: the one name to change should it move
drafting = importlib.import_module(f"{PACKAGE}.drafter")
assemble = importlib.import_module(f"{PACKAGE}.assemble")
gazetteers = importlib.import_module(f"{PACKAGE}.gazetteer")
pages = importlib.import_module(f"{PACKAGE}.text")
evaluation = importlib.import_module(f"{PACKAGE}.evaluate")

ROOT = Path(__file__).resolve().parent.parent
SEEDS, EXAMPLES = ROOT / "seeds", ROOT / "examples"
SEED = SEEDS / "verge-2025-01-21-microsoft-openai-compute.txt"
ARTICLES = sorted([*SEEDS.glob("*.txt"), *EXAMPLES.glob("*.txt"),
                   *(ROOT / "benchmarks" / "articles").glob("*.txt")])
SECTIONS = ("organizations", "people", "products", "agreements", "clauses", "events")
CORPORA = {"default": None, "none": []}


def published(article: Path):
    """The publication date the reviewed fact sheet beside the article gives."""
    return yaml.safe_load(read_text(article.with_suffix(".yaml")))["article"]["published"]


@pytest.fixture(scope="module")
def drafted():
    """A function (article, corpus name) -> Draft, each drafted once for the module."""
    made: dict = {}

    def get(article: Path, corpus: str = "default"):
        if (article, corpus) not in made:
            made[article, corpus] = drafting.draft(article, published(article),
                                                   corpus=CORPORA[corpus])
        return made[article, corpus]

    return get


def builds(folder: Path, slug: str, text: str | bytes, draft_text: str):
    """`kg build` of the article (its text as given) with the draft beside it, unchanged."""
    folder.mkdir(parents=True, exist_ok=True)
    article = folder / f"{slug}.txt"
    if isinstance(text, bytes):
        article.write_bytes(text)
    else:
        article.write_text(text, encoding="utf-8")
    (folder / f"{slug}.yaml").write_text(draft_text, encoding="utf-8")
    return kg.build([article], out=folder / "out")


def without_notes(value, top: bool = True):
    """The sheet as its YAML must read: no "_" keys (and no empty section)."""
    if isinstance(value, dict):
        if top:
            value = {k: v for k, v in value.items() if v != []}
        return {k: without_notes(v, False) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [without_notes(v, False) for v in value]
    return value


def keys(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from keys(v)


def entries(sheet: dict):
    for section in SECTIONS:
        yield from sheet.get(section) or []


def quotes(sheet: dict):
    for entry in entries(sheet):
        for quote in entry.get("evidence") or []:
            yield quote["quote"] if isinstance(quote, dict) else quote


def worded(sheet: dict):
    """The `text` of every value and role: words the article must hold too."""
    for entry in entries(sheet):
        for field in ("amounts", "quantities", "roles"):
            for item in entry.get(field) or []:
                yield item["text"]
        for field in ("time", "starts", "ends"):
            if isinstance(entry.get(field), dict) and "text" in entry[field]:
                yield entry[field]["text"]


def ids_by_name(sheet: dict) -> dict[str, str]:
    return {e["name"]: e["id"] for e in entries(sheet)}


def check_sheet(result, text: str) -> None:
    """What every draft must be: YAML of exactly its sheet, no "_" key, quotes in the text,
    notes as comments."""
    loaded = yaml.safe_load(result.text)
    assert loaded == without_notes(result.sheet)
    assert result.text.endswith("\n") and not result.text.endswith("\n\n")
    assert not [k for k in keys(loaded) if k.startswith("_")]
    document = Document(text)
    assert [q for q in quotes(result.sheet) if document.find(q) is None] == []
    assert [w for w in worded(result.sheet) if document.find(w) is None] == []
    ids = [e["id"] for e in entries(result.sheet)]
    assert len(ids) == len(set(ids))
    comments = " ".join(line.strip()[2:] for line in result.text.splitlines()
                        if line.lstrip().startswith("# "))
    for entry in entries(result.sheet):
        if entry.get("_note"):
            assert " ".join(entry["_note"].split()) in comments
    # what the checks refused is taken out and said in a comment ("see the comments")
    assert [r for r in result.removed if r.split(":")[0] not in comments] == []


# The core of the issue: each article's draft, as it is, is a fact sheet the build accepts.

@pytest.mark.parametrize("corpus", sorted(CORPORA))
@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_the_build_accepts_the_draft_unchanged(drafted, tmp_path, article, corpus):
    result = drafted(article, corpus)
    shutil.copy(article, tmp_path / article.name)
    result.write(tmp_path / f"{article.stem}.yaml")
    assert (tmp_path / f"{article.stem}.yaml").read_text(encoding="utf-8") == result.text
    built = kg.build([tmp_path / article.name], out=tmp_path / "out")
    assert built.counts["articles"] == 1
    assert built.counts["organizations"] >= 2 and built.counts["agreements"] >= 1


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_the_draft_is_yaml_of_its_sheet_with_quotes_from_the_text(drafted, article):
    result = drafted(article)
    check_sheet(result, read_text(article))
    assert str(result.sheet["article"]["published"]) == str(published(article))
    assert result.text.startswith("# ")
    assert [line for line in result.text.splitlines() if line.strip().startswith("#")
            and not line.strip().startswith("# ")] == []


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_the_article_section_is_the_reviewed_one(drafted, article):
    reviewed = yaml.safe_load(read_text(article.with_suffix(".yaml")))["article"]
    mine = drafted(article).sheet["article"]
    assert mine["title"] == reviewed["title"]
    if any(line.startswith("By ") for line in read_text(article).splitlines()[:6]):
        assert (mine.get("authors"), mine.get("publisher")) == (reviewed.get("authors"),
                                                                reviewed.get("publisher"))


def test_the_byline_gives_authors_and_publisher(tmp_path):
    article = tmp_path / "acme-widget.txt"
    article.write_text("Acme Robotics Buys Widget Labs\n\nBy Ann Lee and Bo Chen, The Daily\n\n"
                       "Acme Robotics agreed to buy Widget Labs for $5 million.\n",
                       encoding="utf-8")
    sheet = drafting.draft(article, "2025-06-12", corpus=[]).sheet
    assert sheet["article"]["authors"] == ["ann-lee", "bo-chen"]
    assert sheet["article"]["publisher"] == "the-daily"
    assert {"ann-lee", "bo-chen"} <= {e["id"] for e in sheet["people"]}
    assert "the-daily" in {e["id"] for e in sheet["organizations"]}
    assert "bo-chen" not in {e["id"] for e in sheet["organizations"]}


def test_two_drafts_of_one_article_are_byte_identical(drafted, tmp_path):
    # a second draft, of a copy elsewhere, with the date as a date: the same bytes
    copy = tmp_path / SEED.name
    shutil.copy(SEED, copy)
    assert drafting.draft(copy, dt.date(2025, 1, 21)).text == drafted(SEED).text


def test_drafts_do_not_depend_on_the_hash_seed():
    code = (f"import sys, importlib; d = importlib.import_module({PACKAGE + '.drafter'!r}); "
            f"sys.stdout.write(d.draft({str(SEED)!r}, '2025-01-21').text)")
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=ROOT,
                             env={**os.environ, "PYTHONHASHSEED": seed}) for seed in ("1", "4242")]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert outputs[0][0] == outputs[1][0] and outputs[0][0].startswith(b"# ")


# The corpus: known entities keep their ids.

def test_the_seed_keeps_the_ids_of_the_examples():
    result = drafting.draft(SEED, "2025-01-21", corpus=[EXAMPLES])
    ids = ids_by_name(result.sheet)
    assert ids["OpenAI"] == "openai"
    assert ids["Microsoft"] == "microsoft"
    assert ids["Sam Altman"] == "sam-altman"


NEW_ARTICLE = (
    "Microsoft and OpenAI Widen Their Cloud Pact\n\n"
    "By Ann Lee, The Wall Street Journal\n\n"
    "Microsoft agreed to supply more computing capacity to OpenAI, the companies said on "
    "Monday. Advanced Micro Devices and Meta Platforms were not part of the deal, The Wall "
    "Street Journal reported.\n")


@pytest.mark.parametrize("corpus, expected", [
    ([EXAMPLES], {"Microsoft": "microsoft", "OpenAI": "openai",
                  "The Wall Street Journal": "wall-street-journal",
                  "Advanced Micro Devices": "amd", "Meta Platforms": "meta"}),
    ([], {"Microsoft": "microsoft", "OpenAI": "openai",
          "The Wall Street Journal": "the-wall-street-journal",
          "Advanced Micro Devices": "advanced-micro-devices",
          "Meta Platforms": "meta-platforms"})], ids=["examples", "none"])
def test_a_new_article_takes_the_corpus_ids(tmp_path, corpus, expected):
    article = tmp_path / "cloud-pact.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    result = drafting.draft(article, "2025-06-16", corpus=corpus)
    ids = ids_by_name(result.sheet)
    assert {name: ids.get(name) for name in expected} == expected
    assert result.sheet["article"]["publisher"] == expected["The Wall Street Journal"]
    builds(tmp_path / "build", "cloud-pact", NEW_ARTICLE, result.text)


def corpus_folder(tmp_path: Path) -> Path:
    """A corpus of one sheet, the seed's, that gives Microsoft the id 'msft-corp'."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    sheet = yaml.safe_load(read_text(SEED.with_suffix(".yaml")))
    for entry in sheet["organizations"]:
        if entry["name"] == "Microsoft":
            entry["id"] = "msft-corp"
    (folder / "other-article.yaml").write_text(yaml.safe_dump(sheet, allow_unicode=True),
                                               encoding="utf-8")
    return folder


def test_a_sheet_of_the_article_itself_is_left_out(tmp_path):
    folder = corpus_folder(tmp_path)
    assert gazetteers.gazetteer([folder])["Microsoft"] == ("organization", "msft-corp")
    assert gazetteers.gazetteer([folder], exclude={"other-article"}) == {}
    for slug, expected in (("other-article", "microsoft"), ("another-article", "msft-corp")):
        article = (folder if slug == "other-article" else tmp_path) / f"{slug}.txt"
        article.write_text("Cloud Pact Widens\n\nA startup agreed on Monday to buy computing "
                           "capacity from Microsoft for $5 million.\n", encoding="utf-8")
        sheet = drafting.draft(article, "2025-06-16", corpus=[folder]).sheet
        assert ids_by_name(sheet).get("Microsoft") == expected, slug
    # the seed's own reviewed sheet is in the default corpus, and is left out of its draft
    names = gazetteers.gazetteer(gazetteers.default_corpus(), exclude={SEED.stem})
    assert "The New York Times" not in names


def test_a_fact_sheet_file_is_a_corpus(tmp_path):
    folder = corpus_folder(tmp_path)
    for given in (folder / "other-article.yaml", folder / "other-article.txt"):
        assert gazetteers.gazetteer([given])["Microsoft"] == ("organization", "msft-corp")


def test_lower_case_aliases_and_groups_are_not_names(tmp_path):
    (tmp_path / "acme.yaml").write_text(yaml.safe_dump({
        "organizations": [
            {"id": "acme-labs", "name": "Acme Labs", "aliases": ["the startup", "Acme",
                                                                  "iRobot unit"]},
            {"id": "acme-sources", "name": "People familiar with the matter", "type": "Group"}],
        "people": [{"id": "ann-lee", "name": "Ann Lee", "aliases": "Lee",
                    "former_names": ["Ann Smith"]}],
        "products": [{"id": "widget", "name": "Widget", "aliases": ["the widget"]}]}),
        encoding="utf-8")
    names = gazetteers.gazetteer([tmp_path])
    assert names == {"Acme Labs": ("organization", "acme-labs"),
                     "Acme": ("organization", "acme-labs"),
                     "iRobot unit": ("organization", "acme-labs"),
                     "Ann Lee": ("person", "ann-lee"), "Lee": ("person", "ann-lee"),
                     "Ann Smith": ("person", "ann-lee"), "Widget": ("product", "widget")}


OTHER_COMPANY = (
    "Acme Robotics Buys Widget Labs\n\n"
    "Acme Robotics agreed to buy Widget Labs for $5 million on Monday. The company said the "
    "deal would close in March. The startup has 40 employees.\n")


def test_a_description_at_a_sentence_start_is_not_a_corpus_name(tmp_path):
    # The examples give OpenAI the alias "The startup" and Oracle "The company", capitalised
    # because a sentence starts with them; neither company is in this article.
    article = tmp_path / "acme-widget.txt"
    article.write_text(OTHER_COMPANY, encoding="utf-8")
    names = gazetteers.gazetteer(gazetteers.default_corpus())
    assert "The company" not in names and "The startup" not in names
    ids = {e["id"] for e in entries(drafting.draft(article, "2025-06-12").sheet)}
    assert not ids & {"oracle", "openai"}


def test_a_bare_surname_in_the_corpus_is_not_someone_else(tmp_path):
    # The Broadcom example gives Hock Tan the alias "Tan"; this Tan is another person.
    article = tmp_path / "acme-tan.txt"
    article.write_text("Acme Robotics Hires Widget Founder\n\nAcme Robotics hired Mei Tan, the "
                       "founder of Widget Labs, on Monday. Tan will lead its research.\n",
                       encoding="utf-8")
    ids = {e["id"] for e in entries(drafting.draft(article, "2025-06-12").sheet)}
    assert "hock-tan" not in ids


# The layout: headline, byline, sentences with exact offsets.

def test_the_layout_reads_headline_and_byline():
    page = pages.layout("Acme Buys Widgets\n\nBy Ann Lee and Bo Chen, The Daily\n\n"
                        "Acme said so. It paid.\n")
    assert page.headline == "Acme Buys Widgets"
    assert page.byline.authors == ("Ann Lee", "Bo Chen")
    assert page.byline.publisher == "The Daily"
    assert [s.text for s in page.sentences][-2:] == ["Acme said so.", "It paid."]
    alone = pages.layout("Acme Buys Widgets\n\nBy Ann Lee\n\nAcme said so.\n").byline
    assert alone.authors == ("Ann Lee",) and alone.publisher is None


def test_a_byline_of_three_authors():
    byline = pages.layout("Acme Buys Widgets\n\nBy Ann Lee, Bo Chen and Cy Dee, Reuters\n\n"
                          "Acme said so.\n").byline
    assert (byline.authors, byline.publisher) == (("Ann Lee", "Bo Chen", "Cy Dee"), "Reuters")


def test_no_headline_when_the_first_line_is_a_sentence():
    page = pages.layout("Acme Corp. agreed to buy Widget Inc. on Monday.\n\nIt paid.\n")
    assert page.headline is None and page.byline is None
    assert [s.text for s in page.sentences] == [
        "Acme Corp. agreed to buy Widget Inc. on Monday.", "It paid."]


def test_sentences_are_not_cut_at_abbreviations_or_initials():
    text = ("Acme opened a U.S. office on Jan. 20 with John F. Kennedy Jr. as its guest. "
            "Widget Inc. paid $5 million to Dr. Ann Lee! Was it worth it? “Yes,” she said.")
    assert [s.text for s in pages.sentences(text)] == [
        "Acme opened a U.S. office on Jan. 20 with John F. Kennedy Jr. as its guest.",
        "Widget Inc. paid $5 million to Dr. Ann Lee!", "Was it worth it?", "“Yes,” she said."]


def test_a_sentence_may_start_with_a_capital_beyond_ascii():
    text = "Acme said so. Ørsted agreed. Éric Dupont left."
    assert [s.text for s in pages.sentences(text)] == [
        "Acme said so.", "Ørsted agreed.", "Éric Dupont left."]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_sentence_offsets_are_exact(article):
    text = read_text(article)
    found = pages.layout(text).sentences
    assert found
    for sentence in found:
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        assert "\n\n" not in sentence.text
    assert [s.start for s in found] == sorted(s.start for s in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


# Ids.

@pytest.mark.parametrize("name, expected", [
    ("Scale AI", "scale-ai"), ("Procter & Gamble", "procter-gamble"),
    ("Société Générale", "societe-generale"), ("Nestlé", "nestle"), ("OpenAI’s", "openai"),
    ("O'Neil's Shop", "o-neil-shop"), ("3M", "3m"), ("  Acme  ", "acme"),
    ("Straße AG", "strasse-ag")])
def test_slug(name, expected):
    assert assemble.slug(name) == expected


def test_a_slug_is_a_slug_whatever_the_name():
    names = ["—", "", "日本", "中国", "🙂", "A&B", "Zürich Re", "Ørsted", "x" * 300]
    slugs = [assemble.slug(n) for n in names]
    assert all(SLUG.fullmatch(s) for s in slugs), slugs
    assert slugs[2] != slugs[3]


@pytest.mark.parametrize("name, expected", [("Ørsted", "orsted"), ("Łódź Bank", "lodz-bank"),
                                            ("Æon Œuvre", "aeon-oeuvre")])
def test_slug_of_letters_that_do_not_decompose(name, expected):
    assert assemble.slug(name) == expected


def test_ids_are_unique():
    ids = assemble.Ids()
    taken = [ids.take(w) for w in ["acme", "acme", "acme-2", "acme", "acme-2", "widget"]]
    assert taken[:2] == ["acme", "acme-2"]
    assert len(taken) == len(set(taken))
    assert all(SLUG.fullmatch(t) for t in taken)


# Errors: each a KgError that names the file.

def test_the_publication_date_is_required(tmp_path):
    with pytest.raises(InputError) as error:
        drafting.draft(SEED)
    assert error.value.path == str(SEED) and "--published" in str(error.value)
    with pytest.raises(InputError, match="2025-02-30"):
        drafting.draft(SEED, "2025-02-30")


@pytest.mark.parametrize("text", ["", "  \n\n\t\n"], ids=["empty", "blank"])
def test_an_empty_article_is_refused(tmp_path, text):
    article = tmp_path / "empty-article.txt"
    article.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="empty") as error:
        drafting.draft(article, "2025-01-21", corpus=[])
    assert error.value.path == str(article)


def test_a_missing_article_is_refused(tmp_path):
    with pytest.raises(KgError) as error:
        drafting.draft(tmp_path / "nowhere.txt", "2025-01-21", corpus=[])
    assert "nowhere.txt" in str(error.value)


def test_write_refuses_a_file_unless_forced_and_a_folder(drafted, tmp_path):
    target = tmp_path / "sheet.yaml"
    target.write_text("reviewed\n", encoding="utf-8")
    with pytest.raises(KgError, match="--force"):
        drafted(SEED).write(target)
    assert target.read_text(encoding="utf-8") == "reviewed\n"
    drafted(SEED).write(target, force=True)
    assert target.read_text(encoding="utf-8") == drafted(SEED).text
    with pytest.raises(KgError, match="folder"):
        drafted(SEED).write(tmp_path, force=True)
    with pytest.raises(KgError):
        drafted(SEED).write(tmp_path / "missing" / "sheet.yaml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.yaml"]


def test_score_against_the_reviewed_sheet(drafted, tmp_path):
    scores = drafting.score(drafted(SEED), SEED.with_suffix(".yaml"), SEED)
    assert [s.kind for s in scores] == list(evaluation.KINDS)
    by_kind = {s.kind: s for s in scores}
    assert by_kind["organizations"].recall > 0.5
    assert 0 < by_kind["organizations"].precision <= 1
    bad = tmp_path / "gold.yaml"
    bad.write_text("article:\n  title: a\n\tpublished: x\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        drafting.score(drafted(SEED), bad, SEED)
    assert (error.value.path, error.value.line) == (str(bad), 3)
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a fact sheet"):
        drafting.score(drafted(SEED), bad, SEED)


# Robustness: odd articles still give a sheet the build accepts.

ODD = {
    "no-byline": "Acme Agrees to Buy Widgets\n\nAcme Robotics agreed to buy Widget Labs for "
                 "$5 million, the companies said on Monday. The deal closes in March.\n",
    "no-headline": "Acme Robotics agreed to buy Widget Labs for $5 million on Monday.\n\n"
                   "The deal closes in March.\n",
    "crlf": b"Acme Buys Widgets\r\n\r\nBy Ann Lee, The Daily\r\n\r\nAcme Robotics agreed to "
            b"buy Widget Labs for $5 million.\r\nThe deal closes in March.\r\n",
    "bom": "\ufeffAcme Buys Widgets\n\nAcme Robotics agreed to buy Widget Labs.\n".encode(),
    "one-sentence": "Acme Robotics agreed to buy Widget Labs for $5 million.",
    "non-ascii": "Société Générale Sells Stake to Nestlé\n\nBy Zoë Müller, Le Bürger\n\n"
                 "Société Générale agreed to sell a 5% stake in its unit to Nestlé for €200 "
                 "million, the companies said on Tuesday. Nestlé Chief Executive Laurent Freixe "
                 "said the deal was “très bien.” Ørsted and Zürich Re were not involved.\n",
    "decomposed": "Nestle\u0301 Buys Stake\n\nNestle\u0301 agreed to buy a stake in "
                  "Socie\u0301te\u0301 Ge\u0301ne\u0301rale for €20 million.\n",
    "curly-quotes": "“We are thrilled,” said Ann Lee, Acme Robotics’ chief executive, after "
                    "Acme Robotics agreed to buy Widget Labs for $5 million. ‘It’s a deal,’ "
                    "she added.\n",
    "straight-quotes": "\"We are thrilled,\" said Ann Lee, Acme Robotics' chief executive. "
                       "'It's a deal,' she added.\n",
    "rained": "It rained.\n",
    "lower-case": "it rained all day and nobody noticed. the end\n",
    "headline-only": "Acme Buys Widgets\n",
    "byline-only": "By Ann Lee, The Daily\n",
    "long-headline": "Acme " * 60 + "\n\nAcme Robotics agreed to buy Widget Labs.\n",
    "yaml-hostile": "Yes Bank Buys No Ltd\n\n- Yes Bank agreed to buy No Ltd for $5 million: "
                    "a deal, it said on Monday. # Not a comment. Null Corp. said 'true' & "
                    "\"false\" were @ issue.\n\n%TAG ! Acme Robotics said *alias and &anchor "
                    "are fine: yes.\n",
    "yaml-markers": "Acme Buys Widgets\n\n---\nAcme Robotics agreed to buy  \n# Widget Labs "
                    "for $5 million,  \n...\nthe companies said. \n--- \nWidget Labs said so.\n",
    "spacing": "Acme Buys Widgets\n\nAcme Robotics\tagreed to buy   Widget Labs for "
               "$5\u00a0million.   \nThe deal closes in March.  \n",
    # characters the article may hold but a fact sheet may not, or YAML reads as line breaks
    "form-feed": "Acme Buys Widgets\n\nAcme Robotics agreed to buy Widget Labs.\x0c Widget "
                 "Labs said so.\n",
    "next-line": "Acme Buys Widgets\n\nAcme Robotics agreed to buy\u0085Widget Labs. Widget "
                 "Labs said so.\n",
    "line-separator": "Acme Buys Widgets\n\nAcme Robotics agreed to buy Widget Labs\u2028for "
                      "$5 million. Widget Labs said so.\n",
    "bidi-override": "Acme Buys Widgets\n\nAcme Robotics agreed to buy \u202eWidget Labs. "
                     "Widget Labs said so.\n",
    "numbers-only": "2025\n\n$5 million. 40%. 3,000.\n",
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_an_odd_article_gives_a_sheet_the_build_accepts(tmp_path, name):
    article = tmp_path / f"{name}.txt"
    data = ODD[name]
    article.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    result = drafting.draft(article, "2025-06-12", corpus=[])
    check_sheet(result, read_text(article))
    builds(tmp_path / "build", name, data, result.text)


@pytest.mark.parametrize("name", ["rained", "lower-case", "numbers-only"])
def test_an_article_without_entities_gives_just_the_article_section(tmp_path, name):
    article = tmp_path / f"{name}.txt"
    article.write_text(ODD[name], encoding="utf-8")
    result = drafting.draft(article, "2025-06-12", corpus=[])
    assert [k for k, v in result.sheet.items() if v] == ["article"]
    loaded = yaml.safe_load(result.text)
    assert list(loaded) == ["article"] and loaded["article"]["title"]
    builds(tmp_path / "build", name, ODD[name], result.text)


def test_the_same_company_with_and_without_its_suffix_point_is_one(tmp_path):
    article = tmp_path / "acme-widget.txt"
    article.write_text("Acme Buys Widgets\n\nAcme Corp. agreed to buy Widget Inc. for "
                       "$5 million.\n", encoding="utf-8")
    sheet = drafting.draft(article, "2025-06-12", corpus=[]).sheet
    names = [e["name"] for e in sheet.get("organizations", [])]
    assert len([n for n in names if n.startswith("Acme")]) == 1
    assert len([n for n in names if n.startswith("Widget")]) == 1
    deal = sheet["agreements"][0]
    assert len(set(deal["parties"])) == 2


@pytest.mark.parametrize("day", ["1999-12-31", "2030-06-30"])
def test_any_publication_date_gives_a_sheet_the_build_accepts(tmp_path, day):
    # the seed's times ("through 2030", "back in June") read against a far date
    result = drafting.draft(SEED, day, corpus=[])
    assert str(result.sheet["article"]["published"]) == day
    builds(tmp_path, SEED.stem, read_text(SEED), result.text)
