"""The interview report, in Markdown (for the vault and any editor) and HTML (for a browser).

Every section is linked by a path relative to the report and its GitHub-style anchor, so the links
work from `.bagu/reports/` in editors and on disk. The HTML is rendered from the Markdown with raw
HTML off: what the user typed can never become markup. Pure: an interview and figures in, text out.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime

from markdown_it import MarkdownIt

from bagu.coach.interview import Interview, Question
from bagu.review.stats import TopicMastery, WeakSection
from bagu.vault.cjk_emphasis import cjk_friendly_emphasis

# (vault-relative note path, GitHub anchor) → the link as written in the report
LinkFor = Callable[[str, str], str]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _quote(text: str) -> str:
    return "\n".join(
        f"> {line}" if line.strip() else ">" for line in (text or "(no answer)").splitlines()
    )


def _section_link(question: Question, link_for: LinkFor) -> str:
    title = " › ".join(question.section.heading_path)
    return f"[{_cell(title)}]({link_for(question.path, question.section.anchors.github)})"


def interview_markdown(
    interview: Interview,
    started: datetime,
    link_for: LinkFor,
    topics: Sequence[TopicMastery],
    weakest: Sequence[WeakSection],
    weak_links: Sequence[str],
) -> str:
    lines = [
        f"# Mock interview — {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"{len(interview.turns)} questions · overall {interview.score:.0%} · "
        f"graded by {', '.join(sorted({t.grader for t in interview.turns})) or '—'}",
        "",
    ]
    for number, turn in enumerate(interview.turns, 1):
        q = turn.question
        kind = "follow-up" if q.follow_up_of else "question"
        grade = turn.grade
        lines += [
            f"## {number}. {q.prompt}",
            "",
            f"*{kind}* · source: {_section_link(q, link_for)} · {turn.seconds:.0f} s · "
            f"**{grade.score:.0%} — {grade.rating.name.lower()}**"
            + (f" ({grade.reason})" if grade.reason else "")
            + (f" · {turn.reviewed_cards} card(s) reviewed" if turn.reviewed_cards else ""),
            "",
            _quote(turn.answer),
            "",
        ]
        for result in grade.points:
            how = f" *({_cell(result.explanation)})*" if result.explanation else ""
            lines.append(f"- {result.mark} {_cell(result.point.text)}{how}")
        lines.append("")
    lines += [
        "## Readiness by topic",
        "",
        "| topic | cards | reviewed | expected recall |",
        "|---|---:|---:|---:|",
    ]
    for topic in topics:
        recall = "—" if topic.mastery is None else f"{topic.mastery:.0%}"
        lines.append(f"| {_cell(topic.topic)} | {topic.cards} | {topic.reviewed} | {recall} |")
    lines.append("")
    missed = [(t.question, t.grade) for t in interview.turns if t.grade.score < 0.6]
    if missed or weakest:
        lines += ["## Study next", ""]
        for question, grade in missed:
            lines.append(
                f"- {_section_link(question, link_for)} — answered {grade.score:.0%} in this "
                f"interview"
            )
        asked = {(q.path, q.section.heading_path) for q, _ in missed}
        for section, link in zip(weakest, weak_links, strict=True):
            if (section.path, section.heading_path) in asked:
                continue
            title = _cell(" › ".join(section.heading_path))
            lines.append(
                f"- [{title}]({link}) — expected recall {section.mastery:.0%}, {section.lapses} "
                f"lapse(s)"
            )
        lines.append("")
    return "\n".join(lines)


_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table").use(cjk_friendly_emphasis)


def report_body(markdown: str) -> str:
    """The report's HTML body (raw HTML in answers stays text: markdown-it's html option is off)."""
    return str(_MARKDOWN.render(markdown))


def interview_html(markdown: str, title: str) -> str:
    body = report_body(markdown)
    return (
        '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto;padding:0 "
        "1rem;line-height:1.5}"
        "blockquote{border-left:4px solid #ccc;margin:0;padding-left:1rem;color:#333}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .6rem}</style>"
        f"</head><body>\n{body}</body></html>\n"
    )
