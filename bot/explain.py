"""'Why this reply': a turn's candidates as rows a person can read."""
from __future__ import annotations

from bot.candidate import Turn

COLUMNS = ["#", "chosen", "source", "score", "reward", "propensity", "reply"]


def explain_rows(turn: Turn) -> list[list]:
    """One row per candidate, in drafting order; the chosen one is marked."""
    rows = []
    for i, c in enumerate(turn.candidates):
        rows.append([
            i + 1,
            "✔" if i == turn.chosen else "",
            c.source,
            round(c.score, 3),
            "" if c.reward is None else round(c.reward, 3),
            round(c.propensity, 3),
            c.text,
        ])
    return rows


def explain_text(turn: Turn) -> str:
    """The same table for a terminal."""
    lines = [f"policy {turn.policy_version} · intent {turn.intent} · {turn.latency_ms.get('total', 0):.0f} ms"]
    for number, chosen, source, score, reward, propensity, text in explain_rows(turn):
        reward_part = f" reward={reward:+.2f}" if reward != "" else ""
        short = text if len(text) <= 90 else text[:87] + "..."
        lines.append(f"{chosen or ' '} {number}. [{source} score={score:.3f}{reward_part} p={propensity:.3f}] {short}")
    return "\n".join(lines)
