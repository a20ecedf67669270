from __future__ import annotations

import os
from pathlib import Path

import pytest

from bagu.vault.scan import NoteFile, NoteUnreadable, read_note, walk_vault
from tests.conftest import WriteNote


def paths(vault: Path) -> list[str]:
    return [note.path for note in walk_vault(vault)]


def test_skips_tool_folders_and_honours_baguignore(vault: Path, write: WriteNote) -> None:
    for name in ("a.md", ".git/x.md", ".obsidian/x.md", ".bagu/x.md", "node_modules/p/x.md", "drafts/d.md", "b.txt"):
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
    note = NoteFile("pipe.md", vault / "pipe.md")
    with pytest.raises(NoteUnreadable, match="not a regular file"):
        read_note(note)


def test_dangling_symlink_is_unreadable_not_fatal(vault: Path) -> None:
    os.symlink(vault / "nowhere.md", vault / "dangling.md")
    note = NoteFile("dangling.md", vault / "dangling.md")
    with pytest.raises(NoteUnreadable):
        read_note(note)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission(vault: Path, write: WriteNote) -> None:
    path = write("secret.md", "# s\n")
    path.chmod(0)
    with pytest.raises(NoteUnreadable, match="cannot be read"):
        read_note(NoteFile("secret.md", path))


def test_size_limit_names_the_option(vault: Path, write: WriteNote) -> None:
    path = write("big.md", "x" * 2048)
    with pytest.raises(NoteUnreadable, match="--max-file-mb"):
        read_note(NoteFile("big.md", path), max_bytes=1024)
