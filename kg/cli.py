"""The `kg` command: thin click glue over the public API (`import kg`); only here do errors
become exit codes."""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from pathlib import Path

import click

import kg
from kg import __version__
from kg.cli_support import TableChoice, default_prefixes, fail, sigterm_as_sigint
from kg.errors import KgError
from kg.namespaces import DEFAULT_BASE_IRI
from kg.rights import ARTICLE_TEXT, DEFAULT_LICENSE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Turn news articles about corporate deals into a linked-data knowledge graph.

    Every fact carries its evidence: the exact quote from the article and where it stands.
    """
    sigterm_as_sigint()


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Folder to write the graph files into.")
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True,
              help="Base IRI under which resources and named graphs are minted.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@click.option("--no-index", is_flag=True,
              help="Do not write graph.oxigraph/, the index that makes `kg query` fast.")
def build(sources: tuple[Path, ...], out_dir: Path, base_iri: str, quiet: bool,
          no_index: bool) -> None:
    """Build the graph from article + fact sheet pairs (X.txt with X.yaml).

    SOURCES are files or folders; by default the seed article shipped with kg. The files of
    --out are replaced together, in one step, or none on any error (exit 2); files kg did not
    write are kept, a folder inside --out is refused, and so are kg's own data folders. One
    build writes a folder at a time: another waits for it (up to 5 minutes).

    Example: kg build seeds/ --out out/
    """
    started = time.perf_counter()
    try:
        result = kg.build(list(sources) or None, out_dir, base_iri, index=not no_index)
    except KgError as exc:
        fail(exc)
    if not quiet:
        counts = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        click.echo(f"kg build: {counts}")
        click.echo(f"kg build: wrote {len(result.files)} files to {out_dir}/ in "
                   f"{time.perf_counter() - started:.2f} s")
        if result.conflicts:
            command = " ".join(["kg check", *(shlex.quote(str(s)) for s in sources)])
            click.echo(f"kg build: {_conflicts(len(result.conflicts))} across articles: run "
                       f"`{command}` to list them", err=True)


def _conflicts(count: int) -> str:
    return f"{count} conflict{'' if count == 1 else 's'}"


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path), metavar="[SOURCE]...")
def check(sources: tuple[Path, ...]) -> None:
    """List the conflicts between the articles of a build.

    SOURCES are files or folders of article + fact sheet pairs, as for kg build (by default
    the seed). Each conflict is one line with both files and lines and both values: one
    entity given two kinds or two Wikidata items, an event given two dates that do not
    overlap, two values of a field that holds one (an end, a status, an amount, a share), and
    two ids that probably name one entity (their names or aliases match, case aside). Each
    article's claims stay in its own graph: kg build still builds. Exit 0 no conflict,
    1 conflicts, 2 unreadable input.

    Example: kg check seeds/ examples/
    """
    try:
        found = kg.check(list(sources) or None)
    except KgError as exc:
        fail(exc)
    # One write: a line per click.echo cost seconds for a corpus's hundred thousand lines.
    click.echo("".join(f"{conflict.describe()}\n" for conflict in found), nl=False)
    click.echo(f"kg check: {_conflicts(len(found)) if found else 'no conflicts'}")
    sys.exit(1 if found else 0)


@main.command()
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--published", metavar="YYYY-MM-DD",
              help="The article's publication date, against which relative times are read.")
@click.option("--corpus", "corpus", multiple=True, type=click.Path(path_type=Path),
              help="A folder (or fact sheet) whose entities keep their ids in the draft; "
                   "repeatable [default: the bundled seeds and examples].")
@click.option("--no-corpus", is_flag=True, help="Use no corpus: every id is made from a name.")
@click.option("--out", "out_file", type=click.Path(path_type=Path),
              help="Write the draft to this file (refused if it exists, unless --force) "
                   "[default: standard output].")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--llm", metavar="URL", help="An OpenAI-compatible chat-completions endpoint "
              "(its key in KG_LLM_API_KEY) whose entries are checked and merged in.")
@click.option("--model", metavar="NAME", help="The model to ask for, with --llm.")
@click.option("--timeout", type=float, default=120.0, show_default=True,
              help="Seconds the --llm endpoint has to answer.")
@click.option("--eval", "gold", type=click.Path(path_type=Path), metavar="GOLD.yaml",
              help="Score the draft against a reviewed fact sheet of the same article: "
                   "precision and recall per type.")
@click.option("--json", "as_json", is_flag=True, help="With --eval, the figures as JSON.")
def draft(article, published, corpus, no_corpus, out_file, force, llm, model, timeout, gold,
          as_json) -> None:
    """Draft the fact sheet of an article, every quote copied from its text.

    The rules run offline and give the same draft every time; with --llm, a model's entries
    are merged in once each quote, linked entity and value is found in the article (what
    fails is dropped and listed). The draft is a fact sheet kg build accepts; comments say
    where the rules were unsure. Review it, then build.

    Example: kg draft article.txt --published 2025-03-19 --out article.yaml
    """
    from kg.drafting import evaluate

    try:
        result = kg.draft(article, published, [] if no_corpus else list(corpus) or None,
                          llm=llm, model=model, timeout=timeout, gold=gold, out=out_file,
                          force=force, api_key=os.environ.get("KG_LLM_API_KEY"))
    except KgError as exc:
        fail(exc)
    for line in result.dropped:
        click.echo(f"kg draft: {line}", err=True)
    if result.removed:
        click.echo(f"kg draft: left out {len(result.removed)} findings the checks refuse "
                   "(see the comments)", err=True)
    if result.scores is not None:
        click.echo(json.dumps(evaluate.as_json(result.scores), indent=2) if as_json
                   else evaluate.table(result.scores), nl=as_json)
    elif out_file is None:
        click.echo(result.text, nl=False)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "report_format", type=click.Choice(["text", "ttl"]), default="text",
              show_default=True, help="text: one line per violation; ttl: the standard SHACL "
              "validation report in Turtle.")
@click.option("--engine", type=TableChoice("kg.validation.core", "ENGINES"), default="kg",
              show_default=True, help="SHACL core engine: kg (compiled from the shapes, the "
              "fast one) or pyshacl (the reference; slower).")
def validate(files: tuple[Path, ...], report_format: str, engine: str) -> None:
    """Validate graph files against kg's SHACL shapes and literal checks.

    FILES are Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML (by extension); they are
    validated together. Exit 0 conforms, 1 violations, 2 unreadable input.

    Example: kg validate out/graph.ttl --engine pyshacl
    """
    try:
        report = kg.validate(list(files), engine=engine)
    except KgError as exc:
        fail(exc)
    if report_format == "ttl":
        click.echo(report.to_turtle(default_prefixes()).decode("utf-8"), nl=False)
    else:
        click.echo(report.to_text(default_prefixes()))
    sys.exit(0 if report.conforms else 1)


@main.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a fact sheet.

    Editors that speak the YAML language server (VS Code's YAML extension, for one) check a
    fact sheet as it is typed and complete its keys when its first line names the schema:
    `# yaml-language-server: $schema=factsheet.schema.json`.

    Example: kg schema > factsheet.schema.json
    """
    click.echo(json.dumps(kg.schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("spec", required=False, metavar="NAME|FILE|-")
@click.option("--list", "list_examples", is_flag=True, help="List the example queries.")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Graph file to query (repeatable); default out/graph.trig.")
@click.option("--endpoint", help="A SPARQL 1.1 Protocol endpoint URL to query instead.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable); <...> or an absolute IRI is an IRI, "
              "anything else a literal.")
@click.option("--format", "fmt", type=TableChoice("kg.results", "OUTPUT_FORMATS"),
              help="table (default), csv, tsv, json or xml for SELECT/ASK; turtle (default), "
              "nt or json (JSON-LD) for CONSTRUCT/DESCRIBE.")
@click.option("--timeout", type=float, default=5.0, show_default=True,
              help="Seconds before the query is stopped.")
def query(spec, list_examples, data, endpoint, params, fmt, timeout) -> None:
    """Run a SPARQL query: an example by name, a query file, or - for standard input.

    Locally the query runs on the built dataset with the union of its named graphs as the
    default graph; SPARQL Update, SERVICE, LOAD and FROM are refused. Exit 0 answered,
    2 bad query or input, 3 stopped at the time limit.

    Example: kg query timeline --format csv
    """
    if list_examples:
        from kg.catalog import examples

        for example in examples():
            click.echo(f"{example.name}  {example.question}")
        return
    if not spec:
        raise click.UsageError("give a query (NAME, FILE or -) or --list")
    try:
        if spec == "-":
            with click.open_file("-", "rb") as handle:
                spec = handle.read()
        results = kg.query(spec, data=list(data) or None, endpoint=endpoint, params=params,
                           timeout=timeout)
        output = results.serialize(fmt)
    except KgError as exc:
        fail(exc)
    with click.open_file("-", "wb") as out:  # the standard output, left open
        out.write(output)


@main.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path), default=Path("out"))
@click.option("--endpoint", required=True,
              help="The store's Graph Store Protocol endpoint (or its Update endpoint with "
              "--protocol update).")
