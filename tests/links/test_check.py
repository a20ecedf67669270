"""`check_links` over real indexed vaults: the bad input the issue lists, orphans, backlinks,
SARIF."""

from __future__ import annotations

from pathlib import Path

from bagu.links.graph import links_of_note
from bagu.links.resolve import Status
from bagu.links.sarif import to_sarif
from bagu.store.sqlite import sqlite3
from tests.links.conftest import CheckVault

SOURCE = """# Links

Inline code `[x](missing.md)` and a fence are not links:

```markdown
[y](also-missing.md)
```

[nested [brackets]](target.md#a-heading)
[parens](target(1).md)
[ref][nowhere]
[empty]()
[top](#)
[emoji](target.md#-emoji-heading)
[full width](target.md#为什么快？)
![image](img/pic.png)
![missing image](img/gone.png)
[pdf](docs/paper.pdf)
[folder](img)
[escape](../../etc/passwd)
[root](/target.md)
"""

NOTES = {
    "source.md": SOURCE,
    "target.md": "# Target\n\n## A heading\n\n## 🚀 Emoji heading\n\n## 为什么快？\n",
    "target(1).md": "# One\n",
    "img/pic.png": b"\x89PNG\r\n\x1a\n",
    "docs/paper.pdf": b"%PDF-1.4",
    "lonely.md": "# Nobody links here\n",
}


def test_bad_input_is_reported_exactly(check: CheckVault) -> None:
    report = check(NOTES)
    broken = {
        (b.link.line, b.resolution.status) for b in report.broken if b.source_path == "source.md"
    }
    assert broken == {(17, Status.MISSING_FILE)}  # the missing image
    notices = {
        (b.link.line, b.resolution.status) for b in report.notices if b.source_path == "source.md"
    }
    assert notices == {
        (12, Status.EMPTY),  # [empty](): a warning, not broken
        (20, Status.OUTSIDE_VAULT),  # ../../etc/passwd, never followed, reported apart
    }
    assert (
        "no destination" in next(b for b in report.notices if b.link.line == 12).resolution.detail
    )
    assert not report.is_clean  # the missing image


def test_orphans_are_notes_nothing_else_links_to(check: CheckVault) -> None:
    report = check({**NOTES, "self.md": "# Self\n\n[me](#self)\n"})
    assert report.orphans == ["lonely.md", "self.md", "source.md"]


def test_backlinks_name_the_linking_note_and_line(
    check: CheckVault, conn: sqlite3.Connection, vault: Path
) -> None:
    check(NOTES)
    graph = links_of_note(conn, vault, "target.md")
    assert sorted((s.source_path, s.link.line) for s, _ in graph.backlinks) == [
        ("source.md", 9),
        ("source.md", 14),
        ("source.md", 15),
        ("source.md", 21),
    ]
    assert graph.outgoing == []


def test_sarif_has_one_result_per_broken_link_with_fixes(check: CheckVault, vault: Path) -> None:
    report = check({**NOTES, "more.md": "# M\n\n[t](targte.md)\n"})
    sarif = to_sarif(report, vault)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "bagu"
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert len(run["results"]) == len(report.broken) + len(report.notices) == 4
    levels = sorted(result["level"] for result in run["results"])
    # the empty link and ../../etc/passwd are notes
    assert levels == ["error", "error", "note", "note"]
    for result in run["results"]:
        assert result["ruleId"] in rule_ids
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    typo = next(
        r
        for r in run["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "more.md"
    )
    assert (
        typo["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
        == "target.md"
    )
