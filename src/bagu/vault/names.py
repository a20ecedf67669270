"""What a note is called: which files are notes, a note's file stem, and its stem without a Jekyll
date; and which link targets are URLs.

Pure. Scanning, link repair, search titles and card matching all name notes the same way.
"""

from __future__ import annotations

import posixpath
import re

NOTE_SUFFIXES = (".md", ".markdown")
# A link target that starts with a scheme (`https:`, `mailto:`) or `//` names something outside the
# vault.
URL_SCHEME = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
# Jekyll post names start with a date (`2021-08-11-tcp.md`), which says nothing about the topic.
JEKYLL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}-")


def is_note_path(path: str) -> bool:
    return path.lower().endswith(NOTE_SUFFIXES)


def note_stem(path: str) -> str:
    """The file name without its note suffix (`db/Redis.md` → `Redis`); other extensions are
    kept."""
    name = posixpath.basename(path)
    lowered = name.lower()
    for suffix in NOTE_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def post_title(path: str) -> str:
    """The note's stem without a Jekyll date: `_posts/2021-08-11-tcp.md` → `tcp`."""
    return JEKYLL_DATE.sub("", note_stem(path))


def path_glob(value: str) -> str:
    """A `--path` as people write it, as a glob: `db/` (or `./db/`) is everything under the
    folder."""
    value = value.strip().removeprefix("./")
    return value + "*" if value.endswith("/") else value


def find_note(value: str, paths: list[str]) -> str | None:
    """The note `value` names: its path, or the path without its extension (`八股文` for
    `八股文.md`)."""
    value = value.replace("\\", "/").strip().removeprefix("./")
    if value in paths:
        return value
    return next((value + suffix for suffix in NOTE_SUFFIXES if value + suffix in paths), None)
