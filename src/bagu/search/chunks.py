"""Cut a section into the passages that get embedded: one title, and short groups of sentences.

Measured on the dev set (benchmarks/bench_search.py): the *title* — the note's name without its
Jekyll date, then the heading path — is the strongest single semantic signal (USE Recall@5 0.80 vs
0.57 for 600-character passages), because interview questions name topics the way headings do. Body
chunks of about 200 characters (whole sentences, title prefixed) add what the heading does not say.
Sentence encoders blur longer passages, and e5 stops at 512 tokens.
"""

from __future__ import annotations

import re

from bagu.vault.names import post_title

TITLE, BODY = "title", "body"
BODY_CHARS = 200
# a huge section is represented by its beginning; lexical search covers the rest
MAX_BODY_CHUNKS = 30
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])|(?<=\. )")


def section_title(path: str, heading_path: tuple[str, ...]) -> str:
    return " › ".join([post_title(path), *(h for h in heading_path if h)])


def chunk_section(path: str, heading_path: tuple[str, ...], body: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: the title first, then body chunks of whole sentences, each prefixed by
    the title."""
    title = section_title(path, heading_path)
    chunks = [(TITLE, title)]
    current = ""
    for sentence in (s.strip() for s in _SENTENCE_END.split(body)):
        if not sentence:
            continue
        if current and len(current) + len(sentence) > BODY_CHARS:
            chunks.append((BODY, f"{title}\n{current}"))
            current = ""
        current = f"{current} {sentence}".strip() if current else sentence[: BODY_CHARS * 3]
        if len(chunks) > MAX_BODY_CHUNKS:
            break
    if current and len(chunks) <= MAX_BODY_CHUNKS:
        chunks.append((BODY, f"{title}\n{current}"))
    return chunks


def clip_body(text: str, chars: int) -> str:
    """A chunk as a slow model embeds it: the title line whole, the body cut to about `chars`
    characters, at the last sentence end or space past half of them when there is one (0: the chunk
    unchanged)."""
    title, newline, body = text.partition("\n")
    if not chars or not newline or len(body) <= chars:
        return text
    cut = body[:chars]
    ends = [m.end() for m in _SENTENCE_END.finditer(cut) if m.end() > chars // 2]
    space = cut.rfind(" ")
    at = ends[-1] if ends else (space if space > chars // 2 else chars)
    return f"{title}\n{cut[:at].rstrip()}"
