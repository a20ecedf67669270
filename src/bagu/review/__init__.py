"""The review stage: FSRS scheduling of the cards, and review sessions (grading comes next)."""
