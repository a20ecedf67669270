"""`bagu check` beside remark-validate-links and markdown-link-check on a real vault, in the same
run.

Figures: wall time of each tool over the whole vault (bagu cold = index + check, warm = index up to
date), how many broken links each reports, and, on the summary page `八股文.md`, how each tool's
report compares with the 20 broken links a person verified by reading the notes (see
tests/links/test_corpus_links.py). The npm tools are installed by this script into a scratch folder
(npm registry needed once). Then each fixture vault of benchmarks/vaults/ (Jekyll, mdBook, Obsidian,
Typora, VuePress: written in each one's conventions, with a hand-made truth.json) against its truth,
beside the same two tools. Run: `make bench` or `python benchmarks/bench_links.py [VAULT]`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_VAULT = ROOT.parent / "shared" / "corpus" / "interview-notes"
PUBLISHER_VAULTS = ROOT / "benchmarks" / "vaults"
NPM_DIR = Path(tempfile.gettempdir()) / "bagu-bench-npm"
NPM_PACKAGES = ["remark-cli@12", "remark-validate-links@13", "markdown-link-check@3"]
SUMMARY = "八股文.md"
# Lines of 八股文.md whose links are broken, verified by hand against the notes.
VERIFIED_BROKEN = {
    15,
    200,
    287,
    405,
    414,
    814,
    880,
    935,
    939,
    941,
    943,
    945,
    1097,
    1407,
    1857,
    1864,
    1868,
    2085,
    2419,
    2423,
}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _timed(
    command: list[str], cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run a command; stdout and stderr interleaved in one stream (the npm tools split their
    report)."""
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900
    )
    return result, time.perf_counter() - started


def _install_npm_tools() -> Path | None:
    binaries = NPM_DIR / "node_modules" / ".bin"
    if (binaries / "remark").exists() and (binaries / "markdown-link-check").exists():
        return binaries
    if shutil.which("npm") is None:
        return None
    NPM_DIR.mkdir(parents=True, exist_ok=True)
    command = [
        "npm",
        "install",
        "--no-audit",
        "--no-fund",
        "--silent",
        "--prefix",
        str(NPM_DIR),
        *NPM_PACKAGES,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    return binaries if result.returncode == 0 else None


def _bagu(vault: Path, db: Path) -> tuple[dict[str, object], float]:
    command = [sys.executable, "-m", "bagu", "--db", str(db), "check", str(vault), "--json"]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"bagu check failed: {result.stderr}")
    return json.loads(result.stdout), seconds


def _remark(binaries: Path, vault: Path) -> tuple[set[tuple[str, int]], float]:
    # Plugins resolve from the working folder, so run from the scratch npm folder.
    command = [
        str(binaries / "remark"),
        "--use",
        "remark-validate-links=repository:false",
        "--no-color",
        "--quiet",
        str(vault),
    ]
    result, seconds = _timed(command, cwd=NPM_DIR)
    found: set[tuple[str, int]] = set()
    current = ""
    for line in ANSI.sub("", result.stdout).splitlines():
        if match := re.match(r"\s*(\d+):\d+(?:-\d+:\d+)?\s+warning\s", line):
            found.add((current, int(match.group(1))))
        elif line and not line[0].isspace() and not line.startswith(("⚠", "✖")):
            current = str((NPM_DIR / line.strip()).resolve().relative_to(vault.resolve()))
    return found, seconds


def _markdown_link_check(binaries: Path, vault: Path) -> tuple[set[tuple[str, str]], float]:
    config = vault.parent / "mlc.json"
    config.write_text(json.dumps({"ignorePatterns": [{"pattern": "^https?://"}]}), encoding="utf-8")
    result, seconds = _timed(
        [str(binaries / "markdown-link-check"), "-q", "-c", str(config), "."], cwd=vault
    )
    found: set[tuple[str, str]] = set()
    current = ""
    for line in ANSI.sub("", result.stdout).splitlines():
        if match := re.search(r"dead links? found in (.+?) !", line):
            current = match.group(1)
        elif match := re.match(r"\s*\[✖\] (.+?) → ", line):
            found.add((current, unquote(match.group(1))))
    return found, seconds


def _score(reported: set[int]) -> str:
    hits = len(reported & VERIFIED_BROKEN)
    false = len(reported - VERIFIED_BROKEN)
    return f"{hits:>3}/{len(VERIFIED_BROKEN)} found, {false:>2} false alarms"


@dataclass(frozen=True)
class Truth:
    """A fixture vault's hand-made truth: which links are broken, and which are reported apart (and
    why)."""

    broken: set[tuple[str, int]]
    broken_targets: set[tuple[str, str]]
    apart: set[tuple[str, int, str]]  # (file, line, category): works-on-site, outside-vault, empty

    @classmethod
    def load(cls, vault: Path) -> Truth:
        expect = json.loads((vault / "truth.json").read_text(encoding="utf-8"))["expect"]
        broken = [e for e in expect if e["category"] == "broken"]
        return cls(
            {(e["file"], e["line"]) for e in broken},
            {(e["file"], unquote(e["target"]).strip("<>")) for e in broken},
            {(e["file"], e["line"], e["category"]) for e in expect if e["category"] != "broken"},
        )

    def score(self, reported: set[tuple[str, int]]) -> str:
        found, false = len(reported & self.broken), len(reported - self.broken)
        return f"{found:>3}/{len(self.broken)} broken found, {false:>3} false alarms"


