"""The link report as SARIF 2.1.0, the format GitHub code scanning and other CI dashboards read.

Pure: one result per broken link, one rule per reason, repairs as SARIF `fixes` so a viewer can
offer them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bagu import __version__
from bagu.links.check import CheckedLink, LinkReport
from bagu.links.resolve import Status
from bagu.store.links import ExternalAnswer, StoredLink
from bagu.vault.model import Link

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_RULES = {
    Status.MISSING_FILE: "The link points at a file that is not in the vault.",
    Status.MISSING_ANCHOR: "The link's #anchor matches no heading of the note it points at.",
    Status.AMBIGUOUS_WIKILINK: "Several notes have the name this [[wikilink]] uses.",
    Status.CASE_MISMATCH: "The file exists with other letter case: works on macOS and Windows, "
    "breaks on Linux and GitHub.",
    Status.ABSOLUTE_PATH: "The link is an absolute path on one computer: it breaks everywhere "
    "else.",
    Status.WORKS_ON_SITE: "A permalink: works on the published site, not as a link between the "
    "files.",
    Status.OUTSIDE_VAULT: "The link leads outside the vault (or the site's folder), where bagu "
    "does not look.",
    Status.EMPTY: "The link has no destination.",
}
EXTERNAL_RULE = "external-broken"


def to_sarif(report: LinkReport, vault: Path) -> dict[str, Any]:
    rules = [
        {
            "id": status.value,
            "shortDescription": {"text": text},
            "defaultConfiguration": {"level": _level(status)},
        }
        for status, text in _RULES.items()
    ]
    rules.append(
        {
            "id": EXTERNAL_RULE,
            "shortDescription": {
                "text": "An http(s) link did not answer OK (checked with --external)."
            },
            "defaultConfiguration": {"level": "error"},
        }
    )
    results = [_result(item) for item in (*report.broken, *report.notices)]
    results += [_external_result(stored, answer) for stored, answer in report.external_problems]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bagu",
                        "version": __version__,
                        "informationUri": "https://github.com/bagu-notes/bagu",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"VAULT": {"uri": vault.as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def _level(status: Status) -> str:
    if not status.is_error:
        return "note"
    return "warning" if status is Status.CASE_MISMATCH else "error"


def _location(path: str, link: Link) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path, "uriBaseId": "VAULT"},
            "region": {"startLine": link.line, "startColumn": link.column},
        }
    }


def _external_result(stored: StoredLink, answer: ExternalAnswer) -> dict[str, Any]:
    status = f"HTTP {answer.http_status}" if answer.http_status else answer.detail
    return {
        "ruleId": EXTERNAL_RULE,
        "level": "warning" if answer.outcome == "blocked" else "error",
        "message": {"text": f"{answer.url}: {answer.outcome} ({status})"},
        "locations": [_location(stored.source_path, stored.link)],
    }


def _result(item: CheckedLink) -> dict[str, Any]:
    link = item.link
    location = _location(item.source_path, link)
    detail = item.resolution.detail or item.resolution.status.value
    message = f"[{link.text}]({link.raw_target}): {detail}"
    if item.repairs:
        message += f". Did you mean {item.repairs[0].destination}?"
    result: dict[str, Any] = {
        "ruleId": item.resolution.status.value,
        "level": _level(item.resolution.status),
        "message": {"text": message},
        "locations": [location],
    }
    if item.repairs:
        result["fixes"] = [
            {
                "description": {"text": f"{r.suggestion.reason} ({r.suggestion.confidence:.0%})"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": item.source_path, "uriBaseId": "VAULT"},
                        # The region is the link's start; the replacement is its new destination.
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": link.line,
                                    "startColumn": link.column,
                                },
                                "insertedContent": {"text": r.destination},
                            }
                        ],
                    }
                ],
            }
            for r in item.repairs
        ]
    return result
