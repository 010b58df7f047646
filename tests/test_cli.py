"""The `kg` command as users call it: help, exit codes, messages, and outputs left intact."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from kg import __version__
from kg.cli import main

from conftest import SEED_COUNTS, SEED_SLUG, SEEDS


def commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example: kg " + name in result.output


def test_top_level_help_lists_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in commands():
        assert name in result.output


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_build_defaults_to_the_bundled_seeds_and_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    for what in ("organizations", "people", "evidence annotations", "triples"):
        assert f"{SEED_COUNTS[what]} {what}" in result.output
    assert (tmp_path / "out" / "graph.ttl").is_file()


def _seed_copy(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for ext in (".txt", ".yaml"):
        shutil.copy(SEEDS / f"{SEED_SLUG}{ext}", src / f"{SEED_SLUG}{ext}")
    return src


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # the index's files too (graph.oxigraph/)


def test_changed_quote_exits_2_naming_file_and_line_and_leaves_out_unchanged(tmp_path):
    src, out = _seed_copy(tmp_path), tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(src), "--out", str(out)]).exit_code == 0
    before = _snapshot(out)

    factsheet = src / f"{SEED_SLUG}.yaml"
    lines = factsheet.read_text(encoding="utf-8").splitlines(keepends=True)
    original = ("      - Microsoft keeps its exclusive rights to OpenAI’s tech for products like "
                "Copilot\n")
    number = lines.index(original) + 1
    lines[number - 1] = original.replace("exclusive rights", "exclusive licence")
    factsheet.write_text("".join(lines), encoding="utf-8")

    result = runner.invoke(main, ["build", str(src), "--out", str(out)])
    assert result.exit_code == 2
    message = result.stderr
    assert f"{factsheet}:{number}" in message
    assert "entry 'copilot'" in message and "field 'evidence'" in message
    assert "exclusive licence" in message and "Closest passage" in message
    assert "Traceback" not in result.output + message
    assert _snapshot(out) == before


def test_bad_base_iri_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "o"),
                                       "--base-iri", "kg.example.org"])
    assert result.exit_code == 2
    assert "--base-iri" in result.stderr
    assert not (tmp_path / "o").exists()


def test_missing_source_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"), "--out",
                                       str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "file not found" in result.stderr


def test_quiet_build_prints_nothing(tmp_path):
    result = CliRunner().invoke(main, ["build", "-q", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0 and result.output == ""


def test_cli_start_up_imports_no_rdf_library():
    # `kg --help` must stay fast: rdflib, pyshacl and pyoxigraph load only in the commands.
    code = ("import sys, kg.cli; kg.cli.main(['--help'], standalone_mode=False); "
            "print(sorted(m for m in ('rdflib', 'pyshacl', 'pyoxigraph', 'yaml') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_schema_prints_the_json_schema_of_a_fact_sheet():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"article", "organizations", "agreements"} <= set(schema["properties"])
    assert CliRunner().invoke(main, ["schema"]).output == result.output  # deterministic


def test_validate_exit_codes(built, tmp_path):
    assert CliRunner().invoke(main, ["validate", str(built / "graph.ttl")]).exit_code == 0
    broken = tmp_path / "broken.ttl"
    text = (built / "graph.ttl").read_text(encoding="utf-8")
    broken.write_text(text.replace("kgo:hasParty", "kgo:hasPartyX", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1 and "does not conform" in result.output
    unreadable = tmp_path / "unreadable.ttl"
    unreadable.write_text("this is not turtle", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(unreadable)])
    assert result.exit_code == 2 and str(unreadable) in result.output


def test_validate_with_either_engine_gives_the_same_report(built, tmp_path):
    broken = tmp_path / "broken.ttl"
    text = (built / "graph.ttl").read_text(encoding="utf-8")
    broken.write_text(text.replace("kgo:hasParty", "kgo:hasPartyX", 1), encoding="utf-8")
    outputs = []
    for engine in ("kg", "pyshacl"):
        result = CliRunner().invoke(main, ["validate", str(broken), "--engine", engine,
                                           "--format", "ttl"])
        assert result.exit_code == 1, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1] and "sh:ValidationResult" in outputs[0]
    result = CliRunner().invoke(main, ["validate", str(broken), "--engine", "jena"])
    assert result.exit_code == 2 and "'jena' is not one of kg, pyshacl" in result.output


# ------------------------------------------------- outputs, signals, regular files

ROOT = SEEDS.parent
SLOW_KG = """
import pathlib, sys, time
from kg import export
real_render, real_write_bytes = export.render, pathlib.Path.write_bytes
def render(*args, **kwargs):
    for item in real_render(*args, **kwargs):
        time.sleep(0.5)
        yield item
def write_bytes(self, data):
    time.sleep(0.01)
    return real_write_bytes(self, data)
