"""Fuse lexical and semantic evidence into one ranking, and say how sure the answer is.

Pure. Measured on the dev set (benchmarks/bench_search.py), a linear fusion of z-scored semantic
signals plus the BM25 score normalised by the query's best beat reciprocal rank fusion at every
weight tried (MRR@10 0.87 vs 0.83 on 114 answerable questions): RRF throws away how *much* better
the top lexical hit is. The confidence is a logistic function of the top hit's semantic z-sum,
whether it matched every query word, how many of the query's names and Chinese words its top hits
mention, how many of its other words the vault knows and how close the closest body chunk is, fitted
on two vaults' query sets.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from bagu.search.semantic import SectionScores

# Weight of the normalised BM25 score against the sum of semantic z-scores (dev-set sweep: 1.5, 2,
# 3, 4).
LEXICAL_WEIGHT = 3.0


@dataclass(frozen=True, slots=True)
class Calibration:
    """confidence = σ(bias + per_z · z_top + all_words · [every word matched] + covered ·
    Evidence.covered
    + plain_known · Evidence.plain_known + Σ cosine weight · that signal's best cosine).

    Fitted by logistic regression on two query sets at once: the dev set over the interview-notes
    corpus (136 answerable questions, 22 of them colloquial Chinese that avoid the notes' words, and
    38 uncovered) and the example vault's (40 answerable, 15 uncovered), a 2,124- and a 76-section
    vault. The bias is then moved so that 0.5 is the cut chosen leave-one-out: at most 5% of
    answerable questions abstained.
    """

    bias: float
    per_z: float
    all_words: float
    # Chinese words and names the top hits never mention (签证 or Webpack anywhere; JVM, G1 and
    # Spring Boot in notes about other things) mean the search found something else.
    covered: float
    # Plain English words the vault never uses (sourdough, cricket) count for less: an English
    # question to Chinese notes is full of them ("zombie" in "what is a zombie process").
    plain_known: float
    # `model/kind` → weight of that signal's best cosine. A z-score says a section stands out among
    # this vault's; the cosine says how close it is at all, the same in a small vault as in a large
    # one.
    cosines: tuple[tuple[str, float], ...] = ()
    threshold: float = 0.5
    # The dev vault's section count. The largest z-score among N sections grows like sqrt(2 ln N),
    # so the top z of a small vault is scaled up to what it would be among this many sections.
    reference_sections: int = 2124


# For the default signals (USE and e5). Leave-one-out on both sets together: 87% of uncovered
# questions abstained and 4.5% of answerable ones; without the cosines, at a cut as sparing of
# answerable ones, 66%/5.1%.
DEFAULT_CALIBRATION = Calibration(
    bias=-18.233,
    per_z=0.1437,
    all_words=0.8054,
    covered=3.7328,
    plain_known=0.7031,
    cosines=(("multilingual-e5-small-q4/body", 14.2538), ("use-multilingual-v3/body", 4.5769)),
)
# For USE alone: the first minutes of a first index, before e5 is embedded
# (benchmarks/fit_calibration.py --signals use). Fitted on two thirds of both query sets with at
# most 3% of their answerable questions abstained; on the held-out third, 47% of uncovered questions
# abstained and 3% of answerable ones. The generic calibration it replaces in that state abstained
# 76% and 7% (bench_search.py, "USE only").
USE_CALIBRATION = Calibration(
    bias=-6.772,
    per_z=0.0849,
    all_words=4.5633,
    covered=5.2637,
    plain_known=2.2880,
    cosines=(("use-multilingual-v3/body", 6.3153),),
)
# For any other models, whose cosines live on scales nobody measured here: scores and words only.
# Leave-one-out: 66% of uncovered questions abstained and 5.1% of answerable ones.
GENERIC_CALIBRATION = Calibration(
    bias=-4.672, per_z=0.1882, all_words=0.7418, covered=3.4798, plain_known=1.7642
)


def calibration_for(signal_keys: Collection[str]) -> Calibration:
    """The calibration fitted for the signals being searched: the default one when every signal it
    weighs is there, USE's alone while only USE is, else the generic one."""
    for calibration in (DEFAULT_CALIBRATION, USE_CALIBRATION):
        if all(key in signal_keys for key, _ in calibration.cosines):
            return calibration
    return GENERIC_CALIBRATION


@dataclass(frozen=True, slots=True)
class Fused:
    section_id: int
    score: float
    semantic: float  # summed z-scores
    lexical: float  # BM25 normalised by the best of this query (0 when absent)


def fuse(
    lexical: Sequence[tuple[int, float]],
    semantic: Sequence[tuple[SectionScores, float]],
    lexical_weight: float = LEXICAL_WEIGHT,
    per_signal: int = 50,
) -> list[Fused]:
    """Rank candidates by Σ weight·z (semantic) + lexical_weight · bm25 / max bm25.

    Candidates are the lexical hits and each signal's `per_signal` best sections: a section outside
    all of those cannot reach the top of the fused ranking in practice, and scoring every section
    costs more.
    """
    best_bm25 = max((score for _, score in lexical), default=0.0)
    lexical_norm = {i: score / best_bm25 for i, score in lexical} if best_bm25 > 0 else {}
    tops = [scores.top(per_signal) for scores, _ in semantic]
    candidates = list(dict.fromkeys([i for i, _ in lexical] + [i for top in tops for i in top]))
    ids = np.asarray(candidates, dtype=np.int64)
    semantic_sum = np.zeros(len(ids))
    for scores, weight in semantic:
        semantic_sum += weight * scores.at(ids)
    fused = []
    for section_id, z in zip(candidates, semantic_sum.tolist(), strict=True):
        lex = lexical_norm.get(section_id, 0.0)
        fused.append(Fused(section_id, z + lexical_weight * lex, z, lex))
    fused.sort(key=lambda f: -f.score)
    return fused


# A section whose own heading the query names in full (`HNSW` for `HNSW`, `分代回收` for
# `generational garbage collection`) moves up by this much of the fused score among the first
# NAMED_HEADING_POOL: its heading says it is about the question, where a sibling or the summary's
# section only mentions it. Dev set MRR@10 0.796 → 0.801 (tuning part), 0.781 → 0.795 (held out);
# weights 0.5, 1 and 2 were tried on the tuning part (a parent that only names its topic is left
# alone: `Raft` over its `日志同步`, `dropout` over its `训练过程` ranked worse).
NAMED_HEADING_BONUS = 1.0
NAMED_HEADING_POOL = 20


def named_sections(
    places: Mapping[int, tuple[str, tuple[str, ...]]],
    wanted: Set[str],
    heading_terms: Callable[[str], Iterable[str]],
) -> set[int]:
    """Of the sections at these places (id → note path and heading path), those whose own heading's
    terms are all `wanted` (the query's, case folded), unless a sub-section of theirs is among them
    too: the parent only names the topic its sub-section answers."""
    named = set()
    for section_id, (path, heading_path) in places.items():
        own = {t.casefold() for t in heading_terms(heading_path[-1])} if heading_path else set()
        parent = any(
            other == path
            and len(below) > len(heading_path)
            and below[: len(heading_path)] == heading_path
            for other, below in places.values()
        )
        if own and own <= wanted and not parent:
            named.add(section_id)
    return named


def with_named_headings(
    ranking: Sequence[Fused],
    named: Set[int],
    *,
    bonus: float = NAMED_HEADING_BONUS,
    pool: int = NAMED_HEADING_POOL,
) -> list[Fused]:
    """The ranking with the sections in `named` (of its first `pool`) raised by `bonus`."""
    if not named:
        return list(ranking)
    head = [
        replace(f, score=f.score + bonus) if f.section_id in named else f for f in ranking[:pool]
    ]
    head.sort(key=lambda f: -f.score)
    return [*head, *ranking[pool:]]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the words of a query say about its top hits, beside the scores. Each share is
    IDF-weighted (a rare term counts more than a common one) and 1.0 when the query has no such
    words."""

    every_word_matched: bool
    # share of its names and Chinese words (`tokenize.named_terms`) that the top hits mention
    covered: float
    plain_known: float  # share of its other words that the vault uses anywhere
    # `model/kind` → the highest cosine of any section for that signal
    best_cosines: Mapping[str, float]


def idf_share(document_counts: Mapping[str, int], sections: int, present: Set[str]) -> float:
    """The IDF-weighted share of the terms (with their section counts) that are in `present`; 1.0
    for none."""
    weights = {
        term: math.log((sections + 1) / (count + 0.5)) for term, count in document_counts.items()
    }
    total = sum(weights.values())
    if total <= 0:
        return 1.0
    return sum(w for term, w in weights.items() if term in present) / total


def confidence(
    top: Fused | None, evidence: Evidence, sections: int, calibration: Calibration
) -> float:
    """How likely the top hit answers the query; `sections` is how many sections were scored."""
    if top is None:
        return 0.0
    scale = math.sqrt(math.log(calibration.reference_sections)) / math.sqrt(
        math.log(max(sections, 10))
    )
    x = (
        calibration.bias
        + calibration.per_z * top.semantic * scale
        + calibration.all_words * float(evidence.every_word_matched and top.lexical > 0)
        + calibration.covered * evidence.covered
        + calibration.plain_known * evidence.plain_known
        + sum(weight * evidence.best_cosines.get(key, 0.0) for key, weight in calibration.cosines)
    )
    return 1 / (1 + math.exp(-x))
