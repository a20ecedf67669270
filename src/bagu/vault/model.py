"""Domain values for a parsed vault: Document, Section, Link and the spans kept for later stages.

Pure data only. Parsing lives in `markdown.py`, slugging in `anchors.py`, disk access in `scan.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class LinkKind(StrEnum):
    INLINE = "inline"
    REFERENCE = "reference"
    AUTOLINK = "autolink"
    IMAGE = "image"
    WIKILINK = "wikilink"
    EMBED = "embed"
    # mdBook's {{#include file}}: the file's lines are part of the page (vault/includes.py)
    INCLUDE = "include"


@dataclass(frozen=True, slots=True)
class Anchors:
    """How a heading can be linked to, under each convention people use.

    `raw` is the heading as written (Typora/Obsidian link to it verbatim), `text` the same with
    inline markup stripped, `github` the github-slugger id, `kramdown` Jekyll's GFM auto id (None
    when kramdown would omit it), `explicit` ids set by `{#id}`, `<a id>` or `<a name>` in the
    section.
    """

    raw: str
    text: str
    github: str
    kramdown: str | None
    explicit: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HeadingTarget:
    """A section as something a link can point at: its id, where it sits, and every name it answers
    to."""

    section_id: int
    heading_path: tuple[str, ...]
    anchors: Anchors
    block_ids: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class CodeBlock:
    line: int
    info: str
    content: str


@dataclass(frozen=True, slots=True)
class BilingualPair:
    """A Chinese sentence beside its English rendering, as interview notes often write them: the
    Chinese first, or (`english_first`) the English paragraph and then the Chinese one. The second
    kind is only a candidate (`bilingual.renderings` says which candidates are pairs)."""

    line: int
    zh: str
    en: str
    english_first: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    line: int
    column: int
    kind: LinkKind
    text: str
    raw_target: str
    path: str
    anchor: str | None
    is_external: bool
    # True when only lenient editors (Typora, Obsidian) accept it: a destination with unescaped
    # spaces.
    is_loose: bool = False


# A table as its rows of cell texts, the header row first.
Table = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Section:
    ordinal: int
    level: int
    heading: str
    heading_path: tuple[str, ...]
    occurrence: int
    line_start: int
    line_end: int
    body: str
    anchors: Anchors
    links: tuple[Link, ...] = ()
    bold: tuple[str, ...] = ()
    highlights: tuple[str, ...] = ()
    list_items: tuple[str, ...] = ()
    # (which list of the section, nesting depth) of each list item: separate lists and sub-items
    # stay apart
    list_shape: tuple[tuple[int, int], ...] = ()
    code_blocks: tuple[CodeBlock, ...] = ()
    # its tables, whose cells are also lines of `body` (searchable) but are no prose: a card must
    # not read them as sentences
    tables: tuple[Table, ...] = ()
    bilingual_pairs: tuple[BilingualPair, ...] = ()
    block_ids: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[tuple[str, ...], int]:
        """Stable identity within a document: survives edits to the body and to other sections."""
        return (self.heading_path, self.occurrence)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    format: str  # "yaml" | "toml"
    raw: str
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    line_count: int = 0


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Byte-level facts about a note file, kept so that a later fix can write it back unchanged."""

    sha256: str
    size: int
    mtime_ns: int
    encoding: str
    has_bom: bool = False
    newline: str = "\n"  # the dominant line ending: "\n", "\r\n" or "\r"


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    title: str
    sections: tuple[Section, ...]
    front_matter: FrontMatter | None
    line_count: int
    source: SourceInfo | None = None
    warnings: tuple[str, ...] = ()  # what of the note could not be indexed, said once

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(link for section in self.sections for link in section.links)