@click.option("--protocol", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="gsp: HTTP PUT of each named graph; update: DROP SILENT GRAPH + INSERT DATA.")
@click.option("--query-endpoint", help="The store's query endpoint, for --verify when it "
              "cannot be guessed from --endpoint.")
@click.option("--ontology-graph", help="Named graph for the ontology [default: "
              "<base IRI>graph/ontology].")
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True,
              help="Base IRI the dataset was built with.")
@click.option("--auth", type=click.Choice(["basic", "digest", "bearer"]),
              help="Authentication; credentials come from KG_STORE_USER and KG_STORE_PASSWORD "
              "(or KG_STORE_TOKEN for bearer), else a prompt on a terminal.")
@click.option("--verify", is_flag=True, help="Count the triples of each graph in the store "
              "afterwards; fail if they differ from what was sent.")
@click.option("--batch-size", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Triples per request.")
@click.option("--timeout", type=float, default=60.0, show_default=True,
              help="Seconds to wait for each answer.")
@click.option("--retries", type=click.IntRange(min=0), default=4, show_default=True,
              help="Retries after a connection error, a timeout or a 502/503/504.")
def load(directory, endpoint, protocol, query_endpoint, ontology_graph, base_iri, auth, verify,
         batch_size, timeout, retries) -> None:
    """Load the built dataset into a triple store, replacing its graphs.

    Every named graph of DIRECTORY/graph.trig, and the ontology in a graph of its own, replaces
    the graph of the same name in the store: loading twice leaves the store as loading once.

    Example: kg load out/ --endpoint http://localhost:7878/store --verify
    """
    from kg.store import statement_count

    prompt = None
    if sys.stdin.isatty():
        def prompt(label: str, secret: bool) -> str:
            return click.prompt(label, hide_input=secret, err=True)
    options = {"protocol": protocol, "query_endpoint": query_endpoint,
               "ontology_graph": ontology_graph, "base_iri": base_iri, "auth": auth,
               "prompt": prompt, "verify": verify, "batch_size": batch_size,
               "timeout": timeout, "retries": retries}
    try:
        if sys.stderr.isatty():
            with click.progressbar(length=statement_count(directory), label="loading",
                                   file=sys.stderr) as bar:
                result = kg.load(directory, endpoint, progress=bar.update, **options)
        else:
            result = kg.load(directory, endpoint, **options)
    except KgError as exc:
        fail(exc)
    total = sum(result.graphs.values())
    click.echo(f"kg load: {total} triples in {len(result.graphs)} graphs to {endpoint} in "
               f"{result.seconds:.2f} s")
    for name, count in result.graphs.items():
        check = f", store has {result.verified[name]}" if result.verified is not None else ""
        click.echo(f"  <{name}>: {count} triples{check}")


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path), metavar="[SOURCE]...")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("site"),
              show_default=True, help="Folder to write the site into (replaced as a whole).")
