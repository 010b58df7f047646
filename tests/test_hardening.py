"""The catalogue of bad input: each case exits non-zero with one readable error naming the file
and line (and entry and field for a fact sheet), prints no traceback, and leaves every file of
the previous build byte-identical. A few cases are accepted on purpose; they say so."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.resources import shape_files
from kg.validation import ShapesError, load_shapes

from conftest import SEED_SLUG, SEEDS

YAML = (SEEDS / f"{SEED_SLUG}.yaml").read_text(encoding="utf-8")
TEXT = (SEEDS / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")


@dataclass
class Case:
    name: str
    yaml: str = YAML
    text: str | bytes = TEXT
    exit_code: int = 2
    says: tuple[str, ...] = ()
    line_of: str | None = None  # the fact sheet line the error must name (its text)
    in_file: str = "yaml"       # which file the error names: "yaml" or "txt"
    extra: dict = field(default_factory=dict)


def edit(old: str, new: str, count: int = 1) -> str:
    assert old in YAML, old
    return YAML.replace(old, new, count)


CASES = [
    # ------------------------------------------------------------ fact sheet
    Case("invalid-yaml", edit("  - id: arm\n", "  - id: [arm\n"), says=("invalid YAML",),
         line_of="  - id: [arm"),
    Case("missing-required-field", edit("    name: Arm\n", ""), says=("missing required key 'name'",
                                                                     "entry 'arm'")),
    Case("unknown-key-typo",
         edit("    parties: [microsoft, inflection]\n", "    partys: [microsoft, inflection]\n"),
         says=("unknown key 'partys'", "did you mean 'parties'"),
         line_of="    partys: [microsoft, inflection]"),
    Case("quote-not-in-article",
         edit("      - a joint venture between Arm, Microsoft, Nvidia, Oracle, and OpenAI\n",
              "      - a joint venture between Arm, Microsoft, Nvidia, Oracle, and Google\n"),
         says=("quote not found", "Closest passage", "entry 'arm'", "field 'evidence'"),
         line_of="      - a joint venture between Arm, Microsoft, Nvidia, Oracle, and Google"),
    Case("two-entries-same-iri", edit("  - id: nvidia\n", "  - id: arm\n"),
         says=("the id 'arm' is already used",), line_of="  - id: arm\n    name: Nvidia"),
    Case("slug-with-space", edit("  - id: nvidia\n", "  - id: nvi dia\n"), says=("is not a slug",),
         line_of="  - id: nvi dia"),
    Case("slug-with-angle-bracket", edit("  - id: nvidia\n", "  - id: nvi<dia\n"),
         says=("is not a slug",)),
    Case("slug-with-hash", edit("  - id: nvidia\n", "  - id: 'nvidia#x'\n"),
         says=("is not a slug",)),
    Case("slug-relative-iri", edit("  - id: nvidia\n", "  - id: ../nvidia\n"),
         says=("is not a slug",)),
    Case("reference-to-missing-entry",
         edit("    parties: [openai, oracle]\n", "    parties: [openai, oracel]\n"),
         says=("'oracel' is not the id", "did you mean 'oracle'"),
         line_of="    parties: [openai, oracel]"),
    # ------------------------------------------------------------ literals
    Case("year-2030x", edit("      year: 2030\n", "      year: 2030x\n"), says=("is not a year",),
         line_of="      year: 2030x"),
    Case("impossible-date", edit("  published: 2025-01-21\n", "  published: 2026-02-30\n"),
         says=("is not a calendar date",), line_of="  published: 2026-02-30"),
    Case("date-time-for-a-date",
         edit("  published: 2025-01-21\n", "  published: 2025-01-21T10:00:00\n"),
         says=("is not a calendar date",)),
    Case("negative-amount", edit("      value: 650000000\n", "      value: -650000000\n"),
         says=("cannot be negative",), line_of="      value: -650000000"),
    Case("share-above-range", edit("      value: 20\n", "      value: 120\n"),
         says=("lies between 0 and 100",), line_of="      value: 120"),
    Case("unknown-currency", edit("      currency: USD\n", "      currency: USS\n"),
         says=("not an ISO 4217 currency code",), line_of="      currency: USS"),
    Case("invalid-language-tag", edit("  language: en\n", "  language: en_GB\n"),
         says=("not a BCP 47 language tag",), line_of="  language: en_GB"),
    # ------------------------------------------------------------ text
    Case("bom-and-crlf-accepted", text=("\ufeff" + TEXT.replace("\n", "\r\n")).encode("utf-8"),
         exit_code=0),
    Case("nfd-quote-accepted", yaml=edit("    name: Microsoft\n    wikidata: Q2283\n",
                                         "    name: Microsoft\n    description: " +
                                         unicodedata.normalize("NFD", "Café maker")
                                         + "\n    wikidata: Q2283\n"),
         exit_code=0),
    Case("latin-1-article",
         text=TEXT.replace("’", "'").encode("utf-8").replace(b"Stargate", b"Stargat\xe9"),
         says=("not UTF-8 text",), in_file="txt"),
    # libyaml refuses the escape itself; PyYAML's pure-Python parser lets it through to our
    # check ("the text holds the character U+D800"): either way, one located error.
    Case("lone-surrogate", edit("    name: Arm\n", '    name: "Arm\\ud800"\n'),
         line_of='    name: "Arm\\ud800"'),
    Case("nul-in-article", text=TEXT.replace("Stargate.", "Stargate\x00."), says=("NUL",),
         in_file="txt"),
    Case("empty-article", text="", says=("the article is empty",), in_file="txt"),
]


def _write_pair(folder: Path, case: Case) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    txt, yml = folder / f"{SEED_SLUG}.txt", folder / f"{SEED_SLUG}.yaml"
    if isinstance(case.text, bytes):
        txt.write_bytes(case.text)
    else:
        txt.write_text(case.text, encoding="utf-8")
    yml.write_text(case.yaml, encoding="utf-8")
    return txt, yml


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("previous")
    assert CliRunner().invoke(main, ["build", "-q", "--out", str(out)]).exit_code == 0
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_fact_sheet_and_text(case, previous, tmp_path):
    out, before = previous
    if not case.exit_code:  # accepted: built into a folder of its own
        out = tmp_path / "out"
    txt, yml = _write_pair(tmp_path / "src", case)
    result = CliRunner().invoke(main, ["build", str(yml), "--out", str(out)])
    output = result.output + result.stderr
    assert "Traceback" not in output
    assert result.exit_code == case.exit_code, output
    if case.exit_code:
        error = result.stderr.strip().splitlines()
        assert len(error) == 1, "one readable error"
        named = txt if case.in_file == "txt" else yml
        assert str(named) in error[0]
        for words in case.says:
            assert words in error[0], error[0]
        if case.line_of:
            text = yml.read_text(encoding="utf-8")
            line = text[: text.index(case.line_of)].count("\n") + 1
            assert f"{named}:{line}" in error[0], error[0]
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_missing_article(previous, tmp_path):
    out, before = previous
    (tmp_path / f"{SEED_SLUG}.yaml").write_text(YAML, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / f"{SEED_SLUG}.yaml"),
                                       "--out", str(out)])
    assert result.exit_code == 2 and "no article beside it" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_output_folder_that_is_a_file(tmp_path):
    target = tmp_path / "out"
    target.write_text("keep me")
    result = CliRunner().invoke(main, ["build", "--out", str(target)])
    assert result.exit_code == 2 and "cannot create the output folder" in result.stderr
    assert target.read_text() == "keep me"


# ------------------------------------------------------------ graph files

GRAPHS = {
    "deep.ttl": ("@prefix ex: <http://example.org/> .\nex:a ex:p " + "[ ex:p " * 500 + "ex:b"
                 + " ]" * 500 + " .\n", (0, 1), ()),
    "doctype.rdf": ('<?xml version="1.0"?>\n'
                    '<!DOCTYPE rdf [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
                    (2,), ("DOCTYPE",)),
    "remote.jsonld": ('{"@context": "http://example.org/context.jsonld", '
                      '"@id": "http://example.org/a", "name": "x"}',
                      (2,), ("kg never fetches contexts",)),
    "file.jsonld": ('{"@context": "file:///etc/passwd", "@id": "http://example.org/a"}', (2,),
                    ("kg never fetches contexts",)),
    "broken.nt": ('<http://example.org/a> <http://example.org/b> "unclosed .\n', (2,),
                  ("not valid ntriples",)),
    "bad-iri.ttl": ("<http://example.org/a b> <http://example.org/p> 1 .\n", (2,),
                    ("not valid turtle",)),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_bad_graph_files(name, tmp_path):
    content, codes, says = GRAPHS[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    output = result.output + result.stderr
    assert "Traceback" not in output and "RecursionError" not in output
    assert result.exit_code in codes, output
    for words in says:
        assert words in result.stderr and str(path) in result.stderr


def test_no_network_is_touched(tmp_path, built):
    """An audit hook fails the process on any socket or URL open during build, validate (with a
    remote JSON-LD context), query and publish."""
    remote = tmp_path / "remote.jsonld"
    remote.write_text(GRAPHS["remote.jsonld"][0])
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        def hook(event, args):
            if event.startswith(("socket.", "urllib.")) and event != "socket.__new__":
                raise SystemExit(f"network touched: {{event}} {{args!r}}")
        sys.addaudithook(hook)
        from kg.cli import main
        def run(*argv):
            try:
                main(list(argv), standalone_mode=False)
            except SystemExit as exc:
                if exc.code not in (None, 0, 1, 2):
                    raise
        run("build", "-q", "--out", {str(tmp_path / "out")!r})
        run("validate", {str(tmp_path / "out" / "graph.jsonld")!r})
        run("validate", {str(remote)!r})
        run("query", "timeline", "--data", {str(tmp_path / "out" / "graph.trig")!r})
        run("publish", {str(tmp_path / "out")!r}, "--out", {str(tmp_path / "site")!r})
        assert (Path({str(tmp_path / "site")!r}) / "index.html").is_file()
        print("no network")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("no network")


def test_a_shape_that_targets_nothing_is_an_error(tmp_path):
    (source,) = shape_files()
    path = tmp_path / "shapes.ttl"
    path.write_text(source.read_text(encoding="utf-8") + textwrap.dedent("""
        kgsh:OrphanShape a sh:NodeShape ;
            sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .
    """), encoding="utf-8")
    with pytest.raises(ShapesError, match="kgsh:OrphanShape has no target"):
        load_shapes((path,))
