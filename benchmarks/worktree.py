"""An earlier commit's bagu, for a benchmark to run beside today's in the same run."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class WorktreeUnavailable(Exception):
    """The commit could not be checked out (unknown revision, not a git checkout)."""


@contextlib.contextmanager
def bagu_at(rev: str) -> Iterator[dict[str, str]]:
    """An environment whose `python -m bagu` (and `import bagu`) is the package at `rev`, from a
    temporary git worktree removed afterwards; `WorktreeUnavailable` when it cannot be made."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        added = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
            capture_output=True,
        )
        if added.returncode != 0:
            raise WorktreeUnavailable(added.stderr.decode().strip()[:120])
        try:
            yield {**os.environ, "PYTHONPATH": str(tree / "src")}
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                capture_output=True,
            )
