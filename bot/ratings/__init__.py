"""bot/ratings."""
