"""DQN and PPO over candidate sets learn what they should: the right candidate, and multi-turn credit.

A small two-turn environment with known answers keeps these fast and exact; the algorithms, networks
and checkpoints are the real ones.
"""
import numpy as np
import pytest
import torch

from bot.selection.features import FEATURES_VERSION, SCALARS
from bot.selection.learned import LearnedPolicy, load_checkpoint, make_net, mixed_probabilities, save_checkpoint
from training.policy import dqn
from training.policy import ppo
from training.policy.env import Observation

DIM = 4  # a toy "encoder" dimension: features are 3 * 4 + len(SCALARS) wide


class _Features:
    dim = DIM


class TwoTurnEnv:
    """Turn 1: candidate "A" pays 0 now but opens turn 2, where "B" pays +1 at the end (CSAT).
    A "greedy" candidate pays +0.3 now and ends the conversation. With gamma = 0.9, A is worth 0.9 > 0.3:
    only an agent that carries the terminal reward back to turn 1 picks it."""

    features = _Features()

    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)

    def _obs(self, kinds):
        order = self.rng.permutation(len(kinds))
        self.kinds = [kinds[i] for i in order]
        x = np.zeros((len(kinds), 3 * DIM + len(SCALARS)), np.float32)
        for i, kind in enumerate(self.kinds):
            x[i, 3 * DIM + SCALARS.index("drafter_score")] = {"A": 1.0, "B": -1.0, "greedy": 0.5, "bad": 0.0}[kind]
            x[i, 3 * DIM + SCALARS.index("turn")] = self.turn
        return Observation(x, list(self.kinds), None)

    def reset(self):
        self.turn = 0
        return self._obs(["A", "greedy", "bad"])

    def step(self, action):
        kind = self.kinds[action]
        if self.turn == 0 and kind == "A":
            self.turn = 1
            return self._obs(["B", "bad", "bad"]), 0.0, False, {"conversation_satisfaction": 0.5}
        reward = {"greedy": 0.3, "B": 1.0, "bad": -0.5, "A": -0.5}[kind]
        return None, reward, True, {"conversation_satisfaction": reward}


def greedy_first_turn_choice(net, env):
    obs = env.reset()
    with torch.no_grad():
        return obs.candidates[int(net(torch.as_tensor(obs.features[None]))[0].argmax())]


def test_dqn_carries_the_terminal_reward_back_to_earlier_turns():
    cfg = dqn.DQNConfig(episodes=300, learning_starts=50, train_frequency=1, start_epsilon=1.0, end_epsilon=0.1,
                        exploration_fraction=0.5, target_network_frequency=50, hidden=32, gamma=0.9, seed=0)
    net, history = dqn.train(cfg, env=TwoTurnEnv(0), progress=False)
    env = TwoTurnEnv(1)
    assert [greedy_first_turn_choice(net, env) for _ in range(5)] == ["A"] * 5
    # The same run with gamma = 0 cannot see past turn 1 and takes the immediate 0.3.
    cfg.gamma = 0.0
    myopic, _ = dqn.train(cfg, env=TwoTurnEnv(0), progress=False)
    assert greedy_first_turn_choice(myopic, env) == "greedy"


def test_ppo_learns_the_two_turn_plan_within_the_kl_limit():
    cfg = ppo.PPOConfig(iterations=25, episodes_per_iteration=16, hidden=32, learning_rate=3e-3, seed=0, target_kl=0.05)
    net, history = ppo.train(cfg, env=TwoTurnEnv(0), progress=False)
    assert np.mean(history["episode_return"][-32:]) > 0.8  # nearly always A then B
    assert np.mean(history["episode_return"][:16]) < 0.5  # it was not there at the start
    assert max(history["approx_kl"]) < 0.5  # early stopping keeps each update near the previous policy


