"""Forward-only schema migrations. Version 1 is `schema.sql`; append (version, statements) here."""

from __future__ import annotations

SCHEMA_VERSION = 1

# Each entry upgrades a database from version N-1 to N, inside the same transaction.
MIGRATIONS: list[tuple[int, list[str]]] = []
