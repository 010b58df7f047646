"""The `kg` command as users call it: help, exit codes, messages, and outputs left intact."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
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
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


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
