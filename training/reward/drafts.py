"""A customer message's drafts on their own, as served (the guard and the clarify / handover decision included), from
a bot that keeps nothing: what hunt_pairs, read_pairs and side_by_side build their pairs and sessions from."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_bot():
    """A bot serving rank 1 whose replay buffer lives in a temporary folder (drafting logs nothing, but a bot opens
    one); the folder goes when the block ends."""
    import tempfile

    from bot import Bot, BotConfig

    with tempfile.TemporaryDirectory() as scratch:
        yield Bot(BotConfig(db_path=str(Path(scratch) / "replay.sqlite3"), policy="first"))


def first_message_drafts(bot, message: str) -> tuple:
    """(the dialogue state after reading it, the drafts in the drafter's order) for a message that opens a
    conversation."""
    from bot.dialogue.state import DialogueState

    state = DialogueState("drafts")
    bot.tracker.update(state, message)
    candidates, _ = bot.draft(state)
    return state, candidates
