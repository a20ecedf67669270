"""The link report of a vault: every broken link with ranked repairs, orphan notes, backlinks.

Pure: links and targets come in (from the store), a `LinkReport` comes out. Section bodies, needed
only to suggest a heading for an anchor that names words inside a section, are fetched through a
callback for the few notes that need them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from bagu.links.resolve import (
    PUBLISHER_STYLE,
    AnchorStyle,
    NoteTargets,
    Resolution,
    Status,
    effective_link,
    resolve_link,
)
from bagu.links.rewrite import new_destination
from bagu.links.suggest import Suggestion, SuggestionIndex, is_confident, suggest
from bagu.store.links import ExternalAnswer, StoredLink
from bagu.vault.model import Link, LinkKind
from bagu.vault.publisher import TYPORA, Publisher

BodyLoader = Callable[[set[str]], Mapping[int, str]]


@dataclass(frozen=True, slots=True)
class Repair:
    suggestion: Suggestion
    destination: str  # the link's new destination, written in the note's own style


@dataclass(frozen=True, slots=True)
class CheckedLink:
    source_path: str
    link: Link
    resolution: Resolution
    repairs: tuple[Repair, ...] = ()

    @property
    def is_fixable(self) -> bool:
        """Safe to repair unasked: one confident repair, and the link's destination is in its own
        line."""
        return (
            is_confident([r.suggestion for r in self.repairs])
            and self.link.kind is not LinkKind.REFERENCE
        )

    def to_json(self) -> dict[str, object]:
        link = self.link
        return {
            "path": self.source_path,
            "line": link.line,
            "column": link.column,
            "kind": link.kind.value,
            "text": link.text,
            "target": link.raw_target,
            "reason": self.resolution.status.value,
            "detail": self.resolution.detail,
            "resolved_path": self.resolution.target_path,
            "fixable": self.is_fixable,
            "suggestions": [
                {
                    "destination": r.destination,
                    "path": r.suggestion.path,
                    "heading": r.suggestion.heading.heading_path[-1]
                    if r.suggestion.heading
                    else None,
                    "confidence": r.suggestion.confidence,
                    "reason": r.suggestion.reason,
                }
                for r in self.repairs
            ],
        }


@dataclass(slots=True)
class LinkReport:
    style: AnchorStyle
    publisher: Publisher = TYPORA
    notes: int = 0
    links: int = 0
    external: int = 0
    broken: list[CheckedLink] = field(default_factory=list)
    # Reported apart, never a failure: permalinks that work on the site, links out of the vault,
    # empty ones.
    notices: list[CheckedLink] = field(default_factory=list)
    conventions: Counter[str] = field(default_factory=Counter)
    orphans: list[str] = field(default_factory=list)
    external_links: list[StoredLink] = field(default_factory=list)
    # Filled by `--external`: the answer for each distinct URL.
    external_answers: dict[str, ExternalAnswer] | None = None

    @property
    def reasons(self) -> Counter[str]:
        return Counter(item.resolution.status.value for item in self.broken)

    @property
    def external_problems(self) -> list[tuple[StoredLink, ExternalAnswer]]:
        """External links whose URL did not answer OK, in note order."""
        answers = self.external_answers or {}
        found = [(stored, answers.get(stored.link.path)) for stored in self.external_links]
        return [
            (stored, answer)
            for stored, answer in found
            if answer is not None and answer.outcome != "ok"
        ]

    @property
    def is_clean(self) -> bool:
        """Nothing broken: the exit code a CI job keys on. Blocked external links do not count."""
        return not self.broken and all(
            answer.outcome == "blocked" for _, answer in self.external_problems
        )

    @property
    def notice_reasons(self) -> Counter[str]:
        return Counter(item.resolution.status.value for item in self.notices)

    def to_json(self) -> dict[str, object]:
        return {
            "publisher": {
                "name": self.publisher.kind.value,
                "label": self.publisher.label,
                "found": self.publisher.found,
                "rules": self.publisher.rules,
                "site_root": self.publisher.site_root,
                "site_urls": list(self.publisher.site_urls),
            },
            "anchor_style": self.style.value,
            "notes": self.notes,
            "links": self.links,
            "external_links": self.external,
            "broken_count": len(self.broken),
            "reasons": dict(self.reasons),
            "conventions": dict(self.conventions),
            "broken": [item.to_json() for item in self.broken],
            "notice_count": len(self.notices),
            "notice_reasons": dict(self.notice_reasons),
            "notices": [item.to_json() for item in self.notices],
            "orphans": self.orphans,
            "external": None
            if self.external_answers is None
            else {
                "urls_checked": len(self.external_answers),
                "problems": [
                    {
                        "path": stored.source_path,
                        "line": stored.link.line,
                        "column": stored.link.column,
                        "url": answer.url,
                        "outcome": answer.outcome,
                        "http_status": answer.http_status,
                        "detail": answer.detail,
                        "checked_at": answer.checked_at,
                    }
                    for stored, answer in self.external_problems
                ],
            },
        }


def check_links(
    links: Iterable[StoredLink],
    targets: NoteTargets,
    style: AnchorStyle | None = None,
    load_bodies: BodyLoader | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> LinkReport:
    """Resolve every link under the vault's publisher (and its anchors, unless `style` says
    otherwise); rank repairs for the broken ones and for permalinks; find the notes nothing links
    to."""
    style = style or PUBLISHER_STYLE[targets.publisher.kind]
    report = LinkReport(style, targets.publisher, notes=len(targets.headings))
    linked_to: set[str] = set()
    pending: list[tuple[StoredLink, Resolution]] = []
    noticed: list[tuple[StoredLink, Resolution]] = []
    for stored in links:
        report.links += 1
        resolution = resolve_link(stored.source_path, stored.link, targets, style)
        if resolution.status is Status.EXTERNAL:
            report.external += 1
            report.external_links.append(stored)
            continue
        if (
            resolution.target_path
            and resolution.target_path != stored.source_path
            and resolution.status
            in (
                Status.OK,
                Status.CASE_MISMATCH,
                Status.MISSING_ANCHOR,
                Status.WORKS_ON_SITE,
            )
        ):
            linked_to.add(resolution.target_path)
        if resolution.convention is not None and not resolution.is_broken:
            report.conventions[resolution.convention.value] += 1
        if resolution.is_broken:
            pending.append((stored, resolution))
        elif resolution.is_notice:
            noticed.append((stored, resolution))
    anchor_notes = {
        r.target_path for _, r in pending if r.status is Status.MISSING_ANCHOR and r.target_path
    }
    bodies = load_bodies(anchor_notes) if load_bodies and anchor_notes else {}
    index = SuggestionIndex(targets) if pending or noticed else None
    for done, (stored, resolution) in enumerate(pending, 1):
        report.broken.append(_checked(stored, resolution, targets, style, bodies, index))
        if on_progress is not None:
            on_progress(done, len(pending))
    report.notices = [
        _checked(stored, resolution, targets, style, {}, index) for stored, resolution in noticed
    ]
    report.orphans = sorted(path for path in targets.headings if path not in linked_to)
    return report


def _checked(
    stored: StoredLink,
    resolution: Resolution,
    targets: NoteTargets,
    style: AnchorStyle,
    bodies: Mapping[int, str],
    index: SuggestionIndex | None,
) -> CheckedLink:
    # a link to the site's URL is repaired as the local link it is
    link = effective_link(stored.link, targets)
    suggestions = suggest(stored.source_path, link, resolution, targets, bodies, index)
    repairs: list[Repair] = []
    for suggestion in suggestions:
        destination = new_destination(
            stored.source_path, link, resolution.target_path, suggestion, targets, style
        )
        if destination != stored.link.raw_target and all(
            r.destination != destination for r in repairs
        ):
            repairs.append(Repair(suggestion, destination))
    return CheckedLink(stored.source_path, stored.link, resolution, tuple(repairs))


@dataclass(frozen=True, slots=True)
class NoteLinks:
    """One note's place in the graph: what links to it, and where its own links lead."""

    path: str
    backlinks: list[tuple[StoredLink, Resolution]]
    outgoing: list[tuple[StoredLink, Resolution]]


def note_links(path: str, links: Iterable[StoredLink], targets: NoteTargets) -> NoteLinks:
    backlinks, outgoing = [], []
    for stored in links:
        resolution = resolve_link(stored.source_path, stored.link, targets)
        if stored.source_path == path:
            outgoing.append((stored, resolution))
        elif resolution.target_path == path:
            backlinks.append((stored, resolution))
    return NoteLinks(path, backlinks, outgoing)
