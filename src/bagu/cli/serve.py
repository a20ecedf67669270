"""`bagu serve`: index the vault, then serve the web app and JSON API with uvicorn (127.0.0.1 by
default)."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path
from typing import Annotated

import typer

from bagu.cli.app import app, console, db_path_for, print_report, run_index
from bagu.cli.server_link import ServerLink, announce, withdraw
from bagu.errors import BaguError
from bagu.vault.settings import remote_images_allowed
from bagu.web.security import is_loopback
from bagu.web.state import DEFAULT_HOST, DEFAULT_PORT


def _free_port(host: str, first: int, tries: int = 20) -> int:
    """The first port from `first` that nothing listens on, so a second `make run` still starts."""
    for port in range(first, first + tries):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise BaguError(f"ports {first}–{first + tries - 1} on {host} are all in use; pass --port")


@app.command()
def serve(
    vault: Annotated[Path, typer.Argument(help="Folder of Markdown notes.")] = Path("."),
    host: Annotated[
        str, typer.Option(help="Address to bind. Anything but loopback needs --token.")
    ] = DEFAULT_HOST,
    port: Annotated[
        int | None, typer.Option(help=f"Port (default {DEFAULT_PORT}, or the next free one).")
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="BAGU_TOKEN", help="Access token: a header or the login page must give it."
        ),
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Re-index when notes change; open pages reload.")
    ] = False,
    no_index: Annotated[bool, typer.Option("--no-index", help="Serve the index as it is.")] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Never use the LLM endpoint, even if configured.")
    ] = False,
    remote_images: Annotated[
        bool,
        typer.Option(
            "--remote-images",
            help="Load images from other sites in the note viewer (default: bagu.toml's [web] "
            "remote_images; "
            "off, each is a link).",
        ),
    ] = False,
) -> None:
    """Serve the web app (search, notes, links, ask, review, interview, stats) and the JSON API
    under /api/."""
    import uvicorn

    from bagu.web.app import create_app
    from bagu.web.state import WebConfig

    if not is_loopback(host) and not token:
        raise BaguError(
            f"--host {host} exposes your notes to the network: give --token (or BAGU_TOKEN) as well"
        )
    if token is not None and len(token) < 12:
        raise BaguError("--token must be at least 12 characters")
    if not no_index:  # the notes now; their vectors in the background while the app serves
        print_report(run_index(vault, quiet=False))
    chosen = port if port is not None else _free_port(host, DEFAULT_PORT)
    config = WebConfig(
        vault.resolve(),
        db_path_for(vault),
        host,
        chosen,
        token,
        watch,
        offline,
        remote_images=remote_images or remote_images_allowed(vault),
    )
    web = create_app(config)
    shown = f"[{host}]" if ":" in host else host
    console.print(
        f"[bold green]bagu is serving {vault}[/bold green] at "
        f"[bold]http://{shown}:{chosen}/[/bold]  (Ctrl-C stops)"
    )
    if watch:
        console.print(
            "[dim]watching the vault: changed notes are re-indexed and open pages reload[/dim]"
        )
    if config.remote_images:
        console.print("[dim]images from other sites are loaded in the note viewer[/dim]")
    # The CLI's search and ask use this server while it runs (cli/server_link.py): loopback only.
    announced = is_loopback(host)
    if announced:
        announce(config.db_path, ServerLink(f"http://{shown}:{chosen}", os.getpid(), token))

        # uvicorn stops on SIGINT/SIGTERM, then raises the signal again for the handler it found:
        # this one.
        def stop(signum: int, _frame: object) -> None:
            withdraw(config.db_path, os.getpid())
            raise SystemExit(128 + signum)

        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, stop)
    try:
        uvicorn.run(web, host=host, port=chosen, log_level="warning", server_header=False)
    finally:
        if announced:
            withdraw(config.db_path, os.getpid())
