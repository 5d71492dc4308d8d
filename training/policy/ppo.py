"""PPO over candidate sets (CleanRL's ppo.py, for a bot choosing among drafted replies).

pi(a | s, C) = softmax over the SelectionNet's candidate scores; V(s) is its value head (mean-pooled body).
Each iteration collects whole simulated conversations with the current policy, computes GAE advantages
(the end-of-conversation CSAT is the terminal reward), then takes a few epochs of minibatch steps on

    ratio   = pi_new(a|s) / pi_old(a|s)
    L_clip  = -mean(min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A))
    loss    = L_clip + vf_coef * (V(s) - return)^2 - ent_coef * entropy
    stop the epoch loop early once KL(pi_old || pi_new) > target_kl   (the KL limit to the previous policy)

From logged turns (`--db`) pi_old is the LOGGING policy: the ratio uses the logged propensity, so the
clip keeps the new policy within a trust region of what was actually served, and the advantage is the
logged discounted return minus V(s).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass
class PPOConfig:
    """Hyperparameters of PPO over candidate sets."""

    iterations: int = 150
    """Collect-then-update rounds (ignored with logged data)."""
    episodes_per_iteration: int = 32
    """Simulated conversations per rollout."""
    max_steps: int = 0
    """Update rounds on logged data (0 = 30)."""
    learning_rate: float = 1e-3
    """Adam learning rate."""
    gamma: float = 0.9
    """Discount of later turns' rewards and the final CSAT."""
    gae_lambda: float = 0.95
    """GAE lambda."""
    update_epochs: int = 4
    """Passes over each rollout."""
    minibatch_size: int = 64
    """Turns per gradient step."""
    clip_coef: float = 0.2
    """Surrogate clipping epsilon."""
    ent_coef: float = 0.01
    """Entropy bonus: keeps exploring while the values are still rough."""
    vf_coef: float = 0.5
    """Weight of the value loss."""
    target_kl: float = 0.05
    """Stop an iteration's updates once the approximate KL to the previous policy exceeds this."""
    max_grad_norm: float = 0.5
    """Gradient clipping."""
    hidden: int = 128
    """Width of the scoring MLP."""
    max_candidates: int = 8
    """Candidate sets are padded to this size."""
    temperature: float = 1.0
    """Serving temperature (PPO learns its own logit scale, so 1.0 serves the learned policy)."""
    serving_epsilon: float = 0.02
    """Serving: uniform exploration mixed in, for off-policy evaluation of later policies."""
    seed: int = 0
    """Seed for the network, sampling and simulated customers."""


def pad(batch_x: list[np.ndarray], n_max: int):
    dim = batch_x[0].shape[1]
    x = np.zeros((len(batch_x), n_max, dim), np.float32)
    m = np.zeros((len(batch_x), n_max), bool)
    for i, xi in enumerate(batch_x):
        k = min(len(xi), n_max)
        x[i, :k], m[i, :k] = xi[:k], True
    return x, m


def gae(rewards, values, dones, gamma, lam):
    """Generalised advantage estimates over a flat list of turns where `dones` marks each episode's end."""
    adv = np.zeros(len(rewards), np.float32)
    last = 0.0
    for t in reversed(range(len(rewards))):
        next_value = 0.0 if dones[t] else values[t + 1]
        delta = rewards[t] + gamma * next_value - values[t]
        last = delta + gamma * lam * (0.0 if dones[t] else last)
        adv[t] = last
    return adv, adv + np.asarray(values, np.float32)


