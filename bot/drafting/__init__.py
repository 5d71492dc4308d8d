"""bot/drafting."""
