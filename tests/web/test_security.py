"""Secure by default: no file outside the vault, sanitized notes, CSRF, host and token checks,
headers."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bagu.web.security import is_loopback
from tests.cli.run import bagu
from tests.web.conftest import MakeClient, csrf, index

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize(
    "path",
    [
        "/file/../../../etc/passwd",
        "/file/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/file/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/file/network/%2e%2e/%2e%2e/outside.txt",
        "/file//etc/passwd",
        "/file/%2Fetc%2Fpasswd",
        "/file/C:%5Cwindows%5Cwin.ini",
        "/file/.bagu/bagu.db",
        "/file/linked-out.txt",
        "/file/linked-dir/outside.txt",
        "/note/../outside.md",
        "/note/%2e%2e/outside.md",
        "/note/linked-note.md",
    ],
)
def test_nothing_outside_the_vault_is_served(
    client: TestClient, web_vault: Path, path: str
) -> None:
    outside = web_vault.parent / "outside.txt"
    outside.write_text("SECRET-OUTSIDE", "utf-8")
    (web_vault.parent / "outside.md").write_text("# SECRET-OUTSIDE\n", "utf-8")
    os.symlink(outside, web_vault / "linked-out.txt")
    os.symlink(web_vault.parent, web_vault / "linked-dir")
    os.symlink(web_vault.parent / "outside.md", web_vault / "linked-note.md")
    response = client.get(path, headers=HTML)
    assert response.status_code in (404, 400), (path, response.status_code)
    assert "SECRET-OUTSIDE" not in response.text
    assert "root:" not in response.text and "SQLite format" not in response.text


def test_symlinks_out_of_the_vault_are_never_searched_answered_carded_or_served(
    client: TestClient, web_vault: Path
) -> None:
    """Links made after the first index: the next index drops them, and nothing shows their text."""
    outside = web_vault.parent / "outside"
    (outside / "folder").mkdir(parents=True)
    secret = "# 三次握手 ROOTSECRET\n\n**ROOTSECRET** 三次握手的目的是同步序列号 ROOTSECRET。\n"
    (outside / "note.md").write_text(secret, "utf-8")
    (outside / "folder" / "inner.md").write_text(secret, "utf-8")
    os.symlink(outside / "note.md", web_vault / "linked-note.md")
    os.symlink(outside / "folder", web_vault / "linked-folder")
    os.symlink(outside / "note.md", web_vault / "network" / "deep-link.md")
    db = web_vault / ".bagu" / "bagu.db"
    index(web_vault, db)
    client.app.state.bagu.reindex()  # type: ignore[attr-defined]
    cli = bagu("search", "三次握手 同步序列号", "--json", "-V", str(web_vault), db=db)
    assert cli.returncode == 0 and "ROOTSECRET" not in cli.stdout
    for path, params in [
        ("/api/search", {"q": "三次握手 同步序列号"}),
        ("/search", {"q": "三次握手 同步序列号"}),
        ("/search/results", {"q": "三次握手 同步序列号"}),
        ("/api/ask", {"q": "三次握手的目的是什么", "offline": "true"}),
        ("/api/notes/linked-note.md", {}),
        ("/api/notes/linked-folder/inner.md", {}),
        ("/note/network/deep-link.md", {}),
        ("/file/linked-folder/inner.md", {}),
    ]:
        response = client.get(
            path, params=params, headers=HTML if not path.startswith("/api/") else {}
        )
        assert "ROOTSECRET" not in response.text, path
    conn = sqlite3.connect(db)
    try:
        cards = " ".join(
            row[0] + row[1] + row[2]
            for row in conn.execute("SELECT front, back, sources FROM cards")
        )
        paths = {row[0] for row in conn.execute("SELECT path FROM documents")}
    finally:
        conn.close()
    assert "ROOTSECRET" not in cards
    assert not paths & {"linked-note.md", "linked-folder/inner.md", "network/deep-link.md"}


def test_vault_images_are_served_and_html_is_downloaded(
    client: TestClient, web_vault: Path
) -> None:
    (web_vault / "img").mkdir()
    (web_vault / "img" / "dot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    (web_vault / "img" / "page.html").write_text("<script>alert(1)</script>", "utf-8")
    image = client.get("/file/img/dot.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    page = client.get("/file/img/page.html")
    assert page.headers["content-disposition"].startswith("attachment")


def test_note_html_is_sanitized(client: TestClient, web_vault: Path) -> None:
    (web_vault / "evil.md").write_text(
        "# Evil\n\n<script>alert('x')</script>\n\n<img src=x onerror=\"alert(1)\">\n\n"
        '[click](javascript:alert(1)) <a href="javascript:alert(2)">raw</a>\n\n'
        '<div style="position:fixed" onclick="alert(3)">styled</div>\n\n<iframe src="https://evil.example"></iframe>\n',
        "utf-8",
    )
    index(web_vault, web_vault / ".bagu" / "bagu.db")
    page = client.get("/note/evil.md", headers=HTML)
    assert page.status_code == 200
    article = page.text.split('id="note"', 1)[1].split("</article>", 1)[0]
    assert "<script" not in article and "onerror" not in article and "onclick" not in article
    assert (
        'href="javascript:' not in article and "<iframe" not in article and "style=" not in article
    )
    assert "styled" in article


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for path in (
        "/search?q=TCP",
        "/note/network/tcp-handshake.md",
        "/links",
        "/ask?q=TCP",
        "/review",
        "/interview",
        "/stats",
        "/login",
    ):
        page = client.get(path, headers=HTML)
        assert page.status_code == 200, path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text), path
        assert not re.search(r"\son[a-z]+=", page.text), path
        assert "style=" not in page.text and "<style" not in page.text, path
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe" not in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["x-frame-options"] == "DENY"


def test_state_changes_need_the_csrf_token(client: TestClient) -> None:
    assert client.post("/api/review/undo").status_code == 403
    assert client.post("/api/review/undo", headers={"X-CSRF-Token": "guess"}).status_code == 403
    foreign = {**csrf(client), "Origin": "https://evil.example"}
    assert client.post("/api/review/undo", headers=foreign).status_code == 403
    assert client.post("/api/review/undo", headers=csrf(client)).status_code == 200
    assert client.get("/api/review/undo").status_code == 405  # state changes are never GETs


def test_foreign_host_header_is_refused(client: TestClient) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends Host:
    evil.example."""
    response = client.get("/api/search", params={"q": "TCP"}, headers={"Host": "evil.example:8765"})
    assert response.status_code == 421
    assert (
        client.get(
            "/api/search", params={"q": "TCP"}, headers={"Host": "localhost:8765"}
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "host",
    [
        "127.evil.com:8765",
        "127.0.0.1.nip.io:8765",
        "localhost.evil.com:8765",
        "127.0.0.1:9999",
        "127.0.0.1",
        "127.0.0.2:8765",
        "[::1]:9999",
        "127.0.0.1:8765:1",
        "",
    ],
)
def test_rebinding_names_get_neither_the_csrf_token_nor_a_write(
    client: TestClient, host: str
) -> None:
    """A name that resolves to loopback is not one of the names the server was started for."""
    assert client.get("/api/csrf", headers={"Host": host}).status_code == 421
    token = csrf(client)  # as if the attacker had it anyway
    origin = f"http://{host}"
    response = client.post("/api/review/undo", headers={**token, "Host": host, "Origin": origin})
    assert response.status_code == 421
    assert (
        client.post(
            "/api/links/fix", json={"confirm": True}, headers={**token, "Host": host}
        ).status_code
        == 421
    )


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LocalHost:8765"]
)
def test_the_servers_own_names_are_answered(client: TestClient, host: str) -> None:
    token = client.get("/api/csrf", headers={"Host": host}).json()
    response = client.post(
        "/api/review/undo",
        headers={"Host": host, "Origin": f"http://{host}", "X-CSRF-Token": token["csrf_token"]},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.evil.com:8765",
        "http://localhost:9999",
        "null",
        "file://",
        "http://127.0.0.1:8765/x",
    ],
)
def test_a_foreign_origin_is_refused_even_with_the_right_host(
    client: TestClient, origin: str
) -> None:
    headers = {**csrf(client), "Host": "127.0.0.1:8765", "Origin": origin}
    assert client.post("/api/review/undo", headers=headers).status_code == 403


