"""Write `grade_dev.jsonl`: typed answers to cards, each with the rating a careful human interviewer
would give.

Written by hand, in both languages, in the shapes bagu's cards take (question headings, clozes,
lists, translation pairs, explicit cards). Ratings: 1 again (wrong, empty, parroting, off-topic), 2
hard (part of it), 3 good (most of it), 4 easy (all of it). English answers to Chinese notes are
included on purpose: only the semantic grader can credit them. Run:
`python benchmarks/data/make_grade_dev.py`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GROUPS: list[dict[str, Any]] = [
    {
        "kind": "question",
        "question": "TCP › 为什么是三次握手",
        "reference": "三次握手是为了确认双方的发送和接收能力都正常，并同步双方的初始序列号。"
        "两次握手无法防止已失效的连接请求报文突然又传到服务端，造成资源浪费。",
        "answers": [
            ("", 1),
            ("为什么是三次握手", 1),
            (
                "要确认双方的发送和接收能力都正常，同步初始序列号，还要防止已失效的连接请求又传到服务端浪费资源",
                4,
            ),
            ("确认双方收发能力正常，同步初始序列号", 2),
            (
                "To make sure both sides can send and receive and to agree on the initial "
                "sequence numbers; "
                "two handshakes could not stop a stale, delayed connection request from reaching "
                "the server "
                "and wasting resources.",
                4,
            ),
            ("TCP 使用滑动窗口进行流量控制", 1),
        ],
    },
    {
        "kind": "cloze",
        "question": "Redis 的持久化方式有 RDB 和 ［…］ 两种",
        "reference": "AOF",
        "answers": [("AOF", 4), ("aof", 4), ("RDB", 1), ("", 1), ("append only file", 3)],
    },
    {
        "kind": "list",
        "question": "HTTP 缓存 — 列出 3 点 (name the 3 points)",
        "reference": "1. 强缓存：Expires 和 Cache-Control\n2. 协商缓存：Last-Modified 和 "
        "If-Modified-Since\n"
        "3. 协商缓存：ETag 和 If-None-Match",
        "answers": [
            (
                "强缓存 Expires、Cache-Control；协商缓存 Last-Modified/If-Modified-Since 和 "
                "ETag/If-None-Match",
                4,
            ),
            ("Cache-Control, ETag", 2),
            ("强缓存和协商缓存", 2),
            ("cookie 和 session", 1),
        ],
    },
    {
        "kind": "zh-en",
        "question": "用英文说 (say it in English): 进程是资源分配的最小单位，线程是CPU调度的最小"
        "单位。",
        "reference": "A process is the smallest unit of resource allocation, and a thread is the "
        "smallest unit "
        "of CPU scheduling.",
        "answers": [
            (
                "A process is the smallest unit of resource allocation, and a thread is the "
                "smallest unit of CPU scheduling.",
                4,
            ),
            (
                "Process is the minimum unit for allocating resources; a thread is the minimum "
                "unit the CPU schedules",
                3,
            ),
            ("A thread is lighter than a process", 1),
            ("process: resources, thread: CPU", 2),
        ],
    },
    {
        "kind": "en-zh",
        "question": "用中文说 (say it in Chinese): Redis is fast because it keeps data in memory "
        "and uses a single "
        "thread with IO multiplexing.",
        "reference": "Redis 快是因为数据存在内存中，并且使用单线程加 IO 多路复用。",
        "answers": [
            ("因为数据在内存里，单线程，IO多路复用", 4),
            ("数据存在内存中", 2),
            ("Redis 很快", 1),
            ("", 1),
        ],
    },
    {
        "kind": "question",
        "question": "MySQL › 索引失效的场景",
        "reference": "以下情况索引会失效：对索引列使用函数、隐式类型转换、like 以 % 开头、不满足"
        "最左前缀。",
        "bold": ["对索引列使用函数", "隐式类型转换", "like 以 % 开头", "不满足最左前缀"],
        "answers": [
            ("对索引列用函数，隐式类型转换，like 以 % 开头，违反最左前缀原则", 4),
            ("用了函数和类型转换", 2),
            ("没有建索引", 1),
            (
                "Applying a function to the indexed column, an implicit type conversion, a LIKE "
                "pattern that "
                "starts with %, and a query that skips the leftmost prefix.",
                4,
            ),
        ],
    },
    {
        "kind": "question",
        "question": "Kafka › 为什么快",
        "reference": "Kafka 快的原因：\n- 顺序写磁盘\n- 使用 page cache\n- 零拷贝（sendfile）\n- "
        "批量发送和压缩",
        "list_items": ["顺序写磁盘", "使用 page cache", "零拷贝（sendfile）", "批量发送和压缩"],
        "answers": [
            ("顺序写磁盘，零拷贝，批量发送加压缩，利用 page cache", 4),
            ("零拷贝", 2),
            (
                "sequential disk writes, the page cache, zero copy with sendfile, batching and "
                "compression",
                4,
            ),
            ("因为 Kafka 是用 Java 写的", 1),
        ],
    },
    {
        "kind": "question",
        "question": "Go › sync.Mutex vs RWMutex",
        "reference": "Mutex allows one goroutine at a time. RWMutex allows many readers or one "
        "writer, so it "
        "suits read-heavy workloads.",
        "answers": [
            (
                "Mutex lets one goroutine at a time in; RWMutex allows many readers or one "
                "writer, good for read-heavy loads",
                4,
            ),
            (
                "Mutex 同一时间只允许一个 goroutine；RWMutex 允许多个读者或一个写者，适合读多写少"
                "的场景",
                4,
            ),
            ("RWMutex is faster", 1),
            ("sync.Mutex vs RWMutex", 1),
        ],
    },
    {
        "kind": "cloze",
        "question": "The TIME_WAIT state lasts ［…］ so that delayed segments of the old "
        "connection expire.",
        "reference": "2MSL",
        "answers": [
            ("2MSL", 4),
            ("2 MSL", 4),
            ("60 seconds", 1),
            ("twice the maximum segment lifetime", 3),
        ],
    },
    {
        "kind": "question",
        "question": "Redis › 哨兵的作用",
        "reference": "哨兵负责监控主从节点，在主节点故障时自动进行故障转移，选出新的主节点。"
        "Sentinel monitors the master and replicas and performs automatic failover when the "
        "master fails.",
        "pairs": [
            [
                "哨兵负责监控主从节点，在主节点故障时自动进行故障转移，选出新的主节点。",
                "Sentinel monitors the master and replicas and performs automatic failover when "
                "the master fails.",
            ]
        ],
        "answers": [
            (
                "It monitors the master and the replicas and does an automatic failover when the "
                "master fails",
                4,
            ),
            ("监控主从节点，主节点故障时自动故障转移", 3),
            ("哨兵", 1),
        ],
    },
    {
        "kind": "question",
        "question": "JVM › 双亲委派模型",
        "reference": "类加载器收到加载请求时，先委托父加载器去加载，只有父加载器无法完成时才由自"
        "己加载。"
        "好处是避免类的重复加载，并保护核心类库不被篡改。",
        "answers": [
            (
                "先委托父加载器加载，父加载器加载不了才自己加载；避免类的重复加载，保护核心类库不被篡改",
                4,
            ),
            ("保证安全", 1),
            (
                "A class loader first delegates loading to its parent and loads the class itself "
                "only when the "
                "parent cannot; this avoids loading a class twice and protects the core classes "
                "from being replaced.",
                4,
            ),
        ],
    },
    {
        "kind": "explicit",
        "question": "HashMap 的默认负载因子",
        "reference": "0.75",
        "answers": [("0.75", 4), ("0.5", 1), ("负载因子默认是 0.75", 4)],
    },
]


def main() -> None:
    out = Path(__file__).with_name("grade_dev.jsonl")
    lines = []
    for group_no, group in enumerate(GROUPS, 1):
        for answer_no, (answer, expected) in enumerate(group["answers"], 1):
            item = {k: v for k, v in group.items() if k != "answers"}
            lines.append(
                json.dumps(
                    {
                        "id": f"g{group_no}.{answer_no}",
                        **item,
                        "answer": answer,
                        "expected": expected,
                    },
                    ensure_ascii=False,
                )
            )
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} triples → {out}")


if __name__ == "__main__":
    main()
