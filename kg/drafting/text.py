"""An article's layout as a news page writes it: its headline, its byline, and its body cut into
sentences with their offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a point does not end a sentence.
ABBREVIATIONS = {"u.s", "u.k", "u.n", "e.u", "inc", "corp", "co", "ltd", "mr", "mrs", "ms", "dr",
                 "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                 "nov", "dec", "no", "vs", "gov", "sen", "rep", "jr", "sr", "prof", "gen",
                 "lt", "col", "approx", "est", "dept", "n.v", "s.a", "plc", "a.m", "p.m"}
# Lines of a web page's frame copied with the article: never its headline.
CHROME = {"skip to main content", "skip to content", "advertisement", "menu", "sign in",
          "subscribe", "share", "share this story", "close"}
# A sentence ends at a point before a capital, or at a line break before one: text copied from
# a web page puts a caption, a credit or a name on a line of its own.
# (The capital is checked in code: a regex class of capitals would leave out "Ørsted".)
_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘'(\[]?(\S))|(?<=\S)(?=\n[\"“‘'(\[]?(\S))")
_BYLINE = re.compile(r"^By\s+(?P<names>[^\n]+?)\s*$")
_NAME_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body: text[start:end] of the article."""

    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True)
class Byline:
    """'By Name and Name, Publisher': the authors' names and the publisher, with the line."""

    authors: tuple[str, ...]
    publisher: str | None
    line: str


@dataclass
class Layout:
    """The headline (the first line, when it reads as one), the byline and the sentences."""

    text: str
    headline: str | None
    byline: Byline | None
    sentences: list[Sentence]


def layout(text: str) -> Layout:
    """Read the headline, the byline and the sentences of an article.

    >>> page = layout("Acme Buys Widgets\\n\\nBy Ann Lee, The Daily\\n\\nAcme said so. It paid.")
    >>> page.headline, page.byline.authors, page.byline.publisher
    ('Acme Buys Widgets', ('Ann Lee',), 'The Daily')
    >>> [s.text for s in page.sentences]
    ['Acme Buys Widgets', 'By Ann Lee, The Daily', 'Acme said so.', 'It paid.']
    """
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    headline = None
    nonblank = [(at, line) for at, line in lines
                if line.strip() and line.strip().lower() not in CHROME]
    if nonblank:
        first = nonblank[0][1].strip()
        if len(first) <= 200 and not first.endswith((".", ":", ";", ",")):
            headline = first
    byline = None
    for _, line in nonblank[:6]:
        match = _BYLINE.match(line.strip())
        if match:
            # "By A, B and C, Reuters": the publisher follows the last comma, unless that part
            # reads as the last of a list of names ("By A and B").
            chunks = [c.strip() for c in match["names"].split(",") if c.strip()]
            publisher = None
            if len(chunks) > 1 and " and " not in chunks[-1] and "&" not in chunks[-1]:
                publisher = chunks.pop()
            names = tuple(n for n in _NAME_SPLIT.split(", ".join(chunks)) if n)
            byline = Byline(names, publisher, line.strip())
            break
    return Layout(text, headline, byline, list(sentences(text)))


def sentences(text: str):
    """The sentences of each paragraph (a run of lines between blank lines), with offsets."""
    for paragraph, match in enumerate(re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text)):
        block, base, at = match.group(), match.start(), 0
        for end in _END.finditer(block):
            after = end.group(1) or end.group(2)
            if not (after.isupper() or end.group(1) and (after.isdigit() or after in "$€£")):
                continue  # a point before a capital, digit or currency; a break before a capital
            word = re.search(r"(\S+)$", block[at:end.start()])
            if word and word.group(1).lower().rstrip(".").strip("“\"(") in ABBREVIATIONS:
                continue
            if word and re.fullmatch(r"[A-Z]", word.group(1)):  # an initial: "John F. Kennedy"
                continue
            yield from _sentence(block, base, at, end.end(), paragraph)
            at = end.end()
        yield from _sentence(block, base, at, len(block), paragraph)


def _sentence(block: str, base: int, start: int, end: int, paragraph: int):
    piece = block[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        yield Sentence(base + start + lead, base + start + lead + len(piece), piece, paragraph)
