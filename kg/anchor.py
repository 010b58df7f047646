"""Find each evidence quote in the article text and say exactly where it stands."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

# People type quotes with straight quotation marks; articles use typographic ones.
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                       "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
                       "\u2032": "'", "\u2033": '"'})
CONTEXT_CHARS = 32
# \s of a str pattern is str.isspace(), which is what fold() splits on.
_WORDS = re.compile(r"\S+")


@functools.lru_cache(maxsize=4096)
def fold(s: str) -> str:
    """NFC, typographic quotes folded to ASCII, whitespace runs collapsed to one space."""
    # Kept: an entry's quotes are folded again for each name and value checked in them.
    return " ".join(unicodedata.normalize("NFC", s).translate(_FOLD).split())


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands: code-point offsets into the document text, and its context."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class Document:
    """An article's text, indexed once so that many quotes can be anchored quickly."""

    def __init__(self, text: str):
        self.text = text
        # Each run of non-space characters is kept (folded one character for one), and each
        # run of spaces between two becomes one space placed at the run's last character.
        # By runs rather than by characters: an article is thousands of characters.
        folded = text.translate(_FOLD)
        runs: list[str] = []
        positions: list[int] = []
        for match in _WORDS.finditer(folded):
            start, end = match.span()
            if positions:
                positions.append(start - 1)
            runs.append(match.group())
            positions.extend(range(start, end))
        self._folded = " ".join(runs)
        self._positions = positions
        self._lowered: str | None = None

    def find(self, quote: str, *, ignore_case: bool = False) -> Anchor | None:
        """The first place the quote stands in the text (in any case, with ignore_case), or
        None."""
        needle = fold(quote)
        if not needle:
            return None
        if ignore_case:
            if self._lowered is None:
                self._lowered = _lower(self._folded)
            at = self._lowered.find(_lower(needle))
        else:
            at = self._folded.find(needle)
        if at < 0:
            return None
        start = self._positions[at]
        end = self._positions[at + len(needle) - 1] + 1
        return Anchor(start, end, self.text[start:end],
                      self.text[max(0, start - CONTEXT_CHARS):start],
                      self.text[end:end + CONTEXT_CHARS])

    def closest_passage(self, quote: str, width: int = 160) -> str:
        """The sentence of the text most like the quote, to show next to a quote not found."""
        needle = fold(quote)
        best, best_ratio = "", -1.0
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", self.text):
            sentence = fold(sentence)
            if not sentence:
                continue
            ratio = difflib.SequenceMatcher(None, needle, sentence, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = sentence, ratio
        return best if len(best) <= width else best[: width - 1] + "\u2026"


def _lower(s: str) -> str:
    """Lower case, one character for one, so that offsets into the text still hold."""
    return "".join(c if len(low := c.lower()) != 1 else low for c in s)


def mentions(haystack: str, name: str, *, ignore_case: bool = False) -> bool:
    """Whether `name` stands in `haystack` as whole words (after folding both; in any case
    with ignore_case).

    >>> mentions("The Japanese steelmaker said", "the Japanese steelmaker", ignore_case=True)
    True
    """
    return _word(fold(name), ignore_case).search(fold(haystack)) is not None


@functools.lru_cache(maxsize=8192)
def _word(name: str, ignore_case: bool) -> re.Pattern:
    # re's own cache holds 512 patterns: a build names thousands of entities.
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)",
                      re.IGNORECASE if ignore_case else 0)