def _publisher_vaults(binaries: Path | None) -> None:
    """Each fixture vault of benchmarks/vaults/ (one per publisher, with its truth.json), bagu
    beside the npm tools."""
    print(f"\n{'fixture vault':<12}{'tool':<32}{'seconds':>8}   against its truth.json")
    for fixture in sorted(p for p in PUBLISHER_VAULTS.iterdir() if (p / "truth.json").is_file()):
        with tempfile.TemporaryDirectory() as scratch:
            _publisher_vault(fixture, Path(scratch), binaries)


def _publisher_vault(fixture: Path, scratch: Path, binaries: Path | None) -> None:
    vault = scratch / fixture.name
    shutil.copytree(fixture, vault, ignore=shutil.ignore_patterns("truth.json", ".bagu"))
    truth = Truth.load(fixture)
    report, seconds = _bagu(vault, scratch / "bagu.db")
    broken = report["broken"]
    notices = report["notices"]
    assert isinstance(broken, list) and isinstance(notices, list)
    reported = {(b["path"], b["line"]) for b in broken}
    apart = {(n["path"], n["line"], n["reason"]) for n in notices}
    agreed = len(apart & truth.apart)
    publisher = report["publisher"]["name"]  # type: ignore[index]
    print(
        f"{vault.name:<12}{'bagu check (' + publisher + ')':<32}{seconds:>8.2f}  "
        f" {truth.score(reported)}",
        end="",
    )
    print(f"; apart {agreed}/{len(truth.apart)} as truth says ({len(apart)} reported apart)")
    for key in sorted(reported - truth.broken):
        print(f"{'':<14}false alarm {key[0]}:{key[1]}")
    for key in sorted(truth.broken - reported):
        print(f"{'':<14}missed      {key[0]}:{key[1]}")
    if binaries is None:
        return
    remark, remark_s = _remark(binaries, vault)
    print(f"{'':<12}{'remark-validate-links':<32}{remark_s:>8.2f}   {truth.score(remark)}")
    mlc, mlc_s = _markdown_link_check(binaries, vault)
    found, false = len(mlc & truth.broken_targets), len(mlc - truth.broken_targets)
    print(
        f"{'':<12}{'markdown-link-check (no http)':<32}{mlc_s:>8.2f}  "
        f" {found:>3}/{len(truth.broken)} broken found, {false:>3} false alarms (by target)"
    )


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_VAULT
    with tempfile.TemporaryDirectory() as scratch:
        vault = Path(scratch) / "vault"
        shutil.copytree(source, vault, ignore=shutil.ignore_patterns(".bagu"))
        db = Path(scratch) / "bagu.db"
        cold, cold_s = _bagu(vault, db)
        warm, warm_s = _bagu(vault, db)
        broken = cold["broken"]
        assert isinstance(broken, list)
        bagu_lines = {b["line"] for b in broken if b["path"] == SUMMARY}
        print(
            f"vault: {source} ({cold['notes']} notes, {cold['links']} "
            f"links, {cold['external_links']} external)\n"
        )
        print(f"{'tool':<34}{'seconds':>9}{'broken':>8}   {SUMMARY} vs hand-verified")
        print(
            f"{'bagu check (cold: index + check)':<34}{cold_s:>9.2f}{len(broken):>8}  "
            f" {_score(bagu_lines)}"
        )
        print(f"{'bagu check (warm)':<34}{warm_s:>9.2f}{len(warm['broken']):>8}")  # type: ignore[arg-type]
        binaries = _install_npm_tools()
        if binaries is None:
            print(
                "remark-validate-links / markdown-link-check: skipped (npm or the npm registry "
                "not available)"
            )
            _publisher_vaults(None)
            return
        remark, remark_s = _remark(binaries, vault)
        remark_lines = {line for path, line in remark if path == SUMMARY}
        print(
            f"{'remark-validate-links':<34}{remark_s:>9.2f}{len(remark):>8}  "
            f" {_score(remark_lines)}"
        )
        mlc, mlc_s = _markdown_link_check(binaries, vault)
        summary_targets = {
            unquote(b["target"]).strip("<>"): b["line"] for b in broken if b["path"] == SUMMARY
        }
        # A target bagu does not report counts as a false alarm of its own (negative line numbers).
        mlc_targets = sorted(target for path, target in mlc if path == SUMMARY)
        mlc_lines = {summary_targets.get(target, -1 - i) for i, target in enumerate(mlc_targets)}
        print(
            f"{'markdown-link-check (no http)':<34}{mlc_s:>9.2f}{len(mlc):>8}   {_score(mlc_lines)}"
        )
        print(
            "\nremark-validate-links knows only GitHub slugs, so raw-heading anchors with "
            "punctuation are false alarms "
            "and Typora links with spaces are not seen; markdown-link-check checks files, not "
            "anchors in other files."
        )
    _publisher_vaults(binaries)


if __name__ == "__main__":
    main()
