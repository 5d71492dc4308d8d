"""The simulated customer: hidden satisfaction, multi-turn dynamics, reproducibility, logging through the Bot."""
from pathlib import Path

import numpy as np
import pytest

from bot import Bot, BotConfig
from bot.candidate import Candidate
from bot.selection.features import n_features
from training.policy.rl_reward import RewardMix
from training.policy.simulator import SelectionEnv, Simulator, log_conversations, run_episode

CACHE = str(Path(__file__).resolve().parents[1] / "runs" / "cache")  # embedding cache only: rebuilt if absent


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("sim") / "r.sqlite3"), cache_dir=CACHE, seed=0))


def test_reward_weights_parse():
    w = RewardMix.parse("thumb=0.5,csat=2,reward-model=0")
    assert (w.thumb, w.csat, w.reward_model, w.sat) == (0.5, 2.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="unknown reward source"):
        RewardMix.parse("likes=1")
    with pytest.raises(ValueError, match="must be a number"):
        RewardMix.parse("thumb=lots")


def test_hidden_satisfaction_rewards_the_right_step(bot):
    sim = Simulator.for_bot(bot)
    rng = np.random.default_rng(0)
    customer = next(c for c in (sim.sample_customer(rng) for _ in range(200)) if c.intent == "track_order")
    customer.tolerance, customer.likes_warmth = 60, True
    intent = bot.kb.intent("track_order")
    ask = next(a for a in intent.answers if a.needs == ["no_order"])
    answer = next(a for a in intent.answers if a.needs == ["order"])
    wrong = bot.kb.intent("gift_cards").answers[0]

    def cand(t):
        return Candidate(t.text, "retrieval", 0.5, meta={"template": t.id, "intent": t.intent})

    # Before the order number is known, asking for it helps; after, it annoys; the order answer resolves.
    assert sim.judge(customer, cand(ask), id_given=False) [1] == "ask"
    assert sim.satisfaction(customer, cand(ask), False) > sim.satisfaction(customer, cand(ask), True)
    assert sim.judge(customer, cand(answer), True)[1] == "answer"
    assert sim.satisfaction(customer, cand(wrong), False) < 0.3 < sim.satisfaction(customer, cand(ask), False)
    # Length tolerance: the same reply, padded far past the customer's tolerance, satisfies less.
    long = Candidate(answer.text + " More words here." * 30, "retrieval", 0.5, meta={"template": answer.id})
    assert sim.satisfaction(customer, long, True) < sim.satisfaction(customer, cand(answer), True)


def test_episode_multi_turn_terminal_csat_and_reproducible(bot):
    def play(seed):
        env = SelectionEnv(bot, RewardMix(thumb=0.0, csat=1.0), seed=seed, feedback_rate=0.0)
        return [run_episode(env, lambda obs: 0) for _ in range(6)], env

    first, env = play(3)
    again, _ = play(3)
    assert [(e["turns"], e["csat"], round(e["return"], 6)) for e in first] == \
           [(e["turns"], e["csat"], round(e["return"], 6)) for e in again]
    assert any(e["turns"] > 1 for e in first)  # follow-ups happen (asked for the order number, or not served)
    for e in first:
        assert 1 <= e["csat"] <= 5 and 0.0 <= e["satisfaction"] <= 1.0
        assert e["return"] == pytest.approx((e["csat"] - 3) / 2)  # only the terminal CSAT was weighted
        assert all(s["reward"] == 0.0 for s in e["steps"][:-1])
    obs = env.reset()
    assert obs.features.shape == (len(obs.candidates), n_features(bot.encoder.dim))
    assert np.isfinite(obs.features).all()


def test_simulated_customers_talk_through_the_bot(bot, tmp_path):
    logger = Bot(BotConfig(db_path=str(tmp_path / "logs.sqlite3"), cache_dir=CACHE, policy="uniform", seed=1))
    summary = log_conversations(logger, episodes=4, seed=2, feedback_rate=1.0, progress=False)
    turns = logger.replay.logged_turns()
    assert summary["episodes"] == 4 and len({t["session_id"] for t in turns}) == 4
    assert all(t["thumb"] in (1, -1) for t in turns)  # feedback_rate 1: every turn thumbed
    assert all(t["csat"] in range(1, 6) and t["resolved"] in (0, 1) for t in turns)
    assert all(t["propensity"] == pytest.approx(1 / len(t["candidates"])) for t in turns)
    assert all(t["policy_version"] == "uniform" for t in turns)


