"""Guess what a broken link meant: the file it most likely names and the heading it most likely
means.

Pure and ranked: each guess has a confidence in [0, 1] and a reason a person can check. The
thresholds come from the broken links of the real corpus (moved files, a dropped first letter of a
folder, a stray `_posts/` prefix, an anchor that is the start of a renamed heading, a stray `]`);
`fix --apply` applies only a confident guess that clearly beats the next one.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from rapidfuzz import fuzz, process

from bagu.links.resolve import NoteTargets, Resolution, Status, match_anchor
from bagu.links.site_paths import PERMALINK
from bagu.vault.anchors import normalize_heading_text
from bagu.vault.model import HeadingTarget, Link
from bagu.vault.names import NOTE_SUFFIXES, note_stem, post_title

MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.4
# A fix is applied without being chosen by hand only above this, and only with a clear lead over the
# runner-up.
CONFIDENT = 0.85
CLEAR_LEAD = 0.15

_STRAY_EDGES = "[]()（）【】<>《》\"'`*_ \t.,;:!?，。；：！？、"
_DRIVE_OR_FILE_URL = re.compile(r"^(?:file:/*|[A-Za-z]:[\\/]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A repair: the file (and heading) the link should point at, and why we think so."""

    path: str
    heading: HeadingTarget | None
    confidence: float
    reason: str
    # False when the repair keeps the link's own anchor (only its file changes).
    replaces_anchor: bool = True
    drops_anchor: bool = False


def is_confident(suggestions: list[Suggestion]) -> bool:
    """The best guess is good enough to apply unasked: confident, and well ahead of the next
    guess."""
    if not suggestions or suggestions[0].confidence < CONFIDENT:
        return False
    return (
        len(suggestions) == 1 or suggestions[0].confidence - suggestions[1].confidence >= CLEAR_LEAD
    )


def suggest(
    source_path: str,
    link: Link,
    resolution: Resolution,
    targets: NoteTargets,
    bodies: Mapping[int, str] | None = None,
    index: SuggestionIndex | None = None,
) -> list[Suggestion]:
    """Up to three ranked repairs for a broken link (none for a link that works).

    Pass one `SuggestionIndex` for many links of one vault; without it, one is built for this call.
    """
    index = index or SuggestionIndex(targets)
    if resolution.status in (
        Status.MISSING_FILE,
        Status.OUTSIDE_VAULT,
        Status.ABSOLUTE_PATH,
        Status.WORKS_ON_SITE,
    ):
        found = _suggest_files(source_path, link, resolution, index)
    elif resolution.status is Status.MISSING_ANCHOR and resolution.target_path:
        found = _suggest_headings(source_path, link, resolution, index, bodies or {})
    elif resolution.status is Status.CASE_MISMATCH and resolution.target_path:
        found = [
            Suggestion(
                resolution.target_path, None, 0.95, "same file, spelled with its real case", False
            )
        ]
    elif resolution.status is Status.AMBIGUOUS_WIKILINK:
        found = [
            Suggestion(path, None, 0.5, "one of the notes with this name", False)
            for path in resolution.detail.split(", ")
        ]
    else:
        found = []
    return _rank(found)


def _rank(found: list[Suggestion]) -> list[Suggestion]:
    best: dict[tuple[str, int | None, bool], Suggestion] = {}
    for suggestion in found:
        key = (
            suggestion.path,
            suggestion.heading.section_id if suggestion.heading else None,
            suggestion.drops_anchor,
        )
        if key not in best or best[key].confidence < suggestion.confidence:
            best[key] = suggestion
    ranked = sorted(best.values(), key=lambda s: (-s.confidence, s.path))
    return [
        Suggestion(
            s.path,
            s.heading,
            round(min(s.confidence, 0.99), 2),
            s.reason,
            s.replaces_anchor,
            s.drops_anchor,
        )
        for s in ranked
        if s.confidence >= MIN_CONFIDENCE
    ][:MAX_SUGGESTIONS]


