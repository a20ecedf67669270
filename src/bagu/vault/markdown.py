"""Parse one note's text into a Document: sections per heading, anchors, links with positions,
spans.

Pure: text in, dataclasses out. Headings inside code fences and HTML blocks are not headings because
markdown-it-py says so; nothing here pattern-matches Markdown with regexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bagu.vault.anchors import GithubSlugger, KramdownSlugger
from bagu.vault.bilingual import find_bilingual_pairs
from bagu.vault.frontmatter import split_front_matter
from bagu.vault.html_ids import HtmlReference, read_html
from bagu.vault.includes import include_links
from bagu.vault.language import WIDE_CHAR
from bagu.vault.model import (
    Anchors,
    CodeBlock,
    Document,
    Link,
    LinkKind,
    Section,
    SourceInfo,
)
from bagu.vault.names import URL_SCHEME
from bagu.vault.syntax import MATH_DELIMITERS, MAX_NESTING, make_parser

_NEWLINE = re.compile(r"\r\n|\r|\n")
_EXPLICIT_ID = re.compile(r"\s*\{#([^\s}]+)[^}]*\}\s*$")
_BLOCK_ID = re.compile(r"\s\^([A-Za-z0-9-]+)\s*$")


@cache
def _parser() -> MarkdownIt:
    return make_parser()


def split_lines(text: str) -> list[str]:
    """Lines as editors count them: any of CRLF, CR, LF ends a line; a final newline adds no
    line."""
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def line_starts(text: str) -> list[int]:
    """Offset in `text` where each line of `split_lines` starts, plus the end: the same line
    numbers."""
    return [0, *(match.end() for match in _NEWLINE.finditer(text))]


def split_target(href: str) -> tuple[str, str | None]:
    """Split an href into decoded path and decoded anchor; `%23` in a file name stays part of the
    path."""
    path, hash_sign, anchor = href.partition("#")
    path = path.partition("?")[0]
    return unquote(path), (unquote(anchor) if hash_sign else None)


def link_of_token(token: Token, line: int = 0, column: int = 0, text: str = "") -> Link:
    """The Link a link, image or wikilink token stands for (the renderer resolves links with it
    too)."""
    meta = token.meta or {}
    if token.type == "wikilink":
        target = str(meta["target"])
        note, hash_sign, heading = target.partition("#")
        kind = LinkKind.EMBED if meta.get("embed") else LinkKind.WIKILINK
        return Link(
            line, column, kind, text, target, note.strip(), heading if hash_sign else None, False
        )
    href = str(token.attrs.get("src" if token.type == "image" else "href", ""))
    raw = str(meta.get("destination", unquote(href)))
    path, anchor, is_external = _destination(href)
    kind = LinkKind(str(meta.get("kind", "image" if token.type == "image" else "inline")))
    return Link(line, column, kind, text, raw, path, anchor, is_external, bool(meta.get("loose")))


def _destination(href: str) -> tuple[str, str | None, bool]:
    """(path, anchor, is external) of a link's href: a URL stays whole, a local path is split and
    decoded."""
    if URL_SCHEME.match(href):
        return href, None, True
    path, anchor = split_target(href)
    return path, anchor, False


# The parser closes emphasis beside CJK punctuation (vault/cjk_emphasis.py); a `**` or `__` still
# left in a text token beside a CJK character, or at the token's edge next to a link, is a delimiter
# with no partner (`**一半的粗体`), never something to read.
_STRAY_EMPHASIS = re.compile(
    rf"(?<={WIDE_CHAR})(?:\*\*|__)|(?:\*\*|__)(?={WIDE_CHAR})|^(?:\*\*|__)(?=\S|$)|(?<=\S)(?:\*\*|__)$"
)


def _plain(children: list[Token], newline: str = " ") -> str:
    parts: list[str] = []
    for child in children:
        if child.type == "text":
            parts.append(_STRAY_EMPHASIS.sub("", child.content))
        elif child.type == "code_inline":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(newline)
        elif child.type == "image":
            parts.append(_plain(child.children or []))
        elif child.type == "wikilink":
            parts.append(child.content)
        elif child.type in MATH_DELIMITERS:
            parts.append(
                f"{MATH_DELIMITERS[child.type]}{child.content}{MATH_DELIMITERS[child.type]}"
            )
    return "".join(parts)


def _spans(children: list[Token], open_type: str, close_type: str) -> list[str]:
    spans: list[str] = []
    depth, start = 0, 0
    for i, child in enumerate(children):
        if child.type == open_type:
            if depth == 0:
                start = i + 1
            depth += 1
        elif child.type == close_type and depth:
            depth -= 1
            if depth == 0:
                text = _plain(children[start:i]).strip()
                if text:
                    spans.append(text)
    return spans


def _column_in_source(source_line: str, content_line: str) -> int:
    """Where a line of inline content starts in its source line (block markers and indentation
    removed)."""
    bare = content_line.lstrip(" ")
    if bare and bare != content_line:  # a callout's marker, blanked: its title is where it was
        return _column_in_source(source_line, bare) - (len(content_line) - len(bare))
    if source_line.endswith(content_line):
        return len(source_line) - len(content_line)
    stripped = source_line.rstrip()
    if stripped.endswith(content_line):
        return len(stripped) - len(content_line)
    found = source_line.find(content_line)
    if found < 0:  # a table cell, where markdown-it has already unescaped `\|`
        found = source_line.find(content_line.replace("|", "\\|"))
    return max(found, 0)


@dataclass(slots=True)
class _SectionBuilder:
    level: int
    heading: str
    raw_heading: str
    heading_path: tuple[str, ...]
    line_start: int
    explicit_ids: list[str] = field(default_factory=list)
    slug_text: str = ""
    has_attribute_id: bool = False
    blocks: list[tuple[int, str]] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    bold: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    list_items: list[str] = field(default_factory=list)
    list_shape: list[tuple[int, int]] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    block_ids: list[str] = field(default_factory=list)
    has_content: bool = False


class _DocumentWalker:
    """Walks markdown-it's token stream once, cutting it into sections."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.builders: list[_SectionBuilder] = []
        self.stack: list[tuple[int, str]] = []
        self.open_items: list[list[str]] = []
        self.current = _SectionBuilder(0, "", "", (), 1)
        self.table: list[list[str]] | None = None  # the rows of the table being walked

    def walk(self, tokens: list[Token]) -> list[_SectionBuilder]:
        item_depths: list[int] = []
        item_slots: list[int] = []
        lists = -1  # top-level lists seen so far: items of two lists are never one list
        for i, token in enumerate(tokens):
            if token.type == "heading_open":
                self._start_section(token, tokens[i + 1])
            elif token.type == "inline" and tokens[i - 1].type != "heading_open":
                in_item = bool(item_depths) and token.level == item_depths[-1] + 2
                self._add_inline(token, in_item)
            elif token.type in ("fence", "code_block"):
                self._add_code(token)
            elif token.type == "math_block":
                delimiter = MATH_DELIMITERS[token.type]
                self.current.body.append(f"{delimiter}{token.content.strip()}{delimiter}")
                self.current.has_content = True

            elif token.type == "html_block":
                html = read_html(token.content)
                self.current.explicit_ids.extend(html.ids)
                if html.text.strip():
                    self.current.body.append(html.text.strip())
                assert token.map is not None
                for ref in html.references:
                    line = token.map[0] + ref.line
                    self.current.links.append(
                        self._html_link(ref, line, self._tag_column(line, ref))
                    )
                self.current.has_content = True
            elif token.type in ("bullet_list_open", "ordered_list_open") and not item_depths:
                lists += 1
            elif token.type == "list_item_open":
                self.current.list_shape.append((lists, len(item_depths)))
                item_depths.append(token.level)
                self.open_items.append([])
                # filled on close, so items stay in document order
                self.current.list_items.append("")
                item_slots.append(len(self.current.list_items) - 1)
            elif token.type == "list_item_close":
                item_depths.pop()
                slot = item_slots.pop()
                if slot < len(self.current.list_items):
                    self.current.list_items[slot] = " ".join(self.open_items.pop()).strip()
                else:
                    self.open_items.pop()
            elif token.type == "table_open":
                self.table = []
                self.current.tables.append(self.table)
            elif token.type == "tr_open" and self.table is not None:
                self.table.append([])
            elif token.type == "table_close":
                self.table = None
            elif token.type == "hr":
                self.current.has_content = True
        self.builders.append(self.current)
        return self.builders

    def _start_section(self, token: Token, inline: Token) -> None:
        self.builders.append(self.current)
        level = int(token.tag[1:])
        children = inline.children or []
        text = " ".join(_plain(children).split())
        raw = " ".join(inline.content.split())
        slug_text = text
        explicit = []
        match = _EXPLICIT_ID.search(raw)
        if match:
            explicit.append(match.group(1))
            raw = raw[: match.start()].rstrip()
            text = _EXPLICIT_ID.sub("", text).rstrip()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        path = (*(h for _, h in self.stack), text)
        self.stack.append((level, text))
        assert token.map is not None
        self.current = _SectionBuilder(
            level, text, raw, path, token.map[0] + 1, explicit, slug_text, bool(match)
        )
        self.current.has_content = True
        self._collect_inline(inline)

    def _add_inline(self, token: Token, in_item: bool) -> None:
        # (a callout's blanked `[!type]` marker leaves spaces before its title)
        text = _plain(token.children or [], newline="\n").lstrip(" ")
        assert token.map is not None
        if "{{#" in token.content:
            self.current.links.extend(include_links(token.content, token.map[0] + 1, self.lines))
        block_id = _BLOCK_ID.search(text)
        if block_id:
            self.current.block_ids.append(block_id.group(1))
        if text.strip():
            self.current.body.append(text)
            if not self.table:  # cells side by side are no sentence and its rendering
                self.current.blocks.append((token.map[0] + 1, " ".join(text.split())))
            self.current.has_content = True
        if in_item and self.open_items:
            self.open_items[-1].append(" ".join(text.split()))
        if self.table:  # every th/td holds one inline token, empty cells included
            self.table[-1].append(" ".join(text.split()))
        self._collect_inline(token)

    def _add_code(self, token: Token) -> None:
        assert token.map is not None
        self.current.code_blocks.append(
            CodeBlock(token.map[0] + 1, token.info.strip(), token.content)
        )
        if "{{#" in token.content:
            first = token.map[0] + (2 if token.type == "fence" else 1)
            self.current.links.extend(include_links(token.content, first, self.lines))
        self.current.body.append(token.content.rstrip("\n"))
        self.current.has_content = True

    def _collect_inline(self, inline: Token) -> None:
        children = inline.children or []
        self.current.bold.extend(_spans(children, "strong_open", "strong_close"))
        self.current.highlights.extend(_spans(children, "mark_open", "mark_close"))
        for j, child in enumerate(children):
            if child.type == "html_inline":
                html = read_html(child.content)
                self.current.explicit_ids.extend(html.ids)
                if html.references:
                    line, column = self._locate(inline, max(inline.content.find(child.content), 0))
                    self.current.links.extend(
                        self._html_link(ref, line, column + ref.column) for ref in html.references
                    )
            if child.type in ("link_open", "image", "wikilink"):
                link = self._make_link(inline, children, j)
                if link is not None:
                    self.current.links.append(link)

    def _tag_column(self, line: int, ref: HtmlReference) -> int:
        """Where the tag holding `ref` opens in its source line (a block inside a list item is
        indented)."""
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        at = source.find(ref.target)
        opening = source.rfind("<", 0, at) if at >= 0 else -1
        return opening + 1 if opening >= 0 else ref.column + 1

    @staticmethod
    def _html_link(ref: HtmlReference, line: int, column: int) -> Link:
        path, anchor, is_external = _destination(ref.target)
        return Link(line, column, LinkKind(ref.kind), "", ref.target, path, anchor, is_external)

    def _make_link(self, inline: Token, children: list[Token], j: int) -> Link | None:
        token = children[j]
        meta = token.meta or {}
        if "start" not in meta:
            return None
        line, column = self._locate(inline, int(meta["start"]))
        if token.type == "wikilink":
            text = token.content
        elif token.type == "image":
            text = _plain(token.children or [])
        else:
            end = next(
                (k for k in range(j + 1, len(children)) if children[k].type == "link_close"),
                len(children),
            )
            text = _plain(children[j + 1 : end])
        return link_of_token(token, line, column, text.strip())

    def _locate(self, inline: Token, offset: int) -> tuple[int, int]:
        assert inline.map is not None
        content = inline.content
        line_index = content.count("\n", 0, offset)
        line_begin = content.rfind("\n", 0, offset) + 1
        line_end = content.find("\n", offset)
        content_line = content[line_begin : line_end if line_end >= 0 else len(content)]
        source_index = min(inline.map[0] + line_index, len(self.lines) - 1)
        source_line = self.lines[source_index] if self.lines else ""
        return source_index + 1, _column_in_source(
            source_line, content_line
        ) + offset - line_begin + 1


