"""Search quality and speed on the dev set, bagu's modes beside two baselines run in the same
script.

Dev set: `benchmarks/data/search_dev.jsonl` (Chinese questions, English questions about Chinese
notes, short keywords, and questions the notes do not cover), expected sections named by (path,
heading). Baselines: plain SQLite FTS5 (unicode61 over the raw text), rank_bm25 (Okapi) over jieba
tokens, USE alone (titles and body chunks), and reciprocal rank fusion of the last two, the naive
fusion the issue compares with. Figures per query kind: Recall@5, MRR@10, nDCG@10, abstention
accuracy; latency p50/p95; index size. bagu's rows are repeated for the held-out third of the
queries (`fit_calibration.is_held_out`, a hash of the query id: the part no weight or cut-off was
fitted on), and for the USE-only state of a first index. Run: `make bench` or
`python benchmarks/bench_search.py [VAULT] [--db EXISTING.db]`.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bagu.search.embedders import load_signals
from bagu.search.service import Searcher, SearchMode
from bagu.store.sqlite import sqlite3
from bagu.vault.language import CJK
from corpus_index import DEFAULT_VAULT, ROOT, open_index
from fit_calibration import is_held_out

DEV_SET = ROOT / "benchmarks" / "data" / "search_dev.jsonl"
KINDS = ("zh", "en", "kw", "none")
Key = tuple[str, str]
System = Callable[[str], tuple[list[Key], bool]]  # query → ranked (path, heading), abstained


def _metrics(ranked: list[Key], expected: set[Key]) -> tuple[float, float, float]:
    recall5 = float(any(key in expected for key in ranked[:5]))
    mrr = next((1 / rank for rank, key in enumerate(ranked[:10], 1) if key in expected), 0.0)
    dcg = sum(1 / math.log2(rank + 1) for rank, key in enumerate(ranked[:10], 1) if key in expected)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(expected), 10) + 1))
    return recall5, mrr, dcg / ideal


def evaluate(
    system: System, queries: list[dict[str, object]], copies: dict[Key, Key]
) -> dict[str, object]:
    """`copies` maps a section to the first section with the same heading and text (notes copied
    between files): both answer the question equally, so they count as one answer."""
    per_kind: dict[str, list[tuple[float, float, float, float]]] = {kind: [] for kind in KINDS}
    latencies = []
    for item in queries:
        started = time.perf_counter()
        ranked, abstained = system(str(item["query"]))
        latencies.append((time.perf_counter() - started) * 1000)
        ranked = list(dict.fromkeys(copies.get(key, key) for key in ranked))
        expected = {
            copies.get(key, key) for key in ((e["path"], e["heading"]) for e in item["expected"])
        }  # type: ignore[attr-defined]
        kind = str(item["kind"])
        if kind == "none":
            per_kind[kind].append((0.0, 0.0, 0.0, float(abstained)))
        # a question known to be answerable, without labelled sections: abstention only
        elif not expected:
            per_kind[kind].append((math.nan, math.nan, math.nan, float(not abstained)))
        else:
            per_kind[kind].append((*_metrics(ranked, expected), float(not abstained)))
    answerable = [row for kind in ("zh", "en", "kw") for row in per_kind[kind]]
    summary: dict[str, object] = {}
    for name, rows in [*per_kind.items(), ("all", answerable)]:
        columns = (
            [[v for v in col if not math.isnan(v)] for col in zip(*rows, strict=True)]
            if rows
            else []
        )
        summary[name] = [round(statistics.fmean(col), 3) if col else math.nan for col in columns]
    # uncovered questions by the language they are asked in (a Chinese character or none)
    for language, chinese in (("zh", True), ("en", False)):
        shares = [
            row[3]
            for item, row in zip(
                [q for q in queries if q["kind"] == "none"], per_kind["none"], strict=True
            )
            if bool(CJK.search(str(item["query"]))) == chinese
        ]
        summary[f"uncovered_{language}"] = (
            (round(statistics.fmean(shares), 2), len(shares)) if shares else None
        )
    latencies.sort()
    summary["p50_ms"] = round(latencies[len(latencies) // 2], 1)
    summary["p95_ms"] = round(latencies[int(len(latencies) * 0.95) - 1], 1)
    return summary


def _bagu(searcher: Searcher, mode: SearchMode, depth: int = 10, baseline: bool = False) -> System:
    def run(query: str) -> tuple[list[Key], bool]:
        results = searcher.search(query, k=depth, mode=mode)
        return [(h.path, h.heading) for h in results.hits], results.abstained and not baseline

    return run


def _sections(conn: sqlite3.Connection) -> list[tuple[Key, str]]:
    rows = conn.execute(
        "SELECT d.path, s.heading, s.body FROM sections s JOIN documents d ON d.id = "
        "s.document_id ORDER BY s.id"
    )
    return [((row[0], row[1]), f"{row[1]}\n{row[2]}") for row in rows]


def _copies(sections: list[tuple[Key, str]]) -> dict[Key, Key]:
    """Each section → the first section with the same heading and text."""
    first: dict[tuple[str, str], Key] = {}
    copies = {}
    for key, text in sections:
        body = "".join(text.split())
        if len(body) >= 40:  # short sections share text by chance ("见上文"), not by copying
            copies[key] = first.setdefault((key[1], body), key)
    return copies


def _fts5_baseline(sections: list[tuple[Key, str]]) -> System:
    """What a plain SQLite app does: FTS5 with the default tokenizer over raw text, words ORed."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text)")
    db.executemany(
        "INSERT INTO t(rowid, text) VALUES (?, ?)",
        [(i, text) for i, (_, text) in enumerate(sections)],
    )

    def run(query: str) -> tuple[list[Key], bool]:
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            return [], False
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 10", (match,))
        return [sections[row[0]][0] for row in rows], False

    return run


