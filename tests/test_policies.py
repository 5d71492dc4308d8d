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


def test_ask_rule_asks_for_the_order_instead_of_a_general_answer_of_the_same_intent():
    """The ask-for-the-number rule (issue 14): rank 1 unless it is a general answer (no `needs`) while no order is
    known and a candidate of the same intent asks for the order number or its proof."""
    from bot.selection.policies import AskRulePolicy, ask_rule_index

    needs = {"t.policy": (), "t.ask_id": ("no_order",), "t.status": ("order",), "g.ask_id": ("no_order",),
             "t.unknown": ("unknown_order",)}

    def c(template, intent="t"):
        return Candidate(template, "retrieval", 0.5, meta={"template": template, "intent": intent})

    assert ask_rule_index([c("t.policy"), c("g.ask_id", "g"), c("t.ask_id")], needs) == 2  # same intent only
    assert ask_rule_index([c("t.policy"), c("verify_order.ask")], needs) == 1  # number given: ask for the proof
    assert ask_rule_index([c("t.policy"), c("g.ask_id", "g")], needs) == 0  # no ask of that intent: rank 1
    assert ask_rule_index([c("t.ask_id"), c("t.policy")], needs) == 0  # rank 1 is not a general answer
    assert ask_rule_index([c("t.unknown"), c("t.ask_id")], needs) == 0
    assert ask_rule_index([c("t.policy"), c("t.status"), c("t.ask_id")], needs) == 0  # the order is known (inferred)
    assert ask_rule_index([c("t.policy"), c("t.ask_id")], needs, order_known=True) == 0
    logged = [{"text": "x", "meta": {"template": "t.policy", "intent": "t"}},
              {"text": "y", "meta": {"template": "t.ask_id", "intent": "t"}}]
    assert ask_rule_index(logged, needs) == 1  # logged candidates (dicts) read the same
    # On the real store: "where is my order" without a number; the rule serves an ask, propensity 1.
    from bot.shop.knowledge import KnowledgeBase
    from bot.shop.paths import STORE_DIR

    kb = KnowledgeBase.load(STORE_DIR)
    policy = AskRulePolicy(kb)
    general = next(a for a in kb.intent("delivery_delayed").answers if not a.needs)
    ask = next(a for a in kb.intent("delivery_delayed").answers if a.needs == ["no_order"])
    cands = [Candidate(t.text, "retrieval", 0.5, meta={"template": t.id, "intent": t.intent}) for t in (general, ask)]
    index, p = policy.select(DialogueState("s"), cands, np.random.default_rng(0))
    assert (index, p) == (1, 1.0) and policy.version == "ask_rule"
