"""kg.drafting.llm against a scripted OpenAI-compatible server on 127.0.0.1: what it asks, how it
falls back, retries and fails, and that it connects to nothing but the URL it is given."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.drafting import llm
from kg.drafting.llm import ModelError, ask, completions_url
from kg.drafting.verify import verify
from kg.factsheet.describe import json_schema
from kg.factsheet.vocabulary import AGREEMENT_TYPES
from kg.pipeline import load_sheets

from llm_server import (
    Reply,
    ScriptedServer,
    completion,
    error,
    example,
    json_mode_refused,
    loads,
    schema_refused,
    server_error,
    sheet_answer,
    slow,
    too_many,
)

SCHEMA = json_schema()
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
SHEET, TEXT = example("meta-scale-ai")


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    """Retries wait as the server asks, recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr(llm, "_sleep", waits.append)
    return waits


def test_a_good_answer_is_the_sheet_and_the_request_is_as_documented():
    with ScriptedServer([sheet_answer(SHEET)]) as server:
        got = ask(server.url, TEXT, schema=SCHEMA, model="qwen2.5:7b", published="2025-06-16")
    assert got == SHEET
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    body = request.body
    assert body["model"] == "qwen2.5:7b" and body["temperature"] == 0
    system, user = body["messages"]
    assert system["role"] == "system" and user == {"role": "user", "content": TEXT}
    assert "2025-06-16" in system["content"] and "verbatim" in system["content"]
    assert all(kind in system["content"] for kind in AGREEMENT_TYPES)
    form = body["response_format"]
    assert form["type"] == "json_schema" and form["json_schema"]["name"] == "fact_sheet"
    assert set(form["json_schema"]["schema"]["properties"]) == set(SCHEMA["properties"])
    assert "Authorization" not in request.headers


def test_without_a_model_the_key_is_left_to_the_server():
    with ScriptedServer([sheet_answer(SHEET)]) as server:
        ask(server.url, TEXT, schema=SCHEMA)
    assert "model" not in server.requests[0].body


def test_the_schema_sent_leaves_out_what_constrained_decoders_refuse():
    sent = json.dumps(llm.for_servers(SCHEMA))
    for keyword in ('"not"', '"if"', '"then"', '"allOf"', '"$schema"', '"description": "'):
        assert keyword not in sent
    assert '"USD"' not in sent  # the currency list is left open; verify checks it
    assert '"Acquisition"' in sent and '"additionalProperties": false' in sent


def test_fenced_content_and_thinking_are_stripped():
    fenced = sheet_answer(SHEET, fenced=True)
    content = fenced.body["choices"][0]["message"]["content"]
    thinking = completion("<think>The article is about Meta.</think>\n" + content)
    with ScriptedServer([fenced, thinking]) as server:
        assert ask(server.url, TEXT, schema=SCHEMA) == SHEET
        assert ask(server.url, TEXT, schema=SCHEMA) == SHEET


def test_a_refused_schema_falls_back_to_json_mode_then_to_no_format():
    with ScriptedServer([schema_refused(), sheet_answer(SHEET)]) as server:
        assert ask(server.url, TEXT, schema=SCHEMA) == SHEET
    forms = [r.body.get("response_format", {}).get("type") for r in server.requests]
    assert forms == ["json_schema", "json_object"]
    with ScriptedServer([schema_refused(), json_mode_refused(), sheet_answer(SHEET)]) as server:
        assert ask(server.url, TEXT, schema=SCHEMA) == SHEET
    assert [r.body.get("response_format", {}).get("type") for r in server.requests] == [
        "json_schema", "json_object", None]
    assert "response_format" not in server.requests[2].body


def test_a_422_about_the_grammar_also_falls_back():
    refused = Reply(422, {"detail": "Failed to compile the JSON schema grammar"})
    with ScriptedServer([refused, sheet_answer(SHEET)]) as server:
        assert ask(server.url, TEXT, schema=SCHEMA) == SHEET
    assert len(server.requests) == 2


def test_another_400_is_no_reason_to_retry():
    with ScriptedServer([error(400, "This model's maximum context length is 4096 tokens")]) \
            as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA, model="m")
    assert len(server.requests) == 1
    assert "400" in caught.value.message and "maximum context length" in caught.value.message
    assert "--model" not in caught.value.message
    assert server.url in caught.value.message


def test_a_429_is_retried_after_the_wait_it_asks_for(no_waiting):
    with ScriptedServer([too_many("2"), too_many(None), sheet_answer(SHEET)]) as server:
        assert ask(server.url, TEXT, schema=SCHEMA) == SHEET
    assert len(server.requests) == 3
    assert no_waiting == [2.0, llm.DEFAULT_WAIT]


def test_a_long_retry_after_is_cut_to_ten_seconds(no_waiting):
    with ScriptedServer([too_many("3600"), sheet_answer(SHEET)]) as server:
        ask(server.url, TEXT, schema=SCHEMA)
    assert no_waiting == [10.0]


