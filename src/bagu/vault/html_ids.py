"""Ids that HTML inside a note defines (`<a id=…>`, `<a name=…>`, `id=` on any element), read with a real HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_html(fragment: str) -> tuple[list[str], str]:
    """(ids defined, visible text) of an HTML fragment.

    Python 3.11's parser asserts on some malformed declarations (`<![# `, typed by hand in a note); such a
    fragment is read again with its `<!` as text, so a stray character never stops the index.
    """
    try:
        return _read(fragment)
    except AssertionError:
        return _read(fragment.replace("<!", "&lt;!"))


def _read(fragment: str) -> tuple[list[str], str]:
    collector = _IdCollector()
    collector.feed(fragment)
    collector.close()
    return collector.ids, "".join(collector.text)