def train(cfg: PPOConfig, env=None, logged=None, writer=None, progress: bool = True):
    import torch
    from tqdm import tqdm

    from bot.selection.learned import make_net
    from training.policy.rl_setup import scaling_rows, start_run, trained_net

    accelerator, rng, dim = start_run(cfg.seed, env, logged)
    agent = make_net(dim, cfg.hidden)
    agent.fit_scale(scaling_rows(env, logged, rng))
    optimizer = torch.optim.Adam(agent.parameters(), lr=cfg.learning_rate, eps=1e-5)
    agent, optimizer = accelerator.prepare(agent, optimizer)
    net = accelerator.unwrap_model(agent)
    dev = accelerator.device
    history = {"episode_return": [], "satisfaction": [], "approx_kl": [], "clipfrac": []}

    def update(x, m, actions, old_logp, advantages, returns, step):
        n = len(actions)
        for epoch in range(cfg.update_epochs):
            order = rng.permutation(n)
            kls = []
            for start in range(0, n, cfg.minibatch_size):
                mb = order[start:start + cfg.minibatch_size]
                logits = agent(x[mb], m[mb])
                logp_all = torch.log_softmax(logits, -1)
                new_logp = logp_all.gather(1, actions[mb, None]).squeeze(1)
                log_ratio = new_logp - old_logp[mb]
                ratio = log_ratio.exp()
                with torch.no_grad():
                    approx_kl = ((ratio - 1) - log_ratio).mean()  # the low-variance k3 estimator
                    kls.append(float(approx_kl))
                    history["clipfrac"].append(float(((ratio - 1).abs() > cfg.clip_coef).float().mean()))
                adv = advantages[mb]
                adv = (adv - adv.mean()) / (adv.std() + 1e-8) if len(mb) > 1 else adv
                pg_loss = torch.max(-adv * ratio, -adv * ratio.clamp(1 - cfg.clip_coef, 1 + cfg.clip_coef)).mean()
                v_loss = 0.5 * ((net.value(x[mb], m[mb]) - returns[mb]) ** 2).mean()
                probs = logp_all.exp()
                entropy = -(probs * logp_all.masked_fill(~m[mb], 0.0)).sum(-1).mean()
                loss = pg_loss + cfg.vf_coef * v_loss - cfg.ent_coef * entropy
                optimizer.zero_grad()
                accelerator.backward(loss)
                accelerator.clip_grad_norm_(agent.parameters(), cfg.max_grad_norm)
                optimizer.step()
            history["approx_kl"].append(float(np.mean(kls)))
            if writer is not None:
                writer.add_scalar("ppo/approx_kl", np.mean(kls), step)
                writer.add_scalar("ppo/policy_loss", pg_loss.item(), step)  # .item(): no autograd warning
                writer.add_scalar("ppo/value_loss", v_loss.item(), step)
                writer.add_scalar("ppo/entropy", entropy.item(), step)
            if cfg.target_kl and np.mean(kls) > cfg.target_kl:
                break  # the KL limit: this rollout has moved the policy far enough

    tensor = lambda a, dtype=torch.float32: torch.as_tensor(a, device=dev, dtype=dtype)  # noqa: E731

    if logged is not None:  # off-policy: pi_old is the logging policy, its propensities come from the log
        xs, actions, props, rewards, dones = [], [], [], [], []
        for episode in logged:
            for t, turn in enumerate(episode):
                xs.append(turn["x"])
                actions.append(min(turn["action"], cfg.max_candidates - 1))
                props.append(max(turn["propensity"], 1e-3))
                rewards.append(turn["reward"])
                dones.append(t == len(episode) - 1)
        if not xs:
            raise ValueError("the replay buffer has no logged turns to learn from")
        x_np, m_np = pad(xs, cfg.max_candidates)
        x, m = tensor(x_np), tensor(m_np, torch.bool)
        a, old_logp = tensor(actions, torch.long), tensor(np.log(props))
        for step in tqdm(range(cfg.max_steps or 30), desc="ppo (logged)", disable=not progress):
            with torch.no_grad():
                values = net.value(x, m).cpu().numpy()
            adv, ret = gae(rewards, values, dones, cfg.gamma, cfg.gae_lambda)
            update(x, m, a, old_logp, tensor(adv), tensor(ret), step)
        return trained_net(accelerator, net), history

    for iteration in tqdm(range(cfg.iterations), desc="ppo", disable=not progress):
        xs, actions, logps, rewards, dones, values = [], [], [], [], [], []
        for _ in range(cfg.episodes_per_iteration):
            obs, total = env.reset(), 0.0
            while obs is not None:
                xo = obs.features[: cfg.max_candidates]
                with torch.no_grad():
                    xt = tensor(xo[None])
                    mt = torch.ones(1, len(xo), dtype=torch.bool, device=dev)
                    logp = torch.log_softmax(net(xt, mt)[0], -1).cpu().numpy()
                    value = float(net.value(xt, mt)[0])
                action = int(rng.choice(len(xo), p=np.exp(logp) / np.exp(logp).sum()))
                obs_next, reward, done, info = env.step(action)
                xs.append(xo); actions.append(action); logps.append(logp[action])
                rewards.append(reward); dones.append(done); values.append(value)
                total += reward
                obs = obs_next
            history["episode_return"].append(total)
            history["satisfaction"].append(info["conversation_satisfaction"])
        adv, ret = gae(rewards, values, dones, cfg.gamma, cfg.gae_lambda)
        x_np, m_np = pad(xs, cfg.max_candidates)
        update(tensor(x_np), tensor(m_np, torch.bool), tensor(actions, torch.long), tensor(logps), tensor(adv),
               tensor(ret), iteration)
        recent = slice(-cfg.episodes_per_iteration, None)
        if writer is not None:
            writer.add_scalar("ppo/episode_return", np.mean(history["episode_return"][recent]), iteration)
            writer.add_scalar("ppo/satisfaction", np.mean(history["satisfaction"][recent]), iteration)
    return trained_net(accelerator, net), history


def serving_config(cfg: PPOConfig) -> dict:
    from bot.selection.features import FEATURES_VERSION

    return {"algo": "ppo", "features_version": FEATURES_VERSION, "temperature": cfg.temperature,
            "epsilon": cfg.serving_epsilon, "train_config": asdict(cfg)}
