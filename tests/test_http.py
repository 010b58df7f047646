"""The network client of `kg load` and `kg query --endpoint` (kg/http.py) against scripted hostile
servers on 127.0.0.1: every request ends by its deadline, TLS failures and redirects are named and
not retried, answers are bounded in size, and whatever comes back is read behind a clear error."""

from __future__ import annotations

import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg import http, sparql, store
from kg.cli import main
from kg.errors import QueryError, QueryTimeout
from kg.store import StoreError

from servers import drip, raw_server, reply, self_signed

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 1.5
SLACK = 1.0  # every failure must come within TIMEOUT + SLACK
RESULTS = {"Content-Type": "application/sparql-results+json"}
ASK_TRUE = b'{"head": {}, "boolean": true}'


@pytest.fixture(scope="module")
def dataset(built) -> Path:
    return built


def run(*args: str, env: dict | None = None):
    started = time.monotonic()
    result = CliRunner().invoke(main, list(args), env=env)
    return result, time.monotonic() - started


def load(dataset: Path, url: str, *args: str):
    return run("load", str(dataset), "--endpoint", url, *args)


def query(url: str, *args: str):
    return run("query", "timeline", "--endpoint", url, *args)


# ------------------------------------------------------------------ answers that never end

def silent(conn, request, stop):
    stop.wait(60)
    return False


