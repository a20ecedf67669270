"""Links as each publisher resolves them, on fixture vaults written in each one's conventions
(benchmarks/vaults/, each with a hand-made truth.json), and the rules one at a time on small
vaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bagu.errors import BaguError
from bagu.indexer import index_vault
from bagu.links.graph import check_vault, plan_fixes
from bagu.links.resolve import Status
from bagu.search.service import Searcher, SearchMode
from bagu.store.sqlite import sqlite3
from bagu.vault.publisher import PublisherKind, detect_publisher
from tests.conftest import WriteNote
from tests.links.conftest import CheckVault

FIXTURES = Path(__file__).resolve().parents[2] / "benchmarks" / "vaults"


@pytest.mark.parametrize("name", ["jekyll", "mdbook", "obsidian", "typora", "vuepress"])
def test_each_publishers_vault_reports_exactly_its_broken_links(
    name: str, conn: sqlite3.Connection
) -> None:
    vault = FIXTURES / name
    truth = json.loads((vault / "truth.json").read_text(encoding="utf-8"))
    index_vault(conn, vault)
    report = check_vault(conn, vault)
    assert report.publisher.kind.value == truth["publisher"]
    expected = {(e["file"], e["line"]) for e in truth["expect"] if e["category"] == "broken"}
    assert {(b.source_path, b.link.line) for b in report.broken} == expected
    apart = {
        (e["file"], e["line"], e["category"]) for e in truth["expect"] if e["category"] != "broken"
    }
    assert {
        (n.source_path, n.link.line, n.resolution.status.value) for n in report.notices
    } == apart


def test_the_publisher_is_found_from_its_files(tmp_path: Path) -> None:
    def found(files: dict[str, str]) -> PublisherKind:
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        for path, text in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")
        folder.mkdir(exist_ok=True)
        return detect_publisher(folder).kind

    assert (
        found({"book.toml": "[book]\nsrc = 'src'\n", "src/SUMMARY.md": "# S\n"})
        is PublisherKind.MDBOOK
    )
    assert (
        found({"docs/.vuepress/config.js": "export default { base: '/x/' }\n"})
        is PublisherKind.VUEPRESS
    )
    assert found({"_config.yml": "permalink: pretty\n"}) is PublisherKind.JEKYLL
    assert found({".obsidian/app.json": "{}"}) is PublisherKind.OBSIDIAN
    assert found({"a.md": "# A\n"}) is PublisherKind.TYPORA
    assert (
        found({"_config.yml": "", "bagu.toml": "[links]\npublisher = 'obsidian'\n"})
        is PublisherKind.OBSIDIAN
    )


def test_what_the_configuration_says_is_read(vault: Path, write: WriteNote) -> None:
    write(
        "docs/.vuepress/config.js",
        "const hostname = 'https://a.example.com'\nexport default { base: '/guide/' }\n",
    )
    write("package.json", '{"devDependencies": {"vuepress": "2.0.0-rc.19"}}')
    publisher = detect_publisher(vault)
    assert (publisher.site_root, publisher.base, publisher.major) == ("docs", "/guide/", 2)
    assert publisher.site_urls == ("https://a.example.com/guide/",)
    assert (
        detect_publisher(vault, site_url="https://b.example.com/guide").site_urls[0]
        == "https://b.example.com/guide/"
    )
    assert "VuePress rules (docs/.vuepress/config.js)" in publisher.describe()


def test_a_publisher_no_one_knows_is_refused_by_name(vault: Path, write: WriteNote) -> None:
    write("bagu.toml", "[links]\npublisher = 'hugo'\n")
    with pytest.raises(BaguError, match="unknown publisher 'hugo'"):
        detect_publisher(vault)
    with pytest.raises(BaguError, match="https://host/path/"):
        detect_publisher(vault, choice="mdbook", site_url="example.com")


def test_what_is_not_a_link_is_not_checked(check: CheckVault) -> None:
    note = (
        "# Notes\n\n"
        "$$a^{[l](C)}$$ and $x[1](y)$ are math; a price of $5 and $6 is not.\n\n"
        "\\(z[1](q)\\) too.\n\n"
        "A footnote[^gone] and its definition.\n\n"
        "[^gone]: see [the note](target.md)\n\n"
        "[[error: RPC failed; curl 56]](https://github.com/x/y/issues/1)\n\n"
        "[EndpointSlices](target.md#端点分片 (EndpointSlices))\n"
    )
    report = check({"source.md": note, "target.md": "# T\n\n## 端点分片 (EndpointSlices)\n"})
    assert report.broken == [] and report.notices == []
    assert report.external == 1  # the bracketed link text is an ordinary link, its URL kept


def test_a_resized_image_typora_writes_as_html_is_checked(check: CheckVault) -> None:
    note = (
        '# N\n\n<img src="N.assets/gone.png" style="zoom:50%;" />\n\nand <img '
        'src="N.assets/here.png">\n'
    )
    report = check({"N.md": note, "N.assets/here.png": b"\x89PNG"})
    assert [(b.link.line, b.resolution.status) for b in report.broken] == [(3, Status.MISSING_FILE)]


def test_mdbook_pages_are_their_md_sources_listed_in_summary(
    vault: Path, write: WriteNote, check: CheckVault
) -> None:
    write(
        "book.toml",
        '[book]\nsrc = "src"\n\n[output.html.redirect]\n"/old.html" = "ch01.html"\n'
        '"/ch01.html#old-name" = "ch01.html#新的名字"\n',
    )
    notes = {
        "src/SUMMARY.md": "# Summary\n\n- [One](ch01.md)\n- [Two](ch02.md)\n- [Draft]()\n",
        "src/ch01.md": "# 新的名字\n\n## The `Stack` & Heap\n\n## 示例\n\n## 示例\n",
        "src/draft.md": "# Draft\n",
        "src/ch02.md": (
            "# Two\n\n"
            "[a](ch01.html#the-stack--heap) [b](old.html) [c](ch01.html#old-name) "
            "[d](ch01.html#示例-1)\n\n"
            "[e](draft.md)\n\n"
            "[f](ch01.html#示例-2) [g](ch01.html#the-stack-heap)\n\n"
            "[h](../std/vec/struct.Vec.html)\n"
        ),
    }
    report = check(notes)
    broken = {
        (b.link.line, b.link.raw_target) for b in report.broken if b.source_path == "src/ch02.md"
    }
    assert broken == {
        (5, "draft.md"),  # exists, but SUMMARY.md does not list it: no page
        (7, "ch01.html#示例-2"),  # the second 示例 is 示例-1
        (7, "ch01.html#the-stack-heap"),  # mdBook keeps both hyphens around the dropped `&`
    }
    notices = {(n.source_path, n.resolution.status) for n in report.notices}
    # ../std leaves
    assert notices == {("src/SUMMARY.md", Status.EMPTY), ("src/ch02.md", Status.OUTSIDE_VAULT)}
    assert report.is_clean is False and "mdBook rules (book.toml)" in report.publisher.describe()


def test_mdbook_includes_are_indexed_as_code_and_a_missing_one_is_broken(
    vault: Path, write: WriteNote, conn: sqlite3.Connection
) -> None:
    write("book.toml", '[book]\nsrc = "src"\n')
    write(
        "listings/ch02/main.rs",
        "use std::io;\n// ANCHOR: guess\nlet guess = read_guess_number();\n// ANCHOR_END: guess\n",
    )
    write("src/SUMMARY.md", "# S\n\n- [Guess](ch02.md)\n")
    write(
        "src/ch02.md",
        "# 猜数字\n\n```rust\n{{#rustdoc_include ../listings/ch02/main.rs:guess}}\n```\n\n"
        "```rust\n{{#include ../listings/ch02/gone.rs}}\n```\n",
    )
    index_vault(conn, vault)
    body = conn.execute("SELECT body FROM sections WHERE heading = '猜数字'").fetchone()[0]
    assert "let guess = read_guess_number();" in body and "{{#" not in body and "ANCHOR" not in body
    hits = Searcher(conn, []).search("read_guess_number", mode=SearchMode.LEXICAL).hits
    assert hits[0].path == "src/ch02.md" and "{{#" not in hits[0].snippet
    report = check_vault(conn, vault)
    assert [(b.link.line, b.resolution.status) for b in report.broken] == [(8, Status.MISSING_FILE)]
    assert "included file listings/ch02/gone.rs" in report.broken[0].resolution.detail


def test_vuepress_pages_slugs_base_and_site_url(
    vault: Path, write: WriteNote, check: CheckVault
) -> None:
    write(
        "docs/.vuepress/config.js",
        "export default { base: '/iv/', hostname: 'https://iv.example.com' }\n",
    )
    write("docs/.vuepress/public/logo.png", "png")
    notes = {
        "docs/README.md": "# Home\n",
        "docs/db/README.md": "# 数据库\n",
        "docs/db/mysql.md": "# MySQL\n\n## 1. 索引的分类\n\n## B+ 树（B+Tree）\n",
        "docs/guide.md": (
            "# Guide\n\n"
            "[a](./db/mysql#_1-索引的分类) [b](/db/mysql.md#b-树-b-tree) [c](/iv/db/) [d](./db/) "
            "[e](/iv/logo.png)\n\n"
            "[f](https://iv.example.com/iv/db/mysql.html#_1-索引的分类) [g](https://iv.example.com/db/mysql.html)\n\n"
            "[h](/db/mysql) [i](./db/mysql.md#1-索引的分类) [j](https://iv.example.com/iv/db/gone.html)\n\n"
            "![logo](/logo.png)\n\n[[toc]]\n"
        ),
    }
    report = check(notes)
    assert {(b.link.line, b.link.raw_target) for b in report.broken} == {
        # on the host, but outside the site's base /iv/
        (5, "https://iv.example.com/db/mysql.html"),
        (7, "/db/mysql"),  # VuePress 2 leaves an absolute link without the base as written
        (7, "./db/mysql.md#1-索引的分类"),  # VuePress slugs put `_` before a leading digit
        # the site's own URL, checked as a local link
        (7, "https://iv.example.com/iv/db/gone.html"),
        (9, "/logo.png"),  # a public file needs the base too ("you will need to prepend the base")
    }


def test_jekyll_urls_work_on_the_site_and_fix_leaves_them_unless_asked(
    vault: Path, write: WriteNote, check: CheckVault
) -> None:
    write(
        "_config.yml", "url: https://blog.example.com\npermalink: /blog/:year/:month/:day/:title\n"
    )
    notes = {
        "_posts/2019-03-02-Redis_persistence.md": "---\ndate: 2019-03-05\n---\n# Redis 持久"
        "化\n\n## AOF 重写\n",
        "about.md": "---\npermalink: /about/\n---\n# About\n",
        "index.md": (
            "# Index\n\n"
            "[a](/blog/2019/03/05/Redis_persistence#aof-重写) [b](/about/) "
            "[c](/blog/2019/03/02/Redis_persistence)\n\n"
            "[d](https://blog.example.com/blog/2019/03/05/Redis_persistence)\n"
        ),
    }
    report = check(notes)
    assert [(b.link.line, b.link.raw_target) for b in report.broken] == [
        (3, "/blog/2019/03/02/Redis_persistence")
    ]
    assert {(n.link.line, n.resolution.status) for n in report.notices} == {
        (3, Status.WORKS_ON_SITE),
        (5, Status.WORKS_ON_SITE),
    }
    assert len(report.notices) == 3
    assert plan_fixes(vault, report).edits <= 1  # only the broken one, if at all
    portable = plan_fixes(vault, report, portable=True)
    rewritten = {edit.repair.destination for patch, _ in portable.patches for edit in patch.edits}
    assert "_posts/2019-03-02-Redis_persistence.md#aof-重写" in rewritten
