"""A running `bagu serve` answers the CLI's search and ask on the same index; without one the CLI
does the work."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

from tests.cli.run import bagu
from tests.conftest import EXAMPLE_VAULT
from tests.web.server import serving


def test_search_and_ask_use_the_running_server_and_do_without_it(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    assert bagu("index", str(vault), "--no-embed").returncode == 0
    announced = vault / ".bagu" / "serve.json"
    with serving(vault) as url:
        assert json.loads(announced.read_text(encoding="utf-8"))["url"] == url
        assert stat.S_IMODE(announced.stat().st_mode) == 0o600  # it may hold the server's token
        searched = bagu("search", "三次握手", "-V", str(vault), "--json")
        assert searched.returncode == 0 and f"answered by bagu serve at {url}" in searched.stderr
        assert json.loads(searched.stdout)["results"][0]["path"] == "network/tcp-handshake.md"
        table = bagu("search", "三次握手", "-V", str(vault))
        assert "TCP 连接管理" in table.stdout and "answered by bagu serve" in table.stderr
        asked = bagu("ask", "三次握手的目的是什么", "-V", str(vault), "--offline")
        assert (
            asked.returncode == 0
            and "answered by bagu serve" in asked.stderr
            and "[1]" in asked.stdout
        )
    assert not announced.exists()  # the server took its note away when it stopped
    alone = bagu("search", "三次握手", "-V", str(vault), "--json")
    assert alone.returncode == 0 and "answered by bagu serve" not in alone.stderr
    announced.write_text(
        json.dumps({"url": url, "pid": 2**22 + 12345, "token": None}), encoding="utf-8"
    )
    # a server killed with -9 left its note
    stale = bagu("search", "三次握手", "-V", str(vault), "--json")
    assert stale.returncode == 0 and "answered by bagu serve" not in stale.stderr
