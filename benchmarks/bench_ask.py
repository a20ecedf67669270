"""`bagu ask` on the dev sets: does the extractive answer cite an expected section, say the key
points, and abstain when it should?

`--set search` takes the search dev set (`benchmarks/data/search_dev.jsonl`): for questions the
notes cover, an answer is correct when its first citation is one of the expected sections; for
uncovered ones, when it abstains. `--set ask` (the default) takes `benchmarks/data/ask_dev.jsonl`:
66 questions written with the key points a good spoken answer holds, by a judge who never saw bagu,
a third held out; per split it reports the answers covering at least half of their key points (the
grader's term rule, no model: a point is said when its words are), the first citation expected,
dangling sentences (a lead-in without its list, a label, a question, an image name or table debris),
empty-anchor citations and the uncovered questions abstained. Prints each answer with its citations
(`--show N`), the figures per query kind, and the time per answer. Run:
`python benchmarks/bench_ask.py --db INDEX.db` (an index of ../shared/corpus/interview-notes built
by `bagu index`, embeddings included) or without `--db` to build one in a scratch folder.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bagu.coach.asker import Asker
from bagu.coach.cited_answer import Answer
from bagu.review.grade import KeyPoint, grade_answer
from bagu.search.service import Searcher
from bagu.vault.prose import HTML_TAG, introduces
from corpus_index import DEFAULT_VAULT, ROOT, open_index

DEV_SET = ROOT / "benchmarks" / "data" / "search_dev.jsonl"
ASK_SET = ROOT / "benchmarks" / "data" / "ask_dev.jsonl"
_CITED = re.compile(r"\s*\[\d+\]")
_DEBRIS = re.compile(
    rf"image-\d{{6,}}|\.(?:png|jpe?g|gif|svg)\b|\||{HTML_TAG.pattern}", re.IGNORECASE
)


def dangling(sentence: str, bold: tuple[str, ...] = ()) -> bool:
    """A sentence that is no claim said aloud: a lead-in without what it leads to, a label, a
    question."""
    text = sentence.strip()
    return introduces(text, bold) or text.endswith(("？", "?")) or bool(_DEBRIS.search(text))


def key_point_share(question: str, answer: Answer, points: list[str]) -> float:
    """The share of the key points the answer says, by their words (half a point when half its words
    are)."""
    if not points:
        return 0.0
    said = " ".join(
        _CITED.sub("", s.text) + (f" {s.english}" if s.english else "") for s in answer.sentences
    )
    grade = grade_answer(question, said, [KeyPoint(p) for p in points])
    return sum(1.0 if r.credit >= 1 else 0.5 if r.credit else 0.0 for r in grade.points) / len(
        points
    )


def ask_report(asker: Asker, show: int, questions: Path = ASK_SET) -> None:
    items = [
        json.loads(line)
        for line in questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows: dict[str, list[dict[str, float]]] = {"tune": [], "held out": []}
    shown = 0
    for item in items:
        answer = asker.ask(item["question"])
        split = "held out" if item["held_out"] else "tune"
        if item["kind"] == "uncovered":
            rows[split].append({"uncovered": 1.0, "abstained": float(answer.abstained)})
            continue
        expected = {(e["path"], e["heading"]) for e in item["expected"]}
        first = [
            (c.path, c.heading_path[-1] if c.heading_path else "") for c in answer.citations[:1]
        ]
        share = (
            0.0
            if answer.abstained
            else key_point_share(item["question"], answer, item["key_points"])
        )
        row = {
            "uncovered": 0.0,
            "abstained": float(answer.abstained),
            "half": float(share >= 0.5),
            "share": share,
            "cited": float(bool(set(first) & expected)),
            "dangling": float(sum(dangling(s.text) for s in answer.sentences)),
            # a heading cited without its anchor; text before the first heading cites the note and
            # its line
            "empty_anchor": float(
                sum(bool(c.heading_path) and not c.anchor.strip() for c in answer.citations)
            ),
            "sentences": float(len(answer.sentences)),
        }
        rows[split].append(row)
        if shown < show:
            shown += 1
            print(
                f"[{item['id']} {item['kind']} {split}] {item['question']}  key points {share:.2f}"
            )
            print(f"    {answer.text[:400]}")
    print()
    for split, found in rows.items():
        covered = [r for r in found if not r["uncovered"]]
        uncovered = [r for r in found if r["uncovered"]]
        n = len(covered) or 1
        print(
            f"{split:<8} n={len(covered)}: half the key "
            f"points {sum(r.get('half', 0) for r in covered) / n:.0%}, "
            f"mean key points {sum(r.get('share', 0) for r in covered) / n:.2f}, "
            f"first citation expected {sum(r.get('cited', 0) for r in covered) / n:.0%}, "
            f"wrongly abstained {sum(r['abstained'] for r in covered)}, "
            f"dangling sentences {sum(r.get('dangling', 0) for r in covered):.0f}, "
            f"empty anchors {sum(r.get('empty_anchor', 0) for r in covered):.0f}, "
            f"sentences per answer {sum(r.get('sentences', 0) for r in covered) / n:.1f}; "
            f"uncovered abstained {sum(r['abstained'] for r in uncovered):.0f}/{len(uncovered)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("vault", nargs="?", type=Path, default=DEFAULT_VAULT)
    parser.add_argument("--db", type=Path, help="reuse this index instead of building one")
    parser.add_argument(
        "--show", type=int, default=20, help="print this many answers (covered questions)"
    )
    parser.add_argument(
        "--set", choices=("ask", "search"), default="ask", help="the dev set to answer"
    )
    parser.add_argument(
        "--questions",
        type=Path,
        default=ASK_SET,
        help="an ask set of another vault (benchmarks/data/ask_probe*.jsonl with its vault)",
    )
    args = parser.parse_args()
    queries = [
        json.loads(line)
        for line in DEV_SET.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    scratch = Path(tempfile.mkdtemp())
    try:
        conn, signals, _ = open_index(args.vault, args.db, scratch)
        asker = Asker(Searcher(conn, signals))
        asker.ask("warm up the model")
        if args.set == "ask":
            ask_report(asker, args.show, args.questions)
            return
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
                cited = {
                    (c.path, c.heading_path[-1] if c.heading_path else "")
                    for c in answer.citations[:1]
                }
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
        print(
            f"all covered: {sum(covered)}/{len(covered)} cited right; "
            f"semantic: {asker.searcher.is_semantic}"
        )
        print(f"latency per answer: p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
