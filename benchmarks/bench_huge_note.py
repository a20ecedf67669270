"""Huge notes: indexing time and peak memory grow linearly, and a note over the limit costs nothing.

Each case is one generated note indexed by `bagu index --json` in a fresh process (no embedding), so
its wall time and peak RSS are that note's alone. Shapes: many small sections (a long study note)
and one flat section (a pasted log, the worst case for memory). The 1 MB note of each shape is the
baseline from the same run; the default limit's note must be skipped at once with a message naming
--max-file-mb. Run: `python benchmarks/bench_huge_note.py [--sizes 1,4,10] [--over 64]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bagu.vault.scan import DEFAULT_MAX_MB, MIB

SECTION = (
    "## 小节 {i}\n\nRedis 持久化 RDB AOF 快照 snapshot fork copy-on-write，主线程不阻塞。 " * 6
    + "\n\n- 列表 item one\n- item **two** with `code`\n\n```python\nprint('x')\n```\n\n"
)
LOG_LINE = "2024-05-01 12:00:00 这是一个很长的日志行 error at line 42 in module foo.bar\n"


def make_note(folder: Path, shape: str, megabytes: float) -> Path:
    folder.mkdir(parents=True)
    target = int(megabytes * MIB)
    path = folder / f"{shape}.md"
    with path.open("wb") as out:
        out.write("# 巨大的笔记\n\n".encode())
        i = 0
        while out.tell() < target:
            out.write(
                (SECTION.replace("{i}", str(i)) if shape == "sections" else LOG_LINE).encode()
            )
            i += 1
    return path


def index_once(
    vault: Path, db: Path, limit_mb: float | None
) -> tuple[dict[str, object], float, float]:
    """(report, wall seconds, peak RSS in MB) of one `bagu index` process."""
    command = [sys.executable, "-m", "bagu", "--db", str(db), "index", str(vault), "--json"]
    if limit_mb is not None:
        command += ["--max-file-mb", str(limit_mb)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "BAGU_EMBEDDER": "none"},
    )
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"bagu index failed on {vault}")
    return json.loads(out), time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument(
        "--sizes",
        default=f"1,4,{DEFAULT_MAX_MB}",
        help="note sizes in MB, indexed with a raised limit",
    )
    parser.add_argument(
        "--over", type=float, default=64.0, help="a note this large must be skipped by default"
    )
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"default limit: {DEFAULT_MAX_MB} MB (--max-file-mb)")
    print(
        f"{'shape':10} {'MB':>6} {'seconds':>8} {'s/MB':>6} {'peak RSS MB':>12} {'sections':>9}  "
        f"vs 1 MB"
    )
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for shape in ("sections", "flat"):
            base: tuple[float, float] | None = None
            for size in sizes:
                vault = root / f"{shape}-{size}"
                note = make_note(vault, shape, size)
                actual = note.stat().st_size / MIB
                report, wall, rss = index_once(
                    vault, root / f"{shape}-{size}.db", limit_mb=actual + 1
                )
                base = base or (wall / actual, rss)
                print(
                    f"{shape:10} {actual:6.1f} {wall:8.1f} {wall / actual:6.2f} {rss:12.0f} "
                    f"{report['sections']:>9}"
                    f"  {wall / actual / base[0]:.2f}x s/MB"
                )
        vault = root / "over"
        note = make_note(vault, "flat", args.over)
        report, wall, rss = index_once(vault, root / "over.db", limit_mb=None)
        warnings = report["warnings"]
        assert isinstance(warnings, list)
        message = warnings[0]["message"] if warnings else "(indexed)"
        print(
            f"{note.stat().st_size / MIB:.0f} MB note at the default limit: {wall:.1f} "
            f"s, {rss:.0f} MB peak — {message}"
        )


if __name__ == "__main__":
    main()