def test_features_place_each_candidate_among_the_others_live_and_logged(bot, tmp_path):
    from bot.selection.features import SCALARS, FeatureBuilder, TurnContext

    live = Bot(BotConfig(db_path=str(tmp_path / "f.sqlite3"), cache_dir=CACHE, policy="first", seed=0))
    turn = live.reply("s1", "where is my package?")
    features = FeatureBuilder.for_bot(live)
    logged = live.replay.logged_turns()[-1]
    x_logged = features.build(TurnContext.from_logged(logged), logged["candidates"])
    x_live = features.build(TurnContext("where is my package?"), turn.candidates)
    np.testing.assert_allclose(x_live, x_logged, atol=1e-5)  # a logged turn is seen exactly as it was served

    column = {name: x_live[:, x_live.shape[1] - len(SCALARS) + k] for k, name in enumerate(SCALARS)}
    needs = {t.id: t.needs for t in live.kb.answers}
    for i, cand in enumerate(turn.candidates):
        template_needs = needs[cand.meta["template"]]
        assert column["step_asks_order"][i] == float("no_order" in template_needs)
        assert column["step_general"][i] == float(not template_needs)
        assert column["same_intent_as_first"][i] == float(cand.meta["intent"] == turn.candidates[0].meta["intent"])
    # No order number yet: asking for it is on offer, answering about the order is not.
    assert column["step_asks_order"].any() and not column["step_order_answer"].any()
    assert column["score_gap"][0] == 0.0 and (column["score_gap"] <= 0).all()
    assert column["cos_msg_gap"].max() == 0.0 and (column["cos_context_gap"] == 0).all()  # no earlier messages

    live.reply("s1", "it's order 10023")  # found, but nothing of it is shown until the customer proves it
    email = live.orders.get("10023")["email"]
    after = live.reply("s1", email)  # once the order is proven, the order answers appear
    x_after = features.build(TurnContext(email, ["where is my package?", "it's order 10023"], 2, True, True),
                          after.candidates)
    after_column = {name: x_after[:, x_after.shape[1] - len(SCALARS) + k] for k, name in enumerate(SCALARS)}
    assert after_column["step_order_answer"].any() and not after_column["step_asks_order"].any()
    assert (after_column["cos_context_gap"] <= 0).all() and after_column["cos_context_gap"].max() == 0.0


def test_a_chatty_customer_asked_for_the_order_number_gives_it(bot):
    """Regression (issue 14): the chatty style's number filter used to delete the id the customer was giving."""
    from training.policy.simulator import Customer

    sim = Simulator.for_bot(bot, split="test")
    for seed in range(20):
        customer = Customer(intent="track_order", style="chatty", tolerance=30, likes_warmth=True, order_id="10023",
                            says_id_first=False, need=None, patience=3)
        text = sim.follow_up(customer, "ask", np.random.default_rng(seed))
        assert "10023" in text, text


def test_a_customer_asked_to_prove_the_order_gives_its_email(bot):
    """The bot asks for the order's email or postcode before showing it (bot/dialogue/order_access.py)."""
    from training.policy.simulator import Customer

    sim = Simulator.for_bot(bot)
    customer = Customer(intent="track_order", style="plain", tolerance=45, likes_warmth=False, order_id="10023",
                        says_id_first=True, need=None, patience=3)
    ask = Candidate("Could you confirm the email on order 10023?", "retrieval", 0.5,
                    meta={"template": "verify_order.ask", "intent": "track_order"})
    assert sim.judge(customer, ask, id_given=True)[1] == "prove"
    text = sim.follow_up(customer, "prove", np.random.default_rng(0))
    assert bot.orders.get("10023")["email"] in text
    live = Bot(BotConfig(db_path=bot.config.db_path + ".prove", cache_dir=CACHE, policy="first", seed=0))
    live.reply("p", "where is my order 10023?")
    assert bot.orders.get("10023")["tracking_number"] in live.reply("p", text).text  # the proof opens the order
