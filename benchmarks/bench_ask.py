"""`bagu ask` on the dev set: does the extractive answer cite an expected section, and abstain when it should?

Takes the search dev set (`benchmarks/data/search_dev.jsonl`): for questions the notes cover, an answer is
correct when its first citation is one of the expected sections; for uncovered ones, when it abstains.
Prints each answer with its citations (`--show N`), the figures per query kind, and the time per answer.
Run: `python benchmarks/bench_ask.py --db INDEX.db` (an index of ../shared/corpus/interview-notes built by
`bagu index`, embeddings included) or without `--db` to build one in a scratch folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bagu.coach.answer import Asker
from bagu.search.service import Searcher
from corpus_index import DEFAULT_VAULT, ROOT, open_index

DEV_SET = ROOT / "benchmarks" / "data" / "search_dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("vault", nargs="?", type=Path, default=DEFAULT_VAULT)
    parser.add_argument("--db", type=Path, help="reuse this index instead of building one")
    parser.add_argument("--show", type=int, default=20, help="print this many answers (covered questions)")
    args = parser.parse_args()
    queries = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    scratch = Path(tempfile.mkdtemp())
    try:
        conn, signals, _ = open_index(args.vault, args.db, scratch)
        asker = Asker(Searcher(conn, signals))
        asker.ask("warm up the model")
        per_kind: dict[str, list[bool]] = {}
        times = []
        shown = 0
        for item in queries:
            started = time.perf_counter()
            answer = asker.ask(item["query"])
            times.append((time.perf_counter() - started) * 1000)
            expected = {(e["path"], e["heading"]) for e in item["expected"]}
            if item["kind"] == "none":
                correct = answer.abstained
            else:
                cited = {(c.path, c.heading_path[-1] if c.heading_path else "") for c in answer.citations[:1]}
                correct = bool(cited & expected)
            per_kind.setdefault(item["kind"], []).append(correct)
            if item["kind"] != "none" and shown < args.show:
                shown += 1
                mark = "✓" if correct else "✗"
                print(f"{mark} [{item['id']}] {item['query']}")
                print(f"    {answer.text[:300]}")
                for c in answer.citations:
                    print(f"    [{c.n}] {c.path}:{c.line} #{c.anchor}")
        print()
        for kind, hits in per_kind.items():
            verb = "abstained" if kind == "none" else "first citation expected"
            print(f"{kind:<5} {sum(hits)}/{len(hits)} {verb}")
        covered = [h for k, v in per_kind.items() if k != "none" for h in v]
        print(f"all covered: {sum(covered)}/{len(covered)} cited right; semantic: {asker.searcher.is_semantic}")
        print(f"latency per answer: p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
