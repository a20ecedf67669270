"""Properties of the parser over arbitrary Markdown-ish text: no crash, exact positions, contiguous
ranges."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bagu.vault.markdown import parse_document, split_lines

PIECES = [
    "# ",
    "## ",
    "### ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "text",
    "中文",
    " ",
    "  ",
    "\t",
    "- ",
    "1. ",
    "> ",
    "```",
    "~~~",
    "    ",
    "[",
    "]",
    "(",
    ")",
    "[[",
    "]]",
    "![",
    "![[",
    "|",
    "#",
    "^",
    "**",
    "==",
    "`",
    '<a id="x">',
    "</a>",
    "<div>",
    "</div>",
    "---",
    "+++",
    "===",
    "a.md",
    "b c.md",
    "%20",
    "%E4%B8%AD",
    "<",
    ">",
    "{#id}",
    "\\",
    "https://x.y",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
@example("<div><![# ")  # CPython 3.11's HTMLParser asserts on it (found by this test)
def test_parse_never_fails_and_keeps_positions_exact(text: str) -> None:
    doc = parse_document("n.md", text)
    lines = split_lines(text)
    assert doc.sections, "every note has at least one section"
    for current, following in zip(doc.sections, doc.sections[1:], strict=False):
        assert current.line_end == following.line_start - 1
        assert following.level > 0
    for link in doc.links:
        assert 1 <= link.line <= len(lines)
        assert lines[link.line - 1][link.column - 1] in "[!<"
