"""Acceptance on the real vault in ../shared/corpus/interview-notes (skipped where it is absent)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from bagu.vault.decode import decode_note
from bagu.vault.frontmatter import split_front_matter
from bagu.vault.markdown import parse_document, split_lines
from bagu.vault.model import Document
from bagu.vault.scan import walk_vault
from tests.conftest import SHARED_CORPUS

pytestmark = pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="shared corpus not present")


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, list[str], Document]]:
    parsed = []
    for note in walk_vault(SHARED_CORPUS):
        text = decode_note(note.absolute.read_bytes()).text
        parsed.append((note.path, split_lines(text), parse_document(note.path, text)))
    return parsed


def _heading_lines(lines: list[str]) -> list[int]:
    """Heading start lines according to a plain CommonMark parser, independent of bagu's walker."""
    front = split_front_matter(lines)
    body = [""] * front.line_count + lines[front.line_count :] if front else lines
    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse("\n".join(body))
    return [t.map[0] + 1 for t in tokens if t.type == "heading_open" and t.map]


def test_every_heading_is_exactly_one_section_with_contiguous_line_ranges(
    corpus: list[tuple[str, list[str], Document]],
) -> None:
    headings = 0
    for path, lines, doc in corpus:
        real = [s for s in doc.sections if s.level > 0]
        assert [s.line_start for s in real] == _heading_lines(lines), path
        headings += len(real)
        for current, following in zip(doc.sections, doc.sections[1:], strict=False):
            assert current.line_end == following.line_start - 1, path
        assert doc.sections[-1].line_end == max(len(lines), doc.sections[-1].line_start), path
    assert headings > 2000


def test_every_link_position_points_at_its_opening_bracket(
    corpus: list[tuple[str, list[str], Document]],
) -> None:
    links = 0
    for path, lines, doc in corpus:
        for link in doc.links:
            assert lines[link.line - 1][link.column - 1] in "[!<", (path, link)
            assert "%" not in link.path or link.is_external or "%" in lines[link.line - 1], (
                path,
                link,
            )
            links += 1
    assert links > 2000


def test_summary_page_links_resolve_to_files_with_decoded_targets(
    corpus: list[tuple[str, list[str], Document]],
) -> None:
    summary = next(doc for path, _, doc in corpus if path == "八股文.md")
    gc = next(link for link in summary.links if link.text == "缺点")
    assert (gc.line, gc.path, gc.anchor, gc.is_loose) == (
        9,
        "language/py/key/2018-08-17-GC.md",
        "引用计数法Reference Counting",
        True,
    )
    local = [link for link in summary.links if not link.is_external and link.path.endswith(".md")]
    existing = [link for link in local if (SHARED_CORPUS / link.path).is_file()]
    assert len(local) > 100 and len(existing) / len(local) > 0.8
    target = next(doc for path, _, doc in corpus if path == gc.path)
    assert gc.anchor in {s.anchors.raw for s in target.sections}
