"""training/policy."""