def test_off_policy_training_from_logged_propensities():
    """From logged turns: PPO's ratio uses the logged propensity; DQN fits Q on logged transitions."""
    env, rng, logged = TwoTurnEnv(2), np.random.default_rng(0), []
    for _ in range(150):  # a uniform logging policy
        obs, episode = env.reset(), []
        while obs is not None:
            a = int(rng.integers(len(obs.candidates)))
            nxt, r, done, _ = env.step(a)
            episode.append({"x": obs.features, "action": a, "propensity": 1 / len(obs.candidates), "reward": r})
            obs = nxt
        logged.append(episode)
    net, _ = ppo.train(ppo.PPOConfig(max_steps=40, hidden=32, learning_rate=3e-3, clip_coef=0.3), logged=logged, progress=False)
    q, _ = dqn.train(dqn.DQNConfig(max_steps=600, hidden=32, target_network_frequency=50), logged=logged, progress=False)
    env = TwoTurnEnv(3)
    assert greedy_first_turn_choice(q, env) == "A"
    obs = env.reset()
    with torch.no_grad():
        probs = torch.softmax(net(torch.as_tensor(obs.features[None]))[0], -1).numpy()
    assert probs[obs.candidates.index("A")] > 1 / 3  # moved towards A from the uniform logging policy
    with pytest.raises(ValueError, match="no logged turns"):
        dqn.train(dqn.DQNConfig(), logged=[[]], progress=False)
    with pytest.raises(ValueError, match="no logged turns"):
        ppo.train(ppo.PPOConfig(), logged=[], progress=False)


def test_checkpoint_round_trip_and_exploration_mixture(tmp_path):
    n = 3 * DIM + len(SCALARS)
    net = make_net(n, 16)
    rows = np.random.default_rng(1).normal(size=(400, n)).astype(np.float32)
    rows[:, -len(SCALARS)] *= 0.5  # a spread of 0.5 -> scale 2
    rows[:, -len(SCALARS) + 1] *= 0.01  # a narrow column is scaled up to the floor's 5, not 100
    rows[:, -1] = 1.0  # a constant column (the bias) stays as it is
    net.fit_scale(rows)
    scale = net.scalar_scale.numpy()
    assert scale[0] == pytest.approx(2, rel=0.1) and scale[1] == pytest.approx(5) and scale[-1] == 1.0
    version = save_checkpoint(net, tmp_path / "ckpt", {"algo": "dqn", "features_version": FEATURES_VERSION,
                                                       "temperature": 0.5, "epsilon": 0.2, "reward_feature": True},
                              {"data": {}})
    assert version.startswith("dqn-")
    # The same weights served with other exploration settings are another version (turns log which one).
    other = save_checkpoint(net, tmp_path / "ckpt-t1", {"algo": "dqn", "features_version": FEATURES_VERSION,
                                                        "temperature": 1.0, "epsilon": 0.2}, {"data": {}})
    assert other != version and other.startswith("dqn-")
    policy = load_checkpoint(tmp_path / "ckpt", _Features())
    assert isinstance(policy, LearnedPolicy) and policy.version == version
    np.testing.assert_array_equal(policy.net.scalar_scale.numpy(), scale)  # the scales travel with the weights
    x = np.random.default_rng(0).normal(size=(5, n)).astype(np.float32)
    p = policy.probabilities_from_features(x)
    assert p.sum() == pytest.approx(1.0) and p.min() >= 0.2 / 5 - 1e-12  # epsilon keeps every propensity known
    with torch.no_grad():
        expected = mixed_probabilities(net(torch.from_numpy(x)[None])[0].double().numpy(), 0.5, 0.2)
    np.testing.assert_allclose(p, expected, rtol=1e-6)
    # A policy trained without a reward model never sees reward scores, whatever the serving bot has.
    policy.config["reward_feature"] = False
    base = n - len(SCALARS)
    with_rm = x.copy()
    with_rm[:, base + SCALARS.index("reward")], with_rm[:, base + SCALARS.index("has_reward")] = [5, -5, 0, 1, 2], 1
    blind = x.copy()
    blind[:, base + SCALARS.index("reward")] = blind[:, base + SCALARS.index("has_reward")] = 0
    np.testing.assert_allclose(policy.scores_from_features(with_rm), policy.scores_from_features(blind))
    # `rlcs eval policy --greedy`: the same checkpoint without exploration puts all mass on its best score.
    from training.policy.evaluate import PolicyProbs

    greedy = PolicyProbs(str(tmp_path / "ckpt"), None, _Features(), greedy=True)
    serving = PolicyProbs(str(tmp_path / "ckpt"), None, _Features())
    rewards = np.full(5, np.nan)
    np.testing.assert_array_equal(greedy(x, rewards), np.eye(5)[int(np.argmax(greedy.learned.scores_from_features(x)))])
    assert serving(x, rewards).min() > 0 and greedy.version == serving.version + "@T0,eps0"
    # `--policies NAME=PATH@T/EPS`: served with other exploration, a version of its own
    from training.policy.evaluate import parse_policies

    [(name, spec)] = parse_policies(f"calm={tmp_path / 'ckpt'}@0.05/0.01")
    calm = PolicyProbs(spec, None, _Features())
    assert name == "calm" and calm.version == serving.version + "@T0.05,eps0.01"
    np.testing.assert_allclose(calm(x, rewards), mixed_probabilities(calm.learned.scores_from_features(x), 0.05, 0.01))
    with pytest.raises(ValueError, match="PATH@TEMPERATURE/EPSILON"):
        parse_policies(f"{tmp_path / 'ckpt'}@cold")


