"""DialogueState: what the bot knows about one conversation so far."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.dialogue.order_access import OrderAccess
from bot.dialogue.transcript import transcript


@dataclass
class DialogueState:
    session_id: str
    history: list[tuple[str, str]] = field(default_factory=list)  # ("customer"|"bot", text)
    intent: str | None = None  # detected intent of the latest customer message
    intent_score: float = 0.0
    slots: dict = field(default_factory=dict)  # order_id, email, dates, products mentioned so far; other_issue
    order: dict | None = None  # the order in question, once found AND proven by this customer (order_access.py)
    access: OrderAccess = field(default_factory=OrderAccess)  # orders proven / waiting for proof in this session
    product: dict | None = None  # the catalogue product named most recently (bot/shop/catalogue.py)
    intent_memory: list[float] | None = None  # per-intent scores carried from earlier turns
    cache: dict = field(default_factory=dict)  # per-turn computations shared by components (embeddings)

    @property
    def last_message(self) -> str:
        for role, text in reversed(self.history):
            if role == "customer":
                return text
        return ""

    def context_text(self, max_turns: int = 6) -> str:
        """The recent conversation as plain text, oldest first, for models that read context."""
        return transcript(self.history[-max_turns:])
