"""One real uvicorn server on loopback: the CLI starts it, HTTP reaches it, --watch re-indexes."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.web.server import serving


def test_bagu_serve_answers_over_real_http_and_reindexes_on_change(web_vault: Path) -> None:
    with serving(web_vault, "--watch") as url:
        found = httpx.get(f"{url}/api/search", params={"q": "TIME_WAIT"}).json()
        assert found["results"] and found["results"][0]["path"].startswith("network/")
        page = httpx.get(f"{url}/search", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "/static/vendor/htmx-2.0.11.min.js" in page.text
        assert httpx.get(f"{url}/static/vendor/htmx-2.0.11.min.js").status_code == 200
        version = httpx.get(f"{url}/api/status").json()["version"]
        (web_vault / "network" / "quic.md").write_text(
            "# QUIC 协议\n\nQUIC 基于 UDP 实现可靠传输，zwibbleword。\n", "utf-8"
        )
        deadline = time.monotonic() + 30
        while httpx.get(f"{url}/api/status").json()["version"] == version:
            assert time.monotonic() < deadline, "the watcher did not re-index within 30 s"
            time.sleep(0.3)
        hits = httpx.get(f"{url}/api/search", params={"q": "zwibbleword"}).json()["results"]
        assert [hit["path"] for hit in hits][:1] == ["network/quic.md"]
        reload = httpx.get(f"{url}/status", params={"v": version})
        assert reload.headers.get("hx-refresh") == "true"  # open pages reload themselves
