"""A SPARQL tokenizer: the terminals of the SPARQL 1.1 grammar (§19.8), read the way Oxigraph
(pyoxigraph 0.5) reads them, in one pass and in time linear in the length of the text.

It is what kg's safety check reads a query with: a keyword is only a keyword where the engine
could take it for one, never inside a string, an IRI, a comment, a variable or a prefixed name.
Where the engine reads the text differently from the grammar, the tokenizer follows the engine:

- a comment runs from `#` to the end of the line, and a carriage return ends a line as a line
  feed does (the grammar's EOL is [#xA#xD]); a form feed or a vertical tab does not;
- a prefixed name's local part has at most one run of dots (`ex:a.b.c` is `ex:a.b`, `.`, `c`),
  and names hold no character beyond U+FFFD;
- `<` is both the start of an IRI and the less-than operator, and only the parser knows which
  (`FILTER(?a<?b#>)` compares ?a and ?b, then comments out the rest of the line): where both
  readings are possible and would read the rest of the text differently, AmbiguousToken is
  raised rather than guessing.

tokens() gives every token; notable() (with a pattern from quiet_tokens()) gives the same
reading but groups the tokens that matter to no check into "quiet" runs matched in one go, which
is what the safety check uses: about 0.3 s for a megabyte of the worst runs of `#`, quotes or
`<`, and some 1 µs a token for text made of nothing but one-character tokens.

The \\u and \\U escapes of §19.2 (decoded before parsing, by the standard) are not decoded by
pyoxigraph 0.5 outside strings and IRIs; decode_codepoints() gives the text as an engine that
does decode them would see it, so that a check can read both.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator

_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ESC = rf"""(?:\\[tbnrf"'\\]|{_UCHAR})"""
# PN_CHARS_BASE as Oxigraph has it: the grammar's set without the supplementary planes.
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
         "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd")
_CHARS_U = _BASE + "_"
_MORE = "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_CHARS = _CHARS_U + "\\-" + _MORE
_VARNAME = f"[0-9{_CHARS_U}][{_CHARS_U}{_MORE}]*"
_PREFIX = f"[{_BASE}][{_CHARS}]*(?:\\.+[{_CHARS}]+)*"
_PLX = f"%{_HEX}{_HEX}|\\\\[_~.\\-!$&'()*+,;=/?#@%]"
_LOCAL = (f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*"
          f"(?:\\.+(?:[{_CHARS}:]|{_PLX})+)?")
_IRI_CHAR = r'[^<>"{}|^`\\\x00-\x20]'
_EXPONENT = "[eE][+-]?[0-9]+"
_IRIREF = f"<{_IRI_CHAR}*(?:(?:{_UCHAR}){_IRI_CHAR}*)*>"


# Each alternative is anchored at the position it is tried at and linear in what it reads:
# every repetition is "unrolled" (plain characters, then one escape or quote, then plain
# characters...), so that a failed match gives characters back one at a time and never
# re-reads them in another split. Spaces and comments before a token are read with it, and
# runs of brackets or operators are one token each, so that a megabyte of them is read in
# well under a second.
_STRING = (rf'"""[^"\\]*(?:(?:{_ESC}|"(?!""))[^"\\]*)*"""'
    rf"|'''[^'\\]*(?:(?:{_ESC}|'(?!''))[^'\\]*)*'''"
    rf'|"[^"\\\r\n]*(?:{_ESC}[^"\\\r\n]*)*"'
    rf"|'[^'\\\r\n]*(?:{_ESC}[^'\\\r\n]*)*'")
# Spaces and comments, read one way only (a comment is whole: it ends at a line's end), so
# that a match that fails after them gives them back in linear time.
_SKIP = r"(?:[ \t\r\n]|#[^\r\n]*(?![^\r\n]))*"
_TOKEN = re.compile(_SKIP + "(?:" + "|".join([
    # No two alternatives start with one character (but `stray`, last): their order is that
    # of speed, the commonest first.
    rf"(?P<word>{_PREFIX})(?P<pname>:(?:{_LOCAL})?)?",
    rf"(?P<var>[?$]{_VARNAME})",
    r"(?P<punct>[,;*/!=|^&~+\-\[\].]+|[?$]+(?![0-9" + _CHARS_U + "]))",
    r"(?P<brackets>[(){}](?:[ \t\r\n]*[(){}])*)",
    f"(?P<string>{_STRING})",
    f"(?P<iri>{_IRIREF})",
    # Only the last `<` of a run can open an IRI: the others are read as one token.
    r"(?P<lt><+(?=<)|<)",
    rf"(?P<pname0>:(?:{_LOCAL})?)",
    r"(?P<gt>>+)",
    rf"(?P<number>[0-9]+(?:\.[0-9]+)?(?:{_EXPONENT})?)",
    rf"(?P<bnode>_:[0-9{_CHARS_U}][{_CHARS}]*(?:\.+[{_CHARS}]+)*)",
    r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?)",
    r"(?P<other>[\\`%\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+)",
    # An unterminated string's quote, `@` and `_` that open no language tag or blank node...
    r"(?P<stray>(?:@(?![a-zA-Z])|_(?!:))+|.)",
    r"(?P<end>\Z)",
]) + ")", re.DOTALL)
_IRI = re.compile(_IRIREF)
VARNAME = re.compile(_VARNAME)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Where quiet runs end, the characters that end no operand (unless escaped in a name).
_OPERATORS = frozenset(",;*/!=|^&~+[.?$(<{")


