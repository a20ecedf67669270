"""A running `bagu serve` on the same index answers the CLI's `search` and `ask`, so a command does
not load the embedding models again (seconds each time) while a server holds them.

`bagu serve` leaves `serve.json` beside the index (its URL, process id and token; readable by its
owner only) and removes it when it stops. The CLI uses the server only when that process is alive
and answers over loopback within a moment; anything else, and it does the work itself, as without a
server.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SERVER_FILE = "serve.json"
# How long the CLI waits for the server before doing the work itself (a model loads in seconds).
ANSWER_TIMEOUT_S = 60.0
PROBE_TIMEOUT_S = 0.5


@dataclass(frozen=True, slots=True)
class ServerLink:
    url: str
    pid: int
    token: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def announce(db_path: Path, link: ServerLink) -> Path:
    """Write serve.json beside the index, readable by its owner only."""
    path = db_path.parent / SERVER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"url": link.url, "pid": link.pid, "token": link.token}, handle)
    return path


def withdraw(db_path: Path, pid: int) -> None:
    """Remove serve.json if it is this process's."""
    found = _read(db_path)
    if found is not None and found.pid == pid:
        with contextlib.suppress(OSError):
            (db_path.parent / SERVER_FILE).unlink()


def running_server(db_path: Path) -> ServerLink | None:
    """The server serving this index, if its process is alive and it answers on loopback now."""
    found = _read(db_path)
    if (
        found is None
        or not _alive(found.pid)
        or not found.url.startswith(("http://127.", "http://localhost", "http://[::1]"))
    ):
        return None
    import httpx  # only when a server is running: every command asks, few find one

    try:
        response = httpx.get(
            f"{found.url}/api/status", headers=found.headers, timeout=PROBE_TIMEOUT_S
        )
    except httpx.HTTPError:
        return None
    return found if response.status_code == 200 else None


def ask_server(link: ServerLink, route: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """GET `route` of the server with `params`; None when it did not answer with JSON (the caller
    falls back)."""
    import httpx

    try:
        response = httpx.get(
            f"{link.url}{route}", params=params, headers=link.headers, timeout=ANSWER_TIMEOUT_S
        )
        data = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _read(db_path: Path) -> ServerLink | None:
    try:
        data = json.loads((db_path.parent / SERVER_FILE).read_text(encoding="utf-8"))
        return ServerLink(str(data["url"]), int(data["pid"]), data.get("token") or None)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
