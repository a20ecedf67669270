"""bagu: turn a folder of Markdown notes into an interview coach.

The names a script uses (`bagu.library` has an example): `open_index` and its `Index` (refresh,
search, check links, list cards, grade an answer), the results they return, and `BaguError`, the
root of every error bagu raises. Each is imported on first use, so `import bagu` costs no more than
`bagu --version`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "open_index": "bagu.library",
    "Index": "bagu.library",
    "SearchResults": "bagu.search.results",
    "SearchHit": "bagu.search.results",
    "LinkReport": "bagu.links.check",
    "IndexReport": "bagu.indexer",
    "StoredCardRow": "bagu.store.cards",
    "Grade": "bagu.review.grade",
    "BaguError": "bagu.errors",
}
__all__ = [
    "BaguError",
    "Grade",
    "Index",
    "IndexReport",
    "LinkReport",
    "SearchHit",
    "SearchResults",
    "StoredCardRow",
    "__version__",
    "open_index",
]

if TYPE_CHECKING:
    from bagu.errors import BaguError
    from bagu.indexer import IndexReport
    from bagu.library import Index, open_index
    from bagu.links.check import LinkReport
    from bagu.review.grade import Grade
    from bagu.search.results import SearchHit, SearchResults
    from bagu.store.cards import StoredCardRow


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'bagu' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
