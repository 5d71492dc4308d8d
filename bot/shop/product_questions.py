"""Which fact about a product a message asks for: its price, weight, size, material...

"how much is the canvas weekender" asks the price; answer-text similarity alone once gave its weight ("how much"
is close to "weighs"). Each product answer in the knowledge base says which facts it states (`"about"`); the
retrieval drafter lifts the answers that state what was asked. A question about such a fact of a product the
message names is a product question (`is_product_question`), whatever else the intent model reads in it.
"""
from __future__ import annotations

import re

# Words that ask whether something is gone for good (bot/dialogue/facts.py "asks_if_discontinued")
GONE_WORDS = (r"\bdiscontinu\w*|\bstop(?:ped)? (?:selling|stocking|making|doing|carrying)\b|"
              r"\bno longer (?:sell|stock|do|make|carry)\w*|\bnot (?:stocking|selling)\b(?! to\b)")
# Words that ask whether something is sold at all or can be had now: "back in stock", "discontinued", "have you
# stopped selling", "no longer stock". Asked of no product we know, they still get the stock answer.
STOCK_WORDS = (r"\b(?:in|out of|low on) stock\b|\bsold out\b|\brestock\w*|"
               r"\bback (?:in stock|on (?:the )?shelf|on (?:the )?shelves)\b|" + GONE_WORDS + r"|\bstock levels?\b")
ASKED = {
    "price": re.compile(r"\bhow much\b(?! does it weigh| do(?:es)? (?:it|they|the \w+) weigh)|\bprice[sd]?\b|\bcosts?\b|"
                        r"\bexpensive\b|\bcheap(?:er)?\b|\$", re.IGNORECASE),
    "weight": re.compile(r"\bweigh[st]?\b|\bweight\b|\bheavy\b|\bhow light\b", re.IGNORECASE),
    "dimensions": re.compile(r"\bdimensions?\b|\bhow (?:big|large|wide|tall|long|deep)\b|\bmeasure(?:ments?|s)?\b|"
                             r"\b(?:width|height|length|depth)\b", re.IGNORECASE),
    "sizes": re.compile(r"\bsizes\b|\bwhat sizes?\b|\bwhich sizes?\b|\bsize range\b|\bcome in\b|\bavailable in\b|"
                        r"\b(?:xs|xl|xxl|plus size|petite|king|queen)\b", re.IGNORECASE),
    "materials": re.compile(r"\bmade (?:of|from|out of)\b|\bmaterials?\b|\bfabric\b|\bblend\b|\b\d{2,3}\s?%|"
                            r"\b(?:cotton|wool|merino|cashmere|linen|silk|polyester|acrylic|leather|nylon)\b",
                            re.IGNORECASE),
    "stock": re.compile(STOCK_WORDS + r"|\bback in\b|\bavailab(?:le|ility)\b(?! in)|\bleft\b", re.IGNORECASE),
    "personalisation": re.compile(r"\binitials?\b|\bmonogram|\bpersonali[sz]|\bengrav|\bembroider|\bcustomi[sz]",
                                  re.IGNORECASE),
}


PRODUCT_QUESTION_INTENT = "product_question"
_QUESTION = re.compile(r"\?|^\s*(?:what|what's|whats|how|is|are|does|do|can|could|which|will|would|any)\b", re.IGNORECASE)
# Words of something that happened to a purchase: "I paid more than the price shown" is no question about the price.
_A_PURCHASE = re.compile(r"\b(?:bought|ordered|paid|purchased?|order|charged?|refund|difference|return|exchange|"
                         r"arrived|received|broke|broken|stopped|damaged|faulty|missing|wrong)\b", re.IGNORECASE)


def is_product_question(message: str) -> bool:
    """A question about a product's facts, not about something bought: "What's the price of the cable knit
    cardigan?" (which the intent model, reading "price", took for a price adjustment)."""
    facts = asked_about(message) - {"sizes"}  # a size question may be sizing help ("which size should I take?")
    return bool(facts) and bool(_QUESTION.search(message)) and not _A_PURCHASE.search(message)


_STOCK = re.compile(STOCK_WORDS, re.IGNORECASE)


def is_stock_question(message: str) -> bool:
    """Whether something is sold or in stock, whatever the product ("is the chevron skirt back in stock?",
    "have you discontinued the lavender candles?"): a question about stock, not about something bought ("my
    order says out of stock" is about the order)."""
    return bool(_STOCK.search(message)) and not _A_PURCHASE.search(_STOCK.sub(" ", message))  # "stopped selling"


def asked_about(message: str) -> set[str]:
    """The product facts a message asks for (empty: none in particular). Give it the message with the product names
    taken out (Catalogue.unnamed): "how do I wash the merino sweater" names a material only in the product's name."""
    return {fact for fact, pattern in ASKED.items() if pattern.search(message)}
