"""benchmarks/serve_load.py runs end to end (--quick): every case measured, no harness error,
and no server process left behind. The figures are not checked against their targets here: the
machine running the tests is shared, and the benchmark prints whether each target is met.

The quick run uses the default client (wrk when it is installed, else ab); ab is needed either
way (the abuse cases fetch pages with it). wrk is optional: its checks are skipped without it."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from servers import require

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "serve_load.py"
CASES = ["pages", "ttl", "303", "sparql", "expensive", "slow-headers", "large-bodies"]
PLAIN = ["pages", "ttl", "303", "sparql"]


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _alive_server(pid: int) -> bool:
    """A process that exists, is not a zombie and is a `kg serve` (not a reused pid)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                return False
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"serve" in handle.read()
    except (OSError, IndexError):
        return False


def test_quick_load_run_measures_every_case_and_stops_the_server(tmp_path):
    require("ab", "ApacheBench, Debian package apache2-utils")  # fails under CI=true
    report_path = tmp_path / "load.json"
    done = subprocess.run([sys.executable, str(BENCHMARK), "--quick", "--json", str(report_path)],
                          capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-3000:])
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["harness_errors"] == []
    assert list(report["cases"]) == CASES
    client = "wrk" if shutil.which("wrk") else "ab"
    assert report["client"] == client
    for name in PLAIN:
        assert report["cases"][name]["client"] == client
        assert isinstance(report["cases"][name]["keep_alive"], bool)
    for name, case in report["cases"].items():
        assert "harness_error" not in case, (name, case)
        for key in ("rps", "p50_ms", "p99_ms", "peak_mb", "errors", "requests"):
            assert _number(case.get(key)), (name, key, case.get(key), case.get("error_detail"))
        assert case["requests"] > 0 and case["peak_mb"] > 0, (name, case)
    # The 303s are counted as expected, not as errors (wrk does not count 3xx as non-2xx).
    if client == "ab":
        assert report["cases"]["303"]["non_2xx"] > 0
    assert report["cases"]["303"]["errors"] == 0, report["cases"]["303"]
    expensive = report["cases"]["expensive"]
    assert len(expensive["queries"]) == 20
    for query in expensive["queries"]:
        assert query["outcome"] and isinstance(query["in_time"], bool), query
        assert _number(query["seconds"]), query
    assert isinstance(expensive["answered_in_time"], bool)
    assert report["cases"]["slow-headers"]["slow_sockets"]["opened"] > 0
    assert len(report["cases"]["large-bodies"]["posts"]) >= 1
    # Each target is reported with a verdict (met or not) next to its figure.
    assert {(t["case"], t["figure"]) for t in report["targets"]} >= {
        ("pages", "rps"), ("pages", "p99_ms"), ("sparql", "rps"), ("expensive", "p99_ms"),
        ("expensive", "answered_in_time"), *((c, "peak_mb") for c in CASES)}
    assert all(isinstance(t["met"], bool) for t in report["targets"]), report["targets"]
    # The table is printed, and every server process is gone.
    assert "pages" in done.stdout and "targets met" in done.stdout
    assert f"{client} (HTTP/1." in done.stdout
    pids = {pid for server in report["servers"] for pid in server["pids"]}
    assert pids and report["servers"]
    assert not [pid for pid in pids if _alive_server(pid)], "server processes left running"


def test_parse_wrk_reads_every_figure_in_milliseconds():
    sys.path.insert(0, str(BENCHMARK.parent))
    import serve_load

    text = """Running 2s test @ http://127.0.0.1:1/id/x.html
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.15ms  705.91us   1.10s   89.68%
    Req/Sec     1.72k   221.80     2.14k    63.64%
  Latency Distribution
     50%  801.00us
     75%    1.31ms
     90%    1.71ms
     99%    4.35ms
  1877 requests in 2.00s, 0.93MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   1707.43
Transfer/sec:    867.22KB
"""
    got = serve_load.parse_wrk(text)
    assert got["rps"] == 1707.43 and got["complete"] == 1877 and got["seconds"] == 2.0
    assert (got["p50_ms"], got["p99_ms"], got["max_ms"]) == (0.801, 4.35, 1100.0)
    assert got["failed"] == 5 and got["non_2xx"] == 7
    clean = serve_load.parse_wrk(text.replace("  Socket errors: connect 0, read 2, write 0, "
                                              "timeout 3\n", "").replace(
        "  Non-2xx or 3xx responses: 7\n", ""))
    assert clean["failed"] == 0 and clean["non_2xx"] == 0 and clean["failed_detail"] is None


def test_quick_wrk_run_uses_keep_alive(tmp_path):
    if not shutil.which("wrk"):
        pytest.skip("wrk is not installed (optional: apt-get install -y wrk)")
    report_path = tmp_path / "load.json"
    done = subprocess.run([sys.executable, str(BENCHMARK), "--quick", "--client", "wrk",
                           "--case", "pages", "--case", "sparql", "--json", str(report_path)],
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-3000:])
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["client"] == "wrk" and list(report["cases"]) == ["pages", "sparql"]
    for name, case in report["cases"].items():
        assert case["client"] == "wrk" and case["keep_alive"] is True, (name, case)
        assert case["requests"] > 0 and case["errors"] == 0, (name, case)
        assert _number(case["p50_ms"]) and _number(case["p99_ms"]), (name, case)
    assert "wrk (HTTP/1.1), keep-alive yes" in done.stdout


def test_quick_ab_run_of_the_plain_cases(tmp_path):
    """--client ab still measures the plain cases (the 303s counted as expected non-2xx)."""
    require("ab", "ApacheBench, Debian package apache2-utils")  # fails under CI=true
    report_path = tmp_path / "load.json"
    done = subprocess.run([sys.executable, str(BENCHMARK), "--quick", "--client", "ab",
                           "--case", "pages", "--case", "303", "--json", str(report_path)],
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-3000:])
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["client"] == "ab" and list(report["cases"]) == ["pages", "303"]
    for name, case in report["cases"].items():
        assert case["client"] == "ab" and isinstance(case["keep_alive"], bool), (name, case)
        assert case["requests"] > 0 and _number(case["p99_ms"]), (name, case)
    assert report["cases"]["303"]["non_2xx"] > 0 and report["cases"]["303"]["errors"] == 0
    assert "ab (HTTP/1.0), keep-alive" in done.stdout
