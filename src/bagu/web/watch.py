"""`bagu serve --watch`: re-index when notes change, so open pages (which poll /status) reload.

watchfiles batches changes (a save that writes three times re-indexes once). Changes inside hidden
folders are ignored, `.bagu/` above all: the index's own writes must not trigger another re-index.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from watchfiles import Change, watch

from bagu.errors import BaguError
from bagu.web.state import AppState

log = logging.getLogger("bagu.web")


def is_relevant(vault: Path, change: tuple[Change, str]) -> bool:
    """A change to a visible file of the vault (notes, and files that links may point at)."""
    try:
        parts = Path(change[1]).resolve().relative_to(vault.resolve()).parts
    except ValueError:
        return False
    return bool(parts) and not any(part.startswith(".") for part in parts)


def start_watcher(state: AppState, stop: threading.Event) -> threading.Thread:
    def loop() -> None:
        vault = state.vault
        for changes in watch(vault, stop_event=stop, debounce=400, raise_interrupt=False):
            if not any(is_relevant(vault, change) for change in changes):
                continue
            try:
                report = state.reindex()
                log.warning("re-indexed: %s parsed, %s removed", report.parsed, report.removed)
            except (BaguError, OSError) as exc:
                log.warning("re-index failed: %s", exc)

    thread = threading.Thread(target=loop, name="bagu-watch", daemon=True)
    thread.start()
    return thread
