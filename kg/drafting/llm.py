"""Ask an OpenAI-compatible chat-completions endpoint (Ollama, vLLM, a llama.cpp server, a hosted
API) for a fact sheet as JSON. The answer is only parsed here: kg.drafting.verify decides what of it
stands in the article."""

from __future__ import annotations

import email.utils
import json
import re
import time
from urllib.parse import urlsplit, urlunsplit

from kg.errors import KgError
from kg.http import Client, Failure, clean, shown

RETRIES = 2  # after a 429 or 503
MAX_WAIT = 10.0  # seconds of Retry-After honoured
DEFAULT_WAIT = 1.0  # when a 429 or 503 gives no Retry-After
_sleep = time.sleep  # the tests replace it so that retries take no time
# What a server says when it cannot constrain the answer to a JSON Schema (or to JSON).
_FORMAT_REFUSED = re.compile(r"response_format|json[ _]?schema|json_object|not supported|"
                             r"unsupported|grammar|guided", re.I)
# llama.cpp before late 2025 and llama-cpp-python answer 500 to a schema they cannot convert.
_FORMAT_STATUSES = (400, 422, 500)
# A model not named, or not served: Ollama, vLLM and OpenAI's words for it.
_MODEL_PROBLEM = re.compile(r"model_not_found|\bmodel\b[^.]{0,60}\b(not found|does not exist|"
                            r"is required|not available|not loaded|unknown)|\b(provide|missing|"
                            r"unknown|no such)\b[^.]{0,30}\bmodel\b", re.I)
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)
_THINKING = re.compile(r"<think>.*?</think>", re.S)
# JSON Schema keywords that grammar-constrained decoders (llama.cpp, xgrammar, outlines) refuse
# or choke on; kg.drafting.verify checks what they would have constrained.
_UNCONSTRAINED = {"not", "if", "then", "else", "allOf", "format", "$schema", "$id", "$comment",
                  "exclusiveMaximum", "exclusiveMinimum", "uniqueItems", "maxLength"}
_LONG_ENUM = 40

SYSTEM = """You fill in a fact sheet: what one news article says about corporate deals, as one \
JSON object. Answer with that JSON object only.

Rules:
- Every entry has "evidence": a list of quotes copied verbatim from the article, character for \
character, each at least three words, none paraphrased, shortened with "..." or invented. An \
entry with no such quote is not wanted.
- Every entry you link from another (parties, buyer, seller, target, participants, owner, \
holder, issuer, covers, ...) must be named, by its name or one of its aliases, in the quotes of \
the entry that links to it.
- Every value (an amount's text, a quantity's text, a role's text, a time's text) is written \
exactly as the article writes it ("$14.3 billion", "about 4.5 gigawatts") and stands in one of \
the entry's quotes; numbers are plain numbers (14300000000 for "$14.3 billion").
- Ids are lowercase words joined by hyphens ("scale-ai"); other entries refer to an entry by its \
id. Aliases are other names the article itself uses.
- A quote with "reported", "reportedly" or "according to" is written {"quote": ..., \
"reported": true} when the entry rests on that claim, false when it states the entry plainly.
- Times: give date (YYYY-MM-DD), month (YYYY-MM) or year (YYYY), or a span with from and/or \
until, as precise as the words and no more; "relative": true when the words are relative to the \
publication date ("last Thursday", "this year").
{published}
The sections and their keys (* required; [a|b] one of these values; links hold ids of entries):
{outline}"""


class ModelError(KgError):
    """The endpoint gave no usable fact sheet; the message names it and what went wrong."""