@click.option("--base-iri", help="Base IRI of the resources; the site's root stands for it "
              f"[default: read from the built dataset's graph names; {DEFAULT_BASE_IRI} when "
              "building from sources].")
@click.option("--license", "license_iri", metavar="IRI", default=DEFAULT_LICENSE,
              show_default=True, help="The dataset's license, written as dcterms:license in "
              "void.ttl; the articles' texts keep their publishers' rights.")
@click.option("--article-text", type=click.Choice(ARTICLE_TEXT), default="full",
              show_default=True, help="Publish each article's full text, or omit it and keep "
              "the quotes (the evidence selectors stay).")
def publish(sources: tuple[Path, ...], out_dir: Path, base_iri: str | None, license_iri: str,
            article_text: str) -> None:
    """Publish the graph as a static linked-data site.

    SOURCE is a folder built by `kg build` (by default out/): the site is made from its
    dataset as it stands, without building or validating again. Several SOURCES, or article
    and fact sheet files or folders of them, are built and validated in memory first.

    Every resource gets an HTML page and Turtle, JSON-LD, N-Triples and RDF/XML files at paths
    that follow its IRI; with an index, the article view, the ontology, void.ttl, sitemap.xml
    and content-negotiation configuration for Apache (.htaccess) and nginx (nginx.conf).

    The dataset is published under --license (written in void.ttl); each article's text keeps
    its publisher's rights (dcterms:rights), and --article-text omit leaves it out.

    Example: kg publish out/ --out site/
    """
    from kg.outdir import check_target

    source = sources[0] if len(sources) == 1 else list(sources) if sources else Path("out")
    try:
        check_target(out_dir, command="kg publish")  # before the work: kg's folders refused
        result = kg.publish(source, out_dir, base_iri=base_iri, license=license_iri,
                            article_text=article_text)
    except KgError as exc:
        fail(exc)
    click.echo(f"kg publish: {result.pages} pages, {result.files} files, "
               f"{result.bytes / 1e6:.1f} MB in {out_dir}/")


