"""What scoring only the sign-code candidates (search/sign_codes.py) changes, measured on real
vectors.

A vault needs more than `semantic.EXACT_UP_TO` chunks before a signal scores candidates only, and
the corpus index has about 9,500. So this forces the candidate path on it, with the share of rows
rescored that the 10× vault gets (RESCORED_CHUNKS of its 290,000 USE body chunks: 1.4%), and
compares with exact scoring:
- per signal, the share of its ten best chunks among the rows nearest by code, with the query
  centred on the vectors' mean (as shipped) and with raw signs;
- for hybrid search over the dev questions, how often the top hit, the top ten and the abstention
  are the same, and how far the confidence moves.
Run: `python benchmarks/experiment_sign_codes.py --db <corpus index>` (benchmarks/corpus_index.py
builds one).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from bagu.search import semantic
from bagu.search.service import Searcher
from bagu.search.sign_codes import SignCodes, _packed
from corpus_index import DEFAULT_VAULT, open_index

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "benchmarks" / "data" / "search_dev.jsonl"
TEN_X_ROWS = 289_423  # USE body chunks of the 10× vault (bench_first_run.py --notes 4500)


def chunk_recall(searcher: Searcher, queries: list[str], share: float) -> None:
    for scorer in searcher.scorers:
        codes = SignCodes(scorer.matrix)
        raw = SignCodes(scorer.matrix)
        raw.mean = np.zeros_like(raw.mean)
        raw.words = np.ascontiguousarray(_packed(scorer.matrix > 0).T)
        count = max(10, round(share * len(scorer.matrix)))
        found = {"centred": [], "raw signs": []}
        for query in queries:
            vector = scorer.signal.embedder.embed_query(query)
            best = set(np.argsort(-(scorer.matrix @ vector))[:10].tolist())
            found["centred"].append(len(best & set(codes.nearest(vector, count).tolist())) / 10)
            found["raw signs"].append(len(best & set(raw.nearest(vector, count).tolist())) / 10)
        shares = ", ".join(f"{name} {np.mean(values):.3f}" for name, values in found.items())
        print(
            f"{scorer.key:34s} {count:5d} of {len(scorer.matrix):6d} rows: ten best chunks "
            f"found: {shares}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--vault", type=Path, default=DEFAULT_VAULT)
    args = parser.parse_args()
    queries = [
        json.loads(line)["query"]
        for line in DEV.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        conn, signals, _ = open_index(args.vault, args.db, Path(tmp))
        exact = Searcher(conn, signals)
        rows = max(len(scorer.matrix) for scorer in exact.scorers)
        share = semantic.RESCORED_CHUNKS / TEN_X_ROWS
        print(
            f"{len(queries)} dev questions; rows rescored: {share:.1%} of each signal's, as at "
            f"10×\n"
        )
        chunk_recall(exact, queries, share)
        before = [exact.search(q) for q in queries]
        semantic.EXACT_UP_TO, semantic.RESCORED_CHUNKS = 0, max(50, round(share * rows))
        after = [Searcher(conn, signals).search(q) for q in queries]
    same_top = np.mean(
        [
            [h.section_id for h in a.hits[:1]] == [h.section_id for h in b.hits[:1]]
            for a, b in zip(after, before, strict=True)
        ]
    )
    overlap = np.mean(
        [
            len({h.section_id for h in a.hits} & {h.section_id for h in b.hits})
            / max(len(b.hits), 1)
            for a, b in zip(after, before, strict=True)
        ]
    )
    abstained = np.mean([a.abstained == b.abstained for a, b in zip(after, before, strict=True)])
    moved = [
        abs((a.confidence or 0.0) - (b.confidence or 0.0))
        for a, b in zip(after, before, strict=True)
    ]
    print(
        f"\nhybrid search, candidates only vs every chunk ({semantic.RESCORED_CHUNKS} rows "
        f"rescored):"
    )
    print(
        f"  same top hit {same_top:.3f}   top-10 overlap {overlap:.3f}   same "
        f"abstention {abstained:.3f}"
    )
    print(f"  confidence moved: mean {np.mean(moved):.3f}, max {np.max(moved):.3f}")


if __name__ == "__main__":
    main()
