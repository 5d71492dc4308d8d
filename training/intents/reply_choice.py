"""Which drafted reply answers the question asked: retrieval rank 1 against best-of-N by the reward model.

For each labelled message (real_dev, our labels), the bot drafts its candidates as when serving
(`Bot.draft`: the guard and the clarify / handover decision included). A pick "answers" when its
template's intent is one of the message's acceptable intents; a clarifying question or a handover
counts only where the topic wants a person or has no answer of ours (human_agent, off_topic, greeting).
Reported for rank 1, for the reward model's best-scored candidate, and for "any candidate" (the
ceiling of today's drafting), with a paired bootstrap interval of best-of-N minus rank 1.

With prior weights W (`--prior-weights`), also best-of-N regularised toward the drafter: the pick maximises
reward + W * drafter score. The default policy is a softmax over drafter scores, so this is best-of-N with a
KL penalty to the policy we serve, the usual way a reward model is used for re-ranking (W = 0 is plain
best-of-N; a large W is rank 1). W is chosen on real_dev's training half and reported on its test half.
"""
from __future__ import annotations

import numpy as np

NOT_ANSWERING_FITS = {"human_agent", "off_topic", "greeting"}  # topics where asking or a person is the answer


def answers(candidate, acceptable: set[str]) -> bool:
    if candidate.source in ("clarify", "handover", "fallback"):
        return bool(acceptable & NOT_ANSWERING_FITS)
    return candidate.meta.get("intent") in acceptable


def paired_interval(a: np.ndarray, b: np.ndarray, resamples: int = 4000, seed: int = 0) -> tuple[float, float, float]:
    """Mean of a - b and its 95% percentile bootstrap interval (messages resampled, pairs kept)."""
    diff = np.asarray(a, float) - np.asarray(b, float)
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(len(diff), size=(resamples, len(diff)))].mean(axis=1)
    return float(diff.mean()), float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def compare(bot, reward_model, rows: list[tuple[str, set[str]]], prior_weights: tuple[float, ...] = ()) -> dict:
    from bot.dialogue.state import DialogueState

    rank1, best, ceiling, several = [], [], [], 0
    regularised = {w: [] for w in prior_weights}
    for text, acceptable in rows:
        state = DialogueState("reply-choice")
        bot.tracker.update(state, text)
        candidates, _ = bot.draft(state)
        several += len(candidates) > 1
        rewards = reward_model.score([(state.context_text(), c.text) for c in candidates])
        rank1.append(answers(candidates[0], acceptable))
        best.append(answers(candidates[int(np.argmax(rewards))], acceptable))
        drafter = np.array([c.score for c in candidates])
        for w, picks in regularised.items():
            picks.append(answers(candidates[int(np.argmax(np.asarray(rewards) + w * drafter))], acceptable))
        ceiling.append(any(answers(c, acceptable) for c in candidates))
    diff, low, high = paired_interval(np.array(best), np.array(rank1))
    return {"messages": len(rows), "with_several_candidates": several,
            "rank1_answers": round(float(np.mean(rank1)), 4), "best_of_n_answers": round(float(np.mean(best)), 4),
            "any_candidate_answers": round(float(np.mean(ceiling)), 4),
            "best_of_n_minus_rank1": [round(diff, 4), round(low, 4), round(high, 4)],
            "regularised": [{"prior_weight": w, "answers": round(float(np.mean(picks)), 4),
                             "minus_rank1": [round(v, 4) for v in paired_interval(np.array(picks), np.array(rank1))]}
                            for w, picks in regularised.items()]}
