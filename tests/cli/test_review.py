"""`bagu review` at the terminal: a session narrowed by --path, --topics and --kind, and what it
says when nothing matches."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.run import bagu
from tests.conftest import EXAMPLE_VAULT


def test_review_takes_path_topics_and_kind(db_path: Path) -> None:
    bagu("index", str(EXAMPLE_VAULT), db=db_path)
    result = bagu(
        "review",
        "-V",
        str(EXAMPLE_VAULT),
        "--path",
        "k8s/",
        "--kind",
        "list",
        db=db_path,
        stdin="q\n",
    )
    assert result.returncode == 0 and "· list" in result.stdout
    assert re.search(r"0 due, \d+ new today", result.stdout)  # what the session holds, said first
    nothing = bagu("review", "-V", str(EXAMPLE_VAULT), "--topics", "量子纠缠", db=db_path)
    assert "Nothing is due matching --path/--topics/--kind" in nothing.stdout
