"""Link resolution across conventions, table-driven on the example vault and on small cases."""

from __future__ import annotations

import pytest

from bagu.links.resolve import Convention, Status, resolve_link, targets_from_documents
from bagu.vault.decode import decode_note
from bagu.vault.markdown import parse_document
from bagu.vault.scan import walk_vault
from tests.conftest import EXAMPLE_VAULT


def test_example_vault_has_exactly_its_four_deliberately_broken_links() -> None:
    docs = [
        parse_document(n.path, decode_note(n.absolute.read_bytes()).text)
        for n in walk_vault(EXAMPLE_VAULT)
    ]
    targets = targets_from_documents(docs)
    broken = []
    conventions = set()
    for doc in docs:
        for link in doc.links:
            resolution = resolve_link(doc.path, link, targets)
            if resolution.status is not Status.OK:
                broken.append((doc.path, link.line, resolution.status, link.raw_target))
            elif resolution.convention:
                conventions.add(resolution.convention)
    assert broken == [
        ("八股文.md", 11, Status.MISSING_FILE, "network/tcp-state.md"),
        ("八股文.md", 19, Status.MISSING_ANCHOR, "db/mysql-transaction.md#MVCC 实现"),
        ("八股文.md", 38, Status.MISSING_ANCHOR, "language/python-gc.md#标记清除"),
        ("八股文.md", 40, Status.MISSING_ANCHOR, "language/go-scheduler.md#GMP 模型]"),
    ]
    assert conventions == {Convention.RAW, Convention.GITHUB, Convention.EXPLICIT}


NOTES = {
    "a/source.md": "# Top\n\n## Child\n\ntext ^blk-1\n\n# Other\n\n## Child\n",
    "a/Target.md": "# Redis 为什么快？\n\n## **Bold** heading\n",
    "b/dup.md": "# x\n",
    "c/dup.md": "# y\n",
}


@pytest.mark.parametrize(
    ("written", "status", "target", "convention"),
    [
        ("[x](#child)", Status.OK, "a/source.md", Convention.GITHUB),
        ("[x](#child-1)", Status.OK, "a/source.md", Convention.GITHUB),
        ("[[#Other#Child]]", Status.OK, "a/source.md", Convention.RAW),
        ("[[source#^blk-1]]", Status.OK, "a/source.md", Convention.BLOCK),
        ("[x](Target.md#redis-为什么快)", Status.OK, "a/Target.md", Convention.GITHUB),
        ("[x](Target.md#Redis%20为什么快？)", Status.OK, "a/Target.md", Convention.RAW),
        ("[[Target#bold heading]]", Status.OK, "a/Target.md", Convention.TEXT),
        ("[x](/b/dup.md)", Status.OK, "b/dup.md", None),
        ("[x](target.md)", Status.CASE_MISMATCH, "a/Target.md", None),
        ("[x](../../etc/passwd)", Status.OUTSIDE_VAULT, None, None),
        ("[[dup]]", Status.AMBIGUOUS_WIKILINK, "b/dup.md", None),
        ("[[c/dup]]", Status.OK, "c/dup.md", None),
        ("[[nothing]]", Status.MISSING_FILE, None, None),
        ("[x](Target.md#nope)", Status.MISSING_ANCHOR, "a/Target.md", None),
        ("<https://example.com>", Status.EXTERNAL, "https://example.com", None),
    ],
)
def test_resolution(
    written: str, status: Status, target: str | None, convention: Convention | None
) -> None:
    docs = [parse_document(path, text) for path, text in NOTES.items()]
    link = parse_document("a/source.md", written + "\n").links[0]
    resolution = resolve_link("a/source.md", link, targets_from_documents(docs))
    assert (resolution.status, resolution.target_path, resolution.convention) == (
        status,
        target,
        convention,
    )
