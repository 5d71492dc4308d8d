"""The selection environment: the bot's side of a simulated conversation.

`SelectionEnv` wraps a Bot's real tracker, drafter, guard and reward model around a simulated customer
(training/policy/simulator.py, who judges replies by training/policy/rubric.py): reset() -> observation,
step(index) -> (observation, reward, done, info). The observation is what the policy sees: the candidates and
their feature rows (bot/selection/features.py). The customer never sees those; the env only hands the chosen
reply to the customer. The reward mixes sources by weight (`RewardMix`): reward model score, thumbs,
end-of-conversation CSAT, and (for oracle experiments) the customer's satisfaction itself.

`log_conversations` has simulated customers talk to a real `Bot` through `reply` / `feedback` / `end_session`,
exactly as real customers would: `python -m training.policy.env --db runs/sim.sqlite3 --episodes N` writes a
replay buffer for off-policy evaluation and training from logs.
"""
from __future__ import annotations

import argparse
import hashlib
from dataclasses import dataclass

import numpy as np

from training.policy.rl_reward import RewardMix, csat_to_reward
from training.policy.simulator import Customer, Simulator, csat_from_satisfaction

ENDS = ("handover",)  # a person takes over: the simulated conversation ends there


class MemoEncoder:
    """The bot's encoder with a memo: simulated customers repeat their phrasings, so each is encoded once.

    Saved to `cache_dir/sim-messages-<model>.npz` so later runs start warm (MiniLM: ~15 ms a message here)."""

    def __init__(self, encoder, cache_dir: str | None = None):
        from pathlib import Path

        self.encoder, self.dim, self.path = encoder, encoder.dim, encoder.path
        self.file = Path(cache_dir) / f"sim-messages-{hashlib.sha256(str(encoder.path).encode()).hexdigest()[:8]}.npz" \
            if cache_dir else None
        self.memo: dict[str, np.ndarray] = {}
        if self.file is not None and self.file.exists():
            try:
                with np.load(self.file, allow_pickle=False) as saved:
                    self.memo = dict(zip(saved["texts"].tolist(), saved["vectors"]))
            except (OSError, ValueError, KeyError):
                self.memo = {}  # a broken cache is only a slower start
        self._saved = len(self.memo)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if missing:
            self.memo.update(zip(missing, self.encoder.encode(missing, batch_size)))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts])

    def save(self) -> None:
        import os

        if self.file is None or len(self.memo) == self._saved:
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(f".tmp{os.getpid()}.npz")
        texts = list(self.memo)
        np.savez(tmp, texts=np.array(texts), vectors=np.stack([self.memo[t] for t in texts]))
        os.replace(tmp, self.file)
        self._saved = len(self.memo)


def memoise_encoder(bot) -> MemoEncoder:
    if not isinstance(bot.tracker.encoder, MemoEncoder):  # simulated phrasings repeat: encode each once
        bot.tracker.encoder = MemoEncoder(bot.encoder, bot.config.cache_dir)
    return bot.tracker.encoder


@dataclass
class Observation:
    features: np.ndarray  # [N, D] float32
    candidates: list
    state: object  # the DialogueState


class SelectionEnv:
    """Multi-turn environment over real drafted candidates: one episode = one simulated conversation."""

    def __init__(self, bot, weights: RewardMix | None = None, split: str = "train", seed: int = 0,
                 feedback_rate: float = 0.5, max_turns: int = 5, features=None):
        from bot.selection.features import FeatureBuilder

        self.bot = bot
        self.memo = memoise_encoder(bot)
        self.sim = Simulator.for_bot(bot, split)
        self.features = features or FeatureBuilder.for_bot(bot)
        self.features.encoder = self.memo
        self.weights = weights or RewardMix()
        self.rng = np.random.default_rng(seed)
        self.feedback_rate, self.max_turns = feedback_rate, max_turns
        self.n_features = None

    def _observe(self, message: str) -> Observation:
        self.bot.tracker.update(self.state, message)
        candidates, _ = self.bot.draft(self.state)
        if self.weights.reward_model and self.bot.reward_model is not None:
            self.bot.score_rewards(self.state, candidates)
        x = self.features.for_state(self.state, candidates)
        return Observation(x, candidates, self.state)

    def reset(self, customer: Customer | None = None) -> Observation:
        from bot.dialogue.state import DialogueState

        self.customer = customer or self.sim.sample_customer(self.rng)
        self.state = DialogueState("sim")
        self.sats: list[float] = []
        self.turn = 0
        self.obs = self._observe(self.sim.opening(self.customer, self.rng))
        return self.obs

    def step(self, action: int) -> tuple[Observation | None, float, bool, dict]:
        candidate = self.obs.candidates[action]
        sat, kind = self.sim.judge(self.customer, candidate)
        self.sats.append(sat)
        self.state.history.append(("bot", candidate.text))
        self.turn += 1
        thumb = 0
        if self.rng.random() < self.feedback_rate:
            thumb = 1 if self.rng.random() < sat else -1
        resolved = kind in ("answer",) + ENDS and self.rng.random() < sat
        reward = self.weights.thumb * thumb + self.weights.sat * sat
        if self.weights.reward_model and candidate.reward is not None:
            reward += self.weights.reward_model * candidate.reward
        info = {"sat": sat, "kind": kind, "thumb": thumb, "resolved": resolved, "turn": self.turn}
        next_message = None
        if not resolved and kind not in ENDS and self.turn < self.max_turns:
            next_message = self.sim.follow_up(self.customer, kind, self.rng)
        if next_message is None:
            value = self.sim.conversation_satisfaction(resolved, self.sats)
            csat = csat_from_satisfaction(value, self.rng)
            reward += self.weights.csat * csat_to_reward(csat) + self.weights.resolved * (1 if resolved else -1)
            info.update(conversation_satisfaction=value, csat=csat, resolved=resolved)
            self.obs = None
            return None, float(reward), True, info
        self.obs = self._observe(next_message)
        return self.obs, float(reward), False, info


