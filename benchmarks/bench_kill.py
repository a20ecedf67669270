"""`kill -9` at random moments of `bagu index` and `bagu fix --apply`: nothing is lost, nothing is
left behind.

A vault of a few hundred notes (the shared corpus, the example vault and generated notes whose links
`fix` can repair) is indexed, then each trial edits some notes, starts a command, and kills it with
SIGKILL at a random moment of its usual run time (every other fix trial: within 50 ms of its first
write, so that kills land among the writes). After each trial:
- every note is either its old bytes or its fully fixed bytes (fix trials), never half of each;
- the next `bagu index` leaves no `.bagu-tmp` file behind, its database passes
  `PRAGMA integrity_check` and it holds the same notes, sections, links, search text and active
  cards as a clean rebuild.
Embedding is off (BAGU_EMBEDDER=none) unless --embed: a trial then takes minutes, not seconds.
Run: `python benchmarks/bench_kill.py [--trials 20] [--seed 1]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "interview-notes"
EXAMPLE = ROOT / "examples" / "vault"
PAIRS = 100  # generated note pairs, each with a link `fix` repairs confidently
TEMP_SUFFIX = ".bagu-tmp"


def build_vault(target: Path) -> None:
    if CORPUS.is_dir():
        shutil.copytree(CORPUS, target / "corpus")
    shutil.copytree(EXAMPLE, target / "example", ignore=shutil.ignore_patterns(".bagu"))
    gen = target / "gen"
    gen.mkdir()
    for i in range(PAIRS):
        (gen / f"target-{i:03}.md").write_text(
            f"# 调度 {i}\n\n## 高级调度能力\n\n节点亲和性 nodeAffinity 与污点容忍 {i}。\n\n## "
            f"Scheduler Extender\n\n扩展 {i}\n",
            encoding="utf-8",
        )
        (gen / f"source-{i:03}.md").write_text(
            f"# 笔记 {i}\n\n见 [调度](target-{i:03}.md#高级调度) 和 [扩"
            f"展](target-{i:03}.md#Scheduler Extender]).\n\n"
            + "".join(f"## 小节 {j}\n\nRedis 持久化 RDB AOF 段落 {i}-{j}。\n\n" for j in range(8)),
            encoding="utf-8",
        )


def bagu(db: Path, *args: str, embed: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, **({} if embed else {"BAGU_EMBEDDER": "none"})}
    command = [sys.executable, "-m", "bagu", "--db", str(db), *args]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def run(db: Path, *args: str, embed: bool) -> float:
    started = time.perf_counter()
    process = bagu(db, *args, embed=embed)
    _, errors = process.communicate()
    if process.returncode not in (0, 1):  # `check` style exit 1 is not a failure here
        raise SystemExit(f"bagu {' '.join(args)} failed: {errors.decode(errors='replace')[-2000:]}")
    return time.perf_counter() - started


def kill_at(db: Path, args: tuple[str, ...], after: float, embed: bool) -> bool:
    """Start the command and SIGKILL it `after` seconds in; True when it was still running."""
    process = bagu(db, *args, embed=embed)
    try:
        process.wait(timeout=after)
        return False
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return True


def kill_while_writing(db: Path, vault: Path, after: float, embed: bool) -> bool:
    """Start `fix --apply`, wait for its first backup (the writes begin), SIGKILL it `after` seconds
    later."""
    backups = vault / ".bagu" / "backups"
    before = set(backups.iterdir()) if backups.is_dir() else set()
    process = bagu(db, "fix", str(vault), "--apply", embed=embed)
    while process.poll() is None and not (
        set(backups.iterdir()) - before if backups.is_dir() else set()
    ):
        time.sleep(0.002)
    time.sleep(after)
    if process.poll() is not None:
        return False
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return True


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a clean rebuild must also hold, without ids (they differ between databases by
    design)."""
    conn = sqlite3.connect(db)
    try:
        queries = {
            "documents": "SELECT path, sha256, title, lang, line_count, encoding FROM documents",
            "sections": "SELECT d.path, s.ordinal, s.heading_path, s.body, s.line_start, "
            "s.line_end, s.anchor_github,"
            " s.spans FROM sections s JOIN documents d ON d.id = s.document_id",
            "links": "SELECT d.path, l.line, l.col, l.kind, l.raw_target, l.target_path, "
            "l.target_anchor"
            " FROM links l JOIN documents d ON d.id = l.document_id",
            "search text": "SELECT d.path, s.ordinal, f.heading, f.body FROM section_fts f"
            " JOIN sections s ON s.id = f.rowid JOIN documents d ON d.id = s.document_id",
            "active cards": "SELECT key, kind, front, back, sources FROM cards WHERE status = "
            "'active'",
        }
        return {
            name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in queries.items()
        }
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def leftovers(vault: Path) -> list[Path]:
    return [p for p in vault.rglob(f"*{TEMP_SUFFIX}")]


def note_bytes(vault: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(vault)): p.read_bytes()
        for p in vault.rglob("*.md")
        if ".bagu" not in p.parts
    }


