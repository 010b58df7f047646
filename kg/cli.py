"""The `kg` command: thin click glue over the library; only here do errors become exit codes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from kg import __version__
from kg.errors import KgError
from kg.namespaces import DEFAULT_BASE_IRI


def _fail(exc: KgError) -> None:
    click.echo(f"kg: error: {exc}", err=True)
    sys.exit(exc.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Turn news articles about corporate deals into a linked-data knowledge graph.

    Every fact carries its evidence: the exact quote from the article and where it stands.
    """


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Folder to write the graph files into.")
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True,
              help="Base IRI under which resources and named graphs are minted.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def build(sources: tuple[Path, ...], out_dir: Path, base_iri: str, quiet: bool) -> None:
    """Build the graph from article + fact sheet pairs (X.txt with X.yaml).

    SOURCES are files or folders; by default the seed article shipped with kg. All files in
    --out are replaced together, or none on any error (exit 2).

    Example: kg build seeds/ --out out/
    """
    from kg.build import build as run_build

    started = time.perf_counter()
    try:
        result = run_build(list(sources) or None, out_dir, base_iri)
    except KgError as exc:
        _fail(exc)
    if not quiet:
        counts = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        click.echo(f"kg build: {counts}")
        click.echo(f"kg build: wrote {len(result.files)} files to {out_dir}/ in "
                   f"{time.perf_counter() - started:.2f} s")


if __name__ == "__main__":  # pragma: no cover
    main()
