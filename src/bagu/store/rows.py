"""Rows written by column name: `insert_row(conn, "sections", {"heading": …})` instead of a tuple
aligned by hand against a list of `?`.

Table and column names come from bagu's own code, never from a note or a request; the values always
travel as named SQL parameters (`:heading`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bagu.store.sqlite import sqlite3


def insert_row(conn: sqlite3.Connection, table: str, values: Mapping[str, object]) -> int:
    """Insert one row; returns its rowid."""
    cursor = conn.execute(_insert_sql(table, list(values)), values)
    return int(cursor.lastrowid or 0)


def insert_rows(conn: sqlite3.Connection, table: str, rows: Sequence[Mapping[str, object]]) -> None:
    """Insert rows that all name the same columns."""
    if rows:
        conn.executemany(_insert_sql(table, list(rows[0])), rows)


def update_row(
    conn: sqlite3.Connection, table: str, row_id: int, values: Mapping[str, object]
) -> None:
    """Set these columns of the row whose `id` is `row_id`."""
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id = :id", {**values, "id": row_id})


def _insert_sql(table: str, columns: list[str]) -> str:
    names = ", ".join(columns)
    marks = ", ".join(f":{column}" for column in columns)
    return f"INSERT INTO {table}({names}) VALUES ({marks})"