# --- files
# ---------------------------------------------------------------------------------------------


def _wanted_path(source_path: str, link: Link, resolution: Resolution) -> str:
    """The vault-relative path the link tried to reach, with Windows and absolute-path noise
    removed."""
    written = unquote(link.path) if link.is_external else link.path
    raw = _DRIVE_OR_FILE_URL.sub("", written.replace("\\", "/"))
    if resolution.target_path and "\\" not in link.path and not _DRIVE_OR_FILE_URL.match(link.path):
        return resolution.target_path
    joined = (
        raw.lstrip("/")
        if raw.startswith("/")
        else posixpath.join(posixpath.dirname(source_path), raw)
    )
    parts = [p for p in posixpath.normpath(joined).split("/") if p not in ("..", ".", "")]
    return "/".join(parts)


def _stem(path: str) -> str:
    return note_stem(path).lower()


def _name_similarity(a: str, b: str) -> float:
    return fuzz.ratio(_dateless(a), _dateless(b)) / 100


def _dateless(path: str) -> str:
    return post_title(path).lower()


class SuggestionIndex:
    """Lookups over the whole vault, built once per check, so a suggestion costs lookups and not a
    scan."""

    def __init__(self, targets: NoteTargets) -> None:
        self.targets = targets
        self.paths = sorted(targets.all_files)
        self.dateless = [_dateless(p) for p in self.paths]
        self.by_lower: dict[str, str] = {p.lower(): p for p in self.paths}
        self.by_stem: dict[str, list[str]] = defaultdict(list)
        self.by_post: dict[str, list[str]] = defaultdict(list)
        for path in self.paths:
            self.by_stem[_stem(path)].append(path)
            self.by_post["-".join(_stem(path).split())].append(path)
        self.headings: dict[str, list[tuple[str, HeadingTarget]]] = defaultdict(list)
        for path, headings in targets.headings.items():
            for heading in _real_headings(headings):
                a = heading.anchors
                for key in {
                    a.raw,
                    a.github,
                    a.kramdown or "",
                    *a.explicit,
                    normalize_heading_text(a.text),
                } - {""}:
                    self.headings[key].append((path, heading))

    def similar_names(self, path: str, cutoff: float) -> list[str]:
        """Paths whose file name (without a Jekyll date) is at least `cutoff` similar to
        `path`'s."""
        hits = process.extract(
            _dateless(path), self.dateless, scorer=fuzz.ratio, score_cutoff=cutoff * 100, limit=25
        )
        return [self.paths[index] for _, _, index in hits]

    def headings_named(self, anchor: str) -> list[tuple[str, HeadingTarget]]:
        keys = dict.fromkeys(
            k for k in (anchor, anchor.lower(), normalize_heading_text(anchor)) if k
        )
        found = dict.fromkeys(hit for key in keys for hit in self.headings.get(key, []))
        return list(found)

    def file_candidates(self, wanted: str, post_stem: str | None) -> list[str]:
        lowered = wanted.lower()
        found: dict[str, None] = {}
        for key in (lowered, *(lowered + suffix for suffix in NOTE_SUFFIXES)):
            if key in self.by_lower:
                found[self.by_lower[key]] = None
        for index, char in enumerate(lowered):
            if char == "/" and lowered[index + 1 :] in self.by_lower:
                found[self.by_lower[lowered[index + 1 :]]] = None
        found.update(dict.fromkeys(self.by_stem.get(_stem(wanted), [])))
        if post_stem:
            found.update(dict.fromkeys(self.by_post.get(post_stem, [])))
        found.update(dict.fromkeys(self.similar_names(wanted, 0.64)))
        return list(found)


