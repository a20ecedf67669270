"""Forward-only schema migrations. Version 1 is `schema.sql`; append (version, statements) here."""

from __future__ import annotations

SCHEMA_VERSION = 2

# Each entry upgrades a database from version N-1 to N, inside the same transaction.
MIGRATIONS: list[tuple[int, list[str]]] = [
    (
        2,
        [
            # `bagu check --external`: the last answer per URL, so a re-check within the cache age costs nothing.
            """CREATE TABLE external_links (
                url         TEXT PRIMARY KEY,
                outcome     TEXT NOT NULL,   -- 'ok' | 'broken' | 'error' | 'blocked'
                http_status INTEGER,
                final_url   TEXT,
                detail      TEXT NOT NULL DEFAULT '',
                checked_at  TEXT NOT NULL    -- ISO 8601, UTC
            )""",
        ],
    ),
]
