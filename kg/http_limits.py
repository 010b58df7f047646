"""What one HTTP request may cost `kg serve`, bounded before the application sees it.

uvicorn's h11 protocol bounds a request's line and headers in bytes (h11's buffer) but not in
time: a client that sends half a request line holds its connection for ever (uvicorn's
keep-alive timeout starts only after a response). BoundedH11 adds a header timeout, answers
an oversized head with 414, and past the connection cap closes the oldest connection that is
not being answered (or the new one, when every one is). Bounded, the ASGI
wrapper, gives every request its deadline (scope["kg.deadline"]), refuses long query strings
with 414, and cuts a response still being sent when the deadline has passed.
"""

from __future__ import annotations

import time

import anyio
import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_HEAD = 64 * 1024  # the request line and headers, in bytes (h11's receive buffer)
MAX_QUERY_STRING = 32 * 1024  # a GET query; longer ones go in a POST body
HEADER_TIMEOUT = 5.0  # seconds to send a request's head, and to keep an idle connection
TRANSFER_GRACE = 0.5  # seconds past the deadline for the last bytes of an answer
# What every answer made here carries: a browser on another origin reads the error too.
TEXT = [(b"content-type", b"text/plain; charset=utf-8"), (b"access-control-allow-origin", b"*"),
        (b"x-content-type-options", b"nosniff")]


class TooLarge(Exception):
    """A request body past its bound: answered 413."""


def protocol(max_connections: int, timeout: float,
             header_timeout: float = HEADER_TIMEOUT) -> type:
    """The HTTP protocol class for uvicorn, with these bounds (timeout: a request's)."""
    return type("BoundedH11", (BoundedH11,), {"max_connections": max_connections,
                                              "timeout": timeout,
                                              "header_timeout": header_timeout})


class BoundedH11(H11Protocol):
    """uvicorn's h11 protocol with a connection cap, a header timeout and 414 for long heads."""

    max_connections = 512
    timeout = 10.0
    header_timeout = HEADER_TIMEOUT
    _timer = None
    _since = _started = 0.0

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._since = self.loop.time()
        if len(self.connections) > self.max_connections:
            # Past the cap, the oldest connection that is not being answered (idle, or still
            # sending its head) makes room; with none, this one is refused at once.
            idle = [c for c in self.connections if c is not self and c._waiting()]
            oldest = min(idle, key=lambda c: c._since, default=None)
            if oldest is None:
                transport.abort()
                return
            oldest.transport.abort()
        self._arm()

    def _waiting(self) -> bool:
        """Whether no request of this connection is being answered."""
        return (isinstance(self, BoundedH11) and not self.transport.is_closing()
                and (self.cycle is None or self.cycle.response_complete))

    def connection_lost(self, exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:
            self._started = self.loop.time()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            # An answer still in the send buffer must be taken by the request's deadline.
            left = self._started + self.timeout + TRANSFER_GRACE - self.loop.time()
            buffered = self.transport.get_write_buffer_size() > 0
            self._arm(min(self.header_timeout, max(0.05, left)) if buffered else None)

    def _arm(self, delay: float | None = None) -> None:
        self._since = self.loop.time()
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.loop.call_later(delay or self.header_timeout, self._expired)

    def _expired(self) -> None:
        self._timer = None
        if not self._waiting():
            return  # a request is being answered: its deadline bounds it
        if self.transport.get_write_buffer_size() > 0:
            self.transport.abort()  # a client that does not read its answer: dropped
        elif self.loop.time() - self._since < self.header_timeout - 0.01:
            self._arm(self.header_timeout - (self.loop.time() - self._since))
        else:
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        if len(self.conn.trailing_data[0]) <= MAX_HEAD:
            super().send_400_response(msg)
            return
        body = (f"414 URI Too Long: the request line and headers may hold at most "
                f"{MAX_HEAD // 1024} kB; send a long query as a POST body\n").encode()
        for event in (h11.Response(status_code=414, reason=b"URI Too Long",
                                   headers=[*TEXT, (b"connection", b"close")]),
                      h11.Data(data=body), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()


async def plain(send, status: int, text: str, headers: list | None = None) -> None:
    """Send a short text/plain answer."""
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [*TEXT, (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class Bounded:
    """ASGI wrapper: the request's deadline, 414 for long query strings, and no answer sent
    past the deadline (plus a grace for the transfer)."""

    def __init__(self, app, timeout: float):
        self.app, self.timeout = app, timeout

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
            await plain(send, 414, f"414 URI Too Long: a query string may hold at most "
                        f"{MAX_QUERY_STRING // 1024} kB; send a long query as a POST body\n",
                        [(b"connection", b"close")])
            return
        scope["kg.deadline"] = time.monotonic() + self.timeout
        started = False

        async def tracked(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        with anyio.move_on_after(self.timeout + TRANSFER_GRACE) as bound:
            await self.app(scope, receive, tracked)
        if bound.cancelled_caught and not started:
            await plain(send, 503, f"503 Service Unavailable: the request ran past the time "
                        f"limit of {self.timeout:g} s\n",
                        [(b"retry-after", str(max(1, round(self.timeout))).encode())])


async def read_body(request, limit: int) -> bytes:
    """The request's body, read in chunks and given up past `limit` bytes (TooLarge)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.strip().isdigit() or int(declared) > limit):
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)
