"""Which delivery company brings it: a customer who wants to choose the carrier, or wants one of them dropped (round 26).

"Can you send mine with FedEx instead?", "which courier will my order come with?", "please stop using USPS for my
address, three parcels lost this year". Round 25's replies to such messages were a handover, the countries we ship to,
or the damaged-item policy: hunt 43 (a helper's messages, 60 of them) got an answer to its question 0 times. The store
sends each parcel with the carrier that serves the address best, so the honest answer says that, what the customer can
do (the confirmation names the carrier; the carrier's own site holds a parcel or picks a safe place), and, when a
carrier let them down, that anything late, damaged or lost is ours to put right.

    carrier_wish       choose, request or prefer a carrier; ask which one delivers; stop, drop or switch one
    carrier_let_down   beside it, what the carrier did: lost, late, damaged, left in the rain, never found the house
                       (not a PO box it doesn't serve or a fee it charged: after ab1-r26, "sorry they keep letting
                       you down" to those read as a complaint that wasn't made)

Not "FedEx tracking hasn't moved" or "UPS says delivered but it isn't here" (no carrier wished for: the parcel's own
answers), nor a scam text that names a carrier (the scam check comes first, facts.py).
"""
from __future__ import annotations

import re

# The delivery companies (ours, and the ones customers ask for), and the words for any of them
CARRIER = (r"(?:ups|usps|fed ?ex(?: ground| express)?|dhl(?: express)?|canada ?post|purolator|ontrac|lasership|"
           r"the post office|the postal service|regular mail)")
_ANY_CARRIER = (r"(?:carriers?|couriers?|delivery (?:company|companies|service|firm|partner)s?|shipping (?:company|"
                r"companies|service|provider|partner)s?|shippers?)")
_CARRIER_OR_ANY = rf"(?:{CARRIER}|{_ANY_CARRIER})"

_WISH = re.compile("|".join([
    # "can I choose the carrier?", "is there a way to pick UPS", "request DHL Express", "I'd prefer FedEx"
    rf"\b(?:choose|choosing|pick(?! ?up\b)|picking(?! ?up\b)|select|selecting|request|requesting|specify|prefer|"
    rf"preference for|"
    rf"set|opt for)\b[^.!?\n]{{0,30}}?\b{_CARRIER_OR_ANY}\b",
    # "which carrier do you use?", "who delivers express orders, UPS or FedEx?", "what courier will it come with"
    rf"\b(?:which|what|who(?:'s| is)? (?:the|your)) {_ANY_CARRIER}\b|\bwho (?:delivers|ships|brings)\b",
    rf"\b(?:will|would|does|is) (?:it|my \w+|the \w+|mine|they) (?:be )?(?:shipped|sent|delivered|come|go)\w* "
    rf"(?:with|by|via|through|thru) {CARRIER}\b[^.!?\n]{{0,12}}?\bor\b",
    # "please stop using USPS", "never use UPS for my address again", "NO MORE FEDEX", "drop usps for rural addresses"
    rf"\b(?:stop|quit|avoid|drop|ditch|blacklist|ban|exclude|remove)(?:ping)? (?:using |shipping (?:\w+ ){{0,3}}?with |"
    rf"sending (?:\w+ ){{0,3}}?(?:with|via|through) )?{CARRIER}\b",
    rf"\b(?:never|don'?t|dont|do not|no longer|not) (?:ever )?(?:use|ship (?:with|via|through|thru)|send (?:\w+ )?"
    rf"(?:with|via|through|thru)|go (?:through|thru)) {CARRIER}\b|\bno more {CARRIER}\b",
    rf"\b(?:orders?|parcels?|packages?|stuff|things?) (?:to )?no longer (?:go|going|come|coming) "
    rf"(?:through|thru|with|via|by) {CARRIER}\b",
    rf"\bnot to use {CARRIER}\b|\b(?:keep|still) (?:using|sending (?:\w+ )?with) {CARRIER}\b|"
    rf"\bwhy (?:do|would|does) (?:you|u|y'?all|northwind)\b[^.!?\n]{{0,20}}\b(?:use|using) {CARRIER}\b",
    # "switch carriers", "change couriers for Alaska orders", "pick a different courier"
    r"\b(?:switch|change|swap)(?:ing)? (?:to )?(?:a )?(?:different |another |the |your )?(?:carriers?|couriers?|"
    r"delivery (?:company|companies)|shipping (?:company|companies))\b",
    # "can you use someone else?", "use anyone else", "is there another courier you can send with?", "another option
    # like ups"
    r"\b(?:use|using|try|go with|ship with|send (?:it |them )?with|ship via|send via) (?:someone|anyone|somebody|"
    r"literally anyone|any ?one) else\b",
    r"\b(?:a |an |any )?(?:different|another|other|alternative) (?:carriers?|couriers?|delivery (?:company|"
    r"companies|service)|shipping (?:company|companies|service|option)|company|shipper)\b",
    # "could you send my order with fedex instead of usps", "ship it via Canada Post", "can my package go thru usps"
    rf"\b(?:can|could|would|will|pls|please|possible to|any (?:chance|way)(?: you can| to)?|is there a way to)\b"
    rf"[^.!?\n]{{0,60}}?\b(?:send|ship|deliver|post|mail|use|go|come|switch|get|have|receive)\w*\b[^.!?\n]{{0,25}}?"
    rf"\b(?:with|via|through|thru|by|using|to) {CARRIER}\b(?! (?:tracking|says|said|shows|showed|marked|driver|guy|"
    rf"delivered|left|lost|damaged))",
    rf"\b(?:can|could|would|will|pls|please)\b[^.!?\n]{{0,20}}?\b(?:send|ship)\w* (?:it |them |this |mine )?{CARRIER}\b|"
    rf"\bchange (?:it|this|that|mine|the carrier|the courier) to {CARRIER}\b|\ba (?:carrier|courier) that\b|"
    rf"\b(?:get|have|use) {CARRIER} (?:next time|instead|from now on|in (?:the )?future|for (?:me|my|future|all))\b|"
    rf"\bswitch to (?:someone|somebody|anyone|another|a (?:\w+ )?(?:carrier|courier))\b",
    rf"\b(?:do|does) (?:you|u|y'?all|northwind)(?: guys)? (?:ever |only |also )?(?:use|ship (?:with|w|via|through)|"
    rf"send (?:with|via|through))\b[^.!?\n]{{0,8}}?\b{CARRIER}\b",
    rf"\b(?:instead of|rather than|over) {CARRIER}\b|\b{CARRIER} instead\b",
    rf"\b{CARRIER} (?:for|on) (?:all )?(?:my|our) (?:next |future )?(?:orders?|address|parcels?|packages?|"
    rf"deliveries)\b(?! (?:is|was|has|were|are)\b)",
    # "please use Canada Post only", "can you use UPS for the next one", "resend with FedEx", "will it be shipped FedEx
    # or UPS?", "does that mean UPS or DHL? i have a preference", "want everything via ups", "the same carrier"
    rf"\b(?:please|pls|plz|can|could|would|will|just|you|u|y'?all|to|should|only|rather) (?:you |u |y'?all |just |"
    rf"please |pls |only )?(?:use|have|resend (?:it )?(?:with|via|by)) {CARRIER}\b|"
    rf"\bresend (?:it )?(?:with|via|by) {CARRIER}\b",
    rf"\b(?:shipped|sent|delivered|mean|be) {CARRIER} or {CARRIER}\b|\b(?:everything|all of (?:them|it)|all my \w+) "
    rf"(?:via|with|by|through|thru) {CARRIER}\b|\b(?:the )?same (?:carrier|courier)\b|\bhave a preference\b",
    rf"\bsend\w* (?:my |our |the )?(?:\w+ )?(?:w|with|via|thru|through) {CARRIER}\b",
    # "why not use a carrier that actually tries", "can my orders come another way", "another option like ups"
    r"\bwhy not use\b|\b(?:come|go|ship|send) (?:another|a different) way\b|\banother option\b",
    # a carrier named, then "stop using them", "blacklist them", "why do you still use them"
    rf"^(?=[\s\S]*\b{CARRIER}\b)[\s\S]*(?:\b(?:stop|quit|drop|ditch|blacklist|ban)(?:ping)? (?:using |shipping with |"
    rf"sending (?:\w+ )?with )?(?:them|they)\b|\bwhy (?:do|would) (?:you|u|y'?all) (?:still |keep )?(?:use|using) "
    rf"(?:them|they)\b|\b(?:not|never|don'?t|dont) (?:use|using) (?:them|they)\b)",
]), re.IGNORECASE)

