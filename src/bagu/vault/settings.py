"""The vault's own settings file, `bagu.toml` at its root: what a person turns on or off for this
vault.

`[cards] translation = false` turns the translation drill (zh→en cards from the notes' own
renderings) off: no pair cards are made and those made before are retired, their history kept.
`[links]` names the vault's publisher and site URL (vault/publisher.py). The `[llm]` table is read
by coach/llm.py. A file that does not parse is an error that names it, never silently ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bagu.errors import BaguError

SETTINGS_FILE = "bagu.toml"


@dataclass(frozen=True, slots=True)
class CardSettings:
    translation: bool = True


def settings_table(vault: Path, name: str) -> dict[str, Any]:
    path = vault / SETTINGS_FILE
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get(name, {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BaguError(f"{path}: cannot read it ({exc}); fix or remove it") from exc
    return table if isinstance(table, dict) else {}


def card_settings(vault: Path) -> CardSettings:
    table = settings_table(vault, "cards")
    value = table.get("translation", True)
    if not isinstance(value, bool):
        raise BaguError(
            f"{vault / SETTINGS_FILE}: [cards] translation must be true or false, not {value!r}"
        )
    return CardSettings(translation=value)


def remote_images_allowed(vault: Path) -> bool:
    """`[web] remote_images = true`: the note viewer loads images from other sites (off: each is a
    link)."""
    value = settings_table(vault, "web").get("remote_images", False)
    if not isinstance(value, bool):
        raise BaguError(
            f"{vault / SETTINGS_FILE}: [web] remote_images must be true or false, not {value!r}"
        )
    return value
