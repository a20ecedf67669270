"""When two spellings of a Latin name are one name: `Kafak` / `Kafka`, `Zookeper` / `ZooKeeper`,
`perferred…` / `preferred…`. Pure."""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

# A Latin name spelt within this rapidfuzz ratio is the same name (Kafak/Kafka 80,
# Zookeper/ZooKeeper 94).
NEAR_SPELLING = 80


def near(a: str, b: str) -> bool:
    """One edit apart, a swap of two letters counting as one (Kafak, 2MLS), or within rapidfuzz's
    ratio; never two spellings with other digits (`1-RTT` / `2-RTT` are two values, not a typo)."""
    if sorted(ch for ch in a if ch.isdigit()) != sorted(ch for ch in b if ch.isdigit()):
        return False
    return OSA.distance(a, b) <= 1 or fuzz.ratio(a, b) >= NEAR_SPELLING


def one_edit(a: str, b: str) -> bool:
    """A typo apart: one edit, a swap of two letters counting as one. Identifiers that differ in a
    whole word (`ReadOnlyMany` / `WriteOnlyMany`, ratio 80) are other identifiers."""
    return OSA.distance(a, b) <= 1