def cpu_threads() -> None:
    """Half the cores for torch on CPU: the models here are small, and oversubscribed threads on a shared
    2-core machine made each step up to 20x slower (measured)."""
    import os

    import torch

    if not torch.cuda.is_available():
        torch.set_num_threads(max(1, (os.cpu_count() or 2) // 2))


def run_episode(env: SelectionEnv, choose, customer: Customer | None = None) -> dict:
    """Play one conversation; `choose(obs) -> index`. Returns the episode's record."""
    obs = env.reset(customer)
    total, steps = 0.0, []
    while obs is not None:
        action = int(choose(obs))
        next_obs, reward, done, info = env.step(action)
        steps.append({**info, "action": action, "reward": reward})
        total += reward
        obs = next_obs
    last = steps[-1]
    return {"return": total, "turns": len(steps), "satisfaction": last["conversation_satisfaction"],
            "csat": last["csat"], "resolved": last["resolved"], "mean_turn_sat": float(np.mean([s["sat"] for s in steps])),
            "steps": steps}


def log_conversations(bot, episodes: int, seed: int = 0, split: str = "train", feedback_rate: float = 1.0,
                      prefix: str = "sim", progress: bool = True, csat_rate: float = 1.0, max_turns: int = 5) -> dict:
    """Let simulated customers talk to `bot` through its public API, so every turn lands in its replay buffer.
    feedback_rate: the share of turns thumbed; csat_rate: the share of conversations rated at the end (the
    others end unrated, as most real chats do); max_turns: where a conversation stops (1: opening turns only)."""
    from tqdm import tqdm

    sim = Simulator.for_bot(bot, split)
    memoise_encoder(bot)
    rng = np.random.default_rng(seed)
    totals = {"satisfaction": [], "turn_sat": [], "thumb_reward": [], "resolved": [], "thumbed": [], "rated": []}
    for episode in tqdm(range(episodes), desc="simulated conversations", disable=not progress):
        customer = sim.sample_customer(rng)
        session = f"{prefix}-{seed}-{episode}"
        message, sats, resolved = sim.opening(customer, rng), [], False
        for turn_number in range(1, max_turns + 1):
            turn = bot.reply(session, message)
            sat, kind = sim.judge(customer, turn.candidates[turn.chosen])
            sats.append(sat)
            totals["turn_sat"].append(sat)
            thumbed = rng.random() < feedback_rate
            totals["thumbed"].append(float(thumbed))
            if thumbed:
                thumb = 1 if rng.random() < sat else -1
                bot.feedback(turn.turn_id, thumb=thumb)
                totals["thumb_reward"].append((thumb + 1) / 2)
            resolved = kind in ("answer",) + ENDS and rng.random() < sat
            if resolved or kind in ENDS or turn_number == max_turns:
                break
            message = sim.follow_up(customer, kind, rng)
            if message is None:
                break
        value = sim.conversation_satisfaction(resolved, sats)
        csat = csat_from_satisfaction(value, rng)
        rated = rng.random() < csat_rate
        totals["rated"].append(float(rated))
        if rated:
            bot.end_session(session, csat=csat, resolved=bool(resolved))
        totals["satisfaction"].append(value)
        totals["resolved"].append(float(resolved))
    bot.tracker.encoder.save()
    return {k: float(np.mean(v)) if v else float("nan") for k, v in totals.items()} | {"episodes": episodes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.policy.env",
                                     description="Write simulated conversations into a replay buffer (for training and OPE).")
    parser.add_argument("--db", required=True, help="replay buffer SQLite file to write")
    parser.add_argument("--episodes", type=int, default=500)
    parser.add_argument("--policy", default="softmax", help="the logging policy (BotConfig.policy)")
    parser.add_argument("--temperature", type=float, default=0.05)
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--reward-model", default=None)
    parser.add_argument("--split", default="train", choices=["train", "test", "all"])
    parser.add_argument("--feedback-rate", type=float, default=1.0, help="share of turns the customer thumbs")
    parser.add_argument("--csat-rate", type=float, default=1.0, help="share of conversations rated at the end")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    cpu_threads()
    from bot import Bot, BotConfig

    bot = Bot(BotConfig(db_path=args.db, policy=args.policy, temperature=args.temperature, epsilon=args.epsilon,
                        reward_model=args.reward_model, seed=args.seed))
    print(log_conversations(bot, args.episodes, args.seed, args.split, args.feedback_rate, csat_rate=args.csat_rate))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
