"""training/reward."""
