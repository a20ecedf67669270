"""What the web app holds for its lifetime: one connection, the models, the searcher, running
interviews.

Models load once at start (search-as-you-type must not reload them per keystroke). SQLite work is
serialised by one lock: this is a single-user app, and one connection keeps the searcher's vectors
and the review queue consistent. The watcher re-indexes on its own connection and bumps `version`.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bagu.coach.llm import ChatClient, load_llm_config
from bagu.coach.session import InterviewRun
from bagu.indexer import IndexReport
from bagu.links.graph import load_targets
from bagu.links.resolve import NoteTargets
from bagu.refresh import SERVER_LOCK_WAIT_S, Refresh, refresh_open
from bagu.review.scheduler import NEW_PER_DAY, REVIEWS_PER_SESSION
from bagu.review.session import LazySimilarity
from bagu.search.embedders import Signal
from bagu.search.service import Searcher
from bagu.store.db import connect
from bagu.store.sqlite import sqlite3
from bagu.web.embedding_worker import EmbeddingWorker

MAX_INTERVIEWS = 16
# where `bagu serve` listens unless told otherwise (the next free port when this one is taken)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


@dataclass(frozen=True, slots=True)
class WebConfig:
    vault: Path
    db_path: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    token: str | None = None
    watch: bool = False
    offline: bool = False
    new_limit: int = NEW_PER_DAY
    review_limit: int = REVIEWS_PER_SESSION
    # `bagu serve` answers at once and embeds what the index lacks meanwhile
    embed_in_background: bool = True
    # load images from other sites in the note viewer (`--remote-images`, bagu.toml)
    remote_images: bool = False


@dataclass(slots=True)
class AppState:
    config: WebConfig
    signals: list[Signal]
    conn: sqlite3.Connection = field(init=False)
    searcher: Searcher = field(init=False)
    client: ChatClient | None = field(init=False)
    lock: threading.RLock = field(default_factory=threading.RLock)
    similarity: LazySimilarity = field(default_factory=LazySimilarity)
    csrf_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    version: int = 0
    index_notice: str | None = None
    interviews: OrderedDict[str, InterviewRun] = field(default_factory=OrderedDict)
    embedding: EmbeddingWorker | None = None  # embeds in the background while the app serves
    _targets: tuple[int, NoteTargets] | None = None

    def __post_init__(self) -> None:
        self.conn = connect(self.config.db_path, create=False)
        self.searcher = Searcher(self.conn, self.signals)
        config = None if self.config.offline else load_llm_config(self.config.vault)
        self.client = None if config is None else ChatClient(config)

    @property
    def vault(self) -> Path:
        return self.config.vault

    @contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            yield self.conn

    def targets(self) -> NoteTargets:
        """Every note, heading and file of the vault, walked once per index version (callers hold
        the lock)."""
        if self._targets is None or self._targets[0] != self.version:
            self._targets = (self.version, load_targets(self.conn, self.vault))
        return self._targets[1]

    def reindex(self) -> IndexReport:
        """Bring the index in step with the vault (after a fix, or when the watcher saw a
        change)."""
        # With a background worker the notes are indexed here (fast) and their vectors come from it.
        refresh = Refresh(embed=self.embedding is None, wait_s=SERVER_LOCK_WAIT_S)
        report = refresh_open(
            self.conn,
            self.vault,
            db_path=self.config.db_path,
            signals=self.signals,
            refresh=refresh,
            guard=self.lock,
        )
        with self.lock:
            self.version += 1
            self.index_notice = (
                f"{len(report.warnings)} note(s) need attention" if report.warnings else None
            )
        if self.embedding is not None:
            self.embedding.wake()
        return report

    def keep_interview(self, run: InterviewRun) -> str:
        key = secrets.token_urlsafe(12)
        self.interviews[key] = run
        while len(self.interviews) > MAX_INTERVIEWS:
            self.interviews.popitem(last=False)
        return key

    def close(self) -> None:
        with self.lock:
            self.conn.close()
