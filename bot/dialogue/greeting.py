"""A greeting is a message that says hello.

The intent model reads short replies with no topic ("L", "S", "no", "ok then") as a greeting, and mid-conversation
the customer got "Hi! Welcome to Northwind Threads. How can I help you today?" (found by exploratory testers: 5
conversations). A message the model reads as a greeting without a word of greeting (or an opener asking for help,
"I need help!") is read as its next best topic, which the conversation's carried topic usually decides.
"""
from __future__ import annotations

import re

GREETING_INTENT = "greeting"
_HELLO = re.compile(
    r"\b(?:hi+|hello+|hey+|heya|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|morning|evening|"
    r"anyone (?:there|around|here)|is anybody|are you there|need (?:some |your )?help|can (?:you|someone|anyone) help|"
    r"help me)\b|^\W*(?:hi|hey|help)\W*$|👋",  # an opener asking for help is a greeting too
    re.IGNORECASE)


def says_hello(message: str) -> bool:
    return bool(_HELLO.search(message))