def test_an_explicit_host_is_answered_besides_the_loopback_names(make_client: MakeClient) -> None:
    client = make_client(host="127.0.0.2")
    assert client.get("/api/csrf", headers={"Host": "127.0.0.2:8765"}).status_code == 200
    assert client.get("/api/csrf", headers={"Host": "localhost:8765"}).status_code == 200
    assert client.get("/api/csrf", headers={"Host": "127.0.0.3:8765"}).status_code == 421


def test_only_loopback_literals_and_localhost_are_loopback() -> None:
    assert all(
        is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]", "LOCALHOST")
    )
    assert not any(
        is_loopback(h)
        for h in ("127.0.0.1.nip.io", "127.evil.com", "localhost.evil.com", "0.0.0.0")
    )


def test_serve_treats_a_name_that_starts_like_loopback_as_public(web_vault: Path) -> None:
    db = web_vault / ".bagu" / "bagu.db"
    result = bagu("serve", str(web_vault), "--host", "127.0.0.1.nip.io", "--no-index", db=db)
    assert result.returncode == 2
    assert "--token" in result.stderr


def test_token_guards_everything_when_set(make_client: MakeClient) -> None:
    token = "correct-horse-battery-staple"
    client = make_client(host="0.0.0.0", token=token)
    assert client.get("/api/search", params={"q": "TCP"}).status_code == 401
    assert (
        client.get(
            "/api/search", params={"q": "TCP"}, headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/search", params={"q": "TCP"}, headers=bearer).status_code == 200
    # a header token is not a CSRF risk
    assert client.post("/api/review/undo", headers=bearer).status_code == 200
    page = client.get("/review", headers=HTML, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    wrong = client.post("/login", data={"token": "nope", "next": "/review"}, follow_redirects=False)
    assert wrong.status_code == 401
    login = client.post(
        "/login", data={"token": token, "next": "//evil.example"}, follow_redirects=False
    )
    assert login.status_code == 303 and login.headers["location"] == "/"
    assert (
        "httponly" in login.headers["set-cookie"].lower()
        and "samesite=strict" in login.headers["set-cookie"].lower()
    )
    assert client.get("/review", headers=HTML).status_code == 200  # the cookie now
    # cookie alone: CSRF token still needed
    assert client.post("/api/review/undo").status_code == 403


def test_serve_refuses_a_public_address_without_a_token(web_vault: Path) -> None:
    result = bagu(
        "serve",
        str(web_vault),
        "--host",
        "0.0.0.0",
        "--no-index",
        db=web_vault / ".bagu" / "bagu.db",
    )
    assert result.returncode == 2
    assert "--token" in result.stderr
