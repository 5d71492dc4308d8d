"""The simulated customer's rubric: how much one reply satisfies, decided from labels, written down in one place.

Nothing here looks through the bot's eyes (no encoder, no embeddings, no policy features, no tracker or
drafter code; tests/test_simulator_independence.py guards the imports). The inputs are labels:

    the customer   the intent their conversation is labelled with in the pool (data/simulator/), the pool's
                   tags of what they wrote (vague, out_of_scope, angry, gives_order_number, ...), what they
                   have told the bot so far (their order number, the proof that the order is theirs), and
                   their type: how many words of reply they bear (`TYPES`)
    the reply      which answer template it is (the drafter's meta["template"]) with that template's labels in
                   the knowledge base (its intent and its `needs` condition), or which other kind of reply
                   (a request for the order's proof, a clarifying question, a handover and its reason, the
                   fallback, generated text); its length in words, counted here

The scores (`SCORES`, 0..1) and the kind of step each reply takes (what the customer does next):

    right intent, its `needs` fit what the customer said    high ("answer": may resolve the conversation)
      an answer about their order, once proven               0.90
      a general answer to a general question                 0.80 (0.55 if they gave an order number and
                                                                   expected it looked at; 0.70 out of scope)
    asks for the order number, the intent needs the order    moderate: 0.60 ("ask": they give it), 0.50 where a
      and none was given                                     general answer would do (GENERAL_FIRST)
    asks for the proof of the order (email or postcode)      0.60 ("prove": they give the order's email)
    a general answer where they need THEIR order looked at   0.40 ("partial")
    asks again for a number they already gave               0.25
    a clarifying question: vague or out-of-scope message     0.50, clear message 0.20 ("question")
      (also an intent's own question templates, QUESTIONS)   0.55 / 0.35
    a handover: other language, out of scope, unsure on a    0.50-0.85 ("handover": a person takes over)
      vague message, or the customer asked for a person;     0.15-0.20 otherwise
    another intent's template                                0.05 ("wrong")
    fallback 0.15, generated text (no label) 0.30            ("partial")

Customer-type preferences, on top: a reply longer than the customer's tolerance loses up to 0.35
(0.35 * the excess as a share of the tolerance, capped at 1), and an angry customer gains 0.05 from a reply
that acknowledges the problem and loses 0.05 from one that does not.

The rubric does not rank the wordings WITHIN an intent's general answers (no label says which of them a
message wants): they score alike, and only length and acknowledgement tell them apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SCORES = {
    "order_answer": 0.90,  # right intent, answers about THEIR order (offered only once the order is proven)
    "general_answer": 0.80,  # right intent, a general answer to a general question
    "general_answer_out_of_scope": 0.70,  # the store's honest answer to a question it cannot fully meet
    "general_but_gave_number": 0.55,  # they gave an order number and expected it looked at
    "ask_needed": 0.60,  # asks for the order number: the intent needs the order and none was given
    "ask_helpful": 0.50,  # asks for the number where a general answer would also do (GENERAL_FIRST)
    "ask_again": 0.25,  # asks for a number they already gave
    "prove": 0.60,  # asks for the order's email or postcode: the order number was given, not yet proven
    "prove_again": 0.20,  # asks for proof they already gave
    "prove_other_order": 0.15,  # asks to prove an order that is not theirs (a number misread)
    "general_when_order_needed": 0.40,  # policy text when they asked about their own order
    "unknown_order": 0.25,  # "I couldn't find that order": theirs is on file, so a number was misread
    "product_answer": 0.85,  # right intent, about the product they named
    "product_guess": 0.40,  # a product answer to a message that named none clearly
    "which_product_vague": 0.60,  # asks which product when the message did not say
    "which_product_clear": 0.30,  # asks which product when they had said it
    "intent_question_vague": 0.55,  # an intent's own question template on a vague message
    "intent_question_clear": 0.35,  # ... on a clear one
    "clarify_vague": 0.50,  # the bot's clarifying question on a vague / out-of-scope message
    "clarify_clear": 0.20,  # ... on a clear message
    "handover_asked": 0.85,  # they asked for a person and got one
    "handover_fine": 0.60,  # other language, or an out-of-scope message: a person is the honest answer
    "handover_unsure_vague": 0.50,  # the bot could not read a vague message twice
    "handover_needless": 0.15,  # a handover on a clear, in-scope message
    "wrong_intent": 0.05,  # another intent's template
    "fallback": 0.15,
    "generated": 0.30,  # free text: no template label to judge it by, so never more than partial
}
LENGTH_PENALTY = 0.35  # at most this much for a reply far over the customer's tolerance
ACKNOWLEDGE = 0.05  # angry customers: + for a reply that acknowledges the problem, - for one that does not

# Customer types: how many words of reply they bear before it annoys them. The pool's tags pick the likely
# type (a very short message: probably terse; a long or polite one: probably patient), not always.
TYPES = {"terse": 20, "plain": 45, "patient": 90}

# Intents whose templates include answers about the customer's order, split by what serves a customer who has
# not given the order: ORDER_FIRST questions are about THEIR order (where is it, cancel it, it arrived broken),
# so general policy text leaves them unserved; GENERAL_FIRST questions (how do returns work, is there a
# warranty) are served by the general answer, and the order only makes the answer specific.
ORDER_FIRST = frozenset({
    "track_order", "delivery_delayed", "package_not_received", "damaged_or_wrong_item", "change_shipping_address",
    "return_status", "refund_status", "cancel_order", "change_order", "double_charged", "invoice_request",
    "store_pickup", "missing_item", "defective_item",
})
GENERAL_FIRST = frozenset({
    "return_item", "exchange_item", "price_adjustment", "warranty_claim", "complaint", "unauthorized_charge",
    "delivery_complaint",
})
# Templates with no `needs` that ask the customer a question instead of answering (labelled by hand).
QUESTIONS = frozenset({
    "refund_policy.clarify", "payment_failed.clarify", "account_access.clarify", "delete_account_privacy.clarify",
    "newsletter_unsubscribe.clarify", "sizing_help.clarify", "product_care.clarify", "human_agent.clarify",
    "greeting.clarify", "membership_subscription.clarify", "website_issue.clarify", "scam_concern.ask",
    "complaint.outcome",
})
PROOF_PREFIX = "verify_order."  # the proof requests' template ids (bot/dialogue/order_access.py TEMPLATE_PREFIX)
HUMAN_AGENT = "human_agent"

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ACKNOWLEDGES = re.compile(r"\b(?:sorry|apologi[sz]e|frustrat\w*|not okay|not ok|let you down|that's not|"
                           r"understand|worrying|disappointing)\b", re.IGNORECASE)


def word_count(text: str) -> int:
    """Words in a reply, counted by the simulator itself (letters and digits; apostrophes join)."""
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Reply:
    """What the customer can know about a reply: its text, and the labels of what it is."""

    text: str
    source: str  # "retrieval", "clarify", "handover", "fallback", "generative", ...
    template: str | None = None  # the answer template's id (or a proof request's)
    intent: str | None = None  # the template's intent in the knowledge base
    needs: tuple[str, ...] = ()  # the template's `needs` in the knowledge base
    handover: str | None = None  # a handover's reason: other_language, customer_asked, unsure


@dataclass(frozen=True)
class Situation:
    """What the rubric knows about the customer at this reply."""

    intent: str  # the pool's label of their conversation
    tags: frozenset  # the pool's tags of what they wrote so far
    has_order: bool  # the conversation is about an order of theirs
    order_id: str | None
    said_order: bool  # they told the bot their order number
    proved: bool  # they gave the order's email when asked
    tolerance: int  # words of reply they bear
    angry: bool


def judge(s: Situation, r: Reply) -> tuple[float, str, str]:
    """(satisfaction 0..1, kind of step, the rubric line that decided it).

    kinds: answer (may resolve), ask (they give the order number), prove (they give the order's email),
    question (they say more), partial, wrong, handover (a person takes over; the conversation ends)."""
    base, kind, line = _base(s, r)
    n = word_count(r.text)
    value = base - LENGTH_PENALTY * min(max(0, n - s.tolerance) / s.tolerance, 1.0)
    if s.angry:
        value += ACKNOWLEDGE if _ACKNOWLEDGES.search(r.text) else -ACKNOWLEDGE
    return float(min(max(value, 0.0), 1.0)), kind, line


def _base(s: Situation, r: Reply) -> tuple[float, str, str]:
    vague = "vague" in s.tags or ("very_short" in s.tags and "gives_order_number" not in s.tags)
    out_of_scope = "out_of_scope" in s.tags
    if r.template and r.template.startswith(PROOF_PREFIX):
        if s.order_id is None or s.order_id not in r.text:
            return _line("prove_other_order", "ask" if s.has_order else "partial")
        return _line("prove_again", "partial") if s.proved else _line("prove", "prove")
    if r.source == "clarify":
        return _line("clarify_vague" if vague or out_of_scope else "clarify_clear", "question")
    if r.source == "handover" and not r.template:
        if r.handover == "customer_asked":
            return _line("handover_asked" if s.intent == HUMAN_AGENT else "handover_needless", "handover")
        if r.handover == "other_language" or out_of_scope:
            return _line("handover_fine" if out_of_scope else "handover_needless", "handover")
        return _line("handover_unsure_vague" if vague else "handover_needless", "handover")
    if r.source == "fallback":
        return _line("fallback", "partial")
    if not r.template or r.intent is None:
        return _line("generated", "partial")
    if r.intent != s.intent:
        return _line("wrong_intent", "wrong")
    needs = set(r.needs)
    if "order" in needs:
        return _line("order_answer", "answer") if s.proved else _line("general_when_order_needed", "partial")
    if "unknown_order" in needs:
        return _line("unknown_order", "partial")
    if "no_order" in needs:  # asks for the order number
        if s.said_order:
            return _line("ask_again", "ask")
        if not s.has_order:
            return _line("general_when_order_needed", "partial")
        return _line("ask_needed" if s.intent in ORDER_FIRST else "ask_helpful", "ask")
    if "product" in needs:
        return _line("product_guess" if vague else "product_answer", "partial" if vague else "answer")
    if "no_product" in needs:
        return _line("which_product_vague" if vague else "which_product_clear", "question")
    if r.template in QUESTIONS:
        return _line("intent_question_vague" if vague else "intent_question_clear", "question")
    if s.intent in ORDER_FIRST and s.has_order:
        return _line("general_when_order_needed", "partial")
    if s.said_order and s.intent in GENERAL_FIRST:
        return _line("general_but_gave_number", "answer")
    return _line("general_answer_out_of_scope" if out_of_scope else "general_answer", "answer")


def _line(name: str, kind: str) -> tuple[float, str, str]:
    return SCORES[name], kind, name
