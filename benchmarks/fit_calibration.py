"""Fit the search confidence (`bagu.search.hybrid.Calibration`) for one set of available signals.

The confidence says whether the notes cover a query; it is a logistic function of the top hit's
semantic z-score, whether it matched every word, how many of the query's names its top hits mention,
how many of its other words the vault knows, and each signal's best cosine. This script reads those
features from the search itself (`Searcher.assess`) on two query sets, the corpus dev set and the
example vault's, fits the weights by logistic regression (Newton's method, a little L2), moves the
bias so that at most `--spare` of the answerable tuning questions fall below 0.5, and reports
abstention on a held-out third of every query kind (chosen by a hash of the query id, so the split
never changes), in Chinese and in English apart.

`--signals complete` fits the default signals (USE and e5), `--signals use` the state of the first
minutes of a first index, when only USE is embedded. The printed `Calibration(...)` is what
`hybrid.py` holds. Run:
`python benchmarks/fit_calibration.py --signals use [--corpus-db DB] [--example-db DB]`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from bagu.search.embedders import Signal, load_signals
from bagu.search.hybrid import Calibration
from bagu.search.service import Searcher
from bagu.vault.language import detect_language
from corpus_index import DEFAULT_VAULT, ROOT, open_index

DATA = ROOT / "benchmarks" / "data"
SETS = (
    (DEFAULT_VAULT, DATA / "search_dev.jsonl"),
    (ROOT / "examples" / "vault", DATA / "search_example_vault.jsonl"),
)
HELD_OUT_SHARE = 3  # one query in three


def is_held_out(query_id: str) -> bool:
    return int(hashlib.sha256(query_id.encode("utf-8")).hexdigest(), 16) % HELD_OUT_SHARE == 0


def chosen_signals(name: str) -> list[Signal]:
    signals = load_signals()
    if name == "use":
        return [s for s in signals if s.embedder.name.startswith("use")]
    return signals


def features(
    searcher: Searcher, query: str, cosine_keys: list[str], reference_sections: int
) -> list[float]:
    top, evidence, sections = searcher.assess(query)
    if top is None:
        return [0.0, 0.0, evidence.covered, evidence.plain_known, *(0.0 for _ in cosine_keys)]
    scale = math.sqrt(math.log(reference_sections)) / math.sqrt(math.log(max(sections, 10)))
    return [
        top.semantic * scale,
        float(evidence.every_word_matched and top.lexical > 0),
        evidence.covered,
        evidence.plain_known,
        *(evidence.best_cosines.get(key, 0.0) for key in cosine_keys),
    ]


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 50) -> np.ndarray:
    """Weights (bias first) by Newton's method; the bias is not penalised."""
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty * w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def report(label: str, logits: np.ndarray, rows: list[dict[str, Any]]) -> None:
    def rate(selected: list[int], abstained: bool) -> str:
        if not selected:
            return "  -  "
        hits = sum((logits[i] < 0) == abstained for i in selected)
        return f"{hits / len(selected):.0%} of {len(selected)}"

    for language in ("zh", "en", "all"):
        chosen = [i for i, row in enumerate(rows) if language in ("all", row["language"])]
        uncovered = [i for i in chosen if not rows[i]["covered"]]
        answerable = [i for i in chosen if rows[i]["covered"]]
        print(
            f"  {label:<9} {language:<4} uncovered abstained {rate(uncovered, True):<12} "
            f"answerable wrongly abstained {rate(answerable, True)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--signals", choices=("complete", "use"), default="complete")
    parser.add_argument(
        "--corpus-db", type=Path, help="an index of the corpus with these signals embedded"
    )
    parser.add_argument("--example-db", type=Path, help="an index of the example vault, likewise")
    parser.add_argument(
        "--spare", type=float, default=0.03, help="answerable tuning questions that may abstain"
    )
    args = parser.parse_args()
    signals = chosen_signals(args.signals)
    cosine_keys = [s.key for s in signals if s.kind == "body"]
    reference_sections = Calibration(0, 0, 0, 0, 0).reference_sections
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for (vault, queries), db in zip(SETS, (args.corpus_db, args.example_db), strict=True):
            folder = Path(scratch) / vault.name
            folder.mkdir()
            conn, _, _ = open_index(vault, db, folder)
            searcher = Searcher(conn, signals)
            for line in queries.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                item = json.loads(line)
                rows.append(
                    {
                        "x": features(searcher, item["query"], cosine_keys, reference_sections),
                        "covered": item["kind"] != "none",
                        "held_out": is_held_out(f"{vault.name}/{item['id']}"),
                        "language": "zh" if detect_language(item["query"]) == "zh" else "en",
                    }
                )
    x = np.array([row["x"] for row in rows])
    y = np.array([float(row["covered"]) for row in rows])
    tune = np.array([not row["held_out"] for row in rows])
    w = fit_logistic(x[tune], y[tune])
    logits = np.hstack([np.ones((len(x), 1)), x]) @ w
    answerable = [float(logits[i]) for i in range(len(rows)) if tune[i] and rows[i]["covered"]]
    cut = float(np.quantile(answerable, args.spare))  # this logit and above is kept: move it to 0
    w[0] -= cut
    logits = logits - cut
    print(
        f"signals: {[s.key for s in signals]}; {len(rows)} queries, {int((~tune).sum())} held out"
    )
    report("tuning", logits[tune], [r for r, t in zip(rows, tune, strict=True) if t])
    report("held out", logits[~tune], [r for r, t in zip(rows, tune, strict=True) if not t])
    names = ("per_z", "all_words", "covered", "plain_known")
    values = ", ".join(f"{n}={v:.4f}" for n, v in zip(names, w[1:5], strict=True))
    cosines = tuple((key, round(float(v), 4)) for key, v in zip(cosine_keys, w[5:], strict=True))
    print(f"\nCalibration(bias={w[0]:.3f}, {values}, cosines={cosines})")


if __name__ == "__main__":
    main()
