"""Bold and italics beside Chinese punctuation, read as Typora, Obsidian and VS Code show them.

CommonMark's flanking rules let `**` close only if it is followed by whitespace or punctuation when
the text inside ends in punctuation: `**定时删除：**在键过期时…` stays literal asterisks, because
`在` is neither. Chinese has no spaces between words, so notes written in it break that rule in
almost every bold label, and the parse kept a stray `**` in the text (judged broken markup on cards;
the viewer showed it too). markdown-cjk-friendly (the proposal tracked in commonmark-spec#650,
shipped for markdown-it and micromark) relaxes the rule: a wide (CJK) character on the outer side of
a delimiter run counts as a boundary, the way whitespace does. Latin text parses exactly as
CommonMark says.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline.state_inline import Scanned, StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType

from bagu.vault.language import WIDE


def _is_punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


class _CjkFriendlyState(StateInline):
    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        marker = self.src[start]
        pos = start
        while pos < self.posMax and self.src[pos] == marker:
            pos += 1
        last = self.src[start - 1] if start > 0 else " "
        following = self.src[pos] if pos < self.posMax else " "
        last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
        last_punct, next_punct = _is_punct(last), _is_punct(following)
        left_flanking = not next_space and (
            not next_punct or last_space or last_punct or bool(WIDE.match(last))
        )
        right_flanking = not last_space and (
            not last_punct or next_space or next_punct or bool(WIDE.match(following))
        )
        can_open = left_flanking and (canSplitWord or not right_flanking or last_punct)
        can_close = right_flanking and (canSplitWord or not left_flanking or next_punct)
        return Scanned(can_open, can_close, pos - start)


class _CjkFriendlyInline(ParserInline):
    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        state = _CjkFriendlyState(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def cjk_friendly_emphasis(md: MarkdownIt) -> None:
    """A markdown-it plugin: emphasis delimiters beside CJK characters open and close as readers
    expect."""
    inline = _CjkFriendlyInline()
    inline.__dict__.update(md.inline.__dict__)  # the rules and terminators already registered
    md.inline = inline
