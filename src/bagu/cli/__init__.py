"""The `bagu` command line: a thin Typer layer over the service functions, Rich for people, --json
for tools.

Each command lives in a module of this package that registers it on `app` when imported. `main`
imports only the module of the command being run (`bagu index` never loads the web app or the
models' numpy code), and every module when the command line names none of them (`bagu --help`).
"""

from bagu.cli.app import app, main

__all__ = ["app", "main"]
