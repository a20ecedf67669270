"""The URL each note is published at by Jekyll, so a link written as a URL
(`/blog/2019/03/05/Redis_persistence`) can be matched to its note as the site would.

Jekyll makes a post's URL from `permalink` in `_config.yml` (a preset or a pattern of `:year`,
`:title`, `:categories` …), the date in its front matter or else its file name, and its categories;
a note's own front-matter `permalink` wins. A page (any note outside `_posts/`) is its path with
`.html`. Pure: front matter in, a map from URL (normalised by `url_key`) to note out.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from urllib.parse import unquote

_PRESETS = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_POST_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_PLACEHOLDER = re.compile(r":([a-z_]+)")
# Jekyll's "pretty" slugify keeps letters and digits of any script and these; every other run
# becomes `-`.
_NOT_PRETTY = re.compile(r"[^\w._~!$&'()+,;=@]+")


def url_key(path: str) -> str:
    """A URL path as compared: decoded, no `.html` or trailing `/`, `//` collapsed, case folded."""
    decoded = unquote(path).split("#")[0].split("?")[0]
    key = re.sub(r"/{2,}", "/", "/" + decoded.strip("/"))
    key = key.removesuffix(".html").removesuffix("/index").removesuffix("/")
    return key.casefold() or "/"


def jekyll_urls(
    front_matter: Mapping[str, Mapping[str, object]], notes: list[str], pattern: str
) -> dict[str, str]:
    """URL key → note, for every note of a Jekyll site whose permalink pattern (from _config.yml) is
    `pattern`."""
    template = _PRESETS.get(pattern or "date", pattern or _PRESETS["date"])
    urls: dict[str, str] = {}
    for path in notes:
        data = front_matter.get(path, {})
        own = data.get("permalink")
        if isinstance(own, str) and own.strip():
            urls[url_key(own)] = path
        elif (url := _post_url(path, data, template)) is not None:
            urls[url_key(url)] = path
        else:
            urls[url_key(posixpath.splitext(path)[0])] = path
    return urls


def _post_url(path: str, data: Mapping[str, object], template: str) -> str | None:
    parts = path.split("/")
    if "_posts" not in parts[:-1]:
        return None
    match = _POST_NAME.match(posixpath.splitext(parts[-1])[0])
    if match is None:
        return None
    year, month, day, title = match.groups()
    written = _DATE.match(str(data.get("date") or ""))
    if written is not None:
        year, month, day = written.groups()
    slug = str(data.get("slug") or title)
    values = {
        "year": year,
        "month": month,
        "day": day,
        "i_month": str(int(month)),
        "i_day": str(int(day)),
        "short_year": year[2:],
        "title": _NOT_PRETTY.sub("-", slug).strip("-"),
        "slug": _NOT_PRETTY.sub("-", slug).strip("-").lower(),
        "categories": "/".join(_categories(parts, data)),
        "output_ext": ".html",
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _categories(parts: list[str], data: Mapping[str, object]) -> list[str]:
    """Folders above `_posts/` and the front matter's categories (Jekyll puts both in the URL)."""
    found = parts[: parts.index("_posts")]
    for key in ("category", "categories"):
        value = data.get(key)
        if isinstance(value, str):
            found += value.split()
        elif isinstance(value, list):
            found += [str(v) for v in value]
    return [c.lower() for c in dict.fromkeys(found) if c]
