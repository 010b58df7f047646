"""The command line's plumbing, apart from its commands: how an error becomes a message and an
exit code, SIGTERM handled as Ctrl-C, and a choice read from kg's tables only when given."""

from __future__ import annotations

import importlib
import signal
import sys
import threading

import click

from kg.errors import KgError
from kg.iris import prefixes
from kg.namespaces import DEFAULT_BASE_IRI


def fail(exc: KgError) -> None:
    """Print the error (after its validation report, if any) and exit with its code."""
    report = getattr(exc, "report", None)
    if report is not None:
        click.echo(report.to_text(default_prefixes()), err=True)
    click.echo(f"kg: error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def sigterm_as_sigint() -> None:
    """SIGTERM stops a command as Ctrl-C does, with a KeyboardInterrupt: every `finally` and
    `with` block cleans up on the way out (build's and publish's staging folders and lock
    files, load's temporary folder); exit 1 ("Aborted!"). The previous handler is put back
    when the command ends (it matters when kg runs inside another program, as in tests)."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    click.get_current_context().call_on_close(
        lambda: signal.signal(signal.SIGTERM, previous))


def default_prefixes() -> dict[str, str]:
    """The prefixes of reports and results: kg's, under the default base IRI."""
    return prefixes(DEFAULT_BASE_IRI)


class TableChoice(click.ParamType):
    """A choice among the names of one of kg's tables, read when an option is given: importing
    the tables (and pyoxigraph with them) at start-up would slow every `kg --help`."""

    name = "choice"

    def __init__(self, module: str, attribute: str):
        self.module, self.attribute = module, attribute

    def choices(self) -> tuple[str, ...]:
        return tuple(getattr(importlib.import_module(self.module), self.attribute))

    def convert(self, value, param, ctx):
        if value in self.choices():
            return value
        self.fail(f"{value!r} is not one of {', '.join(self.choices())}", param, ctx)
