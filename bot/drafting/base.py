"""The Drafter interface: given the dialogue so far, propose candidate replies."""
from __future__ import annotations

from abc import ABC, abstractmethod

from bot.candidate import Candidate
from bot.dialogue.state import DialogueState


class Drafter(ABC):
    """Proposes up to `n` candidate replies for the latest customer message in `state`."""

    source: str = "drafter"

    @abstractmethod
    def draft(self, state: DialogueState, n: int) -> list[Candidate]:
        ...