def slow_status_line(conn, request, stop):
    drip(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", stop)
    return False


def slow_headers(conn, request, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    drip(conn, b"X-Slow: " + b"a" * 100 + b"\r\n\r\n", stop)
    return False


def slow_body(conn, request, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: 1000\r\n\r\n")
    drip(conn, b'{"head": {"vars": []}, "results": {"bindings": [' + b" " * 950, stop)
    return False


def endless_slow_chunks(conn, request, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n")
    for _ in range(200):
        if stop.wait(0.3):
            break
        conn.sendall(b"1\r\n \r\n")
    return False


DRIPPING = [silent, slow_status_line, slow_headers, slow_body, endless_slow_chunks]


@pytest.mark.parametrize("answer", DRIPPING, ids=lambda f: f.__name__)
def test_a_dripping_store_stops_kg_load_at_its_timeout(answer, dataset):
    with raw_server(answer) as server:
        result, seconds = load(dataset, server.base + "/store", "--timeout", str(TIMEOUT),
                               "--retries", "0")
    assert result.exit_code == 2, result.output
    assert f"no complete answer within {TIMEOUT:g} s at {server.base}/store" in result.stderr
    assert "Traceback" not in result.output
    assert seconds < TIMEOUT + SLACK, seconds
    assert len(server.requests) == 1


@pytest.mark.parametrize("answer", DRIPPING, ids=lambda f: f.__name__)
def test_a_dripping_endpoint_stops_kg_query_at_its_timeout(answer):
    with raw_server(answer) as server:
        result, seconds = query(server.base + "/sparql", "--timeout", str(TIMEOUT))
    assert result.exit_code == 3, result.output
    assert f"the endpoint {server.base}/sparql did not answer in full within {TIMEOUT:g} s" \
        in result.stderr
    assert seconds < TIMEOUT + SLACK, seconds


def test_retries_of_a_dripping_store_are_bounded_each_by_the_timeout(dataset):
    with raw_server(slow_body) as server:
        target = store.Target(server.base + "/store", timeout=1.0, retries=2)
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"no complete answer within 1 s .* after 3 "
                                             r"attempts"):
            store.load_files(dataset / "graph.trig", store.ontology_of(dataset),
                                "https://kg.example.org/graph/ontology", target,
                                sleep=lambda s: None)
        seconds = time.monotonic() - started
    assert len(server.requests) == 3
    assert seconds < 3 * 1.0 + SLACK, seconds


def test_a_slow_tls_handshake_is_stopped_at_the_timeout():
    def handshake_drip(conn, request, stop):
        conn.recv(65536)  # the ClientHello
        conn.sendall(b"\x16\x03\x03\x10\x00")  # a handshake record of 4 kB, sent a byte a second
        drip(conn, b"\x02" * 4096, stop)
        return False
    with raw_server(handshake_drip, read_request=False) as server:
        url = server.base.replace("http://", "https://") + "/sparql"
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="did not answer in full within 1.5 s"):
            sparql.run_endpoint(url, "ASK {}", {}, timeout=TIMEOUT)
    assert time.monotonic() - started < TIMEOUT + SLACK


def test_a_server_that_does_not_read_the_body_stops_the_send_at_the_timeout():
    # More than every socket buffer holds: the send blocks until the deadline.
    with raw_server(silent, read_request=False) as server:
        started = time.monotonic()
        with http.Client(TIMEOUT) as client, pytest.raises(http.Failure) as caught:
            client.request("PUT", server.base + "/store", content=b"x" * (64 * 2**20))
    assert caught.value.kind == "timeout" and caught.value.retry
    assert time.monotonic() - started < TIMEOUT + SLACK


def test_endless_headers_are_stopped_by_the_header_size_limit():
    def endless_headers(conn, request, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for _ in range(10_000):  # 10 MB at most
            if stop.is_set():
                break
            conn.sendall(b"X-Endless: " + b"a" * 1000 + b"\r\n")
        return False
    with raw_server(endless_headers) as server:
        result, seconds = query(server.base + "/sparql", "--timeout", "10")
    assert result.exit_code == 2
    assert f"cannot reach the endpoint {server.base}/sparql: {server.base}/sparql did not " \
        "answer in HTTP" in result.stderr
    assert seconds < 3


def test_a_slow_name_lookup_is_stopped_at_the_timeout(monkeypatch):
    real = socket.getaddrinfo

    def slow(host, *args, **kw):
        if host == "slow.invalid":
            time.sleep(4)
            raise socket.gaierror("too late")
        return real(host, *args, **kw)
    monkeypatch.setattr(socket, "getaddrinfo", slow)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="did not answer in full within 1 s"):
        sparql.run_endpoint("http://slow.invalid/sparql", "ASK {}", {}, timeout=1)
    assert time.monotonic() - started < 1 + SLACK


# ------------------------------------------------------------------ TLS

@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


def tls_context(certificate) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def ask_answer(conn, request, stop):
    reply(conn, 200, ASK_TRUE, RESULTS)


def test_a_self_signed_certificate_is_named_and_not_retried_by_kg_load(certificate, dataset):
    with raw_server(ask_answer, tls=tls_context(certificate)) as server:
        result, seconds = load(dataset, server.base + "/store", "--retries", "4")
    assert result.exit_code == 2, result.output
    assert ("the TLS certificate of 127.0.0.1 could not be verified: self-signed certificate"
            in result.stderr)
    assert "cannot connect" not in result.stderr and "attempts" not in result.stderr
    assert server.connections == 1 and server.requests == []
    assert seconds < 5


def test_a_self_signed_certificate_is_named_by_kg_query(certificate):
    with raw_server(ask_answer, tls=tls_context(certificate)) as server:
        result, _ = query(server.base + "/sparql")
    assert result.exit_code == 2, result.output
    assert ("kg: error: the TLS certificate of 127.0.0.1 could not be verified: self-signed "
            "certificate") in result.stderr
    assert server.connections == 1


def test_a_trusted_certificate_works_and_a_wrong_host_is_named(certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with raw_server(ask_answer, tls=tls_context(certificate)) as server:
        results = sparql.run_endpoint(server.base + "/sparql", "ASK {}", {}, timeout=5)
        assert results.boolean is True
        port = server.base.rsplit(":", 1)[1]
        with pytest.raises(QueryError, match="the TLS certificate of localhost could not be "
                                             "verified: Hostname mismatch"):
            sparql.run_endpoint(f"https://localhost:{port}/sparql", "ASK {}", {}, timeout=5)


def test_https_to_a_plain_http_server_is_a_named_tls_failure_not_retried(dataset):
    def plain(conn, request, stop):  # what a plain HTTP server answers to a ClientHello
        conn.recv(65536)
        reply(conn, 400, b"Bad request")
        return False
    with raw_server(plain, read_request=False) as server:
        url = server.base.replace("http://", "https://") + "/store"
        result, _ = load(dataset, url, "--retries", "3")
    assert result.exit_code == 2
    assert "the TLS handshake with 127.0.0.1 failed" in result.stderr
    assert server.connections == 1


# ------------------------------------------------------------------ redirects

@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_named_and_not_followed(status, dataset):
    def redirect(conn, request, stop):
        reply(conn, status, b"moved", {"Location": "/elsewhere?x=1"}, reason="Moved")
    with raw_server(redirect) as server:
        loaded, _ = load(dataset, server.base + "/store", "--retries", "4")
        queried, _ = query(server.base + "/sparql")
    for result, path in ((loaded, "/store"), (queried, "/sparql")):
        assert result.exit_code == 2, result.output
        assert (f"the endpoint {server.base}{path}" in result.stderr
                and f"redirects to {server.base}/elsewhere?x=1 ({status} Moved); give that URL"
                in result.stderr)
    assert [r["path"].split("?")[0] for r in server.requests] == ["/store", "/sparql"]


def test_a_redirect_never_shows_credentials(dataset):
    def redirect(conn, request, stop):
        reply(conn, 307, b"", {"Location": "http://user:hidden-pw@127.0.0.1:9/x"})
    with raw_server(redirect) as server:
        url = server.base.replace("http://", "http://loader:s3cret@") + "/store"
        result, _ = load(dataset, url)
    assert result.exit_code == 2
    assert "redirects to http://127.0.0.1:9/x" in result.stderr
    assert "s3cret" not in result.output and "hidden-pw" not in result.output


# ------------------------------------------------------------------ answers that cannot be read

GARBAGE = {
    "html-labelled-json": (RESULTS, b"<!doctype html><html><body>Login</body></html>"),
    "truncated-json": (RESULTS, b'{"head": {"vars": ["a"]}, "results": {"bindings": [{"a": {"ty'),
    "json-not-results": (RESULTS, b'{"status": "ok", "rows": 3}'),
    "json-array": ({"Content-Type": "application/json"}, b"[1, 2, 3]"),
    "xml-garbage": ({"Content-Type": "application/sparql-results+xml"}, b"<html><p>oops"),
    "turtle-garbage": ({"Content-Type": "text/turtle"}, b"@prefix x <y> garbage ."),
    "not-utf8": (RESULTS, b"\xff\xfe\x00garbage"),
    "escape-codes": (RESULTS, b"\x1b[2J\x1b]0;owned\x07"),
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_an_unreadable_answer_is_a_clear_error_from_kg_query(name):
    headers, body = GARBAGE[name]

    def answer(conn, request, stop):
        reply(conn, 200, body, headers)
    with raw_server(answer) as server:
        result, _ = query(server.base + "/sparql")
    assert result.exit_code == 2, result.output
    media = headers["Content-Type"]
    assert result.stderr.startswith(f"kg: error: the endpoint {server.base}/sparql answered 200 "
                                    f"X ({media}) that cannot be read: "), result.stderr
    assert "Traceback" not in result.output and "\x1b" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("headers,body,expected", [
    ({"Content-Type": "text/html"}, b"<p>hi</p>", "unexpected media type 'text/html'"),
    ({}, b"", "unexpected media type ''"),
    ({"Content-Type": "text/plain\x1b[31m"}, b"x", "unexpected media type 'text/plain [31m'"),
])
def test_an_answer_of_an_unexpected_media_type_is_named(headers, body, expected):
    def answer(conn, request, stop):
        reply(conn, 200, body, headers)
    with raw_server(answer) as server:
        result, _ = query(server.base + "/sparql")
    assert result.exit_code == 2
    assert f"the endpoint {server.base}/sparql answered 200 with an {expected}" in result.stderr


@pytest.mark.parametrize("name", ["html-labelled-json", "truncated-json", "json-not-results",
                                  "wrong-bindings", "not-a-number", "html"])
def test_an_unreadable_count_is_a_clear_error_from_kg_load_verify(name, dataset):
    headers, body = {
        "wrong-bindings": (RESULTS, b'{"head": {"vars": ["x"]}, "results": {"bindings": '
                                    b'[{"x": {"type": "literal", "value": "1"}}]}}'),
        "not-a-number": (RESULTS, b'{"head": {"vars": ["g", "n"]}, "results": {"bindings": '
                                  b'[{"g": {"type": "uri", "value": "http://g"}, '
                                  b'"n": {"type": "literal", "value": "many"}}]}}'),
        "html": ({"Content-Type": "text/html"}, b"<html>"),
    }.get(name) or GARBAGE[name]

    def answer(conn, request, stop):
        if request["path"].startswith("/store"):
            reply(conn, 204)
        else:
            reply(conn, 200, body, headers)
    with raw_server(answer) as server:
        result, _ = load(dataset, server.base + "/store", "--verify")
    assert result.exit_code == 2, result.output
    assert f"counting triples: the query endpoint {server.base}/query answered 200 X" \
        in result.stderr
    assert "Traceback" not in result.output


def test_an_error_answer_shows_the_servers_words_cleaned_and_cut(dataset):
    def answer(conn, request, stop):
        reply(conn, 400, b"\x1b[2Jbad\r\nrequest " + b"x" * 100_000, {"Content-Type": "text/plain"})
    with raw_server(answer) as server:
        loaded, _ = load(dataset, server.base + "/store")
        queried, _ = query(server.base + "/sparql")
    assert "the store answered 400 X: [2Jbad request xxx" in loaded.stderr
    assert f"the endpoint {server.base}/sparql answered 400: [2Jbad request xx" in queried.stderr
    for result in (loaded, queried):
        assert result.exit_code == 2 and "\x1b" not in result.stderr
        assert len(result.stderr) < 1200


# ------------------------------------------------------------------ sizes

def endless_fast_chunks(conn, request, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n")
    piece = b"%x\r\n" % 65536 + b" " * 65536 + b"\r\n"
    for _ in range(20_000):  # 1.3 GB at most, if nothing stopped the client
        if stop.is_set():
            break
        conn.sendall(piece)
    return False


def test_an_endless_answer_is_stopped_at_the_size_limit():
    with raw_server(endless_fast_chunks) as server:
        started = time.monotonic()
        with pytest.raises(QueryError, match=r"the answer from http://127.0.0.1:\d+/sparql is "
                                             r"larger than the limit of 1 MB; stopped there"):
            sparql.run_endpoint(server.base + "/sparql", "ASK {}", {}, timeout=30,
                                max_response=2**20)
    assert time.monotonic() - started < 5


def test_a_declared_oversized_answer_is_refused_before_it_is_read():
    def huge(conn, request, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                     b"Content-Length: 10737418240\r\n\r\n")
        stop.wait(30)
        return False
    with raw_server(huge) as server, pytest.raises(QueryError, match=r"is 1\.02e\+04 MB, larger "
                                                                      r"than the limit of 100 MB"):
        sparql.run_endpoint(server.base + "/sparql", "ASK {}", {}, timeout=10)


def test_a_store_answer_is_small(dataset):
    def big(conn, request, stop):
        reply(conn, 200, b" " * (9 * 2**20), {"Content-Type": "text/plain"})
    with raw_server(big) as server:
        result, seconds = load(dataset, server.base + "/store")
    assert result.exit_code == 2
    assert "is 9 MB, larger than the limit of 8 MB" in result.stderr
    assert len(server.requests) == 1


def test_an_endless_error_answer_is_read_only_as_far_as_its_message():
    def endless_error(conn, request, stop):
        conn.sendall(b"HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n")
        piece = b"%x\r\n" % 65536 + b"e" * 65536 + b"\r\n"
        for _ in range(20_000):
            if stop.is_set():
                break
            conn.sendall(piece)
        return False
    with raw_server(endless_error) as server, http.Client(30, 2**20) as client:
        started = time.monotonic()
        answer = client.request("GET", server.base + "/x")
    assert answer.status == 503 and len(answer.body) == http.ERROR_BODY
    assert time.monotonic() - started < 5


# ------------------------------------------------------------------ the rest of the client

def test_a_url_kg_cannot_send_to_is_named_and_not_retried(dataset):
    result, _ = load(dataset, "ftp://127.0.0.1/store", "--retries", "4")
    assert result.exit_code == 2 and "not an http or https URL" in result.stderr
    assert "attempts" not in result.stderr


def test_messages_never_show_a_password_in_the_url():
    assert http.shown("http://u:pw@127.0.0.1:9/s?q=1") == "http://127.0.0.1:9/s?q=1"
    from servers import free_port

    url = f"http://u:s3cret@127.0.0.1:{free_port()}/sparql"
    with pytest.raises(QueryError) as caught:
        sparql.run_endpoint(url, "ASK {}", {}, timeout=2)
    assert "cannot reach the endpoint http://127.0.0.1:" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_the_connection_is_kept_alive_between_requests():
    with raw_server(ask_answer) as server, http.Client(5) as client:
        for _ in range(3):
            assert client.request("GET", server.base + "/q").body == ASK_TRUE
    assert server.connections == 1 and len(server.requests) == 3


# ------------------------------------------------------------------ the temporary folder

def test_the_temporary_folder_is_removed_on_keyboard_interrupt(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    def interrupt(sent):
        assert list(tmp_path.glob("kg-load-*"))
        raise KeyboardInterrupt
    with raw_server(lambda conn, request, stop: reply(conn, 204)) as server, \
            pytest.raises(KeyboardInterrupt):
        kg.load(dataset, server.base + "/store", progress=interrupt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_temporary_folder_is_removed_when_kg_load_is_stopped(sig, dataset, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    with raw_server(silent) as server:
        process = subprocess.Popen(
            [sys.executable, "-c", "from kg.cli import main; main()", "load", str(dataset),
             "--endpoint", server.base + "/store", "--timeout", "60"],
            env={"TMPDIR": str(temp), "PATH": "/usr/bin:/bin"}, cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while not server.requests and time.monotonic() < deadline:
                time.sleep(0.05)
            assert server.requests, "kg load sent nothing"
            assert list(temp.glob("kg-load-*"))
            process.send_signal(sig)
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode != 0
    assert list(temp.iterdir()) == []
