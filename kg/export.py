"""Write every export at once: staged in a folder beside the output folder, then switched in."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import BinaryIO, Union

from pyoxigraph import Quad

from kg import jsonld, order, outdir
from kg.errors import OutputError
from kg.formats import EXPORTED, in_memory
from kg.graph import VOCABULARIES
from kg.index import INDEX_DIR
from kg.namespaces import VOCABULARY_PREFIXES
from kg.resources import ontology_files

GRAPH_STEM = "graph"
OWNED = (INDEX_DIR,)  # the folder kg build writes into its output folder (kg.index)


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


def write_atomically(out_dir: Path, files: Iterable[tuple[str, Content]],
                     wait: float = outdir.LOCK_WAIT,
                     finish: Callable[[Path], str] | None = None) -> list[Path]:
    """Write all files into out_dir or none, as one switch (kg.outdir): each is written into a
    staging folder beside out_dir as it comes, and once all are there the staging folder
    replaces out_dir in one step, keeping the files of out_dir that kg did not write. One
    writer at a time: a second waits up to `wait` seconds for the first. `finish(staging)`,
    run once the files are written, may add a folder of its own (kg.index.write): it returns
    its name, and is switched in with them."""
    names = []
    with outdir.replacing(out_dir, keep_foreign=True, command="kg build", wait=wait,
                          owned=OWNED) as staging:
        try:
            for name, content in files:
                fd = os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                os.fchmod(fd, 0o644)
                with os.fdopen(fd, "wb") as handle:
                    if isinstance(content, bytes):
                        handle.write(content)
                    else:
                        content(handle)
                    handle.flush()
                    os.fsync(handle.fileno())
                names.append(name)
            if finish is not None:
                names.append(finish(staging))
        except OSError as exc:
            raise OutputError(f"cannot write the outputs, nothing was changed: {exc.strerror}",
                              path=out_dir) from None
    return [out_dir / name for name in names]
