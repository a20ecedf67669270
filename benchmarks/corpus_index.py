"""The index the quality benchmarks run on: an existing one (`--db`), or the corpus indexed and
embedded into a scratch folder, with the time each step took."""

from __future__ import annotations

import time
from pathlib import Path

from bagu.indexer import index_vault
from bagu.search.embedders import Signal, load_signals
from bagu.search.vector_sync import embed_vault
from bagu.store.db import connect
from bagu.store.sqlite import sqlite3

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_VAULT = ROOT.parent / "shared" / "corpus" / "interview-notes"


def open_index(
    vault: Path, db: Path | None, scratch: Path
) -> tuple[sqlite3.Connection, list[Signal], dict[str, object]]:
    """Connection, semantic signals, and build figures (index_s, embed_s when built here)."""
    conn = connect(db or scratch / "bagu.db")
    signals = load_signals()
    build: dict[str, object] = {"signals": [f"{s.embedder.name}/{s.kind}" for s in signals]}
    if db is None:
        started = time.perf_counter()
        index_vault(conn, vault)
        build["index_s"] = round(time.perf_counter() - started, 2)
        if signals:
            started = time.perf_counter()
            embed_vault(conn, signals)
            build["embed_s"] = round(time.perf_counter() - started, 2)
    return conn, signals, build
