"""Needing it fast (round 23): a date to meet, today, or an order already placed to speed up.

    needs_it_by   not ordered yet, or not said: it must arrive by a day or an event ("can I get it by Friday?",
                  "need a dress for a wedding tomorrow", "what's the latest I can order for Christmas?")
    same_day      today or tonight ("do you do same day delivery?", "need it today", "asap for tonight")
    speed_up      an order placed, to come faster ("can I upgrade to express?", "can it come quicker?")

Each has an answer of its own in the knowledge base (shipping_options.by_date, .same_day, .speed_up: "needs":
["said:<fact>"]) and lifts the shipping topic (bot/dialogue/told_topics.py). Before round 23 such messages got the
answer that asks "what date do you need it by?" when the date was told, a person when unsure, or a late parcel's.
A parcel already late past its date is no deadline to plan for (`UNLESS`): its own answers stand.
"""
from __future__ import annotations

import re

from bot.dialogue import case_report

_DAY = (r"(?:today|tonight|tomorrow|tmrw|tmr|this (?:evening|afternoon|weekend|week)|the weekend|next week|"
        r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|the \d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|"
        r"nd|rd|th)|"
        r"christmas(?: eve| day)?|xmas|easter|mother'?s day|father'?s day|valentine'?s(?: day)?|new year'?s?(?: eve)?|"
        r"(?:his|her|my|their|our|the) (?:birthday|wedding|party|trip|holiday|flight|interview|event|prom|anniversary)|"
        r"(?:a|the) (?:wedding|party|trip|holiday|flight|interview|event|prom))")
_ARRIVES = (r"(?:arrive|get here|be here|come|reach (?:me|us|her|him|them)|be delivered|deliver(?:ed)?|get it|have it|"
            r"make it)")
_NEEDS_IT_BY = re.compile("|".join([
    # "need it by Friday", "needs to arrive by the 14th", "need a dress for a wedding tomorrow"
    rf"\b(?:need|needs|needed)\b[^.!?\n]{{0,40}}?\b(?:by|before|for|in time for|on) {_DAY}\b",
    rf"\b(?:want|wanted)\b[^.!?\n]{{0,40}}?\b(?:by|before|"
    rf"in time for) {_DAY}\b",  # (not "want to save it for my birthday")
    rf"\b{_ARRIVES}\b[^.!?\n]{{0,25}}?\b(?:by|before|in time for) {_DAY}\b",
    rf"\b(?:can|could|will|would) (?:i|we|you|it|they|express|standard)\b[^.!?\n]{{0,30}}?\b(?:get|have|arrive|come|"
    rf"deliver|be here|make it)\b[^.!?\n]{{0,20}}?\b(?:by|before|for) {_DAY}\b",
    r"\bin time for\b|\bmake it in time\b|\barrive in time\b|\bget here in time\b",
    r"\blatest (?:i|we|you) can order\b|\blast (?:order|posting) (?:date|day)\b|\bcut-?off\b|"
    r"\border (?:by|before) (?:noon|midday|midnight|\d{1,2}(?::\d\d)? ?(?:am|pm)?)\b",
    # "do you do next day delivery?" asked of the service (not "I pay for next day delivery and ...")
    r"\b(?:do|does|can|could|will) (?:you|u|ya|they|i|we)\b[^.!?\n]{0,20}\bnext[- ]day\b|\bis (?:there )?next[- ]day\b|"
    r"\bguarantee (?:delivery|it)\b",
]), re.IGNORECASE)
# asked of the service ("do you do same day delivery?", "need a scarf for tonight"), not a delivery due today
_SAME_DAY = re.compile(
    r"\bsame[- ]day\b|\b(?:can|could) (?:you|u|i|we)\b[^.!?\n]{0,25}\b(?:deliver|get|have|send|ship)\b[^.!?\n]{0,20}\b"
    r"(?:today|tonight|this (?:evening|afternoon))\b|"
    r"\b(?:need|needs|want)\b[^.!?\n]{0,30}\b(?:today|tonight)\b|"
    r"\b(?:get|have)\b[^.!?\n]{0,25}\bdelivered (?:today|tonight|this (?:evening|afternoon))\b|\btoday delivery\b|"
    r"\bsent out (?:today|this afternoon|this morning)\b",
    re.IGNORECASE)
