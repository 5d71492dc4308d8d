"""Order access: an order's details go only to a customer who proved the order is theirs.

An order number alone proves nothing: they are short and sequential. A customer proves an order by giving,
in the same conversation, the email address or the postcode the order was placed with (before or after the
number). Until then the bot knows the order exists (`state.access.pending`) but the dialogue state holds no
order record (`state.order` is None), so no template, prompt, policy feature or "why this reply" row can
show its item, total, dates, tracking number or card; the answers that need the order are offered as a
request for proof instead (`proof_requests`). Once proven, `state.order` is set and answers flow as before.

    proof lasts      for this conversation only (it lives on its DialogueState): another session, or this
                     one after a restart, asks again
    wrong answers    MAX_ATTEMPTS per order and conversation; after that the bot stops checking and points
                     to the support team, so guessing postcodes is not a way in. Only proof given for the
                     order in question counts against it: an email given earlier (for another order, or
                     before any order was named) is tried, and if it does not match we just ask
    a lone number    while we wait for proof, "94110" is read as the postcode we asked for unless it names
                     another order on file; "order 10024" always names an order

`leaks_order` is the guard's check that a reply holds no data of an order this customer has not proven.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.pii import EMAIL

MAX_ATTEMPTS = 3
TEMPLATE_PREFIX = "verify_order."  # meta["template"] of the proof requests, so logs and simulators can tell them

ASK_TEXTS = [
    ("verify_order.ask", "I've found order {order_id}. To keep your details safe, could you confirm the email "
                         "address or the postcode the order was placed with? Then I can tell you everything about it."),
    ("verify_order.ask_why", "Before I share anything about order {order_id}, I need to check it's yours. What's the "
                             "email address or the delivery postcode on the order?"),
    ("verify_order.ask_short", "Thanks! For your security, please reply with the email address or postcode you used "
                               "for order {order_id}."),
]
MISMATCH_TEXT = ("verify_order.mismatch",
                 "That doesn't match what we have for order {order_id}, so I can't share its details yet. Could you "
                 "check the email address or postcode you used when you placed it? (If you meant a different order, "
                 "write 'order' before its number.)")
LOCKED_TEXT = ("verify_order.locked",
               "I'm sorry, I can't confirm order {order_id} here. Please email {support_email} from the address you "
               "used for the order, and our team will help you with it.")

CA_POSTCODE = re.compile(r"\b([A-Za-z]\d[A-Za-z])[\s-]?(\d[A-Za-z]\d)\b")
_ZIP = re.compile(r"(?<![\d.,$€£#-])\b(\d{5})(?:-\d{4})?\b(?![.,]\d)")
_ZIP_WORDS = re.compile(r"\b(?:zip|postcode|post\s*code|postal)\b", re.IGNORECASE)
_ZIP_AFTER_WORD = re.compile(r"\b(?:zip|postcode|post\s*code|postal)(?:\s*code)?(?:\s+(?:is|was|it's|:))?[\s:]*"
                             r"(\d{5})(?:-\d{4})?\b", re.IGNORECASE)
_ORDER_MENTION = re.compile(r"(?:\border\b|\bpurchase\b|#)(?:\s*(?:number|no\.?|nr\.?|is|:|#))*\s*#?\s*(\d{4,12})\b",
                            re.IGNORECASE)
_AMOUNT = re.compile(r"\$?\s?(\d[\d,]*\.\d{2})\b")


@dataclass
class OrderAccess:
    """Per conversation: which orders the customer proved, and the one waiting for proof."""

    pending: dict | None = None  # the order named last, on file but not proven (never in state.order)
    verified: set = field(default_factory=set)  # order ids proven in this conversation
    failures: dict = field(default_factory=dict)  # order id -> wrong answers so far
    claims: list = field(default_factory=list)  # emails and postcodes the customer gave, normalised, in order
    checked: set = field(default_factory=set)  # (order id, claim) pairs already compared
    failed_now: bool = False  # this message's proof did not match

    def locked(self, order_id: str) -> bool:
        return self.failures.get(order_id, 0) >= MAX_ATTEMPTS


def _norm_postcode(text: str) -> str:
    return re.sub(r"[\s-]", "", str(text)).upper()


def _claims_in(message: str) -> list[str]:
    """Emails and letters-and-digits postcodes in a message, normalised (5-digit ZIPs: see `read`)."""
    claims = [e.lower() for e in EMAIL.findall(message)]
    claims += [(a + b).upper() for a, b in CA_POSTCODE.findall(EMAIL.sub(" ", message))]
    return claims


def gives_proof(message: str) -> bool:
    """Does the message hold an email address or a postcode (what a customer proves an order with)?"""
    return bool(_claims_in(message)) or bool(_ZIP_WORDS.search(message) and _ZIP.search(message))


_PROOF_WORDS = re.compile(r"\b(?:e-?mail|address|post\s*code|postal|code|zip|on|for|with|used|i|was|we|it's)\b",
                          re.IGNORECASE)


def proof_as_number(text: str) -> str:
    """An email or postcode read as a number, and the words around it dropped: "the email on it is x@y.com"
    answers our question the way "it's 10023" does, so the tracker keeps the topic and nobody asks to clarify."""
    out = CA_POSTCODE.sub(" 12345 ", EMAIL.sub(" 12345 ", text))
    if out != text or _ZIP_WORDS.search(text):
        out = _PROOF_WORDS.sub(" ", out)
    return out


def _matches(claim: str, order: dict) -> bool:
    if "@" in claim:
        return claim == str(order.get("email", "")).strip().lower()
    postcode = _norm_postcode(order.get("postcode", ""))
    return bool(postcode) and (claim == postcode or (postcode[:5].isdigit() and claim == postcode[:5]))


def read(state, message: str, orders, order_id: str | None) -> None:
    """The tracker's order lookup: note the order named, compare any proof given, and put the record in
    `state.order` only once this conversation proved it."""
    access = state.access
    access.failed_now = False
    claims = _claims_in(message)
    named = order_id is not None and order_id in _ORDER_MENTION.findall(message)  # "order 10023", "#10023"
    if _ZIP_WORDS.search(message):  # "my zip is 94110": a postcode, never an order number
        numbers = _ZIP.findall(EMAIL.sub(" ", message))
        zips = _ZIP_AFTER_WORD.findall(message)
        if not zips and not CA_POSTCODE.search(EMAIL.sub(" ", message)):  # "94110 is my zip"
            zips = numbers
        claims += [z for z in zips if not (named and z == order_id)]
        # "status of 10007, my zip is 39045": the number the zip word does not name is the order
        others = [n for n in numbers if n not in zips]
        order_id = order_id if named else (others[0] if others else None)
    elif named:  # "order 10024 ... 46791": a lone 5-digit number beside the named order, and no order on file, is
        claims += [n for n in _ZIP.findall(EMAIL.sub(" ", message)) if n != order_id and orders.get(n) is None]
    pending = access.pending
    if order_id and not named and pending is not None:
        # A lone number while we wait for proof: the postcode, unless it names another order on file.
        if _matches(order_id, pending) or orders.get(order_id) is None:
            claims.append(order_id)
            order_id = None
    if order_id:
        state.slots["order_id"] = order_id
        record = orders.get(order_id)
        access.pending = None
        state.order = None
        if record is not None and order_id in access.verified:
            state.order = record
        elif record is not None:
            access.pending = record
    fresh = list(dict.fromkeys(claims))  # this message's proof
    access.claims += [c for c in fresh if c not in access.claims]
    _check(state, fresh)


def _check(state, fresh: list[str]) -> None:
    """Compare the claims with the order waiting for proof. A wrong claim counts against the order only when it
    was given in this message, while that order was in question; older ones are tried and, wrong, forgotten."""
    access = state.access
    order = access.pending
    if order is None:
        return
    order_id = str(order["order_id"])
    for claim in access.claims:
        if access.locked(order_id):
            return
        if (order_id, claim) in access.checked:
            access.failed_now |= claim in fresh  # the same wrong answer again: say so, count it once
            continue
        access.checked.add((order_id, claim))
        if _matches(claim, order):
            access.verified.add(order_id)
            access.pending = None
            state.order = order
            return
        if claim in fresh:
            access.failures[order_id] = access.failures.get(order_id, 0) + 1
            access.failed_now = True


def awaiting_proof(state) -> bool:
    return state.access.pending is not None


def proof_requests(state, store: dict) -> list[tuple[str, str]]:
    """(template id, text) replies that stand in for the answers needing the order, while it waits for proof."""
    order = state.access.pending
    if order is None:
        return []
    values = {"order_id": order["order_id"], "support_email": store.get("support_email", "our support team")}
    if state.access.locked(str(order["order_id"])):
        chosen = [LOCKED_TEXT]
    elif state.access.failed_now:  # only this: a customer must hear that the answer was wrong before a lock
        chosen = [MISMATCH_TEXT]
    else:
        chosen = ASK_TEXTS
    return [(template_id, text.format(**values)) for template_id, text in chosen]


# -- the guard's check -------------------------------------------------------------------------------------
def _identifying(order: dict) -> set[str]:
    """Values that point at one customer's order: contact, name, tracking number, a letters-and-digits postcode."""
    values = {str(order.get(k, "")).strip().lower() for k in ("email", "customer_name", "tracking_number")}
    postcode = str(order.get("postcode", "")).strip()
    if postcode and not postcode.isdigit():  # a 5-digit ZIP reads like any other number
        values.add(postcode.lower())
    return {v for v in values if len(v) >= 6}


