"""Two ways to run `bagu` in a test: in this process (`bagu`, the default: the same entry point,
arguments, exit status and output, without a Python start-up per call), and as a real process
(`BAGU`, for what only a process shows: start-up imports, signals, two commands at once, a server).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

BAGU = [sys.executable, "-m", "bagu"]


def bagu(
    *args: str, db: Path | None = None, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`bagu [--db DB] ARGS` run through `bagu.cli.main`, as the console script runs it: its exit
    status, stdout and stderr. `env` adds to the environment for this call only."""
    from bagu.cli import main

    argv = ["bagu", *(["--db", str(db)] if db is not None else []), *args]
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with (
        mock.patch.dict(os.environ, env or {}),
        mock.patch.object(sys, "argv", argv),
        mock.patch.object(sys, "stdin", io.StringIO(stdin)),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    if isinstance(code, str):  # sys.exit("message"), as Python does it
        err.write(code + "\n")
        code = 1
    return subprocess.CompletedProcess(argv, code or 0, out.getvalue(), err.getvalue())


def bagu_process(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`bagu [--db DB] ARGS` as a new process (`env` adds to the environment)."""
    command = [*BAGU, *(["--db", str(db)] if db is not None else []), *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
