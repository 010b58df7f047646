"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for the tests: it replays a
queue of answers (good ones, fenced ones, refusals of response_format, 429s, slow ones, broken
ones) and records every request it gets; and the example sheets it serves."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml


@dataclass
class Reply:
    """One scripted answer: status, headers, body (bytes, or a dict sent as JSON), and a delay
    before it is sent."""

    status: int = 200
    body: bytes | dict = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: dict | None


def completion(content: str, *, finish_reason: str = "stop", model: str = "qwen2.5:7b") -> Reply:
    """A chat.completion as vLLM, Ollama and llama.cpp write it."""
    return Reply(200, {
        "id": "chatcmpl-9d3f2a61b7c04e1b",
        "object": "chat.completion",
        "created": 1760428800,
        "model": model,
        "system_fingerprint": "fp_ollama",
        "choices": [{"index": 0,
                     "message": {"role": "assistant", "content": content},
                     "logprobs": None,
                     "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 2961, "completion_tokens": 1874, "total_tokens": 4835},
    })


def sheet_answer(sheet: dict, *, fenced: bool = False, **kw) -> Reply:
    """A completion whose content is the sheet as JSON (in ```json fences, as many models
    write it unasked)."""
    content = json.dumps(sheet, ensure_ascii=False, indent=2)
    if fenced:
        content = f"Here is the fact sheet:\n\n```json\n{content}\n```\n"
    return completion(content, **kw)


def error(status: int, message: str, *, param: str | None = None,
          kind: str = "invalid_request_error", headers: dict | None = None) -> Reply:
    """An error as OpenAI and vLLM write it: {"error": {"message", "type", "param", "code"}}."""
    return Reply(status, {"error": {"message": message, "type": kind, "param": param,
                                    "code": None}}, headers or {})


def schema_refused() -> Reply:
    """vLLM without a guided-decoding backend for this schema."""
    return error(400, "Invalid value for 'response_format': json_schema is not supported "
                      "with this model or server.", param="response_format")


def json_mode_refused() -> Reply:
    return error(400, "response_format of type 'json_object' is not supported by this server",
                 param="response_format")


def too_many(retry_after: str | None = "0") -> Reply:
    return error(429, "Rate limit reached for requests", kind="rate_limit_exceeded",
                 headers={"Retry-After": retry_after} if retry_after is not None else {})


def slow(seconds: float) -> Reply:
    """An answer that comes after seconds (longer than the client waits)."""
    reply = completion("{}")
    reply.delay = seconds
    return reply


def server_error() -> Reply:
    return Reply(500, {"error": {"message": "CUDA error: out of memory", "type": "server_error",
                                 "param": None, "code": None}})


class ScriptedServer:
    """ThreadingHTTPServer on 127.0.0.1 (a free port) in a thread; answers POSTs with the
    queued replies in order (the last one again when the queue is empty) and records each
    request. A context manager: `with ScriptedServer([..]) as server: server.url`."""

    def __init__(self, replies: list[Reply]):
        self.replies = list(replies)
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                with scripted.lock:
                    scripted.requests.append(Request(self.path, dict(self.headers), body))
                    reply = scripted.replies.pop(0) if len(scripted.replies) > 1 \
                        else scripted.replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.body if isinstance(reply.body, bytes) else json.dumps(
                    reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped waiting

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = self.base + "/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


# ------------------------------------------------------- the sheets it serves, and their check

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def example(slug: str) -> tuple[dict, str]:
    """A reviewed example sheet as the model would send it (JSON types: dates as text), and
    its article's text."""
    path = next(EXAMPLES.glob(f"*{slug}*.yaml"))
    sheet = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")),
                                  default=str))
    return sheet, path.with_suffix(".txt").read_text(encoding="utf-8")


def plain(value):
    """The sheet without the keys that are no part of the fact sheet (_note)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if not str(k).startswith("_")}
    return [plain(v) for v in value] if isinstance(value, list) else value


def loads(folder: Path, sheet: dict, text: str):
    """The sheet (notes stripped) checked by the build's loader beside its article."""
    from kg.pipeline import load_sheets

    (folder / "draft.txt").write_text(text, encoding="utf-8")
    (folder / "draft.yaml").write_text(yaml.safe_dump(plain(sheet), sort_keys=False,
                                                      allow_unicode=True), encoding="utf-8")
    return load_sheets([folder / "draft.yaml"])[0]


def entry(sheet: dict, section: str, entry_id: str) -> dict:
    return next(e for e in sheet[section] if e["id"] == entry_id)
