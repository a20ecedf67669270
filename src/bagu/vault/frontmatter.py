"""Split YAML (`---`) or TOML (`+++`) front matter off the top of a note.

A block that does not parse is kept as raw text with the error, so the body is still indexed and the
problem is reported once. A block that never closes is not front matter at all (it is a thematic
break).
"""

from __future__ import annotations

import datetime
import tomllib
from typing import Any

import yaml

from bagu.vault.model import FrontMatter

_FENCES = {"---": ("yaml", ("---", "...")), "+++": ("toml", ("+++",))}


def _jsonable(value: Any) -> Any:
    """YAML and TOML yield dates and other non-JSON values; the store keeps front matter as JSON."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def split_front_matter(lines: list[str]) -> FrontMatter | None:
    """Return the front matter at the top of `lines` (already split on any newline), or None."""
    if not lines:
        return None
    opener = lines[0].rstrip()
    if opener not in _FENCES:
        return None
    fmt, closers = _FENCES[opener]
    for end in range(1, len(lines)):
        if lines[end].rstrip() in closers:
            break
    else:
        return None
    raw = "\n".join(lines[1:end])
    line_count = end + 1
    try:
        loaded = yaml.safe_load(raw) if fmt == "yaml" else tomllib.loads(raw)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as exc:
        message = " ".join(str(exc).split())
        return FrontMatter(
            fmt, raw, {}, f"{fmt.upper()} front matter does not parse: {message}", line_count
        )
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        return FrontMatter(fmt, raw, {}, f"{fmt.upper()} front matter is not a mapping", line_count)
    return FrontMatter(fmt, raw, _jsonable(loaded), None, line_count)
