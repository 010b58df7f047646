"""One output folder, one writer, one switch: concurrent builds never mix, readers see one
build, kills leave one set, and the lock and staging folders never stay behind."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from kg import export, outdir
from kg.errors import OutputError
from kg.pipeline import build

from conftest import SEEDS

ROUNDS = 20


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """The files of two real builds whose bytes differ (two base IRIs)."""
    sets = {}
    for label, base in (("a", "https://a.example.org/"), ("b", "https://b.example.org/")):
        out = tmp_path_factory.mktemp(label)
        build([SEEDS], out, base, index=False)  # the files; the index has tests of its own
        sets[label] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sets["a"]["graph.ttl"] != sets["b"]["graph.ttl"]
    return sets


def which(snapshot: dict[str, bytes], builds: dict[str, dict[str, bytes]]) -> set[str]:
    """The builds every file of the snapshot could come from (empty: a mix)."""
    return {label for label, files in builds.items()
            if all(files.get(name) == content for name, content in snapshot.items())}


def snapshot_by_fd(folder: Path) -> dict[str, bytes] | None:
    """Every file of the folder as one reader sees it: opened once, read through its fd; a
    file removed meanwhile (the old folder after a switch) is skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    try:
        found = {}
        for name in os.listdir(fd):
            try:
                file = os.open(name, os.O_RDONLY, dir_fd=fd)
            except FileNotFoundError:
                continue
            with os.fdopen(file, "rb") as handle:
                found[name] = handle.read()
        return found
    finally:
        os.close(fd)


def leftovers(parent: Path, name: str) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def slow_switch(monkeypatch, seconds: float = 0.01):
    real = outdir.exchange

    def slow(a, b):
        time.sleep(seconds)
        return real(a, b)
    monkeypatch.setattr(outdir, "exchange", slow)


def slowly(files: dict[str, bytes], seconds: float = 0.002):
    for item in files.items():
        time.sleep(seconds)
        yield item


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_exchange_is_available_here(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "1").write_text("x")
    assert outdir.exchange(tmp_path / "x", tmp_path / "y"), "renameat2(RENAME_EXCHANGE)"
    assert (tmp_path / "y" / "1").read_text() == "x" and not (tmp_path / "x" / "1").exists()


@pytest.mark.parametrize("fallback", [False, True], ids=["exchange", "two-renames"])
def test_concurrent_builds_never_mix_and_a_reader_never_sees_a_mix(
        tmp_path, monkeypatch, builds, fallback):
    if fallback:
        monkeypatch.setattr(outdir, "exchange", lambda a, b: False)
    slow_switch(monkeypatch)
    out = tmp_path / "out"
    export.write_atomically(out, builds["a"].items())
    seen, mixes, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            snapshot = snapshot_by_fd(out)
            if snapshot is None:  # only in the fallback's instant between its renames
                continue
            seen.append(snapshot)
            if snapshot and not which(snapshot, builds):
                mixes.append(sorted(snapshot))

    watcher = threading.Thread(target=reader)
    watcher.start()
    try:
        for _ in range(ROUNDS):
            writers = [threading.Thread(target=export.write_atomically,
                                        args=(out, slowly(builds[label])))
                       for label in ("a", "b")]
            for writer in writers:
                writer.start()
            for writer in writers:
                writer.join(timeout=60)
            final = {p.name: p.read_bytes() for p in out.iterdir()}
            assert set(final) == set(builds["a"]) and which(final, builds), "one build exactly"
            assert leftovers(tmp_path, "out") == []
    finally:
        stop.set()
        watcher.join()
    assert mixes == []
    assert len(seen) > ROUNDS


def test_a_second_writer_waits_then_fails_naming_the_holder(tmp_path, builds):
    out = tmp_path / "out"
    entered, release = threading.Event(), threading.Event()

    def holder():
        with outdir.replacing(out, command="kg build") as staging:
            (staging / "graph.ttl").write_bytes(b"first\n")
            entered.set()
            release.wait(10)

    first = threading.Thread(target=holder)
    first.start()
    assert entered.wait(10)
    started = time.monotonic()
    with pytest.raises(OutputError, match=rf"another kg build \(pid {os.getpid()}\) is writing"):
        export.write_atomically(out, builds["b"].items(), wait=0.3)
    assert 0.3 <= time.monotonic() - started < 5
    release.set()
    first.join()
    assert (out / "graph.ttl").read_bytes() == b"first\n"
    assert leftovers(tmp_path, "out") == [], "no lock file, no staging folder"


def test_a_waiting_writer_goes_next(tmp_path, builds):
    out = tmp_path / "out"
    entered, order = threading.Event(), []

    def holder():
        with outdir.replacing(out) as staging:
            (staging / "x").write_bytes(b"1")
            entered.set()
            time.sleep(0.3)
        order.append("first")

    first = threading.Thread(target=holder)
    first.start()
    assert entered.wait(10)
    export.write_atomically(out, builds["b"].items(), wait=10)
    order.append("second")
    first.join()
    assert order == ["first", "second"]
    assert (out / "graph.ttl").read_bytes() == builds["b"]["graph.ttl"]
    assert (out / "x").read_bytes() == b"1", "the first writer's file is kept as foreign"