def ask(url: str, text: str, *, schema: dict, model: str | None = None,
        published: str | None = None, api_key: str | None = None,
        timeout: float = 120.0, max_bytes: int = 8 * 2**20) -> dict:
    """The fact sheet the model at url drafts from the article text, as a dict (untrusted: any
    shape). The answer is asked under `schema` where the server supports it, as plain JSON
    otherwise; model None lets the server choose (llama.cpp serves one)."""
    endpoint = completions_url(url)
    where = shown(endpoint)
    body: dict = {"messages": [{"role": "system", "content": system_prompt(schema, published)},
                               {"role": "user", "content": text}],
                  "temperature": 0}
    if model:
        body["model"] = model
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    formats = [{"type": "json_schema", "json_schema": {"name": "fact_sheet",
                                                       "schema": for_servers(schema)}},
               {"type": "json_object"}, None]
    try:
        with Client(timeout, max_bytes) as client:
            while True:
                request = {**body, "response_format": formats[0]} if formats[0] else body
                answer = _post(client, endpoint, request, headers, model)
                words = answer.words() if answer.status in _FORMAT_STATUSES else ""
                if "temperature" in body and re.search(r"\btemperature\b", words, re.I):
                    del body["temperature"]  # reasoning models take only their default
                elif len(formats) > 1 and _FORMAT_REFUSED.search(words):
                    formats.pop(0)  # the server cannot constrain the answer so: ask more plainly
                else:
                    return _content(answer, where, model)
    except ModelError as exc:
        raise ModelError(_hide(exc.message, api_key)) from None


def completions_url(url: str) -> str:
    """The chat-completions URL of a base URL: .../v1 gets /chat/completions, a bare host
    /v1/chat/completions; a full .../chat/completions stays as it is.

    >>> completions_url("http://127.0.0.1:11434/v1")
    'http://127.0.0.1:11434/v1/chat/completions'
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise ModelError(f"{shown(url)} is not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ModelError(f"{shown(url)} is not an http or https URL of a chat-completions "
                         "endpoint (such as http://127.0.0.1:11434/v1)")
    path = parts.path.rstrip("/")
    if not path.endswith("/chat/completions"):
        path += "/chat/completions" if path else "/v1/chat/completions"
    return urlunsplit(parts._replace(path=path))


def system_prompt(schema: dict, published: str | None) -> str:
    """The instructions sent with the article: the rules of evidence and the sheet's keys."""
    date = (f"- The article was published on {published}; read relative times against it.\n"
            if published else "")
    return SYSTEM.replace("{published}", date).replace("{outline}", outline(schema))


def outline(schema: dict) -> str:
    """The sections of the schema and their keys, one line each, enumerations given."""
    lines = []
    for section, spec in schema.get("properties", {}).items():
        item = spec.get("items", spec)
        lines.append(f"{section}: " + ", ".join(_keys(item, 0)))
    return "\n".join(lines)


def _keys(spec: dict, depth: int) -> list[str]:
    out = []
    required = set(spec.get("required", []))
    for key, field in spec.get("properties", {}).items():
        shown_key = key + ("*" if key in required else "")
        enum = _find(field, "enum")
        inner = _find(field, "properties")
        if enum and len(enum) <= _LONG_ENUM:
            shown_key += " [" + "|".join(map(str, enum)) + "]"
        elif inner and depth < 1:
            holder = _holder(field)
            shown_key += " {" + ", ".join(_keys(holder, depth + 1)) + "}"
        out.append(shown_key)
    return out


def _find(spec, keyword: str):
    """The first value of keyword in spec or its anyOf, items, in that order."""
    if not isinstance(spec, dict):
        return None
    if keyword in spec:
        return spec[keyword]
    for sub in [*spec.get("anyOf", []), spec.get("items")]:
        found = _find(sub, keyword)
        if found is not None:
            return found
    return None


def _holder(spec: dict) -> dict:
    if "properties" in spec:
        return spec
    for sub in [*spec.get("anyOf", []), spec.get("items")]:
        if isinstance(sub, dict) and _find(sub, "properties") is not None:
            return _holder(sub)
    return {}


