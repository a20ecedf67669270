"""Acceptance on the real vault: counts per kind, and no card from code, empty, or duplicated."""

from __future__ import annotations

from collections import Counter

import pytest

from bagu.cards.generate import CardKind, generate_cards
from bagu.vault.decode import decode_note
from bagu.vault.markdown import parse_document
from bagu.vault.scan import walk_vault
from tests.conftest import SHARED_CORPUS

pytestmark = pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="shared corpus not present")


def test_corpus_cards_are_clean() -> None:
    sections = []
    code = []
    for note in walk_vault(SHARED_CORPUS):
        doc = parse_document(note.path, decode_note(note.absolute.read_bytes()).text)
        sections += [(note.path, s) for s in doc.sections]
        code += [block.content for s in doc.sections for block in s.code_blocks]
    cards = generate_cards(sections, translation=lambda zh, en: 1.0)
    counts = Counter(c.kind.value for c in cards)
    print(dict(counts))
    assert counts[CardKind.QUESTION] > 100 and counts[CardKind.CLOZE] > 500 and counts[CardKind.LIST] > 300
    assert len({c.key for c in cards}) == len(cards)
    assert len({(c.kind, " ".join(c.front.split()), " ".join(c.back.split())) for c in cards}) == len(cards)
    code_text = "\n".join(code)
    for card in cards:
        assert card.front.strip() and card.back.strip(), card
        if card.kind is CardKind.CLOZE:
            assert card.sources[0].span not in code_text, card
