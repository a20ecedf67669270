"""`bagu serve` embeds in the background: pages answer at once, search uses each signal once it is
complete.

The worker has its own connection and embeds in slices, each under the index lock, so a `bagu index`
in another terminal or the watcher's re-index waits for one slice at most. After the last slice it
brings the cards in step (the translation pairs need the encoder) and sleeps until a re-index wakes
it. Its progress is what `/api/status` and the page header show.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from bagu.errors import BaguError
from bagu.search.embedders import Signal
from bagu.search.vector_sync import embed_vault, signal_progress
from bagu.store.db import connect, index_lock
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import has_vector_extension
from bagu.update import refresh_cards, translation_encoder

log = logging.getLogger("bagu.web")
SLICE = 256  # chunks per slice: a few seconds of the fast model, so the lock is never held long


@dataclass(slots=True)
class EmbeddingProgress:
    """What the page header says: `embedding e5/body 40%`, `done`, or why there is no semantic
    search."""

    phase: str = "starting"  # starting · embedding · done · off: … · failed: …
    # `model/kind` → (embedded, chunks)
    signals: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        waiting = [
            f"{key} {done / total:.0%}"
            for key, (done, total) in self.signals.items()
            if total and done < total
        ]
        if self.phase == "embedding" and waiting:
            return "embedding " + ", ".join(waiting)
        return self.phase

    def to_json(self) -> dict[str, object]:
        return {
            "phase": self.phase,
            "summary": self.summary,
            "signals": {
                key: {"embedded": done, "chunks": total}
                for key, (done, total) in self.signals.items()
            },
        }


class EmbeddingWorker:
    def __init__(
        self, db_path: Path, vault: Path, signals: list[Signal], *, slice_chunks: int = SLICE
    ) -> None:
        self.db_path = db_path
        self.vault = vault
        self.signals = signals
        self.slice_chunks = slice_chunks
        self.progress = EmbeddingProgress()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._wake.set()
        self._thread = threading.Thread(target=self._loop, name="bagu-embed", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Notes changed: embed their new chunks."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)

    def _loop(self) -> None:
        if not self.signals:
            self.progress.phase = "off: no embedding model installed (pip install 'bagu[models]')"
            return
        conn = connect(self.db_path, create=False)
        try:
            if not has_vector_extension(conn):
                self.progress.phase = "off: sqlite-vec could not be loaded"
                return
            while not self._stop.is_set():
                self._wake.wait()
                self._wake.clear()
                self._run(conn)
        finally:
            conn.close()

    def _run(self, conn: sqlite3.Connection) -> None:
        use = translation_encoder(self.signals)
        while not self._stop.is_set():
            try:
                with index_lock(self.db_path, wait_s=60.0):
                    done = embed_vault(conn, self.signals, max_chunks=self.slice_chunks)
                    self.progress.signals = signal_progress(conn, self.signals)
                    if done.embedded == 0:
                        refresh_cards(conn, self.vault, use)
                        self.progress.phase = "done"
                        return
                    self.progress.phase = "embedding"
            # the lock held elsewhere for a minute, a model that answered wrongly
            except BaguError as exc:
                self.progress.phase = f"failed: {exc}"
                log.warning("background embedding paused: %s", exc)
                return
            except Exception as exc:
                self.progress.phase = f"failed: {type(exc).__name__}: {exc}"
                log.warning("background embedding failed: %s", exc)
                return
