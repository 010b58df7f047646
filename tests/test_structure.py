"""The shape of the package: one-way imports, no cycles, small modules, a lazy public API."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kg

PACKAGE = Path(kg.__file__).resolve().parent
MAX_LINES = 450
API = ("build", "validate", "query", "load", "publish")
# Imports inside functions hide cycles; only the command line defers (through kg's lazy API).
DEFERRING_ALLOWED = {"kg.__init__", "kg.cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "_data" not in p.parts}


def imports(path: Path, name: str) -> list[tuple[str, bool]]:
    """(imported kg module, whether the import stands inside a function) of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = modules()
    found = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            deferred = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((a.name, in_function) for a in child.names if a.name.startswith("kg"))
            elif isinstance(child, ast.ImportFrom) and child.module:
                base = child.module
                if child.level:
                    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
                    for _ in range(child.level - 1):
                        package = package.rsplit(".", 1)[0]
                    base = f"{package}.{child.module}"
                if base.startswith("kg"):
                    for alias in child.names:
                        sub = f"{base}.{alias.name}"
                        found.append((sub if sub in known else base, in_function))
            visit(child, deferred)
    visit(tree, False)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = {target for target, _ in imports(path, name) if target in known}
        edges[name] = {t for t in targets if t != name}
    return edges


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str):
        state[node] = 1
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def test_imports_are_at_module_level():
    deferred = sorted(f"{name} imports {target} inside a function"
                      for name, path in modules().items() if name not in DEFERRING_ALLOWED
                      for target, inside in imports(path, name) if inside)
    assert not deferred
    # Third-party modules too: a deferred import is a hidden dependency.
    hidden = []
    for name, path in modules().items():
        if name in DEFERRING_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                hidden += [f"{name}:{n.lineno}" for n in ast.walk(node)
                           if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert not hidden, f"imports inside functions: {sorted(set(hidden))}"


def test_the_cycle_detector_finds_a_planted_cycle(tmp_path, monkeypatch):
    # The checks above are only worth something if they can fail.
    planted = {"kg.a": {"kg.b"}, "kg.b": {"kg.c"}, "kg.c": {"kg.a"}}
    monkeypatch.setitem(globals(), "graph", lambda: planted)
    with pytest.raises(pytest.fail.Exception, match="kg.a -> kg.b -> kg.c -> kg.a"):
        test_no_import_cycles()


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_are_small(name):
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by job (at most {MAX_LINES})"


def test_the_public_api():
    for name in API:
        function = getattr(kg, name)
        assert callable(function) and function.__doc__ and ">>>" in function.__doc__, name
    for name in kg.__all__:
        assert getattr(kg, name) is not None
    assert set(API) <= set(dir(kg))
    with pytest.raises(AttributeError):
        kg.no_such_function  # noqa: B018


def test_the_api_is_imported_lazily():
    code = ("import sys, kg, kg.cli; heavy = [m for m in ('rdflib', 'pyshacl', 'pyoxigraph', "
            "'yaml', 'httpx', 'starlette') if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
