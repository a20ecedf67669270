"""`bagu grade --batch`: one JSON line per answer, models loaded once, bad lines named, card keys
looked up."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.run import bagu
from tests.conftest import EXAMPLE_VAULT


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_batch_grades_references_and_cards_and_names_bad_lines(
    tmp_path: Path, db_path: Path
) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    with sqlite3.connect(db_path) as conn:
        key, back = conn.execute(
            "SELECT key, back FROM cards WHERE kind = 'cloze' AND status = 'active'"
        ).fetchone()
    items = [
        {
            "id": "swap",
            "question": "Redis › 持久化",
            "answer": "AOF 是快照，RDB 记录写命令",
            "reference": "Redis 有 **RDB** 和 **AOF** 两种。\n\nRDB 是快照，AOF 记录写命令。",
        },
        {
            "id": "term",
            "kind": "cloze",
            "question": "会出现［…］",
            "reference": "幻读",
            "answer": "phantom read",
        },
        {"id": "card", "card": key[:8], "answer": back},
        {"id": "nocard", "card": "ffffffffff", "answer": "x"},
        {"id": "noref", "answer": "x"},
    ]
    batch = tmp_path / "answers.jsonl"
    batch.write_text(
        "\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\nnot json\n",
        encoding="utf-8",
    )
    result = bagu(
        "grade", "--batch", str(batch), "-V", str(EXAMPLE_VAULT), "--embedder", "none", db=db_path
    )
    assert result.returncode == 0, result.stderr
    out = _lines(result.stdout)
    swap, term, card, nocard, noref, bad = out
    assert swap["rating"] == 1 and swap["contradicted"] and "AOF" in swap["reason"]
    assert term["rating"] >= 3 and term["hit"][0]["how"] == "glossary"  # type: ignore[index]
    assert card["id"] == "card" and card["rating"] == 4 and not card["missed"]
    assert "no card" in str(nocard["error"]) and "'reference' must be a string" in str(
        noref["error"]
    )
    assert bad == {"line": 6, "error": "not a JSON line"}
    assert "graded by their words only" in result.stderr


def test_batch_file_that_is_missing_or_not_text_is_a_clear_error(
    tmp_path: Path, db_path: Path
) -> None:
    missing = bagu(
        "grade", "--batch", str(tmp_path / "nope.jsonl"), "--embedder", "none", db=db_path
    )
    assert missing.returncode != 0 and "cannot read" in missing.stderr
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = bagu("grade", "--batch", str(binary), "--embedder", "none", db=db_path)
    assert result.returncode != 0 and "not UTF-8" in result.stderr
