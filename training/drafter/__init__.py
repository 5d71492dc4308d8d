"""training/drafter."""
