"""Which tool publishes the vault, read from the files that tool needs, and what its links mean.

A link works or not *where the notes are read*: `ch04-01-ownership.html#the-stack` is a working link
in an mdBook book (the page is made from `ch04-01-ownership.md`), `/java/jvm#类加载` one in a
VuePress site, and `/blog/2018/05/10/Bias_Variance_trick` one on a Jekyll blog, though none names a
file. So the link checker first finds the publisher:

| found at the vault's root | publisher | the site's `/` is |
|---|---|---|
| `book.toml` | mdBook | `src/` (`[book] src`) |
| `.vuepress/` in the root or a first-level folder | VuePress | the folder holding `.vuepress/` |
| `_config.yml` | Jekyll | the root (`source`) |
| `.obsidian/` | Obsidian | the root |
| none of these | Typora / GitHub | the root |

`bagu.toml` (`[links] publisher = "mdbook"`, `site_url = "https://…"`) or `--publisher` /
`--site-url` override what is found. This module only reads those configuration files;
links/resolve.py applies the rules.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from bagu.errors import BaguError
from bagu.vault.settings import settings_table


class PublisherKind(StrEnum):
    MDBOOK = "mdbook"
    VUEPRESS = "vuepress"
    JEKYLL = "jekyll"
    OBSIDIAN = "obsidian"
    TYPORA = "typora"  # no publisher: Typora, GitHub and editors that read the files as they are


_LABELS = {
    PublisherKind.MDBOOK: "mdBook",
    PublisherKind.VUEPRESS: "VuePress",
    PublisherKind.JEKYLL: "Jekyll",
    PublisherKind.OBSIDIAN: "Obsidian",
    PublisherKind.TYPORA: "Typora/GitHub",
}

# What each publisher's links mean, as the report says it.
_RULES = {
    PublisherKind.MDBOOK: "`.html` links are their `.md` pages, `book.toml` redirects followed, "
    "mdBook's heading ids",
    PublisherKind.VUEPRESS: "extensionless and `.html` links are `.md` pages, a folder is its "
    "README.md, "
    "VuePress's heading slugs",
    PublisherKind.JEKYLL: "permalinks of posts work on the site (reported apart), kramdown ids "
    "or the heading as "
    "written",
    PublisherKind.OBSIDIAN: "wikilinks by shortest path, anchors are the heading as written",
    PublisherKind.TYPORA: "links are file paths, anchors in any common form",
}

_VUEPRESS_CONFIGS = ("config.js", "config.ts", "config.mjs", "config.cjs", "config.mts")
# `base: '/interview/'`, `hostname: 'https://…'` or `const hostname = '…'` in a VuePress config file
# (JavaScript, read as text).
_JS_STRING_KEY = r"""\b{key}\s*[:=]\s*(['"`])([^'"`\n]+)\1"""


@dataclass(frozen=True, slots=True)
class Publisher:
    kind: PublisherKind
    found: str  # why these rules: the file that showed the publisher, or who chose it
    site_root: str = ""  # the vault-relative folder that is the site's `/`
    # the URL path the site lives under (VuePress `base`, Jekyll `baseurl`, mdBook `site-url`)
    base: str = "/"
    # the site's own absolute URLs (with `base`): links to them are local
    site_urls: tuple[str, ...] = ()
    static_roots: tuple[str, ...] = ()  # folders also served at `/` (VuePress `.vuepress/public`)
    redirects: tuple[tuple[str, str], ...] = ()  # mdBook `[output.html.redirect]`: old page → new
    permalink: str = ""  # Jekyll's `permalink` pattern or preset
    # the publisher's major version where its rules changed (VuePress 1 or 2), 0 when unknown
    major: int = 0

    @property
    def label(self) -> str:
        return _LABELS[self.kind]

    @property
    def rules(self) -> str:
        return _RULES[self.kind]

    def describe(self) -> str:
        """One line for the report: `mdBook rules (book.toml): …`."""
        return f"{self.label} rules ({self.found}): {self.rules}"


TYPORA = Publisher(PublisherKind.TYPORA, "no publisher's files found")


def detect_publisher(
    vault: Path, *, choice: str | None = None, site_url: str | None = None
) -> Publisher:
    """The vault's publisher: `choice` (`--publisher`), else bagu.toml's `[links] publisher`, else
    found."""
    table = settings_table(vault, "links")
    chosen, found = choice, "--publisher"
    if not chosen and table.get("publisher"):
        chosen, found = str(table["publisher"]), "bagu.toml"
    if chosen:
        try:
            kind = PublisherKind(chosen.lower())
        except ValueError:
            names = ", ".join(k.value for k in PublisherKind)
            raise BaguError(f"{found}: unknown publisher {chosen!r}; one of {names}") from None
        publisher = _read(vault, kind, found)
    else:
        publisher = _found(vault)
    url = site_url or (str(table["site_url"]) if table.get("site_url") else None)
    if url:
        publisher = _with_site_url(publisher, url)
    return publisher


def _found(vault: Path) -> Publisher:
    if (vault / "book.toml").is_file():
        return _read(vault, PublisherKind.MDBOOK, "book.toml")
    if _vuepress_folder(vault) is not None:
        return _read(vault, PublisherKind.VUEPRESS, ".vuepress/")
    if (vault / "_config.yml").is_file():
        return _read(vault, PublisherKind.JEKYLL, "_config.yml")
    if (vault / ".obsidian").is_dir():
        return Publisher(PublisherKind.OBSIDIAN, ".obsidian/")
    return TYPORA


def _read(vault: Path, kind: PublisherKind, found: str) -> Publisher:
    if kind is PublisherKind.MDBOOK:
        return _mdbook(vault, found)
    if kind is PublisherKind.VUEPRESS:
        return _vuepress(vault, found)
    if kind is PublisherKind.JEKYLL:
        return _jekyll(vault, found)
    return Publisher(kind, found)


def _mdbook(vault: Path, found: str) -> Publisher:
    config = _toml(vault / "book.toml")
    book, html = _dict(config.get("book")), _dict(_dict(config.get("output")).get("html"))
    redirects = tuple((str(old), str(new)) for old, new in _dict(html.get("redirect")).items())
    base = _slashed(str(html.get("site-url") or "/"))
    urls = (f"https://{html['cname']}{base}",) if html.get("cname") else ()
    return Publisher(
        PublisherKind.MDBOOK,
        found,
        _folder(str(book.get("src") or "src")),
        base,
        urls,
        (),
        redirects,
    )


def _vuepress(vault: Path, found: str) -> Publisher:
    folder = _vuepress_folder(vault)
    root = "" if folder is None or folder == vault else folder.name
    config = ""
    for name in _VUEPRESS_CONFIGS:
        path = (folder or vault) / ".vuepress" / name
        if path.is_file():
            config, found = (
                path.read_text(encoding="utf-8", errors="replace"),
                f"{root + '/' if root else ''}.vuepress/{name}",
            )
            break
    base = _slashed(_js_value(config, "base") or "/")
    host = _js_value(config, "hostname") or _js_value(config, "url")
    urls = (f"{host.rstrip('/')}{base}",) if host and host.startswith("http") else ()
    public = f"{root}/.vuepress/public" if root else ".vuepress/public"
    return Publisher(
        PublisherKind.VUEPRESS,
        found,
        root,
        base,
        urls,
        (public,),
        major=_vuepress_major(vault, config),
    )


def _vuepress_major(vault: Path, config: str) -> int:
    """2 for VuePress 2 (`vuepress` 2.x in package.json, or a config that imports from `vuepress`),
    1 for 1.x."""
    try:
        package = json.loads((vault / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        package = {}
    for table in ("dependencies", "devDependencies"):
        version = str(_dict(_dict(package).get(table)).get("vuepress", ""))
        if match := re.search(r"\d+", version):
            return int(match.group())
    if re.search(r"""from\s+['"](?:vuepress|@vuepress/bundler-)""", config):
        return 2
    return 0


def _jekyll(vault: Path, found: str) -> Publisher:
    try:
        config = yaml.safe_load(
            (vault / "_config.yml").read_text(encoding="utf-8", errors="replace")
        )
    except yaml.YAMLError:
        config = {}  # Jekyll itself would stop; the links are still worth checking
    config = _dict(config)
    base = _slashed(str(config.get("baseurl") or "/"))
    url = str(config.get("url") or "")
    urls = (f"{url.rstrip('/')}{base}",) if url.startswith("http") else ()
    permalink = str(config.get("permalink") or "date")
    root = _folder(str(config.get("source") or ""))
    return Publisher(PublisherKind.JEKYLL, found, root, base, urls, permalink=permalink)


def _with_site_url(publisher: Publisher, url: str) -> Publisher:
    if not url.startswith(("http://", "https://")):
        raise BaguError(f"site URL {url!r}: write it as https://host/path/")
    site = url if url.endswith("/") else url + "/"
    return replace(publisher, site_urls=(site, *(u for u in publisher.site_urls if u != site)))


def _vuepress_folder(vault: Path) -> Path | None:
    if (vault / ".vuepress").is_dir():
        return vault
    try:
        folders = sorted(p for p in vault.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return None
    return next((p for p in folders if (p / ".vuepress").is_dir()), None)


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return {}  # mdBook would refuse it; its links are still worth checking under mdBook's rules


def _js_value(config: str, key: str) -> str | None:
    match = re.search(_JS_STRING_KEY.format(key=key), config)
    return match.group(2).strip() if match else None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _slashed(path: str) -> str:
    """`/interview/` from `interview`, `/interview` or `/interview/`."""
    inner = path.strip().strip("/")
    return f"/{inner}/" if inner else "/"


def _folder(path: str) -> str:
    return path.strip().strip("/").removeprefix("./")
