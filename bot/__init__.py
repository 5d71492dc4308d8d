"""rlcs runtime: the customer-service bot that learns which reply satisfies."""
from bot.candidate import Candidate, Turn
from bot.config import BotConfig
from bot.text import InvalidMessage

__all__ = ["Bot", "BotConfig", "Candidate", "Turn", "InvalidMessage"]


def __getattr__(name):  # import Bot lazily: `from bot import BotConfig` should not load torch
    if name == "Bot":
        from bot.bot import Bot

        return Bot
    raise AttributeError(name)
