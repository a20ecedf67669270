"""Shared helpers: small real vaults written into tmp_path, a real SQLite store per test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bagu.store.db import connect
from bagu.store.sqlite import sqlite3

# Embedding models take seconds to load; tests that want semantic search ask for it (tests/search/).
os.environ.setdefault("BAGU_EMBEDDER", "none")

SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "interview-notes"
EXAMPLE_VAULT = Path(__file__).resolve().parents[1] / "examples" / "vault"

WriteNote = Callable[[str, str | bytes], Path]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    return root


@pytest.fixture
def write(vault: Path) -> WriteNote:
    def write_note(relative: str, content: str | bytes) -> Path:
        path = vault / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return write_note


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "index" / "bagu.db"


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(db_path)
    yield connection
    connection.close()


DenyListing = Callable[[str], None]


@pytest.fixture
def deny_listing(monkeypatch: pytest.MonkeyPatch) -> DenyListing:
    """Make one folder unlistable (PermissionError from os.scandir), as chmod 0 would for a normal
    user."""

    def deny(folder_name: str) -> None:
        real_scandir = os.scandir

        def scandir(path: object) -> object:
            if str(path).endswith("/" + folder_name):
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", scandir)

    return deny