export.render, pathlib.Path.write_bytes = render, write_bytes
from kg.cli import main
sys.argv[0] = "kg"
main()
"""


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _stop_while_writing(args: list[str], out: Path, signum: int) -> subprocess.CompletedProcess:
    """Run a slowed kg, send it signum once its staging folder is there, wait for it."""
    process = subprocess.Popen([sys.executable, "-c", SLOW_KG, *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while not list(out.parent.glob(f".{out.name}.kg-new-*")):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "kg never started writing"
            time.sleep(0.02)
        time.sleep(0.3)  # well into the writing
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_signal_during_build_leaves_the_old_outputs_and_no_temporary_files(tmp_path, signum):
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", "-q", "--out", str(out)]).exit_code == 0
    before = _tree(out)
    result = _stop_while_writing(["build", "-q", "--out", str(out), "--base-iri",
                                  "https://other.example.org/"], out, signum)
    assert result.returncode != 0
    assert b"Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no staging or lock files"
    assert _tree(out) == before and not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_signal_during_publish_leaves_the_old_site_and_no_staging_folder(
        tmp_path, built, signum):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old site")
    result = _stop_while_writing(["publish", str(built), "--out", str(site)], site, signum)
    assert result.returncode != 0
    assert b"Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "no .site.* folders"
    assert _tree(site) == {"index.html": b"old site"}


def test_the_signal_handler_is_put_back_after_a_command(tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    assert CliRunner().invoke(main, ["build", "-q", "--out", str(tmp_path / "o")]).exit_code == 0
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize("folder", ["ontology", "shapes", "seeds", "kg", "."])
@pytest.mark.parametrize("command", ["build", "publish"])
def test_kg_own_folders_are_refused_as_out_and_left_unchanged(folder, command):
    target = ROOT / folder
    watched = [ROOT / name for name in ("ontology", "shapes", "seeds")]
    before = [_tree(w) for w in watched], sorted(p.name for p in ROOT.iterdir())
    args = [command, "--out", str(target)] + (["-q"] if command == "build" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "refused as an output folder" in result.stderr and str(target) in result.stderr
    assert ([_tree(w) for w in watched], sorted(p.name for p in ROOT.iterdir())) == before


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_validate_refuses_what_is_not_a_regular_file_at_once(tmp_path, kind):
    path = tmp_path / "x.ttl"
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    done = subprocess.run([sys.executable, "-m", "kg.cli", "validate", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and str(path) in done.stderr
    started = time.monotonic()
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert time.monotonic() - started < 1
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert str(path) in result.stderr


def test_build_refuses_a_fifo_fact_sheet(tmp_path):
    src = _seed_copy(tmp_path)
    (src / f"{SEED_SLUG}.yaml").unlink()
    os.mkfifo(src / f"{SEED_SLUG}.yaml")
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert f"{src / SEED_SLUG}.yaml" in result.stderr and "FIFO" in result.stderr
    assert not (tmp_path / "o").exists()


CONFLICTS = Path(__file__).resolve().parent / "fixtures" / "conflicts"


@pytest.mark.parametrize("kind, count", [("kind", 2), ("wikidata", 1), ("date", 1),
                                         ("value", 3), ("duplicate", 2)])
def test_check_lists_each_conflict_with_both_files_and_lines_and_exits_1(kind, count):
    result = CliRunner().invoke(main, ["check", str(CONFLICTS / kind)])
    assert result.exit_code == 1, result.output
    *lines, summary = result.stdout.splitlines()
    assert summary == f"kg check: {count} conflict{'s' if count > 1 else ''}"
    assert len(lines) == count
    march, may = CONFLICTS / kind / "march-report.yaml", CONFLICTS / kind / "may-report.yaml"
    for line in lines:
        first, _, rest = line.partition(" and ")
        second = rest.partition(": ")[0]
        assert first.rsplit(":", 1)[0] in (str(march), str(may))
        assert second.rsplit(":", 1)[0] in (str(march), str(may))
        assert first.rsplit(":", 1)[1].isdigit() and second.rsplit(":", 1)[1].isdigit()


def test_check_of_the_value_corpus_names_both_lines_and_values():
    result = CliRunner().invoke(main, ["check", str(CONFLICTS / "value")])
    march = (CONFLICTS / "value" / "march-report.yaml").read_text(encoding="utf-8")
    may = (CONFLICTS / "value" / "may-report.yaml").read_text(encoding="utf-8")
    def ends(text: str) -> int:
        lines = text.split("\n")
        return lines.index("    ends:", lines.index("  - id: ledger-exclusivity")) + 1

    at = (ends(march), ends(may))
    assert (f"{CONFLICTS}/value/march-report.yaml:{at[0]} and "
            f"{CONFLICTS}/value/may-report.yaml:{at[1]}: clause 'ledger-exclusivity' has "
            "ends 2028 (“through 2028”) in march-report, 2030 (“through 2030”) in may-report"
            ) in result.stdout
    # The status moved on from Definitive to Completed: news, not a conflict.
    assert "status" not in result.stdout


def test_check_of_a_corpus_that_agrees_exits_0():
    result = CliRunner().invoke(main, ["check", str(CONFLICTS / "none")])
    assert (result.exit_code, result.stdout) == (0, "kg check: no conflicts\n")


def test_check_defaults_to_the_seed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert (result.exit_code, result.stdout) == (0, "kg check: no conflicts\n")


def test_check_of_a_missing_source_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "file not found" in result.stderr and result.stdout == ""


def test_build_of_a_corpus_with_conflicts_builds_and_points_to_check(tmp_path):
    source = CONFLICTS / "value"
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "graph.trig").is_file()
    assert "conflict" not in result.stdout
    assert result.stderr == (f"kg build: 3 conflicts across articles: run `kg check {source}` "
                             "to list them\n")
    quiet = CliRunner().invoke(main, ["build", "-q", str(source), "--out", str(tmp_path / "o")])
    assert (quiet.exit_code, quiet.output) == (0, "")
