"""The names a corpus already knows, with their kind and id: a new draft keeps the corpus's ids,
so that its entities are the same nodes of the graph."""

from __future__ import annotations

import contextlib
from pathlib import Path

import yaml

from kg.resources import data_dir
from kg.sources import read_text

KINDS = {"organizations": "organization", "people": "person", "products": "product"}


def default_corpus() -> list[Path]:
    """The bundled seeds and examples."""
    folders = []
    for name in ("seeds", "examples"):
        with contextlib.suppress(FileNotFoundError):
            folders.append(data_dir(name))
    return folders


def gazetteer(folders: list[Path], exclude: set[str] = frozenset()) -> dict[str, tuple[str, str]]:
    """Each name, alias and former name of the fact sheets in the folders (or files), mapped to
    (kind, id); a sheet whose slug is in `exclude` is left out, and so are groups and aliases
    in lower case ("the startup"), which are descriptions rather than names. The first sheet,
    in path order, that gives a name wins."""
    names: dict[str, tuple[str, str]] = {}
    for path in _sheets(folders):
        if path.stem in exclude:
            continue
        sheet = _read(path)
        for section, kind in KINDS.items():
            for entry in sheet.get(section) or []:
                if entry.get("type") == "Group":
                    continue
                others = entry.get("aliases") or []
                others = [others] if isinstance(others, str) else others
                former = entry.get("former_names") or []
                former = [former] if isinstance(former, str) else former
                for name in [entry["name"], *others, *former]:
                    if _a_name(name):
                        names.setdefault(name, (kind, entry["id"]))
    return names


def _a_name(words: str) -> bool:
    """A name has a capital beyond a leading article: "The Verge", "xAI", not "The startup"."""
    rest = words.split()[1:] if words.split()[:1] in (["The"], ["A"], ["An"]) else words.split()
    return any(c.isupper() for word in rest for c in word[:3])


# libyaml's parser where PyYAML has it: a corpus is read at every draft.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> dict:
    sheet = yaml.load(read_text(path), Loader=_LOADER)  # noqa: S506 (a safe loader)
    return sheet if isinstance(sheet, dict) else {}


def _sheets(folders: list[Path]) -> list[Path]:
    out = []
    for folder in folders:
        folder = Path(folder)
        out += sorted(folder.glob("*.yaml")) if folder.is_dir() else [folder.with_suffix(".yaml")]
    return sorted(set(out))