KILL = """
import os, sys
from pathlib import Path
from kg import export, outdir
real_exchange, real_rename = outdir.exchange, os.rename
when = sys.argv[2]
def exchange(a, b):
    if when == "before-exchange":
        os._exit(9)
    if when == "fallback":
        return False
    done = real_exchange(a, b)
    if when == "after-exchange":
        os._exit(9)
    return done
renames = []
def rename(a, b):
    real_rename(a, b)
    renames.append(b)
    if when == "fallback" and len(renames) == 1:
        os._exit(9)
outdir.exchange, outdir.os.rename = exchange, rename
files = [(p.name, p.read_bytes()) for p in sorted(Path(sys.argv[3]).iterdir())]
export.write_atomically(Path(sys.argv[1]), files)
"""


@pytest.mark.parametrize("when", ["before-exchange", "after-exchange", "fallback"])
def test_a_kill_during_the_switch_leaves_one_set(tmp_path, builds, when):
    out, new = tmp_path / "out", tmp_path / "new"
    export.write_atomically(out, builds["a"].items())
    new.mkdir()
    for name, content in builds["b"].items():
        (new / name).write_bytes(content)
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(KILL), str(out), when,
                             str(new)], capture_output=True, timeout=60)
    assert result.returncode == 9, result.stderr
    after = snapshot_by_fd(out)
    if when == "fallback":
        assert after is None, "the kill fell between the renames: no folder, never a mix"
    else:
        assert which(after, builds) == ({"a"} if when == "before-exchange" else {"b"})
    # The next writer (here one that fails) finds the leftovers and puts the old set back.
    with pytest.raises(RuntimeError), outdir.replacing(out):
        raise RuntimeError("stop")
    assert which(snapshot_by_fd(out), builds) == ({"b"} if when == "after-exchange" else {"a"})
    assert leftovers(tmp_path, "out") == []


def test_leftovers_of_a_killed_writer_are_removed(tmp_path, builds):
    out = tmp_path / "out"
    export.write_atomically(out, builds["a"].items())
    (tmp_path / ".out.kg-new-abcd1234").mkdir()
    (tmp_path / ".out.kg-new-abcd1234" / "graph.ttl").write_bytes(b"half")
    (out / ".graph.ttl.k2j4h5g6.tmp").write_bytes(b"old-style temp file")
    export.write_atomically(out, builds["b"].items())
    assert leftovers(tmp_path, "out") == []
    assert {p.name for p in out.iterdir()} == set(builds["b"])


def test_foreign_files_are_kept_and_foreign_folders_refused(tmp_path, builds):
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("mine\n")
    os.symlink("README.md", out / "link")
    export.write_atomically(out, builds["a"].items())
    assert (out / "README.md").read_text() == "mine\n" and os.readlink(out / "link") == "README.md"
    (out / "sub").mkdir()
    before = {p.name: p.is_dir() or p.read_bytes() for p in out.iterdir()}
    with pytest.raises(OutputError, match=r"holds a folder that kg build did not write \(sub/\)"):
        export.write_atomically(out, builds["b"].items())
    assert {p.name: p.is_dir() or p.read_bytes() for p in out.iterdir()} == before
    assert leftovers(tmp_path, "out") == []


def test_the_folder_keeps_its_mode(tmp_path, builds):
    out = tmp_path / "out"
    out.mkdir(mode=0o750)
    os.chmod(out, 0o750)
    export.write_atomically(out, builds["a"].items())
    assert oct(out.stat().st_mode & 0o777) == oct(0o750)


def test_a_symlinked_folder_stays_a_symlink(tmp_path, builds):
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(real, tmp_path / "out")
    export.write_atomically(tmp_path / "out", builds["a"].items())
    assert (tmp_path / "out").is_symlink() and (real / "graph.ttl").is_file()


@pytest.mark.parametrize("folder", ["ontology", "shapes", "seeds", "kg", ".", "kg/templates",
                                    "ontology/sub"])
def test_kg_folders_are_refused(folder):
    root = Path(__file__).resolve().parent.parent
    with pytest.raises(OutputError, match="refused as an output folder"):
        outdir.check_target(root / folder)
    with pytest.raises(OutputError, match="refused as an output folder"):
        outdir.check_target("/")


def test_the_golden_folder_is_allowed():
    assert outdir.check_target(Path(__file__).parent / "golden", keep_foreign=True)


def test_the_current_folder_is_refused(tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path / "out")
    for folder in (tmp_path / "out", tmp_path, Path(".")):
        with pytest.raises(OutputError, match="is the current folder or holds it"):
            outdir.check_target(folder)
    assert outdir.check_target("inner") == tmp_path / "out" / "inner"


def test_a_folder_the_writer_owns_is_neither_refused_nor_carried_over(tmp_path, builds):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.oxigraph").mkdir()
    (out / "graph.oxigraph" / "old").write_text("stale")
    (out / "README.md").write_text("mine\n")
    export.write_atomically(out, builds["a"].items())  # kg build's index: its own
    assert {p.name for p in out.iterdir()} == set(builds["a"]) | {"README.md"}
    (out / "sub").mkdir()
    assert outdir.check_target(out, keep_foreign=True, owned=("sub",)) == out.resolve()
    with pytest.raises(OutputError, match=r"\(sub/\)"):
        export.write_atomically(out, builds["b"].items())
