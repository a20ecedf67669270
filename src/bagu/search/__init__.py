"""The search stage: Chinese-aware terms, FTS5 BM25 over sections, snippets."""
