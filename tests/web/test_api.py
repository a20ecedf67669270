"""The JSON API and the pages through the ASGI client: same JSON as the CLI, every feature
reachable."""

from __future__ import annotations

import json
import re
import sqlite3 as std_sqlite3
import time
from pathlib import Path

from fastapi.testclient import TestClient

from bagu.search.embedders import Signal
from bagu.web.app import create_app
from bagu.web.state import WebConfig
from tests.cli.run import bagu
from tests.search.test_semantic import CharEmbedder
from tests.web.conftest import MakeClient, csrf, index

HTML = {"Accept": "text/html"}


def test_api_search_returns_the_same_json_as_the_cli(client: TestClient, web_vault: Path) -> None:
    db = web_vault / ".bagu" / "bagu.db"
    for query in ("三次握手", "why does TIME_WAIT last 2MSL", "AND OR NOT(", "量子纠缠"):
        cli = bagu("search", query, "--vault", str(web_vault), "--json", "-k", "5", db=db)
        assert cli.returncode == 0, cli.stderr
        api = client.get("/api/search", params={"q": query, "k": 5})
        assert api.status_code == 200
        assert api.json() == json.loads(cli.stdout)


def test_api_ask_and_stats_return_the_same_json_as_the_cli(
    client: TestClient, web_vault: Path
) -> None:
    db = web_vault / ".bagu" / "bagu.db"
    cli = bagu(
        "ask", "三次握手的目的是什么", "--vault", str(web_vault), "--json", "--offline", db=db
    )
    api = client.get("/api/ask", params={"q": "三次握手的目的是什么", "offline": True}).json()
    assert api == json.loads(cli.stdout)
    assert api["citations"] and not api["abstained"]
    stats = client.get("/api/stats").json()
    assert stats["cards"] > 0 and len(stats["forecast"]) == 14


