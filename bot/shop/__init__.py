"""bot/shop."""
