"""External link checking against a real HTTP server on 127.0.0.1: statuses, retries, pacing,
cache."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from bagu.links.external import ExternalPolicy, check_urls
from bagu.links.graph import check_external_links
from bagu.store.sqlite import sqlite3
from tests.links.conftest import CheckVault


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[list[tuple[str, str, float]]] = []
    flaky_seen = 0

    def log_message(self, *_: object) -> None:
        pass

    def _answer(self, body: bool) -> None:
        Handler.hits.append((self.command, self.path, time.monotonic()))
        if self.path == "/ok":
            self._send(200, body)
        elif self.path == "/gone":
            self._send(404, body)
        elif self.path == "/redirect":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/no-head":
            self._send(405 if self.command == "HEAD" else 200, body)
        elif self.path == "/forbidden":
            self._send(403, body)
        elif self.path == "/flaky":
            Handler.flaky_seen += 1
            self._send(503 if Handler.flaky_seen == 1 else 200, body)
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, body)
        else:
            self._send(500, body)

    def _send(self, status: int, body: bool) -> None:
        payload = b"hello"
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)


@pytest.fixture
def server() -> Iterator[str]:
    Handler.hits, Handler.flaky_seen = [], 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


FAST = ExternalPolicy(
    concurrency=4, per_host_interval_s=0.0, timeout_s=0.5, retries=1, backoff_s=0.05
)


def test_outcomes_for_each_kind_of_answer(server: str) -> None:
    paths = ["/ok", "/gone", "/redirect", "/no-head", "/forbidden", "/flaky", "/slow", "/boom"]
    answers = {a.url.removeprefix(server): a for a in check_urls([server + p for p in paths], FAST)}
    assert {path: (a.outcome, a.http_status) for path, a in answers.items()} == {
        "/ok": ("ok", 200),
        "/gone": ("broken", 404),
        "/redirect": ("ok", 200),
        "/no-head": ("ok", 200),
        "/forbidden": ("blocked", 403),
        "/flaky": ("ok", 200),  # 503 first, then retried
        "/slow": ("error", None),
        "/boom": ("error", 500),
    }
    assert answers["/redirect"].final_url == server + "/ok"
    assert "0.5 s" in answers["/slow"].detail
    assert ("GET", "/no-head") in {(m, p) for m, p, _ in Handler.hits}


def test_requests_to_one_host_are_paced(server: str) -> None:
    policy = ExternalPolicy(concurrency=8, per_host_interval_s=0.2, timeout_s=2, retries=0)
    check_urls([f"{server}/ok?{i}" for i in range(4)], policy)
    times = sorted(t for _, _, t in Handler.hits)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 4 and min(gaps) >= 0.18


def test_unreachable_host_is_an_error_not_a_crash() -> None:
    answers = check_urls(["http://127.0.0.1:9/nothing-listens"], FAST)
    assert answers[0].outcome == "error" and answers[0].http_status is None


def test_answers_are_cached_in_the_store(
    check: CheckVault, server: str, conn: sqlite3.Connection, vault: Path
) -> None:
    report = check(
        {"a.md": f"# A\n\n[ok]({server}/ok) [gone]({server}/gone)\n\n[again]({server}/gone)\n"}
    )
    now = datetime.now(UTC)
    assert check_external_links(conn, report, FAST, now) == 2
    assert [(s.link.line, a.outcome) for s, a in report.external_problems] == [
        (3, "broken"),
        (5, "broken"),
    ]
    assert not report.is_clean
    hits = len(Handler.hits)
    assert check_external_links(conn, report, FAST, now + timedelta(hours=1)) == 0
    assert len(Handler.hits) == hits
    assert check_external_links(conn, report, FAST, now + timedelta(days=2)) == 2
