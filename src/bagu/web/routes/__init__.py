"""One module per feature; each holds the feature's pages, its htmx fragments and its JSON API."""
