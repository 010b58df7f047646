"""Write every export at once: each file is staged in a temporary file, then all are renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import BinaryIO, Union

from pyoxigraph import Quad

from kg import jsonld, order
from kg.errors import OutputError
from kg.formats import EXPORTED, in_memory
from kg.graph import VOCABULARIES
from kg.namespaces import VOCABULARY_PREFIXES
from kg.resources import ontology_files

GRAPH_STEM = "graph"


Content = Union[bytes, Callable[[BinaryIO], None]]  # noqa: UP007 (a runtime alias on 3.10)  # the bytes, or what writes them to a file


def render(quads: list[Quad], prefixes: dict[str, str]) -> Iterator[tuple[str, Content]]:
    """(file name, content) of every output of a build, deterministic for the same quads; the
    graph files are written straight to their files, one at a time, to bound memory."""
    dataset = order.dataset(quads)  # already in order when it comes from the build
    triples = order.triples(dataset)  # sorted once, for the three triple formats
    table = data_prefixes(prefixes)
    for fmt in EXPORTED:
        statements = dataset if fmt.dataset else triples
        yield f"{GRAPH_STEM}{fmt.extension}", partial(fmt.write, statements, table)
    yield "context.jsonld", jsonld.context_document(prefixes)
    for path in ontology_files():
        yield path.name, path.read_bytes()


def data_prefixes(prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes a graph file may use: the vocabularies of the graph and kg's namespaces."""
    vocabularies = set(VOCABULARY_PREFIXES.values())
    return {name: ns for name, ns in prefixes.items()
            if ns in VOCABULARIES or ns not in vocabularies}


def as_bytes(content: Content) -> bytes:
    """The content in memory."""
    return content if isinstance(content, bytes) else in_memory(content)


def write_atomically(out_dir: Path, files: Iterable[tuple[str, Content]]) -> list[Path]:
    """Write all files into out_dir or none: each is staged in a temporary file as it comes,
    and only once all are staged are they renamed into place."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}",
                          path=out_dir) from None
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in files:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            staged.append((name, Path(tmp)))
            with os.fdopen(fd, "wb") as handle:
                if isinstance(content, bytes):
                    handle.write(content)
                else:
                    content(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
    except BaseException as exc:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the outputs, nothing was changed: {exc.strerror}",
                              path=out_dir) from None
        raise
    written = []
    for name, tmp in staged:
        os.replace(tmp, out_dir / name)
        written.append(out_dir / name)
    return written
