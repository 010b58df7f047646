"""Find article + fact sheet pairs and read their text strictly."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Source:
    """One article (X.txt) and the fact sheet that describes it (X.yaml)."""

    slug: str
    article: Path
    factsheet: Path


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def not_regular(mode: int) -> str | None:
    """What a file of this mode is when it is not a regular file, else None."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file; anything else (a folder, a FIFO, a device) is refused with
    an InputError before it is read, and the file is opened without blocking so that a FIFO
    put in its place meanwhile cannot hang the reader."""
    try:
        kind = not_regular(os.stat(path).st_mode)
        if kind is None:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
            try:
                kind = not_regular(os.fstat(fd).st_mode)
                if kind is None:
                    os.set_blocking(fd, True)
                    chunks = []
                    while chunk := os.read(fd, 1 << 20):
                        chunks.append(chunk)
                    return b"".join(chunks)
            finally:
                os.close(fd)
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    raise InputError(f"not a regular file: this is {kind}", path=path)


def read_text(path: Path) -> str:
    """UTF-8 text with a BOM dropped, CRLF as LF and NFC; bad bytes or NULs name the line; only
    regular files are read."""
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded "
                         "(save the file as UTF-8)", path=path, line=line) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError("the text holds a NUL character", path=path, line=line)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


def _slug_of(path: Path) -> str:
    if not SLUG.fullmatch(path.stem):
        raise InputError("the file name must be a slug (lowercase letters, digits and "
                         "hyphens, like 'verge-2025-01-21-deal') because it names the "
                         "article's IRI and graphs", path=path)
    return path.stem


def _pair(path: Path) -> Source:
    article, factsheet = path.with_suffix(".txt"), path.with_suffix(".yaml")
    for needed in (article, factsheet):
        try:
            kind = not_regular(needed.stat().st_mode)
        except FileNotFoundError:
            other = "article" if needed is article else "fact sheet"
            raise InputError(f"no {other} beside it: expected {needed}", path=path) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=needed) from None
        if kind is not None:
            raise InputError(f"not a regular file: this is {kind}", path=needed)
    return Source(_slug_of(path), article, factsheet)


def discover(paths: list[Path]) -> list[Source]:
    """Article + fact sheet pairs from files (X.txt or X.yaml) and folders, sorted by slug."""
    found: dict[str, Source] = {}
    for path in paths:
        if path.is_dir():
            # One candidate per pair, keyed by the article's path (names may hold other dots);
            # a FIFO or device named like one is a candidate, to be refused by name.
            articles = sorted({p.with_suffix(".txt") for p in path.iterdir()
                               if p.suffix in (".txt", ".yaml") and not p.is_dir()})
            candidates = [_pair(article) for article in articles]
            if not candidates:
                raise InputError("no article + fact sheet pairs (X.txt with X.yaml) in this "
                                 "folder", path=path)
        elif path.suffix in (".txt", ".yaml"):
            candidates = [_pair(path)]
        elif path.exists():
            raise InputError("expected an article (.txt), a fact sheet (.yaml) or a folder",
                             path=path)
        else:
            raise InputError("file not found", path=path)
        for source in candidates:
            previous = found.get(source.slug)
            if previous and previous.article.resolve() != source.article.resolve():
                raise InputError(f"two articles share the slug '{source.slug}': "
                                 f"{previous.article} and {source.article}", path=source.article)
            found[source.slug] = source
    return [found[slug] for slug in sorted(found)]
