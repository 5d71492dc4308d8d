"""training/serving."""