def test_openapi_documents_every_feature(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/search",
        "/api/ask",
        "/api/notes/{path}",
        "/api/links",
        "/api/links/fix",
        "/api/review/next",
        "/api/review/{card_id}/grade",
        "/api/review/{card_id}/rate",
        "/api/review/undo",
        "/api/interviews",
        "/api/interviews/{key}/answers",
        "/api/stats",
        "/api/status",
    ):
        assert path in paths, path
    assert paths["/api/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_search_page_filters_by_folder_and_highlights(client: TestClient) -> None:
    page = client.get("/search/results", params={"q": "握手", "folder": "network"}, headers=HTML)
    assert page.status_code == 200
    assert "<mark>握手</mark>" in page.text
    links = [line for line in page.text.splitlines() if 'class="hit-title"' in line]
    assert links and all("/note/network/" in line for line in links)
    nothing = client.get("/search/results", params={"q": "握手", "folder": "db"}, headers=HTML)
    assert "/note/network/" not in nothing.text


def test_note_viewer_renders_anchors_cards_backlinks_and_code(client: TestClient) -> None:
    page = client.get("/note/network/tcp-handshake.md", headers=HTML)
    assert page.status_code == 200
    assert 'id="三次握手-three-way-handshake"' in page.text  # GitHub's slug is the id
    # raw, for Typora links
    assert "data-anchors=" in page.text and "三次握手 Three-way Handshake" in page.text
    assert 'class="cards"' in page.text
    assert "Backlinks" in page.text and "八股文.md" in page.text
    api = client.get("/api/notes/network/tcp-handshake.md").json()
    assert any(section["cards"] for section in api["sections"])
    assert any(b["path"] == "八股文.md" for b in api["backlinks"])


def test_note_links_point_into_the_viewer(client: TestClient) -> None:
    summary = client.get("/note/八股文.md", headers=HTML).text
    assert 'href="/note/network/tcp-handshake.md#' in summary
    assert 'class="broken"' in summary  # the example vault keeps a few broken links on purpose


def test_code_is_highlighted_with_classes_not_styles(client: TestClient, web_vault: Path) -> None:
    (web_vault / "code.md").write_text(
        "# Code\n\n```python\ndef f(x):\n    return x + 1\n```\n\n$E = mc^2$\n", "utf-8"
    )
    index(web_vault, web_vault / ".bagu" / "bagu.db")
    page = client.get("/note/code.md", headers=HTML).text
    assert '<span class="k">def</span>' in page
    assert "style=" not in page
    assert "$E = mc^2$" in page  # math stays text


def test_review_through_the_api(client: TestClient, web_vault: Path) -> None:
    headers = csrf(client)
    first = client.get("/api/review/next").json()["card"]
    assert first is not None and "back" not in first
    grade = client.post(
        f"/api/review/{first['card_id']}/grade", json={"answer": "SYN ACK"}, headers=headers
    ).json()
    assert 1 <= grade["proposed_rating"] <= 4 and grade["back"]
    rated = client.post(
        f"/api/review/{first['card_id']}/rate",
        json={"rating": 3, "answer": "SYN ACK", "grade": grade["score"]},
        headers=headers,
    )
    assert rated.status_code == 200 and rated.json()["due"]
    assert client.get("/api/review/next").json()["card"]["card_id"] != first["card_id"]
    assert client.post("/api/review/undo", headers=headers).json() == {"card_id": first["card_id"]}
    with std_sqlite3.connect(web_vault / ".bagu" / "bagu.db") as db:
        assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    bad = client.post(f"/api/review/{first['card_id']}/rate", json={"rating": 7}, headers=headers)
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    assert (
        client.post("/api/review/999999/grade", json={"answer": "x"}, headers=headers).status_code
        == 404
    )


def test_review_in_the_browser_and_the_api_takes_the_same_filters(client: TestClient) -> None:
    card = client.get("/api/review/next", params={"path": "network/", "kind": "list"}).json()[
        "card"
    ]
    assert card["kind"] == "list" and card["sources"][0]["path"].startswith("network/")
    assert client.get("/api/review/next", params={"topics": "量子纠缠"}).json()["card"] is None
    page = client.get(
        "/review", params={"path": "network/", "kind": "list"}, headers={"Accept": "text/html"}
    )
    assert page.status_code == 200 and 'hx-post="/review/' in page.text
    assert (
        "grade?path=network/&amp;kind=list" in page.text
        or "grade?path=network%2F&amp;kind=list" in page.text
    )


def test_interview_through_the_api_writes_a_report(client: TestClient, web_vault: Path) -> None:
    headers = csrf(client)
    run = client.post("/api/interviews", json={"n": 2, "seed": 1}, headers=headers).json()
    assert run["question"]["prompt"]
    for _ in range(2):
        run = client.post(
            f"/api/interviews/{run['id']}/answers",
            json={"answer": "SYN ACK 三次", "seconds": 3},
            headers=headers,
        ).json()
    assert run["question"] is None and len(run["turns"]) == 2
    done = client.post(f"/api/interviews/{run['id']}/finish", headers=headers).json()
    assert done["report"] and 'href="/note/' in done["report"]
    assert list((web_vault / ".bagu" / "reports").glob("interview-*.md"))
    assert (
        client.post(
            "/api/interviews/nope/answers", json={"answer": "x"}, headers=headers
        ).status_code
        == 404
    )


def test_link_fix_preview_writes_nothing_and_apply_needs_confirm(
    client: TestClient, web_vault: Path
) -> None:
    report = client.get("/api/links").json()
    fixable = next(item for item in report["broken"] if item["fixable"])
    only = f"{fixable['path']}:{fixable['line']}:{fixable['column']}@1"
    note = web_vault / fixable["path"]
    before = note.read_bytes()
    preview = client.get("/api/links/fix", params={"only": only}).json()
    assert preview["diff"].startswith("--- ") and not preview["applied"]
    page = client.get("/links/preview", params={"only": only}, headers=HTML)
    assert 'name="confirm"' in page.text
    unconfirmed = client.post("/links/apply", data={"only": only}, headers={**HTML, **csrf(client)})
    assert unconfirmed.status_code == 200 and note.read_bytes() == before
    applied = client.post(
        "/api/links/fix", json={"only": [only], "confirm": True}, headers=csrf(client)
    ).json()
    assert applied["applied"] and note.read_bytes() != before
    assert Path(applied["backup"]).is_dir()
    after = client.get("/api/links").json()
    assert after["broken_count"] == report["broken_count"] - 1


def test_errors_are_problem_json_for_the_api_and_pages_for_people(client: TestClient) -> None:
    missing = client.get("/api/notes/nope.md")
    assert (
        missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    )
    page = client.get("/note/nope.md", headers=HTML)
    assert page.status_code == 404 and "Something is wrong" in page.text
    long = client.get("/api/search", params={"q": "x" * 10_001})
    assert long.status_code == 422
    assert client.get("/api/search", params={"q": '"*^:()'}).status_code == 200


def test_serve_answers_at_once_and_embeds_in_the_background(web_vault: Path) -> None:
    """The index has no vectors; the app serves lexical search at once, embeds meanwhile, then
    searches with both signals, and /api/status says how far it got."""
    signals = [Signal(CharEmbedder(), "title"), Signal(CharEmbedder(), "body")]
    config = WebConfig(web_vault.resolve(), web_vault / ".bagu" / "bagu.db")
    with TestClient(
        create_app(config, signals=signals), base_url="http://127.0.0.1:8765"
    ) as client:
        deadline = time.monotonic() + 30
        status = client.get("/api/status").json()
        while status["embedding"]["phase"] != "done" and time.monotonic() < deadline:
            time.sleep(0.2)
            status = client.get("/api/status").json()
        assert status["embedding"]["phase"] == "done", status
        # the searcher took the new vectors
        assert client.get("/api/status").json()["semantic"] == "on"
        assert all(
            s["embedded"] == s["chunks"] > 0 for s in status["embedding"]["signals"].values()
        )
        assert client.get("/status/embedding").status_code == 286  # htmx stops polling
        found = client.get("/api/search", params={"q": "Kafka 分区", "mode": "hybrid"}).json()
        assert found["mode"] == "hybrid" and found["results"] and found["notice"] is None


def test_the_link_report_names_its_rules_and_shows_what_it_reports_apart(
    client: TestClient, web_vault: Path
) -> None:
    (web_vault / "draft.md").write_text(
        "# Draft\n\n[参考答案]() and [up](../../outside.md)\n", "utf-8"
    )
    index(web_vault, web_vault / ".bagu" / "bagu.db")
    page = client.get("/links", headers=HTML).text
    assert "Typora/GitHub rules (no publisher&#39;s files found)" in page
    assert "Reported apart" in page and "empty 1" in page and "outside-vault 1" in page
    report = client.get("/api/links").json()
    assert report["publisher"]["name"] == "typora"
    assert {n["reason"] for n in report["notices"]} == {"empty", "outside-vault"}


def test_remote_images_are_links_unless_allowed(make_client: MakeClient, web_vault: Path) -> None:
    (web_vault / "pics.md").write_text(
        "# Pics\n\n![握手](https://cdn.example.com/handshake.png)\n\n"
        '<img src="https://cdn.example.com/zoom.png" alt="image-2022" style="zoom:50%;" />\n\n'
        '<p><img src="https://cdn.example.com/twice.png" alt="a"><img '
        'src="https://cdn.example.com/twice.png" alt="b"></p>\n\n'
        "![local](img.png)\n",
        "utf-8",
    )
    (web_vault / "img.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    index(web_vault, web_vault / ".bagu" / "bagu.db")
    blocked = make_client().get("/note/pics.md", headers=HTML)
    assert "img-src 'self' data:;" in blocked.headers["content-security-policy"]
    page = blocked.text
    assert 'href="https://cdn.example.com/handshake.png"' in page and "🖼 握手" in page
    assert 'href="https://cdn.example.com/zoom.png"' in page and "🖼 image-2022" in page
    # local images still shown
    assert '<img src="https://' not in page and '<img src="/file/img.png"' in page
    assert "🖼 a" in page and "🖼 b" in page  # the same image twice in one block: two links
    assert "4 image(s) from other sites are shown as links" in page
    allowed = make_client(remote_images=True).get("/note/pics.md", headers=HTML)
    assert "img-src 'self' data: https: http:" in allowed.headers["content-security-policy"]
    assert (
        '<img src="https://cdn.example.com/handshake.png"' in allowed.text
        and "shown as links" not in allowed.text
    )


def test_after_a_first_session_the_pages_say_why_nothing_is_weak_and_abstain_once(
    client: TestClient,
) -> None:
    headers = csrf(client)
    card = client.get("/api/review/next").json()["card"]
    rated = client.post(f"/api/review/{card['card_id']}/rate", json={"rating": 3}, headers=headers)
    assert rated.status_code == 200, rated.text
    page = client.get("/stats", headers=HTML).text
    # not a list of just-reviewed sections
    assert "Nothing is weak yet" in page and "100%</td>" not in page
    results = client.get("/search/results", params={"q": "量子纠缠的哈密顿量"}, headers=HTML).text
    assert results.count("cover this") == 1, results  # the abstention is said once


def test_the_map_colours_the_summary_pages_links_by_what_the_reviews_say(
    client: TestClient,
) -> None:
    before = client.get("/api/map").json()
    assert (
        before["page"] == "八股文.md"
        and before["counts"].get("solid", 0) == 0
        and before["counts"]["unseen"] > 10
    )
    # new cards come in the summary page's order
    card = client.get("/api/review/next").json()["card"]
    client.post(f"/api/review/{card['card_id']}/rate", json={"rating": 4}, headers=csrf(client))
    after = client.get("/api/map").json()
    solid = [link for h in after["headings"] for link in h["links"] if link["readiness"] == "solid"]
    assert (
        solid
        and solid[0]["recall"] > 0.9
        and after["counts"]["unseen"] < before["counts"]["unseen"]
    )
    page = client.get("/map", headers=HTML).text
    assert 'class="readiness solid"' in page and "八股文.md" in page
    # the viewer colours the summary page's links too
    summary = client.get("/note/八股文.md", headers=HTML).text
    # links, not the legend
    assert len(re.findall(r'<a [^>]*class="readiness solid"', summary)) >= len(solid)
    assert 'class="readiness unseen"' in summary and 'is a <a href="/map">map</a>' in summary
    assert 'class="map-counts"' in summary  # the outline counts each heading's links by readiness
    other = client.get("/note/network/tcp-handshake.md", headers=HTML).text
    assert 'class="readiness' not in other  # only a summary page is a map
