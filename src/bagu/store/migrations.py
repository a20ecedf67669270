"""Forward-only schema migrations. Version 1 is `schema.sql`; append (version, statements) here."""

from __future__ import annotations

SCHEMA_VERSION = 3

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
    (
        3,
        [
            # Semantic search: sections cut into chunks (heading path + paragraphs), each embedded per model.
            # Vectors live in one sqlite-vec `vec0` table per model (created on first use, see vectors.py).
            """CREATE TABLE chunks (
                id            INTEGER PRIMARY KEY,
                section_id    INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
                ordinal       INTEGER NOT NULL,
                kind          TEXT NOT NULL,   -- 'title' (note name + heading path) | 'body'
                text          TEXT NOT NULL,
                section_sha   TEXT NOT NULL,   -- sections.content_sha256 the chunk was cut from
                UNIQUE (section_id, ordinal)
            )""",
            "CREATE INDEX chunks_section ON chunks(section_id)",
            """CREATE TABLE embedding_models (
                name        TEXT PRIMARY KEY,
                dimension   INTEGER NOT NULL,
                vec_table   TEXT NOT NULL UNIQUE,
                created_at  TEXT NOT NULL
            )""",
            """CREATE TABLE embedded (
                chunk_id  INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
                model     TEXT NOT NULL REFERENCES embedding_models(name) ON DELETE CASCADE,
                PRIMARY KEY (chunk_id, model)
            )""",
        ],
    ),
]
