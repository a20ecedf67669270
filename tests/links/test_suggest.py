"""Repairs for broken links, table-driven: each case is a link as people break it and the repair
they meant."""

from __future__ import annotations

import pytest

from bagu.links.resolve import AnchorStyle, Status
from tests.links.conftest import CheckVault, broken_at

TARGETS = {
    "language/py/io.md": "# IO\n\n## 惊群\n\ntext\n",
    "db/redis.md": "# Redis\n\n## 哨兵如何选主\n\n## AOF 日志\n",
    "k8s/scheduler.md": "# 调度\n\n## 高级调度能力\n\n## Scheduler Extender\n\n## 端点分片 "
    "(EndpointSlices)\n",
    "ml/2018-05-10-Bias_Variance_trick.md": "# Bias\n\n## 归一化\n",
    "gc.md": "# GC\n\nACID 在这里。\n\n## 标记清除解决循环引用问题\n\n## 分代回收\n",
    "moved/deep/tcp.md": "# TCP\n\n## TIME_WAIT\n",
    "training-a.md": "# A\n",
    "training-b.md": "# B\n\n## Megatron-LM实践\n",
}

# (link as written, reason, best repair's destination, applied by `fix` without asking)
CASES = [
    ("[x](anguage/py/io.md#惊群)", Status.MISSING_FILE, "language/py/io.md#惊群", True),
    ("[x](_posts/db/redis.md)", Status.MISSING_FILE, "db/redis.md", True),
    ("[x](tcp.md#TIME_WAIT)", Status.MISSING_FILE, "moved/deep/tcp.md#TIME_WAIT", True),
    ("[x](db/redis)", Status.OK, None, False),  # Typora: "the extension, like .md, can be omitted"
    (
        "[x](/blog/2018/05/10/Bias_Variance_trick#归一化)",
        Status.MISSING_FILE,
        "ml/2018-05-10-Bias_Variance_trick.md#归一化",
        True,
    ),
    ("[x](db\\redis.md)", Status.MISSING_FILE, "db/redis.md", True),
    ("[x](/home/me/vault/db/redis.md)", Status.MISSING_FILE, "db/redis.md", True),
    ("[x](C:\\Users\\me\\vault\\db\\redis.md)", Status.ABSOLUTE_PATH, "db/redis.md", True),
    ("[x](DB/Redis.md)", Status.CASE_MISMATCH, "db/redis.md", True),
    (
        "[x](k8s/scheduler.md#Scheduler Extender])",
        Status.MISSING_ANCHOR,
        "k8s/scheduler.md#Scheduler Extender",
        True,
    ),
    (
        "[x](k8s/scheduler.md#高级调度)",
        Status.MISSING_ANCHOR,
        "k8s/scheduler.md#高级调度能力",
        True,
    ),
    (
        "[x](k8s/scheduler.md#端点分片)",
        Status.MISSING_ANCHOR,
        "k8s/scheduler.md#端点分片%20(EndpointSlices)",
        True,
    ),
    (
        "[x](<k8s/scheduler.md#高级调度>)",
        Status.MISSING_ANCHOR,
        "<k8s/scheduler.md#高级调度能力>",
        True,
    ),
    (
        "[x](k8s/scheduler.md#scheduler-extend)",
        Status.MISSING_ANCHOR,
        "k8s/scheduler.md#scheduler-extender",
        True,
    ),
    (
        "[x](gc.md#%E6%A0%87%E8%AE%B0%E6%B8%85%E9%99%A4)",
        Status.MISSING_ANCHOR,
        "gc.md#%E6%A0%87%E8%AE%B0%E6%B8%85%E9%99%A4%E8%A7%A3%E5%86%B3%E5%BE%AA%E7%8E%AF%E5%BC%95%E7%94%A8%E9%97%AE%E9%A2%98",
        True,
    ),
    ("[x](gc.md#代回收)", Status.MISSING_ANCHOR, "gc.md#分代回收", False),
    ("[x](gc.md#ACID)", Status.MISSING_ANCHOR, "gc.md#GC", False),
    ("[x](gc.md#在这里)", Status.MISSING_ANCHOR, "gc.md#GC", False),
    (
        "[x](training-a.md#Megatron-LM实践)",
        Status.MISSING_ANCHOR,
        "training-b.md#Megatron-LM实践",
        False,
    ),
    ("[[redis#AOF]]", Status.MISSING_ANCHOR, "redis#AOF 日志", True),
    ("[[scheduler#Scheduler Extender]]]", Status.OK, None, False),
]


@pytest.mark.parametrize(("written", "reason", "destination", "fixable"), CASES)
def test_best_repair(
    check: CheckVault, written: str, reason: Status, destination: str | None, fixable: bool
) -> None:
    report = check({**TARGETS, "summary.md": f"# Summary\n\n{written}\n"})
    if destination is None:
        assert not [b for b in report.broken if b.source_path == "summary.md"]
        return
    item = broken_at(report, "summary.md", 3)
    assert item.resolution.status is reason
    assert item.repairs, item.resolution
    assert item.repairs[0].destination == destination, [r.destination for r in item.repairs]
    assert item.is_fixable is fixable, [
        (r.destination, r.suggestion.confidence) for r in item.repairs
    ]


def test_suggestions_are_ranked_bounded_and_calibrated(check: CheckVault) -> None:
    report = check({**TARGETS, "summary.md": "# S\n\n[x](k8s/scheduler.md#Scheduler)\n"})
    repairs = broken_at(report, "summary.md", 3).repairs
    confidences = [r.suggestion.confidence for r in repairs]
    assert 1 <= len(repairs) <= 3 and confidences == sorted(confidences, reverse=True)
    assert all(0 < c < 1 for c in confidences)


def test_nothing_plausible_means_no_suggestion(check: CheckVault) -> None:
    report = check({**TARGETS, "summary.md": "# S\n\n[x](quantum/chromodynamics.md)\n"})
    assert broken_at(report, "summary.md", 3).repairs == ()


def test_enforced_github_style_flags_raw_anchors_and_offers_the_slug(check: CheckVault) -> None:
    notes = {
        **TARGETS,
        "summary.md": "# S\n\n[x](k8s/scheduler.md#Scheduler Extender)\n\n[y](k8s/scheduler.md#高"
        "级调度能力)\n",
    }
    assert not [b for b in check(notes).broken if b.source_path == "summary.md"]
    report = check(style=AnchorStyle.GITHUB)
    item = broken_at(report, "summary.md", 3)  # line 5's anchor is already GitHub's slug
    assert item.resolution.status is Status.MISSING_ANCHOR and "raw" in item.resolution.detail
    assert item.repairs[0].destination == "k8s/scheduler.md#scheduler-extender" and item.is_fixable
