"""Learned selection policies: the scoring network, checkpoints, best-of-N, and the hot-reloading serving policy.

    SelectionNet      MLP over frozen (state, candidate) features (bot/selection/features.py): one score per candidate,
                      plus a state value head (PPO's baseline). pi(a|s,C) = softmax(score / T), mixed with
                      epsilon-uniform for exploration.
    LearnedPolicy     a SelectionNet checkpoint serving as a SelectionPolicy.
    BestOfNPolicy     argmax of the reward model's score (what TRL's removed BestOfNSampler did).
    PromotedPolicy    whatever `rlcs promote` made the serving version; re-checked every turn by one stat()
                      of a small pointer file, so a promotion is live without a restart, and a corrupt or
                      incompatible checkpoint leaves the previous version serving (and says why).

A checkpoint is a folder: model.safetensors, config.json (architecture, feature version, T, epsilon) and
card.json (data with sha256, metrics, config, code version, and the weights' sha256, checked at load).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import tarfile
import time
from pathlib import Path

import numpy as np

from bot.selection.policies import BestOfNPolicy, FirstPolicy, SelectionPolicy, SoftmaxPolicy, softmax
from bot.versioning import code_version

POINTER = "serving.json"  # under BotConfig.policy_dir: {"path", "version", "promoted_at", ...}
HISTORY = "history.jsonl"  # every promotion and rollback, appended
POLL_S = 2.0  # how often a replica on PostgreSQL looks for a new promotion


class PolicyLoadError(ValueError):
    """A checkpoint that cannot serve: missing, corrupt, or built for other features."""


def _torch():
    import torch

    return torch


def make_net(n_features: int, hidden: int = 128, n_scalars: int | None = None, embed_rank: int = 4, members: int = 1):
    """The scoring network (members > 1: that many, scores averaged; see ensemble_net).

    The scalar features (bot/features.SCALARS: drafter score, reward, lengths, tone, turn...) go straight into
    the MLP; the 3 x 384 embedding features first pass a low-rank projection (to `embed_rank` dims), so the few
    signals that matter most are learnt in a few hundred turns while the embeddings refine the choice (which
    topic, which wording) as data accumulates. Measured: a plain MLP over all 1,173 inputs (features v1) learnt several
    times slower (docs/selection-policy.md). Score head -> one score per candidate; value head -> V(s) from the
    mean-pooled candidate representations (PPO's baseline).
    """
    torch = _torch()
    nn = torch.nn
    if n_scalars is None:
        from bot.selection.features import SCALARS

        n_scalars = len(SCALARS)

    class SelectionNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.n_features, self.hidden, self.n_scalars = n_features, hidden, n_scalars
            self.embed_rank = embed_rank
            if embed_rank:
                self.project = nn.Linear(n_features - n_scalars, embed_rank, bias=False)
                nn.init.normal_(self.project.weight, std=0.1 / (n_features - n_scalars) ** 0.5)  # starts near silent
            else:  # embed_rank 0: the plain MLP over all inputs (kept for the comparison in the README)
                self.project = nn.Identity()
            width = n_scalars + (embed_rank or n_features - n_scalars)
            self.body = nn.Sequential(nn.Linear(width, hidden), nn.ReLU(),
                                      nn.Linear(hidden, hidden), nn.ReLU())
            self.score_head = nn.Linear(hidden, 1)
            self.value_head = nn.Linear(hidden, 1)
            # Each scalar is divided by its spread on the training data (set by the trainer, saved with the
            # weights): see scalar_scale().
            self.register_buffer("scalar_scale", torch.ones(n_scalars))

        def features(self, x):
            emb, scalars = x[..., : self.n_features - self.n_scalars], x[..., self.n_features - self.n_scalars:]
            return self.body(torch.cat([scalars * self.scalar_scale, self.project(emb)], -1))

        def fit_scale(self, rows: np.ndarray) -> None:
            self.scalar_scale.copy_(torch.from_numpy(scalar_scale(rows, self.n_scalars)))

        def forward(self, x, mask=None):
            """x [B, N, D] (mask [B, N], True = real candidate) -> scores [B, N]; padded slots get -1e9."""
            scores = self.score_head(self.features(x)).squeeze(-1)
            return scores if mask is None else scores.masked_fill(~mask, -1e9)

        def value(self, x, mask):
            h = self.features(x) * mask.unsqueeze(-1)
            pooled = h.sum(1) / mask.sum(1, keepdim=True).clamp(min=1)
            return self.value_head(pooled).squeeze(-1)

    if members > 1:
        return ensemble_net([SelectionNet() for _ in range(members)])
    return SelectionNet()


def ensemble_net(nets: list):
    """Several trained SelectionNets as one: scores and values averaged. Training runs that differ only in their
    seed disagree on near-ties; the average keeps what they agree on (training/policy/ensemble.py)."""
    torch = _torch()

    class EnsembleNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.nets = torch.nn.ModuleList(nets)
            first = nets[0]
            self.n_features, self.hidden, self.embed_rank, self.members = first.n_features, first.hidden, first.embed_rank, len(nets)

        def forward(self, x, mask=None):
            return torch.stack([net(x, mask) for net in self.nets]).mean(0)

        def value(self, x, mask):
            return torch.stack([net.value(x, mask) for net in self.nets]).mean(0)

    return EnsembleNet()


def scalar_scale(rows: np.ndarray, n_scalars: int, floor: float = 0.2) -> np.ndarray:
    """1 / spread of each scalar feature over `rows` [M, D] (spread floored at `floor`; constant columns keep 1).

    The scalars come in very different spreads (a similarity gap varies by about 0.05, a flag by 0.4), and an
    MLP learns slowly from the narrow ones. Measured on `rlcs bench policy` (5 seeds): cumulative regret 672
    unscaled, 660 divided by the plain spread, 612 with the floor (docs/selection-policy.md). The floor keeps
    near-constant columns from being blown up into noise.
    """
    spread = np.asarray(rows, dtype=np.float64)[:, -n_scalars:].std(0)
    return np.where(spread > 1e-6, 1.0 / np.maximum(spread, floor), 1.0).astype(np.float32)


def mixed_probabilities(scores: np.ndarray, temperature: float, epsilon: float) -> np.ndarray:
    """(1 - epsilon) * softmax(scores / T) + epsilon / N: every candidate keeps a known, non-zero propensity."""
    probs = softmax(scores, temperature) if temperature > 0 else np.eye(len(scores))[int(np.argmax(scores))]
    return (1 - epsilon) * probs + epsilon / len(scores)


def save_checkpoint(net, output_dir: str | Path, config: dict, card: dict) -> str:
    """Write model.safetensors + config.json + card.json into output_dir atomically; return the version id."""
    from safetensors.torch import save_file

    output_dir = Path(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = output_dir.with_name(output_dir.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous() for k, v in net.state_dict().items()}
    save_file(state, str(tmp / "model.safetensors"))
    digest = hashlib.sha256((tmp / "model.safetensors").read_bytes()).hexdigest()
    # The version names what serves: the weights and the settings that shape the logged propensities.
    serving = json.dumps({k: config.get(k) for k in ("temperature", "epsilon", "features_version")}, sort_keys=True)
    version = f"{config.get('algo', 'policy')}-{hashlib.sha256((digest + serving).encode()).hexdigest()[:10]}"
    config = {**config, "version": version, "n_features": net.n_features, "hidden": net.hidden,
              "embed_rank": net.embed_rank, "members": getattr(net, "members", 1)}
    (tmp / "config.json").write_text(json.dumps(config, indent=2))
    (tmp / "card.json").write_text(json.dumps({**card, "version": version, "weights_sha256": digest,
                                               "code_version": code_version(), "config": config}, indent=2, default=str))
    if output_dir.exists():  # replace an older checkpoint of the same name in one rename
        old = output_dir.with_name(output_dir.name + f".old{os.getpid()}")
        os.replace(output_dir, old)
        os.replace(tmp, output_dir)
        import shutil

        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, output_dir)
    return version


class LearnedPolicy(SelectionPolicy):
    """A trained SelectionNet choosing among the drafted candidates."""

    def __init__(self, net, features, config: dict, temperature: float | None = None, epsilon: float | None = None):
        self.net, self.features, self.config = net.eval(), features, config
        self.temperature = float(config.get("temperature", 0.1) if temperature is None else temperature)
        self.epsilon = float(config.get("epsilon", 0.05) if epsilon is None else epsilon)
        if not (self.temperature >= 0 and 0 <= self.epsilon <= 1):
            raise ValueError(f"a trained policy serves with temperature >= 0 and epsilon in [0, 1]; "
                             f"got temperature {self.temperature:g}, epsilon {self.epsilon:g}")
        self.name = config.get("version", "learned")
        if (temperature, epsilon) != (None, None):  # served otherwise than trained for: another version in the logs
            self.name += f"@T{self.temperature:g},eps{self.epsilon:g}"

    @property
    def version(self) -> str:
        return self.name

    def scores_from_features(self, x: np.ndarray) -> np.ndarray:
        torch = _torch()
        if not self.config.get("reward_feature", False):  # trained without a reward model: show it none
            from bot.selection.features import SCALARS

            x = np.array(x, dtype=np.float32, copy=True)
            base = x.shape[1] - len(SCALARS)
            x[:, base + SCALARS.index("reward")] = 0.0
            x[:, base + SCALARS.index("has_reward")] = 0.0
        with torch.inference_mode():
            return self.net(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))[None])[0].double().numpy()

    def scores(self, state, candidates) -> np.ndarray:
        return self.scores_from_features(self.features.for_state(state, candidates))

    def probabilities(self, state, candidates):
        return mixed_probabilities(self.scores(state, candidates), self.temperature, self.epsilon)

    def probabilities_from_features(self, x: np.ndarray) -> np.ndarray:
        return mixed_probabilities(self.scores_from_features(x), self.temperature, self.epsilon)


def load_checkpoint(path: str | Path, features, temperature: float | None = None,
                    epsilon: float | None = None) -> LearnedPolicy:
    """Load and validate a checkpoint folder; PolicyLoadError says exactly what is wrong. temperature / epsilon
    override the serving exploration in its config.json (None = keep it)."""
    from bot.selection.features import FEATURES_VERSION, n_features

    path = Path(path)
    if not path.is_dir():
        raise PolicyLoadError(f"no policy checkpoint at {path} (expected a folder with model.safetensors and config.json)")
    try:
        config = json.loads((path / "config.json").read_text())
    except FileNotFoundError:
        raise PolicyLoadError(f"{path}: config.json is missing") from None
    except json.JSONDecodeError as err:
        raise PolicyLoadError(f"{path}/config.json is not valid JSON ({err.msg} at line {err.lineno})") from None
    if config.get("features_version") != FEATURES_VERSION:
        raise PolicyLoadError(f"{path}: built for features {config.get('features_version')!r}, this bot computes "
                              f"{FEATURES_VERSION!r}; retrain the policy")
    expected = n_features(features.dim)
    if config.get("n_features") != expected:
        raise PolicyLoadError(f"{path}: expects {config.get('n_features')} features, this bot's encoder gives {expected}")
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    from bot.selection.checksums import verify_weights

    try:
        card = json.loads((path / "card.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        card = {}
    if (path / "model.safetensors").is_file():
        verify_weights(path, card.get("weights_sha256"), "card.json", PolicyLoadError)
    try:
        state = load_file(str(path / "model.safetensors"))
    except FileNotFoundError:
        raise PolicyLoadError(f"{path}: model.safetensors is missing") from None
    except (SafetensorError, OSError, ValueError, RuntimeError) as err:
        raise PolicyLoadError(f"{path}/model.safetensors is corrupt: {err}") from None
    net = make_net(expected, int(config.get("hidden", 128)), embed_rank=int(config.get("embed_rank", 4)),
                   members=int(config.get("members", 1)))
    try:
        net.load_state_dict(state)
    except RuntimeError as err:
        raise PolicyLoadError(f"{path}: weights do not fit the network in config.json: {str(err)[:200]}") from None
    if not all(bool(_torch().isfinite(t).all()) for t in state.values()):
        raise PolicyLoadError(f"{path}: weights contain NaN or infinity")
    return LearnedPolicy(net, features, config, temperature, epsilon)


class PromotedPolicy(SelectionPolicy):
    """The version `rlcs promote` chose; swaps itself for a newer one as soon as the pointer file changes.

    With `db` (a PostgreSQL replay buffer, shared by several replicas) the pointer is the newest row of the
    database's promoted_policy table instead, polled every `poll_s` seconds: a promotion or rollback on any
    machine reaches every replica within that time, and its checkpoint comes from the row (unpacked under
    policy_dir/versions) when this machine does not have it."""

    def __init__(self, policy_dir: str | Path, features, fallback: SelectionPolicy,
                 exploration: tuple[float | None, float | None] = (None, None), db=None, poll_s: float = POLL_S):
        self.db, self.poll_s, self._next_poll = db, poll_s, 0.0
        self.policy_dir = Path(policy_dir)
        self.features, self.fallback = features, fallback
        self.exploration = exploration  # (temperature, epsilon) overrides for every promoted checkpoint
        self.current: SelectionPolicy = fallback
        self.current_version = f"{fallback.version}/none-promoted"
        self._seen: tuple | None = None
        self.last_error: str | None = None
        self.refreshed()

    def _stamp(self) -> tuple | int | None:
        if self.db is not None:
            now = time.monotonic()
            if now < self._next_poll:
                return self._seen
            self._next_poll = now + self.poll_s
            try:
                return latest_promotion_id(self.db)
            except Exception as err:  # noqa: BLE001 - the database is down: keep serving what we have
                self.last_error = f"kept {self.current_version}: cannot read the promoted policy: {err}"
                return self._seen
        try:
            st = os.stat(self.policy_dir / POINTER)
            return (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            return None

    def refreshed(self) -> "PromotedPolicy":
        """Called by Bot.current_policy() every turn: one stat(); loads only when the pointer changed."""
        stamp = self._stamp()
        if stamp == self._seen:
            return self
        self._seen = stamp
        if stamp is None:
            return self
        try:
            if self.db is not None:
                pointer = read_pointer(self.policy_dir, self.db, event_id=stamp)
            else:
                pointer = json.loads((self.policy_dir / POINTER).read_text())
            policy = load_checkpoint(pointer["path"], self.features, *self.exploration)
        except (PolicyLoadError, OSError, json.JSONDecodeError, KeyError, TypeError, tarfile.TarError) as err:
            self.last_error = f"kept {self.current_version}: promoted policy cannot be loaded: {err}"
            print(f"rlcs: warning: {self.last_error}", file=sys.stderr)
            return self
        self.current, self.current_version, self.last_error = policy, policy.version, None
        return self

    @property
    def version(self) -> str:
        return self.current_version

    def probabilities(self, state, candidates):
        return self.current.probabilities(state, candidates)


def load_policy(name: str, bot) -> SelectionPolicy:
    """BotConfig.policy -> SelectionPolicy: "best_of_n" (by the reward model), "promoted", or a checkpoint folder."""
    from bot.selection.features import FeatureBuilder

    if name in ("best_of_n", "reward"):  # "reward": the old name
        if bot.reward_model is None:
            print("rlcs: warning: policy 'best_of_n' needs BotConfig.reward_model; no reward model is loaded, so the "
                  "drafter's rank-1 candidate is served instead (version 'best_of_n(no-reward-model)=first')",
                  file=sys.stderr)
            policy = FirstPolicy()
            policy.name = "best_of_n(no-reward-model)=first"
            return policy
        margin = bot.config.reward_margin
        if margin is None:
            margin = bot.reward_model.card.get("best_of_n_margin", 0.0)
        return BestOfNPolicy(margin)
    features = FeatureBuilder.for_bot(bot)
    exploration = (bot.config.learned_temperature, bot.config.learned_epsilon)
    if name == "promoted":
        fallback = load_policy("reward", bot) if bot.reward_model is not None else \
            SoftmaxPolicy(temperature=bot.config.temperature)
        shared = bot.replay if getattr(bot.replay, "is_postgres", False) else None  # replicas share the pointer
        return PromotedPolicy(bot.config.policy_dir, features, fallback, exploration, db=shared)
    if not Path(name).exists():
        raise ValueError(f"unknown policy {name!r}: use first, uniform, softmax, epsilon_greedy, reward, promoted, "
                         "or the path of a trained policy checkpoint")
    return load_checkpoint(name, features, *exploration)


def write_pointer(policy_dir: str | Path, record: dict, db=None) -> None:
    """Atomically point the serving bot(s) at a checkpoint, and append the event to the history. With `db` (a
    PostgreSQL URL or replay buffer) the promotion is also a row there, with the checkpoint, for every replica."""
    policy_dir = Path(policy_dir)
    policy_dir.mkdir(parents=True, exist_ok=True)
    record = {**record, "at": time.time()}
    tmp = policy_dir / f".{POINTER}.tmp{os.getpid()}"
    tmp.write_text(json.dumps(record, indent=2))
    os.replace(tmp, policy_dir / POINTER)
    with open(policy_dir / HISTORY, "a") as f:
        f.write(json.dumps(record) + "\n")
    replay = shared_db(db)
    if replay is not None:
        folder = Path(record["path"])
        archive = _pack(folder) if (folder / "config.json").is_file() else None
        with replay.transaction(lock="rlcs:promoted_policy") as con:
            if archive is None:  # a rollback to a version this machine never had: its checkpoint is in the table
                row = con.execute("SELECT checkpoint FROM promoted_policy WHERE version=? ORDER BY event_id DESC "
                                  "LIMIT 1", (record["version"],)).fetchone()
                if row is None:
                    raise PolicyLoadError(f"no checkpoint for {record['version']} here ({folder}) or in the database")
                archive = bytes(row[0])
            con.execute("INSERT INTO promoted_policy (event, version, record, checkpoint, created_at) "
                        "VALUES (?,?,?,?,?)", (record.get("event", "promoted"), record["version"],
                                               json.dumps(record), archive, record["at"]))


def read_pointer(policy_dir: str | Path, db=None, event_id: int | None = None) -> dict | None:
    """What serves: the pointer file, or with a PostgreSQL `db` the newest promoted_policy row (or row
    `event_id`), its checkpoint unpacked under policy_dir/versions when this machine lacks it."""
    replay = shared_db(db)
    if replay is not None:
        where, params = ("WHERE event_id=?", (event_id,)) if event_id is not None else ("", ())
        rows = replay.query(f"SELECT event_id, version, record, checkpoint FROM promoted_policy {where} "
                            "ORDER BY event_id DESC LIMIT 1", params)
        if not rows:
            return None
        record = json.loads(rows[0]["record"])
        record["path"] = str(_unpack(Path(policy_dir), rows[0]["version"], bytes(rows[0]["checkpoint"])))
        return record
    try:
        return json.loads((Path(policy_dir) / POINTER).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


# -- the pointer in a shared PostgreSQL database (several replicas) -----------------------------------------
_SHARED: dict = {}


def shared_db(db):
    """The replay buffer that holds the promoted-policy pointer for all replicas: `db` when it is (or names) a
    PostgreSQL database; None for SQLite or nothing (the pointer file alone, one machine)."""
    from bot.storage.engine import is_postgres

    if db is None:
        return None
    if not isinstance(db, (str, Path)):
        return db if getattr(db, "is_postgres", False) else None
    if not is_postgres(str(db)):
        return None
    if str(db) not in _SHARED:
        from bot.storage.replay_buffer import ReplayBuffer

        _SHARED[str(db)] = ReplayBuffer(str(db))
    return _SHARED[str(db)]


def latest_promotion_id(db) -> int | None:
    rows = shared_db(db).query("SELECT MAX(event_id) AS id FROM promoted_policy")
    return rows[0]["id"] if rows else None


def promotion_history(db) -> list[dict]:
    """Every promotion and rollback stored in the database, oldest first."""
    return [json.loads(r["record"]) for r in shared_db(db).query("SELECT record FROM promoted_policy ORDER BY event_id")]


def _pack(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                tar.add(path, arcname=path.name)
    return buffer.getvalue()


def _unpack(policy_dir: Path, version: str, archive: bytes) -> Path:
    """The checkpoint folder policy_dir/versions/VERSION, unpacked from the database's copy if missing."""
    if not version or "/" in version or version.startswith("."):
        raise PolicyLoadError(f"unusable version name {version!r} in the promoted_policy table")
    target = policy_dir / "versions" / version
    if (target / "config.json").is_file():
        return target
    tmp = target.with_name(f".{target.name}.unpack{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        tar.extractall(tmp, filter="data")
    try:
        os.replace(tmp, target)
    except OSError:  # another replica on this machine unpacked it first
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return target
