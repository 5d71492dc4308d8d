"""training/intents: the intent model (`rlcs train intents`) and its benchmark (`rlcs bench intents`)."""
