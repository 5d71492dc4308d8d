"""bot/selection."""
