"""Where a path written in a note can lead on the publisher's site: the files a page path may be
(mdBook's `.html` pages, VuePress's extensionless ones and README folders, `.vuepress/public`),
mdBook's redirects, and Jekyll's date-and-title permalinks. Pure path arithmetic; links/resolve.py
decides which exist.
"""

from __future__ import annotations

import posixpath
import re

from bagu.vault.names import NOTE_SUFFIXES, URL_SCHEME
from bagu.vault.publisher import Publisher, PublisherKind

# A Jekyll permalink such as `/blog/2018/05/10/Bias_Variance_trick/` names the post
# `2018-05-10-Bias_Variance_trick.md` (a repair's guess when the site's URLs are not known).
PERMALINK = re.compile(r"(?:^|/)(\d{4})/(\d{2})/(\d{2})/([^/]+?)(?:\.html?)?/?$")


def site_candidates(
    joined: str, written: str, publisher: Publisher, *, root_relative: bool = False
) -> list[str]:
    """The files a path may name on the publisher's site, most literal first: mdBook and VuePress
    pages are `.md` files behind `.html` (or no extension, or a folder's README.md), and VuePress
    serves `.vuepress/public` at `/`."""
    found = [joined]
    kind = publisher.kind
    stem, suffix = posixpath.splitext(joined)
    # "The extension, like .md, can be omitted" (Typora's documentation)
    if kind is PublisherKind.TYPORA:
        return found + (
            [joined + s for s in NOTE_SUFFIXES]
            if not suffix and joined and not written.endswith("/")
            else []
        )
    folder_like = written.endswith("/") or not joined
    if suffix in (".html", ".htm"):
        found += [stem + ".md"] + (
            [
                _in(posixpath.dirname(joined), "README.md"),
                _in(posixpath.dirname(joined), "index.md"),
            ]
            if posixpath.basename(stem) == "index"
            else []
        )
    elif not suffix and not folder_like and kind is not PublisherKind.MDBOOK:
        found.append(joined + ".md")
    if folder_like or kind is PublisherKind.VUEPRESS:
        found += [_in(joined, "README.md"), _in(joined, "index.md")]
    if kind is PublisherKind.MDBOOK:
        found += _redirected(joined, publisher)
    if root_relative:
        found += [
            _in(static, _on_site(joined, publisher.site_root)) for static in publisher.static_roots
        ]
    return found


def _redirected(joined: str, publisher: Publisher) -> list[str]:
    """mdBook's `[output.html.redirect]`: `"/old.html" = "new.html"` keeps old links working."""
    root = publisher.site_root
    page = "/" + _on_site(joined, root)
    for old, new in publisher.redirects:
        if "/" + old.lstrip("/") == page and not URL_SCHEME.match(new):
            target = new.partition("#")[0]
            base = root if target.startswith("/") else posixpath.dirname(joined)
            moved = posixpath.normpath(_in(base, target.lstrip("/")))
            stem, suffix = posixpath.splitext(moved)
            return [moved, stem + ".md"] if suffix in (".html", ".htm") else [moved]
    return []


def redirected_anchor(target_path: str, anchor: str, publisher: Publisher) -> str | None:
    """mdBook redirects a fragment too:
    `"/ch04-00-traits.html#orphan-rule" = "ch04-00-traits.html#孤儿规则"`."""
    if publisher.kind is not PublisherKind.MDBOOK:
        return None
    page = posixpath.splitext(_on_site(target_path, publisher.site_root))[0] + ".html"
    for old, new in publisher.redirects:
        if old.lstrip("/") == f"{page}#{anchor}" and "#" in new:
            return new.partition("#")[2]
    return None


def _on_site(path: str, root: str) -> str:
    """A vault path as a path on the site, whose `/` is the folder `root`."""
    return posixpath.relpath(path, root) if root else path


def _in(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name
