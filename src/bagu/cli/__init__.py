"""The `bagu` command line: a thin Typer layer over the service functions, Rich for people, --json for tools."""

from bagu.cli import cards, coach, grade, links, notes, review, serve
from bagu.cli.app import app, main

__all__ = ["app", "cards", "coach", "grade", "links", "main", "notes", "review", "serve"]
