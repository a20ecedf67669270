"""Resolve a link to a note and a section, the way GitHub, Jekyll, Typora and Obsidian would.

Pure: the vault's notes and headings come in as `NoteTargets`, a link comes in, a `Resolution` comes out
that says whether it works, what it points at, and which anchor convention matched. The `check` command
and the web report are built on this; nothing here reads the disk.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from bagu.vault.anchors import normalize_heading_text
from bagu.vault.model import Document, HeadingTarget, Link, LinkKind
from bagu.vault.names import NOTE_SUFFIXES

# `C:\notes\a.md`, `C:/notes/a.md` and `file:///home/me/a.md` look like URLs but name a file on one computer.
_LOCAL_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|file:)", re.IGNORECASE)


class Status(StrEnum):
    OK = "ok"
    EXTERNAL = "external"
    MISSING_FILE = "missing-file"
    MISSING_ANCHOR = "missing-anchor"
    AMBIGUOUS_WIKILINK = "ambiguous-wikilink"
    CASE_MISMATCH = "case-mismatch"
    OUTSIDE_VAULT = "outside-vault"


class Convention(StrEnum):
    RAW = "raw"
    TEXT = "text"
    GITHUB = "github"
    KRAMDOWN = "kramdown"
    EXPLICIT = "explicit"
    BLOCK = "block"


class AnchorStyle(StrEnum):
    """Which anchors count as working: all of them, or only those one publisher understands."""

    ANY = "any"
    GITHUB = "github"  # GitHub's renderer: github-slugger ids and explicit ids
    KRAMDOWN = "kramdown"  # Jekyll / GitHub Pages
    RAW = "raw"  # Typora and Obsidian: the heading text as written

    @property
    def conventions(self) -> frozenset[Convention]:
        return _STYLE_CONVENTIONS[self]


_STYLE_CONVENTIONS = {
    AnchorStyle.ANY: frozenset(Convention),
    AnchorStyle.GITHUB: frozenset({Convention.GITHUB, Convention.EXPLICIT}),
    AnchorStyle.KRAMDOWN: frozenset({Convention.KRAMDOWN, Convention.EXPLICIT}),
    AnchorStyle.RAW: frozenset({Convention.RAW, Convention.TEXT, Convention.BLOCK, Convention.EXPLICIT}),
}


@dataclass(slots=True)
class NoteTargets:
    """Every note path (and other file) of the vault, with each note's headings in document order."""

    headings: dict[str, list[HeadingTarget]] = field(default_factory=dict)
    other_files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    _lower: dict[str, str] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._lower = {path.lower(): path for path in (*self.folders, *self.other_files, *self.headings)}

    def exists(self, path: str) -> bool:
        return path in self.headings or path in self.other_files or path in self.folders

    @property
    def all_files(self) -> list[str]:
        return [*self.headings, *self.other_files]

    def case_insensitive(self, path: str) -> str | None:
        return self._lower.get(path.lower())


@dataclass(frozen=True, slots=True)
class Resolution:
    status: Status
    target_path: str | None = None
    section_id: int | None = None
    convention: Convention | None = None
    detail: str = ""

    @property
    def is_broken(self) -> bool:
        return self.status not in (Status.OK, Status.EXTERNAL)


def join_link_path(source_path: str, target: str) -> str | None:
    """The vault-relative path a Markdown link points at; None when it climbs out of the vault."""
    is_root_relative = target.startswith("/")
    joined = target.lstrip("/") if is_root_relative else posixpath.join(posixpath.dirname(source_path), target)
    normalized = posixpath.normpath(joined)
    if normalized == ".." or normalized.startswith("../"):
        return None
    return "" if normalized == "." else normalized


def _wikilink_candidates(name: str, targets: NoteTargets) -> list[str]:
    """Obsidian: a wikilink names a note by its shortest unique path, without `.md`, case-insensitively."""
    wanted = name.strip().lower().lstrip("/")
    names = {wanted, *(wanted + suffix for suffix in NOTE_SUFFIXES)}
    pool: Iterable[str] = (*targets.headings, *targets.other_files)
    return sorted(path for path in pool if path.lower() in names or any(path.lower().endswith("/" + n) for n in names))


