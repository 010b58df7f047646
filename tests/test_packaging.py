"""The wheel carries the ontology, shapes and seeds, and an installed kg finds them there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                    "--no-build-isolation", "--quiet", "-w", str(out)], check=True)
    (found,) = out.glob("kg-*.whl")
    return found


def test_wheel_holds_the_data_folders(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "shapes", "seeds"):
        in_repo = {f"kg/_data/{folder}/{p.name}" for p in (ROOT / folder).iterdir()
                   if p.is_file()}
        assert in_repo and in_repo <= names, folder


def test_installed_package_builds_from_its_own_data(wheel, tmp_path):
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import kg.resources as r, kg.cli; print(r.data_dir('seeds')); "
            "kg.cli.main(['build', '-q', '--out', 'out'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, capture_output=True,
                            text=True, env={"PYTHONPATH": str(unpacked), "PATH": ""})
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.splitlines()[0]) == unpacked / "kg" / "_data" / "seeds"
    assert (elsewhere / "out" / "graph.trig").stat().st_size > 0
