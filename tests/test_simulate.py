"""The simulated customer: the rubric's satisfaction, multi-turn dynamics, reproducibility, logging through the Bot."""
from pathlib import Path

import numpy as np
import pytest

from bot import Bot, BotConfig
from bot.candidate import Candidate
from bot.selection.features import n_features
from training.policy.rl_reward import RewardMix
from training.policy.env import SelectionEnv, log_conversations, run_episode
from training.policy.simulator import Customer, Simulator

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


def _cand(template, text=None):
    return Candidate(text or template.text, "retrieval", 0.5, meta={"template": template.id, "intent": template.intent})


def test_satisfaction_rewards_the_right_step(bot):
    """The rubric (training/policy/rubric.py) from labels: the template's intent and `needs` against what the
    customer has said, and the customer's type."""
    sim = Simulator.for_bot(bot)
    customer = Customer(intent="track_order", messages=[], tolerance=60, order_id="10023")
    intent = bot.kb.intent("track_order")
    ask = next(a for a in intent.answers if a.needs == ["no_order"])
    answer = next(a for a in intent.answers if a.needs == ["order"])
    wrong = bot.kb.intent("gift_cards").answers[0]
    general = next(a for a in bot.kb.intent("delivery_delayed").answers if not a.needs)

    # Before the order number is known, asking for it helps; after, it annoys; the order answer resolves.
    assert sim.judge(customer, _cand(ask)) == (pytest.approx(0.6), "ask")
    assert sim.satisfaction(customer, _cand(wrong)) < 0.3 < sim.satisfaction(customer, _cand(ask))
    customer.said_order = True
    assert sim.judge(customer, _cand(ask))[0] < 0.6
    customer.proved = True
    assert sim.judge(customer, _cand(answer))[1] == "answer"
    # Length tolerance: the same reply, padded far past the customer's tolerance, satisfies less.
    long = _cand(answer, answer.text + " More words here." * 30)
    assert sim.satisfaction(customer, long) < sim.satisfaction(customer, _cand(answer))
    # A general answer: poor for "where is MY order", good for "how do returns work".
    late = Customer(intent="delivery_delayed", messages=[], tolerance=90, order_id="10023")
    assert sim.judge(late, _cand(general)) == (pytest.approx(0.4), "partial")
    returns = Customer(intent="return_item", messages=[], tolerance=90, order_id="10023")
    policy = next(a for a in bot.kb.intent("return_item").answers if a.id == "return_item.policy")
    assert sim.judge(returns, _cand(policy)) == (pytest.approx(0.8), "answer")


def test_clarifying_and_handing_over_fit_only_unclear_or_out_of_scope_messages(bot):
    from training.policy.rubric import TYPES

    sim = Simulator.for_bot(bot)
    clarify = Candidate("What is it about?", "clarify", 1.0, meta={})
    vague = Customer(intent="track_order", messages=[], tolerance=90, last_tags={"vague", "very_short"})
    clear = Customer(intent="track_order", messages=[], tolerance=90, last_tags={"no_punctuation"})
    assert sim.judge(vague, clarify) == (pytest.approx(0.5), "question")
    assert sim.judge(clear, clarify) == (pytest.approx(0.2), "question")
    handover = Candidate("A colleague will take over.", "handover", 1.0, meta={"handover": "unsure"})
    out_of_scope = Customer(intent="shipping_options", messages=[], tolerance=90, sticky={"out_of_scope"})
    assert sim.judge(out_of_scope, handover) == (pytest.approx(0.6), "handover")
    assert sim.judge(clear, handover)[0] < 0.2
    asked = Candidate("A colleague will take over.", "handover", 1.0, meta={"handover": "customer_asked"})
    assert sim.judge(Customer(intent="human_agent", messages=[], tolerance=90), asked)[0] == pytest.approx(0.85)
    # Types: a terse customer minds a 40-word reply that a patient one does not; an angry one wants it acknowledged.
    reply = Candidate("word " * 40, "retrieval", 0.5, meta={"template": "shipping_options.costs", "intent": "shipping_options"})
    terse = Customer(intent="shipping_options", messages=[], tolerance=TYPES["terse"])
    patient = Customer(intent="shipping_options", messages=[], tolerance=TYPES["patient"])
    assert sim.satisfaction(terse, reply) < sim.satisfaction(patient, reply) == pytest.approx(0.8)
    angry = Customer(intent="shipping_options", messages=[], tolerance=90, angry=True)
    sorry = Candidate("Sorry about that. " + "word " * 10, "retrieval", 0.5, meta=reply.meta)
    assert sim.satisfaction(angry, sorry) > sim.satisfaction(angry, reply)


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
    # Sparse feedback, as people give it: a few thumbs, and most conversations end unrated.
    sparse = Bot(BotConfig(db_path=str(tmp_path / "sparse.sqlite3"), cache_dir=CACHE, policy="uniform", seed=1))
    summary = log_conversations(sparse, episodes=30, seed=3, feedback_rate=0.1, csat_rate=0.0, progress=False)
    turns = sparse.replay.logged_turns()
    assert 0 < summary["thumbed"] < 0.3 and sum(t["thumb"] is not None for t in turns) < 0.3 * len(turns)
    assert summary["rated"] == 0 and all(t["csat"] is None for t in turns)


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
    """Regression (issue 14): the chatty style's number filter used to delete the id the customer was giving.
    Now no style rewrites what a customer says: asked for the number, every type of customer gives it."""
    sim = Simulator.for_bot(bot, split="test")
    for kind in ("terse", "plain", "patient"):
        for seed in range(20):
            customer = Customer(intent="track_order", messages=["hi, where is my parcel?"], type=kind, tolerance=30,
                                order_id="10023")
            text = sim.follow_up(customer, "ask", np.random.default_rng(seed))
            assert "10023" in text and customer.said_order, text
    # And a customer drawn from the pool, asked at any point, gives their own order's number.
    rng = np.random.default_rng(0)
    for k in range(60):
        customer = sim.sample_customer(rng, conversation=k)
        if customer.order_id:
            sim.opening(customer, rng)
            assert customer.order_id in sim.follow_up(customer, "ask", rng)


def test_a_customer_asked_to_prove_the_order_gives_its_email(bot):
    """The bot asks for the order's email or postcode before showing it (bot/dialogue/order_access.py)."""
    sim = Simulator.for_bot(bot)
    customer = Customer(intent="track_order", messages=[], tolerance=45, order_id="10023", said_order=True)
    ask = Candidate("Could you confirm the email on order 10023?", "retrieval", 0.5,
                    meta={"template": "verify_order.ask", "intent": "track_order"})
    assert sim.judge(customer, ask)[1] == "prove"
    other = Candidate("Could you confirm the email on order 10099?", "retrieval", 0.5,
                      meta={"template": "verify_order.ask", "intent": "track_order"})
    assert sim.judge(customer, other)[1] == "ask"  # not their order: they say their number again
    text = sim.follow_up(customer, "prove", np.random.default_rng(0))
    assert bot.orders.get("10023")["email"] in text and customer.proved
    live = Bot(BotConfig(db_path=bot.config.db_path + ".prove", cache_dir=CACHE, policy="first", seed=0))
    live.reply("p", "where is my order 10023?")
    assert bot.orders.get("10023")["tracking_number"] in live.reply("p", text).text  # the proof opens the order
