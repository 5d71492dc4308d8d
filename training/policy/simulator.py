"""A simulated customer with hidden goals, and the selection environment it drives.

Every simulated customer has a hidden goal and a hidden taste:
    intent        what they want (one of the knowledge base's intents)
    order         the order it is about (for order-specific intents), and whether they say its number up front
    need          for general questions, the answer they are after: the template closest to their own words
    tolerance     how many words of reply they can bear before they get annoyed (short, medium, long)
    tone          whether they like a warm reply or a brisk one
Their messages show their taste the way people do: terse people write short messages and want short replies;
people who greet and thank like warmth. Nothing here is visible to the bot except the messages.

The hidden satisfaction of a reply (`Simulator.satisfaction`, 0..1) scores: right topic, right step (asking
for an order number helps once, answering about the order when it is known resolves), the preferred answer,
a fixed hidden quality per answer template (some wordings just land better), length and tone. The customer
thumbs a turn with probability `feedback_rate` (+1 with probability = satisfaction), follows up when not
served (a rephrase, the order number after being asked for it, or the order's email when asked to prove
the order), gives up when out of patience, and at the end leaves a CSAT 1-5 and resolved yes/no from the
conversation's hidden satisfaction.

`SelectionEnv` wraps a Bot's real tracker, drafter, guard and reward model around the simulator:
reset() -> observation, step(index) -> (observation, reward, done, info). The reward mixes sources by weight
(`RewardMix`): reward model score, thumbs, end-of-conversation CSAT, and (for oracle experiments) the
hidden satisfaction itself. `python -m training.policy.simulator --episodes N --db runs/sim.sqlite3` writes logged
conversations through `Bot.reply` / `feedback` / `end_session`, exactly as real customers would.
"""
from __future__ import annotations

import argparse
import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

from bot.dialogue.order_access import TEMPLATE_PREFIX as PROOF_TEMPLATES
from bot.selection.features import warmth, words
from training.policy.rl_reward import RewardMix, csat_to_reward

STYLES = {  # style -> (word tolerance, likes warmth)
    "terse": (22, False),
    "plain": (45, False),
    "chatty": (90, True),
}
GREETINGS = ["Hi! ", "Hello there, ", "Hi, hope you're well. ", "Good morning! "]
THANKS = [" Thanks so much!", " Thank you!", " Thanks a lot, appreciate it.", ""]
FOLLOW_UPS = ["that's not what I asked. ", "no, ", "hmm, not really. ", "I mean: "]
GIVE_ID = ["it's {id}", "order {id}", "{id}", "the order number is {id}", "sure, it's order #{id}"]
GIVE_PROOF = "the email on the order is {email}"  # when the bot asks to prove the order (bot/dialogue/order_access.py)
_NUMBER = re.compile(r"#?\b\d{4,6}\b")


@dataclass
class Customer:
    intent: str
    style: str
    tolerance: int
    likes_warmth: bool
    order_id: str | None  # None: the question is not about an order
    says_id_first: bool
    need: str | None  # preferred general answer template
    patience: int
    examples: list[str] = field(default_factory=list)  # phrasings left to say


def csat_from_satisfaction(value: float, rng: np.random.Generator) -> int:
    return int(np.clip(np.rint(1 + 4 * value + rng.normal(0, 0.35)), 1, 5))


