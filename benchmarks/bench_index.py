"""Indexing speed and memory on a real vault, against baselines measured in the same run.

Figures: cold index (files/s, MB/s, peak RSS), warm re-run with nothing changed, one file touched.
Baselines: reading + hashing every file (the floor any indexer pays) and markdown-it-py parsing
alone (the floor for a parser-based one). Run: `make bench` or
`python benchmarks/bench_index.py [VAULT]`.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_VAULT = ROOT.parent / "shared" / "corpus" / "interview-notes"


def _bagu(db: Path, vault: Path) -> tuple[dict[str, object], float, float]:
    """Run `bagu index --json` in a fresh process; return its report, wall seconds and peak RSS
    (MB)."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run(
        [sys.executable, "-m", "bagu", "--db", str(db), "index", str(vault), "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return json.loads(out), wall, max(peak, before) / 1024


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_VAULT
    files = sorted(p for p in source.rglob("*.md") if p.is_file())
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    print(f"vault: {source} — {len(files)} notes, {megabytes:.2f} MB")

    started = time.perf_counter()
    for path in files:
        hashlib.sha256(path.read_bytes()).hexdigest()
    read_hash = time.perf_counter() - started
    md = MarkdownIt("commonmark").enable("table")
    started = time.perf_counter()
    for path in files:
        md.parse(path.read_text(encoding="utf-8", errors="replace"))
    parse_only = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as scratch:
        vault = Path(scratch) / "vault"
        shutil.copytree(source, vault)
        db = Path(scratch) / "bagu.db"
        cold, cold_wall, cold_rss = _bagu(db, vault)
        warm, warm_wall, _ = _bagu(db, vault)
        touched = next(p for p in sorted(vault.rglob("*.md")))
        with touched.open("a", encoding="utf-8") as handle:
            handle.write("\n\n## benchmark edit\n\nappended line\n")
        one, one_wall, _ = _bagu(db, vault)
        db_mb = os.path.getsize(db) / 1e6

    seconds = float(str(cold["seconds"]))
    rows = [
        ("baseline: read + sha256 every file", read_hash, ""),
        ("baseline: markdown-it-py parse only", parse_only, f"{megabytes / parse_only:.2f} MB/s"),
        (
            "bagu index, cold (in-process time)",
            seconds,
            f"{len(files) / seconds:.0f} files/s, {megabytes / seconds:.2f} MB/s",
        ),
        (
            "bagu index, cold (process wall)",
            cold_wall,
            f"peak RSS {cold_rss:.0f} MB, db {db_mb:.1f} MB",
        ),
        (
            "bagu index, warm (in-process time)",
            float(str(warm["seconds"])),
            f"parsed {warm['parsed']}",
        ),
        ("bagu index, warm (process wall)", warm_wall, "includes interpreter start and imports"),
        (
            "bagu index, one file touched",
            float(str(one["seconds"])),
            f"parsed {one['parsed_paths']}",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, extra in rows:
        print(f"{name:<{width}}  {value:8.3f} s  {extra}")
    print(f"sections {cold['sections']}, links {cold['links']}, one-touch wall {one_wall:.2f} s")


if __name__ == "__main__":
    main()
