"""A new user's first run on a blog-sized vault: when is each thing ready, and does `check` ever
embed?

The vault is generated from ../shared/corpus/interview-notes: the corpus and edited copies of it
(headings and sentences renumbered, so no two sections are alike) until it has `--notes` notes
(default 450, about a blog's size; `--notes 4500` is the 10× vault). Nothing generated is committed.

Figures, in one run, for today's bagu and for the commit before progressive embedding (`--before`):
- `bagu index --no-embed`: lexical search, links and cards ready;
- `bagu check` on that index (the embedder pointed at a closed port, so any model call would fail);
- a warm `bagu index --no-embed` with nothing changed;
- `BAGU_EMBEDDER=use bagu index`: hybrid search with the fast model ready;
- e5 (the slow signal): its rate on a slice of chunks and the projected time for the rest;
- lexical and hybrid search p95 over the corpus dev set's questions, and peak RSS of the lexical
  index.
- `--random-vectors` (for the 10× vault, where embedding for real takes hours): every signal filled
  with random unit vectors of its model's shape through the real pipeline, then hybrid search p95
  with the real query models, today's and as before sign codes and one-thread searches (every chunk
  scored, two threads per model).
Run: `python benchmarks/bench_first_run.py [--notes 450] [--before REV] [--skip-models] [--complete]
[--random-vectors]`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from worktree import WorktreeUnavailable, bagu_at

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "interview-notes"
DEV = ROOT / "benchmarks" / "data" / "search_dev.jsonl"
BEFORE = "eb75ad9"  # before `check` stopped embedding and serve embedded in the background
CLOSED_PORT = "openai:none@http://127.0.0.1:9/v1"
_HEADING = re.compile(r"^(#{1,6}\s+)(.+)$", re.MULTILINE)


def build_vault(target: Path, notes: int) -> tuple[int, float]:
    """The corpus, then edited copies of it in folders `copy-N/`, until `notes` notes; returns
    (notes, MB)."""
    sources = sorted(p for p in CORPUS.rglob("*.md") if p.is_file())
    if not sources:
        raise SystemExit(
            f"no notes under {CORPUS}: the benchmark builds its vault from the shared corpus"
        )
    made = 0
    copy = 0
    while made < notes:
        for source in sources:
            if made >= notes:
                break
            relative = source.relative_to(CORPUS)
            folder = target if copy == 0 else target / f"copy-{copy}"
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8", errors="replace")
            if copy:
                text = _HEADING.sub(lambda m, n=copy: f"{m.group(1)}{m.group(2)} ({n})", text)
                text = text.replace("。", f"（第{copy}版）。", 3)
            path.write_text(text, encoding="utf-8")
            made += 1
        copy += 1
    return made, sum(p.stat().st_size for p in target.rglob("*.md")) / 1e6


def run(args: list[str], *, env: dict[str, str], timeout: float) -> tuple[float, str, bool]:
    """Wall seconds of one bagu command, its stdout, and whether it finished before `timeout`."""
    started = time.perf_counter()
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bagu", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, "", False
    return time.perf_counter() - started, out.stdout, True


def peak_rss_mb(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command in a fresh child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds, _, _ = run(args, env=env, timeout=3600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(after, before) / 1024


def search_p95(
    db: Path, vault: Path, mode: str, env: dict[str, str], *, exact: bool = False
) -> float:
    """p95 per query of `bagu search --batch` over the dev questions (models load once, not
    counted). `exact`: as before sign codes and one-thread searches, every chunk scored with the
    models' own threads."""
    queries = [
        json.loads(line)["query"]
        for line in DEV.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    before = (
        "import contextlib\nfrom bagu.search import semantic, service\n"
        "semantic.EXACT_UP_TO = 10**12; service.one_thread = contextlib.nullcontext\n"
    )
    code = (
        "import json,sys,time\n" + (before if exact else "") + "from pathlib import Path\n"
        "from bagu.search.embedders import load_signals\n"
        "from bagu.search.service import Searcher, SearchMode\n"
        "from bagu.store.db import connect\n"
        f"conn = connect(Path({str(db)!r}), create=False)\n"
        f"signals = [] if {mode!r} == 'lexical' else load_signals()\n"
        "s = Searcher(conn, signals)\n"
        f"qs = json.loads({json.dumps(queries, ensure_ascii=False)!r})\n"
        f"mode = SearchMode({mode!r})\n"
        "for q in qs[:5]: s.search(q, mode=mode)\n"
        "ms = []\n"
        "for q in qs:\n"
        "    t = time.perf_counter(); s.search(q, mode=mode); ms.append((time.perf_counter() - "
        "t) * 1000)\n"
        "print(json.dumps(ms))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    return statistics.quantiles(json.loads(out), n=20)[-1]


def e5_projection(db: Path, env: dict[str, str], slice_chunks: int = 300) -> tuple[float, int]:
    """Projected seconds for e5 to embed what it has left of this index, and how many chunks that
    is: its rate on a slice of title chunks and on a slice of body chunks, each applied to what is
    left of its kind (titles are short: a slice of titles alone, as embedding starts, made bodies
    look three times faster)."""
    code = (
        "import json,time\n"
        "from pathlib import Path\n"
        "from bagu.search.embedders import E5Embedder, load_signals\n"
        "from bagu.search.vector_sync import embed_vault, signal_progress\n"
        "from bagu.store.db import connect\n"
        f"conn = connect(Path({str(db)!r}), create=False)\n"
        "e5 = E5Embedder(); seconds = 0.0; left = 0\n"
        "for kind in ('title', 'body'):\n"
        "    signal = next(s for s in load_signals() if s.embedder.name == e5.name and s.kind == "
        "kind)._replace(embedder=e5)\n"
        "    t = time.perf_counter()\n"
        f"    done = embed_vault(conn, [signal], max_chunks={slice_chunks})\n"
        "    rate = done.embedded / max(time.perf_counter() - t, 1e-9)\n"
        "    rest = sum(total - d for d, total in signal_progress(conn, [signal]).values())\n"
        "    seconds += rest / max(rate, 1e-9); left += rest\n"
        "print(json.dumps([seconds, left]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    seconds, left = json.loads(out)
    return seconds, left


def fill_random_vectors(db: Path, env: dict[str, str]) -> float:
    """Give every default signal random unit vectors of its model's name and shape, through the real
    embedding pipeline (chunks, per-section limits, sqlite-vec): search time depends on how many
    vectors there are, not on what they say, and embedding the 10x vault for real would take hours.
    Returns the seconds it took."""
    code = (
        "import time\n"
        "import numpy as np\n"
        "from pathlib import Path\n"
        "from bagu.search.embedders import Signal, load_signals\n"
        "from bagu.search.vector_sync import embed_vault\n"
        "from bagu.store.db import connect\n"
        "class Random:\n"
        "    def __init__(self, real):\n"
        "        self.name, self.dimension, self.rng = real.name, real.dimension, "
        "np.random.default_rng(0)\n"
        "    def embed_documents(self, texts):\n"
        "        v = self.rng.standard_normal((len(texts), self.dimension)).astype(np.float32)\n"
        "        return v / np.linalg.norm(v, axis=1, keepdims=True)\n"
        "    def embed_query(self, text):\n"
        "        return self.embed_documents([text])[0]\n"
        f"conn = connect(Path({str(db)!r}), create=False)\n"
        "fakes = {}\n"
        "signals = [s._replace(embedder=fakes.setdefault(s.embedder.name, Random(s.embedder))) "
        "for s in load_signals()]\n"
        "t = time.perf_counter(); embed_vault(conn, signals); print(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def before_check(rev: str, vault: Path, scratch: Path, timeout: float) -> str:
    """`bagu check` at `rev` on an index made with --no-embed: how long until it finishes, or still
    running."""
    try:
        with bagu_at(rev) as env:
            db = scratch / "before.db"
            run(
                ["--db", str(db), "index", str(vault), "--no-embed", "--json"],
                env=env,
                timeout=3600,
            )
            seconds, _, finished = run(
                ["--db", str(db), "check", str(vault)], env=env, timeout=timeout
            )
    except WorktreeUnavailable as exc:
        return f"skipped ({exc})"
    return f"{seconds:.1f} s" if finished else f"still embedding after {timeout:.0f} s (killed)"


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--notes", type=int, default=450)
    parser.add_argument(
        "--before", default=BEFORE, help="the commit to compare `check` with ('' skips it)"
    )
    parser.add_argument("--before-timeout", type=float, default=60.0)
    parser.add_argument("--skip-models", action="store_true", help="lexical figures only")
    parser.add_argument(
        "--complete", action="store_true", help="run e5 to the end instead of projecting it"
    )
    parser.add_argument(
        "--random-vectors",
        action="store_true",
        help="instead of the models: random vectors of the right shape, for hybrid search "
        "latency at 10x",
    )
    args = parser.parse_args()
    env = {**os.environ}
    env.pop("BAGU_EMBEDDER", None)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        vault = scratch / "vault"
        notes, megabytes = build_vault(vault, args.notes)
        db = scratch / "bagu.db"
        print(f"vault: {notes} notes, {megabytes:.1f} MB (the corpus and edited copies of it)\n")
        lexical_seconds, rss = peak_rss_mb(
            ["--db", str(db), "index", str(vault), "--no-embed", "--json"], env
        )
        stats = json.loads(
            run(["--db", str(db), "stats", "--json", "-V", str(vault)], env=env, timeout=600)[1]
            or "{}"
        )
        sections = sum(folder["sections"] for folder in stats.get("folders", []))
        print(
            f"index --no-embed (lexical, links, cards ready)  {lexical_seconds:7.1f} s   peak "
            f"RSS {rss:.0f} MB   {sections} sections"
        )
        closed = {**env, "BAGU_EMBEDDER": CLOSED_PORT}
        seconds, _, _ = run(["--db", str(db), "check", str(vault)], env=closed, timeout=600)
        print(f"check on that index (no model may run)           {seconds:7.1f} s")
        if args.before:
            print(
                f"  the same at {args.before}:                    "
                f" {before_check(args.before, vault, scratch, args.before_timeout)}"
            )
        seconds, _, _ = run(
            ["--db", str(db), "index", str(vault), "--no-embed"], env=env, timeout=600
        )
        print(f"warm index, nothing changed                      {seconds:7.1f} s")
        print(
            f"lexical search p95                               "
            f" {search_p95(db, vault, 'lexical', env):7.1f} ms"
        )
        if args.random_vectors:
            seconds = fill_random_vectors(db, env)
            print(f"random vectors for every signal (not timed as embedding) {seconds:6.1f} s")
            print(
                f"hybrid search p95 (real query models, random "
                f"vectors) {search_p95(db, vault, 'hybrid', env):7.1f} ms"
            )
            exact = search_p95(db, vault, "hybrid", env, exact=True)
            print(
                f"  the same, every chunk scored, the models' own threads (before) {exact:7.1f} ms"
            )
            return
        if args.skip_models:
            return
        use_seconds, _, _ = run(
            ["--db", str(db), "index", str(vault)],
            env={**env, "BAGU_EMBEDDER": "use"},
            timeout=7200,
        )
        print(f"index with USE (hybrid search with the fast model) {use_seconds:7.1f} s")
        if args.complete:
            e5_seconds, _, _ = run(["--db", str(db), "index", str(vault)], env=env, timeout=7200)
            total = lexical_seconds + use_seconds + e5_seconds
            print(
                f"index with e5 too (the complete default index)    {e5_seconds:7.1f} s   in "
                f"all {total / 60:.1f} min"
            )
        else:
            seconds, left = e5_projection(db, env)
            print(
                f"e5 (the slow signal), projected: {left} chunks left ≈ {seconds / 60:.0f} min more"
            )
        print(
            f"hybrid search p95 (the signals that are "
            f"complete) {search_p95(db, vault, 'hybrid', env):7.1f} ms"
        )


if __name__ == "__main__":
    main()
