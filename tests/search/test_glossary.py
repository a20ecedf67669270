"""The shipped glossary: its file follows the format, and lookups cross languages both ways."""

from __future__ import annotations

from collections import Counter

import pytest

from bagu.errors import GlossaryFormatError
from bagu.search.glossary import HEADER, Glossary, glossary, parse_glossary


def _shipped_lines() -> list[str]:
    from importlib import resources

    return (
        resources.files("bagu.search")
        .joinpath("glossary.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
    )


def test_the_shipped_file_is_sorted_deduplicated_and_well_formed() -> None:
    lines = _shipped_lines()
    entries = parse_glossary("\n".join(lines))
    keys = [(e.domain, e.zh[0]) for e in entries]
    assert keys == sorted(keys), "lines are sorted by domain, then first Chinese variant"
    assert not [k for k, n in Counter(keys).items() if n > 1], (
        "one line per (domain, first Chinese variant)"
    )
    for entry in entries:
        assert len(set(entry.zh)) == len(entry.zh) and len(set(entry.en)) == len(entry.en), entry
    assert len(entries) >= 2 and lines[0].split("\t") == list(HEADER)


@pytest.mark.parametrize(
    "text",
    [
        "zh\ten\n",  # wrong header
        "domain\tzh\ten\nnetwork\t三次握手\n",  # two columns
        "domain\tzh\ten\nweather\t晴天\tsunny\n",  # unknown domain
        "domain\tzh\ten\nnetwork\t三次握手\t三次\n",  # Chinese in the English column
        "domain\tzh\ten\nnetwork\thandshake\thandshake\n",  # no Chinese in the Chinese column
        "domain\tzh\ten\nnetwork\t三次握手| \tthree-way handshake\n",  # a blank variant
    ],
)
def test_a_malformed_line_is_named(text: str) -> None:
    with pytest.raises(GlossaryFormatError, match="line"):
        parse_glossary(text)


def test_lookups_cross_languages_both_ways() -> None:
    table = Glossary.of(
        parse_glossary(
            "domain\tzh\ten\ndatabase\t幻读|幻影读\tphantom read\nos\t最近最少使用\tleast "
            "recently used|LRU\n"
        )
    )
    assert "幻读" in table.renderings("it causes Phantom Reads")
    assert "LRU" in table.renderings("用最近最少使用淘汰")
    assert "最近最少使用" in table.renderings("an lru cache")
    assert table.renderings("nothing here") == []
    assert glossary().entries, "the shipped glossary loads"


def test_a_text_names_terms_whose_other_language_the_glossary_gives() -> None:
    from bagu.search.glossary import glossary

    assert "幻读" in glossary().other_language("what is a phantom read")
    assert "overfitting" in glossary().other_language("过拟合怎么办")
    # `A*` is no article
    assert "A*搜索算法" not in glossary().other_language("what is a phantom read")