def test_online_bench_learner_finds_the_better_reply():
    """`rlcs bench policy`'s learner (SelectionNet + SquareCB, scaled scalars, Polyak-averaged scoring) on a toy
    bandit: the candidate flagged by a narrow scalar (spread 0.05, as a similarity gap) is thumbed up 80% of the
    time, the others 20%. It must learn to pick it, and its acting weights must be an average, not a copy."""
    from training.policy.bench import OurLearner

    n = 3 * DIM + len(SCALARS)
    rng = np.random.default_rng(0)
    learner = OurLearner(n, seed=0, lr=1e-3, hidden=32, gamma_scale=50.0)
    column = 3 * DIM + SCALARS.index("cos_msg_gap")
    picks = []
    for t in range(1500):
        x = np.zeros((5, n), np.float32)
        x[:, 3 * DIM + SCALARS.index("bias")] = 1.0
        good = int(rng.integers(5))
        x[:, column] = -0.1
        x[good, column] = 0.0
        action, p = learner.act(x)
        assert p.sum() == pytest.approx(1.0) and (p > 0).all()  # SquareCB keeps exploring every candidate
        learner.learn(x, action, float(rng.random() < (0.8 if action == good else 0.2)))
        picks.append(action == good)
    assert np.mean(picks[-300:]) > 0.8 > np.mean(picks[:100])
    assert learner.net.scalar_scale[SCALARS.index("cos_msg_gap")] == pytest.approx(5.0)  # spread 0.04 -> floor 0.2
    averaged = torch.nn.utils.parameters_to_vector(learner.acting.parameters())
    assert not torch.equal(averaged, torch.nn.utils.parameters_to_vector(learner.net.parameters()))


def test_conservative_q_from_logs_distrusts_replies_the_log_never_tried():
    """A log that never tried "bad" (really worth -0.5): plain fitted Q guesses it from its neighbours' features;
    with the CQL penalty (the default for logged data) its Q stays below everything the log did try."""
    env, rng, logged = TwoTurnEnv(2), np.random.default_rng(0), []
    for _ in range(150):
        obs, episode = env.reset(), []
        while obs is not None:
            tried = [i for i, kind in enumerate(obs.candidates) if kind != "bad"]
            a = int(rng.choice(tried))
            nxt, r, done, _ = env.step(a)
            episode.append({"x": obs.features, "action": a, "propensity": 1 / len(tried), "reward": r})
            obs = nxt
        logged.append(episode)
    values = {}
    for alpha in (0.0, dqn.DQNConfig().cql_alpha):
        q, _ = dqn.train(dqn.DQNConfig(max_steps=600, hidden=32, target_network_frequency=50, cql_alpha=alpha),
                         logged=logged, progress=False)
        obs = TwoTurnEnv(3).reset()
        with torch.no_grad():
            values[alpha] = dict(zip(obs.candidates, q(torch.as_tensor(obs.features[None]))[0].tolist()))
    plain, conservative = values[0.0], values[dqn.DQNConfig().cql_alpha]
    assert plain["bad"] > -0.5 + 0.3  # extrapolated far above its true value
    assert conservative["bad"] < -0.5 < conservative["greedy"] < conservative["A"]