def _finish(builders: list[_SectionBuilder], line_count: int) -> tuple[Section, ...]:
    kept = [b for b in builders if b.level > 0 or b.has_content or len(builders) == 1]
    github, kramdown = GithubSlugger(), KramdownSlugger()
    seen: dict[tuple[str, ...], int] = {}
    sections: list[Section] = []
    for ordinal, b in enumerate(kept):
        next_start = kept[ordinal + 1].line_start if ordinal + 1 < len(kept) else line_count + 1
        occurrence = seen.get(b.heading_path, 0)
        seen[b.heading_path] = occurrence + 1
        explicit = tuple(dict.fromkeys(b.explicit_ids))
        if b.level:
            # GitHub does not know `{#id}` and slugs it as text; kramdown uses it instead of an auto
            # id.
            kramdown_id = kramdown.slug(b.raw_heading) if not b.has_attribute_id else None
            anchors = Anchors(
                b.raw_heading, b.heading, github.slug(b.slug_text), kramdown_id, explicit
            )
        else:
            anchors = Anchors("", "", "", None, explicit)
        sections.append(
            Section(
                ordinal=ordinal,
                level=b.level,
                heading=b.heading,
                heading_path=b.heading_path,
                occurrence=occurrence,
                line_start=b.line_start,
                line_end=max(b.line_start, next_start - 1),
                body="\n".join(b.body),
                anchors=anchors,
                links=tuple(b.links),
                bold=tuple(b.bold),
                highlights=tuple(b.highlights),
                list_items=tuple(item for item in b.list_items if item),
                list_shape=tuple(
                    shape for item, shape in zip(b.list_items, b.list_shape, strict=False) if item
                ),
                code_blocks=tuple(b.code_blocks),
                tables=tuple(tuple(tuple(row) for row in table if row) for table in b.tables),
                bilingual_pairs=tuple(find_bilingual_pairs(b.blocks)),
                block_ids=tuple(b.block_ids),
            )
        )
    return tuple(sections)


