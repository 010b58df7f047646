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


class OutputError(KgError):
    """The output directory cannot be written; what was there is left as it was."""


class QueryError(KgError):
    """A query that cannot be run: unknown, malformed, refused, or failed at the endpoint."""


class QueryTimeout(KgError):
    """A query stopped at its time limit; its results are not shown."""

    exit_code = 3


class StoreError(KgError):
    """The store refused or failed a request; the message carries the server's own words."""
