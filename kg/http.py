"""The HTTP client of `kg load` and `kg query --endpoint`: every request bounded in time and size,
every failure named.

A request has one deadline, `timeout` seconds from its start, that covers connecting, the TLS
handshake, sending the body, waiting for the headers and reading the body: each socket operation
waits at most until the deadline, so an endpoint that drips a byte a second is stopped at it.
The body is streamed and stopped at a size limit. Redirects are refused and named (a POST or PUT
with credentials is not sent on to another URL); a TLS certificate that cannot be verified is
named and not worth a retry.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx

from kg.errors import KgError

DEFAULT_MAX_RESPONSE = 100 * 2**20  # query results
STORE_MAX_RESPONSE = 8 * 2**20  # what a store answers to a load or a count
ERROR_BODY = 64 * 2**10  # what is read of an error answer: its message is cut shorter anyway
_PIECE = 64 * 2**10  # a write waits at most until the deadline for each piece of this size


class Failure(KgError):
    """No usable answer to a request. kind is "timeout", "connect", "protocol", "tls",
    "redirect", "size", "decoding" or "url"; retry says whether another attempt may help."""

    def __init__(self, message: str, kind: str, *, retry: bool = False):
        super().__init__(message)
        self.kind = kind
        self.retry = retry


@dataclass
class Answer:
    """An answer that came in full: its status, media type (lower case, without parameters)
    and body; url is the request's, without credentials."""

    url: str
    status: int
    reason: str
    media: str
    headers: httpx.Headers
    body: bytes

    def words(self, limit: int = 800) -> str:
        """The server's own message, on one line, without control characters, cut at limit."""
        return clean(self.body.decode("utf-8", errors="replace"), limit) or self.reason

    def described(self) -> str:
        """'answered 200 OK (text/html)': what came, for messages about an unreadable body."""
        media = self.media or "no media type"
        return f"answered {self.status} {self.reason} ({media})".replace("  ", " ")


def shown(url: str) -> str:
    """The URL as messages give it: without a user name or password.

    >>> shown("https://loader:s3cret@store.example/data?graph=x")
    'https://store.example/data?graph=x'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "the endpoint"
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def clean(text: str, limit: int = 800) -> str:
    """Text from a server as messages give it: one line, no control characters, cut at limit.

    >>> clean("bad\\x1b[2J\\n  request")
    'bad [2J request'
    """
    text = "".join(c if c.isprintable() else " " for c in text[: limit * 4])
    return " ".join(text.split())[:limit]


def size(n: int) -> str:
    """A byte count as messages give it: '100 MB', '64 kB', '512 bytes'."""
    for unit, scale in (("MB", 2**20), ("kB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


class _Clock:
    """The deadline of the request under way, shared by the connections of one client."""

    def __init__(self) -> None:
        self.deadline: float | None = None

    def left(self, timeout: float | None, error: type[Exception]) -> float | None:
        """How long the next socket operation may wait: until the deadline at most."""
        if self.deadline is None:
            return timeout
        rest = self.deadline - time.monotonic()
        if rest <= 0:
            raise error("the request's deadline passed")
        return rest if timeout is None else min(timeout, rest)


class _Stream(httpcore.NetworkStream):
    """A connection whose reads, writes and TLS handshake end at the clock's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, clock: _Clock):
        self.stream, self.clock = stream, clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self.clock.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        sock = self.stream.get_extra_info("socket")
        if sock is None:
            self.stream.write(buffer, self.clock.left(timeout, httpcore.WriteTimeout))
            return
        # One send per piece, each waiting until the deadline at most: a server that reads a
        # byte a second cannot hold a large body's send for longer.
        view = memoryview(buffer)
        while view:
            try:
                sock.settimeout(self.clock.left(timeout, httpcore.WriteTimeout))
                sent = sock.send(view[:_PIECE])
            except TimeoutError as exc:
                raise httpcore.WriteTimeout(str(exc)) from exc
            except OSError as exc:
                raise httpcore.WriteError(str(exc)) from exc
            view = view[sent:]

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        wait = self.clock.left(timeout, httpcore.ConnectTimeout)
        sock = self.stream.get_extra_info("socket")
        # The handshake reads many times; a timer shuts the socket at the deadline.
        timer = threading.Timer(wait or 0, _shut, (sock.fileno(),)) if sock and wait else None
        if timer:
            timer.daemon = True
            timer.start()
        try:
            stream = self.stream.start_tls(ssl_context, server_hostname, wait)
        except httpcore.ConnectError:
            if self.clock.deadline is not None and time.monotonic() >= self.clock.deadline:
                raise httpcore.ConnectTimeout("the request's deadline passed") from None
            raise
        finally:
            if timer:
                timer.cancel()
        return _Stream(stream, self.clock)

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


