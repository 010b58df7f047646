"""The catalogue of bad input: each case exits non-zero with one readable error naming the file
and line (and entry and field for a fact sheet), prints no traceback, and leaves every file of
the previous build byte-identical. A few cases are accepted on purpose; they say so."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import unicodedata
import xml.etree.ElementTree as ElementTree
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


def edits(*pairs: tuple[str, str], yaml: str = YAML) -> str:
    """Several edits of the seed, each of every occurrence of its old text."""
    for old, new in pairs:
        assert old in yaml, old
        yaml = yaml.replace(old, new)
    return yaml


AMOUNT = "      - value: 650000000\n"
SHARE = "      - value: 20\n"
PUBLISHED = "  published: 2025-01-21\n"
TUESDAY = "      date: 2025-01-21\n      text: Tuesday\n"
NOW = "      date: 2025-01-21\n      text: now\n"
TODAY = "      date: 2025-01-21\n      text: today’s change\n"
JUNE = "      month: 2024-06\n"
MARCH = "      month: 2024-03\n"
NAME = "    name: Arm\n"
LANGUAGE = "  language: en\n"
ILLUSTRATOR = "        title: illustrator\n"
REPORTER = "        title: senior AI reporter\n"
SULEYMAN = "  - id: mustafa-suleyman\n"
INFLECTION_QUOTE = ("      - Last March, Microsoft hired Inflection CEO Mustafa Suleyman to lead "
                    "its consumer AI efforts\n")


def url(value: str) -> str:
    return edit(LANGUAGE, f"{LANGUAGE}  url: {value}\n")


def described(text: str) -> str:
    """The seed with a description (YAML double-quoted) on Arm."""
    return edit(NAME, f"{NAME}    description: {text}\n")


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
    Case("negative-amount", edit("      - value: 650000000\n", "      - value: -650000000\n"),
         says=("cannot be negative",), line_of="      - value: -650000000"),
    Case("share-above-range", edit("      - value: 20\n", "      - value: 120\n"),
         says=("lies between 0 and 100",), line_of="      - value: 120"),
    Case("unknown-currency", edit("        currency: USD\n", "        currency: USS\n"),
         says=("not an ISO 4217 currency code",), line_of="        currency: USS"),
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
    # ------------------------------------------------------------ bounds of numbers
    # At most 30 digits before the decimal point and 10 after, as the graph writes it out.
    Case("exponent-1e400", edit(AMOUNT, "      - value: 1e400\n"), says=("at most 30 digits",),
         line_of="      - value: 1e400"),
    Case("exponent-1e99999999", edit(AMOUNT, "      - value: 1e99999999\n"),
         says=("at most 30 digits", "entry 'microsoft-inflection-deal'", "field 'amounts.value'"),
         line_of="      - value: 1e99999999"),
    Case("exponent-1e999999999", edit(AMOUNT, "      - value: 1e999999999\n"),
         says=("at most 30 digits",), line_of="      - value: 1e999999999"),
    Case("negative-exponent-share", edit(SHARE, "      - value: -1e99999\n"),
         says=("at most 30 digits", "field 'quantities.value'"), line_of="      - value: -1e99999"),
    Case("tiny-fraction", edit(SHARE, "      - value: 1e-99999999\n"),
         says=("more than 10 digits after the decimal point",),
         line_of="      - value: 1e-99999999"),
    Case("eleven-decimals", edit(SHARE, "      - value: 20.00000000001\n"),
         says=("more than 10 digits after the decimal point",)),
    Case("integer-of-31-digits", edit(AMOUNT, f"      - value: {'9' * 31}\n"),
         says=("at most 30 digits",), line_of=f"      - value: {'9' * 31}"),
    Case("integer-of-5000-digits", edit(AMOUNT, f"      - value: {'9' * 5000}\n"),
         says=("too many digits", "at most 30 digits"), line_of=f"      - value: {'9' * 5000}"),
    Case("number-text-of-5000-digits", edit(AMOUNT, f"      - value: '{'9' * 5000}'\n"),
         says=("more than 100 characters",), line_of=f"      - value: '{'9' * 5000}'"),
    Case("float-overflow", edit(AMOUNT, "      - value: 1.0e+400\n"), says=("finite number",)),
    Case("thirty-digits-accepted", edit(AMOUNT, f"      - value: {'9' * 30}\n"), exit_code=0),
    Case("thirty-digits-and-ten-decimals-accepted",
         edit(AMOUNT, f"      - value: '{'9' * 30}.{'5' * 10}'\n"), exit_code=0),
    Case("exponent-accepted", edit(AMOUNT, "      - value: 6.5e8\n"), exit_code=0),
    # ------------------------------------------------------------ the calendar's ends
    Case("published-year-1-weekday", edit(PUBLISHED, "  published: 0001-01-01\n"),
         says=("falls before the year 1", "entry 'partnership-change-announcement'")),
    Case("published-year-1-last-march",
         edits((PUBLISHED, "  published: 0001-01-01\n"),
               (f"    time:\n{TUESDAY}      relative: true\n", ""),
               (f"    time:\n{JUNE}      text: back in June\n      relative: true\n", "")),
         says=("“Last March”", "falls before the year 1", "entry 'inflection-hire'",
               "field 'time'")),
    Case("published-year-9999-wrong-weekday", edit(PUBLISHED, "  published: 9999-12-31\n"),
         says=("is 9999-12-28, not 2025-01-21",)),
    Case("published-year-9999-accepted",
         edits((PUBLISHED, "  published: 9999-12-31\n"),
               (TUESDAY, TUESDAY.replace("2025-01-21", "9999-12-28")),
               (NOW, NOW.replace("2025-01-21", "9999-12-31")),
               (TODAY, TODAY.replace("2025-01-21", "9999-12-31")),
               (JUNE, "      month: 9999-06\n"), (MARCH, "      month: 9999-03\n")),
         exit_code=0),
    # ------------------------------------------------------------ the article's URL
    Case("url-javascript", url('"javascript:alert(document.domain)"'),
         says=("not an absolute http or https IRI", "field 'article.url'"),
         line_of='  url: "javascript:alert(document.domain)"'),
    Case("url-data", url('"data:text/html,<script>alert(1)</script>"'),
         says=("not an absolute http or https IRI",)),
    Case("url-file", url("file:///etc/passwd"), says=("not an absolute http or https IRI",)),
    Case("url-scheme-relative", url("//evil.example/"),
         says=("not an absolute http or https IRI",)),
    Case("url-with-space", url('"https://exa mple/"'), says=("U+0020",)),
    Case("url-bad-percent", url("http://%zz/"), says=("not an absolute http or https IRI",)),
    Case("url-bad-ipv6", url("'https://[::1/'"), says=("not an absolute http or https IRI",)),
    Case("url-accepted", url("https://www.theverge.com/2025/1/21/x?utm=1#top"), exit_code=0),
    # ------------------------------------------------------------ control and bidi characters
    Case("esc-in-name", edit(NAME, '    name: "Arm\\e[2J"\n'),
         says=("U+001B", "control character", "entry 'arm'", "field 'name'"),
         line_of='    name: "Arm\\e[2J"'),
    Case("bel-in-description", described('"Chip maker\\a"'),
         says=("U+0007", "field 'description'")),
    Case("nul-escaped-in-alias", edit(NAME, '    name: Arm\n    aliases: ["Arm\\0 Holdings"]\n'),
         says=("U+0000", "field 'aliases'")),
    Case("del-in-name", edit(NAME, '    name: "Arm\\x7f"\n'), says=("U+007F",)),
    Case("nel-in-name", edit(NAME, '    name: "Arm\\N"\n'), says=("U+0085",)),
    Case("c1-csi-in-name", edit(NAME, '    name: "Arm\\x9b31m"\n'), says=("U+009B",)),
    Case("rlo-in-name", edit(NAME, '    name: "Arm\\u202emlA"\n'),
         says=("U+202E", "bidirectional"), line_of='    name: "Arm\\u202emlA"'),
    Case("lri-in-role-title", edit(ILLUSTRATOR, '        title: "\\u2066illustrator"\n'),
         says=("U+2066", "entry 'cath-virginia'", "field 'roles.title'")),
    Case("esc-in-quote",
         edit(INFLECTION_QUOTE,
              INFLECTION_QUOTE.replace("Last March", '"Last\\eMarch').rstrip("\n") + '"\n'),
         says=("U+001B", "field 'evidence'")),
    Case("raw-bel-in-yaml", edit(NAME, "    name: Arm\a\n"), says=("U+0007",),
         line_of="    name: Arm\a"),
    Case("raw-rlo-in-yaml-comment", edit(NAME, "    name: Arm  # \u202e\n"), says=("U+202E",),
         line_of="    name: Arm  # \u202e"),
    Case("esc-in-unknown-key", edit(NAME, f'{NAME}    "na\\eme": x\n'),
         says=("unknown key 'na\\x1bme'", "field 'na\\x1bme'")),
    Case("rlm-accepted", described('"Chip maker \\u200f(UK)"'), exit_code=0),
    # ------------------------------------------------------------ text that HTML must not read
    Case("description-comment-and-script", described('"<!--<script> x"'), exit_code=0),
    Case("description-script", described('"<script>alert(1)</script>"'), exit_code=0),
    Case("description-cdata-end-and-ampersand", described('"]]> &amp; & <"'), exit_code=0),
    # ------------------------------------------------------------ role titles and their IRIs
    Case("role-title-chinese", edit(ILLUSTRATOR, "        title: 插画师\n"), exit_code=0),
    Case("role-title-arabic", edit(REPORTER, "        title: مراسل أول\n"), exit_code=0),
    Case("role-title-emoji", edit(ILLUSTRATOR, "        title: 🎨\n"), exit_code=0),
    Case("role-titles-one-slug", edit(REPORTER, "        title: Illustrator!\n"),
         says=("the title 'illustrator'", "already that of the title 'Illustrator!' of entry "
               "'kylie-robison'", "entry 'cath-virginia'", "field 'roles.title'")),
    # ------------------------------------------------------------ two inputs, one IRI
    Case("ends-and-event-end", edits(("partnership-change-announcement",
                                      "microsoft-openai-partnership-end")),
         says=("already that of the ends of entry 'microsoft-openai-partnership'",
               "entry 'microsoft-openai-partnership-end'", "field 'time'",
               "/id/instant/verge-2025-01-21-microsoft-openai-compute-microsoft-openai-"
               "partnership-end")),
    Case("membership-across-entries",
         edits(("people:\n", "  - id: suleyman-inflection\n    name: Inflection\n"
                "    evidence:\n" + INFLECTION_QUOTE + "\npeople:\n"),
               (SULEYMAN, "  - id: mustafa\n    name: Mustafa\n    roles:\n"
                "      - organization: suleyman-inflection\n        title: founder\n"
                "        text: Inflection CEO Mustafa Suleyman\n    evidence:\n"
                + INFLECTION_QUOTE + "\n" + SULEYMAN)),
         says=("/id/membership/mustafa-suleyman-inflection",
               "already that of the roles (in 'suleyman-inflection') of entry 'mustafa'",
               "entry 'mustafa-suleyman'")),
    # A second role in one organization is a membership of its own (named by its title).
    Case("two-roles-in-one-organization",
         edit("        text: Inflection CEO Mustafa Suleyman\n        head: true\n",
              "        text: Inflection CEO Mustafa Suleyman\n        head: true\n"
              "      - organization: inflection\n        title: founder\n"
              "        text: Inflection CEO Mustafa Suleyman\n"), exit_code=0),
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
    return out, _files(out)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under the folder, the query index's (graph.oxigraph/) too."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


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
        # One readable error, or a count and then one line for each (one run reports every
        # error of the fact sheet): the one the case makes is among them.
        lines = result.stderr.strip().splitlines()
        assert lines[0].startswith("kg: error: ")
        errors = lines[1:] if "errors in the input:" in lines[0] else lines
        assert len(errors) == 1 or len(errors) == int(lines[0].split()[-5]), lines
        named = txt if case.in_file == "txt" else yml
        assert all(str(named) in line for line in errors), lines
        found = [line for line in errors if all(words in line for words in case.says)]
        assert found, lines
        if case.line_of:
            text = yml.read_text(encoding="utf-8")
            line = text[: text.index(case.line_of)].count("\n") + 1
            assert any(f"{named}:{line}" in e for e in found), found
        assert _files(out) == before


def test_missing_article(previous, tmp_path):
    out, before = previous
    (tmp_path / f"{SEED_SLUG}.yaml").write_text(YAML, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / f"{SEED_SLUG}.yaml"),
                                       "--out", str(out)])
    assert result.exit_code == 2 and "no article beside it" in result.stderr
    assert _files(out) == before


def test_output_folder_that_is_a_file(tmp_path):
    target = tmp_path / "out"
    target.write_text("keep me")
    result = CliRunner().invoke(main, ["build", "--out", str(target)])
    assert result.exit_code == 2
    assert ("cannot create the output folder" in result.stderr
            or "exists and is not a folder" in result.stderr)
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


# ------------------------------------------------------------ base IRIs, pages, terminals

@pytest.mark.parametrize("base", ["https://[::1/", "https://exa mple/", "http://%zz/",
                                  "https://kg.example.org/\u202e/", "https://kg.example.org:99999/",
                                  "javascript:alert(1)//", "https:///", "//kg.example.org/"])
def test_bad_base_iris_are_one_readable_error(base, tmp_path):
    result = CliRunner().invoke(main, ["build", "-q", "--base-iri", base,
                                       "--out", str(tmp_path / "out")])
    output = result.output + result.stderr
    assert "Traceback" not in output
    assert result.exit_code == 2, output
    (error,) = result.stderr.strip().splitlines()
    assert "--base-iri must be an absolute http(s) IRI" in error


def _publish(tmp_path: Path, yaml: str) -> Path:
    txt, yml = _write_pair(tmp_path / "src", Case("x", yaml))
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["publish", str(yml), "--out", str(site)])
    assert result.exit_code == 0, result.output + result.stderr
    return site


HOSTILE = '"<!--<script> x ]]> & </script><b>"'


def test_hostile_description_stays_text_in_every_page_and_file(tmp_path):
    site = _publish(tmp_path, described(HOSTILE))
    page = (site / "id" / "organization" / "arm.html").read_text(encoding="utf-8")
    script = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert not set("<>&") & set(script), "the JSON-LD writes <, > and & as \\u escapes"
    assert "\\u003c!--\\u003cscript\\u003e x ]]\\u003e \\u0026" in script
    assert page.count("<script") == 1 and page.rstrip().endswith("</html>")
    assert "&lt;!--&lt;script&gt; x ]]&gt; &amp; &lt;/script&gt;&lt;b&gt;" in page
    ElementTree.parse(site / "id" / "organization" / "arm.rdf")  # well-formed RDF/XML


def test_non_latin_role_titles_get_distinct_pages(tmp_path):
    site = _publish(tmp_path, edits((ILLUSTRATOR, "        title: 插画师\n"),
                                    (REPORTER, "        title: 高级记者\n")))
    roles = sorted(p.name for p in (site / "id" / "role").glob("*.html"))
    assert not [r for r in roles if r.startswith(".")], roles
    pages = [(site / "id" / "role" / r).read_text(encoding="utf-8") for r in roles]
    assert sorted(t for t in ("插画师", "高级记者") for p in pages if f"<h1>{t}</h1>" in p) \
        == ["插画师", "高级记者"], "one page each"
    assert len(roles) == 4  # chief executive officer, head of consumer AI and the two


def test_kg_query_escapes_terminal_controls(tmp_path):
    data = tmp_path / "g.nt"
    data.write_text('<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> '
                    '"x\\u001B]0;owned\\u0007 \\u009B31m \\u202Eevil" .\n', encoding="utf-8")
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?l WHERE { ?s ?p ?l }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(query), "--data", str(data)])
    assert result.exit_code == 0, result.output + result.stderr
    assert not any(c in result.output for c in "\x1b\x07\x9b\u202e")
    assert "x\\x1b]0;owned\\x07 \\x9b31m \\u202eevil" in result.output
