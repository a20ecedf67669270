"""Fixtures the search tests share."""

from __future__ import annotations

import pytest

from bagu.indexer import index_vault
from bagu.store.sqlite import sqlite3
from tests.conftest import EXAMPLE_VAULT


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    """The example vault indexed lexically into a real SQLite file, once per test module."""
    from bagu.store.db import connect

    conn = connect(tmp_path_factory.mktemp("db") / "bagu.db")
    index_vault(conn, EXAMPLE_VAULT)
    return conn
