"""Real servers for the tests, started on free loopback ports and stopped afterwards."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require(tool: str, why: str) -> str:
    """The tool's path; a missing tool fails under CI=true and skips (visibly) elsewhere."""
    beside = Path(sys.executable).with_name(tool)
    found = str(beside) if beside.exists() else shutil.which(tool)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} is required in CI ({why}) but is not installed")
    pytest.skip(f"{tool} is not installed ({why})")


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: "
                               f"{process.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start within {seconds} s")


@contextmanager
def running(command: list[str], url: str, ready_path: str = "/", seconds: float = 30,
            cwd: Path | None = None):
    """Start a server process, wait until it answers at url + ready_path, stop it afterwards."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(url + ready_path, process, seconds)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oxigraph_server(location: Path | None = None):
    """An Oxigraph server on 127.0.0.1 with the union of named graphs as default graph."""
    binary = require("oxigraph", "the Oxigraph SPARQL server, PyPI package 'oxigraph'")
    port = free_port()
    command = [binary, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    if location is not None:
        command += ["--location", str(location)]
    with running(command, f"http://127.0.0.1:{port}") as base:
        yield base


VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def _virtuoso_ini(template: str, workdir: Path, sql_port: int, http_port: int) -> str:
    """The packaged configuration with every path in workdir and both ports on loopback."""
    out, section = [], ""
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        setting = "=" in stripped and not stripped.startswith(";")
        key = stripped.split("=", 1)[0].strip() if setting else ""
        if section in ("[Database]", "[TempDatabase]") and key in (
                "DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile",
                "xa_persistent_file"):
            line = f"{key} = {workdir / Path(stripped.split('=', 1)[1].strip()).name}"
        elif section == "[Parameters]" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif section == "[HTTPServer]" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif section == "[Parameters]" and key == "DirsAllowed":
            line = f"DirsAllowed = ., {workdir}, /usr/share/virtuoso-opensource-7/vad"
        out.append(line)
    return "\n".join(out) + "\n"


@contextmanager
def virtuoso_server(workdir: Path):
    """Virtuoso Open Source with its own database in workdir, on two free loopback ports."""
    binary = require("virtuoso-t", "Virtuoso Open Source, Debian package virtuoso-opensource")
    if not VIRTUOSO_INI.is_file():
        pytest.fail(f"virtuoso-t is installed but {VIRTUOSO_INI} is missing")
    sql_port, http_port = free_port(), free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(_virtuoso_ini(VIRTUOSO_INI.read_text(), workdir, sql_port, http_port))
    with running([binary, "+foreground", "+configfile", str(ini)], f"http://127.0.0.1:{http_port}",
                 "/sparql", seconds=90, cwd=workdir) as base:
        yield base
