"""The optional LLM card writer: proposals must cite the note word for word; nothing is stored
unasked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bagu.coach.card_writer import check_proposals
from bagu.vault.markdown import parse_document
from tests.cli.run import bagu
from tests.coach.fake_openai import Script, fake_openai
from tests.conftest import EXAMPLE_VAULT

SECTION = parse_document(
    "tcp.md",
    "# TCP\n\n## 为什么不是两次握手\n\n如果只有两次握手，已失效的连接请求报文突然又传到服务端，"
    "服务端会误以为是新连接并一直等待，浪费资源。\n",
).sections[-1]
GOOD = {
    "question": "为什么 TCP 不用两次握手？",
    "answer": "失效的连接请求会让服务端误建连接、白白等待。",
    "span": "服务端会误以为是新连接并一直等待",
}


def test_only_proposals_that_cite_the_section_word_for_word_are_kept() -> None:
    reply = "Here are the cards:\n" + json.dumps(
        [
            GOOD,
            {**GOOD, "question": "invented", "span": "TCP 使用滑动窗口"},  # not in the note
            {**GOOD, "question": "long", "answer": "很长的回答，" * 40},
            {
                "question": "失效的连接请求会让服务端误建连接、白白等待。是什么？",
                "answer": GOOD["answer"],
                "span": GOOD["span"],
            },
            "not a card",
        ],
        ensure_ascii=False,
    )
    accepted, refused = check_proposals(reply, SECTION)
    assert [p.question for p in accepted] == [GOOD["question"]]
    assert len(refused) == 4 and any("word for word" in r for r in refused)
    assert check_proposals("I cannot help with that.", SECTION) == (
        [],
        ["the reply was not a JSON array of cards"],
    )


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path]:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLE_VAULT, vault, ignore=shutil.ignore_patterns(".bagu"))
    db = tmp_path / "bagu.db"
    assert bagu("index", str(vault), db=db).returncode == 0
    return vault, db


def _bagu(db: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return bagu(*args, db=db, env=env)


def test_cards_write_asks_the_endpoint_and_keeps_accepted_cards_through_a_reindex(
    indexed: tuple[Path, Path],
) -> None:
    vault, db = indexed
    target = "network/tcp-handshake.md#为什么不是两次握手"
    proposal = {
        "question": "为什么 TCP 不用两次握手？",
        "answer": "已失效的连接请求会让服务端误以为是新连接并一直等待。",
        "span": "服务端会误以为是新连接并一直等待，浪费资源。",
    }
    script = Script([json.dumps([proposal], ensure_ascii=False)])
    with fake_openai(script) as url:
        env = {"BAGU_LLM_BASE_URL": url, "BAGU_LLM_MODEL": "q"}
        dry = _bagu(db, "cards", "write", target, "-V", str(vault), "--json", env=env)
        assert dry.returncode == 0, dry.stderr
        assert json.loads(dry.stdout)["added"] == 0  # --json alone stores nothing
        script.steps.append(json.dumps([proposal], ensure_ascii=False))
        done = _bagu(db, "cards", "write", target, "-V", str(vault), "--yes", env=env)
    assert done.returncode == 0 and "1 card(s) added" in done.stdout
    assert "为什么不是两次握手" in script.requests[0]["messages"][1]["content"]
    (vault / "network" / "tcp-handshake.md").write_text(
        (vault / "network" / "tcp-handshake.md").read_text("utf-8") + "\n## 新小节\n\n新内容。\n",
        "utf-8",
    )
    assert _bagu(db, "index", str(vault), env={}).returncode == 0  # a re-index syncs the cards
    written = json.loads(
        _bagu(db, "cards", "list", "-V", str(vault), "--kind", "written", "--json", env={}).stdout
    )
    assert [(c["status"], c["back"]) for c in written] == [("active", proposal["answer"])]
    assert (
        written[0]["front"].startswith("TCP 连接管理 ›")
        and written[0]["sources"][0]["span"] == proposal["span"]
    )


def test_cards_write_without_an_endpoint_says_how_to_configure_one(
    indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, db = indexed
    for name in [k for k in os.environ if k.startswith("BAGU_LLM")]:
        monkeypatch.delenv(name)
    result = bagu("cards", "write", "network/tcp-handshake.md", "-V", str(vault), db=db)
    assert (
        result.returncode == 2
        and "BAGU_LLM_BASE_URL" in result.stderr
        and "Traceback" not in result.stderr
    )
    missing = _bagu(
        db,
        "cards",
        "write",
        "nope.md",
        "-V",
        str(vault),
        env={"BAGU_LLM_BASE_URL": "http://127.0.0.1:9/v1", "BAGU_LLM_MODEL": "q"},
    )
    assert missing.returncode == 2 and "no section matches" in missing.stderr
