"""Experiment, not a feature: do English glosses of Chinese section titles, written by a local LLM,
help search?

English questions about Chinese notes miss where the English word and the Chinese heading share
nothing ("thundering herd" → 惊群, "overfitting" → 过拟合) and neither encoder bridges them. This
asks the configured OpenAI-compatible LLM (`BAGU_LLM_BASE_URL`, `BAGU_LLM_MODEL`; e.g. a llama.cpp
server) for a short English phrase per Chinese title, 12 titles per request, and writes a copy of an
index where each gloss is (1) appended to the section's heading-path column in FTS5 and (2) embedded
as one more title chunk by the default models. Then:
`python benchmarks/bench_search.py --db COPY.db`.

Measured on the corpus (2,013 titles; Qwen2.5-Coder-1.5B-Instruct Q4_K_M in llama.cpp, 2 cores, 34
min), hybrid Recall@5 / MRR@10 / nDCG@10 went 0.90 / 0.77 / 0.78 → 0.90 / 0.78 / 0.78 (English
questions 0.89 / 0.73 / 0.76 → 0.87 / 0.74 / 0.76), though lexical search alone went from 0.43 to
0.76 Recall@5 on the English questions: the first answer's rank rose for 19 questions and fell for
13, because a wrong gloss (心跳 → "Buffer in Redis psync") misleads as often as a right one (过拟合
→ "Overfitting") helps. Not worth a 1.1 GB model and half an hour per 2,000 sections, so bagu does
not do it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

from bagu.coach.llm import ChatClient, LLMConfig, load_llm_config
from bagu.search.chunks import TITLE, section_title
from bagu.search.embedders import load_signals
from bagu.search.tokenize import segment
from bagu.store.db import connect
from bagu.store.sqlite import sqlite3
from bagu.store.vectors import ensure_model, save_vectors
from bagu.vault.language import CJK

BATCH = 12
_NUMBERED = re.compile(r"\s*(\d+)\.\s*(.+)")
SYSTEM = (
    "You translate headings of Chinese technical notes into English. Each item is a note title "
    "and its "
    "heading path, separated by ›. Write one short English phrase saying what that last "
    "heading's section is "
    "about, using the standard English technical terms an engineer would search for. Keep "
    "product names as "
    "they are. Answer with exactly one line per item: the item number, a dot, the phrase."
)
# One worked example, on topics the dev set does not ask about.
EXAMPLE = (
    "1. nginx › 负载均衡\n2. 操作系统 › 死锁 › 必要条件\n3. jvm › 类加载 › 双亲委派",
    "1. Nginx load balancing\n2. necessary conditions for deadlock\n3. parent delegation model "
    "in JVM class loading",
)


def chinese_titles(conn: sqlite3.Connection) -> dict[str, list[int]]:
    """Each title (note name › heading path) with Chinese in it → the sections that have it."""
    titles: dict[str, list[int]] = {}
    rows = conn.execute(
        "SELECT s.id, d.path, s.heading_path FROM sections s JOIN documents d ON d.id = "
        "s.document_id"
    )
    for section_id, path, heading_path in rows:
        title = section_title(path, tuple(json.loads(heading_path)))
        if CJK.search(title):
            titles.setdefault(title, []).append(section_id)
    return titles


def gloss_batch(client: ChatClient, titles: list[str]) -> dict[str, str]:
    items = "\n".join(f"{i}. {title}" for i, title in enumerate(titles, 1))
    reply = client.chat(
        [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": EXAMPLE[0]},
            {"role": "assistant", "content": EXAMPLE[1]},
            {"role": "user", "content": items},
        ],
        max_tokens=25 * len(titles),
    )
    glosses = {}
    for line in reply.splitlines():
        match = _NUMBERED.match(line)
        if match and 1 <= int(match[1]) <= len(titles):
            glosses[titles[int(match[1]) - 1]] = match[2].strip()
    return glosses


def gloss_all(config: LLMConfig, titles: list[str], cache: Path) -> dict[str, str]:
    """Glosses for every title, resuming from (and appending to) the JSONL cache."""
    done: dict[str, str] = {}
    if cache.exists():
        done = {
            row["title"]: row["gloss"]
            for row in map(json.loads, cache.read_text(encoding="utf-8").splitlines())
        }
    todo = [title for title in titles if title not in done]
    client = ChatClient(config)
    try:
        with cache.open("a", encoding="utf-8") as out:
            for start in range(0, len(todo), BATCH):
                batch = todo[start : start + BATCH]
                glosses = gloss_batch(client, batch)
                for title in batch:
                    done[title] = glosses.get(title, "")
                    out.write(
                        json.dumps({"title": title, "gloss": done[title]}, ensure_ascii=False)
                        + "\n"
                    )
                print(
                    f"{start + len(batch)}/{len(todo)}  {batch[0]} → {glosses.get(batch[0], '')}",
                    flush=True,
                )
    finally:
        client.close()
    return done


def apply_glosses(
    conn: sqlite3.Connection, titles: dict[str, list[int]], glosses: dict[str, str]
) -> int:
    """Glosses into the FTS heading-path column and as extra title chunks, embedded by the default
    models."""
    chunks: list[tuple[int, str]] = []
    for title, section_ids in titles.items():
        gloss = glosses.get(title, "")
        for section_id in section_ids if gloss else ():
            conn.execute(
                "UPDATE section_fts SET heading_path = heading_path || ' ' || ? WHERE rowid = ?",
                (segment(gloss), section_id),
            )
            (sha,) = conn.execute(
                "SELECT content_sha256 FROM sections WHERE id = ?", (section_id,)
            ).fetchone()
            cursor = conn.execute(
                "INSERT INTO chunks(section_id, ordinal, kind, text, section_sha) VALUES (?, "
                "10000, ?, ?, ?)",
                (section_id, TITLE, gloss, sha),
            )
            chunks.append((int(cursor.lastrowid or 0), gloss))
    conn.commit()
    embedders = {signal.embedder.name: signal.embedder for signal in load_signals()}
    for embedder in embedders.values():
        info = ensure_model(conn, embedder.name, embedder.dimension)
        vectors = embedder.embed_documents([text for _, text in chunks])
        save_vectors(
            conn,
            info,
            [
                (chunk_id, vector.tolist())
                for (chunk_id, _), vector in zip(chunks, vectors, strict=True)
            ],
        )
    return len(chunks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", type=Path, required=True, help="an index built by `bagu index` (left unchanged)"
    )
    parser.add_argument("--out", type=Path, required=True, help="the copy to write, with glosses")
    parser.add_argument(
        "--cache", type=Path, help="glosses JSONL (default: OUT with .glosses.jsonl)"
    )
    args = parser.parse_args()
    config = load_llm_config()
    if config is None:
        raise SystemExit("set BAGU_LLM_BASE_URL and BAGU_LLM_MODEL to an OpenAI-compatible server")
    shutil.copyfile(args.db, args.out)
    conn = connect(args.out)
    titles = chinese_titles(conn)
    print(f"{len(titles)} titles with Chinese in them")
    glosses = gloss_all(config, list(titles), args.cache or args.out.with_suffix(".glosses.jsonl"))
    print(f"{apply_glosses(conn, titles, glosses)} gloss chunks added to {args.out}")
    conn.close()


if __name__ == "__main__":
    main()
