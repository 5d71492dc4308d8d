"""Prompts for generative drafting: the dialogue, grounded in the knowledge base and the order record.

One function builds the chat messages and one renders them for a tokenizer, and both serving
(bot/drafting/generative.py, bot/drafting/remote.py) and training (training/drafter/data.py) use them, so a
fine-tuned drafter sees at serving time exactly the prompt layout it was trained on.

    system     store persona + rules + facts: the passage of the detected intent, the next best
               intents' passages (what the retriever found), and the order record once the customer proved it
    user/...   the last few turns of the conversation, personal data masked (bot/pii.py)
"""
from __future__ import annotations

from bot.pii import mask_pii
from bot.shop.knowledge import KnowledgeBase, fill_slots
from bot.dialogue.state import DialogueState

N_PASSAGES = 2  # the detected intent's passage + the runner-up's: recall without a long prompt
MAX_TURNS = 4  # recent turns kept; older ones rarely change the next reply and cost CPU time
ORDER_FIELDS = ("order_id", "item", "quantity", "total", "status", "order_date", "ship_date",
                "delivery_date", "carrier", "tracking_number", "payment_method")  # never the email

SYSTEM = ("You are a customer-support agent for {store_name}. Reply to the customer in one to three short "
          "sentences, using only the facts below. If they do not answer the question, offer to connect the "
          "customer with the support team. Never promise refunds, credits or free items, and never ask for "
          "passwords or card numbers.")
PLAIN_ROLES = {"system": "", "user": "Customer: ", "assistant": "Agent: "}


def passages_for(kb: KnowledgeBase, intent_ids: list[str]) -> list[str]:
    """The distinct, non-empty passages of these intents, in order."""
    out = []
    for intent_id in intent_ids:
        try:
            passage = kb.intent(intent_id).passage.strip()
        except KeyError:
            continue
        if passage and passage not in out:
            out.append(passage)
    return out


def retrieved_intents(state: DialogueState, kb: KnowledgeBase, k: int = N_PASSAGES) -> list[str]:
    """The detected intent first, then the retriever's next best intents."""
    ids = [state.intent] if state.intent else []
    scores = state.cache.get("intent_scores")
    if scores is not None:
        for index in sorted(range(len(scores)), key=lambda i: -scores[i]):
            if kb.intents[index].id not in ids:
                ids.append(kb.intents[index].id)
            if len(ids) >= k:
                break
    return ids[:k]


def order_facts(kb: KnowledgeBase, order: dict | None) -> str:
    if not order:
        return ""
    parts = [f"{name}: {order[name]}" for name in ORDER_FIELDS if order.get(name) not in (None, "")]
    phrase = kb.status_phrases.get(order.get("status", ""))
    if phrase:
        filled = fill_slots(phrase, {**kb.store, **order})
        if filled:
            parts.append(f"status in words: {filled}")
    return "; ".join(parts)


def build_messages(kb: KnowledgeBase, history: list[tuple[str, str]], passages: list[str],
                   order: dict | None = None, max_turns: int = MAX_TURNS) -> list[dict]:
    """Chat messages: a grounded system message, then the recent turns (customer = user, bot = assistant)."""
    store_name = kb.store.get("store_name", "our store")
    facts = [f"- {p}" for p in passages]
    record = order_facts(kb, order)
    if record:
        facts.append(f"- The customer's order: {record}")
    system = SYSTEM.format(store_name=store_name) + "\nFacts:\n" + ("\n".join(facts) if facts else "- (none)")
    messages = [{"role": "system", "content": system}]
    for role, text in history[-max_turns:]:  # what the customer typed, PII masked: no model needs their card
        messages.append({"role": "user" if role == "customer" else "assistant", "content": mask_pii(text)})
    return messages


def messages_for_state(state: DialogueState, kb: KnowledgeBase, k: int = N_PASSAGES) -> list[dict]:
    return build_messages(kb, state.history, passages_for(kb, retrieved_intents(state, kb, k)), state.order)


def has_chat_template(tokenizer) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def render_prompt(tokenizer, messages: list[dict]) -> str:
    """The text the model continues: the chat template if the tokenizer has one, else a plain transcript."""
    if tokenizer is not None and has_chat_template(tokenizer):
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    lines = [PLAIN_ROLES[m["role"]] + m["content"] for m in messages]
    return "\n".join(lines) + "\nAgent:"


def render_completion(tokenizer, reply: str) -> str:
    """The training target after `render_prompt`: the reply and the end-of-turn marker."""
    if has_chat_template(tokenizer):
        return reply + (tokenizer.eos_token or "")
    return " " + reply + "\n" + (tokenizer.eos_token or "")


def clean_generation(text: str, plain: bool) -> str:
    """Cut a decoded continuation to the agent's reply: no next speaker, no half-finished sentence."""
    if plain:
        for stop in ("\nCustomer:", "\nAgent:", "\n\n"):
            text = text.split(stop)[0]
    text = text.strip()
    if text and text[-1] not in ".!?)\"'" and any(p in text for p in ".!?"):
        # max_new_tokens cut it mid-sentence: keep the complete sentences
        last = max(text.rfind(p) for p in ".!?")
        text = text[: last + 1]
    return text.strip()