def quiet_tokens(notable: Iterable[str]) -> re.Pattern:
    """The pattern of notable(): _TOKEN, with runs of tokens that change nothing first (one
    match, read at the regular expression engine's speed): all but IRIs, brackets, and bare
    names or prefixes holding one of the notable words (matched case-insensitively)."""
    words = "|".join(re.escape(word) for word in notable)
    quiet = "|".join([
        r"[,;*/!=|^&~+\-\[\].]+",
        # A name whose prefix is short and holds no notable word (a long one is read alone,
        # so that looking for the words in it stays cheap).
        rf"(?=[{_BASE}][{_CHARS}.]{{0,63}}(?![{_CHARS}.]))(?![{_CHARS}.]*?(?i:{words}))"
        rf"{_PREFIX}(?::(?:{_LOCAL})?)?",
        rf"[?$]{_VARNAME}|[?$]+(?![0-9{_CHARS_U}])",
        f"<+(?=<)|<(?!{_IRIREF[1:]})",  # less-thans
        _STRING,
        rf":(?:{_LOCAL})?", ">+",
        rf"[0-9]+(?:\.[0-9]+)?(?:{_EXPONENT})?",
        rf"_:[0-9{_CHARS_U}][{_CHARS}]*(?:\.+[{_CHARS}]+)*",
        r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?",
        r"[\\`%\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+",
        # What is `stray` in _TOKEN: the characters that start no token.
        r"""["']|@(?![a-zA-Z])|_(?!:)|[^""" + _BASE + r"""0-9?$,;*/!=|^&~+\-\[\].(){}"'<:>_@"""
        r"""\\`%\x00-\x08\x0b\x0c\x0e-\x1f\x7f \t\r\n#]""",
    ])
    return re.compile(f"(?P<quiet>(?:{_SKIP}(?:{quiet}))+)|" + _TOKEN.pattern, re.DOTALL)


# The tokens after which `<` may be the less-than operator: the ends of operands (`end` is a
# `)`, a `]`, a `>>` or the `}` of EXISTS { ... }).
_OPERAND_END = frozenset({"string", "iri", "var", "bnode", "pname", "word", "number",
                          "langtag", "end", "other"})


class AmbiguousToken(ValueError):
    """A `<` that only a parser could read, as an IRI or as the less-than operator."""

    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset


