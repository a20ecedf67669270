"""markdown-it-py extensions for the syntax note vaults use beyond CommonMark.

- `[[wikilink]]`, `[[note#heading|alias]]`, `![[embed]]` (Obsidian);
- `[text](dest with spaces.md#Heading Text)`, which Typora and Obsidian accept and CommonMark does
  not;
- `==highlight==`;
- an Obsidian callout's `[!type]` marker (`> [!warning] 2PC 的问题`) is no text;
- math (`$…$`, `$$…$$`, `\\(…\\)`, `\\[…\\]`) and footnotes (`[^x]`), through mdit-py-plugins: what
  is inside math is never a link (`$$a^{[l](C)}$$`), and a footnote is not a reference link;
- source offsets on every link token (`meta["start"]`, `meta["end"]`, `meta["kind"]`), because
  markdown-it records line maps only for blocks and bagu must report a link's column.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.autolink import autolink
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.texmath import texmath_plugin

from bagu.vault.cjk_emphasis import cjk_friendly_emphasis
from bagu.vault.names import URL_SCHEME

InlineRule = Callable[[StateInline, bool], bool]
_LINK_TOKENS = {"link_open", "image", "wikilink"}


def _wikilink(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    is_embed = src.startswith("![[", pos)
    if not (is_embed or src.startswith("[[", pos)):
        return False
    start = pos + (3 if is_embed else 2)
    end = src.find("]]", start, state.posMax)
    if end < 0:
        return False
    inner = src[start:end]
    if not inner.strip() or "\n" in inner or "[" in inner:
        return False
    if not is_embed and src.startswith("(", end + 2):
        return False  # `[[error: RPC failed]](https://…)`: a link whose text is in brackets
    if not silent:
        # Inside tables people escape the alias pipe as `\|`.
        target, _, alias = inner.replace("\\|", "|").partition("|")
        token = state.push("wikilink", "", 0)
        token.content = (alias or target).strip()
        token.meta = {"target": target.strip(), "alias": alias.strip(), "embed": is_embed}
    state.pos = end + 2
    return True


def _loose_link(state: StateInline, silent: bool) -> bool:
    """`[text](a b.md#Some Heading)`: the strict rule failed, so accept a one-line destination with
    spaces."""
    return _spaced_link(state, silent, paren_tail_only=False)


def _paren_tail_link(state: StateInline, silent: bool) -> bool:
    """`[x](k8s/endpoints.md#端点分片 (EndpointSlices))`: Typora links to a heading as written,
    spaces and a parenthesised tail included; CommonMark would read the tail as a title and cut the
    anchor. Tried before the strict rule, for local destinations only (a URL with a `(title)` keeps
    CommonMark's reading)."""
    return _spaced_link(state, silent, paren_tail_only=True)


def _spaced_link(state: StateInline, silent: bool, *, paren_tail_only: bool) -> bool:
    src, pos, maximum = state.src, state.pos, state.posMax
    if src[pos] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, pos, True)
    if label_end < 0 or label_end + 1 >= maximum or src[label_end + 1] != "(":
        return False
    depth, i = 0, label_end + 1
    while i < maximum:
        ch = src[i]
        if ch == "\n":
            return False
        if ch == "\\":
            i += 2
            continue
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            break
        i += 1
    else:
        return False
    destination = src[label_end + 2 : i].strip()
    title_at = destination.find(' "')
    if destination.endswith('"') and title_at > 0:
        destination = destination[:title_at].rstrip()
    if not destination or not any(ch.isspace() for ch in destination):
        return False
    if paren_tail_only and not _is_local_with_paren_tail(destination):
        return False
    href = state.md.normalizeLink(destination)
    if not state.md.validateLink(href):
        return False
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href}
        token.meta = {"loose": True, "destination": destination}
        old_max = state.posMax
        state.pos, state.posMax = pos + 1, label_end
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.posMax = old_max
        state.push("link_close", "a", -1)
    state.pos = i + 1
    return True


def _is_local_with_paren_tail(destination: str) -> bool:
    head, space, tail = destination.rpartition(" (")
    return (
        bool(space)
        and tail.endswith(")")
        and "#" in head
        and not URL_SCHEME.match(head)
        and '"' not in destination
    )


