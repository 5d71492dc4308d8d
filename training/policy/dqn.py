"""Double DQN over candidate sets (CleanRL's dqn.py, for a bot choosing among drafted replies).

The action space changes every turn: the candidates the drafter proposed. Q(s, a) is the SelectionNet's score
of candidate a's feature row, so one network handles any candidate set. Multi-turn credit: s' is the next
turn of the same conversation with ITS candidate set; the episode ends with the session, whose CSAT (and
resolved) arrives as a terminal reward that the TD target carries back, discounted by gamma.

    y = r + gamma * (1 - done) * Q_target(s', argmax_a' Q_online(s', a'))      # double DQN
    loss = SmoothL1(Q_online(s, a), y)

The network that is saved and serves is a Polyak average of the online network's weights (`polyak`): each
gradient step follows a few noisy thumbs, and the average generalises better to new customers.

Experience comes from the simulated-customer environment (training/policy/env.py) or from logged sessions
in a replay buffer (`--db`: fitted Q on the logged transitions, with a conservative (CQL) penalty so
that replies the log rarely tried do not look better than they are). accelerate makes the same loop run
on CPU, one GPU or several (each process plays its own customers; gradients are averaged).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass
class DQNConfig:
    """Hyperparameters of DQN over candidate sets."""

    episodes: int = 8000
    """Simulated conversations to play (ignored with logged data)."""
    max_steps: int = 0
    """Gradient steps for logged data (0 = 20 passes over the transitions)."""
    learning_rate: float = 1e-3
    """Adam learning rate."""
    buffer_size: int = 5000
    """Replay buffer capacity (transitions)."""
    batch_size: int = 32
    """Transitions per gradient step."""
    gamma: float = 0.9
    """Discount: how much a later turn's reward (and the final CSAT) counts for this choice."""
    target_network_frequency: int = 100
    """Gradient steps between hard copies into the target network."""
    start_epsilon: float = 0.5
    """Exploration rate at the start of training."""
    end_epsilon: float = 0.05
    """Exploration rate after the decay."""
    exploration_fraction: float = 0.3
    """Fraction of the episodes over which epsilon decays linearly."""
    learning_starts: int = 200
    """Transitions collected before the first gradient step."""
    train_frequency: int = 8
    """Environment steps per gradient step. Fewer updates generalise better to unseen phrasings: held-out greedy
    satisfaction 0.598 / 0.634 / 0.657 / 0.684 at 1 (batch 64) / 2 / 4 / 8 (docs/selection-policy.md)."""
    hidden: int = 128
    """Width of the scoring MLP."""
    max_candidates: int = 8
    """Candidate sets are padded to this size."""
    temperature: float = 0.01
    """Serving: softmax temperature over Q-values. Q is in reward units and candidates differ by a few hundredths,
    so 0.1 was close to uniform among the top few. Chosen on 1,000 TRAINING-split customers over seeds 0-2
    (round 5): T 0.03 / eps 0.02 served 0.646, 0.01 / 0.02 0.648, 0.03 / 0.01 0.650, 0.01 / 0.01 0.651
    (docs/selection-policy.md)."""
    serving_epsilon: float = 0.01
    """Serving: uniform exploration mixed in, so its logs stay usable for off-policy evaluation (every candidate
    keeps a propensity of at least epsilon / N); each 0.01 costs about 0.003 satisfaction (see temperature)."""
    polyak: float = 0.995
    """The saved (serving) network is a moving average of the online network's weights, with this decay per
    gradient step (0 = save the online network itself). Held-out greedy satisfaction over seeds 0-2: 0.689
    without, 0.704 at 0.99, 0.706 at 0.995, and less spread between seeds (docs/selection-policy.md)."""
    cql_alpha: float = 0.3
    """Logged data only: conservative Q-learning penalty alpha * (logsumexp_a Q(s, a) - Q(s, a_logged)), which
    keeps Q low on replies the log rarely tried. On the 600-session simulated log, held-out greedy satisfaction
    0.432 at 0, 0.489 / 0.573 / 0.630 / 0.617 / 0.610 / 0.599 at 0.03 / 0.1 / 0.3 / 1 / 3 / 10 (docs/selection-policy.md)."""
    seed: int = 0
    """Seed for the network, exploration and the simulated customers."""


