"""`bagu search` as a user runs it: JSON fields, --mode, --batch (one JSON line per query)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLE_VAULT
from tests.test_cli import bagu


def test_search_json_has_the_documented_fields(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path)
    data = json.loads(
        bagu("search", "三次握手", "-V", str(EXAMPLE_VAULT), "--json", db=db_path).stdout
    )
    assert {"query", "terms", "mode", "notice", "confidence", "abstained", "results"} <= set(data)
    # BAGU_EMBEDDER=none in tests
    assert data["mode"] == "lexical" and "no embedding model" in data["notice"]
    top = data["results"][0]
    assert {
        "path",
        "heading",
        "heading_path",
        "anchor",
        "line",
        "snippet",
        "highlights",
        "score",
    } <= set(top)


def test_batch_answers_each_line_in_order_and_reports_bad_lines(
    db_path: Path, tmp_path: Path
) -> None:
    bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path)
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "a", "query": "三次握手"}\nnot json\n\n{"id": 7, "query": "Redis 持久化"}\n',
        encoding="utf-8",
    )
    result = bagu(
        "search", "--batch", str(queries), "-V", str(EXAMPLE_VAULT), "-k", "2", db=db_path
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, 7]
    assert lines[1] == {"line": 2, "error": 'expected {"id": ..., "query": "..."}'}
    assert (
        lines[0]["results"][0]["path"] == "network/tcp-handshake.md"
        and len(lines[2]["results"]) <= 2
    )


def test_search_without_query_or_batch_is_a_clear_error(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), "--json", db=db_path)
    result = bagu("search", "-V", str(EXAMPLE_VAULT), db=db_path)
    assert result.returncode == 2 and "QUERY" in result.stderr and "Traceback" not in result.stderr