def tokens(text: str, kinds: Container[str] | None = None) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of each token of text (of the given kinds only, if kinds is given);
    spaces and comments are left out.

    kind is one of string, iri, var, bnode, pname (a prefixed name), word (a keyword, a
    function's name, true, false or a: the grammar's bare names), number, langtag, brackets
    (a run of parentheses and braces, spaces between them included), gt (a run of `>`), lt and
    punct (runs of other operators and punctuation) or other (characters the grammar has no
    use for). An unterminated string is read as an `other` quote and what follows it, so that
    nothing after it is hidden. AmbiguousToken is raised for a `<` only a parser could read.

    >>> text = "SELECT * WHERE { # x\\rSERVICE ?s }"
    >>> [(kind, text[start:end]) for kind, start, end in tokens(text)][3:]
    [('brackets', '{'), ('word', 'SERVICE'), ('var', '?s'), ('brackets', '}')]
    """
    return _read(text, _TOKEN, kinds)


def notable(text: str, pattern: re.Pattern,
            kinds: Container[str] | None = None) -> Iterator[tuple[str, int, int]]:
    """The tokens of text as tokens() reads them, but for runs of tokens that change nothing
    (kind `quiet`): pattern is quiet_tokens(words), and every bare name or prefix that holds
    one of the words is a token of its own (VALUES must be one of them)."""
    return _read(text, pattern, kinds)


def _read(text: str, pattern: re.Pattern,
          kinds: Container[str] | None) -> Iterator[tuple[str, int, int]]:
    # The open brackets, innermost last: "paren", "brace", or "values" and "vparen" for the
    # braces and parentheses of a VALUES block (which hold terms, never an expression).
    stack: list[str] = []
    values = False  # a VALUES keyword was read, its block not yet opened
    previous = "punct"
    for found in pattern.finditer(text):
        kind = found.lastgroup
        if kind == "quiet":
            start, end = found.span(kind)
            last = text[end - 1]
            if last == ">":
                previous = "end" if end - start > 1 and text[end - 2] == ">" else "punct"
            elif last in _OPERATORS and (end - start < 2 or text[end - 2] != "\\"):
                previous = "punct"
            else:
                previous = "end"
            if kinds is None or kind in kinds:
                yield kind, start, end
            continue
        if kind == "pname":  # a prefix and its colon
            start, end = found.start("word"), found.end()
        else:
            start, end = found.span(kind)
            if kind == "pname0" or kind == "stray":
                kind = "pname" if kind == "pname0" else "other"
        if kind == "iri":
            if stack and stack[-1] == "paren" and previous in _OPERAND_END:
                _check_ambiguity(text, start, end)
        elif kind == "brackets":
            for char in text[start:end]:
                if char == "(":
                    inner = "vparen" if values or (stack and stack[-1][0] == "v") else "paren"
                    stack.append(inner)
                elif char == "{":
                    stack.append("values" if values else "brace")
                    values = False
                elif (char == ")" or char == "}") and stack:
                    stack.pop()
        elif kind == "word" and end - start == 6 and text[start:end].upper() == "VALUES":
            values = True
        elif kind == "end":
            return
        if kind == "brackets":
            previous = "end" if text[end - 1] in ")}" else "punct"
        elif kind == "punct":
            previous = "end" if text[end - 1] == "]" else "punct"
        elif kind == "gt":
            previous = "end" if end - start > 1 else "punct"
        else:
            previous = kind
        if kinds is None or kind in kinds:
            yield kind, start, end


def _check_ambiguity(text: str, start: int, end: int) -> None:
    """Refuse an IRI, after an operand inside parentheses, that the engine may read as `<` and
    what follows, where the two readings would read the rest differently (a `#` or a `'`)."""
    inside = text[start + 1:end - 1]
    if "#" in inside or "'" in inside:
        raise AmbiguousToken(start, "could be a less-than or the start of an IRI: write a "
                             "space after a less-than, or the IRI as a prefixed name")


def decode_codepoints(text: str) -> str:
    r"""text with its \uXXXX and \UXXXXXXXX escapes decoded, as SPARQL 1.1 §19.2 has them
    decoded before parsing (escapes of no valid character are left as they are).

    >>> decode_codepoints(r"\u0053ERVICE \U0001F600 \uD800")
    'SERVICE 😀 \\uD800'
    """
    def character(found: re.Match) -> str:
        code = int(found.group(1) or found.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return found.group(0)
        return chr(code)
    return _CODEPOINT.sub(character, text)


def has_codepoints(text: str) -> bool:
    """Whether text holds a \\u or \\U escape anywhere."""
    return "\\u" in text or "\\U" in text


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of an offset (a line ends at a line feed)."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