def edit_some(vault: Path, rng: random.Random, trial: int) -> None:
    """Give the next index work: append to a tenth of the notes, delete one generated section,
    rename one."""
    notes = sorted(p for p in vault.rglob("*.md") if ".bagu" not in p.parts)
    for path in rng.sample(notes, max(1, len(notes) // 10)):
        with path.open("a", encoding="utf-8") as out:
            out.write(f"\n## 追加 {trial}\n\n修改 trial {trial} 的内容 appended text.\n")
    sources = sorted((vault / "gen").glob("source-*.md"))
    victim = rng.choice(sources)
    victim.rename(victim.with_name(f"moved-{trial}-{victim.name}"))


def check_after(vault: Path, db: Path, scratch: Path, embed: bool) -> list[str]:
    """Run the next `bagu index`, then compare with a clean rebuild; returns what went wrong."""
    problems = []
    run(db, "index", str(vault), embed=embed)
    if found := leftovers(vault):
        problems.append(f"{len(found)} temporary file(s) left: {found[:3]}")
    if (verdict := integrity(db)) != "ok":
        problems.append(f"integrity_check: {verdict}")
    clean = scratch / f"clean-{time.monotonic_ns()}.db"
    run(clean, "index", str(vault), embed=embed)
    ours, theirs = snapshot(db), snapshot(clean)
    for name in ours:
        if ours[name] != theirs[name]:
            missing = len(set(theirs[name]) - set(ours[name]))
            extra = len(set(ours[name]) - set(theirs[name]))
            problems.append(f"{name} differ from a clean rebuild: {missing} missing, {extra} extra")
    for suffix in ("", "-wal", "-shm"):
        Path(str(clean) + suffix).unlink(missing_ok=True)
    return problems


def index_trials(
    vault: Path, db: Path, scratch: Path, args: argparse.Namespace, rng: random.Random
) -> list[str]:
    run(db, "index", str(vault), embed=args.embed)
    edit_some(vault, rng, 0)
    # how long a trial's index takes when left alone
    usual = run(db, "index", str(vault), embed=args.embed)
    failures, killed = [], 0
    for trial in range(1, args.trials + 1):
        edit_some(vault, rng, trial)
        killed += kill_at(db, ("index", str(vault)), rng.uniform(0.05, usual), args.embed)
        failures += [
            f"index trial {trial}: {p}" for p in check_after(vault, db, scratch, args.embed)
        ]
    print(
        f"bagu index:       {args.trials} trials, {killed} killed mid-run (usual "
        f"run {usual:.1f} s), "
        f"{args.trials - len({f.split(':')[0] for f in failures})} clean"
    )
    return failures


def fix_trials(
    vault: Path, db: Path, scratch: Path, args: argparse.Namespace, rng: random.Random
) -> list[str]:
    pristine = note_bytes(vault)
    run(db, "index", str(vault), embed=args.embed)
    started = time.perf_counter()
    run(db, "fix", str(vault), "--apply", embed=args.embed)
    usual = time.perf_counter() - started
    fixed = note_bytes(vault)
    changed = sum(pristine[p] != fixed[p] for p in pristine)
    failures, killed, partial = [], 0, 0
    for trial in range(1, args.trials + 1):
        # back to the broken links, as a person's vault would be
        for path, data in pristine.items():
            if (vault / path).read_bytes() != data:
                (vault / path).write_bytes(data)
        run(db, "index", str(vault), embed=args.embed)
        if trial % 2:  # any moment of the run, or (every other trial) while it writes the notes
            killed += kill_at(
                db, ("fix", str(vault), "--apply"), rng.uniform(0.05, usual), args.embed
            )
        else:
            killed += kill_while_writing(db, vault, rng.uniform(0.0, 0.05), args.embed)
        now = note_bytes(vault)
        torn = [p for p in pristine if now.get(p) not in (pristine[p], fixed[p])]
        partial += any(now[p] == fixed[p] != pristine[p] for p in pristine) and any(
            now[p] == pristine[p] != fixed[p] for p in pristine
        )
        failures += [f"fix trial {trial}: {p} is neither old nor fixed" for p in torn]
        failures += [f"fix trial {trial}: {p}" for p in check_after(vault, db, scratch, args.embed)]
    print(
        f"bagu fix --apply: {args.trials} trials, {killed} killed mid-run (usual "
        f"run {usual:.1f} s, "
        f"{changed} notes repaired), {partial} stopped between notes, "
        f"{args.trials - len({f.split(':')[0] for f in failures})} clean"
    )
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--embed", action="store_true", help="use the embedding models (slow)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        vault = scratch / "vault"
        build_vault(vault)
        print(f"vault: {len(note_bytes(vault))} notes; {args.trials} trials each, seed {args.seed}")
        db = scratch / "bagu.db"
        failures = index_trials(vault, db, scratch, args, rng)
        failures += fix_trials(vault, db, scratch, args, rng)
    for failure in failures:
        print("FAIL", failure)
    print(json.dumps({"failures": len(failures)}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
