"""The one way a conversation becomes text for our models: "Customer: ..." / "Agent: ..." lines.

The reward model, the plain-LM drafter prompt, exports and every reward-data source read this format.
"""
from __future__ import annotations

from typing import Iterable

CUSTOMER_ROLES = {"customer", "user", "USER"}  # our logs say "customer"; MultiWOZ says "USER"


def speaker(role: str) -> str:
    return "Customer" if role in CUSTOMER_ROLES else "Agent"


def transcript(messages: Iterable[tuple[str, str]]) -> str:
    """[(role, text), ...] -> "Customer: ...\\nAgent: ..." lines."""
    return "\n".join(f"{speaker(role)}: {text}" for role, text in messages)
