"""Plan link repairs in a note's text: replace only link destinations, then prove nothing else
moved.

Pure: text in, `NotePatch` out. Each edit replaces the destination exactly as written after the
link's opening bracket. The patched text is parsed again and must have the same headings, body text
and code as before, and the same links with only the chosen destinations changed; a patch that fails
this proof is refused, so a fix can never land inside code or damage a neighbouring link.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bagu.links.check import CheckedLink, Repair
from bagu.vault.markdown import line_starts, parse_document
from bagu.vault.model import Document, Link

_CHOICE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)(?::(?P<column>\d+))?(?:@(?P<rank>\d+))?$")

# How far after a link's opening bracket its destination may start (a long link text, a line break).
_SEARCH_WINDOW = 4000


@dataclass(frozen=True, slots=True)
class Edit:
    checked: CheckedLink
    repair: Repair
    offset: int  # where the old destination starts in the note's text

    @property
    def old(self) -> str:
        return self.checked.link.raw_target

    @property
    def new(self) -> str:
        return self.repair.destination


@dataclass(slots=True)
class NotePatch:
    path: str
    old_text: str
    new_text: str
    edits: list[Edit] = field(default_factory=list)
    refused: list[tuple[CheckedLink, str]] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return self.new_text != self.old_text

    def diff(self) -> str:
        """A unified diff (a/ and b/ prefixes, as git prints it), with the note's own line endings
        shown as \\n."""
        lines = difflib.unified_diff(
            _lines_with_ends(self.old_text),
            _lines_with_ends(self.new_text),
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        return "".join(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
            for line in lines
        )


def _lines_with_ends(text: str) -> list[str]:
    """Lines as the parser counts them (CRLF, CR or LF; a form feed is not a line break), endings
    kept."""
    starts = [*line_starts(text), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(starts) if a < b]


def _locate(text: str, offsets: list[int], link: Link) -> int | None:
    if link.line - 1 >= len(offsets):
        return None
    start = offsets[link.line - 1] + link.column - 1
    found = text.find(link.raw_target, start, start + _SEARCH_WINDOW + len(link.raw_target))
    return found if found >= 0 and link.raw_target else None


def _fingerprint(doc: Document) -> list[tuple[object, ...]]:
    return [
        (s.heading, s.heading_path, s.body, s.code_blocks, s.line_start, s.line_end)
        for s in doc.sections
    ]


def _link_keys(doc: Document) -> list[tuple[int, str, str, str]]:
    return [(link.line, link.kind.value, link.text, link.raw_target) for link in doc.links]


def plan_patch(path: str, text: str, chosen: Iterable[tuple[CheckedLink, Repair]]) -> NotePatch:
    """Apply the chosen repairs to one note's text, refusing any that cannot be located or proven
    safe."""
    patch = NotePatch(path, text, text)
    offsets = line_starts(text)
    edits: list[Edit] = []
    for checked, repair in chosen:
        offset = _locate(text, offsets, checked.link)
        if offset is None:
            patch.refused.append(
                (checked, "the destination is not where the index says; re-run `bagu index`")
            )
        elif any(e.offset == offset for e in edits):
            patch.refused.append((checked, "another repair already changes this destination"))
        else:
            edits.append(Edit(checked, repair, offset))
    if not edits:
        return patch
    before = parse_document(path, text)
    new_text = _apply(before, text, edits)
    kept = edits
    if new_text is None:
        # Salvage the repairs that are safe on their own; refuse the rest.
        kept = [edit for edit in edits if _apply(before, text, [edit]) is not None]
        new_text = _apply(before, text, kept) if kept else text
        if new_text is None:
            kept, new_text = [], text
        patch.refused.extend(
            (e.checked, "the edit would change more than the link's destination")
            for e in edits
            if e not in kept
        )
    patch.new_text = new_text
    patch.edits = sorted(kept, key=lambda e: e.offset)
    return patch


def _apply(before: Document, text: str, edits: list[Edit]) -> str | None:
    """The text with `edits` applied, or None when the result differs from `before` in anything
    else."""
    new_text = text
    for edit in sorted(edits, key=lambda e: e.offset, reverse=True):
        new_text = new_text[: edit.offset] + edit.new + new_text[edit.offset + len(edit.old) :]
    after = parse_document(before.path, new_text)
    expected = _link_keys(before)
    for edit in edits:
        link = edit.checked.link
        key = (link.line, link.kind.value, link.text, link.raw_target)
        if key in expected:
            expected[expected.index(key)] = (link.line, link.kind.value, link.text, edit.new)
    if _fingerprint(before) != _fingerprint(after) or sorted(expected) != sorted(_link_keys(after)):
        return None
    return new_text


def choose_repairs(
    broken: Sequence[CheckedLink], only: Sequence[str] = ()
) -> tuple[list[tuple[CheckedLink, Repair]], list[str]]:
    """The repairs to make: every confident one, or those picked as `PATH:LINE[:COL][@N]` (N-th
    suggestion).

    Returns the choices and the picks that matched no broken link (so the CLI can say so).
    """
    if not only:
        return [(item, item.repairs[0]) for item in broken if item.is_fixable], []
    chosen: list[tuple[CheckedLink, Repair]] = []
    unmatched: list[str] = []
    for pick in only:
        match = _CHOICE.match(pick.strip())
        if match is None:
            unmatched.append(pick)
            continue
        rank = int(match["rank"] or 1)
        found = [
            item
            for item in broken
            if item.source_path == match["path"]
            and item.link.line == int(match["line"])
            and (match["column"] is None or item.link.column == int(match["column"]))
            and len(item.repairs) >= rank
        ]
        if not found:
            unmatched.append(pick)
        chosen.extend((item, item.repairs[rank - 1]) for item in found)
    return chosen, unmatched
