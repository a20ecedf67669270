"""Every error bagu raises on purpose: messages say what happened, to which file, and what to do
next.

Each class knows the CLI's exit status and the web API's HTTP status for it. The CLI prints the
message without a traceback (`--debug` shows it) and exits with `exit_code`; the API answers
problem+json with `http_status`. Exit statuses follow BSD's sysexits where one fits; 2 is what Click
gives a usage error, and bagu gives it to input it cannot use (a note, card key, option or setting
that names nothing).

    BaguError 2 / 400 input bagu cannot use: no such note, card or section, a bad option ├──
    VaultNotFound 66 / 404 the vault folder does not exist ├── NoteUnreadable 66 / 404 a note is
    gone, unreadable, not a file, too large or outside the vault ├── UndecodableNote 65 / 422 a
    note's bytes are not text bagu can read ├── BadBatchItem 65 / 422 a `grade --batch` line that is
    not a gradable item ├── OutsideVault 77 / 403 a requested path is not a file bagu serves from
    the vault ├── OutsideVaultWrite 77 / 403 a note's real path is outside the vault: bagu will not
    write it ├── NoteChanged 75 / 409 the note changed since the repair was planned: plan it again
    ├── StoreError 74 / 500 the database cannot be opened or written │ ├── SchemaTooNew 74 / 409 the
    database was written by a newer bagu │ └── StoreBusy 75 / 409 another process holds the database
    or the index lock: try again ├── EmbedderUnavailable 69 / 503 the configured embedding model
    cannot be loaded here ├── EmbeddingMismatch 70 / 502 a model answered with the wrong number or
    size of vectors ├── LLMError 69 / 502 the language model endpoint failed; bagu falls back to
    offline │ ├── LLMUnreachable 69 / 502 │ ├── LLMAuthError 77 / 502 │ ├── LLMRateLimited 75 / 503
    │ └── LLMBadResponse 69 / 502 └── GlossaryFormatError 70 / 500 a line of the shipped glossary
    breaks its format (a bagu bug)
"""

from __future__ import annotations

from typing import ClassVar


class BaguError(Exception):
    """An error the CLI prints without a traceback and the API maps to problem+json."""

    exit_code: ClassVar[int] = 2
    http_status: ClassVar[int] = 400


class VaultNotFound(BaguError):
    """The vault folder does not exist."""

    exit_code = 66
    http_status = 404


class NoteUnreadable(BaguError):
    """A note could not be read (gone, unreadable, not a regular file, too large, not text, outside
    the vault)."""

    exit_code = 66
    http_status = 404


class UndecodableNote(BaguError):
    """A note's bytes are not text bagu can read; indexing skips it with a warning."""

    exit_code = 65
    http_status = 422


class BadBatchItem(BaguError):
    """A batch line that is not a gradable item; its output line names the problem."""

    exit_code = 65
    http_status = 422


class OutsideVault(BaguError):
    """A requested path is not a file bagu serves from the vault."""

    exit_code = 77
    http_status = 403


class OutsideVaultWrite(BaguError):
    """The note's real path is outside the vault, so bagu will not write it."""

    exit_code = 77
    http_status = 403


class NoteChanged(BaguError):
    """The note on disk is not the version the repair was planned for."""

    exit_code = 75
    http_status = 409


class StoreError(BaguError):
    """The database cannot be opened or written."""

    exit_code = 74
    http_status = 500


class SchemaTooNew(StoreError):
    """The database was written by a newer bagu."""

    http_status = 409


class StoreBusy(StoreError):
    """Another process holds the database or the index lock."""

    exit_code = 75
    http_status = 409


class EmbedderUnavailable(BaguError):
    """The configured embedding model cannot be loaded here."""

    exit_code = 69
    http_status = 503


class EmbeddingMismatch(BaguError):
    """A model answered with the wrong number of vectors or vectors of the wrong size: nothing is
    stored."""

    exit_code = 70
    http_status = 502


class LLMError(BaguError):
    """The language model endpoint failed; bagu falls back to its offline mode."""

    exit_code = 69
    http_status = 502


class LLMUnreachable(LLMError):
    """The endpoint did not answer."""


class LLMAuthError(LLMError):
    """The endpoint refused the key."""

    exit_code = 77


class LLMRateLimited(LLMError):
    """The endpoint is busy or over its rate limit."""

    exit_code = 75
    http_status = 503


class LLMBadResponse(LLMError):
    """The endpoint answered with something that is not a reply."""


class GlossaryFormatError(BaguError, ValueError):
    """A line of the glossary file that does not follow its format."""

    exit_code = 70
    http_status = 500
