"""The BaguError hierarchy: messages say what happened, to which file, and what to do next."""

from __future__ import annotations


class BaguError(Exception):
    """An error the CLI prints without a traceback and the API maps to problem+json."""


class UndecodableNote(BaguError):
    """A note's bytes are not text bagu can read; indexing skips it with a warning."""


class StoreError(BaguError):
    """The database cannot be opened or written."""


class SchemaTooNew(StoreError):
    """The database was written by a newer bagu."""


class StoreBusy(StoreError):
    """Another process holds the database or the index lock."""


class VaultNotFound(BaguError):
    """The vault folder does not exist."""
