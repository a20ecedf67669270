"""Forward-only schema migrations. Version 1 is `schema.sql`; append (version, statements) here."""

from __future__ import annotations

SCHEMA_VERSION = 7

# Each entry upgrades a database from version N-1 to N, inside the same transaction.
MIGRATIONS: list[tuple[int, list[str]]] = [
    (
        2,
        [
            # `bagu check --external`: the last answer per URL, so a re-check within the cache age
            # costs nothing.
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
            # Semantic search: sections cut into chunks (heading path + paragraphs), each embedded
            # per model. Vectors live in one sqlite-vec `vec0` table per model (created on first
            # use, see vectors.py).
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
    (
        4,
        [
            # Cards live only here, never in the notes. `key` is the content key of the card's
            # current version; `id` is its identity, kept through edits so review history survives
            # (cards/identity.py).
            """CREATE TABLE cards (
                id              INTEGER PRIMARY KEY,
                key             TEXT NOT NULL UNIQUE,
                kind            TEXT NOT NULL,
                front           TEXT NOT NULL,
                back            TEXT NOT NULL,
                sibling_key     TEXT,
                -- status: 'active' | 'suspended' | 'retired'
                status          TEXT NOT NULL DEFAULT 'active',
                source_changed  INTEGER NOT NULL DEFAULT 0,
                -- sources, JSON: [{path, heading_path, line_start, line_end, span}]
                sources         TEXT NOT NULL,
                created_at      TEXT NOT NULL,
                updated_at      TEXT NOT NULL
            )""",
            "CREATE INDEX cards_status ON cards(status, kind)",
            """CREATE TABLE card_state (
                card_id   INTEGER PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
                fsrs      TEXT NOT NULL,    -- the fsrs package's Card, as JSON
                due       TEXT NOT NULL     -- ISO 8601, UTC
            )""",
            "CREATE INDEX card_state_due ON card_state(due)",
            """CREATE TABLE reviews (
                id           INTEGER PRIMARY KEY,
                card_id      INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
                reviewed_at  TEXT NOT NULL,
                rating       INTEGER NOT NULL,   -- 1 Again, 2 Hard, 3 Good, 4 Easy
                answer       TEXT,
                grade        REAL,
                elapsed_ms   INTEGER,
                -- the card's FSRS state before this review (NULL: it was new), for undo
                state_before TEXT
            )""",
            "CREATE INDEX reviews_card ON reviews(card_id, reviewed_at)",
        ],
    ),
    (
        5,
        [
            # The order new cards are introduced in: position in the summary page's links
            # (cards/syllabus.py); NULL for cards from sections no summary links to, which come
            # after, oldest first.
            "ALTER TABLE cards ADD COLUMN syllabus_rank INTEGER",
        ],
    ),
    (
        6,
        [
            # A person's own wording of a card (`bagu cards edit`): kept in the index, never in the
            # notes, and shown instead of the generated front or back; the card sync leaves them
            # alone.
            "ALTER TABLE cards ADD COLUMN front_edit TEXT",
            "ALTER TABLE cards ADD COLUMN back_edit TEXT",
        ],
    ),
    (
        7,
        [
            # Each section a summary page links to, with the summary's section that links to it
            # first (links/syllabus.py): search shows the summary's take beside the detail section.
            # Rebuilt with the cards' syllabus; a section gone takes its rows with it.
            """CREATE TABLE summary_sections (
                section_id         INTEGER PRIMARY KEY REFERENCES sections(id) ON DELETE CASCADE,
                summary_section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE
            )""",
        ],
    ),
]
