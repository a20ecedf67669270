"""What HTML inside a note defines and points at, read with a real HTML parser: ids (`<a id=…>`,
`<a name=…>`, `id=` on any element), its visible text, and its links (`<img src>`, which Typora
writes for a resized image, and `<a href>`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# (tag, attribute) pairs that point at another file or page.
_REFERENCES = {("img", "src"): "image", ("a", "href"): "inline"}


@dataclass(frozen=True, slots=True)
class HtmlReference:
    line: int  # 1-based, within the fragment
    column: int  # 0-based, within that line
    kind: str  # "image" | "inline", as LinkKind
    target: str
    alt: str = ""  # an image's alt text, what a link to it shows


@dataclass(slots=True)
class HtmlFacts:
    ids: list[str] = field(default_factory=list)
    text: str = ""
    references: list[HtmlReference] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HtmlFacts()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.facts.ids.append(value)
            kind = _REFERENCES.get((tag, name))
            if kind and value is not None and value.strip():
                line, column = self.getpos()
                alt = next((v or "" for n, v in attrs if n == "alt"), "") if tag == "img" else ""
                self.facts.references.append(HtmlReference(line, column, kind, value.strip(), alt))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_html(fragment: str) -> HtmlFacts:
    """The ids, visible text and links of an HTML fragment.

    Python 3.11's parser asserts on some malformed declarations (`<![# `, typed by hand in a note);
    such a fragment is read again with its `<!` as text, so a stray character never stops the index.
    """
    try:
        return _read(fragment)
    except AssertionError:
        return _read(fragment.replace("<!", "&lt;!"))


def _read(fragment: str) -> HtmlFacts:
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    collector.facts.text = "".join(collector.text)
    return collector.facts