def for_servers(schema):
    """The schema without the keywords constrained decoders refuse, descriptions left out
    (the prompt gives the rules) and long enumerations left open."""
    if isinstance(schema, list):
        return [for_servers(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in _UNCONSTRAINED or key == "description":
            continue
        if key == "enum" and len(value) > _LONG_ENUM:
            continue
        if key == "pattern" and not (value.startswith("^") and value.endswith("$")):
            continue
        out[key] = value if key in ("enum", "required") else (
            {k: for_servers(v) for k, v in value.items()} if key == "properties"
            else for_servers(value))
    return out


def _post(client: Client, endpoint: str, body: dict, headers: dict, model: str | None):
    where = shown(endpoint)
    content = json.dumps(body, ensure_ascii=False).encode()
    for attempt in range(RETRIES + 1):
        try:
            answer = client.request("POST", endpoint, content=content, headers=headers)
        except Failure as exc:
            if exc.kind == "timeout":
                raise ModelError(f"no answer from {where} within {client.timeout:g} s") from None
            raise ModelError(f"the model at {where} cannot be asked: {exc.message}") from None
        if answer.status in (429, 503) and attempt < RETRIES:
            _sleep(_retry_after(answer.headers.get("retry-after")))
            continue
        if answer.status in (429, 503):
            busy = "too many requests" if answer.status == 429 else "unavailable"
            raise ModelError(f"{where} answered {answer.status} ({busy}) {RETRIES + 1} times: "
                             f"{_message(answer)}")
        if answer.status >= 300 and answer.status not in _FORMAT_STATUSES:
            raise _refused(answer, where, model)
        return answer
    raise AssertionError("unreachable")


def _retry_after(value: str | None) -> float:
    """The seconds a Retry-After asks for (a number or an HTTP date), at most MAX_WAIT."""
    if not value:
        return DEFAULT_WAIT
    try:
        wait = float(value)
    except ValueError:
        try:
            wait = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return DEFAULT_WAIT
    return min(max(wait, 0.0), MAX_WAIT)


def _message(answer) -> str:
    """The server's own error message: error.message of an OpenAI-style body, else its text."""
    try:
        data = json.loads(answer.body)
    except ValueError:
        return answer.words(300)
    error = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(error, dict):
        error = error.get("message") or error.get("detail") or error
    return clean(error if isinstance(error, str) else json.dumps(error), 300) or answer.reason


def _refused(answer, where: str, model: str | None) -> ModelError:
    words = _message(answer)
    if answer.status in (400, 404, 422) and _MODEL_PROBLEM.search(words):
        if model:
            return ModelError(f"{where} does not serve the model '{model}' ({answer.status}: "
                              f"{words}); give --model with a name it serves")
        return ModelError(f"{where} needs the name of a model ({answer.status}: {words}); "
                          "give --model NAME")
    if answer.status in (401, 403):
        return ModelError(f"{where} refused the request ({answer.status}: {words}); set "
                          "KG_LLM_API_KEY to a key it accepts")
    return ModelError(f"{where} answered {answer.status} {answer.reason}: {words}")


def _content(answer, where: str, model: str | None) -> dict:
    if answer.status >= 300:
        raise _refused(answer, where, model)
    try:
        data = json.loads(answer.body)
    except ValueError:
        raise ModelError(f"the answer of {where} is not JSON ({answer.described()}): "
                         f"{answer.words(200)}") from None
    try:
        choice = data["choices"][0]
        message = choice["message"]
    except (KeyError, IndexError, TypeError):
        raise ModelError(f"the answer of {where} is not a chat completion (no "
                         f"choices[0].message): {clean(answer.body.decode(errors='replace'), 200)}"
                         ) from None
    if choice.get("finish_reason") == "length":
        raise ModelError(f"the model's answer from {where} was cut off at its length limit "
                         "(finish_reason length): raise the server's output or context limit "
                         "(for Ollama, num_ctx)")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str) or not content.strip():
        refusal = message.get("refusal") if isinstance(message, dict) else None
        raise ModelError(f"the model at {where} gave no content"
                         + (f": it refused ({clean(refusal, 200)})" if refusal else ""))
    return parse(content, where)


def parse(content: str, where: str = "the endpoint") -> dict:
    """The JSON object of a model's answer, from fences or from the text around it."""
    text = _THINKING.sub("", content).strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        sheet = json.loads(text)
    except ValueError:
        start, end = text.find("{"), text.rfind("}")
        try:
            sheet = json.loads(text[start:end + 1]) if 0 <= start < end else None
        except ValueError:
            sheet = None
        if sheet is None:
            raise ModelError(f"the model's answer from {where} is not JSON: "
                             f"{clean(content, 120)}") from None
    if not isinstance(sheet, dict):
        raise ModelError(f"the model's answer from {where} is not a JSON object: "
                         f"{clean(content, 120)}")
    return sheet


def _hide(message: str, api_key: str | None) -> str:
    """The message with the key blotted out, should a server echo it."""
    return message.replace(api_key, "***") if api_key else message
