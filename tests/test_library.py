"""bagu for scripts: `__all__` is what the package exports, each name resolves, `import bagu` stays
light, and an index opened by a script refreshes, searches, checks links, lists cards and grades on
a real vault."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bagu
from tests.conftest import EXAMPLE_VAULT


def test_all_is_the_exports_and_every_name_resolves() -> None:
    assert sorted(bagu.__all__) == sorted(["__version__", *bagu._EXPORTS])
    for name in bagu.__all__:
        assert getattr(bagu, name) is not None
    with pytest.raises(AttributeError):
        _ = bagu.no_such_name


def test_importing_bagu_loads_nothing_heavy() -> None:
    script = (
        "import sys, bagu\n"
        "heavy = ('numpy', 'httpx', 'typer', 'rich', 'markdown_it', 'bagu.')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_script_refreshes_searches_checks_lists_and_grades(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    with bagu.open_index(vault, db=tmp_path / "bagu.db") as index:
        report = index.refresh()
        assert report.parsed > 10 and (tmp_path / "bagu.db").is_file()
        results = index.search("RDB 和 AOF 的区别", mode="lexical")
        assert isinstance(results, bagu.SearchResults) and results.hits
        assert any("redis" in hit.path.lower() for hit in results.hits[:3])
        links = index.check_links()
        assert isinstance(links, bagu.LinkReport) and links.links > 0
        cards = index.cards()
        assert cards and all(isinstance(card, bagu.StoredCardRow) for card in cards)
        good = index.grade(
            "什么是幻读",
            "幻读是同一事务两次范围查询之间别的事务插入了新行",
            reference="**幻读**：同一事务两次范围查询之间，另一个事务插入了新行。",
        )
        empty = index.grade(
            "什么是幻读",
            "   ",
            reference="**幻读**：同一事务两次范围查询之间，另一个事务插入了新行。",
        )
        assert good.score > empty.score


def test_a_folder_that_is_not_there_is_a_bagu_error(tmp_path: Path) -> None:
    with pytest.raises(bagu.BaguError):
        bagu.open_index(tmp_path / "missing")
