"""Anchoring quotes in an article: offsets into the original text, context, closest passage."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import anchor
from kg.anchor import CONTEXT_CHARS, Document, fold, mentions

SEED_ARTICLE = (Path(__file__).resolve().parent.parent / "seeds"
                / "verge-2025-01-21-microsoft-openai-compute.txt")

TEXT = ("Alpha beta gamma.\n"
        "The quick   brown\n"
        "fox jumps over\n"
        "\n"
        "  the lazy dog. Omega ends here.")


def seed_document() -> Document:
    return Document(SEED_ARTICLE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- fold

def test_fold_collapses_whitespace_and_straightens_quotes():
    assert fold("  “It’s”\n\t here  ") == "\"It's\" here"


def test_fold_normalizes_to_nfc():
    assert fold("cafe\u0301") == "caf\u00e9"


# ---------------------------------------------------------------- find

def test_find_across_a_line_break_and_a_run_of_spaces():
    anchor = Document(TEXT).find("quick brown fox jumps")
    assert anchor is not None
    assert anchor.start == TEXT.index("quick")
    assert anchor.end == TEXT.index("jumps") + len("jumps")
    assert anchor.exact == "quick   brown\nfox jumps"


def test_find_with_odd_whitespace_in_the_quote():
    anchor = Document(TEXT).find("  over \n\n the   lazy ")
    assert anchor.exact == "over\n\n  the lazy"
    assert TEXT[anchor.start:anchor.end] == anchor.exact


def test_find_offsets_point_into_the_original_text():
    text = "Intro.\n\nHe said “it’s   done” and left."
    anchor = Document(text).find('said "it\'s done" and')
    assert text[anchor.start:anchor.end] == anchor.exact == "said “it’s   done” and"
    assert anchor.start == text.index("said")


def test_find_at_the_very_start_and_end_of_the_text():
    doc = Document(TEXT)
    first = doc.find("Alpha beta")
    last = doc.find("Omega ends here.")
    assert (first.start, first.prefix) == (0, "")
    assert (last.end, last.suffix) == (len(TEXT), "")


def test_find_in_text_that_starts_with_whitespace():
    text = "\n\n   Leading words here."
    anchor = Document(text).find("Leading words")
    assert anchor.start == text.index("Leading")
    assert anchor.exact == "Leading words"


def test_prefix_and_suffix_are_the_32_characters_around():
    text = "x" * 50 + " before the quoted words after " + "y" * 50
    anchor = Document(text).find("the quoted words")
    assert anchor.prefix == text[anchor.start - CONTEXT_CHARS:anchor.start]
    assert anchor.suffix == text[anchor.end:anchor.end + CONTEXT_CHARS]
    assert len(anchor.prefix) == len(anchor.suffix) == CONTEXT_CHARS == 32


def test_prefix_and_suffix_keep_the_original_whitespace():
    anchor = Document(TEXT).find("brown fox")
    assert anchor.prefix.endswith("The quick   ")
    assert anchor.suffix.startswith(" jumps over\n\n  the")


def test_first_occurrence_wins_for_a_repeated_sentence():
    text = "Same sentence here. Other words.\nSame   sentence\nhere. End."
    anchor = Document(text).find("Same sentence here.")
    assert (anchor.start, anchor.end) == (0, len("Same sentence here."))


def test_find_returns_none_when_absent():
    assert Document(TEXT).find("the quick brown cat") is None


def test_find_returns_none_for_an_empty_quote():
    assert Document(TEXT).find("") is None
    assert Document(TEXT).find(" \n\t ") is None


def test_find_every_sentence_of_the_seed():
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    doc = Document(text)
    for line in filter(str.strip, text.split("\n")):
        anchor = doc.find(line)
        assert anchor is not None and anchor.exact == line.strip()


# ---------------------------------------------------------------- closest passage

def test_closest_passage_picks_the_sentence_with_one_word_changed():
    passage = seed_document().closest_passage(
        "Microsoft hired Inflection CEO Mustafa Suleyman to lead its AI efforts")
    assert passage.startswith("Last March, Microsoft hired Inflection CEO Mustafa Suleyman")
    assert passage.endswith("in a $650 million deal.")


def test_closest_passage_picks_among_sentences_of_one_paragraph():
    doc = Document("The sky is blue today. Cats sleep on the warm sofa. Rain falls in May.")
    assert doc.closest_passage("Cats sleep on a warm sofa") == "Cats sleep on the warm sofa."


def test_closest_passage_stops_at_a_line_break():
    # A headline has no full stop: the line break alone ends it.
    passage = seed_document().closest_passage(
        "Microsoft is letting OpenAI get its own AI compute today")
    assert passage == "Microsoft is letting OpenAI get its own AI compute now"


def test_closest_passage_is_shortened_to_the_width():
    long_sentence = "word " * 60 + "end."
    passage = Document(long_sentence).closest_passage("word word word", width=40)
    assert len(passage) == 40 and passage.endswith("\u2026")


# ---------------------------------------------------------------- mentions

def test_mentions_respects_word_boundaries():
    assert not mentions("no harm done", "Arm")
    assert not mentions("Armada sails", "Arm")


def test_mentions_finds_a_name_before_punctuation():
    assert mentions("between Arm, Microsoft", "Arm")
    assert mentions("made by Arm", "Arm")
    assert mentions("(Arm)", "Arm")


def test_mentions_folds_quotes_and_whitespace():
    assert mentions("and OpenAI’s API\nremains", "OpenAI's  API")
    assert mentions("in the U.S. called Stargate", "U.S.")


# ---------------------------------------------------------------- the index, by runs


def _by_characters(text: str) -> tuple[str, list[int]]:
    """Document's folded text and positions as first written, one character at a time."""
    chars: list[str] = []
    positions: list[int] = []
    pending = False
    for i, ch in enumerate(text):
        if ch.isspace():
            pending = bool(chars)
            continue
        if pending:
            chars.append(" ")
            positions.append(i - 1)
            pending = False
        chars.append(ch.translate(anchor._FOLD))
        positions.append(i)
    return "".join(chars), positions


@pytest.mark.parametrize("text", [
    "", "   ", "a", "  a  b\n\n c  ", TEXT, "“It’s” here,\u00a0and\u2003there\u3000\x1c\x85end",
    "\u2028line\u2029para\tx\x0by\x0cz\u200bnot-a-space\ufeff", "‘a’ „b‟ ′c″ \n",
])
def test_the_index_by_runs_is_the_index_by_characters(text):
    document = Document(text)
    assert (document._folded, document._positions) == _by_characters(text)


def test_every_space_character_is_one():
    # What str.isspace() calls a space is what the index (a regular expression) skips.
    spaces = "".join(chr(c) for c in range(0x3100) if chr(c).isspace())
    text = "a" + "b".join(spaces) + "z"
    document = Document(text)
    assert (document._folded, document._positions) == _by_characters(text)


def test_mentions_past_the_pattern_cache():
    names = [f"Company {n}" for n in range(1200)]
    text = "We met " + ", ".join(names[::2]) + "."
    assert [mentions(text, n) for n in names] == [n % 2 == 0 for n in range(1200)]
    assert mentions(text, "company 4", ignore_case=True) and not mentions(text, "company 4")
