-- bagu schema, version 1. Later versions are forward-only migrations in migrations.py.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE documents (
    id                  INTEGER PRIMARY KEY,
    path                TEXT NOT NULL UNIQUE,          -- vault-relative, POSIX separators
    title               TEXT NOT NULL,
    sha256              TEXT NOT NULL,
    size                INTEGER NOT NULL,
    mtime_ns            INTEGER NOT NULL,
    encoding            TEXT NOT NULL,
    has_bom             INTEGER NOT NULL DEFAULT 0,
    newline             TEXT NOT NULL DEFAULT '\n',
    line_count          INTEGER NOT NULL,
    front_matter_format TEXT,                          -- 'yaml' | 'toml' | NULL
    front_matter        TEXT,                          -- JSON object
    front_matter_error  TEXT,
    lang                TEXT NOT NULL,                 -- 'zh' | 'en' | 'mixed' | 'none'
    indexed_at          TEXT NOT NULL
);
CREATE INDEX documents_sha256 ON documents(sha256);

CREATE TABLE sections (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal         INTEGER NOT NULL,
    level           INTEGER NOT NULL,
    heading         TEXT NOT NULL,
    heading_path    TEXT NOT NULL,                     -- JSON array, own heading last
    occurrence      INTEGER NOT NULL,                  -- among siblings with the same heading path
    line_start      INTEGER NOT NULL,
    line_end        INTEGER NOT NULL,
    body            TEXT NOT NULL,
    anchor_raw      TEXT NOT NULL,
    anchor_text     TEXT NOT NULL,
    anchor_github   TEXT NOT NULL,
    anchor_kramdown TEXT,
    explicit_ids    TEXT NOT NULL DEFAULT '[]',        -- JSON array
    block_ids       TEXT NOT NULL DEFAULT '[]',        -- JSON array
    spans           TEXT NOT NULL DEFAULT '{}',        -- JSON: bold, highlights, list_items, code_blocks, bilingual_pairs
    content_sha256  TEXT NOT NULL,
    UNIQUE (document_id, heading_path, occurrence)
);
CREATE INDEX sections_document ON sections(document_id, ordinal);

CREATE TABLE links (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    section_id    INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    line          INTEGER NOT NULL,
    col           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    raw_target    TEXT NOT NULL,
    target_path   TEXT NOT NULL,
    target_anchor TEXT,
    is_external   INTEGER NOT NULL,
    is_loose      INTEGER NOT NULL
);
CREATE INDEX links_document ON links(document_id);
CREATE INDEX links_target ON links(target_path);

-- Pre-segmented text (Chinese words from rjieba, English lower-cased); rowid = sections.id.
CREATE VIRTUAL TABLE section_fts USING fts5(
    heading, heading_path, body,
    tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);
