"""Does the slow model need every body chunk? Hybrid search with e5 on titles and bodies, on titles
and each section's first body chunk, on titles only, and without e5, on the same index and dev set
(issue 20: a first index spends most of its time on e5 bodies). Recall@5 / MRR@10 / nDCG@10 over all
answerable queries and over the held-out third, and the share of uncovered / answerable queries
abstained.

Run on an index of the corpus with every e5 body chunk embedded (one `bagu index` built before the
default became the first body chunk, or `embed_vault` with `Signal(e5, "body")`):
`python benchmarks/experiment_slow_signal.py --db PATH/bagu.db [--clip 100]` (`--clip` embeds each
section's first body chunk again, cut by `clip_body`, ~2 minutes on the corpus).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from bagu.search.chunks import clip_body
from bagu.search.embedders import Signal, load_signals
from bagu.search.service import Searcher, SearchMode
from bagu.store.db import connect
from bagu.store.sqlite import sqlite3
from bench_search import DEV_SET, _bagu, _copies, _sections, evaluate
from fit_calibration import is_held_out


def first_chunks_only(searcher: Searcher, key: str, keep: int) -> None:
    """As if the signal `key` had embedded only each section's first `keep` chunks."""
    for scorer in searcher.scorers:
        if scorer.key != key:
            continue
        ends = np.append(scorer.starts[1:], len(scorer.matrix))
        rows = np.concatenate(
            [
                np.arange(start, min(end, start + keep))
                for start, end in zip(scorer.starts, ends, strict=True)
            ]
        )
        scorer.matrix = scorer.matrix[rows]
        sizes = np.minimum(ends - scorer.starts, keep)
        scorer.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])


def clipped_first_chunks(
    searcher: Searcher, conn: sqlite3.Connection, signal: Signal, chars: int
) -> None:
    """As if `signal` had embedded each section's first body chunk cut by clip_body to `chars`
    (embeds them now)."""
    rows = conn.execute(
        "SELECT section_id, text FROM chunks c WHERE kind = 'body' AND ordinal = "
        "(SELECT min(ordinal) FROM chunks d WHERE d.section_id = c.section_id AND d.kind = "
        "'body') ORDER BY section_id"
    ).fetchall()
    vectors = signal.embedder.embed_documents([clip_body(text, chars) for _, text in rows])
    for scorer in searcher.scorers:
        if scorer.key == signal.key:
            scorer.matrix = vectors.astype(np.float32)
            scorer.sections = np.array([section_id for section_id, _ in rows])
            scorer.starts = np.arange(len(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument(
        "--clip", type=int, default=0, help="also: the first body chunk cut to this many characters"
    )
    args = parser.parse_args()
    queries = [
        json.loads(line)
        for line in DEV_SET.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    conn = connect(args.db, create=False)
    signals = load_signals()
    e5_body = next(
        (
            s.key
            for s in signals
            if s.embedder.name.startswith("multilingual-e5") and s.kind == "body"
        ),
        "",
    )
    variants: dict[str, tuple[list[Signal], int, int]] = {
        "USE + e5 titles and every body chunk": (signals, 0, 0),
        "USE + e5 titles and whole first body chunk": (signals, 1, 0),
        "USE + e5 titles only": (
            [
                s
                for s in signals
                if not (s.embedder.name.startswith("multilingual-e5") and s.kind == "body")
            ],
            0,
            0,
        ),
        "USE only": (
            [s for s in signals if not s.embedder.name.startswith("multilingual-e5")],
            0,
            0,
        ),
    }
    if args.clip:
        variants[f"USE + e5 titles and first body chunk, {args.clip} chars"] = (
            signals,
            1,
            args.clip,
        )
    copies = _copies(_sections(conn))
    held = [q for q in queries if is_held_out(f"interview-notes/{q['id']}")]
    for name, (chosen, keep, clip) in variants.items():
        searcher = Searcher(conn, chosen)
        if keep:
            first_chunks_only(searcher, e5_body, keep)
        if clip:
            clipped_first_chunks(searcher, conn, next(s for s in signals if s.key == e5_body), clip)
        searcher.search("warm up")
        for label, subset in (("all", queries), ("held out", held)):
            result = evaluate(_bagu(searcher, SearchMode.HYBRID), subset, copies)
            figures = " / ".join(f"{v:.3f}" for v in result["all"][:3])  # type: ignore[index]
            abstain = f"{result['none'][3]:.2f} / {1 - result['all'][3]:.2f}"  # type: ignore[index]
            print(f"{name:<52} {label:<8} {figures}   abstained {abstain}")


if __name__ == "__main__":
    main()
