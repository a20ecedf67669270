"""A copy of the example vault, indexed into a real SQLite file, served by the real app."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bagu.store.db import connect
from bagu.update import update_index
from bagu.web.app import create_app
from bagu.web.state import WebConfig
from tests.conftest import EXAMPLE_VAULT

MakeClient = Callable[..., TestClient]


def copy_example(target: Path) -> Path:
    shutil.copytree(EXAMPLE_VAULT, target, ignore=shutil.ignore_patterns(".bagu"))
    return target


def index(vault: Path, db: Path) -> None:
    conn = connect(db)
    try:
        update_index(conn, vault, [])
    finally:
        conn.close()


@pytest.fixture
def web_vault(tmp_path: Path) -> Path:
    vault = copy_example(tmp_path / "vault")
    index(vault, vault / ".bagu" / "bagu.db")
    return vault


@pytest.fixture
def make_client(web_vault: Path) -> Iterator[MakeClient]:
    clients: list[TestClient] = []

    def make(**options: object) -> TestClient:
        config = WebConfig(web_vault.resolve(), web_vault / ".bagu" / "bagu.db", **options)  # type: ignore[arg-type]
        client = TestClient(create_app(config, signals=[]), base_url="http://127.0.0.1:8765")
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


def csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.get("/api/csrf").json()["csrf_token"]}