def _details(order: dict) -> set[str]:
    """Everything the order's answers would show: identifying values plus item, dates, total, card digits."""
    values = set(_identifying(order))
    values |= {str(order.get(k, "")).strip().lower() for k in ("item", "order_date", "ship_date", "delivery_date")}
    values |= set(re.findall(r"ending (\d{4})", str(order.get("payment_method", ""))))
    return {v for v in values if len(v) >= 4}


class OrderIndex:
    """Identifying values of every order on file, for the guard."""

    def __init__(self, records: list[dict]):
        self.ids = {str(r["order_id"]) for r in records}
        self.by_value: dict[str, set[str]] = {}
        for r in records:
            for value in _identifying(r):
                self.by_value.setdefault(value, set()).add(str(r["order_id"]))


def leaks_order(text: str, state, index: OrderIndex | None) -> bool:
    """Whether a reply shows data of an order this customer has not proven: another order on file (its
    number, contact, name or tracking number), or the details of the order still waiting for proof."""
    if state is None:
        return False
    own = state.order or {}
    own_id = str(own.get("order_id", "")) or None
    allowed = _details(own) if own else set()
    lowered = text.lower()
    said = " ".join(t for role, t in state.history if role == "customer").lower()  # echoing them is no leak
    if index is not None:
        named = state.slots.get("order_id")
        for number in _ORDER_MENTION.findall(text):  # a number they typed themselves ("you also mentioned order N")
            if number in index.ids and number not in (named, own_id) and number not in said:
                return True
        for value, owners in index.by_value.items():
            if value in lowered and value not in allowed and owners - {own_id}:
                return True
    pending = state.access.pending
    if pending is not None:
        for value in _details(pending) - allowed:
            if value in said:
                continue
            if re.search(rf"(?<![\w]){re.escape(value)}(?![\w])", lowered):
                return True
        total = str(pending.get("total", "")).strip()
        if total and total != str(own.get("total", "")) and total in _AMOUNT.findall(text):
            return True
    return False