def _suggest_files(
    source_path: str, link: Link, resolution: Resolution, index: SuggestionIndex
) -> list[Suggestion]:
    targets = index.targets
    wanted = _wanted_path(source_path, link, resolution)
    if not wanted:
        return []
    lowered = wanted.lower()
    wanted_stem = _stem(wanted)
    permalink = PERMALINK.search(link.path)
    post_stem = "-".join(permalink.groups()).lower() if permalink else None
    found: list[Suggestion] = []
    for candidate in index.file_candidates(wanted, post_stem):
        c = candidate.lower()
        confidence, reason = 0.0, ""
        if c == lowered:
            confidence, reason = (
                0.97,
                "the same path with / separators" if "\\" in link.path else "the file in the vault",
            )
        elif post_stem and "-".join(_stem(c).split()) == post_stem:
            confidence, reason = 0.9, "the Jekyll permalink of this post"
        elif lowered.endswith("/" + c):
            confidence, reason = 0.95, f"drop the stray prefix {wanted[: len(wanted) - len(c)]!r}"
        elif c.startswith(lowered) and c[len(lowered) :] in NOTE_SUFFIXES:
            confidence, reason = 0.95, "add the missing extension"
        elif _stem(c) == wanted_stem:
            folder_similarity = fuzz.ratio(posixpath.dirname(lowered), posixpath.dirname(c)) / 100
            unique = 1.0 if len(index.by_stem[wanted_stem]) == 1 else 0.7
            if folder_similarity >= 0.85:
                confidence, reason = 0.93 * unique, "typo in the folder name"
            else:
                confidence, reason = (
                    0.9 * unique,
                    f"the note moved to {posixpath.dirname(candidate) or 'the vault root'}/",
                )
        else:
            similarity = 0.3 * fuzz.ratio(lowered, c) / 100 + 0.7 * _name_similarity(lowered, c)
            if similarity >= 0.75:
                confidence, reason = 0.85 * similarity, "similar name"
        if confidence <= 0:
            continue
        headings = targets.headings.get(candidate)
        if link.anchor and headings is not None:
            if match_anchor(link.anchor, headings):
                confidence, reason = (
                    confidence + (1 - confidence) * 0.5,
                    reason + ", and it has that heading",
                )
            else:
                confidence *= 0.8
        found.append(Suggestion(candidate, None, confidence, reason, replaces_anchor=False))
    if link.anchor and not any(s.confidence >= CONFIDENT for s in found):
        found.extend(_headings_elsewhere(link.anchor, wanted, index, exclude={source_path}))
    return found


# --- headings
# ------------------------------------------------------------------------------------------


def _real_headings(headings: list[HeadingTarget]) -> list[HeadingTarget]:
    return [h for h in headings if h.heading_path]


def _squash(text: str) -> str:
    """Heading text with case, spaces and punctuation gone: `标记-清除 Mark` and `标记清除mark`
    compare equal."""
    folded = normalize_heading_text(text)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZS")


def _char_overlap(a: str, b: str) -> float:
    """Shared characters regardless of order: `堆栈` and `栈堆` overlap fully."""
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b)) if a and b else 0.0


def _suggest_headings(
    source_path: str,
    link: Link,
    resolution: Resolution,
    index: SuggestionIndex,
    bodies: Mapping[int, str],
) -> list[Suggestion]:
    assert link.anchor is not None and resolution.target_path is not None
    targets = index.targets
    path = resolution.target_path
    headings = targets.headings.get(path, [])
    found: list[Suggestion] = []
    if resolution.section_id is not None:
        # The anchor works under another convention than the one enforced: same heading, other
        # spelling.
        same = next((h for h in headings if h.section_id == resolution.section_id), None)
        if same is not None:
            found.append(
                Suggestion(
                    path, same, 0.97, f"same heading, written as a {resolution.convention} anchor"
                )
            )
    stripped = link.anchor.strip(_STRAY_EDGES)
    if stripped and stripped != link.anchor:
        match = match_anchor(stripped, headings)
        if match is not None:
            extra = link.anchor.replace(stripped, "", 1).strip() or "whitespace"
            found.append(Suggestion(path, match[0], 0.95, f"drop the stray {extra!r}"))
    wanted = normalize_heading_text(stripped or link.anchor)
    found.extend(_similar_headings(wanted, path, _real_headings(headings)))
    if not any(s.confidence >= CONFIDENT for s in found):
        found.extend(_headings_elsewhere(link.anchor, path, index, exclude={path, source_path}))
        if wanted and wanted.replace(" ", "") in _stem(path).replace(" ", ""):
            found.append(
                Suggestion(
                    path,
                    None,
                    0.7,
                    "the anchor repeats the note's name: link to the note",
                    drops_anchor=True,
                )
            )
        for heading in headings:
            body = bodies.get(heading.section_id, "")
            if wanted and wanted in normalize_heading_text(body):
                where = (
                    f"under {heading.heading_path[-1]!r}"
                    if heading.heading_path
                    else "in the note's opening text"
                )
                found.append(
                    Suggestion(
                        path,
                        heading if heading.heading_path else None,
                        0.5,
                        f"the words appear {where}",
                        drops_anchor=not heading.heading_path,
                    )
                )
    return found


