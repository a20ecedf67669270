"""Link tests run the real pipeline: notes written to a folder, indexed into SQLite, checked from
the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bagu.indexer import index_vault
from bagu.links.check import CheckedLink, LinkReport
from bagu.links.graph import check_vault
from bagu.links.resolve import AnchorStyle
from bagu.store.sqlite import sqlite3
from tests.conftest import WriteNote

CheckVault = Callable[..., LinkReport]


@pytest.fixture
def check(vault: Path, write: WriteNote, conn: sqlite3.Connection) -> CheckVault:
    def run(
        notes: dict[str, str | bytes] | None = None, style: AnchorStyle | None = None
    ) -> LinkReport:
        for path, content in (notes or {}).items():
            write(path, content)
        index_vault(conn, vault)
        return check_vault(conn, vault, style)

    return run


def broken_at(report: LinkReport, path: str, line: int) -> CheckedLink:
    found = [item for item in report.broken if item.source_path == path and item.link.line == line]
    assert len(found) == 1, [(b.source_path, b.link.line, b.link.raw_target) for b in report.broken]
    return found[0]
