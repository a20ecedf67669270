"""A note as safe HTML for the viewer: the indexer's own parser, highlighted code, resolved links,
cards.

The note is parsed by the same markdown-it set-up as the indexer (so line numbers, headings and
links agree with the index), front matter lines are blanked rather than cut (line numbers stay the
file's), and the result goes through the ammonia sanitizer (nh3) last, so raw HTML in a note can
never run script. Math is left as text: rendering it would need a JavaScript library the note may
not want.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from urllib.parse import quote

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from bagu.links.resolve import NoteTargets, resolve_link
from bagu.store.cards import NoteCard
from bagu.vault.frontmatter import split_front_matter
from bagu.vault.html_ids import read_html
from bagu.vault.markdown import link_of_token, split_lines
from bagu.vault.model import Section
from bagu.vault.names import URL_SCHEME
from bagu.vault.syntax import MATH_DELIMITERS, make_parser

_TAGS = nh3.ALLOWED_TAGS | {"input"}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "input": {"type", "checked", "disabled"},
}
_MAX_HIGHLIGHT = 200_000  # characters; a longer block is shown plain rather than stall the page


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    level: int
    heading: str
    anchor: str
    line: int
    cards: int


@dataclass(frozen=True, slots=True)
class RenderedNote:
    html: str
    outline: list[OutlineEntry]


def note_url(path: str, anchor: str | None = None, line: int | None = None) -> str:
    """The viewer's address for a note (and a heading or line in it); path segments
    percent-encoded."""
    url = "/note/" + quote(path)
    if line is not None:
        url += f"?line={line}"
    return url + (f"#{quote(anchor)}" if anchor else "")


def file_url(path: str) -> str:
    return "/file/" + quote(path)


@cache
def _parser() -> MarkdownIt:
    md = make_parser()
    md.options["highlight"] = _highlight
    md.add_render_rule("wikilink", _render_wikilink)
    # math stays the text the note wrote (module docstring)
    for kind, delimiter in MATH_DELIMITERS.items():
        md.add_render_rule(kind, _math_as_text(delimiter))
    return md


def _math_as_text(
    delimiter: str,
) -> Callable[[RendererHTML, Sequence[Token], int, OptionsDict, EnvType], str]:
    def render(
        _self: RendererHTML, tokens: Sequence[Token], idx: int, _options: OptionsDict, _env: EnvType
    ) -> str:
        token = tokens[idx]
        text = f"{delimiter}{escape(token.content)}{delimiter}"
        return f"<p>{text}</p>\n" if token.block else text

    return render


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """Pygments spans with CSS classes (static/pygments.css); inline styles would break the CSP."""
    if not lang or len(code) > _MAX_HIGHLIGHT:
        return ""
    try:
        lexer = get_lexer_by_name(lang.split()[0], stripnl=False)
    except ClassNotFound:
        return ""
    return str(highlight(code, lexer, HtmlFormatter(nowrap=True)))


def _render_wikilink(
    self: RendererHTML, tokens: Sequence[Token], idx: int, _options: OptionsDict, _env: EnvType
) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    text = escape(token.content)
    if token.meta.get("embed") and token.attrGet("data-image"):
        return f'<img src="{escape(href)}" alt="{text}">'
    css = f' class="{token.attrGet("class")}"' if token.attrGet("class") else ""
    return f'<a href="{escape(href)}"{css}>{text}</a>'


def render_note(
    path: str,
    text: str,
    sections: Sequence[Section],
    targets: NoteTargets,
    cards: dict[tuple[str, ...], list[NoteCard]] | None = None,
    *,
    remote_images: bool = False,
    readiness: Mapping[int, str] | None = None,
) -> RenderedNote:
    """HTML for the note at `path`: headings carry every anchor they answer to, blocks their source
    line. An image from another site is shown only with `remote_images`; otherwise it is a link with
    its alt text, which the page's CSP would block as an image anyway. `readiness` (section id →
    solid, fading, weak, unseen) colours a summary page's links by what the reviews say of the
    sections they point at."""
    lines = split_lines(text)
    front = split_front_matter(lines)
    if front is not None:
        lines[: front.line_count] = [""] * front.line_count
    md = _parser()
    tokens = md.parse("\n".join(lines))
    by_line = {s.line_start: s for s in sections if s.level > 0}
    cards = cards or {}
    outline: list[OutlineEntry] = []
    out: list[Token] = []
    for i, token in enumerate(tokens):
        if token.map is not None and token.nesting >= 0 and token.level == 0:
            token.attrSet("data-line", str(token.map[0] + 1))
        if (
            token.type == "heading_open"
            and token.map is not None
            and (section := by_line.get(token.map[0] + 1))
        ):
            anchors = section.anchors
            token.attrSet("id", anchors.github)
            names = [anchors.raw, anchors.text, anchors.kramdown, *anchors.explicit]
            token.attrSet(
                "data-anchors",
                json.dumps([n for n in dict.fromkeys(names) if n], ensure_ascii=False),
            )
            token.attrSet("class", "heading")
            own = cards.get(section.heading_path, [])
            outline.append(
                OutlineEntry(
                    section.level, section.heading, anchors.github, section.line_start, len(own)
                )
            )
        if token.type == "inline":
            _rewrite_links(path, token.children or [], targets, readiness or {})
            if not remote_images:
                token.children = [_remote_image_as_link(child) for child in token.children or []]
        if token.type == "html_block" and not remote_images:
            token.content = _remote_html_images_as_links(token.content)
        out.append(token)
        if token.type == "heading_close" and (opening := tokens[i - 2]).map is not None:
            section = by_line.get(opening.map[0] + 1)
            if section is not None and cards.get(section.heading_path):
                block = Token("html_block", "", 0)
                block.content = _cards_html(cards[section.heading_path])
                out.append(block)
    html = md.renderer.render(out, md.options, {})
    return RenderedNote(sanitize(html), outline)


def _rewrite_links(
    path: str, children: list[Token], targets: NoteTargets, readiness: Mapping[int, str]
) -> None:
    """Point links at the viewer (notes) or /file/ (images, attachments), resolved as `bagu check`
    does."""
    for token in children:
        if token.type not in ("link_open", "image", "wikilink"):
            continue
        link = link_of_token(token)
        attribute = "src" if token.type == "image" else "href"
        if link.is_external:
            if token.type == "link_open":
                token.attrSet("class", "external")
            continue
        resolution = resolve_link(path, link, targets)
        if resolution.is_broken or resolution.target_path is None:
            token.attrSet(attribute, "#")
            token.attrSet("class", "broken")
            token.attrSet("title", f"broken link: {resolution.detail or resolution.status}")
            continue
        target = resolution.target_path
        if target in targets.headings and token.type != "image":
            anchor = _github_anchor(targets, target, resolution.section_id) or link.anchor
            token.attrSet(attribute, note_url(target, anchor))
            known = (
                readiness.get(resolution.section_id) if resolution.section_id is not None else None
            )
            if known is not None:
                token.attrSet("class", f"readiness {known}")
                token.attrSet("title", f"{known}: what your reviews say of this section")
        else:
            token.attrSet(attribute, file_url(target))
            if token.type == "wikilink":
                token.attrSet("data-image", "1")


def _remote_image_as_link(token: Token) -> Token:
    if token.type == "html_inline":
        token.content = _remote_html_images_as_links(token.content)
        return token
    src = str(token.attrGet("src") or "") if token.type == "image" else ""
    if not URL_SCHEME.match(src) or src.startswith("data:"):
        return token
    link = Token("html_inline", "", 0)
    link.content = _image_link(src, "".join(c.content for c in token.children or []))
    return link


def _remote_html_images_as_links(html: str) -> str:
    """Typora writes a resized image as `<img src="https://…" style="zoom:50%">`: the same link for
    it."""
    if "<img" not in html:
        return html
    cursor = 0  # past the last tag replaced: an image shown twice is two tags, each replaced once
    for ref in read_html(html).references:
        if (
            ref.kind != "image"
            or not URL_SCHEME.match(ref.target)
            or ref.target.startswith("data:")
        ):
            continue
        at = html.find(ref.target, cursor)
        start, end = html.rfind("<img", cursor, at), html.find(">", at)
        if at < 0 or start < 0 or end < 0:
            continue
        link = _image_link(ref.target, ref.alt)
        html, cursor = html[:start] + link + html[end + 1 :], start + len(link)
    return html


def _image_link(src: str, alt: str) -> str:
    shown = alt.strip() or src.rsplit("/", 1)[-1] or src
    title = (
        "an image from another site, not loaded: bagu serve --remote-images, or [web] "
        "remote_images in bagu.toml"
    )
    return (
        f'<a class="external remote-image" href="{escape(src)}" '
        f'title="{title}">🖼 {escape(shown)}</a>'
    )


def _github_anchor(targets: NoteTargets, path: str, section_id: int | None) -> str | None:
    if section_id is None:
        return None
    return next(
        (h.anchors.github for h in targets.headings[path] if h.section_id == section_id), None
    )


def _cards_html(cards: list[NoteCard]) -> str:
    items = "".join(
        f'<li><span class="kind">{escape(c.kind)}</span> {escape(c.front)}<div '
        f'class="back">{escape(c.back)}</div></li>'
        for c in cards
    )
    return (
        f'<details class="cards"><summary>{len(cards)} '
        f"card(s)</summary><ul>{items}</ul></details>\n"
    )


def sanitize(html: str) -> str:
    """Only harmless tags and attributes survive: no script, no event handlers, no style, no
    javascript: URLs."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        generic_attribute_prefixes={"data-"},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
