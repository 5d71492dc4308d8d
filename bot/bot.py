"""Bot: one customer message in, one reply out, everything needed to learn from it stored.

    state    <- tracker reads the message (slots, order, intent)
    drafts   <- drafters propose candidates; the guard drops unsafe ones
    choice   <- the selection policy picks one and reports its propensity
    storage  <- the replay buffer stores the turn with ALL candidates
"""
from __future__ import annotations

import copy
import re
import threading
import time
import uuid
from pathlib import Path

import numpy as np

from bot.candidate import Candidate, Turn
from bot.config import BotConfig
from bot.encoder import Encoder
from bot.drafting.guard import Guard
from bot.shop.catalogue import Catalogue
from bot.shop.knowledge import KnowledgeBase
from bot.shop.orders import OrderBook
from bot.selection.policies import BASELINES, SelectionPolicy
from bot.selection.reward_input import reward_context, tagged_reply
from bot.storage.replay_buffer import ReplayBuffer, SessionEnded
from bot.drafting.retrieval import RetrievalDrafter
from bot.dialogue import actions, chasing, handover, issues, order_access
from bot.dialogue.state import DialogueState
from bot.text import clean_message
from bot.dialogue.tracker import DialogueTracker

_A_QUESTION = re.compile(r"\?|^\W*(?:and\s+|so\s+|but\s+)?(?:what|where|when|why|how|who|which|is|are|can|could|do|does|"
                         r"did|will|would)\b", re.IGNORECASE)
# Said when every candidate was dropped by the guard: always safe, always true.
FALLBACK_REPLY = ("I want to get this right for you, so let me connect you with a member of our support team. "
                  "You can also reach us at {support_email}.")


