"""Load `kg serve` over loopback (wrk or ApacheBench) and report each figure against its target.

Usage: python benchmarks/serve_load.py [--quick] [--json FILE] [--articles N] [--runs R]
                                       [--client {ab,wrk}]

Builds the seed (or, with --articles N, a synthetic corpus of N articles, benchmarks/corpus.py)
into a temporary folder, starts `kg serve` on a free 127.0.0.1 port in a session of its own and
measures, with the --client load generator (default wrk when the `wrk` command exists, else ab):

  wrk  (Debian package wrk) HTTP/1.1 with keep-alive, as browsers and SPARQL clients do:
       wrk -t1 -c<concurrency> -d<seconds>s --latency --timeout <ab-timeout>s [-H ...] URL
  ab   ApacheBench (Debian package apache2-utils; -k, bounded by -t, -n and -s). ab speaks
       HTTP/1.0, and the server closes HTTP/1.0 connections: every request opens a connection.

the first four cases:

  pages        an HTML resource page (id/organization/...html)
  ttl          the Turtle file of that resource
  303          the resource IRI with Accept: text/turtle (every answer is a 303: expected)
  sparql       a simple SELECT, GET /sparql?query=... (URL-encoded), JSON results

and the abuse cases of issue 17, each on a fresh server, each with pages fetched by ab meanwhile
(whatever --client says: ab is always needed for these):

  expensive    20 cross joins (SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }) sent at once by Python
               threads (httpx), each timed: rows, 503 or other, against the server's --timeout
               plus 1 s
  slow-headers N sockets, each sending a header byte per second and never finishing it
  large-bodies a few POSTs of a large body (default 50 MB) to /sparql, streamed in 1 MB chunks

For each case: requests/s, p50 and p99 (ab's percentile table, whole milliseconds, or wrk's
--latency distribution), errors (failed requests or wrk's socket errors, and non-2xx answers where
none are expected; wrk counts only answers >= 400 as such, so its 303s are not counted), and
the server's peak memory:
the sum of VmRSS of the server process and every process of its session (its forked workers),
sampled from /proc every 50 ms. An ab case run several times (--runs) reports the median of its
runs. A missed target is printed, never an error: the exit status is non-zero only when the
harness itself fails (ab or the chosen client missing, the server not starting, a bug here).

Guard: a server whose memory passes --kill-mb is killed (SIGKILL to its session) and the case is
recorded as such, so that a runaway query cannot take a shared machine down.

Everything goes to 127.0.0.1; every loop is bounded in count and time; the server is stopped at
the end (SIGTERM, then SIGKILL to its session after 10 s), also on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

HOST = "127.0.0.1"
SIMPLE_SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"
EXPENSIVE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
JSON_RESULTS = "application/sparql-results+json"
TARGETS = {  # (case, figure): (comparison, value, what the issue asks)
    ("pages", "rps"): (">=", 3000, "pages >= 3,000 req/s"),
    ("pages", "p99_ms"): ("<=", 30, "pages p99 <= 30 ms"),
    ("sparql", "rps"): (">=", 1000, "/sparql simple SELECT >= 1,000 req/s"),
    ("expensive", "p99_ms"): ("<=", 50, "page p99 <= 50 ms while 20 expensive queries run"),
    ("expensive", "answered_in_time"): ("==", True,
                                        "every expensive query answered (rows or 503) within "
                                        "--timeout + 1 s"),
}
MEMORY_TARGET_MB = 500
CASES = ["pages", "ttl", "303", "sparql", "expensive", "slow-headers", "large-bodies"]


class HarnessError(Exception):
    """The benchmark itself cannot go on (not a figure of the server)."""


# ------------------------------------------------------------------ memory of the server

def _stat(pid: str) -> tuple[int, int] | None:
    """(ppid, pgrp) of a process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return int(fields[1]), int(fields[2])
    except (OSError, IndexError, ValueError):
        return None


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def server_processes(root: int) -> set[int]:
    """The root process, its descendants and every process of its session's group."""
    parents: dict[int, list[int]] = {}
    found = {root}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        info = _stat(name)
        if info is None:
            continue
        ppid, pgrp = info
        parents.setdefault(ppid, []).append(int(name))
        if pgrp == root:
            found.add(int(name))
    todo = [root]
    while todo:  # bounded: each pid is visited once
        pid = todo.pop()
        for child in parents.get(pid, []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


class MemorySampler:
    """Peak of the summed VmRSS of the server's processes, sampled every 50 ms in a thread."""

    def __init__(self, server: Server, interval: float = 0.05):
        self.server, self.interval = server, interval
        self.peak_kb = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            kb = self.server.rss_kb()
            self.peak_kb = max(self.peak_kb, kb)
            self.samples += 1
            if self.server.kill_kb and kb > self.server.kill_kb:
                self.server.guard_kill(kb)
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)

    @property
    def peak_mb(self) -> float:
        return round(self.peak_kb / 1024, 1)


# ------------------------------------------------------------------ the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def kg_command() -> str:
    beside = Path(sys.executable).with_name("kg")
    found = str(beside) if beside.exists() else shutil.which("kg")
    if not found:
        raise HarnessError("kg is not installed in this environment")
    return found


