"""Write every export at once: all files are rendered first, then swapped in by rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pyoxigraph import Quad

from kg import jsonld
from kg.errors import OutputError
from kg.formats import EXPORTED, triples_of
from kg.resources import ontology_files

GRAPH_STEM = "graph"


def render(quads: list[Quad], prefixes: dict[str, str]) -> dict[str, bytes]:
    """File name -> content of every output of a build, deterministic for the same quads."""
    triples = triples_of(quads)
    files = {f"{GRAPH_STEM}{fmt.extension}": fmt.writer(quads if fmt.dataset else triples,
                                                        prefixes)
             for fmt in EXPORTED}
    files["context.jsonld"] = jsonld.context_document(prefixes)
    for path in ontology_files():
        files[path.name] = path.read_bytes()
    return files


def write_atomically(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write all files into out_dir or none: on any error the folder is left as it was."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}", path=out_dir) from None
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            staged.append((name, Path(tmp)))
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
    except OSError as exc:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write the outputs, nothing was changed: {exc.strerror}",
                          path=out_dir) from None
    written = []
    for name, tmp in staged:
        os.replace(tmp, out_dir / name)
        written.append(out_dir / name)
    return written