def _bm25_baseline(sections: list[tuple[Key, str]], depth: int = 10) -> System:
    import jieba
    from rank_bm25 import BM25Okapi

    jieba.setLogLevel(60)

    def tokens(text: str) -> list[str]:
        return [
            t.lower()
            for t in jieba.cut_for_search(text)
            if t.strip() and any(c.isalnum() for c in t)
        ]

    bm25 = BM25Okapi([tokens(text) for _, text in sections])

    def run(query: str) -> tuple[list[Key], bool]:
        scores = bm25.get_scores(tokens(query))
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[:depth]
        return [sections[i][0] for i in order if scores[i] > 0], False

    return run


def _rrf(systems: list[System], k: int = 60) -> System:
    """Reciprocal rank fusion, Σ 1 / (k + rank): the naive fusion the issue's hidden set
    measures."""

    def run(query: str) -> tuple[list[Key], bool]:
        scores: dict[Key, float] = {}
        for system in systems:
            for rank, key in enumerate(system(query)[0], 1):
                scores[key] = scores.get(key, 0.0) + 1 / (k + rank)
        return sorted(scores, key=lambda key: -scores[key])[:10], False

    return run


def _print(name: str, summary: dict[str, object]) -> None:
    cells = []
    for kind in ("zh", "en", "kw", "all"):
        row = summary[kind]
        values = row[:3] if row else []  # type: ignore[index]
        cells.append(
            " ".join(f"{v:.2f}" for v in values) if values and not math.isnan(values[0]) else "-"
        )
    none, answerable = summary["none"], summary["all"]
    uncovered = f"{none[3]:.2f}" if none else "-"  # type: ignore[index]
    abstain = f"{uncovered}/{1 - answerable[3]:.2f}" if answerable else f"{uncovered}/-"  # type: ignore[index]
    print(
        f"{name:<22}"
        + "  ".join(f"{c:<15}" for c in cells)
        + f"{abstain:<11}{summary['p50_ms']:>7} {summary['p95_ms']:>7}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("vault", nargs="?", type=Path, default=DEFAULT_VAULT)
    parser.add_argument(
        "--db", type=Path, help="reuse this index (built by `bagu index`) instead of building one"
    )
    parser.add_argument(
        "--queries", type=Path, default=DEV_SET, help="a query set in the dev set's JSONL format"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    queries = [
        json.loads(line)
        for line in args.queries.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    scratch = Path(tempfile.mkdtemp())
    try:
        db_path = args.db or scratch / "bagu.db"
        conn, signals, build = open_index(args.vault, args.db, scratch)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        build["db_mb"] = round(db_path.stat().st_size / 1e6, 1)
        searcher = Searcher(conn, signals)
        searcher.search("warm up the model")
        sections = _sections(conn)
        systems: dict[str, System] = {
            "baseline fts5 raw": _fts5_baseline(sections),
            "baseline bm25+jieba": _bm25_baseline(sections),
            "bagu lexical": _bagu(searcher, SearchMode.LEXICAL),
        }
        use = Searcher(conn, load_signals("use"))
        if use.is_semantic:
            systems["baseline USE"] = _bagu(use, SearchMode.SEMANTIC, baseline=True)
            naive = [
                _bm25_baseline(sections, depth=50),
                _bagu(use, SearchMode.SEMANTIC, 50, baseline=True),
            ]
            systems["baseline RRF bm25+USE"] = _rrf(naive)
        if use.is_semantic:  # the first minutes of a first index: USE embedded, e5 not yet
            systems["bagu hybrid USE only"] = _bagu(use, SearchMode.HYBRID)
        if searcher.is_semantic:
            systems["bagu semantic"] = _bagu(searcher, SearchMode.SEMANTIC)
            systems["bagu hybrid"] = _bagu(searcher, SearchMode.HYBRID)
        copies = _copies(sections)
        results = {name: evaluate(system, queries, copies) for name, system in systems.items()}
        held = [q for q in queries if is_held_out(f"{args.vault.name}/{q['id']}")]
        for name in [n for n in systems if n.startswith("bagu")]:
            results[f"{name} (held out)"] = evaluate(systems[name], held, copies)
        if args.json:
            print(json.dumps({"build": build, "results": results}, indent=1))
            return
        counts = {kind: sum(1 for q in queries if q["kind"] == kind) for kind in KINDS}
        print(f"dev set: {len(queries)} queries {counts}; vault {args.vault}; build {build}")
        print(
            "cells: Recall@5 MRR@10 nDCG@10; abstain: share of uncovered abstained / share of "
            "answerable abstained\n"
        )
        print(
            f"{'system':<22}"
            + "  ".join(f"{k:<15}" for k in ("zh", "en", "kw", "all"))
            + f"{'abstain':<11}{'p50 ms':>7} {'p95 ms':>7}"
        )
        for name, summary in results.items():
            _print(name, summary)
        print("\nuncovered questions abstained, by the language they are asked in (share, count)")
        for name, summary in results.items():
            if name.startswith("bagu"):
                print(f"{name:<32} zh {summary['uncovered_zh']}  en {summary['uncovered_en']}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
