import numpy as np
import pytest

from bot.candidate import Candidate
from bot.selection.policies import EpsilonGreedyPolicy, FirstPolicy, SoftmaxPolicy, UniformPolicy
from bot.dialogue.state import DialogueState


def candidates(scores):
    return [Candidate(f"reply {i}", "retrieval", s) for i, s in enumerate(scores)]


def test_first_always_picks_rank_one_with_propensity_one():
    cands = candidates([0.9, 0.8, 0.7])
    index, p = FirstPolicy().select(DialogueState("s"), cands, np.random.default_rng(0))
    assert (index, p) == (0, 1.0)
    assert [c.propensity for c in cands] == [1.0, 0.0, 0.0]


def test_softmax_probabilities_follow_scores_and_temperature():
    state, cands = DialogueState("s"), candidates([0.9, 0.8, 0.5])
    sharp = SoftmaxPolicy(temperature=0.05).probabilities(state, cands)
    flat = SoftmaxPolicy(temperature=10.0).probabilities(state, cands)
    assert sharp.sum() == pytest.approx(1.0) and flat.sum() == pytest.approx(1.0)
    assert sharp[0] / sharp[1] == pytest.approx(np.exp(0.1 / 0.05))
    assert flat.max() - flat.min() < 0.05 < sharp.max() - sharp.min()


def test_epsilon_greedy_probabilities_and_logged_propensity():
    cands = candidates([0.1, 0.9, 0.5, 0.3])
    policy = EpsilonGreedyPolicy(epsilon=0.2)
    probs = policy.probabilities(DialogueState("s"), cands)
    assert probs.tolist() == pytest.approx([0.05, 0.85, 0.05, 0.05])
    index, p = policy.select(DialogueState("s"), cands, np.random.default_rng(1))
    assert p == pytest.approx(probs[index]) and cands[index].propensity == p


def test_sampling_frequencies_match_the_propensities():
    rng, policy, cands = np.random.default_rng(7), UniformPolicy(), candidates([0.3, 0.2, 0.1, 0.0])
    picks = np.bincount([policy.select(DialogueState("s"), cands, rng)[0] for _ in range(4000)], minlength=4)
    assert np.allclose(picks / 4000, 0.25, atol=0.03)


def test_bad_epsilon_and_empty_candidates_are_refused():
    with pytest.raises(ValueError, match="epsilon"):
        EpsilonGreedyPolicy(epsilon=1.5)
    with pytest.raises(ValueError, match="empty"):
        FirstPolicy().select(DialogueState("s"), [], np.random.default_rng(0))