class FlaggedEnv:
    """One turn, five candidates: the one a narrow scalar flags (spread 0.05, as a similarity gap) is thumbed up
    80% of the time, the others 20%."""

    features = _Features()

    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)

    def reset(self):
        n = 3 * DIM + len(SCALARS)
        x = np.zeros((5, n), np.float32)
        x[:, 3 * DIM + SCALARS.index("bias")] = 1.0
        x[:, 3 * DIM + SCALARS.index("cos_msg_gap")] = -0.1
        self.good = int(self.rng.integers(5))
        x[self.good, 3 * DIM + SCALARS.index("cos_msg_gap")] = 0.0
        return Observation(x, list(range(5)), None)

    def step(self, action):
        reward = 1.0 if self.rng.random() < (0.8 if action == self.good else 0.2) else -1.0
        return None, reward, True, {"conversation_satisfaction": (reward + 1) / 2}


def test_linucb_baseline_learns_online_and_from_logs_and_round_trips(tmp_path):
    """The contextual-bandit baseline (`rlcs train policy --algo bandit`): LinUCB on the same feature rows."""
    from training.policy import bandit
    from training.policy.evaluate import PolicyProbs

    model, history = bandit.train(bandit.BanditConfig(episodes=400, alpha=0.3, seed=0), env=FlaggedEnv(0), progress=False)
    assert np.mean(history["satisfaction"][-100:]) > 0.65  # the flagged reply is thumbed up 80% of the time
    env = FlaggedEnv(1)
    for _ in range(20):
        obs = env.reset()
        assert int(np.argmax(model.probabilities_from_features(obs.features))) == env.good
    logged, env = [], FlaggedEnv(2)  # from a uniform log: a ridge regression of the rewards
    for _ in range(300):
        obs = env.reset()
        a = int(env.rng.integers(5))
        logged.append([{"x": obs.features, "action": a, "propensity": 0.2, "reward": env.step(a)[1]}])
    from_logs, _ = bandit.train(bandit.BanditConfig(), logged=logged, progress=False)
    obs = env.reset()
    assert int(np.argmax(from_logs.scores_from_features(obs.features))) == env.good
    version = bandit.save(model, tmp_path / "bandit", bandit.BanditConfig(), {"data": {}})
    assert version.startswith("linucb-") and bandit.is_bandit(tmp_path / "bandit")
    served = PolicyProbs(str(tmp_path / "bandit"), None, _Features())
    assert served.baseline and served.version == version
    np.testing.assert_array_equal(served(obs.features, np.full(5, np.nan)), model.probabilities_from_features(obs.features))


def test_an_ensemble_of_trained_policies_serves_their_mean_score(tmp_path):
    from training.policy.ensemble import combine

    n = 3 * DIM + len(SCALARS)
    paths, nets = [], []
    for seed in range(3):
        torch.manual_seed(seed)
        net = make_net(n, 16)
        net.fit_scale(np.random.default_rng(seed).normal(size=(50, n)).astype(np.float32))
        config = {"algo": "dqn", "features_version": FEATURES_VERSION, "temperature": 0.03, "epsilon": 0.02,
                  "reward_feature": True}  # so every input reaches the nets as given
        save_checkpoint(net, tmp_path / f"m{seed}", config, {"data": {}})
        paths.append(str(tmp_path / f"m{seed}"))
        nets.append(net)
    version = combine(paths, str(tmp_path / "ens"), temperature=0.01, epsilon=0.01, features=_Features())
    served = load_checkpoint(tmp_path / "ens", _Features())
    assert served.version == version and version.startswith("dqn-ensemble-") and served.config["members"] == 3
    assert (served.temperature, served.epsilon) == (0.01, 0.01)
    x = np.random.default_rng(9).normal(size=(6, n)).astype(np.float32)
    with torch.no_grad():
        mean = np.mean([net(torch.from_numpy(x)[None])[0].numpy() for net in nets], axis=0)
    np.testing.assert_allclose(served.scores_from_features(x), mean, rtol=1e-5, atol=1e-6)
    assert not np.allclose(mean, nets[0](torch.from_numpy(x)[None])[0].detach().numpy())  # not just one member
    # members must fit together: another architecture is refused with a reason
    save_checkpoint(make_net(n, 8), tmp_path / "narrow", {"algo": "dqn", "features_version": FEATURES_VERSION,
                                                          "reward_feature": True}, {"data": {}})
    with pytest.raises(ValueError, match="different hidden"):
        combine([paths[0], str(tmp_path / "narrow")], str(tmp_path / "bad"), features=_Features())
    with pytest.raises(ValueError, match="at least 2"):
        combine(paths[:1], str(tmp_path / "bad"), features=_Features())
