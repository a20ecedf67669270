"""The chat client against a loopback OpenAI-compatible server: replies, streams, and every failure
mapped."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bagu.coach import llm
from bagu.coach.llm import ChatClient, LLMConfig, load_llm_config
from bagu.errors import LLMAuthError, LLMBadResponse, LLMRateLimited, LLMUnreachable
from tests.coach.fake_openai import Script, fake_openai

HELLO = [{"role": "user", "content": "hi"}]


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm, "BACKOFF_S", 0.0)


def test_chat_and_stream() -> None:
    script = Script(["你好 [1]", "streamed 回答 [2] done"])
    with fake_openai(script) as url:
        client = ChatClient(LLMConfig(url, "qwen", api_key="k"))
        assert client.chat(HELLO) == "你好 [1]"
        assert "".join(client.stream(HELLO)) == "streamed 回答 [2] done"
    first, second = script.requests
    assert (first["model"], first["auth"], first["stream"], first["messages"]) == (
        "qwen",
        "Bearer k",
        False,
        HELLO,
    )
    assert second["stream"] is True


def test_retries_a_busy_server_then_gives_up_clearly() -> None:
    script = Script([429, 503, "ok"])
    with fake_openai(script) as url:
        assert ChatClient(LLMConfig(url, "m")).chat(HELLO) == "ok"
        script.steps = [429, 429, 429]
        with pytest.raises(LLMRateLimited, match="HTTP 429 3 times"):
            ChatClient(LLMConfig(url, "m")).chat(HELLO)


@pytest.mark.parametrize(
    ("step", "error", "message"),
    [
        (401, LLMAuthError, "refused the API key"),
        (400, LLMBadResponse, "HTTP 400"),
        (("raw", b'{"nothing": 1}'), LLMBadResponse, "without choices"),
        (("raw", b"not json"), LLMBadResponse, "without choices"),
    ],
)
def test_failures_are_named(step: object, error: type[Exception], message: str) -> None:
    with fake_openai(Script([step])) as url, pytest.raises(error, match=message):
        ChatClient(LLMConfig(url, "m")).chat(HELLO)


def test_connection_refused_says_so() -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(LLMUnreachable, match="is the server running"):
        ChatClient(LLMConfig(f"http://127.0.0.1:{port}/v1", "m", timeout_s=2)).chat(HELLO)


def test_config_from_the_environment_or_bagu_toml(tmp_path: Path) -> None:
    assert load_llm_config(tmp_path, env={}) is None  # nothing configured: nothing is ever sent
    (tmp_path / "bagu.toml").write_text(
        '[llm]\nbase_url = "http://h:1/v1/"\nmodel = "qwen"\n', encoding="utf-8"
    )
    assert load_llm_config(tmp_path, env={}) == LLMConfig("http://h:1/v1", "qwen")
    env = {"BAGU_LLM_MODEL": "other", "BAGU_LLM_API_KEY": "s"}
    assert load_llm_config(tmp_path, env=env) == LLMConfig("http://h:1/v1", "other", "s")
    (tmp_path / "bagu.toml").write_text("[llm\n", encoding="utf-8")
    with pytest.raises(llm.LLMError, match=r"bagu\.toml"):
        load_llm_config(tmp_path, env={})
