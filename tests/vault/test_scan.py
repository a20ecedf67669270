from __future__ import annotations

import os
from pathlib import Path

import pytest

from bagu.errors import NoteUnreadable
from bagu.vault.scan import note_in_vault, read_note, scan_vault, walk_vault
from tests.conftest import DenyListing, WriteNote


def paths(vault: Path) -> list[str]:
    return [note.path for note in walk_vault(vault)]


def test_skips_tool_folders_and_honours_baguignore(vault: Path, write: WriteNote) -> None:
    for name in (
        "a.md",
        ".git/x.md",
        ".obsidian/x.md",
        ".bagu/x.md",
        "node_modules/p/x.md",
        "drafts/d.md",
        "b.txt",
    ):
        write(name, "# x\n")
    write("notes/keep.markdown", "# k\n")
    write("notes/tmp-1.md", "# t\n")
    write(".baguignore", "drafts/\ntmp-*.md\n")
    assert paths(vault) == ["a.md", "notes/keep.markdown"]


def test_symlink_loops_are_followed_once(vault: Path, write: WriteNote) -> None:
    write("sub/n.md", "# n\n")
    os.symlink(vault, vault / "sub" / "loop")
    os.symlink(vault / "sub", vault / "again")
    assert paths(vault) == ["sub/n.md"]


def test_paths_with_spaces_chinese_and_emoji(vault: Path, write: WriteNote) -> None:
    write("读书 笔记/🚀 rocket note.md", "# 火箭\n")
    assert paths(vault) == ["读书 笔记/🚀 rocket note.md"]


def test_fifo_named_md_is_not_read(vault: Path) -> None:
    os.mkfifo(vault / "pipe.md")
    note = note_in_vault(vault, "pipe.md")
    with pytest.raises(NoteUnreadable, match="not a regular file"):
        read_note(note)


def test_dangling_symlink_is_unreadable_not_fatal(vault: Path) -> None:
    os.symlink(vault / "nowhere.md", vault / "dangling.md")
    note = note_in_vault(vault, "dangling.md")
    with pytest.raises(NoteUnreadable):
        read_note(note)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission(vault: Path, write: WriteNote) -> None:
    path = write("secret.md", "# s\n")
    path.chmod(0)
    with pytest.raises(NoteUnreadable, match="cannot be read"):
        read_note(note_in_vault(vault, "secret.md"))


def test_size_limit_names_the_option(vault: Path, write: WriteNote) -> None:
    write("big.md", "x" * 2048)
    with pytest.raises(NoteUnreadable, match="--max-file-mb"):
        read_note(note_in_vault(vault, "big.md"), max_bytes=1024)


def test_symlinks_out_of_the_vault_are_skipped_with_one_warning_each(
    vault: Path, write: WriteNote, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text("# SECRET\n", "utf-8")
    (outside / "folder" / "n.md").write_text("# SECRET\n", "utf-8")
    write("inside/real.md", "# real\n")
    os.symlink("/etc/passwd", vault / "passwd.md")
    os.symlink(outside / "secret.md", vault / "secret.md")
    os.symlink(outside / "folder", vault / "linked-out")
    os.symlink(outside / "secret.md", vault / "inside" / "deeper.md")
    os.symlink(vault / "inside", vault / "linked-in")  # inside the vault: still followed
    os.symlink(vault / "inside" / "real.md", vault / "alias.md")
    scan = scan_vault(vault)
    assert [note.path for note in scan.notes] == ["alias.md", "inside/real.md"]
    assert sorted(p.path for p in scan.problems) == [
        "inside/deeper.md",
        "linked-out",
        "passwd.md",
        "secret.md",
    ]
    assert all("outside the vault" in p.message for p in scan.problems)
    assert "linked-out" not in scan.folders


def test_read_note_refuses_a_path_that_leads_out_of_the_vault(vault: Path, tmp_path: Path) -> None:
    """A note swapped for a symlink after the walk is still not read."""
    (tmp_path / "secret.md").write_text("# SECRET\n", "utf-8")
    os.symlink(tmp_path / "secret.md", vault / "swapped.md")
    with pytest.raises(NoteUnreadable, match="outside the vault"):
        read_note(note_in_vault(vault, "swapped.md"))
    with pytest.raises(NoteUnreadable, match="outside the vault"):
        read_note(note_in_vault(vault, "../secret.md"))


def test_an_unreadable_folder_is_reported_not_taken_for_empty(
    vault: Path, write: WriteNote, deny_listing: DenyListing
) -> None:
    write("db/redis.md", "# r\n")
    write("top.md", "# t\n")
    deny_listing("db")
    scan = scan_vault(vault)
    assert [note.path for note in scan.notes] == ["top.md"]
    assert scan.unlisted_folders == ["db/"] and scan.is_unlisted("db/redis.md")
    assert [(p.path, "Permission denied" in p.message) for p in scan.problems] == [("db/", True)]


def test_temporary_files_of_a_killed_fix_are_found_not_listed(
    vault: Path, write: WriteNote
) -> None:
    write("n.md", "# n\n")
    write(".n.md.abc123.bagu-tmp", "# half-written\n")
    scan = scan_vault(vault)
    assert [note.path for note in scan.notes] == ["n.md"]
    assert [p.name for p in scan.leftovers] == [".n.md.abc123.bagu-tmp"]
    assert ".n.md.abc123.bagu-tmp" not in scan.other_files


def test_size_limit_message_uses_the_units_of_the_option(vault: Path, write: WriteNote) -> None:
    write("big.md", "x" * (3 * 1024 * 1024))
    with pytest.raises(NoteUnreadable, match=r"is 3\.0 MB, over the 2 MB limit"):
        read_note(note_in_vault(vault, "big.md"), max_bytes=2 * 1024 * 1024)
