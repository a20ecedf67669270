"""bagu: turn a folder of Markdown notes into an interview coach."""

__version__ = "0.1.0"
