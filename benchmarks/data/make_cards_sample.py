"""Draw the card sample a judge rates with ../shared/research/cards-rubric.md
(benchmarks/data/cards_judged.jsonl).

Today's generator runs on the shared corpus (pair cards vouched for by USE when it is installed); a
seeded random sample is drawn per top folder, with `db/` drawn apart as the held-out part: no rule
is tuned on it. Each line: sample id, held_out, kind, front, back, path, line_start, line_end. Run:
`python benchmarks/data/make_cards_sample.py [--tune 160] [--held-out 100] \
    > benchmarks/data/cards_sample.jsonl`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from bagu.cards.generate import generate_cards
from bagu.cards.translation import translation_score
from bagu.indexer import index_vault
from bagu.links.graph import load_targets
from bagu.links.syllabus import syllabus_ranks
from bagu.search.embedders import load_embedder
from bagu.store.cards import ranks_by_section, summary_keys
from bagu.store.db import connect
from bagu.store.links import load_links
from bagu.store.queries import load_sections, note_titles

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "interview-notes"
HELD_OUT = "db/"


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--tune", type=int, default=160)
    parser.add_argument("--held-out", type=int, default=100)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        conn = connect(Path(scratch) / "bagu.db")
        index_vault(conn, CORPUS)
        embedder = load_embedder("use")
        syllabus = frozenset(
            ranks_by_section(conn, syllabus_ranks(load_links(conn), load_targets(conn, CORPUS)))
        )
        sections = load_sections(conn, with_links=True)
        cards = generate_cards(
            sections,
            translation_score(embedder),
            note_titles(conn),
            syllabus,
            summarised=summary_keys(conn),
        )
    rng = random.Random(args.seed)
    held = [c for c in cards if c.sources[0].path.startswith(HELD_OUT)]
    tune = [c for c in cards if not c.sources[0].path.startswith(HELD_OUT)]
    print(
        f"{len(cards)} cards: {len(tune)} to tune on, {len(held)} held out ({HELD_OUT})",
        file=sys.stderr,
    )
    chosen = [(c, False) for c in rng.sample(tune, args.tune)] + [
        (c, True) for c in rng.sample(held, args.held_out)
    ]
    for number, (card, held_out) in enumerate(chosen, 1):
        source = card.sources[0]
        row = {
            "id": f"c{number:03}",
            "held_out": held_out,
            "kind": card.kind.value,
            "front": card.front,
            "back": card.back,
            "path": source.path,
            "line_start": source.line_start,
            "line_end": source.line_end,
        }
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