# What the carrier did: the complaint beside the wish
_LET_DOWN = re.compile(
    r"\b(?:lost|lose|loses|losing|late|delay\w*|damag\w*|crush\w*|destroy\w*|broke|broken|smash\w*|soak\w*|soggy|"
    r"wet|rain|snow\w*|threw|throw\w*|thrown|dump\w*|stolen|never (?:arriv|get|come|gets|shows?)\w*|"
    r"(?:can'?t|cant|couldn'?t) find|wrong (?:address|building|house|town|door|street|city|neighbou?r)|worst|terrible|"
    r"awful|useless|joke|hopeless|bounc\w*|sent back|returned it|held at|stuck|sits? at|sitting at|split open|torn|"
    r"missing|left (?:it|them|my|the|stuff|things|boxes|parcels?|packages?) (?:out|outside|on|in the|at the bottom|"
    r"in plain)|leave (?:it|them|my|the|stuff|things) (?:out|outside|on|in)|takes? (?:\d+|two|three|four|a) "
    r"(?:weeks?|days?)|(?:3|three|4|four|5|five|\d+) (?:lost|damaged|late)|nightmare|never (?:received|got|had)|"
    r"gave up on|marked [^.!?\n]{0,25}delivered)\b",
    re.IGNORECASE)

FACTS = {"carrier_wish": _WISH, "carrier_let_down": _LET_DOWN}


# Not a wish: a parcel already on its way ("no clue which courier, where is my parcel?", "with a different carrier, in
# transit for 6 days"), or a return to send back ("which courier do I drop it off with?")
_NOT_A_WISH = re.compile(r"\bwhere(?:'s| is| are) (?:my|the|it|they)\b|\bwhere my\b|\bin transit\b|"
                         r"\btracking (?:code|number)\b|\b(?:send|sending|drop|dropping) (?:\w+ ){0,2}(?:back|off)\b|"
                         r"\b(?:a|my|the) return\b|\breturn (?:label|it|"
                         r"them|this|my)\b|\bthe label\b", re.IGNORECASE)


def wish_unless(text: str) -> bool:
    """A parcel on its way or a return (see _NOT_A_WISH): its own answers (facts.UNLESS)."""
    return bool(_NOT_A_WISH.search(text))


def let_down_unless(text: str) -> bool:
    """No carrier wished for: a late or damaged parcel alone is the parcel's own answer (carrier_let_down is only read
    beside carrier_wish)."""
    return not _WISH.search(text)