@main.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path), default=Path("out"))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the server.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option("--base-iri", help="Base IRI of the dataset [default: read from its graph names].")
@click.option("--timeout", type=float, default=10.0, show_default=True,
              help="Seconds a SPARQL query may run.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows a SPARQL SELECT returns (triples a CONSTRUCT returns).")
@click.option("--max-body", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Most bytes in a request body; larger ones get 413.")
@click.option("--queue", type=click.IntRange(min=0), default=16, show_default=True,
              help="Most queries waiting for a worker; past that, 503 with Retry-After.")
@click.option("--max-connections", type=click.IntRange(min=1), default=512, show_default=True,
              help="Most connections open at once.")
@click.option("--worker-memory", type=click.IntRange(min=16), default=256, show_default=True,
              help="Megabytes a query worker may allocate; past that the query gets 503.")
@click.option("--license", "license_iri", metavar="IRI", default=DEFAULT_LICENSE,
              show_default=True, help="The dataset's license, as for kg publish.")
@click.option("--article-text", type=click.Choice(ARTICLE_TEXT), default="full",
              show_default=True, help="Serve the articles' texts, or omit them (the quotes "
              "stay), as for kg publish.")
def serve(directory, host, port, base_iri, timeout, max_rows, max_body, queue, max_connections,
          worker_memory, license_iri, article_text) -> None:
    """Serve the built graph as linked data, with a read-only SPARQL endpoint at /sparql.

    Every IRI under the base IRI is answered at the same path with content negotiation
    (HTML, Turtle, JSON-LD, N-Triples, RDF/XML; a 303 to the chosen representation, 406 when
    none fits).

    Example: kg serve out/ --port 8080
    """
    try:
        # Said once the port is taken and the dataset read: an error comes first, alone.
        kg.serve(directory, host=host, port=port, base_iri=base_iri, timeout=timeout,
                 max_rows=max_rows, max_body=max_body, queue=queue,
                 max_connections=max_connections, worker_memory=worker_memory,
                 license=license_iri, article_text=article_text,
                 announce=lambda url: click.echo(f"kg serve: {url} (Ctrl-C to stop)", err=True))
    except KgError as exc:
        fail(exc)


if __name__ == "__main__":  # pragma: no cover
    main()
