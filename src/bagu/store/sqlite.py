"""The SQLite binding bagu uses: the standard library's when it may load extensions, else sqlean.py.

sqlite-vec is a loadable extension, and some Python builds (pyenv's among them) compile `sqlite3`
without `enable_load_extension`. sqlean.py is a drop-in DB-API binding with extension loading and
FTS5 built in. Every bagu module imports `sqlite3` from here, so connections, rows and exceptions
always come from one binding (two SQLite libraries on one file in one process would not see each
other's locks).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING


def _stdlib_loads_extensions() -> bool:
    import sqlite3 as stdlib

    probe = stdlib.connect(":memory:")
    try:
        return hasattr(probe, "enable_load_extension")
    finally:
        probe.close()


if TYPE_CHECKING:
    import sqlite3
else:
    sqlite3 = importlib.import_module("sqlite3" if _stdlib_loads_extensions() else "sqlean")

__all__ = ["sqlite3"]
