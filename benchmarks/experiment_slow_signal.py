"""Does the slow model need every body chunk? Hybrid search with e5 on titles and bodies, on titles only, and
without e5, on the same index and dev set (issue 20: a first index spends most of its time on e5 bodies).

Run on an index `bagu index` built of the corpus with the default models:
`python benchmarks/experiment_slow_signal.py --db PATH/bagu.db`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bagu.search.embed import load_signals
from bagu.search.service import Searcher, SearchMode
from bagu.store.db import connect
from bench_search import DEV_SET, _bagu, _copies, _sections, evaluate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    queries = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    conn = connect(args.db, create=False)
    signals = load_signals()
    variants = {
        "USE + e5 titles and bodies (default)": signals,
        "USE + e5 titles only": [
            s for s in signals if not (s.embedder.name.startswith("multilingual-e5") and s.kind == "body")
        ],
        "USE only": [s for s in signals if not s.embedder.name.startswith("multilingual-e5")],
    }
    copies = _copies(_sections(conn))
    for name, chosen in variants.items():
        searcher = Searcher(conn, chosen)
        searcher.search("warm up")
        result = evaluate(_bagu(searcher, SearchMode.HYBRID), queries, copies)
        print(name, json.dumps(result, ensure_ascii=False)[:400])


if __name__ == "__main__":
    main()
