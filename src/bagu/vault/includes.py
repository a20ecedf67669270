"""mdBook's include directives: `{{#include ../listings/ch02/src/main.rs:print}}`,
`{{#rustdoc_include …}}`, `{{#playground file.rs editable}}`.

mdBook replaces each with (part of) another file before it renders the page, so the reader sees code
where the note says `{{#include …}}`. bagu does the same for indexing: the directive is a link to
the file (the link checker reports a missing one), and the selected lines take its place in the
section's code and text, so search finds the code and never shows the directive. The directive is
mdBook's preprocessor syntax, not Markdown, which is why a regular expression reads it.

Selectors, as mdBook documents them: `:12` one line, `:2:10` lines 2 to 10, `::10` up to 10, `:2:`
from 2, `:name` the lines between `ANCHOR: name` and `ANCHOR_END: name` (marker lines of any anchor
left out).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bagu.vault.model import CodeBlock, Document, Link, LinkKind, Section

# `\{{#include …}}` is mdBook's escape: the directive shown as text.
DIRECTIVE = re.compile(r"(?<!\\)\{\{#(include|rustdoc_include|playground)\s+([^}\s]+)[^}]*\}\}")
_ANCHOR_MARK = re.compile(r"ANCHOR(?:_END)?:\s*([\w-]+)")
# Whatever an included file holds, a section keeps at most this much of it (a listing, not a data
# dump).
MAX_INCLUDED_CHARS = 20_000

# Reads a vault-relative file as text, or None when it is missing, unreadable or outside the vault.
FileReader = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Directive:
    start: int
    end: int
    name: str
    path: str  # as written, relative to the note's folder
    selector: str  # what follows the path's first `:` ("" for the whole file)


def directives_in(text: str) -> list[Directive]:
    found = []
    for match in DIRECTIVE.finditer(text):
        target = match.group(2)
        path, _, selector = target.partition(":")
        found.append(Directive(match.start(), match.end(), match.group(1), path, selector))
    return found


def select_lines(text: str, selector: str) -> str:
    """The part of an included file a selector names (mdBook's rules; an unknown anchor selects
    nothing)."""
    lines = text.splitlines()
    if not selector:
        return "\n".join(line for line in lines if not _ANCHOR_MARK.search(line))
    numbers = selector.split(":")
    if all(n.isdigit() or n == "" for n in numbers) and any(numbers):
        first = int(numbers[0]) if numbers[0] else 1
        last = first if len(numbers) == 1 else (int(numbers[1]) if numbers[1] else len(lines))
        return "\n".join(lines[first - 1 : last])
    return _anchored(lines, selector)


def _anchored(lines: list[str], name: str) -> str:
    kept, inside = [], False
    for line in lines:
        mark = _ANCHOR_MARK.search(line)
        if mark is not None:
            if mark.group(1) == name:
                inside = "ANCHOR_END" not in line
            continue
        if inside:
            kept.append(line)
    return "\n".join(kept)


def expand_includes(doc: Document, read: FileReader) -> Document:
    """The note as mdBook shows it: every directive in its code and text replaced by the lines it
    includes."""
    if not any(link.kind is LinkKind.INCLUDE for link in doc.links):
        return doc
    folder = posixpath.dirname(doc.path)
    cache: dict[str, str | None] = {}

    def included(directive: Directive) -> str:
        path = posixpath.normpath(posixpath.join(folder, directive.path))
        if path not in cache:
            cache[path] = read(path)
        text = cache[path]
        return "" if text is None else select_lines(text, directive.selector)[:MAX_INCLUDED_CHARS]

    return replace(doc, sections=tuple(_expanded(section, included) for section in doc.sections))


def _expanded(section: Section, included: Callable[[Directive], str]) -> Section:
    written = {link.path for link in section.links if link.kind is LinkKind.INCLUDE}
    if not written:
        return section
    blocks = tuple(
        CodeBlock(b.line, b.info, _substitute(b.content, included, written))
        for b in section.code_blocks
    )
    return replace(section, body=_substitute(section.body, included, written), code_blocks=blocks)


def _substitute(text: str, included: Callable[[Directive], str], written: set[str]) -> str:
    """Each directive replaced by what it includes; only those the note wrote as directives (an
    escaped one reaches the section's text unescaped, and stays text)."""
    directives = [d for d in directives_in(text) if d.path in written]
    if not directives:
        return text
    parts, at = [], 0
    for directive in directives:
        parts += [text[at : directive.start], included(directive)]
        at = directive.end
    parts.append(text[at:])
    return "".join(parts)


def include_links(text: str, first_line: int, lines: list[str]) -> list[Link]:
    """A link for each directive in `text`, whose first line is the file's line `first_line`
    (1-based)."""
    found = []
    for directive in directives_in(text):
        line = first_line + text.count("\n", 0, directive.start)
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        column = max(source.find(text[directive.start : directive.end]), 0) + 1
        found.append(
            Link(
                line,
                column,
                LinkKind.INCLUDE,
                directive.name,
                directive.path,
                directive.path,
                None,
                False,
            )
        )
    return found
