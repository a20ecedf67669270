"""The vault stage: find notes on disk and model each one as a Document of Sections and Links."""