class Simulator:
    """Customers and their hidden satisfaction for one knowledge base."""

    def __init__(self, kb, order_ids: list[str], template_vectors: dict[str, np.ndarray] | None = None,
                 example_vectors: dict[str, np.ndarray] | None = None, split: str = "train",
                 order_emails: dict[str, str] | None = None):
        if split not in ("train", "test", "all"):
            raise ValueError("split must be train, test or all")
        self.kb, self.order_ids = kb, list(order_ids)
        self.order_emails = dict(order_emails or {})  # order id -> its email: the customer's proof of the order
        self.template_vectors = template_vectors or {}
        self.example_vectors = example_vectors or {}
        self.templates = {t.id: t for t in kb.answers}
        self.order_intents = {i.id for i in kb.intents if any("order" in a.needs for a in i.answers)}
        self.split = split
        # Fixed hidden quality per template, from its wording's hash: the same in every run and seed.
        self.quality = {t.id: (int(hashlib.sha256(t.text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF - 0.5) * 0.3
                        for t in kb.answers}

    @classmethod
    def for_bot(cls, bot, split: str = "train") -> "Simulator":
        templates = {t.id: bot.retrieval.answer_vectors[i] for i, t in enumerate(bot.retrieval.templates)}
        examples = [e for i in bot.kb.intents for e in i.examples]
        example_vectors = dict(zip(examples, bot.tracker.example_vectors))
        orders = bot.orders.all()
        return cls(bot.kb, [r["order_id"] for r in orders], templates, example_vectors, split,
                   {r["order_id"]: r["email"] for r in orders})

    # -- customers ---------------------------------------------------------------------------------
    def phrasings(self, intent) -> list[str]:
        examples = list(intent.examples)
        if self.split == "all" or len(examples) < 4:
            return examples
        held_out = [e for k, e in enumerate(examples) if k % 4 == 3]  # every 4th phrasing is for testing
        return held_out if self.split == "test" else [e for k, e in enumerate(examples) if k % 4 != 3]

    def sample_customer(self, rng: np.random.Generator) -> Customer:
        intent = self.kb.intents[int(rng.integers(len(self.kb.intents)))]
        style = str(rng.choice(list(STYLES), p=[0.35, 0.35, 0.3]))
        tolerance, likes_warmth = STYLES[style]
        if rng.random() < 0.2:  # taste and writing style agree most of the time, not always
            likes_warmth = not likes_warmth
        tolerance = int(tolerance * rng.uniform(0.8, 1.25))
        order_id = str(rng.choice(self.order_ids)) if intent.id in self.order_intents and self.order_ids else None
        examples = [str(e) for e in rng.permutation(self.phrasings(intent))]
        need = None
        general = [a.id for a in intent.answers if not a.needs and a.id in self.template_vectors]
        if general:
            first = examples[0]
            vector = self.example_vectors.get(first)
            if vector is not None:
                need = max(general, key=lambda t: float(self.template_vectors[t] @ vector))
            else:
                need = str(rng.choice(general))
        return Customer(intent.id, style, tolerance, likes_warmth, order_id, bool(rng.random() < 0.4), need,
                        patience=int(rng.integers(2, 4)), examples=examples)

    def styled(self, customer: Customer, text: str, rng: np.random.Generator, drop_numbers: bool = True) -> str:
        """The customer's wording of `text`. drop_numbers: remove the order numbers that knowledge-base
        example phrasings carry (they belong to other customers); never when the customer gives their own."""
        if drop_numbers:
            text = _NUMBER.sub("", text).replace("  ", " ").strip(" ,")
        if customer.style == "terse":
            text = re.sub(r"[^\w\s#?]", "", text.lower()).strip()
        elif customer.style == "chatty":
            text = GREETINGS[int(rng.integers(len(GREETINGS)))] + text + THANKS[int(rng.integers(len(THANKS)))]
        return text

    def opening(self, customer: Customer, rng: np.random.Generator) -> str:
        text = self.styled(customer, customer.examples.pop(0) if customer.examples else customer.intent, rng)
        if customer.order_id and customer.says_id_first:
            text += f" (order {customer.order_id})" if customer.style != "terse" else f" {customer.order_id}"
        return text

    # -- hidden satisfaction ----------------------------------------------------------------------
    def judge(self, customer: Customer, candidate, id_given: bool) -> tuple[float, str]:
        """Hidden satisfaction in 0..1 and what the reply did: answer, ask, wrong, partial."""
        meta = getattr(candidate, "meta", None) or {}
        template = self.templates.get(meta.get("template", ""))
        if str(meta.get("template", "")).startswith(PROOF_TEMPLATES):  # asks for the order's email or postcode
            base, kind, quality = (0.6, "prove", 0.0) if customer.order_id else (0.2, "partial", 0.0)
        elif template is None:  # generative or fallback: judged on topic by the embedding, never resolves
            base, kind, quality = (0.25, "partial", 0.0)
        elif template.intent != customer.intent:
            base, kind, quality = 0.05, "wrong", self.quality[template.id]
        else:
            quality = self.quality[template.id]
            if "no_order" in template.needs:  # asks for the order number
                useful = customer.order_id is not None and not id_given
                base, kind = (0.6, "ask") if useful else (0.2, "partial")
            elif "unknown_order" in template.needs:
                base, kind = 0.25, "partial"
            elif "order" in template.needs:
                base, kind = 0.85, "answer"
            elif customer.order_id is not None:  # general policy text when they asked about their order
                base, kind = 0.45, "partial"
            elif template.id == customer.need:
                base, kind = 0.9, "answer"
            else:
                base, kind = 0.6, "answer"
        text = candidate.text
        n_words = words(text)
        length_penalty = 0.35 * min(max(0, n_words - customer.tolerance) / customer.tolerance, 1.0)
        tone = 0.06 * min(warmth(text), 2) * (1 if customer.likes_warmth else -1)
        return float(np.clip(base + quality + tone - length_penalty, 0.0, 1.0)), kind

    def satisfaction(self, customer: Customer, candidate, id_given: bool) -> float:
        return self.judge(customer, candidate, id_given)[0]

    def follow_up(self, customer: Customer, kind: str, rng: np.random.Generator) -> str | None:
        """The customer's next message after a reply that did not resolve, or None when they give up."""
        if kind == "prove" and customer.order_id:
            return GIVE_PROOF.format(email=self.order_emails.get(customer.order_id, ""))
        if kind == "ask" and customer.order_id:
            text = GIVE_ID[int(rng.integers(len(GIVE_ID)))].format(id=customer.order_id)
            return self.styled(customer, text, rng, drop_numbers=False) if customer.style == "chatty" else text
        customer.patience -= 1
        if customer.patience <= 0:
            return None
        phrasing = customer.examples.pop(0) if customer.examples else self.kb.intent(customer.intent).examples[0]
        return FOLLOW_UPS[int(rng.integers(len(FOLLOW_UPS)))] + self.styled(customer, phrasing, rng)

    @staticmethod
    def conversation_satisfaction(resolved: bool, sats: list[float]) -> float:
        """The conversation's hidden satisfaction: resolution, how each reply landed, and how long it took."""
        return float(np.clip(0.55 * resolved + 0.45 * float(np.mean(sats)) - 0.05 * (len(sats) - 1), 0.0, 1.0))


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
        if not isinstance(bot.tracker.encoder, MemoEncoder):  # the env's messages repeat: encode each once
            bot.tracker.encoder = MemoEncoder(bot.encoder, bot.config.cache_dir)
        self.memo = bot.tracker.encoder
        self.sim = Simulator.for_bot(bot, split)
        self.features = features or FeatureBuilder.for_bot(bot)
        self.features.encoder = self.memo
        self.weights = weights or RewardMix()
        self.rng = np.random.default_rng(seed)
        self.feedback_rate, self.max_turns = feedback_rate, max_turns
        self.n_features = None

    def _observe(self, message: str) -> Observation:
        from bot.dialogue.state import DialogueState  # noqa: F401  (the state object comes from reset)

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
        self.id_given = bool(self.customer.order_id and self.customer.says_id_first)
        self.sats: list[float] = []
        self.turn = 0
        self.obs = self._observe(self.sim.opening(self.customer, self.rng))
        return self.obs

    def step(self, action: int) -> tuple[Observation | None, float, bool, dict]:
        candidate = self.obs.candidates[action]
        sat, kind = self.sim.judge(self.customer, candidate, self.id_given)
        self.sats.append(sat)
        self.state.history.append(("bot", candidate.text))
        self.turn += 1
        thumb = 0
        if self.rng.random() < self.feedback_rate:
            thumb = 1 if self.rng.random() < sat else -1
        resolved = kind == "answer" and self.rng.random() < sat
        reward = self.weights.thumb * thumb + self.weights.sat * sat
        if self.weights.reward_model and candidate.reward is not None:
            reward += self.weights.reward_model * candidate.reward
        info = {"sat": sat, "kind": kind, "thumb": thumb, "resolved": resolved, "turn": self.turn}
        next_message = None
        if not resolved and self.turn < self.max_turns:
            next_message = self.sim.follow_up(self.customer, kind, self.rng)
            if kind == "ask":
                self.id_given = True
        done = next_message is None
        if done:
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
                      prefix: str = "sim", progress: bool = True) -> dict:
    """Let simulated customers talk to `bot` through its public API, so every turn lands in its replay buffer."""
    from tqdm import tqdm

    sim = Simulator.for_bot(bot, split)
    if not isinstance(bot.tracker.encoder, MemoEncoder):  # simulated phrasings repeat: encode each once
        bot.tracker.encoder = MemoEncoder(bot.encoder, bot.config.cache_dir)
    rng = np.random.default_rng(seed)
    totals = {"satisfaction": [], "turn_sat": [], "thumb_reward": [], "resolved": []}
    for episode in tqdm(range(episodes), desc="simulated conversations", disable=not progress):
        customer = sim.sample_customer(rng)
        session = f"{prefix}-{seed}-{episode}"
        message, id_given, sats = sim.opening(customer, rng), bool(customer.order_id and customer.says_id_first), []
        resolved = False
        for turn_number in range(1, 6):
            turn = bot.reply(session, message)
            sat, kind = sim.judge(customer, turn.candidates[turn.chosen], id_given)
            sats.append(sat)
            totals["turn_sat"].append(sat)
            if rng.random() < feedback_rate:
                thumb = 1 if rng.random() < sat else -1
                bot.feedback(turn.turn_id, thumb=thumb)
                totals["thumb_reward"].append((thumb + 1) / 2)
            resolved = kind == "answer" and rng.random() < sat
            if resolved or turn_number == 5:
                break
            message = sim.follow_up(customer, kind, rng)
            if message is None:
                break
            id_given = id_given or kind == "ask"
        value = sim.conversation_satisfaction(resolved, sats)
        bot.end_session(session, csat=csat_from_satisfaction(value, rng), resolved=bool(resolved))
        totals["satisfaction"].append(value)
        totals["resolved"].append(float(resolved))
    bot.tracker.encoder.save()
    return {k: float(np.mean(v)) if v else float("nan") for k, v in totals.items()} | {"episodes": episodes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.policy.simulator",
                                     description="Write simulated conversations into a replay buffer (for training and OPE).")
    parser.add_argument("--db", required=True, help="replay buffer SQLite file to write")
    parser.add_argument("--episodes", type=int, default=500)
    parser.add_argument("--policy", default="softmax", help="the logging policy (BotConfig.policy)")
    parser.add_argument("--temperature", type=float, default=0.05)
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--reward-model", default=None)
    parser.add_argument("--split", default="train", choices=["train", "test", "all"])
    parser.add_argument("--feedback-rate", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    cpu_threads()
    from bot import Bot, BotConfig

    bot = Bot(BotConfig(db_path=args.db, policy=args.policy, temperature=args.temperature, epsilon=args.epsilon,
                        reward_model=args.reward_model, seed=args.seed))
    print(log_conversations(bot, args.episodes, args.seed, args.split, args.feedback_rate))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
