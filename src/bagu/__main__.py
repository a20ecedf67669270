"""`python -m bagu` runs the CLI."""

from bagu.cli import main

main()