def _shut(fileno: int) -> None:
    try:
        with socket.fromfd(fileno, socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: the handshake ended


def _resolve(host: str, port: int, wait: float | None) -> list[str]:
    """The addresses of host, looked up in a thread so that a slow resolver keeps the deadline
    (the lookup itself cannot be stopped; it ends on its own, in the background)."""
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    found: list = []

    def lookup() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            found.append(exc)
    thread = threading.Thread(target=lookup, daemon=True)
    thread.start()
    thread.join(wait)
    if not found:
        raise httpcore.ConnectTimeout(f"looking up {host} took longer than the deadline")
    if isinstance(found[0], OSError):
        raise httpcore.ConnectError(str(found[0]))
    return list(dict.fromkeys(info[4][0] for info in found[0]))


class _Backend(httpcore.NetworkBackend):
    def __init__(self, clock: _Clock):
        self.clock, self.inner = clock, httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options=None):
        addresses = _resolve(host, port, self.clock.left(timeout, httpcore.ConnectTimeout))
        for i, address in enumerate(addresses):
            try:
                stream = self.inner.connect_tcp(
                    address, port, self.clock.left(timeout, httpcore.ConnectTimeout),
                    local_address, socket_options)
                return _Stream(stream, self.clock)
            except httpcore.ConnectError:
                if i == len(addresses) - 1:
                    raise
        raise httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        raise httpcore.UnsupportedProtocol("kg connects over TCP only")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _Body(httpx.SyncByteStream):
    def __init__(self, stream):
        self.stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self.stream

    def close(self) -> None:
        if hasattr(self.stream, "close"):
            self.stream.close()


class _Transport(httpx.BaseTransport):
    """httpx over an httpcore pool whose connections keep the clock's deadline."""

    def __init__(self, clock: _Clock):
        self.pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),
                                            network_backend=_Backend(clock), max_connections=4)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                           port=request.url.port, target=request.url.raw_path)
        answer = self.pool.handle_request(httpcore.Request(
            method=request.method, url=url, headers=request.headers.raw, content=request.stream,
            extensions=request.extensions))
        return httpx.Response(status_code=answer.status, headers=answer.headers,
                              stream=_Body(answer.stream), extensions=answer.extensions)

    def close(self) -> None:
        self.pool.close()


class Client:
    """One HTTP session: requests bounded by timeout seconds each (connect to last byte) and
    answers by max_bytes; redirects, TLS failures and oversized answers raise Failure."""

    def __init__(self, timeout: float, max_bytes: int = DEFAULT_MAX_RESPONSE, *, auth=None,
                 headers: dict[str, str] | None = None):
        self.timeout, self.max_bytes = timeout, max_bytes
        self.clock = _Clock()
        # No proxies from the environment: a proxy's connections would not keep the deadline.
        self.http = httpx.Client(transport=_Transport(self.clock), timeout=timeout, auth=auth,
                                 headers=headers, follow_redirects=False, trust_env=False)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, url: str, *, params=None, content=None, data=None,
                headers: dict[str, str] | None = None) -> Answer:
        """The answer in full, whatever its status but a redirect, within the deadline."""
        where = shown(url)
        self.clock.deadline = time.monotonic() + self.timeout
        try:
            with self.http.stream(method, url, params=params, content=content, data=data,
                                  headers=headers) as response:
                return self._read(response, url, where)
        except (httpx.TimeoutException, httpcore.TimeoutException):
            raise Failure(f"no complete answer within {self.timeout:g} s at {where}", "timeout",
                          retry=True) from None
        except (httpx.UnsupportedProtocol, httpcore.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise Failure(f"{where} is not an http or https URL kg can send to ({exc})",
                          "url") from None
        except (httpx.LocalProtocolError, httpcore.LocalProtocolError) as exc:
            raise Failure(f"the request to {where} cannot be sent: {exc}", "url") from None
        except httpx.DecodingError as exc:
            raise Failure(f"the answer from {where} cannot be decoded: {exc}",
                          "decoding") from None
        except (httpx.TransportError, httpcore.NetworkError, httpcore.ProtocolError) as exc:
            raise _transport_failure(exc, url, where) from None
        finally:
            self.clock.deadline = None

    def _read(self, response: httpx.Response, url: str, where: str) -> Answer:
        status = response.status_code
        if 300 <= status < 400:
            location = response.headers.get("location")
            if location:
                raise Failure(f"the endpoint {where} redirects to {shown(urljoin(url, location))}"
                              f" ({status} {response.reason_phrase}); give that URL", "redirect")
            raise Failure(f"the endpoint {where} answered {status} {response.reason_phrase}, "
                          "a redirect without a Location", "redirect")
        limit = self.max_bytes if status < 300 else ERROR_BODY
        declared = response.headers.get("content-length", "")
        if status < 300 and declared.isdigit() and int(declared) > limit:
            raise Failure(f"the answer from {where} is {size(int(declared))}, larger than the "
                          f"limit of {size(limit)}", "size")
        chunks, total = [], 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limit:
                if status >= 300:  # an error's message: its beginning is enough
                    chunks.append(chunk[: len(chunk) - (total - limit)])
                    break
                raise Failure(f"the answer from {where} is larger than the limit of "
                              f"{size(limit)}; stopped there", "size")
            chunks.append(chunk)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return Answer(where, status, response.reason_phrase, media, response.headers,
                      b"".join(chunks))


def _transport_failure(exc: Exception, url: str, where: str) -> Failure:
    """A connection that failed: a TLS failure named (and not retried), else 'cannot connect'."""
    cause: BaseException | None = exc
    seen = 0
    while cause is not None and seen < 20:
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = cause.verify_message or cause.reason or str(cause)
            return Failure(f"the TLS certificate of {_host(url)} could not be verified: {detail}",
                           "tls")
        if isinstance(cause, ssl.SSLError):
            return Failure(f"the TLS handshake with {_host(url)} failed: "
                           f"{cause.reason or cause}", "tls")
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    if isinstance(exc, (httpx.RemoteProtocolError, httpcore.RemoteProtocolError)):
        return Failure(f"{where} did not answer in HTTP ({exc})", "protocol", retry=True)
    detail = str(exc) or type(exc).__name__
    return Failure(f"cannot connect to {where} ({detail})", "connect", retry=True)


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return shown(url)
