"""`fix`: only link destinations change, bytes round-trip in any encoding, writes are atomic and
idempotent."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bagu.errors import NoteChanged, OutsideVaultWrite
from bagu.indexer import index_vault
from bagu.links.check import CheckedLink, Repair
from bagu.links.fix import choose_repairs, plan_patch
from bagu.links.graph import apply_fixes, check_vault, plan_fixes
from bagu.links.suggest import Suggestion
from bagu.store.sqlite import sqlite3
from bagu.vault.markdown import parse_document
from bagu.vault.model import Link, LinkKind
from bagu.vault.write import replace_note
from tests.conftest import WriteNote
from tests.links.conftest import CheckVault

TARGET = "# T\n\n## 高级调度能力\n\n## Scheduler Extender\n"
SOURCE = (
    "# S\n\n"
    "`[code](t.md#高级调度)` [a](t.md#高级调度) and [b](t.md#Scheduler Extender]) on one line\n\n"
    "```\n[fenced](t.md#高级调度)\n```\n\n"
    "[c](t.md#高级调度)\n"
)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_plans_but_writes_nothing(check: CheckVault, vault: Path) -> None:
    report = check({"t.md": TARGET, "s.md": SOURCE})
    before = _sha(vault / "s.md")
    plan = plan_fixes(vault, report)
    assert plan.edits == 3 and not plan.refused
    diff = plan.patches[0][0].diff()
    assert diff.startswith("--- a/s.md\n+++ b/s.md\n")
    assert (
        "-`[code](t.md#高级调度)` [a](t.md#高级调度) and [b](t.md#Scheduler Extender]) on one line"
        in diff
    )
    assert (
        "+`[code](t.md#高级调度)` [a](t.md#高级调度能力) and [b](t.md#Scheduler Extender) on one "
        "line" in diff
    )
    assert _sha(vault / "s.md") == before


def test_apply_changes_only_destinations_backs_up_and_is_idempotent(
    check: CheckVault, vault: Path, conn: sqlite3.Connection
) -> None:
    report = check({"t.md": TARGET, "s.md": SOURCE})
    original = (vault / "s.md").read_text(encoding="utf-8")
    apply_fixes(vault, plan_fixes(vault, report), "stamp")
    fixed = (vault / "s.md").read_text(encoding="utf-8")
    assert fixed == original.replace("](t.md#高级调度)", "](t.md#高级调度能力)").replace(
        "[fenced](t.md#高级调度能力)", "[fenced](t.md#高级调度)"
    ).replace("`[code](t.md#高级调度能力)`", "`[code](t.md#高级调度)`").replace(
        "Extender])", "Extender)"
    )
    assert (vault / ".bagu" / "backups" / "stamp" / "s.md").read_text(encoding="utf-8") == original
    index_vault(conn, vault)
    again = check_vault(conn, vault)
    assert again.broken == [] and plan_fixes(vault, again).patches == []


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("gb18030", b"", "\r\n"),
        ("utf-8", b"\xef\xbb\xbf", "\r\n"),
        ("utf-16-le", b"\xff\xfe", "\n"),
        ("utf-8", b"", "\r"),
    ],
)
def test_encoding_bom_and_line_endings_survive(
    check: CheckVault,
    write: WriteNote,
    vault: Path,
    conn: sqlite3.Connection,
    encoding: str,
    bom: bytes,
    newline: str,
) -> None:
    text = "# 笔记\n\n中文段落 [跳转](t.md#高级调度) 结束\n\n最后一行\n".replace("\n", newline)
    write("s.md", bom + text.encode(encoding))
    report = check({"t.md": TARGET})
    apply_fixes(vault, plan_fixes(vault, report), "stamp")
    expected = bom + text.replace("#高级调度)", "#高级调度能力)").encode(encoding)
    assert (vault / "s.md").read_bytes() == expected
    index_vault(conn, vault)
    assert check_vault(conn, vault).broken == []


def test_symlinked_note_inside_the_vault_is_written_through_the_link(
    check: CheckVault, vault: Path
) -> None:
    real = vault / "real" / "elsewhere.md"
    real.parent.mkdir()
    real.write_text("# E\n\n[x](../t.md#高级调度)\n", encoding="utf-8")
    (vault / "linked.md").symlink_to(real)
    report = check({"t.md": TARGET})
    apply_fixes(vault, plan_fixes(vault, report), "stamp")
    assert (vault / "linked.md").is_symlink()
    assert real.read_text(encoding="utf-8") == "# E\n\n[x](../t.md#高级调度能力)\n"


def test_a_symlink_out_of_the_vault_is_never_written(
    check: CheckVault, vault: Path, write: WriteNote, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("# E\n\n[x](t.md#高级调度)\n", encoding="utf-8")
    (vault / "linked.md").symlink_to(outside)
    write("s.md", "# S\n\n[x](t.md#高级调度)\n")
    report = check({"t.md": TARGET})
    # the outside note is not indexed
    assert {item.source_path for item in report.broken} == {"s.md"}
    plan = plan_fixes(vault, report)
    apply_fixes(vault, plan, "stamp")
    assert outside.read_text(encoding="utf-8") == "# E\n\n[x](t.md#高级调度)\n"
    assert (vault / "s.md").read_text(encoding="utf-8") == "# S\n\n[x](t.md#高级调度能力)\n"
    with pytest.raises(OutsideVaultWrite):  # even a plan made before the link was swapped in
        replace_note(vault, "linked.md", _sha(outside), b"overwritten", vault / "backups")
    assert outside.read_text(encoding="utf-8") == "# E\n\n[x](t.md#高级调度)\n"


def test_a_killed_write_leaves_a_temp_file_the_next_write_removes(
    vault: Path, write: WriteNote
) -> None:
    note = write("n.md", "old")
    leftover = vault / ".n.md.k1l2d3.bagu-tmp"
    leftover.write_bytes(b"half")
    other = vault / ".other.md.x.bagu-tmp"
    other.write_bytes(b"half")
    replace_note(vault, "n.md", _sha(note), b"new", vault / "backups")
    assert note.read_bytes() == b"new"
    # another note's leftover waits for the next index
    assert not leftover.exists() and other.exists()


def test_a_note_edited_after_planning_is_left_alone(check: CheckVault, vault: Path) -> None:
    report = check({"t.md": TARGET, "s.md": SOURCE})
    plan = plan_fixes(vault, report)
    (vault / "s.md").write_text(SOURCE + "\nnew line typed meanwhile\n", encoding="utf-8")
    with pytest.raises(NoteChanged):
        apply_fixes(vault, plan, "stamp")
    assert (vault / "s.md").read_text(encoding="utf-8").endswith("meanwhile\n")


def test_failed_write_leaves_the_note_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old")

    def fail(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        replace_note(
            tmp_path, "n.md", hashlib.sha256(b"old").hexdigest(), b"new", tmp_path / "backups"
        )
    assert note.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "n.md"]


def test_only_picks_a_link_and_a_suggestion(check: CheckVault, vault: Path) -> None:
    report = check({"t.md": TARGET, "s.md": SOURCE, "u.md": "# U\n\n[x](t.md#Scheduler)\n"})
    chosen, unmatched = choose_repairs(report.broken, ["u.md:3@1", "s.md:99", "nonsense"])
    assert [(c.source_path, c.link.line) for c, _ in chosen] == [("u.md", 3)]
    assert unmatched == ["s.md:99", "nonsense"]


def _repair(text: str, path: str, new: str) -> tuple[CheckedLink, Repair]:
    link = parse_document(path, text).links[0]
    return CheckedLink(path, link, None), Repair(Suggestion("t.md", None, 0.9, "test"), new)  # type: ignore[arg-type]


def test_an_edit_that_would_break_the_markdown_is_refused() -> None:
    text = "# S\n\n[a](t.md) tail\n"
    patch = plan_patch("s.md", text, [_repair(text, "s.md", "t.md) [injected](x.md")])
    assert patch.new_text == text and patch.refused and not patch.edits


def test_a_destination_not_found_is_refused() -> None:
    text = "# S\n\n[a](t.md)\n"
    fake = Link(3, 1, LinkKind.INLINE, "a", "gone.md", "gone.md", None, False)
    patch = plan_patch(
        "s.md",
        text,
        [(CheckedLink("s.md", fake, None), Repair(Suggestion("t.md", None, 0.9, "x"), "t.md"))],
    )  # type: ignore[arg-type]
    assert patch.new_text == text and patch.refused


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.text(alphabet=st.sampled_from("ab `*_#[]()\n中文"), max_size=40),
    after=st.text(alphabet=st.sampled_from("ab `*_#[]()\n中文"), max_size=40),
)
def test_property_bytes_outside_the_destination_never_change(before: str, after: str) -> None:
    text = f"{before}\n\n[link](old.md#x) {after}\n"
    links = [link for link in parse_document("s.md", text).links if link.raw_target == "old.md#x"]
    if not links:
        return
    link = links[0]
    patch = plan_patch(
        "s.md",
        text,
        [(CheckedLink("s.md", link, None), Repair(Suggestion("t.md", None, 0.9, "x"), "new.md#y"))],
    )  # type: ignore[arg-type]
    if patch.edits:
        start = patch.edits[0].offset
        assert patch.new_text[:start] == text[:start]
        assert patch.new_text[start + len("new.md#y") :] == text[start + len("old.md#x") :]
        again = plan_patch("s.md", patch.new_text, [])
        assert again.new_text == patch.new_text


def test_line_numbers_agree_with_the_parser_when_a_line_holds_a_form_feed() -> None:
    """str.splitlines breaks at \\x0c and \\u2028 too; the parser does not, so neither may the
    fixer."""
    text = "# S\n\npage\x0cbreak\u2028 [c](old.md) more\n\n[b](old.md)\n"
    second = [link for link in parse_document("s.md", text).links if link.text == "b"]
    patch = plan_patch(
        "s.md",
        text,
        [
            (
                CheckedLink("s.md", second[0], None),
                Repair(Suggestion("t.md", None, 0.9, "x"), "new.md"),
            )
        ],
    )  # type: ignore[arg-type]
    assert not patch.refused and patch.new_text == text.replace("[b](old.md)", "[b](new.md)")
    assert "-[b](old.md)\n+[b](new.md)\n" in patch.diff()


def test_a_note_mixing_utf8_and_gbk_is_not_rewritten(
    check: CheckVault, write: WriteNote, vault: Path
) -> None:
    data = "# 笔记\n\n[跳转](t.md#高级调度)\n".encode() + "中文 GBK 行\n".encode("gbk")
    write("s.md", data)
    plan = plan_fixes(vault, check({"t.md": TARGET}))
    assert plan.patches == [] and "mixes UTF-8 and GBK" in plan.refused[0][1]
    assert (vault / "s.md").read_bytes() == data
