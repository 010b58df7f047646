"""Real servers for the tests, started on free loopback ports and stopped afterwards."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
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
        stop(process)


def stop(process: subprocess.Popen, seconds: float = 30) -> None:
    """Terminate a server process, killing it if it has not ended within `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
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


# ------------------------------------------------------------------ scripted raw HTTP servers

class RawServer:
    """A loopback server whose answers are scripts that write raw bytes: for each request,
    answer(conn, request, stop) writes what it likes (request is None when read_request is
    False); it returns False to close the connection. Scripts wait with stop.wait(seconds),
    so close() ends them; every loop in here is bounded."""

    def __init__(self, answer, tls=None, read_request: bool = True):
        self.answer, self.tls, self.read_request = answer, tls, read_request
        self.requests: list[dict] = []
        self.connections = 0
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        scheme = "https" if tls else "http"
        self.base = f"{scheme}://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            with conn:
                for _ in range(1000):  # requests on one kept-alive connection
                    request = _read_request(conn) if self.read_request else None
                    if self.read_request and request is None:
                        return
                    if request is not None:
                        self.requests.append(request)
                    if self.answer(conn, request, self.stop) is False or self.stop.is_set():
                        return
        except OSError:  # the client went away, or its TLS handshake failed
            pass

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(5)


def _read_request(conn: socket.socket) -> dict | None:
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > 1 << 16:
            return None
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":")
                                                              for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(min(1 << 20, length - len(body)))
        if not chunk:
            return None
        body += chunk
    return {"method": method, "path": path, "headers": headers, "body": body}


@contextmanager
def raw_server(answer, tls=None, read_request: bool = True):
    """A RawServer for the with block; yields it (its .base is http(s)://127.0.0.1:PORT)."""
    server = RawServer(answer, tls, read_request)
    try:
        yield server
    finally:
        server.close()


def reply(conn: socket.socket, status: int = 200, body: bytes = b"",
          headers: dict[str, str] | None = None, reason: str = "X") -> None:
    """A whole answer with a Content-Length."""
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    conn.sendall(head.encode("latin-1") + b"\r\n" + body)


def drip(conn: socket.socket, data: bytes, stop: threading.Event, every: float = 1.0) -> bool:
    """Send data a byte at a time, one every `every` seconds; False once stopped."""
    for i in range(len(data)):
        if stop.wait(every):
            return False
        conn.sendall(data[i:i + 1])
    return True


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made with the openssl command."""
    openssl = require("openssl", "to make a self-signed certificate for the TLS tests")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    return cert, key


@contextmanager
def kg_serve(data: Path, *args: str, seconds: float = 30):
    """`kg serve data` on a free loopback port: (base URL, process). Its standard error goes to
    a file, so that a chatty server never blocks on a full pipe."""
    port = free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", str(data), "--port", str(port), *args]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + seconds
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"kg serve exited with {process.returncode}: "
                                       f"{log.read().decode(errors='replace')[-2000:]}")
                try:
                    httpx.get(base + "/", timeout=1)
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"kg serve did not start within {seconds} s") from None
                    time.sleep(0.1)
            yield base, process
        finally:
            if process.poll() is None:
                stop(process, 15)


def descendants(pid: int) -> list[int]:
    """The process ids of pid's children, forked by any of its threads, and theirs."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                children = [int(c) for c in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def rss_mb(pid: int) -> float:
    """The resident memory of a process and its descendants, in MB (0 for one that ended)."""
    total = 0
    for one in [pid, *descendants(pid)]:
        try:
            with open(f"/proc/{one}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024