def parse_document(path: str, text: str, source: SourceInfo | None = None) -> Document:
    """Parse a note. `path` is relative to the vault root with POSIX separators."""
    lines = split_lines(text)
    front_matter = split_front_matter(lines)
    body_lines = list(lines)
    if front_matter is not None:
        # Blank the block instead of cutting it, so markdown-it's line numbers stay the file's.
        body_lines[: front_matter.line_count] = [""] * front_matter.line_count
    tokens = _parser().parse("\n".join(body_lines), {})
    walker = _DocumentWalker(lines)
    first_start = front_matter.line_count + 1 if front_matter else 1
    walker.current.line_start = first_start
    sections = _finish(walker.walk(tokens), len(lines))
    title = _title(path, front_matter.data if front_matter else {}, sections)
    return Document(
        path, title, sections, front_matter, len(lines), source, _nesting_warnings(tokens)
    )


def _nesting_warnings(tokens: list[Token]) -> tuple[str, ...]:
    if not any(token.level >= MAX_NESTING - 1 for token in tokens):
        return ()
    return (f"text nested more than {MAX_NESTING} levels deep (lists or quotes) was not indexed",)


def _title(path: str, data: dict[str, object], sections: tuple[Section, ...]) -> str:
    value = data.get("title")
    if isinstance(value, str | int | float) and str(value).strip():
        return str(value).strip()
    # One H1 titles the note; of several (a summary page's `# 数据库`, `# 网络`, `# java`), each
    # titles its own part, and the first named the whole page in every card's prompt.
    h1 = [s.heading for s in sections if s.level == 1 and s.heading]
    return h1[0] if len(h1) == 1 else PurePosixPath(path).stem
