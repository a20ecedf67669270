"""An OpenAI-compatible chat client (llama.cpp server, Ollama, vLLM, any /v1/chat/completions) over
httpx.

Never sends anything unless configured: `BAGU_LLM_BASE_URL` and `BAGU_LLM_MODEL` (and
`BAGU_LLM_API_KEY`), or an `[llm]` table in `bagu.toml` at the vault's root; the environment wins.
Timeouts, retries with backoff on connection errors, 429 and 5xx (honouring Retry-After), and one
error class per failure a user can act on: the server is not running, the key is refused, the server
is busy, or it answers nonsense.
"""

from __future__ import annotations

import json
import os
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bagu.errors import LLMAuthError, LLMBadResponse, LLMError, LLMRateLimited, LLMUnreachable

if TYPE_CHECKING:  # httpx loads with the first request (importing it cost every command 90 ms)
    import httpx

Message = dict[str, str]
RETRIES = 2
BACKOFF_S = 0.5


@dataclass(frozen=True, slots=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str | None = None
    timeout_s: float = 120.0

    @property
    def where(self) -> str:
        return f"{self.model} at {self.base_url}"


def load_llm_config(
    vault: Path | None = None, env: dict[str, str] | None = None
) -> LLMConfig | None:
    """The configured endpoint, or None: nothing configured means nothing is ever sent."""
    env = dict(os.environ) if env is None else env
    table: dict[str, Any] = {}
    config_file = vault / "bagu.toml" if vault is not None else None
    if config_file is not None and config_file.is_file():
        try:
            table = tomllib.loads(config_file.read_text(encoding="utf-8")).get("llm", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise LLMError(
                f"{config_file}: cannot read the [llm] table ({exc}); fix or remove it"
            ) from exc
    base_url = env.get("BAGU_LLM_BASE_URL") or table.get("base_url")
    model = env.get("BAGU_LLM_MODEL") or table.get("model")
    if not base_url or not model:
        return None
    api_key = env.get("BAGU_LLM_API_KEY") or table.get("api_key")
    timeout = float(env.get("BAGU_LLM_TIMEOUT") or table.get("timeout_s") or 120.0)
    return LLMConfig(str(base_url).rstrip("/"), str(model), api_key, timeout)


class ChatClient:
    def __init__(self, config: LLMConfig, transport: httpx.BaseTransport | None = None) -> None:
        import httpx

        self.config = config
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        self._client = httpx.Client(
            base_url=config.base_url, headers=headers, timeout=config.timeout_s, transport=transport
        )

    def close(self) -> None:
        self._client.close()

    def _payload(
        self, messages: Sequence[Message], max_tokens: int, stream: bool
    ) -> dict[str, Any]:
        return {
            "model": self.config.model,
            "messages": list(messages),
            "max_tokens": max_tokens,
            "temperature": 0,
            "stream": stream,
        }

    def chat(self, messages: Sequence[Message], max_tokens: int = 512) -> str:
        """The whole reply at once."""
        response = self._send(
            lambda: self._client.post(
                "/chat/completions", json=self._payload(messages, max_tokens, False)
            )
        )
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMBadResponse(
                f"{self.config.where} sent a reply without choices[0].message.content"
            ) from exc
        if not isinstance(content, str):
            raise LLMBadResponse(f"{self.config.where} sent a non-text message")
        return content

    def stream(self, messages: Sequence[Message], max_tokens: int = 512) -> Iterator[str]:
        """The reply piece by piece (server-sent events), for the terminal."""
        import httpx

        request = self._client.build_request(
            "POST", "/chat/completions", json=self._payload(messages, max_tokens, True)
        )
        response = self._send(lambda: self._client.send(request, stream=True))
        try:
            for line in response.iter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    return
                try:
                    delta = json.loads(data)["choices"][0].get("delta", {}).get("content")
                except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
                    raise LLMBadResponse(
                        f"{self.config.where} sent a malformed stream event: {data[:80]}"
                    ) from exc
                if delta:
                    yield str(delta)
        except httpx.HTTPError as exc:
            raise LLMUnreachable(f"{self.config.where}: the stream broke off ({exc})") from exc
        finally:
            response.close()

    def _send(self, send: Any) -> httpx.Response:
        """Send with retries; map each failure to the error a user can act on."""
        import httpx

        for attempt in range(RETRIES + 1):
            last = attempt == RETRIES
            try:
                response: httpx.Response = send()
            except httpx.TimeoutException as exc:
                if last:
                    raise LLMUnreachable(
                        f"{self.config.where} did not answer in {self.config.timeout_s:.0f} s"
                    ) from exc
            except httpx.TransportError as exc:
                if last:
                    raise LLMUnreachable(
                        f"cannot reach {self.config.base_url} ({exc.__class__.__name__}); is the "
                        f"server running?"
                    ) from exc
            else:
                status = response.status_code
                if status < 400:
                    return response
                response.read()
                response.close()
                if status in (401, 403):
                    raise LLMAuthError(
                        f"{self.config.where} refused the API key (HTTP {status}); set "
                        f"BAGU_LLM_API_KEY"
                    )
                if status == 429 or status >= 500:
                    if last:
                        kind = LLMRateLimited if status == 429 else LLMUnreachable
                        raise kind(
                            f"{self.config.where} answered HTTP {status} {attempt + 1} times; "
                            f"try again later"
                        )
                    time.sleep(_retry_after(response, attempt))
                    continue
                raise LLMBadResponse(
                    f"{self.config.where} answered HTTP {status}: {response.text[:200]}"
                )
            time.sleep(BACKOFF_S * 2.0**attempt)
        raise AssertionError("unreachable")


def _retry_after(response: httpx.Response, attempt: int) -> float:
    try:
        return min(10.0, float(str(response.headers.get("Retry-After", ""))))
    except ValueError:
        return BACKOFF_S * 2.0**attempt
