"""Which files of the vault the web app may send: never one outside it, never bagu's own or hidden
ones.

A request path is refused when it is absolute, climbs with `..` (also after percent-decoding, which
the router has already done once), names a hidden part (`.bagu/`, `.git/`, `.obsidian/`), or
resolves — symlinks followed — to a place outside the vault's real folder.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote

from bagu.errors import OutsideVault

# Served inline; anything else is sent as a download, so a note's HTML or SVG cannot run as a page
# here.
INLINE_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
        "image/bmp",
        "application/pdf",
        "text/plain",
    }
)


def vault_file(vault: Path, requested: str) -> Path:
    """The real file inside `vault` that `requested` (vault-relative, POSIX) names, or
    OutsideVault."""
    path = unquote(requested).replace("\\", "/")
    if not path or path.startswith("/") or (len(path) > 1 and path[1] == ":") or "\x00" in path:
        raise OutsideVault(f"{requested!r} is not a vault-relative path")
    parts = posixpath.normpath(path).split("/")
    if any(part in ("..", ".") or part.startswith(".") for part in parts):
        raise OutsideVault(f"{requested!r} leaves the vault or names a hidden file")
    root = vault.resolve()
    try:
        real = (root / "/".join(parts)).resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # missing, or a symlink loop
        raise OutsideVault(f"{requested!r} does not exist in the vault") from exc
    if not real.is_relative_to(root) or not real.is_file():
        raise OutsideVault(f"{requested!r} is not a file inside the vault")
    return real


def media_type(path: Path) -> tuple[str, bool]:
    """(content type, whether it may be shown inline)."""
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if guessed == "text/markdown":
        guessed = "text/plain"
    return guessed, guessed in INLINE_TYPES
