"""The web app in a real browser: Debian's Chromium driven by Playwright, against a real
`bagu serve`.

Screenshots of each page go to artifacts/screenshots/ (or $BAGU_SCREENSHOTS). The tests skip only
when Chromium is missing outside CI; in CI (`CI` set) a missing browser fails them, since
`make test` installs it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3 as std_sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.web.server import serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(
    os.environ.get(
        "BAGU_SCREENSHOTS", Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
    )
)

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(
            "Chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    pytest.skip("Chromium is not installed (make test installs it)", allow_module_level=True)

from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(web_vault: Path) -> Iterator[str]:
    with serving(web_vault) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", watch)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, f"errors in the browser console (CSP violations included): {problems}"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_search_as_you_type_then_open_the_result_at_its_anchor(page: Page, site: str) -> None:
    page.goto(f"{site}/search")
    page.locator("#q").press_sequentially("为什么不是两次握手", delay=30)
    first = page.locator(".hit-title").first
    expect(first).to_be_visible()
    expect(page.locator(".snippet mark").first).to_be_visible()
    shot(page, "search")
    heading = first.inner_text()
    first.click()
    page.wait_for_url("**/note/**")
    target = page.locator("#note .target")
    expect(target).to_have_count(1)
    expect(target).to_be_in_viewport()
    assert heading.split(" › ")[-1] in target.inner_text()
    font = target.evaluate(
        "t => [getComputedStyle(t).fontFamily, parseFloat(getComputedStyle(t).fontSize)]"
    )
    # the heading keeps its own look, only highlighted
    assert "monospace" not in font[0] and font[1] > 18, font
    shot(page, "note")


def test_note_viewer_resolves_raw_heading_anchors(page: Page, site: str) -> None:
    page.goto(f"{site}/note/network/tcp-handshake.md#为什么不是两次握手")
    expect(page.locator("#note .target")).to_contain_text("为什么不是两次握手")
    page.goto(f"{site}/note/network/tcp-handshake.md#TIME_WAIT 为什么要等 2MSL".replace(" ", "%20"))
    expect(page.locator("#note .target")).to_have_count(1)


def test_review_three_cards_with_the_keyboard(page: Page, site: str, web_vault: Path) -> None:
    page.goto(f"{site}/review")
    for n in range(3):
        answer = page.locator("#review textarea[name=answer]")
        expect(answer).to_be_focused()
        answer.fill("SYN ACK 三次握手" if n != 1 else "")
        answer.press("Control+Enter")
        expect(page.locator("#review .rate")).to_be_visible()
        if n == 0:
            shot(page, "review-graded")
        page.keyboard.press("3")
        expect(page.locator("#review .rated")).to_contain_text("rated 3")
    shot(page, "review")
    page.keyboard.press("Escape")  # leave the next card's answer box
    page.keyboard.press("u")
    expect(page.locator("#review .notice")).to_contain_text("Undone")
    with std_sqlite3.connect(web_vault / ".bagu" / "bagu.db") as db:
        assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2


def test_two_question_interview(page: Page, site: str, web_vault: Path) -> None:
    page.goto(f"{site}/interview")
    page.locator("input[name=n]").fill("2")
    page.locator("input[name=follow_ups]").fill("0")
    page.get_by_role("button", name="Start").click()
    for _ in range(2):
        answer = page.locator("#interview textarea[name=answer]")
        expect(answer).to_be_focused()
        answer.fill("先发 SYN，再 SYN+ACK，最后 ACK；TIME_WAIT 等待 2MSL")
        answer.press("Control+Enter")
        expect(page.locator("#interview .feedback")).to_be_visible()
    report = page.locator("#interview .report")
    expect(report).to_contain_text("overall")
    shot(page, "interview")
    assert list((web_vault / ".bagu" / "reports").glob("interview-*.html"))


def test_stats_page_draws_its_charts(page: Page, site: str) -> None:
    # a few reviews first, so the charts have something to draw
    with httpx.Client(base_url=site) as api:
        headers = {"X-CSRF-Token": api.get("/api/csrf").json()["csrf_token"]}
        for rating in (3, 1, 4, 3, 2):
            card = api.get("/api/review/next").json()["card"]
            api.post(
                f"/api/review/{card['card_id']}/rate", json={"rating": rating}, headers=headers
            ).raise_for_status()
    page.goto(f"{site}/stats")
    expect(page.locator(".summary")).to_contain_text("5 reviews")
    expect(page.locator("svg.chart")).to_have_count(4)
    shot(page, "stats")


def test_link_report_previews_a_fix(page: Page, site: str) -> None:
    page.goto(f"{site}/links")
    page.get_by_role("button", name="preview fix").first.click()
    expect(page.locator("pre.diff").first).to_contain_text("+++ ")
    shot(page, "links")


def test_ask_cites_sections_that_open_the_viewer(page: Page, site: str) -> None:
    page.goto(f"{site}/ask")
    page.locator("input[name=q]").fill("三次握手的目的是什么")
    page.locator("input[name=q]").press("Enter")
    cite = page.locator("#answer a.cite").first
    expect(cite).to_be_visible()
    shot(page, "ask")
    cite.click()
    page.wait_for_url("**/note/**")
    expect(page.locator("#note .target")).to_be_in_viewport()


def test_a_slow_grade_shows_it_is_busy_and_a_failed_one_says_why_on_the_page(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    unexpected: list[str] = []
    # the failure this test makes on purpose, as Chromium and htmx log it
    expected = ("409", "responseError")
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not any(e in m.text for e in expected)
            and unexpected.append(m.text)
        ),
    )
    page.on("pageerror", lambda error: unexpected.append(str(error)))
    held: list[Route] = []

    def hold(route: Route) -> None:  # the grade is held: as slow as we like
        held.append(route)

    page.route("**/review/*/grade*", hold)
    page.goto(f"{site}/review")
    answer = page.locator("#review textarea[name=answer]")
    caps = page.locator("#review button[type=submit] kbd").first.evaluate(
        "k => [getComputedStyle(k).color, getComputedStyle(k).backgroundColor]"
    )
    # readable on the blue button
    assert caps[0] == "rgb(255, 255, 255)" and caps[1] != "rgb(255, 255, 255)", caps
    answer.fill("SYN ACK 三次握手")
    answer.press("Control+Enter")
    expect(page.locator("#review .busy")).to_be_visible()
    expect(page.locator("#review button[type=submit]")).to_be_disabled()
    answer.press("Control+Enter")  # impatient: a second Ctrl+Enter is not a second answer
    page.wait_for_timeout(300)
    assert len(held) == 1
    shot(page, "review-grading")
    problem = '{"title": "Conflict", "detail": "this card is being graded already"}'
    held[0].fulfill(status=409, content_type="application/problem+json", body=problem)
    errors = page.locator("#errors")
    expect(errors).to_contain_text("409")
    expect(errors).to_contain_text("this card is being graded already")
    expect(page.locator("#review .busy")).to_be_hidden()
    expect(page.locator("#review button[type=submit]")).to_be_enabled()
    shot(page, "review-error")
    page.unroute("**/review/*/grade*")
    answer.press("Control+Enter")  # tried again, it works, and the error goes
    expect(page.locator("#review .rate")).to_be_visible()
    expect(errors).to_be_empty()
    context.close()
    assert not unexpected, unexpected


@pytest.mark.parametrize("width", [1280, 390])
def test_no_page_is_wider_than_the_window(browser: Browser, site: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    for name, path in [
        ("search", "/search?q=三次握手"),
        ("note", "/note/八股文.md"),
        ("links", "/links"),
        ("review", "/review"),
        ("stats", "/stats"),
        ("ask", "/ask"),
        ("interview", "/interview"),
        ("map", "/map"),
    ]:
        page.goto(f"{site}{path}")
        if name == "links":
            page.get_by_role("button", name="preview fix").first.click()
            expect(page.locator("pre.diff").first).to_be_visible()
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 1, (name, width, wide)
        for link in ("Search", "Review", "Stats"):
            expect(page.locator("header nav").get_by_role("link", name=link)).to_be_in_viewport()
        shot(page, f"{name}-{width}")
    context.close()