def test_429_forever_ends_with_the_status(no_waiting):
    with ScriptedServer([too_many("1")]) as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA)
    assert len(server.requests) == 3 and len(no_waiting) == 2
    assert "429" in caught.value.message and "Rate limit reached" in caught.value.message


def test_503_is_retried_too():
    busy = error(503, "Model is loading", kind="server_error", headers={"Retry-After": "1"})
    with ScriptedServer([busy, sheet_answer(SHEET)]) as server:
        assert ask(server.url, TEXT, schema=SCHEMA) == SHEET


def test_a_timeout_is_named():
    with ScriptedServer([slow(3)]) as server, pytest.raises(ModelError) as caught:
        start = time.monotonic()
        ask(server.url, TEXT, schema=SCHEMA, timeout=1)
    assert time.monotonic() - start < 2.5
    assert "no answer" in caught.value.message and "within 1 s" in caught.value.message


@pytest.mark.parametrize("content", ["{\"organizations\": [{\"id\": \"meta\",", "Sorry, I cannot"])
def test_malformed_json_is_named_with_its_start(content):
    with ScriptedServer([completion(content)]) as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA)
    assert "is not JSON" in caught.value.message
    assert content[:12] in caught.value.message


def test_an_answer_that_is_no_object_is_refused():
    with ScriptedServer([completion("[1, 2]")]) as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA)
    assert "not a JSON object" in caught.value.message


def test_an_answer_cut_off_at_the_length_limit_is_refused():
    cut = sheet_answer(SHEET, finish_reason="length")
    with ScriptedServer([cut]) as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA)
    assert "cut off" in caught.value.message


def test_a_500_gives_the_server_s_message():
    with ScriptedServer([server_error()]) as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA, model="m")
    assert "500" in caught.value.message and "CUDA error: out of memory" in caught.value.message


def test_a_body_that_is_no_completion_is_refused():
    for body in ({"detail": "ok"}, b"<html>proxy login</html>"):
        with ScriptedServer([Reply(200, body)]) as server, pytest.raises(ModelError) as caught:
            ask(server.url, TEXT, schema=SCHEMA)
        assert server.url in caught.value.message


def test_a_missing_model_asks_for_one():
    needed = error(400, "you must provide a model parameter", param="model")
    with ScriptedServer([needed]) as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA)
    assert "give --model NAME" in caught.value.message
    unknown = Reply(404, {"error": {"message": "model \"llama9\" not found, try pulling it "
                                               "first", "type": "api_error"}})
    with ScriptedServer([unknown]) as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA, model="llama9")
    assert "'llama9'" in caught.value.message and "--model" in caught.value.message
    missing = error(404, "The model `gpt-9` does not exist or you do not have access to it.",
                    kind="invalid_request_error")
    with ScriptedServer([missing]) as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA, model="gpt-9")
    assert "does not serve the model 'gpt-9'" in caught.value.message


def test_the_api_key_is_sent_as_a_bearer_token_and_never_shown():
    key = "sk-test-5e3b1c9d"
    echo = error(401, f"Incorrect API key provided: {key}", kind="invalid_api_key")
    with ScriptedServer([sheet_answer(SHEET), echo]) as server:
        ask(server.url, TEXT, schema=SCHEMA, api_key=key)
        with pytest.raises(ModelError) as caught:
            ask(server.url, TEXT, schema=SCHEMA, api_key=key)
    assert server.requests[0].headers["Authorization"] == f"Bearer {key}"
    assert key not in caught.value.message and "KG_LLM_API_KEY" in caught.value.message