class Bot:
    def __init__(self, config: BotConfig | None = None):
        from bot.shop.paths import STORE_DIR

        self.config = config or BotConfig()
        self.replay = ReplayBuffer(self.config.db_path, self.config.durability)  # first: a bad --db fails fast
        store_dir = Path(self.config.store_dir) if self.config.store_dir else STORE_DIR
        cache_dir = self.config.cache_dir
        self.kb = KnowledgeBase.load(store_dir)
        self.replay.public_details = self.kb.public_details  # our own phone and email stay in stored replies
        self.orders = OrderBook(store_dir / "orders.csv", Path(cache_dir) / "orders.sqlite3")
        self.catalogue = Catalogue.load(store_dir / "products.csv") if (store_dir / "products.csv").exists() else None
        self.encoder = Encoder.shared(self.config.encoder_path)
        self.tracker = DialogueTracker(self.kb, self.orders, self.encoder, cache_dir, self._load_intent_model(store_dir),
                                       catalogue=self.catalogue)
        self.retrieval = RetrievalDrafter(self.kb, self.encoder, cache_dir)
        self.generator = self._make_generator()
        self.guard = Guard(self.kb.store, self.orders, kb=self.kb)  # the KB's reviewed texts ground generated facts
        self.reward_model = self._load_reward_model()
        self.policy = self.make_policy(self.config.policy)
        self.rng = np.random.default_rng(self.config.seed)
        self._rng_lock = threading.Lock()
        self._sessions: dict[str, DialogueState] = {}
        self._session_locks: dict[str, threading.Lock] = {}
        self._sessions_lock = threading.Lock()

    # -- construction hooks (generative drafting, reward model, learned policies plug in here) --------
    def _load_intent_model(self, store_dir: Path):
        """"auto": the store's shipped intent model, or one fitted on its examples; "none": nearest examples."""
        spec = self.config.intent_model
        if spec == "none":
            return None
        from bot.dialogue.intent_training import intent_model_for, load_intent_model

        if spec == "auto":
            return intent_model_for(self.kb, self.encoder, store_dir, self.config.cache_dir)
        return load_intent_model(spec)

    def _make_generator(self):
        if not self.config.generator:
            return None
        from bot.drafting.generative import make_generative_drafter

        return make_generative_drafter(self.config.generator, self.kb, self.config.generator_options)

    def _load_reward_model(self):
        if not self.config.reward_model:
            return None
        from bot.selection.reward_model import RewardModel

        return RewardModel.load(self.config.reward_model)

    def make_policy(self, name: str) -> SelectionPolicy:
        if name == "softmax":
            return BASELINES["softmax"](temperature=self.config.temperature)
        if name == "epsilon_greedy":
            return BASELINES["epsilon_greedy"](epsilon=self.config.epsilon)
        if name == "ask_rule":
            return BASELINES[name](self.kb)
        if name in BASELINES:
            return BASELINES[name]()
        from bot.selection.learned import load_policy  # "best_of_n", "promoted" or a checkpoint path

        return load_policy(name, self)

    # -- sessions ------------------------------------------------------------------------------
    def _session(self, session_id: str) -> tuple[DialogueState, threading.Lock]:
        with self._sessions_lock:
            if session_id in self._sessions:
                return self._sessions[session_id], self._session_locks[session_id]
        state = self._rebuild_state(session_id)  # resume after a reload or a restart (outside the lock: it encodes)
        with self._sessions_lock:
            if session_id not in self._sessions:
                self._sessions[session_id] = state
                self._session_locks[session_id] = threading.Lock()
            return self._sessions[session_id], self._session_locks[session_id]

    def _rebuild_state(self, session_id: str) -> DialogueState:
        """The dialogue state of a stored conversation: its customer messages read again by the tracker
        (so the order number, the order and the topic are known), the bot's replies as they were said."""
        state = DialogueState(session_id)
        for turn in self.resume(session_id, ended_too=True):
            self.tracker.update(state, turn["user_text"])
            state.history.append(("bot", turn["reply_text"]))
        state.cache = {}
        return state

    def resume(self, session_id: str, ended_too: bool = False) -> list[dict]:
        """A stored conversation's turns, oldest first ({turn_id, user_text, reply_text, thumb, reason}),
        for a front door that shows it again; [] if unknown or (unless ended_too) already rated and ended."""
        return self.replay.query(
            "SELECT t.turn_id, t.user_text, t.reply_text, f.thumb, f.reason FROM turns t "
            "JOIN sessions s USING (session_id) LEFT JOIN feedback f USING (turn_id) "
            "WHERE t.session_id=? AND (? OR s.ended_at IS NULL) ORDER BY t.turn_index", (session_id, ended_too))

    # -- the loop ------------------------------------------------------------------------------
    def draft(self, state: DialogueState) -> tuple[list[Candidate], list]:
        """The candidates for this turn: the reply to a go-ahead for an action we offered (bot/dialogue/actions.py),
        or a clarifying question or a handover alone when we should not answer (bot/dialogue/handover.py), else
        drafted answers that passed the guard, each naming the message's other issue when it had one
        (bot/dialogue/issues.py), less any that would repeat our previous reply word for word."""
        not_answering = actions.reply_to_offer(state, self.kb.store, self.catalogue) or handover.decide(state, self.kb)
        if not_answering is not None:
            return [not_answering], []
        n = self.config.n_candidates
        candidates: list[Candidate] = []
        if self.generator is not None:
            candidates += self.generator.draft(state, min(self.config.n_generative, n))
        candidates += self.retrieval.draft(state, n - len(candidates))
        if handover.handover_intent(state, self.kb) is None:  # a handover reply stays as it is
            candidates = issues.add_mention(state, self.kb, candidates)  # "You also mentioned ...", checked below
            candidates = chasing.add_apology(state, candidates)  # a chase's matter answered: sorry for the wait
        kept, dropped = self.guard.filter(candidates, state)
        kept = handover.contact_drafts(state, self.kb, handover.mark_handover_drafts(state, self.kb, kept))
        said_last = next((text for role, text in reversed(state.history) if role == "bot"), None)
        asked = [text.strip().lower() for role, text in state.history if role == "customer"][-2:]
        # Only for a new message that tells us something ("from M to L please", "ok then I'll return it"): the same
        # message again may get the same answer, and a new question may be answered by what we said before.
        tells = (len(asked) < 2 or asked[0] != asked[1]) and not _A_QUESTION.search(state.last_message)
        # (The order-proof replies stay: while the order is unproven or locked, the same answer is the right one.)
        repeats = [c for c in kept if c.text == said_last
                   and not str(c.meta.get("template", "")).startswith(order_access.TEMPLATE_PREFIX)]
        if tells and repeats and len(repeats) < len(kept):  # the same words again read as a loop
            dropped += [(c, "repeats_last_reply") for c in repeats]
            kept = [c for c in kept if c not in repeats]
        done = actions.details_given_before(state, kept, self.kb.store, self.catalogue)  # no asking for what they told us
        if done is not None:
            return [done], dropped
        if not kept:
            kept = [Candidate(FALLBACK_REPLY.format(**self.kb.store), "fallback", 0.0)]
        return kept, dropped

    def score_rewards(self, state: DialogueState, candidates: list[Candidate]) -> None:
        if self.reward_model is None:
            return
        if self.reward_model.reads_tracker:
            context = reward_context(state, self.tracker.intent_ids)
            ranked = self.reward_model.reads_rank  # the candidates are in the drafter's order: rank 1 first
            pairs = [(context, tagged_reply(c.template_name, c.text, rank + 1 if ranked else None))
                     for rank, c in enumerate(candidates)]
        else:
            context = state.context_text()
            pairs = [(context, c.text) for c in candidates]
        for candidate, reward in zip(candidates, self.reward_model.score(pairs)):
            candidate.reward = float(reward)

    def reply(self, session_id: str, text: str) -> Turn:
        """Answer one customer message; the turn is returned only once it is stored (committed).

        Raises `InvalidMessage` or `SessionEnded` (both safe to show) for unusable input or a conversation that
        was already rated, and `StorageError` when the turn could not be stored; then nothing was said, and the
        dialogue state is as it was before the message, so the customer can simply send it again."""
        message = clean_message(text)
        if not isinstance(session_id, str) or not session_id.strip():
            raise ValueError("session_id must be a non-empty string")
        if self.replay.session_ended(session_id):
            raise SessionEnded(session_id)
        state, lock = self._session(session_id)
        with lock:
            if self.replay.is_postgres and self.replay.turn_count(session_id) != len(state.history) // 2:
                vars(state).update(vars(self._rebuild_state(session_id)))  # another replica served turns since
            policy = self.current_policy()
            start = time.perf_counter()
            context = list(state.history)
            before = copy.deepcopy({k: v for k, v in vars(state).items() if k != "cache"})
            try:
                self.tracker.update(state, message)
                candidates, dropped = self.draft(state)
                drafted = time.perf_counter()
                self.score_rewards(state, candidates)
                with self._rng_lock:
                    chosen, _ = policy.select(state, candidates, self.rng)
                selected = time.perf_counter()
                turn = Turn(uuid.uuid4().hex, session_id, candidates[chosen].text, chosen, candidates,
                            intent=state.intent, policy_version=policy.version)
                turn.latency_ms = {"drafting": 1000 * (drafted - start), "selection": 1000 * (selected - drafted)}
                self.replay.log_turn(turn, message, context, turn_index=len(context) // 2,
                                     slots=state.slots, dropped=dropped, started=start)
            except BaseException:
                vars(state).update(before)  # not stored, so not said: history, slots, order and topic as they were
                state.cache = {}
                raise
            stored = time.perf_counter()
            turn.latency_ms["storage"] = 1000 * (stored - selected)
            turn.latency_ms["total"] = 1000 * (stored - start)
            state.history.append(("bot", turn.text))
            return turn

    def feedback(self, turn_id: str, thumb: int, reason: str | None = None, comment: str | None = None) -> None:
        self.replay.add_feedback(turn_id, thumb, reason, comment)

    def end_session(self, session_id: str, csat: int, resolved: bool, comment: str | None = None) -> bool:
        """Rate and end a conversation. The rating is given once: True when this call gave it, False when it was
        already rated (this one is kept as a 'rating_changed' event only). The session takes no more turns."""
        first = self.replay.end_session(session_id, csat, resolved, comment)
        with self._sessions_lock:
            self._sessions.pop(session_id, None)
            self._session_locks.pop(session_id, None)
        return first

    def rank(self, context: str, replies: list[str]) -> list[float]:
        """The serving policy's probabilities for the given replies, in their order."""
        if not replies:
            return []
        state = DialogueState("rank")
        self.tracker.update(state, clean_message(context))
        reply_vectors = self.encoder.encode(list(replies))
        similarity = reply_vectors @ state.cache["query_vector"]
        candidates = [Candidate(r, "given", float(s)) for r, s in zip(replies, similarity)]
        self.score_rewards(state, candidates)
        return [float(p) for p in self.current_policy().probabilities(state, candidates)]

    def current_policy(self) -> SelectionPolicy:
        """The serving policy; a learned policy may swap itself for a newly promoted version here."""
        refresh = getattr(self.policy, "refreshed", None)
        if refresh is not None:
            self.policy = refresh()
        return self.policy
