"""Assemble the link graph from the index and the vault folder, for `check`, `links` and `fix`.

The index holds notes, headings and links; files that are not notes (images, PDFs) and folders are
listed from the vault itself, because a link may point at them and the index does not keep them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bagu.errors import NoteUnreadable
from bagu.links.check import CheckedLink, LinkReport, NoteLinks, Repair, check_links, note_links
from bagu.links.external import ExternalPolicy, check_urls, is_checkable, is_fresh
from bagu.links.fix import NotePatch, choose_repairs, plan_patch
from bagu.links.permalinks import jekyll_urls
from bagu.links.resolve import AnchorStyle, NoteTargets, Resolution, Status, resolve_link
from bagu.store.links import (
    ExternalAnswer,
    StoredLink,
    load_external_answers,
    load_front_matter,
    load_headings,
    load_links,
    load_section_bodies,
    save_external_answers,
)
from bagu.store.sqlite import sqlite3
from bagu.vault.decode import MIXED_ENCODING, encode_note
from bagu.vault.model import SourceInfo
from bagu.vault.publisher import Publisher, PublisherKind, detect_publisher
from bagu.vault.scan import list_vault_paths, note_in_vault, read_note
from bagu.vault.write import backup_folder, replace_note


def load_targets(
    conn: sqlite3.Connection, vault: Path, publisher: Publisher | None = None
) -> NoteTargets:
    """The vault as links see it: notes and headings from the index, other files from the folder,
    and the publisher (found in the vault unless given)."""
    other_files, folders = list_vault_paths(vault)
    publisher = publisher or detect_publisher(vault)
    headings = load_headings(conn)
    pages = (
        jekyll_urls(load_front_matter(conn), list(headings), publisher.permalink)
        if publisher.kind is PublisherKind.JEKYLL
        else {}
    )
    targets = NoteTargets(headings, other_files, folders, publisher, pages)
    if publisher.kind is PublisherKind.MDBOOK:
        targets.book_pages = _summary_pages(conn, targets)
    return targets


def _summary_pages(conn: sqlite3.Connection, targets: NoteTargets) -> frozenset[str] | None:
    """The notes an mdBook's SUMMARY.md lists: its chapters (None when the book has no
    SUMMARY.md)."""
    root = targets.publisher.site_root
    summary = f"{root}/SUMMARY.md" if root else "SUMMARY.md"
    if summary not in targets.headings:
        return None
    chapters = (resolve_link(summary, stored.link, targets) for stored in load_links(conn, summary))
    return frozenset(r.target_path for r in chapters if r.target_path and r.status is Status.OK) | {
        summary
    }


def check_vault(
    conn: sqlite3.Connection,
    vault: Path,
    style: AnchorStyle | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    publisher: Publisher | None = None,
) -> LinkReport:
    """The link report of an indexed vault; `on_progress(done, total)` follows the broken links'
    repairs."""
    targets = load_targets(conn, vault, publisher)
    return check_links(
        load_links(conn),
        targets,
        style,
        lambda paths: load_section_bodies(conn, paths),
        on_progress,
    )


def check_external_links(
    conn: sqlite3.Connection,
    report: LinkReport,
    policy: ExternalPolicy,
    now: datetime,
    on_done: Callable[[ExternalAnswer], None] | None = None,
) -> int:
    """Answer every external URL of the report, from the cache when fresh; returns how many were
    fetched."""
    urls = {stored.link.path for stored in report.external_links if is_checkable(stored.link.path)}
    cached = load_external_answers(conn, urls)
    fresh = {url: answer for url, answer in cached.items() if is_fresh(answer, now, policy.max_age)}
    fetched = check_urls(urls - fresh.keys(), policy, on_done)
    save_external_answers(conn, fetched)
    report.external_answers = {**fresh, **{answer.url: answer for answer in fetched}}
    return len(fetched)


def links_of_note(conn: sqlite3.Connection, vault: Path, path: str) -> NoteLinks:
    return note_links(path, load_links(conn), load_targets(conn, vault))


def outgoing_links(
    conn: sqlite3.Connection, targets: NoteTargets, path: str
) -> list[tuple[StoredLink, Resolution]]:
    """One note's own links, resolved against targets loaded once by the caller (no backlinks
    computed)."""
    return [(stored, resolve_link(path, stored.link, targets)) for stored in load_links(conn, path)]


@dataclass(slots=True)
class FixPlan:
    patches: list[tuple[NotePatch, SourceInfo]] = field(default_factory=list)
    refused: list[tuple[CheckedLink, str]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    @property
    def edits(self) -> int:
        return sum(len(patch.edits) for patch, _ in self.patches)


def plan_fixes(
    vault: Path, report: LinkReport, only: Sequence[str] = (), *, portable: bool = False
) -> FixPlan:
    """Read each note that has a chosen repair and patch its text; nothing is written. A permalink
    that works on the site is rewritten to its note's file only when asked: `portable`, or picked by
    `only`."""
    permalinks = [item for item in report.notices if item.resolution.status is Status.WORKS_ON_SITE]
    chosen, unmatched = choose_repairs(
        [*report.broken, *(permalinks if portable or only else [])], only
    )
    plan = FixPlan(unmatched=unmatched)
    by_note: dict[str, list[tuple[CheckedLink, Repair]]] = defaultdict(list)
    for item, repair in chosen:
        by_note[item.source_path].append((item, repair))
    for path, repairs in sorted(by_note.items()):
        try:
            content = read_note(note_in_vault(vault, path))
        except NoteUnreadable as exc:
            plan.refused.extend((item, f"the note {exc}") for item, _ in repairs)
            continue
        source = content.source
        if source.encoding == MIXED_ENCODING:
            reason = (
                "this note mixes UTF-8 and GBK lines, so bagu cannot write it back byte for byte; "
                "re-save it as UTF-8"
            )
            plan.refused.extend((item, reason) for item, _ in repairs)
            continue
        if (
            hashlib.sha256(encode_note(content.text, source.encoding, source.has_bom)).hexdigest()
            != source.sha256
        ):
            reason = (
                f"bagu cannot write this {source.encoding} note back byte for byte, so it leaves "
                f"it alone"
            )
            plan.refused.extend((item, reason) for item, _ in repairs)
            continue
        patch = plan_patch(path, content.text, repairs)
        plan.refused.extend(patch.refused)
        if patch.changes:
            plan.patches.append((patch, source))
    return plan


def apply_fixes(vault: Path, plan: FixPlan, stamp: str) -> list[Path]:
    """Write every patched note (atomically, after a backup); returns the backups made."""
    backups = backup_folder(vault, stamp)
    written = []
    for patch, source in plan.patches:
        data = encode_note(patch.new_text, source.encoding, source.has_bom)
        written.append(replace_note(vault, patch.path, source.sha256, data, backups))
    return written