_SPEED_UP = re.compile(
    r"\bupgrade\b[^.!?\n]{0,25}\b(?:express|next[- ]day|faster|quicker|delivery|shipping|postage)\b|"
    r"\b(?:speed|hurry) (?:it|this|that|them|my order|the order|the delivery|up)\b|"
    r"\b(?:change|switch|move|put)\b[^.!?\n]{0,25}\b(?:to|onto) (?:express|next[- ]day|faster)\b|"
    r"\b(?:come|arrive|get here|be delivered|deliver (?:it|them)|send (?:it|them))\b[^.!?\n]{0,10}\b(?:quicker|"
    r"sooner|faster|earlier)\b|\b(?:quicker|faster|sooner) delivery on (?:my|the|this) order\b|"
    # "rush order 40028", "bump it up the queue", "picked standard instead of express", "go out today instead"
    r"\brush (?:it|this|my order|the order|order)\b|\bbump\b[^.!?\n]{0,25}\bup\b|\bprioriti[sz]e\b|\bexpedite\b|"
    r"\bstandard (?:to|instead of|rather than) (?:express|next[- ]day)\b|\b(?:express|next[- ]day) instead\b|"
    r"\bgo out (?:today|sooner|earlier)\b",
    re.IGNORECASE)
# "I ordered it yesterday, will it come by Friday?": an order placed and a date to meet is one to speed up
# (an order's number and a date is a status question first: "order 22918, when will it come? need it by Friday")
_ORDERED = r"\b(?:i|we|i'?ve|we'?ve|i have|we have) (?:just |already )?(?:ordered|placed|bought)\b"
_PLACED = _ORDERED + r"|\bmy order\b|\border (?:no\.? ?|number |#)?\d"
_PLACED_AND_NEEDED_BY = re.compile(rf"^(?=.*(?:{_ORDERED}))(?=.*(?:{_NEEDS_IT_BY.pattern}))", re.IGNORECASE | re.DOTALL)
# "it was due Friday and still isn't here": a late parcel, not a date to plan for; "my delivery I'm expecting today",
# "tracking says today", "waited in all day": a delivery on its way, whose own answers stand
_ALREADY_LATE = re.compile(r"\b(?:was|were) (?:due|supposed to|meant to|promised)\b|"
                           r"\bstill (?:not|hasn'?t|isn'?t|no)\b|"
                           r"\bnever (?:came|arrived)\b|\boverdue\b|\bwhere(?:'s| is) my\b|\bnothing (?:came|"
                           r"arrived|here)\b|"
                           r"\b(?:says|said|saying|shows|marked)(?: as| it was| it'?s)? delivered\b", re.IGNORECASE)
_ON_ITS_WAY = re.compile(r"\b(?:my|the|our) (?:delivery|parcel|package|shipment)\b|\bexpecting\b|\bdispatch\w*\b|"
                         r"\btracking\b|\bdepot\b|" + _PLACED + r"|\bwaited in\b|\bout for delivery\b|\bdriver\b|"
                         # "two orders delivered today, both wrong" (not "can I get an order delivered today?")
                         r"\b(?:was|were|been|got) delivered\b|\b(?:orders?|parcels?|packages?) delivered (?:today|"
                         r"yesterday)\b(?!\?)",
                         re.IGNORECASE)


def _already_late(text: str) -> bool:
    return case_report.parcel_trouble(text) or bool(_ALREADY_LATE.search(text))


FACTS = {"needs_it_by": _NEEDS_IT_BY, "same_day": _SAME_DAY,
         "speed_up": re.compile(rf"{_SPEED_UP.pattern}|{_PLACED_AND_NEEDED_BY.pattern}", re.IGNORECASE | re.DOTALL)}
# "need one of those refunded asap", "cancel my appointment on Friday": a date for something else than a delivery
_NOT_A_DELIVERY = re.compile(r"\b(?:refund\w*|cancel\w*|charged|appointment|rebook\w*|booking)\b", re.IGNORECASE)


def _on_its_way(text: str) -> bool:
    return _already_late(text) or bool(_ON_ITS_WAY.search(text) or _NOT_A_DELIVERY.search(text))


UNLESS = {"needs_it_by": _on_its_way, "same_day": _on_its_way, "speed_up": _already_late}