class TransitionMemory:
    """Fixed-size ring of (s, a, r, s', done) with padded candidate sets, features stored as float16."""

    def __init__(self, capacity: int, n_max: int, dim: int, rng: np.random.Generator):
        self.x = np.zeros((capacity, n_max, dim), np.float16)
        self.m = np.zeros((capacity, n_max), bool)
        self.nx = np.zeros((capacity, n_max, dim), np.float16)
        self.nm = np.zeros((capacity, n_max), bool)
        self.a = np.zeros(capacity, np.int64)
        self.r = np.zeros(capacity, np.float32)
        self.d = np.zeros(capacity, np.float32)
        self.capacity, self.n_max, self.size, self.pos, self.rng = capacity, n_max, 0, 0, rng

    def add(self, x, a, r, next_x, done):
        i, n = self.pos, min(len(x), self.n_max)
        self.x[i], self.m[i] = 0, False
        self.x[i, :n], self.m[i, :n], self.a[i], self.r[i], self.d[i] = x[:n], True, min(a, n - 1), r, float(done)
        self.nx[i], self.nm[i] = 0, False
        if next_x is not None:
            k = min(len(next_x), self.n_max)
            self.nx[i, :k], self.nm[i, :k] = next_x[:k], True
        else:
            self.nm[i, 0] = True  # a dummy slot keeps argmax defined; (1 - done) zeroes it anyway
        self.pos, self.size = (self.pos + 1) % self.capacity, min(self.size + 1, self.capacity)

    def sample(self, batch_size: int, device):
        import torch

        idx = self.rng.integers(self.size, size=batch_size)
        t = lambda arr, dtype=None: torch.as_tensor(arr[idx], device=device, dtype=dtype)  # noqa: E731
        return (t(self.x, torch.float32), t(self.m), t(self.a), t(self.r), t(self.nx, torch.float32), t(self.nm), t(self.d))


def linear_schedule(start: float, end: float, duration: float, t: float) -> float:
    return max(end, start + (end - start) * t / max(duration, 1))


