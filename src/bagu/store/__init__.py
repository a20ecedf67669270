"""The store stage: one SQLite file (WAL, FTS5) that holds the vault model and everything derived
from it."""
