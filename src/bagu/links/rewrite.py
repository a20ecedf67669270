"""Write a repaired link destination the way its author wrote the broken one.

A fix must read like the note around it: a percent-encoded link stays percent-encoded, a Typora link
with raw spaces keeps raw spaces, `<...>` stays bracketed, a GitHub-slug anchor gets a slug and a
raw-heading anchor gets the heading text, and the path part is left byte-for-byte alone when only
the anchor changes.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote

from bagu.links.resolve import AnchorStyle, NoteTargets, join_link_path
from bagu.links.suggest import Suggestion
from bagu.vault.model import HeadingTarget, Link, LinkKind
from bagu.vault.names import NOTE_SUFFIXES

_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_SLUG_LIKE = re.compile(r"^[^\sA-Z]+$")
_SAFE = "/#-_.~!$&'()*+,;=:@"


def new_destination(
    source_path: str,
    link: Link,
    current_target: str | None,
    suggestion: Suggestion,
    targets: NoteTargets,
    style: AnchorStyle = AnchorStyle.ANY,
) -> str:
    """The text that replaces `link.raw_target` in the note to apply `suggestion`."""
    raw = link.raw_target
    is_bracketed = raw.startswith("<") and raw.endswith(">")
    inner = raw[1:-1] if is_bracketed else raw
    path_text, has_hash, anchor_text = inner.partition("#")
    is_wikilink = link.kind in (LinkKind.WIKILINK, LinkKind.EMBED)
    if not path_text:
        written: str | None = source_path
    else:
        written = current_target if is_wikilink else join_link_path(source_path, link.path)
    same_file = suggestion.path == written
    if same_file:
        new_path = path_text
    elif is_wikilink:
        new_path = _wikilink_name(
            suggestion.path, targets, keep_suffix=path_text.lower().endswith(NOTE_SUFFIXES)
        )
    else:
        # A vault-root link stays one; a permalink or an absolute path on disk becomes a relative
        # file link.
        root_relative = (
            path_text.startswith("/")
            and path_text[1:].split("/")[0] == suggestion.path.split("/")[0]
        )
        new_path = _encode(
            _relative(source_path, suggestion.path, root_relative), link, is_bracketed
        )
    if suggestion.drops_anchor:
        return _wrap(new_path, is_bracketed)
    if not suggestion.replaces_anchor or suggestion.heading is None:
        return _wrap(new_path + (has_hash + anchor_text), is_bracketed)
    anchor = _anchor_for(suggestion.heading, link, anchor_text, style)
    if not is_wikilink:
        anchor = _encode(anchor, link, is_bracketed)
    return _wrap(f"{new_path}#{anchor}", is_bracketed)


def _wrap(destination: str, is_bracketed: bool) -> str:
    return f"<{destination}>" if is_bracketed else destination


def _relative(source_path: str, target: str, root_relative: bool) -> str:
    if root_relative:
        return "/" + target
    return posixpath.relpath(target, posixpath.dirname(source_path) or ".")


def _wikilink_name(path: str, targets: NoteTargets, keep_suffix: bool) -> str:
    """Obsidian's shortest form: the bare note name when it is unique in the vault, else the full
    path."""
    name = posixpath.basename(path)
    suffix = posixpath.splitext(name)[1]
    same_name = [p for p in targets.all_files if posixpath.basename(p).lower() == name.lower()]
    chosen = name if len(same_name) == 1 else path
    return chosen if keep_suffix or suffix.lower() not in NOTE_SUFFIXES else chosen[: -len(suffix)]


def _anchor_for(heading: HeadingTarget, link: Link, old_anchor: str, style: AnchorStyle) -> str:
    anchors = heading.anchors
    if style is AnchorStyle.GITHUB:
        return anchors.github
    if style is AnchorStyle.KRAMDOWN:
        return anchors.kramdown or anchors.github
    if link.kind in (LinkKind.WIKILINK, LinkKind.EMBED) or style is AnchorStyle.RAW:
        return anchors.raw
    decoded = _PERCENT.sub(lambda m: " " if m.group().upper() == "%20" else "x", old_anchor)
    looks_like_slug = bool(_SLUG_LIKE.match(decoded)) and ("-" in decoded or decoded.isascii())
    return anchors.github if looks_like_slug and old_anchor else anchors.raw


def _encode(text: str, link: Link, is_bracketed: bool) -> str:
    """Percent-encode like the original did; otherwise only what CommonMark cannot hold bare."""
    if _PERCENT.search(link.raw_target):
        return quote(text, safe=_SAFE)
    if link.is_loose or is_bracketed:
        return text
    return text.replace(" ", "%20")