def serve_options(kg: str) -> set[str]:
    """The long options `kg serve --help` lists (read at run time: the server changes)."""
    done = subprocess.run([kg, "serve", "--help"], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise HarnessError(f"kg serve --help failed: {done.stderr[-500:]}")
    return set(re.findall(r"(?m)^\s+(?:-\w,\s*)?(--[a-z][a-z0-9-]*)", done.stdout))


class Server:
    """`kg serve DIR` on a free loopback port, in a session of its own."""

    def __init__(self, kg: str, directory: Path, options: list[str], kill_mb: float, log: Path):
        self.kg, self.directory, self.options = kg, directory, options
        self.kill_kb = int(kill_mb * 1024) if kill_mb else 0
        self.log_path = log
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.pids_seen: set[int] = set()
        self.guard_killed_at_mb: float | None = None
        self.stop_seconds: float | None = None
        self.sigkilled = False
        self._lock = threading.Lock()
        self._current: set[int] = set()
        self._scanned = -1e9
        self.stop_timeout = 10.0
        self._stopped = False

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self, seconds: float = 60) -> None:
        self.port = free_port()
        command = [self.kg, "serve", str(self.directory), "--host", HOST,
                   "--port", str(self.port), *self.options]
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        self.pids_seen.add(self.process.pid)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"kg serve exited with {self.process.returncode}: "
                                   f"{self.log_tail()}")
            try:
                if httpx.get(self.base, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise HarnessError(f"kg serve did not answer within {seconds:g} s: {self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-1500:]
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rss_kb(self) -> int:
        """Summed VmRSS of the server's processes; the set is found again every 0.5 s (a scan
        of /proc costs a few milliseconds: done every 50 ms it would load the machine)."""
        if not self.alive():
            return 0
        now = time.monotonic()
        if now - self._scanned >= 0.5:
            pids = server_processes(self.process.pid)
            with self._lock:
                self.pids_seen |= pids
                self._current, self._scanned = pids, now
        return sum(_rss_kb(pid) for pid in self._current)

    def guard_kill(self, kb: int) -> None:
        with self._lock:
            if self.guard_killed_at_mb is None:
                self.guard_killed_at_mb = round(kb / 1024, 1)
        self._killpg()

    def _killpg(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the session this harness started
            self.sigkilled = True
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self) -> None:
        """SIGTERM, up to stop_timeout seconds, then SIGKILL to the whole session; reaps it."""
        if self.process is None or self._stopped:
            return
        self._stopped = True
        if self.process.poll() is None:
            start = time.monotonic()
            self.process.terminate()
            try:
                self.process.wait(timeout=self.stop_timeout)
                self.stop_seconds = round(time.monotonic() - start, 2)
            except subprocess.TimeoutExpired:
                self._killpg()
                self.process.wait(timeout=10)
        # Forked workers left behind by the main process belong to its session.
        leftover = [pid for pid in self.pids_seen if pid != self.process.pid and _stat(str(pid))
                    and _stat(str(pid))[1] == self.process.pid]
        if leftover:
            self._killpg()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and any(_stat(str(p)) for p in leftover):
                time.sleep(0.05)
        self._log.close()

    def record(self) -> dict:
        out = {"port": self.port, "pids": sorted(self.pids_seen),
               "stop_timeout": self.stop_timeout,
               "sigterm_stop_seconds": self.stop_seconds, "sigkilled": self.sigkilled}
        if self.guard_killed_at_mb is not None:
            out["guard_killed_at_mb"] = self.guard_killed_at_mb
        return out


# ------------------------------------------------------------------ ApacheBench

CHILDREN: list[subprocess.Popen] = []  # ab and wrk processes, stopped in main's finally


def ab_path() -> str:
    found = shutil.which("ab")
    if not found:
        raise HarnessError("ApacheBench (`ab`) is not installed: apt-get install -y apache2-utils")
    return found


def parse_ab(text: str) -> dict:
    def number(pattern: str, cast=float):
        match = re.search(pattern, text, re.M)
        return cast(match.group(1)) if match else None

    percentiles = {int(p): int(ms) for p, ms in re.findall(r"^\s+(\d+)%\s+(\d+)", text, re.M)}
    failed = re.search(r"^Failed requests:\s+(\d+)\n(?:\s+\((.*)\))?", text, re.M)
    return {
        "complete": number(r"^Complete requests:\s+(\d+)", int),
        "failed": int(failed.group(1)) if failed else None,
        "failed_detail": failed.group(2) if failed and failed.group(2) else None,
        "non_2xx": number(r"^Non-2xx responses:\s+(\d+)", int) or 0,
        "keep_alive": number(r"^Keep-Alive requests:\s+(\d+)", int),
        "rps": number(r"^Requests per second:\s+([\d.]+)"),
        "seconds": number(r"^Time taken for tests:\s+([\d.]+)"),
        "p50_ms": percentiles.get(50),
        "p99_ms": percentiles.get(99),
        "max_ms": percentiles.get(100),
    }


def ab_command(url: str, seconds: float, requests: int, concurrency: int, timeout: float,
               headers: list[str]) -> list[str]:
    # ab reads -t and -s as whole seconds; -n after -t bounds the count (-t alone means 50,000).
    command = [ab_path(), "-k", "-r", "-q", "-c", str(concurrency),
               "-t", str(max(1, round(seconds))), "-n", str(requests),
               "-s", str(max(1, round(timeout)))]
    for header in headers:
        command += ["-H", header]
    return command + [url]


def start_ab(url: str, args, seconds: float, headers: list[str] = ()) -> subprocess.Popen:
    process = subprocess.Popen(ab_command(url, seconds, args.requests, args.concurrency,
                                          args.ab_timeout, list(headers)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               stdin=subprocess.DEVNULL)
    CHILDREN.append(process)
    return process


def finish_ab(process: subprocess.Popen, seconds: float, args) -> dict:
    try:
        out, err = process.communicate(timeout=seconds + args.ab_timeout + 15)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        return {"ab_error": f"ab did not finish within {seconds + args.ab_timeout + 15:g} s"}
    result = parse_ab(out)
    if process.returncode != 0 or result["rps"] is None:
        # ab stops on a timeout (-s) or a refused connection: a figure of the server.
        result["ab_error"] = (f"ab exited with {process.returncode}: "
                              + " ".join((err or out).split())[-300:])
    return result


def run_ab(url: str, args, seconds: float, headers: list[str] = ()) -> dict:
    return finish_ab(start_ab(url, args, seconds, headers), seconds, args)


# ------------------------------------------------------------------ wrk

WRK_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
_WRK_TIME = r"([\d.]+)(us|ms|s|m|h)"


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise HarnessError("wrk is not installed: apt-get install -y wrk (or --client ab)")
    return found


def default_client() -> str:
    return "wrk" if shutil.which("wrk") else "ab"


def _wrk_ms(value: str, unit: str) -> float:
    return round(float(value) * WRK_UNITS_MS[unit], 3)


def parse_wrk(text: str) -> dict:
    """wrk's report (with --latency) in the figures parse_ab gives. wrk prints the Socket errors
    and Non-2xx or 3xx lines only when there are some; it counts answers >= 400 as the latter."""
    latency = re.search(rf"^\s+Latency\s+{_WRK_TIME}\s+{_WRK_TIME}\s+{_WRK_TIME}", text, re.M)
    percentiles = {round(float(p)): _wrk_ms(v, u) for p, v, u in
                   re.findall(rf"^\s+([\d.]+)%\s+{_WRK_TIME}\s*$", text, re.M)}
    total = re.search(rf"^\s+(\d+) requests in {_WRK_TIME}", text, re.M)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        text)
    failed = sum(int(n) for n in sockets.groups()) if sockets else 0
    non_2xx = re.search(r"^\s+Non-2xx or 3xx responses:\s+(\d+)", text, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    return {
        "complete": int(total.group(1)) if total else None,
        "failed": failed,
        "failed_detail": f"socket errors: {sockets.group(0).split(': ', 1)[1]}"
        if failed else None,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "keep_alive": None,
        "rps": float(rps.group(1)) if rps else None,
        "seconds": _wrk_ms(total.group(2), total.group(3)) / 1000 if total else None,
        "p50_ms": percentiles.get(50),
        "p99_ms": percentiles.get(99),
        "max_ms": _wrk_ms(latency.group(5), latency.group(6)) if latency else None,
    }


def wrk_command(url: str, seconds: float, concurrency: int, timeout: float,
                headers: list[str]) -> list[str]:
    command = [wrk_path(), "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s",
               "--latency", "--timeout", f"{max(1, round(timeout))}s"]
    for header in headers:
        command += ["-H", header]
    return command + [url]


def run_wrk(url: str, args, seconds: float, headers: list[str] = ()) -> dict:
    process = subprocess.Popen(wrk_command(url, seconds, args.concurrency, args.ab_timeout,
                                           list(headers)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               stdin=subprocess.DEVNULL)
    CHILDREN.append(process)
    limit = seconds + args.ab_timeout + 15
    try:
        out, err = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"wrk_error": f"wrk did not finish within {limit:g} s"}
    result = parse_wrk(out)
    if process.returncode != 0 or result["rps"] is None:
        result["wrk_error"] = (f"wrk exited with {process.returncode}: "
                               + " ".join((err or out).split())[-300:])
    return result


def keep_alive_probe(url: str, headers: list[str], timeout: float) -> bool:
    """Whether the server keeps an HTTP/1.1 connection open: two requests, one after the other,
    answered on the same socket (http.client drops a socket the server says it closes)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    fields = dict(h.split(": ", 1) for h in headers)
    target = parts.path + ("?" + parts.query if parts.query else "")
    try:
        conn.request("GET", target, headers=fields)
        conn.getresponse().read()
        first = conn.sock
        if first is None:
            return False
        conn.request("GET", target, headers=fields)
        conn.getresponse().read()
        return conn.sock is first
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def median_of(runs: list[dict], expected_non_2xx: bool) -> dict:
    """The median of each figure over the runs; errors and requests summed."""
    good = [r for r in runs if r.get("rps") is not None]
    out: dict = {"runs": len(runs)}
    for key in ("rps", "p50_ms", "p99_ms", "max_ms"):
        values = [r[key] for r in good if r.get(key) is not None]
        out[key] = round(statistics.median(values), 1) if values else None
    out["rps_runs"] = [r.get("rps") for r in runs]
    out["p99_runs"] = [r.get("p99_ms") for r in runs]
    out["requests"] = sum(r.get("complete") or 0 for r in runs)
    out["failed"] = sum(r.get("failed") or 0 for r in runs)
    out["non_2xx"] = sum(r.get("non_2xx") or 0 for r in runs)
    out["keep_alive_requests"] = sum(r.get("keep_alive") or 0 for r in runs)
    out["errors"] = out["failed"] + (0 if expected_non_2xx else out["non_2xx"])
    out["errors"] += sum(1 for r in runs if "ab_error" in r or "wrk_error" in r)
    details = [r["failed_detail"] for r in runs if r.get("failed_detail")]
    details += [r[k] for r in runs for k in ("ab_error", "wrk_error") if k in r]
    if details:
        out["error_detail"] = details[:5]
    return out


# ------------------------------------------------------------------ the cases

def discover(server: Server) -> dict:
    """A resource of the served data: its page, Turtle file and IRI (from the home page)."""
    home = httpx.get(server.base, timeout=10).text
    links = re.findall(r'href="(?:\./)?(id/organization/[^"#?]+)\.html"', home)
    links = links or re.findall(r'href="(?:\./)?(id/[^"#?]+)\.html"', home)
    if not links:
        raise HarnessError("no resource page is linked from the home page")
    path = links[0]
    urls = {"page": server.base + path + ".html", "ttl": server.base + path + ".ttl",
            "iri": server.base + path,
            "sparql": server.base + "sparql?query=" + quote(SIMPLE_SELECT, safe="")}
    for name, url, accept, status in (("page", urls["page"], "text/html", 200),
                                      ("ttl", urls["ttl"], "text/turtle", 200),
                                      ("iri", urls["iri"], "text/turtle", 303),
                                      ("sparql", urls["sparql"], JSON_RESULTS, 200)):
        got = httpx.get(url, headers={"Accept": accept}, timeout=30).status_code
        if got != status:
            raise HarnessError(f"{name} {url} answered {got}, not {status}")
    return urls


def warm(server: Server, urls: dict, args) -> dict:
    """Fill caches and fork the query workers before anything is timed: a few requests one by
    one, then bursts of --concurrency /sparql requests at once (up to 3, until one is answered
    in full). Returns what was not answered: a server that loses a request here is reported."""
    for _ in range(5):
        httpx.get(urls["page"], timeout=30)
        httpx.get(urls["sparql"], headers={"Accept": JSON_RESULTS}, timeout=30)
    bursts = []
    for _ in range(3):
        outcomes: list = [None] * args.concurrency

        def one(i: int) -> None:
            start = time.monotonic()
            try:
                status = httpx.get(urls["sparql"], headers={"Accept": JSON_RESULTS},
                                   timeout=args.ab_timeout).status_code
                outcomes[i] = (status, round(time.monotonic() - start, 2))
            except httpx.HTTPError as exc:
                outcomes[i] = (type(exc).__name__, round(time.monotonic() - start, 2))

        threads = [threading.Thread(target=one, args=(i,), daemon=True)
                   for i in range(args.concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.ab_timeout + 5)
        lost = [o for o in outcomes if o is None or o[0] != 200]
        bursts.append({"requests": args.concurrency, "not_answered": len(lost),
                       "outcomes": sorted({str(o[0]) if o else "none" for o in lost})})
        if not lost:
            break
    return {"bursts": bursts}


def plain_case(server: Server, url: str, args, headers: list[str] = (),
               expected_non_2xx: bool = False) -> dict:
    runs, peak = [], 0.0
    load = run_wrk if args.client == "wrk" else run_ab
    for _ in range(args.runs):
        with MemorySampler(server) as sampler:
            runs.append(load(url, args, args.seconds, headers))
        peak = max(peak, sampler.peak_mb)
    out = median_of(runs, expected_non_2xx)
    out["peak_mb"] = peak
    out["client"] = args.client
    if args.client == "wrk":
        out["keep_alive"] = keep_alive_probe(url, list(headers), args.ab_timeout)
    else:
        out["keep_alive"] = out["keep_alive_requests"] > 0
    return out


def _expensive_query(base: str, limit: float, wait: float, barrier: threading.Barrier,
                     slot: list, index: int) -> None:
    record: dict = {"index": index}
    try:
        barrier.wait(10)
        start = time.monotonic()
        try:
            with httpx.Client(timeout=httpx.Timeout(wait)) as client:
                response = client.get(base + "sparql", params={"query": EXPENSIVE},
                                      headers={"Accept": JSON_RESULTS})
            record["seconds"] = round(time.monotonic() - start, 2)
            record["status"] = response.status_code
            if response.status_code == 200:
                try:
                    record["rows"] = len(response.json()["results"]["bindings"])
                    record["outcome"] = "rows"
                except (ValueError, KeyError, TypeError):
                    record["outcome"] = "200 without results"
            elif response.status_code == 503:
                record["outcome"] = "503"
                record["retry_after"] = response.headers.get("retry-after")
            else:
                record["outcome"] = f"other ({response.status_code})"
        except httpx.TimeoutException:
            record["seconds"] = round(time.monotonic() - start, 2)
            record["outcome"] = f"no answer within {wait:g} s"
        except httpx.HTTPError as exc:
            record["seconds"] = round(time.monotonic() - start, 2)
            record["outcome"] = f"error ({type(exc).__name__})"
    except threading.BrokenBarrierError:
        record["outcome"] = "not started"
    record["in_time"] = (record.get("outcome") in ("rows", "503")
                         and record.get("seconds", 1e9) <= limit + 1)
    slot[index] = record


def expensive_case(server: Server, urls: dict, args) -> dict:
    limit = args.server_timeout
    wait = limit + 1 + args.grace
    window = limit + 2  # pages are fetched while the queries are answered
    slot: list = [None] * args.expensive
    barrier = threading.Barrier(args.expensive + 1)
    threads = [threading.Thread(target=_expensive_query, daemon=True,
                                args=(server.base, limit, wait, barrier, slot, i))
               for i in range(args.expensive)]
    with MemorySampler(server) as sampler:
        for thread in threads:
            thread.start()
        ab = start_ab(urls["page"], args, window)
        time.sleep(0.2)  # ab is connected and fetching
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(10)
        pages = finish_ab(ab, window, args)
        for thread in threads:
            thread.join(max(0.1, wait + 5))
    queries = [q or {"index": i, "outcome": "thread did not finish", "in_time": False}
               for i, q in enumerate(slot)]
    out = median_of([pages], expected_non_2xx=False)
    out["peak_mb"] = sampler.peak_mb
    out["queries"] = queries
    out["limit_seconds"] = limit + 1
    out["answered_in_time"] = all(q["in_time"] for q in queries)
    outcomes: dict = {}
    for q in queries:
        outcomes[q["outcome"]] = outcomes.get(q["outcome"], 0) + 1
    out["outcomes"] = outcomes
    seconds = [q["seconds"] for q in queries if "seconds" in q]
    out["slowest_query_seconds"] = max(seconds) if seconds else None
    return out


def _slow_headers(port: int, count: int, seconds: float, result: dict) -> None:
    """count sockets, each sending one more header byte a second; never finished (bounded)."""
    sockets: dict[int, socket.socket] = {}
    opened_at: dict[int, float] = {}
    result.update(opened=0, refused=0, closed_by_server=0, answered=0, open_at_end=0)
    closed_after: list[float] = []
    prefix = f"GET /index.html HTTP/1.1\r\nHost: {HOST}:{port}\r\nX-Slow: ".encode()
    start = time.monotonic()
    try:
        for i in range(count):
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect((HOST, port))
                s.sendall(prefix[:1])
                s.setblocking(False)
                sockets[i], opened_at[i] = s, time.monotonic()
                result["opened"] += 1
            except OSError:
                s.close()
                result["refused"] += 1
        sent = 1
        for _ in range(int(seconds) + 1):  # one byte a second on every open socket
            if time.monotonic() - start >= seconds:
                break
            time.sleep(1)
            byte = prefix[sent:sent + 1] or b"a"
            sent += 1
            for i, s in list(sockets.items()):
                try:
                    data = s.recv(4096)
                    # Anything or an end of file: the server answered (408/400) or closed.
                    result["answered" if data else "closed_by_server"] += 1
                    closed_after.append(time.monotonic() - opened_at[i])
                    s.close()
                    del sockets[i]
                    continue
                except BlockingIOError:
                    pass
                except OSError:
                    result["closed_by_server"] += 1
                    closed_after.append(time.monotonic() - opened_at[i])
                    s.close()
                    del sockets[i]
                    continue
                try:
                    s.send(byte)
                except BlockingIOError:
                    pass
                except OSError:
                    result["closed_by_server"] += 1
                    closed_after.append(time.monotonic() - opened_at[i])
                    s.close()
                    del sockets[i]
        result["open_at_end"] = len(sockets)
        if closed_after:
            result["median_seconds_to_close"] = round(statistics.median(closed_after), 1)
    finally:
        for s in sockets.values():
            s.close()


def slow_headers_case(server: Server, urls: dict, args) -> dict:
    window = args.slow_seconds
    slow: dict = {}
    thread = threading.Thread(target=_slow_headers, daemon=True,
                              args=(server.port, args.slow_sockets, window, slow))
    with MemorySampler(server) as sampler:
        thread.start()
        time.sleep(min(2.0, window / 4))  # the sockets are open before the pages are fetched
        pages = run_ab(urls["page"], args, max(1.0, window - 2))
        thread.join(window + args.slow_sockets * 2 + 10)
    out = median_of([pages], expected_non_2xx=False)
    out["peak_mb"] = sampler.peak_mb
    out["slow_sockets"] = {"requested": args.slow_sockets, "seconds": window, **slow}
    return out


def _large_bodies(base: str, count: int, megabytes: int, result: list) -> None:
    chunk = b"a" * 2**20

    def body():
        yield b"query=ASK%7B%7D&pad="
        for _ in range(megabytes):
            yield chunk

    for _ in range(count):
        record: dict = {"megabytes": megabytes}
        start = time.monotonic()
        try:
            with httpx.Client(timeout=httpx.Timeout(60)) as client:
                response = client.post(base + "sparql", content=body(), headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": JSON_RESULTS})
            record["status"] = response.status_code
        except httpx.HTTPError as exc:  # a server that answers 413 early may close the socket
            record["status"] = None
            record["error"] = type(exc).__name__
        record["seconds"] = round(time.monotonic() - start, 2)
        result.append(record)


def large_bodies_case(server: Server, urls: dict, args) -> dict:
    posts: list = []
    thread = threading.Thread(target=_large_bodies, daemon=True,
                              args=(server.base, args.bodies, args.body_mb, posts))
    with MemorySampler(server) as sampler:
        ab = start_ab(urls["page"], args, args.seconds)
        thread.start()
        pages = finish_ab(ab, args.seconds, args)
        thread.join(args.bodies * 65 + 5)
    out = median_of([pages], expected_non_2xx=False)
    out["peak_mb"] = sampler.peak_mb
    out["posts"] = posts
    out["refused"] = sum(1 for p in posts if p["status"] == 413 or p.get("error"))
    return out


# ------------------------------------------------------------------ report

def verdicts(cases: dict) -> list[dict]:
    rows = []
    for (case, key), (op, value, text) in TARGETS.items():
        if case not in cases:
            continue
        got = cases[case].get(key)
        met = None if got is None else {">=": lambda: got >= value, "<=": lambda: got <= value,
                                         "==": lambda: got == value}[op]()
        rows.append({"case": case, "figure": key, "value": got, "target": f"{op} {value}",
                     "what": text, "met": met})
    for case, figures in cases.items():
        got = figures.get("peak_mb")
        rows.append({"case": case, "figure": "peak_mb", "value": got,
                     "target": f"<= {MEMORY_TARGET_MB}", "what": "server memory <= 500 MB",
                     "met": None if got is None else got <= MEMORY_TARGET_MB})
    return rows


def _f(value, digits: int = 0) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,.{digits}f}" if isinstance(value, (int, float)) else str(value)


def client_text(report: dict) -> str:
    c = report["concurrency"]
    if report.get("client") == "wrk":
        return (f"wrk -t1 -c{c} (HTTP/1.1 keep-alive) for pages, ttl, 303 and sparql, "
                f"ab -k -c {c} for the pages fetched during the abuse cases")
    return f"ab -k -c {c}"


def render(report: dict) -> str:
    lines = [f"kg serve under load: {report['corpus']}, server options "
             f"{' '.join(report['server_options'])}; {client_text(report)}, "
             f"{report['seconds']} s a run, median of {report['runs']} run(s) for the first "
             "four cases", "figures on a shared machine are indicative"]
    if report["skipped_options"]:
        lines.append("not passed (kg serve does not list them): "
                     + " ".join(report["skipped_options"]))
    lines.append("")
    header = (f"{'case':14s} {'req/s':>8s} {'p50 ms':>7s} {'p99 ms':>7s} {'max ms':>7s} "
              f"{'requests':>9s} {'errors':>7s} {'non-2xx':>8s} {'peak MB':>8s}  notes")
    lines += [header, "-" * len(header)]
    for name, c in report["cases"].items():
        notes = []
        if "harness_error" in c:
            lines.append(f"{name:14s} HARNESS ERROR: {c['harness_error']}")
            continue
        if c.get("client") == "wrk":
            notes.append("wrk (HTTP/1.1), keep-alive " + ("yes" if c.get("keep_alive") else
                                                          "NO (the server closes connections)"))
        elif c.get("client") == "ab" or "client" not in c:
            notes.append("ab (HTTP/1.0), keep-alive "
                         + ("yes" if c.get("keep_alive_requests") else "no"
                            + (" (server closes HTTP/1.0 connections)"
                               if c.get("requests") else "")))
        if name == "303":
            notes.append("non-2xx expected (303)" if c.get("client") != "wrk"
                         else "303s expected (wrk does not count 3xx as non-2xx)")
        if c.get("error_detail"):
            notes.append("; ".join(str(d) for d in c["error_detail"][:2]))
        if name == "expensive":
            notes.append(f"queries: {c['outcomes']}, slowest {_f(c['slowest_query_seconds'], 1)}"
                         f" s vs limit {c['limit_seconds']:g} s")
        if name == "slow-headers":
            s = c["slow_sockets"]
            notes.append(f"{s.get('opened')} slow sockets opened ({s.get('refused')} refused), "
                         f"{s.get('closed_by_server')} closed and {s.get('answered')} answered "
                         f"by the server, {s.get('open_at_end')} still open after "
                         f"{s['seconds']:g} s"
                         + (f" (closed after {s['median_seconds_to_close']:g} s, median)"
                            if s.get("median_seconds_to_close") is not None else ""))
        if name == "large-bodies":
            notes.append("POSTs: " + ", ".join(
                f"{p['megabytes']} MB -> {p['status'] or p.get('error')} in {p['seconds']:g} s"
                for p in c["posts"]))
        if "sigterm_stop_seconds" in c:
            stop = c["sigterm_stop_seconds"]
            notes.append(f"stopped by SIGTERM in {stop:g} s" if stop is not None
                         else "did not stop on SIGTERM: killed")
        if c.get("guard_killed_at_mb"):
            notes.append(f"SERVER KILLED by the guard at {c['guard_killed_at_mb']:g} MB")
        ms = 1 if c.get("client") == "wrk" else 0  # wrk's latencies are finer than ab's
        lines.append(f"{name:14s} {_f(c.get('rps')):>8s} {_f(c.get('p50_ms'), ms):>7s} "
                     f"{_f(c.get('p99_ms'), ms):>7s} {_f(c.get('max_ms'), ms):>7s} "
                     f"{_f(c.get('requests')):>9s} {_f(c.get('errors')):>7s} "
                     f"{_f(c.get('non_2xx')):>8s} {_f(c.get('peak_mb')):>8s}  "
                     + "; ".join(notes))
    lost = [b for w in report.get("warmup", []) for b in w["bursts"] if b["not_answered"]]
    if lost:
        how = ", ".join(o for b in lost for o in b["outcomes"])
        lines += ["", f"warm-up: {len(lost)} burst(s) of {report['concurrency']} concurrent "
                  f"/sparql requests on a fresh server left requests unanswered within "
                  f"{report['ab_timeout']:g} s ({how})"]
    lines += ["", f"{'target':62s} {'measured':>10s}  met"]
    for v in report["targets"]:
        met = {True: "yes", False: "NO", None: "-"}[v["met"]]
        lines.append(f"{v['what'] + ' [' + v['case'] + ']':62s} {_f(v['value'], 1):>10s}  {met}")
    met = sum(1 for v in report["targets"] if v["met"])
    lines.append(f"{met} of {len(report['targets'])} targets met; "
                 f"total {report['total_seconds']} s")
    for server in report["servers"]:
        if server.get("sigterm_stop_seconds") is None and server.get("sigkilled"):
            lines.append(f"server on port {server['port']} did not stop on SIGTERM within "
                         f"{server['stop_timeout']:g} s: killed (SIGKILL to its session)")
    return "\n".join(lines)


# ------------------------------------------------------------------ main

def build_data(kg: str, args, tmp: Path) -> tuple[Path, str]:
    """`kg build` of the seed (kg.build(out=...)) or of a synthetic corpus, with the same kg
    that is served; the harness does not import kg."""
    out = tmp / "out"
    command = [kg, "build", "--out", str(out), "--quiet"]
    name = "the seed"
    if args.articles:
        import corpus

        corpus.make_corpus(tmp / "corpus", args.articles, args.seed)
        command.insert(2, str(tmp / "corpus"))
        name = f"synthetic corpus of {args.articles} articles"
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise HarnessError(f"kg build failed ({done.returncode}): {done.stderr[-1500:]}")
    with open(out / "graph.nt", "rb") as handle:
        triples = sum(1 for line in handle if line.strip())
    return out, f"{name} ({triples:,} triples)"


def run(args, tmp: Path) -> dict:
    started = time.monotonic()
    wanted_cases = args.cases or CASES
    if args.client == "ab" or set(wanted_cases) - {"pages", "ttl", "303", "sparql"}:
        ab_path()
    if args.client == "wrk":
        wrk_path()
    kg = args.kg or kg_command()
    available = serve_options(kg)
    wanted = [("--timeout", f"{args.server_timeout:g}"), ("--max-rows", str(args.max_rows))]
    for option in args.server_option:
        name, _, value = option.partition("=")
        wanted.append((name if name.startswith("--") else "--" + name, value))
    options, skipped = [], []
    for name, value in wanted:
        if name in available:
            options += [name] + ([value] if value else [])
        else:
            skipped.append(name)
    data, corpus_name = build_data(kg, args, tmp)
    report = {"corpus": corpus_name, "server_options": options, "skipped_options": skipped,
              "serve_options_available": sorted(available), "concurrency": args.concurrency,
              "ab_timeout": args.ab_timeout, "client": args.client,
              "abuse_cases_client": "ab",
              "seconds": args.seconds, "runs": args.runs, "quick": args.quick,
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load_average": list(os.getloadavg())},
              "cases": {}, "servers": [], "harness_errors": []}
    servers: list[Server] = []

    def fresh() -> Server:
        if servers:
            servers[-1].stop()
        server = Server(kg, data, options, args.kill_mb, tmp / f"server-{len(servers)}.log")
        server.stop_timeout = args.stop_timeout
        servers.append(server)
        server.start()
        return server

    try:
        server = fresh()
        urls = discover(server)
        report["urls"] = urls
        report["warmup"] = [warm(server, urls, args)]
        plain = {"pages": (urls["page"], [], False), "ttl": (urls["ttl"], [], False),
                 "303": (urls["iri"], ["Accept: text/turtle"], True),
                 "sparql": (urls["sparql"], [f"Accept: {JSON_RESULTS}"], False)}
        abuse = {"expensive": expensive_case, "slow-headers": slow_headers_case,
                 "large-bodies": large_bodies_case}
        for name in wanted_cases:
            print(f"... {name}", file=sys.stderr, flush=True)
            try:
                if name in plain:
                    if not server.alive():
                        server = fresh()
                        urls = discover(server)
                        report["warmup"].append(warm(server, urls, args))
                    url, headers, expected = plain[name]
                    report["cases"][name] = plain_case(server, url, args, headers, expected)
                else:
                    server = fresh()
                    urls = discover(server)
                    report["warmup"].append(warm(server, urls, args))
                    # Sampled until the server is stopped: work it was given goes on after
                    # the clients gave up, and so does its memory.
                    with MemorySampler(server) as sampler:
                        case = abuse[name](server, urls, args)
                        server.stop()
                    case["peak_mb_during_case"] = case["peak_mb"]
                    case["peak_mb"] = max(case["peak_mb"], sampler.peak_mb)
                    case["sigterm_stop_seconds"] = server.stop_seconds
                    report["cases"][name] = case
                if server.guard_killed_at_mb is not None:
                    report["cases"][name]["guard_killed_at_mb"] = server.guard_killed_at_mb
            except HarnessError:
                raise
            except Exception as exc:  # a bug here: recorded, the other cases go on
                message = f"{name}: {type(exc).__name__}: {exc}"
                report["cases"][name] = {"harness_error": message,
                                         "traceback": traceback.format_exc(limit=6)}
                report["harness_errors"].append(message)
    finally:
        for server in servers:
            server.stop()
        report["servers"] = [s.record() for s in servers]
    report["targets"] = verdicts({k: v for k, v in report["cases"].items()
                                  if "harness_error" not in v})
    report["total_seconds"] = round(time.monotonic() - started, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a short run (about 40 s): 1 run of 2 s a case, fewer sockets and "
                        "bodies, --server-timeout 2")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--articles", type=int, default=0,
                        help="serve a synthetic corpus of N articles instead of the seed")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (with --articles)")
    parser.add_argument("--kg", help="the kg command to build and serve with (default: the one "
                        "beside this Python)")
    parser.add_argument("--client", choices=["ab", "wrk"], default=default_client(),
                        help="load generator of pages, ttl, 303 and sparql (default: wrk when "
                        "the wrk command exists, else ab); the abuse cases always use ab")
    parser.add_argument("--runs", type=int, help="runs per plain case, median reported "
                        "(default 3)")
    parser.add_argument("--seconds", type=float, help="seconds per run (ab -t, wrk -d; "
                        "default 10)")
    parser.add_argument("--requests", type=int, default=200_000,
                        help="most requests per ab run (wrk has no such bound)")
    parser.add_argument("--concurrency", type=int, default=10,
                        help="ab -c, wrk -c (default 10)")
    parser.add_argument("--ab-timeout", type=float, default=10.0,
                        help="ab -s, wrk --timeout: seconds before the client gives up on a "
                        "response (default 10)")
    parser.add_argument("--server-timeout", type=float,
                        help="kg serve --timeout (default 5; --quick 2)")
    parser.add_argument("--max-rows", type=int, default=10_000, help="kg serve --max-rows")
    parser.add_argument("--server-option", action="append", default=[], metavar="NAME=VALUE",
                        help="another kg serve option, passed only when `kg serve --help` "
                        "lists it (repeatable; NAME alone for a flag)")
    parser.add_argument("--expensive", type=int, default=20, help="expensive queries at once")
    parser.add_argument("--grace", type=float,
                        help="seconds a client waits for an expensive query beyond its limit "
                        "(--timeout + 1 s) before giving up (default 4; --quick 2)")
    parser.add_argument("--slow-sockets", type=int, help="slow-header sockets (default 200; "
                        "--quick 50)")
    parser.add_argument("--slow-seconds", type=float, help="seconds the slow sockets are kept "
                        "(default 15; --quick 6)")
    parser.add_argument("--bodies", type=int, help="large POSTs (default 3; --quick 2)")
    parser.add_argument("--body-mb", type=int, default=50, help="megabytes per large POST")
    parser.add_argument("--stop-timeout", type=float, help="seconds a server has to stop on "
                        "SIGTERM before it is killed (default 10; --quick 5)")
    parser.add_argument("--kill-mb", type=float, default=3000.0,
                        help="kill the server when its memory passes this (0: never)")
    parser.add_argument("--case", dest="cases", action="append", choices=CASES,
                        help="run only this case (repeatable)")
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {"runs": 1 if quick else 3, "seconds": 2.0 if quick else 10.0,
                "server_timeout": 2.0 if quick else 5.0, "slow_sockets": 50 if quick else 200,
                "slow_seconds": 5.0 if quick else 15.0, "bodies": 2 if quick else 3,
                "stop_timeout": 5.0 if quick else 10.0, "grace": 2.0 if quick else 4.0}
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if (args.runs < 1 or args.seconds <= 0 or args.requests < 1 or args.concurrency < 1
            or not 0 < args.expensive <= 200 or not 0 <= args.slow_sockets <= 2000
            or not 0 <= args.bodies <= 20 or not 0 < args.body_mb <= 1024):
        parser.error("a count or duration is out of range")

    def interrupted(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started ignoring it
    try:
        with tempfile.TemporaryDirectory(prefix="kg-serve-load-") as tmp:
            report = run(args, Path(tmp))
    except HarnessError as exc:
        print(f"serve_load: {exc}", file=sys.stderr)
        if args.json:
            args.json.write_text(json.dumps({"harness_errors": [str(exc)]}, indent=2) + "\n")
        return 2
    except KeyboardInterrupt:
        print("serve_load: interrupted; the server was stopped", file=sys.stderr)
        return 130
    finally:
        for process in CHILDREN:
            if process.poll() is None:
                process.kill()
                process.wait()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(render(report))
    return 1 if report["harness_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
