"""Mock interviews: weighted choice, follow-ups along the notes, a stdin-driven session with its
report."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt

from bagu.coach.interview import (
    Question,
    candidates,
    choose_questions,
    follow_ups,
    grade_turn,
    prompt_for,
)
from bagu.review.stats import SectionMemory
from bagu.store.db import connect
from bagu.store.queries import load_sections
from bagu.vault.markdown import parse_document
from tests.cli.run import bagu
from tests.coach.fake_openai import Script, fake_openai
from tests.conftest import EXAMPLE_VAULT

NOTE = """# Redis

## 为什么 Redis 这么快

数据在内存中，单线程处理命令，没有锁竞争。

### 单线程为什么不慢

瓶颈在内存和网络，不在 CPU；I/O 多路复用让一个线程服务很多连接。

### 6.0 的多线程

Redis 6.0 用多线程处理网络读写，命令执行仍是单线程。

## 持久化的区别

RDB 是快照，AOF 是追加写日志，重启时 AOF 更完整。
"""


def _sections() -> list[tuple[str, object]]:
    return [("db/redis.md", s) for s in parse_document("db/redis.md", NOTE).sections]


def test_candidates_and_weighted_choice() -> None:
    sections = _sections()
    pool = candidates(sections)  # type: ignore[arg-type]
    assert [s.heading for _, s in pool] == [
        "为什么 Redis 这么快",
        "单线程为什么不慢",
        "持久化的区别",
    ]
    assert [s.heading for _, s in candidates(sections, ["持久化"])] == ["持久化的区别"]  # type: ignore[arg-type]
    known = {("db/redis.md", s.heading_path): SectionMemory(0.99, 0) for _, s in pool[:2]}
    picks = [choose_questions(pool, known, 1, seed=seed)[0].section.heading for seed in range(200)]
    # never reviewed (weight 2) against well remembered (weight 0.1 each): drawn ~ 2 / 2.2 of the
    # time
    assert picks.count("持久化的区别") > 150


def test_follow_ups_walk_child_headings_then_links() -> None:
    sections = _sections()
    top = next((p, s) for p, s in sections if s.heading == "为什么 Redis 这么快")  # type: ignore[attr-defined]
    question = Question(top[0], top[1], prompt_for(top[1], "zh"))  # type: ignore[arg-type]
    asked = follow_ups(question, sections)  # type: ignore[arg-type]
    assert [q.section.heading for q in asked] == ["单线程为什么不慢", "6.0 的多线程"]
    assert all(q.follow_up_of == question.prompt for q in asked)
    linked = [s for s in sections if s[1].heading == "持久化的区别"]  # type: ignore[attr-defined]
    assert [q.section.heading for q in follow_ups(asked[0], sections, linked, limit=2)] == [
        "持久化的区别"
    ]  # type: ignore[arg-type]
    grade = grade_turn(question, "数据在内存中，单线程，没有锁竞争")
    assert grade.score >= 0.5


def _interview(
    db: Path, stdin: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return bagu("interview", "-V", str(EXAMPLE_VAULT), *args, db=db, stdin=stdin, env=env)


def test_a_scripted_interview_writes_a_report_whose_links_resolve(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    answers = ["数据在内存中，单线程处理命令，没有锁竞争", "", "不知道", "", "", "q", ""]
    result = _interview(
        db_path, "\n".join(answers) + "\n", "-n", "2", "--seed", "3", "--topics", "redis,tcp"
    )
    assert result.returncode == 0, result.stderr
    assert "report:" in result.stdout and "Traceback" not in result.stderr
    # the first grade's wait is said
    assert "grading… (the first answer loads the models)" in result.stderr
    reports = db_path.parent / "reports"
    md = next(reports.glob("interview-*.md"))
    assert md.with_suffix(".html").is_file()
    text = md.read_text(encoding="utf-8")
    assert "数据在内存中，单线程处理命令，没有锁竞争" in text and "## Readiness by topic" in text

    conn = connect(db_path)
    anchors: dict[str, set[str]] = {}
    for path, section in load_sections(conn):
        anchors.setdefault(path, set()).add(section.anchors.github)
    links = [
        token.attrGet("href")
        for block in MarkdownIt("commonmark").enable("table").parse(text)
        for token in (block.children or [])
        if token.type == "link_open"
    ]
    assert len(links) >= 2
    root = EXAMPLE_VAULT.resolve()
    for href in links:
        target, _, anchor = unquote(str(href)).partition("#")
        note = (reports / target).resolve()
        assert note.is_file(), href
        relative = note.relative_to(root).as_posix()
        assert anchor in anchors[relative], href  # every link lands on an existing section

    reviews = conn.execute("SELECT answer, grade FROM reviews ORDER BY id").fetchall()
    assert reviews, "each graded answer is a review of the section's cards"
    assert {r[0] for r in reviews} >= {"数据在内存中，单线程处理命令，没有锁竞争"}
    assert all(r[1] is not None for r in reviews)
    html = md.with_suffix(".html").read_text(encoding="utf-8")
    assert "<script" not in html


def test_llm_grading_and_its_outage(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    script = Script(['{"score": 0.8, "hit": ["数据在内存中"], "missed": ["高效的数据结构"]}'])
    with fake_openai(script) as url:
        env = {"BAGU_LLM_BASE_URL": url, "BAGU_LLM_MODEL": "qwen"}
        graded = _interview(db_path, "数据在内存中\n\nq\n", "-n", "1", "--follow-ups", "0", env=env)
    assert graded.returncode == 0 and "grade 80%" in graded.stdout
    assert "Notes:" in script.requests[0]["messages"][1]["content"]  # the note is the rubric
    down = _interview(db_path, "数据在内存中\n\nq\n", "-n", "1", "--follow-ups", "0", env=env)
    assert down.returncode == 0 and "Traceback" not in down.stderr
    assert "is the server running" in down.stderr and "grading without the model" in down.stderr
