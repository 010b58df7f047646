"""Reading text strictly and finding article + fact sheet pairs."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from kg import factsheet
from kg.errors import InputError
from kg.sources import Source, discover, read_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = "verge-2025-01-21-microsoft-openai-compute"


def write_pair(folder: Path, slug: str) -> Source:
    """The seed article and fact sheet copied into `folder` as <slug>.txt and <slug>.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    txt, yml = folder / f"{slug}.txt", folder / f"{slug}.yaml"
    shutil.copyfile(SEEDS / f"{SEED}.txt", txt)
    shutil.copyfile(SEEDS / f"{SEED}.yaml", yml)
    return Source(slug, txt, yml)


def error_of(call, *args) -> InputError:
    with pytest.raises(InputError) as info:
        call(*args)
    return info.value


# ---------------------------------------------------------------- read_text

def test_read_text_drops_a_utf8_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfHello world\n")
    assert read_text(path) == "Hello world\n"


def test_read_text_turns_crlf_into_lf(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one\r\ntwo\r\n")
    assert read_text(path) == "one\ntwo\n"


def test_read_text_normalizes_to_nfc(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("cafe\u0301".encode("utf-8"))
    assert read_text(path) == "caf\u00e9"


def test_read_text_rejects_latin1_at_the_line_of_the_bad_byte(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"first line\nsecond line\nthird caf\xe9 line\n")
    err = error_of(read_text, path)
    assert (err.path, err.line) == (str(path), 3)
    assert "not UTF-8" in err.message and "0xe9" in err.message
    assert str(err).startswith(f"{path}:3: ")


def test_read_text_rejects_a_nul_at_its_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"first line\nsecond \x00 line\n")
    err = error_of(read_text, path)
    assert (err.path, err.line) == (str(path), 2)
    assert "NUL" in err.message


def test_read_text_of_a_missing_file(tmp_path):
    path = tmp_path / "missing.txt"
    err = error_of(read_text, path)
    assert err.path == str(path)
    assert "not found" in err.message


def test_crlf_fact_sheet_and_article_load(tmp_path):
    source = write_pair(tmp_path, "a")
    for path in (source.article, source.factsheet):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    sheet = factsheet.load(source)
    assert "\r" not in sheet.text
    assert len(sheet.entries) == 37


# ---------------------------------------------------------------- discover

def test_discover_a_folder_sorted_by_slug(tmp_path):
    for slug in ("b-2", "a", "b-10", "b"):
        write_pair(tmp_path, slug)
    sources = discover([tmp_path])
    assert [s.slug for s in sources] == ["a", "b", "b-10", "b-2"]
    assert sources[0] == Source("a", tmp_path / "a.txt", tmp_path / "a.yaml")


def test_discover_a_file_given_by_either_half(tmp_path):
    write_pair(tmp_path, "a")
    expected = [Source("a", tmp_path / "a.txt", tmp_path / "a.yaml")]
    assert discover([tmp_path / "a.txt"]) == expected
    assert discover([tmp_path / "a.yaml"]) == expected
    assert discover([tmp_path / "a.txt", tmp_path / "a.yaml", tmp_path]) == expected


def test_discover_two_folders_with_the_same_slug(tmp_path):
    write_pair(tmp_path / "one", "a")
    write_pair(tmp_path / "two", "a")
    err = error_of(discover, [tmp_path / "one", tmp_path / "two"])
    assert "two articles share the slug 'a'" in err.message


def test_discover_article_without_fact_sheet_names_the_expected_file(tmp_path):
    write_pair(tmp_path, "a")
    (tmp_path / "b.txt").write_text("An article.\n", encoding="utf-8")
    err = error_of(discover, [tmp_path])
    assert "no fact sheet beside it" in err.message
    assert str(tmp_path / "b.yaml") in err.message


def test_discover_fact_sheet_without_article_names_the_expected_file(tmp_path):
    (tmp_path / "b.yaml").write_text("article: {}\n", encoding="utf-8")
    err = error_of(discover, [tmp_path / "b.yaml"])
    assert "no article beside it" in err.message
    assert str(tmp_path / "b.txt") in err.message


def test_discover_file_name_that_is_not_a_slug(tmp_path):
    (tmp_path / "My Article.txt").write_text("An article.\n", encoding="utf-8")
    (tmp_path / "My Article.yaml").write_text("article: {}\n", encoding="utf-8")
    for given in (tmp_path, tmp_path / "My Article.txt"):
        err = error_of(discover, [given])
        assert "My Article" in err.path
        assert "must be a slug" in err.message


def test_discover_dotted_file_name_in_a_folder_is_not_a_slug(tmp_path):
    (tmp_path / "draft.v2.txt").write_text("An article.\n", encoding="utf-8")
    (tmp_path / "draft.v2.yaml").write_text("article: {}\n", encoding="utf-8")
    err = error_of(discover, [tmp_path])
    assert "draft.v2" in err.path
    assert "must be a slug" in err.message


def test_discover_dotted_file_name_beside_a_good_pair_is_not_ignored(tmp_path):
    write_pair(tmp_path, "draft")
    (tmp_path / "draft.v2.txt").write_text("An article.\n", encoding="utf-8")
    (tmp_path / "draft.v2.yaml").write_text("article: {}\n", encoding="utf-8")
    err = error_of(discover, [tmp_path])
    assert "must be a slug" in err.message


def test_discover_unknown_extension(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# notes\n", encoding="utf-8")
    err = error_of(discover, [path])
    assert err.path == str(path)
    assert "expected an article (.txt), a fact sheet (.yaml) or a folder" in err.message


def test_discover_missing_path(tmp_path):
    path = tmp_path / "nowhere"
    err = error_of(discover, [path])
    assert err.path == str(path)
    assert "not found" in err.message


def test_discover_missing_article_file(tmp_path):
    path = tmp_path / "gone.txt"
    err = error_of(discover, [path])
    assert str(path) in str(err)


def test_discover_empty_folder(tmp_path):
    err = error_of(discover, [tmp_path])
    assert err.path == str(tmp_path)
    assert "no article + fact sheet pairs" in err.message


def test_discover_folder_ignores_other_files(tmp_path):
    write_pair(tmp_path, "a")
    (tmp_path / "README.md").write_text("notes\n", encoding="utf-8")
    assert [s.slug for s in discover([tmp_path])] == ["a"]


# ---------------------------------------------------------------- regular files only


def test_read_text_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    error = error_of(read_text, fifo)
    assert time.monotonic() - started < 1
    assert "not a regular file" in error.message and "FIFO" in error.message
    assert error.path == str(fifo)


def test_read_text_refuses_a_folder(tmp_path):
    folder = tmp_path / "article.txt"
    folder.mkdir()
    error = error_of(read_text, folder)
    assert "not a regular file: this is a folder" in error.message and error.path == str(folder)


def test_read_text_refuses_a_device():
    error = error_of(read_text, Path("/dev/null"))
    assert "character device" in error.message


def test_read_text_follows_a_symlink_to_a_regular_file(tmp_path):
    (tmp_path / "real.txt").write_text("text\n", encoding="utf-8")
    os.symlink(tmp_path / "real.txt", tmp_path / "link.txt")
    assert read_text(tmp_path / "link.txt") == "text\n"


@pytest.mark.parametrize("half", [".yaml", ".txt"])
def test_discover_a_fifo_beside_its_pair_is_named(tmp_path, half):
    source = write_pair(tmp_path / "in", "deal")
    path = source.factsheet if half == ".yaml" else source.article
    path.unlink()
    os.mkfifo(path)
    for given in (tmp_path / "in", source.article, source.factsheet):
        error = error_of(discover, [given])
        assert error.path == str(path) and "FIFO" in error.message
