"""Resolve a link to a note and a section, the way GitHub, Jekyll, Typora and Obsidian would.

Pure: the vault's notes and headings come in as `NoteTargets`, a link comes in, a `Resolution` comes
out that says whether it works, what it points at, and which anchor convention matched. The `check`
command and the web report are built on this; nothing here reads the disk.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bagu.links.permalinks import url_key
from bagu.links.site_paths import redirected_anchor, site_candidates
from bagu.vault.anchors import (
    mdbook_slug_base,
    normalize_heading_text,
    unique_slugs,
    vuepress_slug_base,
)
from bagu.vault.markdown import split_target
from bagu.vault.model import Document, HeadingTarget, Link, LinkKind
from bagu.vault.names import NOTE_SUFFIXES
from bagu.vault.publisher import TYPORA, Publisher, PublisherKind

# `C:\notes\a.md`, `C:/notes/a.md` and `file:///home/me/a.md` look like URLs but name a file on one
# computer.
_LOCAL_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|file:)", re.IGNORECASE)


class Status(StrEnum):
    OK = "ok"
    EXTERNAL = "external"
    MISSING_FILE = "missing-file"
    MISSING_ANCHOR = "missing-anchor"
    AMBIGUOUS_WIKILINK = "ambiguous-wikilink"
    CASE_MISMATCH = "case-mismatch"
    ABSOLUTE_PATH = "absolute-path"
    # Reported apart, not errors: they work where the notes are published, or lead where bagu cannot
    # look.
    WORKS_ON_SITE = "works-on-site"
    OUTSIDE_VAULT = "outside-vault"
    EMPTY = "empty"

    @property
    def is_error(self) -> bool:
        """Broken where the notes are read: what `check` exits 1 for and `fix` repairs."""
        return self not in _NOT_ERRORS


_NOT_ERRORS = frozenset(
    {Status.OK, Status.EXTERNAL, Status.WORKS_ON_SITE, Status.OUTSIDE_VAULT, Status.EMPTY}
)


class Convention(StrEnum):
    RAW = "raw"
    TEXT = "text"
    GITHUB = "github"
    KRAMDOWN = "kramdown"
    MDBOOK = "mdbook"
    VUEPRESS = "vuepress"
    EXPLICIT = "explicit"
    BLOCK = "block"


# Conventions whose ids are made when a link needs them, not stored with the headings.
_SLUGGED = (Convention.MDBOOK, Convention.VUEPRESS)


class AnchorStyle(StrEnum):
    """Which anchors count as working: all of them, or only those one publisher understands."""

    ANY = "any"
    GITHUB = "github"  # GitHub's renderer: github-slugger ids and explicit ids
    KRAMDOWN = "kramdown"  # Jekyll / GitHub Pages
    MDBOOK = "mdbook"
    VUEPRESS = "vuepress"
    RAW = "raw"  # Typora and Obsidian: the heading text as written

    @property
    def conventions(self) -> frozenset[Convention]:
        return _STYLE_CONVENTIONS[self]


_STYLE_CONVENTIONS = {
    # those two only where their publisher is
    AnchorStyle.ANY: frozenset(Convention) - set(_SLUGGED),
    AnchorStyle.GITHUB: frozenset({Convention.GITHUB, Convention.EXPLICIT}),
    AnchorStyle.KRAMDOWN: frozenset({Convention.KRAMDOWN, Convention.EXPLICIT}),
    AnchorStyle.MDBOOK: frozenset({Convention.MDBOOK, Convention.EXPLICIT}),
    AnchorStyle.VUEPRESS: frozenset({Convention.VUEPRESS, Convention.EXPLICIT}),
    AnchorStyle.RAW: frozenset(
        {Convention.RAW, Convention.TEXT, Convention.BLOCK, Convention.EXPLICIT}
    ),
}

# The anchors each publisher makes. A Jekyll blog and a plain folder keep every form: their notes
# are read in the editor they were written in (Typora, Obsidian) as much as on a site, and there the
# heading as written works.
PUBLISHER_STYLE = {
    PublisherKind.MDBOOK: AnchorStyle.MDBOOK,
    PublisherKind.VUEPRESS: AnchorStyle.VUEPRESS,
    PublisherKind.OBSIDIAN: AnchorStyle.RAW,
    PublisherKind.JEKYLL: AnchorStyle.ANY,
    PublisherKind.TYPORA: AnchorStyle.ANY,
}


@dataclass(slots=True)
class NoteTargets:
    """Every note path (and other file) of the vault, with each note's headings in document order,
    and the publisher whose rules say what a link names."""

    headings: dict[str, list[HeadingTarget]] = field(default_factory=dict)
    other_files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    publisher: Publisher = TYPORA
    # Jekyll: url_key of a note's URL → the note
    site_pages: dict[str, str] = field(default_factory=dict)
    # mdBook: the notes SUMMARY.md lists (only they become pages)
    book_pages: frozenset[str] | None = None
    _lower: dict[str, str] = field(init=False, repr=False, default_factory=dict)
    _slugs: dict[tuple[str, Convention], list[frozenset[str]]] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._lower = {
            path.lower(): path for path in (*self.folders, *self.other_files, *self.headings)
        }

    def slugs(self, path: str, convention: Convention) -> list[frozenset[str]]:
        """The ids mdBook or VuePress gives each heading of the note at `path`, in document order
        (made on first use: they depend on the headings before, and only these publishers need
        them)."""
        key = (path, convention)
        if key not in self._slugs:
            texts = [h.anchors.text for h in self.headings.get(path, [])]
            if convention is Convention.MDBOOK:
                ids = unique_slugs([mdbook_slug_base(t) for t in texts], first_duplicate=1)
                self._slugs[key] = [
                    frozenset({i}) if t else frozenset() for i, t in zip(ids, texts, strict=True)
                ]
            # VuePress 2 numbers a duplicate from -1, VuePress 1 from -2; either when the version is
            # unknown
            else:
                bases = [vuepress_slug_base(t) for t in texts]
                major = self.publisher.major
                ones = unique_slugs(bases, first_duplicate=1 if major != 1 else 2)
                twos = unique_slugs(bases, first_duplicate=2 if major != 2 else 1)
                self._slugs[key] = [
                    frozenset({a, b}) if t else frozenset()
                    for a, b, t in zip(ones, twos, texts, strict=True)
                ]
        return self._slugs[key]

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
        return self.status.is_error

    @property
    def is_notice(self) -> bool:
        """Worth a line in the report, not a failure (works-on-site, outside-vault, empty)."""
        return not self.is_broken and self.status not in (Status.OK, Status.EXTERNAL)


def join_link_path(source_path: str, target: str) -> str | None:
    """The vault-relative path a Markdown link points at; None when it climbs out of the vault."""
    is_root_relative = target.startswith("/")
    joined = (
        target.lstrip("/")
        if is_root_relative
        else posixpath.join(posixpath.dirname(source_path), target)
    )
    normalized = posixpath.normpath(joined)
    if normalized == ".." or normalized.startswith("../"):
        return None
    return "" if normalized == "." else normalized


def _wikilink_candidates(name: str, targets: NoteTargets) -> list[str]:
    """Obsidian: a wikilink names a note by its shortest unique path, without `.md`,
    case-insensitively."""
    wanted = name.strip().lower().lstrip("/")
    names = {wanted, *(wanted + suffix for suffix in NOTE_SUFFIXES)}
    pool: Iterable[str] = (*targets.headings, *targets.other_files)
    return sorted(
        path
        for path in pool
        if path.lower() in names or any(path.lower().endswith("/" + n) for n in names)
    )


def match_anchor(
    anchor: str,
    headings: list[HeadingTarget],
    allowed: frozenset[Convention] = frozenset(Convention),
    slugs: dict[Convention, list[frozenset[str]]] | None = None,
) -> tuple[HeadingTarget, Convention] | None:
    """The heading `anchor` names under the first (most specific) allowed convention, if any.
    `slugs` holds the ids of conventions that are not stored with the headings (mdBook's,
    VuePress's), aligned with them."""
    if anchor.startswith("^"):
        block = anchor[1:]
        for heading in headings if Convention.BLOCK in allowed else ():
            if block in heading.block_ids:
                return heading, Convention.BLOCK
        return None
    # Obsidian nests headings as `H1#H2`: the last part names the section, earlier parts its
    # ancestors.
    parts = [p for p in anchor.split("#") if p] if "#" in anchor else [anchor]
    wanted = parts[-1] if parts else anchor
    ancestors = [normalize_heading_text(p) for p in parts[:-1]]
    normalized = normalize_heading_text(wanted)
    lowered = wanted.lower()
    ids = slugs or {}
    # Most specific first. GitHub ids are compared case-insensitively because its docs print
    # non-ASCII slugs with capitals that github-slugger lower-cases.
    checks: list[tuple[Convention, Callable[[int, HeadingTarget], bool]]] = [
        (Convention.RAW, lambda _, h: h.anchors.raw == wanted),
        (Convention.EXPLICIT, lambda _, h: wanted in h.anchors.explicit),
        (Convention.GITHUB, lambda _, h: h.anchors.github in (wanted, lowered)),
        (Convention.KRAMDOWN, lambda _, h: h.anchors.kramdown == wanted),
        (
            Convention.MDBOOK,
            lambda i, _: Convention.MDBOOK in ids and wanted in ids[Convention.MDBOOK][i],
        ),
        (
            Convention.VUEPRESS,
            lambda i, _: Convention.VUEPRESS in ids and lowered in ids[Convention.VUEPRESS][i],
        ),
        (Convention.TEXT, lambda _, h: normalize_heading_text(h.anchors.text) == normalized),
    ]
    candidates = list(enumerate(headings))
    if ancestors:
        candidates = [
            (i, h)
            for i, h in candidates
            if all(a in [normalize_heading_text(p) for p in h.heading_path[:-1]] for a in ancestors)
        ]
    for convention, check in checks:
        if convention not in allowed:
            continue
        for i, heading in candidates:
            if check(i, heading):
                return heading, convention
    return None


def targets_from_documents(
    documents: Iterable[Document], other_files: Iterable[str] = (), folders: Iterable[str] = ()
) -> NoteTargets:
    """NoteTargets from parsed documents (section ids are their ordinals; the store supplies real
    ids)."""
    headings = {
        doc.path: [
            HeadingTarget(s.ordinal, s.heading_path, s.anchors, s.block_ids, s.line_start)
            for s in doc.sections
        ]
        for doc in documents
    }
    return NoteTargets(headings, set(other_files), set(folders))


def resolve_link(
    source_path: str, link: Link, targets: NoteTargets, style: AnchorStyle | None = None
) -> Resolution:
    """Where `link`, written in the note at `source_path`, leads under the vault's publisher (its
    anchors too, unless `style` names others); and if it is broken, why."""
    style = style or PUBLISHER_STYLE[targets.publisher.kind]
    if link.is_external:
        if _LOCAL_ABSOLUTE.match(link.raw_target):
            return Resolution(
                Status.ABSOLUTE_PATH,
                detail="an absolute path on one computer; it breaks everywhere else",
            )
        local = _site_link(link, targets.publisher)
        if local is None:
            return _beside_the_site(link, targets) or Resolution(Status.EXTERNAL, link.path)
        link = local
    if not link.raw_target.strip() and link.anchor is None and link.kind is not LinkKind.WIKILINK:
        return Resolution(Status.EMPTY, detail="the link has no destination")
    case_note, on_site = "", ""
    if (
        link.kind is LinkKind.WIKILINK
        and targets.publisher.kind is PublisherKind.VUEPRESS
        and link.path == "toc"
    ):
        return Resolution(
            Status.OK, source_path, detail="[[toc]]: VuePress's table of contents, not a link"
        )
    if link.kind in (LinkKind.WIKILINK, LinkKind.EMBED):
        if not link.path:
            target_path = source_path
        else:
            candidates = _wikilink_candidates(link.path, targets)
            if not candidates:
                return Resolution(Status.MISSING_FILE, detail=f"no note named {link.path!r}")
            if len(candidates) > 1 and "/" not in link.path:
                return Resolution(
                    Status.AMBIGUOUS_WIKILINK, candidates[0], detail=", ".join(candidates)
                )
            target_path = candidates[0]
    elif not link.path:
        target_path = source_path
    else:
        located = _locate(source_path, link.path, targets, link.kind)
        if isinstance(located, Resolution):
            return located
        target_path, case_note, on_site = located
    if not link.anchor:
        status = (
            Status.CASE_MISMATCH if case_note else Status.WORKS_ON_SITE if on_site else Status.OK
        )
        detail = case_note or on_site or ("a folder" if target_path in targets.folders else "")
        return Resolution(status, target_path, detail=detail)
    headings = targets.headings.get(target_path)
    if headings is None:
        return Resolution(
            Status.OK, target_path, detail="anchor into a non-note file is not checked"
        )
    slugs: dict[Convention, list[frozenset[str]]] = {
        c: targets.slugs(target_path, c) for c in _SLUGGED if c in style.conventions
    }
    match = match_anchor(link.anchor, headings, style.conventions, slugs)
    if (
        match is None
        and (moved := redirected_anchor(target_path, link.anchor, targets.publisher)) is not None
    ):
        match = match_anchor(moved, headings, style.conventions, slugs)
    if match is None:
        other = match_anchor(link.anchor, headings) if style is not AnchorStyle.ANY else None
        if other is not None:
            heading, convention = other
            detail = (
                f"#{link.anchor} works only as a {convention} anchor; {style} needs another form"
            )
            return Resolution(
                Status.MISSING_ANCHOR, target_path, heading.section_id, convention, detail
            )
        return Resolution(
            Status.MISSING_ANCHOR, target_path, detail=f"no heading matches #{link.anchor}"
        )
    heading, convention = match
    status = Status.CASE_MISMATCH if case_note else Status.WORKS_ON_SITE if on_site else Status.OK
    return Resolution(status, target_path, heading.section_id, convention, case_note or on_site)


def _beside_the_site(link: Link, targets: NoteTargets) -> Resolution | None:
    """`https://host/java/jvm.html` when the site is `https://host/interview/`: broken when the page
    is one of the site's under its base (the base was left out); otherwise some other page of the
    host, not checked here."""
    base = targets.publisher.base
    for site in targets.publisher.site_urls:
        host = site[: len(site) - len(base) + 1]
        if base == "/" or not link.path.startswith(host) or link.path.startswith(site):
            continue
        meant = replace(
            link, path=site + link.path[len(host) :], raw_target=site + link.raw_target[len(host) :]
        )
        if resolve_link("", meant, targets).status in (Status.OK, Status.MISSING_ANCHOR):
            detail = f"leaves the site's base {base}: the page is {meant.path.split('#')[0]}"
            return Resolution(Status.MISSING_FILE, detail=detail)
    return None


def effective_link(link: Link, targets: NoteTargets) -> Link:
    """The link as resolved: a link to the site's own URL becomes the local link it stands for."""
    return (_site_link(link, targets.publisher) or link) if link.is_external else link


def _site_link(link: Link, publisher: Publisher) -> Link | None:
    """A link to the site's own absolute URL, as the local link it stands for
    (`/database/mysql.html#索引`)."""
    for site in publisher.site_urls:
        if link.path.startswith(site) or link.path + "/" == site:
            path, anchor = split_target(publisher.base + link.path[len(site) :])
            return replace(link, path=path, anchor=anchor, is_external=False)
    return None


def _locate(
    source_path: str, path: str, targets: NoteTargets, kind: LinkKind
) -> tuple[str, str, str] | Resolution:
    """The file a path link names under the publisher's rules: (path, case note, works-on-site
    note), or why not."""
    publisher = targets.publisher
    if path.startswith("/") and publisher.base != "/":
        if path.startswith(publisher.base):
            path = path[len(publisher.base) - 1 :]
        elif publisher.kind is PublisherKind.VUEPRESS and not path.endswith(".md"):
            # VuePress 2 leaves it as written, so it leads out of the site's base
            detail = (
                f"{path} is outside the site's base {publisher.base} "
                f"(write {publisher.base}{path[1:]} or a .md path)"
            )
            return Resolution(Status.MISSING_FILE, detail=detail)
    joined = _joined(source_path, path, publisher)
    if joined is None:
        return Resolution(Status.OUTSIDE_VAULT, detail=f"{path} leads outside the vault")
    # a file beside the pages (mdBook's listings/), read when the book is built
    if kind is LinkKind.INCLUDE:
        if targets.exists(joined):
            return joined, "", ""
        return Resolution(
            Status.MISSING_FILE, joined, detail=f"the included file {joined} does not exist"
        )
    for candidate in site_candidates(joined, path, publisher, root_relative=path.startswith("/")):
        if targets.exists(candidate):
            if (
                targets.book_pages is not None
                and candidate in targets.headings
                and candidate not in targets.book_pages
            ):
                detail = f"{candidate} is not in SUMMARY.md, so mdBook does not make a page of it"
                return Resolution(Status.MISSING_FILE, candidate, detail=detail)
            return candidate, "", ""
    if (
        publisher.kind is PublisherKind.JEKYLL
        and (page := _site_page(path, joined, targets)) is not None
    ):
        return (
            page,
            "",
            f"the URL of {page} on the site: works there, not as a link between the files",
        )
    if publisher.kind is PublisherKind.OBSIDIAN:
        named = _wikilink_candidates(path, targets)
        if len(named) == 1:
            return named[0], "", ""
    root = publisher.site_root
    if root and not path.startswith("/") and joined != root and not joined.startswith(root + "/"):
        return Resolution(Status.OUTSIDE_VAULT, detail=f"{path} leads outside the site's {root}/")
    actual = targets.case_insensitive(joined)
    if actual is None:
        return Resolution(Status.MISSING_FILE, joined, detail=f"{joined or '/'} does not exist")
    return actual, f"the file is {actual}: works on macOS/Windows, breaks on Linux and GitHub", ""


def _joined(source_path: str, path: str, publisher: Publisher) -> str | None:
    if path.startswith("/"):
        return (
            join_link_path(
                publisher.site_root + "/" if publisher.site_root else "", path.lstrip("/")
            )
            or ""
        )
    return join_link_path(source_path, path)


def _site_page(path: str, joined: str, targets: NoteTargets) -> str | None:
    """The note a Jekyll URL names (`_locate` has already taken the site's `baseurl` off a
    root-relative one)."""
    return targets.site_pages.get(url_key(path if path.startswith("/") else "/" + joined))
