"""Card quality against a judged sample: today's deck beside the deck the quality model keeps.

Sample: `benchmarks/data/cards_judged.jsonl`, 260 cards of the generator as it was before the
quality model, drawn by `make_cards_sample.py` from the shared corpus and judged with
../shared/research/cards-rubric.md
(verdict, failure category, reason). `db/` is held out: nothing was tuned on it, and it is reported
apart. For each card the quality model (bagu.cards.quality) says made or not made; the figures are
the verdicts of the cards it keeps, per split, per kind and per failure category, and how many
useful cards it loses. `--fit` prints the flaw table of the tuning split that the penalties and the
cut-off were chosen from. A later sample judges a later generator's own output: its "today's deck"
line is that generator as judged, its "quality model" line what the current model would keep of it.
Run: `python benchmarks/bench_cards.py [--fit] [--show-dropped] [--deck]` (`--deck` also builds
today's deck of the corpus: cards per kind, sections with a card, summary-linked sections left
without one).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from bagu.cards.generate import MAX_WHOLE_BACK_CHARS
from bagu.cards.quality import (
    FATAL,
    Assessment,
    Flaw,
    assess_answer,
    assess_cloze,
    assess_list,
    assess_pair,
    fold_headings,
)
from bagu.vault.markdown import parse_document

DATA = Path(__file__).resolve().parent / "data"
# (file, what made its cards): each sample was drawn from the generator of its time and judged once.
SAMPLES = (
    (DATA / "cards_judged.jsonl", "the generator before the quality model"),
    (
        DATA / "cards_judged_v2.jsonl",
        "the first quality model, with topic lines (commit 'Cards: a quality model')",
    ),
    (
        DATA / "cards_judged_v3.jsonl",
        "the model with whole-answer questions and list lead-ins (commit 'Cards: review')",
    ),
    (
        DATA / "cards_judged_v4.jsonl",
        "the model with a card for every summary-linked section (commit 'Cards: every')",
    ),
    (
        DATA / "cards_judged_v5.jsonl",
        "the model with list shapes and 8-unit blanks (commit 'Lists keep their shape')",
    ),
    (
        DATA / "cards_judged_v6.jsonl",
        "the model with a lead-in per list (commit 'Cards: in a section with several')",
    ),
    (
        DATA / "cards_judged_v7.jsonl",
        "the model with list lead-ins required, 160-character backs and incident logs left out "
        "(commit 'Cards: a list needs a lead-in')",
    ),
    (
        DATA / "cards_judged_v8.jsonl",
        "the model with bracket-split pairs, shown counterparts and bare-label lists left out "
        "(commit 'Cards: a blank whose counterpart')",
    ),
    (
        DATA / "cards_judged_v9.jsonl",
        "the model of this stop's end: glossary giveaways, explain-it backs of stressed sentences "
        "(commit 'Cards: an explain-it card')",
    ),
    (
        DATA / "cards_judged_v10.jsonl",
        "the model with table rows asked one at a time and whole-section fallback backs "
        "(commit 'Cards: tables are kept as rows of cells')",
    ),
    (
        DATA / "cards_judged_v11.jsonl",
        "the model with bold beside Chinese punctuation, 320-character fallback backs and setup "
        "names left out "
        "(commit 'Bold beside Chinese punctuation is bold'), judged by two new judges",
    ),
    (
        DATA / "cards_judged_v13_*.jsonl",
        "generator 8: concept clozes and lists of names (commit d7bc454), 100 cards per split, "
        "judged by two new judges",
    ),
    (
        DATA / "cards_judged_v15_*.jsonl",
        "generator 10: backs that keep the outline (stop 38), 100 cards per split (the held-out "
        "split holds 107), judged by two new judges",
    ),
    (
        DATA / "cards_judged_v16_*.jsonl",
        "generator 13: long fallbacks said in 180 characters, pointing clozes left out (stop 40), "
        "100 cards per split (of 897 and 107), one new judge per split",
    ),
    (
        DATA / "cards_judged_v17_*.jsonl",
        "generator 17: captions leave with their code, the larger glossary, duplicate lists merged "
        "(stop 41), 100 cards per split (of 898 and 108), one new judge per split",
    ),
)
VERDICTS = ("useful", "marginal", "useless")
_PAIR_PREFIX = re.compile(r"^用(?:英|中)文说 \(say it in (?:English|Chinese)\): ")


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "interview-notes"


@cache
def note_headings(path: str) -> frozenset[str] | None:
    """The folded headings of a judged card's note in the shared corpus (None where the corpus or
    the note is missing: the concept check is then skipped, as the model does without them)."""
    note = CORPUS / path
    if not note.is_file():
        return None
    document = parse_document(path, note.read_text(encoding="utf-8", errors="replace"))
    return fold_headings(section.heading for section in document.sections)


def assess(row: dict[str, Any]) -> Assessment | None:
    """The model's view of a judged card; None when the new generator no longer makes that kind of
    card."""
    kind, front, back = row["kind"], row["front"], row["back"]
    topic, _, core = front.rpartition("\n") if kind == "cloze" else ("", "", front)
    if kind == "cloze":
        before, _, after = core.partition("［…］")
        return assess_cloze(
            before, back, after, topic=topic, note_headings=note_headings(row["path"])
        )
    if kind == "list":
        topic_line, _, lead_in = front.split(" — 列出")[0].partition("\n")
        items = tuple(re.sub(r"^\d+\.\s*", "", line) for line in back.splitlines())
        return assess_list(
            topic_line.split(" › ")[-1], items, frozenset(), lead_in=lead_in, topic=topic_line
        )
    # a back longer than the generator's bounds is cut now, so it is no whole answer
    if kind == "question":
        topic = front.removeprefix("讲讲 (explain): ")
        whole = len(back) <= MAX_WHOLE_BACK_CHARS
        return assess_answer(back.removesuffix("…"), complete=whole, topic=topic)
    if kind == "zh-en":
        return assess_pair(_PAIR_PREFIX.sub("", front), back)
    return None  # en-zh: a pair is one fact, drilled zh→en only


def share(counts: Counter[str], total: int) -> str:
    return " ".join(f"{v} {counts[v] / total:4.0%}" if total else f"{v}   –" for v in VERDICTS)


def report(rows: list[dict[str, Any]], label: str) -> None:
    kept = [r for r in rows if r["made"]]
    before = Counter(r["verdict"] for r in rows)
    after = Counter(r["verdict"] for r in kept)
    lost = sum(r["verdict"] == "useful" and not r["made"] for r in rows)
    print(f"\n{label}: {len(rows)} judged cards")
    print(f"  today's deck  (all {len(rows):3}): {share(before, len(rows))}")
    print(
        f"  quality model (kept {len(kept):3}): {share(after, len(kept))}   useful cards "
        f"lost: {lost}"
    )
    for kind in sorted({r["kind"] for r in rows}):
        of_kind = [r for r in rows if r["kind"] == kind]
        kept_kind = [r for r in of_kind if r["made"]]
        print(
            f"    {kind:9} {len(of_kind):3} → {len(kept_kind):3} kept: "
            f"{share(Counter(r['verdict'] for r in kept_kind), len(kept_kind))}"
        )
    categories = Counter(r["category"] for r in rows if r["verdict"] != "useful")
    left = Counter(r["category"] for r in kept if r["verdict"] != "useful")
    print(
        "  failure categories, today → kept: "
        + ", ".join(f"{c} {n}→{left[c]}" for c, n in categories.most_common())
    )


def fit_table(rows: list[dict[str, Any]]) -> None:
    """How each flaw splits the tuning cards: the evidence behind PENALTY, FATAL and MIN_SCORE."""
    print("\nflaw table (tuning split): cards with the flaw, and their verdicts")
    for flaw in Flaw:
        with_flaw = [
            r for r in rows if r["assessment"] is not None and flaw in r["assessment"].flaws
        ]
        if with_flaw:
            fatal = " (fatal)" if flaw in FATAL else ""
            print(
                f"  {flaw.value:18}{fatal:8} {len(with_flaw):3}: "
                f"{share(Counter(r['verdict'] for r in with_flaw), len(with_flaw))}"
            )
    clean = [r for r in rows if r["assessment"] is not None and not r["assessment"].flaws]
    print(
        f"  {'no flaw':26} {len(clean):3}: "
        f"{share(Counter(r['verdict'] for r in clean), len(clean))}"
    )


TRANSLATION_BARS = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def fit_translation_bar() -> None:
    """The evidence behind MIN_TRANSLATION_SCORE: every judged translation drill of every sample
    (each judgement once), by the USE cosine of its two sentences, per split. Fitted on the tuning
    split (stop 42): below 0.60 its drills were 35% useful against 62% above; a bar of 0.65 drops
    drills half of which were useful."""
    from bagu.search.embedders import load_embedder, text_similarity

    similarity = text_similarity(load_embedder("use"))
    if similarity is None:
        print("\n(no USE encoder installed: no translation bar to fit)")
        return
    rows = []
    for path in sorted(DATA.glob("cards_judged*.jsonl")):
        for row in _judged_rows(path):
            prompt = row.get("front", "").partition("say it in English): ")[2].strip()
            if row.get("kind") == "zh-en" and prompt:
                held = row.get("held_out", row.get("path", "").startswith("db/"))
                rows.append((similarity(prompt, row["back"]), row["verdict"], held))
    print(f"\n=== translation bar: {len(rows)} judgements of drills, by their pair's USE cosine")
    for split, held in (("tuning", False), ("held out", True)):
        chosen = [r for r in rows if r[2] == held]
        for bar in TRANSLATION_BARS:
            kept = Counter(v for c, v, _ in chosen if c >= bar)
            dropped = Counter(v for c, v, _ in chosen if c < bar)
            print(
                f"  {split:<8} >= {bar:.2f}: kept n={sum(kept.values()):<3} "
                f"{share(kept, sum(kept.values()))} | dropped n={sum(dropped.values()):<3} "
                f"useful {dropped['useful'] / max(sum(dropped.values()), 1):.0%}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument(
        "--fit", action="store_true", help="print the flaw table of the tuning split"
    )
    parser.add_argument(
        "--fit-translation",
        action="store_true",
        help="print the judged drills by their pair's cosine: the evidence for the translation bar",
    )
    parser.add_argument(
        "--show-dropped", action="store_true", help="print the useful cards the model drops"
    )
    parser.add_argument(
        "--deck",
        action="store_true",
        help="also build today's deck of the shared corpus: cards per kind and per section",
    )
    args = parser.parse_args()
    if args.deck:
        deck_shape()
    if args.fit_translation:
        fit_translation_bar()
    for sample, made_by in SAMPLES:
        rows = [
            json.loads(line)
            for part in sorted(sample.parent.glob(sample.name))
            for line in part.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        for row in rows:
            row.setdefault("held_out", row["path"].startswith("db/"))
            row["assessment"] = assess(row)
            row["made"] = row["assessment"] is not None and row["assessment"].is_made
        print(f"\n=== {sample.name}: {len(rows)} cards of {made_by}")
        tune = [r for r in rows if not r["held_out"]]
        report(tune, "tuning split (every top folder but db/)")
        report([r for r in rows if r["held_out"]], "held out (db/: nothing tuned on it)")
        if args.fit:
            fit_table(tune)
        if args.show_dropped:
            for row in tune:
                if row["verdict"] == "useful" and not row["made"]:
                    reason = (
                        "no longer made" if row["assessment"] is None else row["assessment"].reason
                    )
                    print(
                        f"  dropped useful {row['id']} {row['kind']}: {row['front'][:60]!r} "
                        f"→ {reason}"
                    )
    compare_backs(DATA / "cards_ab_outline.jsonl")
    compare_generators(DATA / "cards_judged_blind_v10_v11.jsonl")
    compare_decks(DATA / "cards_judged_blind_v11_v12.jsonl")
    compare_changed(DATA / "cards_judged_diff_07bb8db_ad97552.jsonl")
    compare_backs_by_section(DATA / "cards_judged_diff_v13_v14.jsonl")
    compare_outline_backs(DATA / "cards_judged_diff_v14_v15.jsonl")
    compare_back_variants(
        DATA / "cards_judged_ab_fallback_length.jsonl",
        ("320", "180"),
        "40 long sections' fallback backs within 320 and within 180 characters",
    )
    compare_stress_and_questions(DATA / "cards_judged_ab_stress_and_questions.jsonl")
    compare_back_variants(
        DATA / "cards_judged_ab_whole_backs.jsonl",
        ("whole", "180"),
        "40 whole backs of 181–320 characters and their cut versions",
    )
    compare_back_variants(
        DATA / "cards_judged_ab_whole_or_part.jsonl",
        ("whole", "180"),
        "29 fallbacks of sections of 321–480 characters said whole and as today's part",
    )
    compare_back_variants(
        DATA / "cards_judged_ab_captions.jsonl",
        ("gen14", "gen15"),
        "the 7 summary fallbacks generator 15 changed (captions of code, tables and figures left "
        "out with them)",
    )
    report_probe(DATA / "cards_judged_probe.jsonl", "the probe vault (generator 19)")
    report_probe(DATA / "cards_judged_probe2.jsonl", "probe2, studied in stop 43 (generator 21)")
    report_probe(
        DATA / "cards_judged_probe3.jsonl",
        "probe3, unseen when judged, then studied (generator 24)",
    )
    compare_back_variants(
        DATA / "cards_judged_ab_drill_topic.jsonl",
        ("plain", "topic"),
        "30 translation drills (24 tuning, 6 db/) prompted with and without their note and heading "
        "path",
    )


def report_probe(path: Path, what: str) -> None:
    """A probe vault's deck (benchmarks/vaults/probe, generator 19; probe2, generator 21, never
    studied), judged with the rubric by a judge who saw no earlier sample: how a vault nobody
    tuned on fares, per kind and category."""
    if not path.exists():
        return
    rows = _judged_rows(path)
    print(f"\n=== {path.name}: {len(rows)} cards of {what}, one new judge")
    print(f"  all        {share(Counter(r['verdict'] for r in rows), len(rows))}")
    for kind in sorted({r["kind"] for r in rows}):
        chosen = [r for r in rows if r["kind"] == kind]
        shares = share(Counter(r["verdict"] for r in chosen), len(chosen))
        print(f"  {kind:<10} n={len(chosen):<3} {shares}")
    failed = Counter(r["category"] for r in rows if r["verdict"] != "useful")
    print("  failure categories: " + ", ".join(f"{k} {v}" for k, v in failed.most_common()))


def compare_stress_and_questions(path: Path) -> None:
    """Blind, side by side (stop 40): the 11 question backs two changes moved, before (`old`) and
    after (`new`), two judges. Three pairs are a question kept because its own paragraph goes on to
    answer it (`为什么不是两次` better with both judges, `why`, `StatefulSet` the same): shipped.
    Eight are bold spans aligned to the units they were written in instead of any unit holding the
    word: worse for 3 sections with one judge and 1 with the other, better for none: left out."""
    if not path.exists():
        return
    rows = _judged_rows(path)
    print(f"\n=== {path.name}: {len(rows)} judgements of 11 question backs before and after, blind")
    order = {verdict: rank for rank, verdict in enumerate(reversed(VERDICTS))}
    for change in ("question kept", "bold aligned"):
        for judge in sorted({r["judge"] for r in rows}):
            pairs: dict[str, dict[str, str]] = {}
            for r in rows:
                if r["judge"] == judge and r["change"] == change:
                    pairs.setdefault(r["id"][:3], {})[r["variant"]] = r["verdict"]
            better = sum(order[p["new"]] > order[p["old"]] for p in pairs.values())
            worse = sum(order[p["new"]] < order[p["old"]] for p in pairs.values())
            print(
                f"  {change:<13} judge {judge}: {len(pairs)} sections, after better for {better}, "
                f"worse for {worse}"
            )


def compare_back_variants(path: Path, variants: tuple[str, str], what: str) -> None:
    """A blind A/B judgement of stop 40: two backs of each section shuffled under one prompt, two
    judges each judging all, per judge, split and variant. The summary's fallback for 40 sections
    too long to say whole (all 17 of db/, 23 others) within 320 characters or 180 (shipped);
    question backs that are their whole section of 181–320 characters (40 of the corpus's 42),
    whole or cut to 180 (cut, they lost what made them an answer: not shipped); and 29 sections of
    321–480, whole or today's 180-character part (the judges split). Stop 41: the 7 summary
    fallbacks generator 15 changed, each judge saying which of the pair is better (`preferred`):
    every back was marginal either way, and both judges preferred generator 15's in 4 of 7. Stop 42:
    30 translation drills with and without the note and heading path over their sentence (generator
    18): both judges preferred the prompt with its topic in 23 and 22 of 30 and the bare one in
    none; useful 13 → 22 and 19 → 21 of 30."""
    if not path.exists():
        return
    rows = _judged_rows(path)
    print(f"\n=== {path.name}: {len(rows)} judgements of {what}, blind")
    for judge in sorted({r["judge"] for r in rows}):
        for split, held in (("tuning", False), ("held out", True)):
            for variant in variants:
                chosen = [
                    r
                    for r in rows
                    if r["judge"] == judge and r["variant"] == variant and r["held_out"] == held
                ]
                if not chosen:
                    continue
                preferred = sum(bool(r.get("preferred")) for r in chosen)
                print(
                    f"  judge {judge} {split:<8} {variant:<5} n={len(chosen):<3} "
                    f"{share(Counter(r['verdict'] for r in chosen), len(chosen))}"
                    + (f", preferred in {preferred}" if "preferred" in chosen[0] else "")
                )


def compare_generators(path: Path) -> None:
    """The v10 and v11 samples again, shuffled together and judged blind by one new judge per split:
    judges differ more than generators do (v10's own judges said 65% / 68% useful), so only such a
    side-by-side says whether a generator is better."""
    if not path.exists():
        return
    rows = _judged_rows(path)
    print(
        f"\n=== {path.name}: {len(rows)} cards of two samples, judged blind together, one judge "
        f"per split"
    )
    for split, held in (("tuning", False), ("held out", True)):
        for generator in sorted({r["generator"] for r in rows}):
            chosen = [r for r in rows if r["generator"] == generator and r["held_out"] == held]
            print(
                f"  {generator:<4} {split:<8} "
                f"n={len(chosen):<3} {share(Counter(r['verdict'] for r in chosen), len(chosen))}"
            )


def compare_backs(path: Path) -> None:
    """A blind A/B judgement: the same long summary-linked sections, explained by their stressed and
    opening sentences (today's back) or by one claim per paragraph (an outline, tried and left
    out)."""
    if not path.exists():
        return
    rows = _judged_rows(path)
    print(
        f"\n=== {path.name}: {len(rows) // 2} long sections, two backs each, judged blind and "
        f"shuffled"
    )
    for variant in ("opening", "outline"):
        for split, held in (("tuning", False), ("held out", True)):
            chosen = [r for r in rows if r["variant"] == variant and r["held_out"] == held]
            print(
                f"  {variant:<8} {split:<8} "
                f"n={len(chosen):<3} {share(Counter(r['verdict'] for r in chosen), len(chosen))}"
            )


def compare_decks(path: Path) -> None:
    """The v11 deck (commit 1089856) and the v12 deck (commit 07bb8db: clozes must hide a concept,
    labels said with their lines), 100 + 100 cards drawn from each, shuffled together and judged
    blind (one judge per half of the tuning split, one for the held-out one). Each deck's figure is
    its own draw's; the cards only one deck holds say what the change did."""
    if not path.exists():
        return
    rows = _judged_rows(path)
    print(f"\n=== {path.name}: {len(rows)} cards of two decks, judged blind together")
    for split, held in (("tuning", False), ("held out", True)):
        for deck in ("v11", "v12"):
            drawn = [r for r in rows if deck in r["drawn_for"] and r["held_out"] == held]
            print(
                f"  {deck} draw {split:<8} n={len(drawn):<3} "
                f"{share(Counter(r['verdict'] for r in drawn), len(drawn))}"
            )
        for label, only in (("only in v11", "in_v11"), ("only in v12", "in_v12")):
            other = "in_v12" if only == "in_v11" else "in_v11"
            alone = [r for r in rows if r[only] and not r[other] and r["held_out"] == held]
            print(
                f"  {label} {split:<8} n={len(alone):<3} "
                f"{share(Counter(r['verdict'] for r in alone), len(alone))}"
            )


def _judged_rows(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def by_deck(rows: list[dict[str, Any]], decks: tuple[str, ...]) -> None:
    """Verdict shares of a blind sample's cards, per deck they came from and per split."""
    width = max(len(deck) for deck in decks) + 1
    for deck in decks:
        for split, held in (("tuning", False), ("held out", True)):
            chosen = [r for r in rows if r["deck"] == deck and r["held_out"] == held]
            if chosen:
                print(
                    f"  {deck:<{width}} {split:<8} n={len(chosen):<3} "
                    f"{share(Counter(r['verdict'] for r in chosen), len(chosen))}"
                )


def compare_changed(path: Path) -> None:
    """What one change made and unmade: every card only the deck before (07bb8db) or only the deck
    after (ad97552: lists of names, defined-term clozes) holds, with 40 cards both hold as the
    judge's yardstick, shuffled together and judged blind by one judge."""
    if not path.exists():
        return
    rows = _judged_rows(path)
    print(f"\n=== {path.name}: {len(rows)} cards, judged blind together")
    by_deck(rows, ("only 07bb8db", "only ad97552", "both"))


def compare_backs_by_section(path: Path) -> None:
    """Every question card whose back generator 9 changed, before (generator 8, commit 0419e0b) and
    after (this stop's generator with a five-line cap on question backs, since removed: the cards
    it dropped are the `dropped` row), shuffled together and judged blind by two judges, one per
    half of the sections; the pairs say what the change did section by section."""
    if not path.exists():
        return
    rows = _judged_rows(path)
    print(f"\n=== {path.name}: {len(rows)} question cards, judged blind together")
    by_deck(rows, ("generator 8", "generator 9 capped"))
    sections: dict[tuple[str, int], dict[str, str]] = {}
    for row in rows:
        sections.setdefault((row["path"], row["line_start"]), {})[row["deck"]] = row["verdict"]
    moves = Counter(
        (found["generator 8"], found.get("generator 9 capped", "dropped"))
        for found in sections.values()
        if "generator 8" in found
    )
    print(
        "  section by section, generator 8 → 9: "
        + ", ".join(f"{old}→{new} {n}" for (old, new), n in sorted(moves.items()))
    )


def compare_outline_backs(path: Path) -> None:
    """Every question card whose back generator 10 changed (list items marked, sub-items indented,
    a label over a list kept, a fallback's lead-in said with its list), before and after, shuffled
    together and judged blind by two judges, each judging every card."""
    if not path.exists():
        return
    rows = _judged_rows(path)
    print(f"\n=== {path.name}: {len(rows)} judgements of question cards, two judges, blind")
    for judge in sorted({r["judge"] for r in rows}):
        mine = [r for r in rows if r["judge"] == judge]
        print(f"  judge {judge}")
        by_deck(mine, ("generator 9", "generator 10"))
        sections: dict[tuple[str, int], dict[str, str]] = {}
        for row in mine:
            sections.setdefault((row["path"], row["line_start"]), {})[row["deck"]] = row["verdict"]
        moves = Counter(
            (found["generator 9"], found["generator 10"])
            for found in sections.values()
            if len(found) == 2 and found["generator 9"] != found["generator 10"]
        )
        print(
            "    section by section, generator 9 → 10: "
            + (", ".join(f"{old}→{new} {n}" for (old, new), n in sorted(moves.items())) or "none")
        )


def _prose_letters(section: Any) -> int:
    """Letters a person wrote in the section: no image names, no code, no line that is only a link's
    title (as tests/cards/test_corpus_cards.py counts real content)."""
    text = re.sub(r"image-\d+", "", section.body)
    for block in section.code_blocks:
        text = text.replace(block.content.strip(), "")
    titles = {link.text.strip() for link in section.links if link.text.strip()}
    prose = [
        line for line in text.splitlines() if line.strip().lstrip("-*+ ").strip() not in titles
    ]
    return sum(ch.isalnum() for line in prose for ch in line)


def deck_shape() -> None:
    """Today's deck of the shared corpus (no encoder: no translation cards): cards per kind, how
    many sections with something to say (40+ letters of prose) have a card, cards per carded
    section, and the sections the summary page links to that are left without one."""
    import tempfile

    from bagu.links.graph import load_targets
    from bagu.links.syllabus import syllabus_ranks
    from bagu.store.db import connect
    from bagu.store.links import load_links
    from bagu.store.queries import load_sections, sections_by_id
    from bagu.update import update_index

    with tempfile.TemporaryDirectory() as scratch:
        conn = connect(Path(scratch) / "bagu.db")
        update_index(conn, CORPUS, [])
        cards = conn.execute("SELECT kind, sources FROM cards WHERE status = 'active'").fetchall()
        sections = load_sections(conn, with_links=True)
        ranks = syllabus_ranks(load_links(conn), load_targets(conn, CORPUS))
        linked = {(path, s.heading_path) for path, s in sections_by_id(conn, list(ranks)).values()}
        conn.close()
    per_section: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for _, sources in cards:
        for source in {(x["path"], tuple(x["heading_path"])) for x in json.loads(sources)}:
            per_section[source] += 1
    spoken = {(path, s.heading_path) for path, s in sections if _prose_letters(s) >= 40}
    carded = [key for key in spoken if per_section[key]]
    left = sorted(key for key in spoken & linked if not per_section[key])
    print(f"\n=== today's deck of {CORPUS.name} (no encoder, so no translation cards)")
    kinds = Counter(kind for kind, _ in cards)
    print(f"  {len(cards)} cards: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    print(
        f"  sections with 40+ letters of prose: {len(spoken)}, with a card {len(carded)} "
        f"({len(carded) / max(len(spoken), 1):.0%}); cards per carded section "
        f"{sum(per_section[k] for k in carded) / max(len(carded), 1):.1f}"
    )
    print(
        f"  sections the summary links to: {len(linked & spoken)} with prose, left without a card "
        f"{len(left)}" + (f": {left[:5]}" if left else "")
    )


if __name__ == "__main__":
    main()