def train(cfg: DQNConfig, env=None, logged=None, writer=None, progress: bool = True):
    """Train on the environment (`env`) or on logged episodes (`logged`: list of lists of turn dicts)."""
    import copy

    import torch
    import torch.nn.functional as F
    from tqdm import tqdm

    from bot.selection.learned import make_net
    from training.policy.rl_setup import polyak_update, scaling_rows, start_run, trained_net

    accelerator, rng, dim = start_run(cfg.seed, env, logged)
    q_network = make_net(dim, cfg.hidden)
    q_network.fit_scale(scaling_rows(env, logged, rng))
    target_network = make_net(dim, cfg.hidden)
    target_network.load_state_dict(q_network.state_dict())
    optimizer = torch.optim.Adam(q_network.parameters(), lr=cfg.learning_rate)
    q_network, optimizer = accelerator.prepare(q_network, optimizer)
    target_network.to(accelerator.device)
    online = accelerator.unwrap_model(q_network)
    averaged = copy.deepcopy(online) if cfg.polyak else online  # what gets saved and serves
    rb = TransitionMemory(cfg.buffer_size, cfg.max_candidates, dim, rng)
    history = {"episode_return": [], "satisfaction": [], "loss": []}
    global_step = 0

    conservative = cfg.cql_alpha if logged is not None else 0.0  # CQL only where the data is a fixed log

    def gradient_step():
        x, m, a, r, nx, nm, d = rb.sample(cfg.batch_size, accelerator.device)
        with torch.no_grad():
            next_a = online(nx, nm).argmax(1, keepdim=True)  # the online net picks a' ...
            next_q = target_network(nx, nm).gather(1, next_a).squeeze(1)  # ... the target net values it
            td_target = r + cfg.gamma * next_q * (1 - d)
        q_all = q_network(x, m)
        q = q_all.gather(1, a[:, None]).squeeze(1)
        loss = F.smooth_l1_loss(q, td_target)
        if conservative:  # CQL: push down every reply's Q, push up the one the log actually took
            loss = loss + conservative * (torch.logsumexp(q_all, 1) - q).mean()
        optimizer.zero_grad()
        accelerator.backward(loss)
        accelerator.clip_grad_norm_(q_network.parameters(), 10.0)
        optimizer.step()
        return loss.item()

    def learn(step: int) -> None:
        """A gradient step, logged, and folded into the Polyak average; every target_network_frequency steps the
        target net gets a hard copy."""
        loss = gradient_step()
        history["loss"].append(loss)
        if cfg.polyak:  # the decay starts low, so a short run (a small log) is not an average of its random start
            k = len(history["loss"]) - 1
            polyak_update(averaged, online, min(cfg.polyak, (1 + k) / (10 + k)))
        if step % cfg.target_network_frequency == 0:
            target_network.load_state_dict(online.state_dict())
        if writer is not None and step % 50 == 0:
            writer.add_scalar("dqn/loss", loss, step)

    if logged is not None:  # fitted Q on the logged sessions
        for episode in logged:
            for t, turn in enumerate(episode):
                nxt = episode[t + 1]["x"] if t + 1 < len(episode) else None
                rb.add(turn["x"], turn["action"], turn["reward"], nxt, nxt is None)
        if rb.size == 0:
            raise ValueError("the replay buffer has no logged turns to learn from")
        steps = cfg.max_steps or max(20 * rb.size // cfg.batch_size, 200)
        for step in tqdm(range(steps), desc="dqn (logged)", disable=not progress):
            learn(step)
        return trained_net(accelerator, averaged), history

    bar = tqdm(range(cfg.episodes), desc="dqn", disable=not progress)
    for episode in bar:
        epsilon = linear_schedule(cfg.start_epsilon, cfg.end_epsilon, cfg.exploration_fraction * cfg.episodes, episode)
        obs, total = env.reset(), 0.0
        while obs is not None:
            if rng.random() < epsilon:
                action = int(rng.integers(len(obs.candidates)))
            else:
                with torch.no_grad():
                    q = online(torch.as_tensor(obs.features[None], device=accelerator.device))[0]
                action = int(q[: cfg.max_candidates].argmax())
            next_obs, reward, done, info = env.step(action)
            rb.add(obs.features, action, reward, None if done else next_obs.features, done)
            total += reward
            obs = next_obs
            global_step += 1
            if global_step > cfg.learning_starts and global_step % cfg.train_frequency == 0:
                learn(global_step)
        history["episode_return"].append(total)
        history["satisfaction"].append(info["conversation_satisfaction"])
        if writer is not None:
            writer.add_scalar("dqn/episode_return", total, episode)
            writer.add_scalar("dqn/satisfaction", info["conversation_satisfaction"], episode)
            writer.add_scalar("dqn/epsilon", epsilon, episode)
        if episode % 50 == 49:
            bar.set_postfix(ret=f"{np.mean(history['episode_return'][-50:]):.2f}",
                            sat=f"{np.mean(history['satisfaction'][-50:]):.3f}", eps=f"{epsilon:.2f}")
    return trained_net(accelerator, averaged), history


def serving_config(cfg: DQNConfig) -> dict:
    from bot.selection.features import FEATURES_VERSION

    return {"algo": "dqn", "features_version": FEATURES_VERSION, "temperature": cfg.temperature,
            "epsilon": cfg.serving_epsilon, "train_config": asdict(cfg)}