def test_only_the_url_given_is_connected_to(monkeypatch):
    """No proxy from the environment, no other host: every connection goes to the URL."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://proxy.invalid:3128")
    connected, looked_up = [], []
    real_connect, real_lookup = socket.socket.connect, socket.getaddrinfo

    def connect(self, address):
        connected.append(address[:2])
        return real_connect(self, address)

    def lookup(host, *args, **kw):
        looked_up.append(host)
        return real_lookup(host, *args, **kw)

    with ScriptedServer([schema_refused(), sheet_answer(SHEET)]) as server:
        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket, "getaddrinfo", lookup)
        ask(server.url, TEXT, schema=SCHEMA)
        monkeypatch.undo()
    assert connected and set(connected) == {("127.0.0.1", server.port)}
    assert set(looked_up) <= {"127.0.0.1"}


def test_nothing_listening_is_named():
    with ScriptedServer([completion("{}")]) as server:
        url = server.url
    with pytest.raises(ModelError) as caught:
        ask(url, TEXT, schema=SCHEMA, timeout=2)
    assert "cannot be asked" in caught.value.message and url in caught.value.message


def test_an_answer_larger_than_the_limit_is_refused():
    with ScriptedServer([sheet_answer(SHEET)]) as server, pytest.raises(ModelError) as caught:
        ask(server.url, TEXT, schema=SCHEMA, max_bytes=1000)
    assert "larger than the limit" in caught.value.message


@pytest.mark.parametrize(("given", "asked"), [
    ("http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1/chat/completions"),
    ("http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000/v1/chat/completions"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/chat/completions"),
    ("https://api.example/v1/chat/completions", "https://api.example/v1/chat/completions"),
    ("https://x.example/openai/deployments/d?api-version=2024-10-21",
     "https://x.example/openai/deployments/d/chat/completions?api-version=2024-10-21"),
])
def test_url_forms(given, asked):
    assert completions_url(given) == asked


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/v1", "127.0.0.1:11434/v1", "file:///etc"])
def test_only_http_urls(url):
    with pytest.raises(ModelError, match="not an http or https URL"):
        completions_url(url)


def test_a_full_completions_url_is_asked_as_given():
    with ScriptedServer([sheet_answer(SHEET)]) as server:
        ask(server.base + "/v1/chat/completions", TEXT, schema=SCHEMA)
    assert server.requests[0].path == "/v1/chat/completions"


def test_a_served_reviewed_sheet_with_hallucinations_verifies_to_a_loadable_draft(tmp_path):
    """End to end: a realistic answer (the reviewed sheet, some quotes corrupted, one entity
    invented) comes back through the server; verify keeps what the article bears out."""
    answer = json.loads(json.dumps(SHEET))
    answer["organizations"][0]["evidence"][0] = "Meta Platforms agreed to buy all of Scale AI"
    answer["organizations"].append({"id": "nvidia", "name": "Nvidia", "type": "Company",
                                    "evidence": ["Nvidia invested $2 billion in Scale AI"]})
    with ScriptedServer([sheet_answer(answer, fenced=True)]) as server:
        got = ask(server.url, TEXT, schema=SCHEMA, published="2025-06-16")
    draft, dropped = verify(got, TEXT, published="2025-06-16")
    assert any("quotes not in the article" in m and "all of Scale AI" in m for m in dropped)
    assert any("with no quote in the article" in m and "'nvidia'" in m for m in dropped)
    assert "nvidia" not in {e["id"] for e in draft["organizations"]}
    loads(tmp_path, draft, TEXT)


@pytest.mark.parametrize("refusal", [
    Reply(500, {"error": {"code": 500, "message": "JSON schema conversion failed:\nUnrecognized "
                                                  "schema: {\"not\":{}}", "type": "server_error"}}),
    Reply(500, {"error": {"code": 500, "message": "response_format type must be one of \"text\" "
                                                  "or \"json_object\", but got: json_schema",
                          "type": "server_error"}}),
])
def test_llama_cpp_s_500_for_a_schema_it_cannot_convert_falls_back(refusal):
    with ScriptedServer([refusal, sheet_answer(SHEET)]) as server:
        assert ask(server.url, TEXT, schema=SCHEMA) == SHEET
    assert server.requests[1].body["response_format"] == {"type": "json_object"}


def test_a_model_that_takes_no_temperature_is_asked_without_one():
    refused = error(400, "Unsupported value: 'temperature' does not support 0 with this model. "
                         "Only the default (1) value is supported.", param="temperature",
                    kind="invalid_request_error")
    with ScriptedServer([refused, sheet_answer(SHEET)]) as server:
        assert ask(server.url, TEXT, schema=SCHEMA, model="o4-mini") == SHEET
    first, second = (r.body for r in server.requests)
    assert first["temperature"] == 0 and "temperature" not in second
    assert second["response_format"]["type"] == "json_schema"


def test_kg_draft_with_llm_end_to_end(tmp_path, monkeypatch):
    """`kg draft --llm`: the model's verified entries merged into the rules' draft, what failed
    listed on standard error, the key taken from KG_LLM_API_KEY, and the draft builds."""
    answer = json.loads(json.dumps(SHEET))
    answer["organizations"].append({"id": "nvidia", "name": "Nvidia", "type": "Company",
                                    "evidence": ["Nvidia invested $2 billion in Scale AI"]})
    article = next(EXAMPLES_DIR.glob("*meta-scale-ai*.txt"))
    monkeypatch.setenv("KG_LLM_API_KEY", "sk-cli-test")
    with ScriptedServer([sheet_answer(answer)]) as server:
        result = CliRunner().invoke(main, ["draft", str(article), "--published", "2025-06-16",
                                           "--no-corpus", "--llm", server.url, "--model", "m",
                                           "--out", str(tmp_path / "draft.yaml")])
    assert result.exit_code == 0, result.output
    assert server.requests[0].headers["Authorization"] == "Bearer sk-cli-test"
    assert "with no quote in the article: organization 'nvidia'" in result.stderr
    assert "sk-cli-test" not in result.output
    written = (tmp_path / "draft.yaml").read_text(encoding="utf-8")
    assert "from the model" in written and "nvidia" not in written.lower()
    (tmp_path / "draft.txt").write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    load_sheets([tmp_path / "draft.yaml"])
