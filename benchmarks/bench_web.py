"""Load on the web API: 1,000 searches against a real `bagu serve` on loopback, p50/p95, errors,
memory.

The baseline, run in the same script on the same index and query sequence, is the searcher called
in-process (no HTTP, no JSON): the difference is what the web layer costs. Requests are bounded (a
fixed number of client threads), the server's RSS is sampled every 100 requests, and "flat" means
the last quarter of the run grew the server by less than 5 MB.

    python benchmarks/bench_web.py [--vault PATH] [--db FILE] [--requests 1000] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

from bagu.search.service import Searcher
from corpus_index import DEFAULT_VAULT, ROOT, open_index

QUERIES = ROOT / "benchmarks" / "data" / "search_dev.jsonl"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("bagu serve exited before answering")
        try:
            if httpx.get(f"{url}/api/status", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    sys.exit("bagu serve did not answer within 180 s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vault", type=Path, default=DEFAULT_VAULT)
    parser.add_argument(
        "--db",
        type=Path,
        help="an existing index of the vault (default: build one in a scratch folder)",
    )
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    queries = [
        json.loads(line)["query"]
        for line in QUERIES.read_text("utf-8").splitlines()
        if line.strip()
    ]

    with tempfile.TemporaryDirectory() as scratch:
        conn, signals, build = open_index(args.vault, args.db, Path(scratch))
        db = args.db or Path(scratch) / "bagu.db"
        searcher = Searcher(conn, signals)
        searcher.search(queries[0])  # warm caches, as the server's first request will
        in_process = []
        for i in range(args.requests):  # the same sequence the server will get
            started = time.perf_counter()
            searcher.search(queries[i % len(queries)], k=10)
            in_process.append((time.perf_counter() - started) * 1000)
        conn.close()

        port = free_port()
        url = f"http://127.0.0.1:{port}"
        command = [
            sys.executable,
            "-m",
            "bagu",
            "--db",
            str(db),
            "serve",
            str(args.vault),
            "--port",
            str(port),
            "--no-index",
            "--offline",
        ]
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ
        )
        try:
            wait_until_up(url, process)
            server = psutil.Process(process.pid)
            figures = load(url, queries, args.requests, args.concurrency, server)
        finally:
            process.terminate()
            process.wait(timeout=10)

    latencies, errors, rss = figures
    growth_last_quarter = rss[-1][1] - rss[len(rss) * 3 // 4][1]
    print(
        f"vault: {args.vault} · semantic signals: {', '.join(map(str, build['signals'])) or 'none'}"
    )
    print(
        f"{args.requests} GET /api/search requests, {args.concurrency} at a time, {len(queries)} "
        f"distinct queries"
    )
    print()
    print("| path | p50 ms | p95 ms | max ms | errors |")
    print("|---|---|---|---|---|")
    print(
        f"| baseline: Searcher.search in-process | {percentile(in_process, 0.5):.1f} | "
        f"{percentile(in_process, 0.95):.1f} | {max(in_process):.1f} | — |"
    )
    print(
        f"| bagu serve over HTTP (loopback) | {percentile(latencies, 0.5):.1f} "
        f"| {percentile(latencies, 0.95):.1f} | "
        f"{max(latencies):.1f} | {errors} |"
    )
    print()
    print("server RSS (MB) after n requests: " + ", ".join(f"{n}: {mb:.1f}" for n, mb in rss))
    print(
        f"growth over the last quarter: {growth_last_quarter:+.1f} MB "
        f"({'flat' if growth_last_quarter < 5 else 'GROWING'})"
    )
    print(
        f"throughput: {len(latencies) / sum(latencies) * 1000 * args.concurrency:.0f} requests/s "
        f"(approx.)"
    )
    if errors:
        sys.exit(1)


def load(
    url: str, queries: list[str], requests: int, concurrency: int, server: psutil.Process
) -> tuple[list[float], int, list[tuple[int, float]]]:
    latencies: list[float] = []
    errors = 0
    done = 0
    rss: list[tuple[int, float]] = [(0, server.memory_info().rss / 1e6)]
    lock = threading.Lock()
    local = threading.local()

    def one(i: int) -> None:
        nonlocal errors, done
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(timeout=30)
        started = time.perf_counter()
        try:
            response = client.get(
                f"{url}/api/search", params={"q": queries[i % len(queries)], "k": 10}
            )
            ok = response.status_code == 200 and "results" in response.json()
        except httpx.HTTPError:
            ok = False
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            errors += not ok
            done += 1
            if done % 100 == 0:
                rss.append((done, server.memory_info().rss / 1e6))

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    return latencies, errors, rss


if __name__ == "__main__":
    main()
