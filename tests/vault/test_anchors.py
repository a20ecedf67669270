"""Slug conventions, with expected values produced by the real tools
(../shared/research/anchors-search.md §2.2: github-slugger 2.0.0 under node, kramdown 2.4 +
kramdown-parser-gfm 1.1 under ruby)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bagu.vault.anchors import GithubSlugger, KramdownSlugger, github_slug_base, kramdown_slug_base

CASES = [
    # heading, github-slugger, kramdown GFM (None = no id)
    (
        "引用计数法Reference Counting",
        "引用计数法reference-counting",
        "引用计数法reference-counting",
    ),
    ("why 快", "why-快", "why-快"),
    ("Redis 为什么这么快？", "redis-为什么这么快", "redis-为什么这么快"),
    ("1. GC（垃圾回收）", "1-gc垃圾回收", "1-gc垃圾回收"),
    ("C++ & Go: 对比", "c--go-对比", "c--go-对比"),
    ("标记-清除 (Mark-Sweep)", "标记-清除-mark-sweep", "标记-清除-mark-sweep"),
    ("Kafka 的 ISR/HW/LEO", "kafka-的-isrhwleo", "kafka-的-isrhwleo"),
    ("MySQL 索引 B+树", "mysql-索引-b树", "mysql-索引-b树"),
    ("中文：冒号、顿号。句号", "中文冒号顿号句号", "中文冒号顿号句号"),
    ("🚀 部署 K8s", "-部署-k8s", "-部署-k8s"),
    ("Python's GC", "pythons-gc", "pythons-gc"),
    ("a_b.c", "a_bc", "a_bc"),
    ("全角Ａ１２３", "全角ａ１２３", "全角ａ１２３"),
    ("中文\u3000全角空格", "中文全角空格", "中文全角空格"),
    ("Step 01 - Do this", "step-01---do-this", "step-01---do-this"),
    ("Tab\there", "tabhere", "tab-here"),
    ("？？", "", None),
]


@pytest.mark.parametrize(("heading", "github", "kramdown"), CASES)
def test_single_heading_slugs_match_the_reference_tools(
    heading: str, github: str, kramdown: str | None
) -> None:
    assert GithubSlugger().slug(heading) == github
    assert KramdownSlugger().slug(heading) == kramdown


def test_kramdown_keeps_markup_characters_it_considers_word_characters() -> None:
    # kramdown slugs the raw text: backticks go, underscores (\p{Word}) stay.
    assert kramdown_slug_base("Go 的 `defer` 用法") == "go-的-defer-用法"
    assert kramdown_slug_base("__init__ 方法") == "__init__-方法"


@pytest.mark.parametrize(
    ("headings", "github", "kramdown"),
    [
        (
            ["纯中文标题", "纯中文标题"],
            ["纯中文标题", "纯中文标题-1"],
            ["纯中文标题", "纯中文标题-1"],
        ),
        (["why 快"] * 3, ["why-快", "why-快-1", "why-快-2"], ["why-快", "why-快-1", "why-快-2"]),
        # github-slugger skips a taken slug; kramdown counts the base only and collides.
        (["GC", "GC", "GC-1"], ["gc", "gc-1", "gc-1-1"], ["gc", "gc-1", "gc-1"]),
    ],
)
def test_duplicate_suffixes(headings: list[str], github: list[str], kramdown: list[str]) -> None:
    gh, kd = GithubSlugger(), KramdownSlugger()
    assert [gh.slug(h) for h in headings] == github
    assert [kd.slug(h) for h in headings] == kramdown


@given(st.lists(st.text(max_size=20), max_size=12))
def test_github_slugs_within_a_document_are_unique(headings: list[str]) -> None:
    slugger = GithubSlugger()
    slugs = [slugger.slug(h) for h in headings]
    assert len(slugs) == len(set(slugs))


@given(st.text(max_size=40))
def test_github_slug_has_no_spaces_or_uppercase_ascii(text: str) -> None:
    slug = github_slug_base(text)
    assert " " not in slug
    assert not any("A" <= ch <= "Z" for ch in slug)
