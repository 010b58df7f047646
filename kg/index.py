"""The query index of a build: an Oxigraph store on disk, `OUT/graph.oxigraph/`, beside the
files it indexes, so that `kg query` answers in a fraction of a second instead of parsing
graph.trig (some 5 s for a million triples) on every run. The files stay the product; the
index is an accelerator, used only when it matches them.

- `write(staging, quads)` is how `kg build` writes it: into the staging folder, after the
  graph files, from the quads they were written from (`bulk_extend`): every quad in its
  graph, and the merge of all graphs, each triple once, as the default graph, as
  kg.engine.dataset_store makes it; then `optimize` (it halves the time of queries that scan),
  then its metadata, `kg-index.json`, last. The whole output folder is switched in
  at once (kg.outdir): a reader sees the old folder or the new one, never half an index.
- `find(paths)` is how `kg query` decides: only for data that is one file named graph.trig
  with a `graph.oxigraph/` beside it whose metadata records that very file (its size, its
  mtime_ns, and a SHA-256 of its first and last MiB), kg's index format and pyoxigraph's
  storage series. No index there (a folder kg build did not write, `--data x.ttl`): the files
  are parsed, silently. An index that is there but does not match (the file changed since,
  another pyoxigraph, no or bad metadata), or that fails to open (`opener` raises OSError in
  the query worker, see kg.engine.StoreUnavailable): the files are parsed, and one line on
  standard error says so (the `kg.index` logger, a warning).
- On disk, a query that reads much of the graph runs several times slower than in memory
  (each lookup a RocksDB read): one still running after `budget(graph.trig)` seconds (about
  what parsing the file would take) is stopped and run on the parsed files, with the whole
  timeout; no note. Selective queries answer in a fraction of a second.
- The store is opened with `Store.read_only`: RocksDB then takes no LOCK and writes no LOG,
  nothing at all in the folder (checked on a read-only file system). It is opened through a
  descriptor of the folder, and RocksDB opens every table file at once: a build that
  switches the folder away while a query runs leaves it reading the old files to the end.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import pyoxigraph
from pyoxigraph import DefaultGraph, Quad, RdfFormat, Store

INDEX_DIR = "graph.oxigraph"
META = "kg-index.json"
INDEXED = "graph.trig"  # the file whose answers the index gives
FORMAT = 1  # kg's layout of the store: the default graph is the merge of all graphs
_ENDS = 1 << 20  # bytes hashed at each end of the indexed file
PARSED_PER_SECOND = 13e6  # bytes of graph.trig that kg query parses into its store a second
log = logging.getLogger(__name__)


def storage_series() -> str:
    """pyoxigraph's major.minor: the store on disk is read by the same series only."""
    return ".".join(pyoxigraph.__version__.split(".")[:2])


def fingerprint(path: Path) -> dict:
    """What identifies the indexed file cheaply: its size, its mtime_ns, and a SHA-256 of its
    first and last MiB (some 2 ms, whatever its size)."""
    with open(path, "rb") as handle:
        status = os.fstat(handle.fileno())
        digest = hashlib.sha256(handle.read(_ENDS))
        if status.st_size > _ENDS:
            handle.seek(max(_ENDS, status.st_size - _ENDS))
            digest.update(handle.read(_ENDS))
    return {"size": status.st_size, "mtime_ns": status.st_mtime_ns,
            "ends_sha256": digest.hexdigest()}


def write(staging: Path, quads: list[Quad] | None = None) -> str:
    """Write the index of staging/graph.trig into staging/graph.oxigraph, from the quads that
    file holds (kg build's, in memory: cheaper than parsing) or else from graph.nq and
    graph.nt; returns the folder's name. The metadata comes last."""
    folder = staging / INDEX_DIR
    store = Store(os.fspath(folder))
    if quads is None:
        store.bulk_load(path=os.fspath(staging / "graph.nq"), format=RdfFormat.N_QUADS)
        store.bulk_load(path=os.fspath(staging / "graph.nt"), format=RdfFormat.N_TRIPLES)
    else:  # as kg.engine.dataset_store: the named graphs, and their merge as default graph
        store.bulk_extend(q for q in quads if not isinstance(q.graph_name, DefaultGraph))
        store.bulk_extend(Quad(q.subject, q.predicate, q.object) for q in quads)
    store.flush()
    store.optimize()
    del store  # closed: RocksDB's files are complete
    meta = {"format": FORMAT, "pyoxigraph": pyoxigraph.__version__, "indexes": INDEXED,
            **fingerprint(staging / INDEXED)}
    fd = os.open(folder / META, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(meta, handle, indent=1, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    return INDEX_DIR


def find(paths: list[Path]) -> Path | None:
    """The index folder that answers for these data files, or None: parse them instead."""
    if len(paths) != 1 or paths[0].name != INDEXED:
        return None
    folder = paths[0].parent / INDEX_DIR
    if not folder.is_dir():
        return None  # no index: a folder kg build did not write, or other files
    why = stale(folder, paths[0])
    if why:
        fallback(folder, why)
        return None
    return folder


def stale(folder: Path, indexed: Path) -> str | None:
    """Why the index in folder does not answer for the file, or None when it does."""
    try:
        with open(folder / META, encoding="utf-8") as handle:
            meta = json.load(handle)
    except FileNotFoundError:
        return "it has no metadata (kg-index.json)"
    except (OSError, ValueError) as exc:
        return f"its metadata cannot be read ({exc})"
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        return "it was written by another version of kg"
    written = ".".join(str(meta.get("pyoxigraph", "")).split(".")[:2])
    if written != storage_series():
        return (f"it was written with pyoxigraph {meta.get('pyoxigraph')}, this is "
                f"{pyoxigraph.__version__}")
    try:
        now = fingerprint(indexed)
    except OSError as exc:
        return f"{indexed.name} cannot be read ({exc.strerror})"
    if any(meta.get(key) != value for key, value in now.items()):
        return f"{indexed.name} has changed since kg build wrote it"
    return None


def budget(indexed: Path) -> float:
    """Seconds a query may run over the index before it is run on the parsed files instead:
    about what parsing the file takes (some 13 MB/s of TriG), at least a second."""
    try:
        return max(1.0, indexed.stat().st_size / PARSED_PER_SECOND)
    except OSError:
        return 1.0


def opener(folder: Path):
    """What opens the index read-only: called in the query worker (kg.worker), after it has
    closed the files it inherited. RocksDB opens each of its files by name: it is given the
    folder through a descriptor of its own (/proc/self/fd/N), so that every file comes from
    one folder even if a build switches another in meanwhile (it stays open as long as the
    worker)."""
    path = os.fspath(folder)

    def open_index() -> Store:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        pinned = f"/proc/self/fd/{fd}"
        return Store.read_only(pinned if os.path.isdir(pinned) else path)

    return open_index


def fallback(folder: Path, why: str) -> None:
    """The one line that says the index is not used."""
    log.warning("kg: note: not using the index %s: %s; parsing the files instead (slower; "
                "`kg build` writes a fresh index)", folder, why)
