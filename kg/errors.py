"""The project's exception types; each knows where in which input it went wrong."""

from __future__ import annotations

import os


class KgError(Exception):
    """An error the user can act on, located by file, line, entry and field where known."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | os.PathLike | None = None,
                 line: int | None = None, entry: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.entry = entry
        self.field = field

    def location(self) -> str:
        where = self.path or ""
        if self.path and self.line is not None:
            where += f":{self.line}"
        parts = [where] if where else []
        if self.entry:
            parts.append(f"entry '{self.entry}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class InputError(KgError):
    """An article, fact sheet or graph file that cannot be used as it is."""


class InputErrors(InputError):
    """Several input errors found in one run (every error of every fact sheet of a build), each
    with its own location; shown one per line.

    >>> print(InputErrors([InputError("a", path="x.yaml", line=3),
    ...                    InputError("b", path="y.yaml")]))
    2 errors in the input:
    x.yaml:3: a
    y.yaml: b
    """

    def __init__(self, errors: list[InputError]):
        self.errors = [e for error in errors for e in getattr(error, "errors", [error])]
        paths = {e.path for e in self.errors}
        super().__init__(f"{len(self.errors)} errors in the input:",
                         path=paths.pop() if len(paths) == 1 else None)

    def __str__(self) -> str:
        return "\n".join([f"{self.path}: {self.message}" if self.path else self.message,
                          *(str(e) for e in self.errors)])


class Collect:
    """Gathers the InputErrors of independent checks, so that one run reports them all.

    >>> errors = Collect()
    >>> with errors.each():
    ...     raise InputError("first", line=1)
    >>> with errors.each():
    ...     raise InputError("second", line=2)
    >>> [e.message for e in errors.errors]
    ['first', 'second']
    """

    def __init__(self):
        self.errors: list[InputError] = []

    def each(self) -> _Catch:
        return _Catch(self.errors)

    def raise_any(self) -> None:
        """Raise what was gathered: one error as itself, several as InputErrors."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InputErrors(self.errors)


class _Catch:
    def __init__(self, errors: list[InputError]):
        self.errors = errors

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if isinstance(exc, InputError):
            self.errors.extend(getattr(exc, "errors", [exc]))
            return True
        return False


class OutputError(KgError):
    """The output directory cannot be written; what was there is left as it was."""


class QueryError(KgError):
    """A query that cannot be run: unknown, malformed, refused, or failed at the endpoint."""


class QueryTimeout(KgError):
    """A query stopped at its time limit; its results are not shown."""

    exit_code = 3


class StoreError(KgError):
    """The store refused or failed a request; the message carries the server's own words."""