def _highlight(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("==", pos) or src.startswith("===", pos):
        return False
    end = src.find("==", pos + 2, state.posMax)
    inner = src[pos + 2 : end] if end > 0 else ""
    if not inner or inner[0].isspace() or inner[-1].isspace() or "\n\n" in inner:
        return False
    if not silent:
        state.push("mark_open", "mark", 1)
        old_max = state.posMax
        state.pos, state.posMax = pos + 2, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("mark_close", "mark", -1)
    state.pos = end + 2
    return True


def _inline_destination_end(state: StateInline, label_end: int) -> tuple[int, int] | None:
    """Offsets of the destination of an inline link `[x](dest ...)` as written, or None."""
    pos, src = label_end + 2, state.src
    while pos < state.posMax and src[pos] in " \t\n":
        pos += 1
    result = state.md.helpers.parseLinkDestination(src, pos, state.posMax)
    return (pos, result.pos) if result.ok else None


def _tracked(rule: InlineRule, kind: str) -> InlineRule:
    """Wrap a link-producing rule so its token remembers where in the inline source it started."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        start, first_new = state.pos, len(state.tokens)
        label_at = start + 1 if kind == "image" else start
        label_end = (
            state.md.helpers.parseLinkLabel(state, label_at, True)
            if kind in ("link", "image") and state.src[label_at : label_at + 1] == "["
            else -1
        )
        if not rule(state, silent):
            return False
        if silent:
            return True
        token = next((t for t in state.tokens[first_new:] if t.type in _LINK_TOKENS), None)
        if token is None:
            return True
        meta = dict(token.meta or {})
        meta.update(start=start, end=state.pos, kind=kind)
        if kind in ("link", "image") and label_end >= 0:
            is_inline = state.src[label_end + 1 : label_end + 2] == "("
            meta["kind"] = kind if kind == "image" else ("inline" if is_inline else "reference")
            span = _inline_destination_end(state, label_end) if is_inline else None
            if span is not None and "destination" not in meta:
                meta["destination"] = state.src[span[0] : span[1]]
        token.meta = meta
        return True

    return wrapped


# The token types the math plugins make, and the delimiters that write each back as the text it was:
# math stays text wherever bagu shows or indexes it (searchable, and a card can see it is math).
MATH_DELIMITERS = {"math_inline": "$", "math_inline_double": "$$", "math_block": "$$"}


# markdown-it stops at 20 levels of blocks and drops what is deeper without a word; a list item
# costs two levels, so ten nested list levels already lost text. 256 levels parse in milliseconds
# without approaching Python's recursion limit; anything deeper is reported (markdown.py), not
# silently lost.
MAX_NESTING = 256


# An Obsidian callout's type marker on its first line: `> [!warning] 2PC 的问题`, `> [!tip]- 折叠`.
_CALLOUT_MARKER = re.compile(r"^\[![A-Za-z][\w-]*\][+-]?(?=\s|$)")


def _callout_titles(state: StateCore) -> None:
    """A callout's `[!type]` marker is no text: its title (`2PC 的问题`) is, and titles what the
    callout holds as a line of a note does. Blanked in place, so every offset of the line stays."""
    tokens = state.tokens
    for i, token in enumerate(tokens[:-2]):
        if token.type == "blockquote_open" and tokens[i + 1].type == "paragraph_open":
            inline = tokens[i + 2]
            if inline.type == "inline" and (marker := _CALLOUT_MARKER.match(inline.content)):
                inline.content = " " * marker.end() + inline.content[marker.end() :]


def make_parser() -> MarkdownIt:
    """CommonMark + GFM tables and strikethrough + CJK-friendly emphasis + the vault syntax above;
    HTML kept."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(
        ["table", "strikethrough"]
    )
    # first: the rules below are registered on the inline parser it installs
    md.use(cjk_friendly_emphasis)
    md.inline.ruler.at("link", _tracked(link, "link"))
    md.inline.ruler.at("image", _tracked(image, "image"))
    md.inline.ruler.at("autolink", _tracked(autolink, "autolink"))
    md.inline.ruler.before("link", "wikilink", _tracked(_wikilink, "wikilink"))
    md.inline.ruler.after("link", "loose_link", _tracked(_loose_link, "inline"))
    md.inline.ruler.before("link", "paren_tail_link", _tracked(_paren_tail_link, "inline"))
    md.inline.ruler.before("emphasis", "highlight", _highlight)
    # Pandoc's rule for `$`: no space inside the delimiters and no digit after the closing one, so
    # prices (`$5 and $6`) stay text.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(texmath_plugin, delimiters="brackets")
    # Definitions stay where they were written (in their section), not moved to the end of the note.
    md.use(footnote_plugin, inline=False, move_to_end=False)
    md.core.ruler.after("block", "callout_titles", _callout_titles)
    return md
