"""bagu.toml: what a person turns on for a vault, and a clear error for what does not parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from bagu.errors import BaguError
from bagu.vault.settings import card_settings, remote_images_allowed
from tests.conftest import WriteNote


def test_remote_images_are_off_unless_turned_on(vault: Path, write: WriteNote) -> None:
    assert remote_images_allowed(vault) is False
    write("bagu.toml", "[web]\nremote_images = true\n")
    assert remote_images_allowed(vault) is True
    write("bagu.toml", "[web]\nremote_images = 'yes'\n")
    with pytest.raises(BaguError, match="remote_images must be true or false"):
        remote_images_allowed(vault)


def test_a_settings_file_that_does_not_parse_is_named(vault: Path, write: WriteNote) -> None:
    write("bagu.toml", "[cards\ntranslation = false\n")
    with pytest.raises(BaguError, match=r"bagu\.toml: cannot read it"):
        card_settings(vault)