def match_anchor(
    anchor: str, headings: list[HeadingTarget], allowed: frozenset[Convention] = frozenset(Convention)
) -> tuple[HeadingTarget, Convention] | None:
    """The heading `anchor` names under the first (most specific) allowed convention, if any."""
    if anchor.startswith("^"):
        block = anchor[1:]
        for heading in headings if Convention.BLOCK in allowed else ():
            if block in heading.block_ids:
                return heading, Convention.BLOCK
        return None
    # Obsidian nests headings as `H1#H2`: the last part names the section, earlier parts its ancestors.
    parts = [p for p in anchor.split("#") if p] if "#" in anchor else [anchor]
    wanted = parts[-1] if parts else anchor
    ancestors = [normalize_heading_text(p) for p in parts[:-1]]
    normalized = normalize_heading_text(wanted)
    lowered = wanted.lower()
    # Most specific first. GitHub ids are compared case-insensitively because its docs print non-ASCII
    # slugs with capitals that github-slugger lower-cases.
    checks: list[tuple[Convention, Callable[[HeadingTarget], bool]]] = [
        (Convention.RAW, lambda h: h.anchors.raw == wanted),
        (Convention.EXPLICIT, lambda h: wanted in h.anchors.explicit),
        (Convention.GITHUB, lambda h: h.anchors.github in (wanted, lowered)),
        (Convention.KRAMDOWN, lambda h: h.anchors.kramdown == wanted),
        (Convention.TEXT, lambda h: normalize_heading_text(h.anchors.text) == normalized),
    ]
    if ancestors:
        headings = [
            h for h in headings if all(a in [normalize_heading_text(p) for p in h.heading_path[:-1]] for a in ancestors)
        ]
    for convention, check in checks:
        if convention not in allowed:
            continue
        for heading in headings:
            if check(heading):
                return heading, convention
    return None


def targets_from_documents(
    documents: Iterable[Document], other_files: Iterable[str] = (), folders: Iterable[str] = ()
) -> NoteTargets:
    """NoteTargets from parsed documents (section ids are their ordinals; the store supplies real ids)."""
    headings = {
        doc.path: [HeadingTarget(s.ordinal, s.heading_path, s.anchors, s.block_ids, s.line_start) for s in doc.sections]
        for doc in documents
    }
    return NoteTargets(headings, set(other_files), set(folders))


def resolve_link(
    source_path: str, link: Link, targets: NoteTargets, style: AnchorStyle = AnchorStyle.ANY
) -> Resolution:
    """Where `link`, written in the note at `source_path`, leads; and if it is broken, why."""
    if link.is_external:
        if _LOCAL_ABSOLUTE.match(link.raw_target):
            return Resolution(
                Status.OUTSIDE_VAULT, detail="an absolute path on one computer; it breaks everywhere else"
            )
        return Resolution(Status.EXTERNAL, link.path)
    if not link.raw_target.strip() and link.anchor is None and link.kind is not LinkKind.WIKILINK:
        return Resolution(Status.MISSING_FILE, detail="the link has no destination")
    case_note = ""
    if link.kind in (LinkKind.WIKILINK, LinkKind.EMBED):
        if not link.path:
            target_path: str | None = source_path
        else:
            candidates = _wikilink_candidates(link.path, targets)
            if not candidates:
                return Resolution(Status.MISSING_FILE, detail=f"no note named {link.path!r}")
            if len(candidates) > 1 and "/" not in link.path:
                return Resolution(Status.AMBIGUOUS_WIKILINK, candidates[0], detail=", ".join(candidates))
            target_path = candidates[0]
    else:
        target_path = join_link_path(source_path, link.path) if link.path else source_path
        if target_path is None:
            return Resolution(Status.OUTSIDE_VAULT, detail=f"{link.path} leads outside the vault")
        if not targets.exists(target_path):
            actual = targets.case_insensitive(target_path)
            if actual is None:
                return Resolution(Status.MISSING_FILE, target_path, detail=f"{target_path or '/'} does not exist")
            case_note = f"the file is {actual}: works on macOS/Windows, breaks on Linux and GitHub"
            target_path = actual
    assert target_path is not None
    if not link.anchor:
        status = Status.CASE_MISMATCH if case_note else Status.OK
        detail = case_note or ("a folder" if target_path in targets.folders else "")
        return Resolution(status, target_path, detail=detail)
    headings = targets.headings.get(target_path)
    if headings is None:
        return Resolution(Status.OK, target_path, detail="anchor into a non-note file is not checked")
    match = match_anchor(link.anchor, headings, style.conventions)
    if match is None:
        other = match_anchor(link.anchor, headings) if style is not AnchorStyle.ANY else None
        if other is not None:
            heading, convention = other
            detail = f"#{link.anchor} works only as a {convention} anchor; {style} needs another form"
            return Resolution(Status.MISSING_ANCHOR, target_path, heading.section_id, convention, detail)
        return Resolution(Status.MISSING_ANCHOR, target_path, detail=f"no heading matches #{link.anchor}")
    heading, convention = match
    status = Status.CASE_MISMATCH if case_note else Status.OK
    return Resolution(status, target_path, heading.section_id, convention, case_note)
