"""The cards stage: flashcards generated from the structure of the notes (review and FSRS come
next)."""