def _similar_headings(wanted: str, path: str, headings: list[HeadingTarget]) -> list[Suggestion]:
    squashed = _squash(wanted)
    if not squashed:
        return []
    texts = [(h, _squash(h.anchors.text)) for h in headings]
    equal = [h for h, text in texts if text == squashed]
    prefixed = [h for h, text in texts if text.startswith(squashed) and text != squashed]
    containing = [h for h, text in texts if squashed in text and not text.startswith(squashed)]
    found: list[Suggestion] = []
    for heading in equal:
        found.append(
            Suggestion(
                path, heading, 0.92 if len(equal) == 1 else 0.6, "same words, other punctuation"
            )
        )
    for heading in prefixed:
        confidence = 0.88 if len(prefixed) == 1 and not equal else 0.6
        found.append(
            Suggestion(path, heading, confidence, "the anchor is the start of this heading")
        )
    for heading in containing:
        confidence = 0.8 if len(containing) == 1 and not (prefixed or equal) else 0.55
        found.append(Suggestion(path, heading, confidence, "the anchor is part of this heading"))
    matched = {h.section_id for h in (*equal, *prefixed, *containing)}
    for heading, text in texts:
        if not text or heading.section_id in matched:
            continue
        if text in squashed:
            confidence = 0.45 + 0.35 * len(text) / len(squashed)
            found.append(
                Suggestion(path, heading, confidence, "the heading is a shorter form of the anchor")
            )
            continue
        similarity = (
            max(fuzz.ratio(squashed, text), fuzz.ratio(wanted, heading.anchors.github)) / 100
        )
        similarity = max(similarity, 0.9 * _char_overlap(squashed, text))
        if similarity >= 0.6:
            found.append(Suggestion(path, heading, 0.8 * similarity, "the heading looks renamed"))
    return found


def _headings_elsewhere(
    anchor: str, near: str, index: SuggestionIndex, exclude: set[str]
) -> list[Suggestion]:
    """The heading exists in another note (it moved there); more likely in a note with a similar
    name."""
    found: list[Suggestion] = []
    stripped = anchor.strip(_STRAY_EDGES)
    for path, heading in index.headings_named(anchor) + index.headings_named(stripped):
        if path not in exclude:
            # Capped below CONFIDENT: a heading that moved to another note is for the user to
            # confirm.
            confidence = 0.5 + 0.34 * _name_similarity(near, path)
            found.append(Suggestion(path, heading, confidence, "the heading is in this note"))
    wanted = normalize_heading_text(stripped)
    if not wanted:
        return found
    for path in index.similar_names(near, 0.6):
        if path in exclude:
            continue
        closeness = _name_similarity(near, path)
        for heading in _real_headings(index.targets.headings.get(path, [])):
            similarity = fuzz.ratio(wanted, normalize_heading_text(heading.anchors.text)) / 100
            if similarity >= 0.75:
                confidence = 0.8 * similarity * (0.5 + 0.5 * closeness)
                found.append(
                    Suggestion(path, heading, confidence, "a similar heading in a similar note")
                )
    return found
