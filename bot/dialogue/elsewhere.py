"""What usually helps when it's another company's: one practical next step in a not-ours answer.

A not-ours answer says whose it is: "that order is with Amazon, they're the ones to ask" (bot/dialogue/not_ours.py). In
round 17's blind rating of real_dev, every such answer that stopped there was rated 4 on average (93 answers, not one
5), while the one that also said what to do (the food answer: keep the packaging and its batch code, take a photo) got
a 5 from one of the two raters every time (8 of 8, 4.5 on average). A support agent who can't fix it still knows how
these things usually go: a refund takes a few working days to reach a card, a declined payment's hold drops off by
itself, an order can be changed until it's dispatched. So a not-ours answer adds the step for the customer's situation.

The steps are the store's own words: the "tips" of the off_topic intent in knowledge_base.json, each with the facts it
needs (like an answer's "needs": ["said:<fact>"]), most particular first. The retrieval drafter puts the first tip whose
facts the customer stated into the answer's optional {what_helps?} slot, or nothing (bot/drafting/retrieval.py). The
situations that facts.py doesn't read already are read here (FACTS, merged there):

    selling_there        a seller's own question on a marketplace: fees, payouts, funds held
    parcel_late          late, delayed, rescheduled, never came
    not_shipped          still processing, not dispatched yet
    refund_awaited       a refund waited for
    wants_order_changed  cancel or change an order: its size, colour, address, one of two
    membership_cancel    ending a membership, subscription or free trial, or charged for one after ending it
    tried_the_basics     restarted, reinstalled, updated: the usual first steps already taken
    tech_trouble         an app or device that won't connect, crashes, glitches or won't load
    they_cancelled       the seller cancelled the order, booking or flight
    wrong_or_damaged     the wrong thing came, or it came damaged, empty or with parts missing
    thing_broke          a thing that stopped working, won't turn on, whose battery dies
    price_fell           a price that fell after they bought it
    declined_but_taken   a payment declined or failed, yet the money left the account
    not_at_door          marked delivered but not there, or delivered to the wrong address
    charged_twice        charged twice (or more) for one thing
    deal_not_applied     a code, coupon, offer or promotion that didn't apply or never came
    service_complaint    a complaint about a company's service as a whole ("worst service", "never again")
"""
from __future__ import annotations

import re

FACTS = {
    # "my Prime parcel is running late", "still not shipped after a week", "paid for a vinyl that never turned up"
    "parcel_late": re.compile(
        r"\b(?:(?<!too )late|delayed|delay|overdue|running late|won'?t (?:be here|be delivered|arrive|come)|not (?:arrived|here|come|"
        r"shipped|dispatched|been (?:shipped|dispatched|delivered))|hasn'?t (?:arrived|come|shipped|been (?:shipped|"
        r"dispatched))|haven'?t (?:shipped|received(?! (?:a |an |any )?(?:reply|response|answer)\b))|never (?:got|received|"
        r"arrived|came|turned up)|still waiting|"
        r"no (?:update|sign) (?:on|of)|where(?:'?s| is) my|due (?:yesterday|today|last \w+|on \w+)|pushed back|rescheduled|"
        r"(?:in transit|preparing for dispatch|processing)'? for (?:\d+|a|two|three) (?:days?|weeks?)|still says|"
        r"been waiting (?:\d+|a|two|three|over a) (?:days?|weeks?))\b",
        re.IGNORECASE),
    # "PayPal is holding the money for something I sold", "is the fee taken when it sells?": a seller's fees or
    # money (not a listing's feature or a buyer to cancel: round 18's raters marked the fees tip down there)
    "selling_there": re.compile(
        r"\bseller fees?\b|\bfinal value fees?\b|\bpayouts?\b|\b(?:funds|money|payment)\b[^.!?\n]{0,25}\b(?:on hold|"
        r"pending|held|holding)\b|\bholding (?:the |my )?(?:funds|money|payment)\b|\bfees? at (?:the )?time of sale\b|"
        r"\b(?:take|charge|invoice)\w* (?:the |a |your )?fees?\b",
        re.IGNORECASE),
    # "still says 'processing' after 9 days", "why haven't you shipped them?": an order not yet sent
    "not_shipped": re.compile(
        r"\b(?:not (?:yet )?(?:been )?(?:shipped|dispatched|sent)|hasn'?t (?:been )?(?:shipped|dispatched|sent)|haven'?t "
        r"(?:been )?(?:shipped|dispatched|sent)|still (?:says )?'?(?:processing|preparing)|preparing (?:for )?dispatch|"
        r"(?:awaiting|waiting for) dispatch)\b",
        re.IGNORECASE),
    # "still waiting for my refund", "the refund hasn't come through", "when will I get my money back?"
    "refund_awaited": re.compile(
        r"\b(?:waiting|wait|still|not|never|no|haven'?t|hasn'?t|yet to|when)\b[^.!?\n]{0,30}?\b(?:refund(?:ed)?|money back)\b|"
        r"\b(?:refund|money)\b[^.!?\n]{0,30}?\b(?:not|never|yet|still|pending|hasn'?t|haven'?t|isn'?t|processing)\b|"
        r"\b(?:processing|processed|issued|initiated|approved)\b[^.!?\n]{0,15}?\brefund\b",
        re.IGNORECASE),
    # "can I cancel one?", "change the size before it ships", "update the address on my order"
    "wants_order_changed": re.compile(
        r"\b(?:change|changing|edit|amend|modify|update|swap)\b[^.!?\n]{0,45}?\b(?:size|colou?r|address|quantity|order)\b|"
        r"\bcancel (?:one|it|them|part|one of|(?:my|the|this|an) (?:\w+ ){0,3}?(?:order|click (?:&|and) collect|booking))\b|"
        r"\badd (?:\w+ ){0,3}?to my (?:\w+ )?(?:order|delivery|basket)\b|\bbefore (?:it|they) (?:ships?|"
        r"dispatch\w*|goes? out)\b",
        re.IGNORECASE),
    # "cancel my Prime membership", "end my subscription", "the free trial charged me"
    "membership_cancel": re.compile(
        r"\b(?:cancel\w*|end(?:ed|ing)?|stop(?:ped)?|quit|unsubscrib\w*|turn off)\b[^.!?\n]{0,30}?\b(?:membership|"
        r"subscription|prime|plan|trial|auto-?renew\w*)\b|\b(?:free )?trial\b[^.!?\n]{0,40}?\b(?:charg\w*|billed|paid|"
        r"took|taken)\b|\bcharg\w*\b[^.!?\n]{0,40}?\b(?:free )?trial\b",
        re.IGNORECASE),
    # "the Echo Dot won't connect to the Firestick", "the app keeps crashing", "glitches galore"
    "tech_trouble": re.compile(
        r"\b(?:won'?t|wont|doesn'?t|not|can'?t|cannot|isn'?t) (?:connect|connecting|pair|pairing|sync|syncing|load|loading|"
        r"update|updating|open|opening|stream|streaming|play|playing)\b|\b(?:crash\w*|glitch\w*|freez(?:es|ing)|"
        r"keeps? (?:logging|signing) (?:me )?out|error (?:code|message)|buffering|something went wrong|"
        r"(?:app|icon|channel) (?:has )?(?:disappeared|vanished|gone missing))\b",
        re.IGNORECASE),
    # "Deliveroo cancelled my order", "my pre-order got cancelled", "they cancelled half my order": the seller cancelled it
    "they_cancelled": re.compile(
        r"(?<!\bi )(?<!\bwe )(?<!\bi've )(?<!\bi just )\b(?:cancell?ed|cancell?ing) (?:my|our|the|half (?:of )?my|part of my) "
        r"(?:\w+ ){0,2}?(?:order|booking|flight|pre-?order|delivery|reservation|subscription)s?\b|"
        r"\b(?:order|booking|flight|pre-?order|delivery|reservation)s? (?:got|was|were|has been|have been) cancell?ed\b"
        r"(?! by (?:me|mistake|accident))",
        re.IGNORECASE),
    # "sent me the wrong chairs", "came with a ripped cover", "the box was empty", "missing 17 pages": what came
    # is not what was bought, or came damaged
    "wrong_or_damaged": re.compile(
        r"^(?!.*\b(?:ordered|picked|bought|chose|selected|clicked|put in|booked) (?:the |a )?wrong\b)(?=.*(?:"
        r"\b(?:sent|sending|send|delivered|got|received|gave)\b (?:me |us )?(?:the |a )?wrong\b|\bwrong (?:\w+ ){0,2}?(?:item|"
        r"product|one|game|book|model|order|chairs?|thing|parcel|package|phone|tv)s?\b|"
        r"\b(?:got|received|sent (?:me|us)|came with|arrived with|delivered)\b[^.!?\n]{0,40}\binstead of\b|"
        r"\b(?:arrived|came|turned up|delivered|received|got it|opened)\b[^.!?\n]{0,40}?\b(?:damaged|broken|smashed|cracked|"
        r"crushed|torn|ripped|dented|crumpled|beat up|bashed|shattered|leaking|open(?:ed)?)\b|"
        r"\bbroken (?:\w+ )?(?:item|product|parcel|package|one)s? (?:received|delivered|arrived|came)\b|"
        r"\b(?:damaged|smashed|crushed|dented|crumpled|bashed) (?:in|during) (?:transit|delivery|the post)\b|"
        r"\b(?:box|parcel|package) was empty\b|\bempty (?:box|parcel|package)\b|"
        r"\bmissing (?:\d+ )?(?:pages?|parts?|pieces?|screws?|bits?|cables?|items?)\b|\bno (?:screws|instructions|parts|fittings|"
        r"charger|cable)\b|\b(?:pages?|parts?|pieces?) (?:are |is )?missing\b|\bmissing the (?:\w+ )?(?:screws|parts|fittings|"
        r"bag of \w+)\b))",
        re.IGNORECASE | re.DOTALL),
    # "stopped working yesterday", "the battery lasts 10 minutes", "won't turn on": a thing that fails in use
    "thing_broke": re.compile(
        r"\b(?:stopped working|broke|broken|faulty|defective|won'?t (?:turn|switch) on|not (?:turning|switching) on|"
        r"doesn'?t work|not working|(?:is|went|gone) dead|died|battery (?:lasts|dies|drains|only)|keeps? (?:turning|switching) "
        r"off|won'?t charge|not charging|dead pixels?|drift\w*|no sound|"
        r"overheat\w*|burnt out)\b",
        re.IGNORECASE),
    # "bought headphones and they're £10 off a day later": a price that fell after they bought it
    "price_fell": re.compile(
        r"^(?=.*\b(?:bought|brought|purchased|ordered|paid|got (?:it|them|one))\b)(?=.*(?:\bcheaper\b|\bprice (?:has |had )?"
        r"(?:dropped|fallen|gone down|went down|been (?:reduced|cut))|\b(?:now|got|has|have|had|they'?re|it'?s|is|are) [£$€]?\d+(?:\.\d+)? off\b|"
        r"\b(?:went|gone|is|now) on sale\b|\breduced\b|\bprice drop\b))",
        re.IGNORECASE | re.DOTALL),
    # "it said declined but the money left my account": a payment that failed, yet money is gone (a pending hold)
    "declined_but_taken": re.compile(
        r"^(?=.*\b(?:declined|failed|didn'?t go through|did not go through|rejected|unsuccessful)\b)(?=.*\b(?:money|funds|"
        r"amounts?|taken|left my|came out|coming out|gone out|pending|debited|deducted|charged|still paid)\b)",
        re.IGNORECASE | re.DOTALL),
    # "says delivered, nothing at my door", "delivered to the wrong address", "left it at number 42"
    "not_at_door": re.compile(
        r"\bdelivered\b[^.!?\n]{0,40}\b(?:but|wasn'?t|it wasn'?t|not|never|nothing|no)\b|\b(?:says|said|shows?|marked)\b"
        r"[^.!?\n]{0,25}\b(?:delivered|left at)\b|\bwrong (?:address|house|door|flat|apartment|building)\b|"
        r"\bleft (?:it |them |my \w+ )?(?:at|with|outside) (?:number|no\.?|the wrong|someone)|"
        r"\bsomeone else'?s (?:door|house|porch|address)\b|\b(?:went|delivered|sent|left|dropped) (?:it )?(?:off )?(?:to|at) "
        r"(?:\d+\w? \w+|the wrong|my old|a different|another|next door|my neighbou?r'?s?)\b[^.!?\n]{0,30}\b(?:instead|not (?:mine|"
        r"my|\d+))\b",
        re.IGNORECASE),
    # "netflix charged me twice", "three pending charges of 34.50", "double charged"
    "charged_twice": re.compile(
        r"\bcharged (?:me |us )?(?:twice|two times|three times|\d+ times|double)\b|\bdouble[- ]?(?:charged|charge|billed)\b|"
        r"\b(?:two|three|2|3) (?:separate |different |pending |identical )?(?:[£$€]?\d+(?:\.\d+)? )?(?:charges|amounts|"
        r"withdrawals|debits|transactions)\b|\b(?:took|taken|paid|debited|billed) (?:my |me |it |the )?(?:\w+ )?twice\b",
        re.IGNORECASE),
    # "tried everything", "tried resetting it twice", "latest update": the usual first steps were taken
    "tried_the_basics": re.compile(
        r"\btried (?:everything|all|restarting|resetting|reinstalling|updating|logging|signing|turning|unplugging|"
        r"another|a different)\b|\blatest update\b|\balready (?:restarted|reset|reinstalled|updated)\b|\bup to date\b",
        re.IGNORECASE),
    # "the meal deal didn't apply", "never got the promotion coupon", "the 3 for 2 wasn't taken off"
    "deal_not_applied": re.compile(
        r"\b(?:promo(?:tion)?s?|offers?|deals?|discounts?|coupons?|vouchers?|codes?|cashback|3 for 2|bogof|multi-?buy)\b"
        r"[^.!?\n]{0,40}?\b(?:not|didn'?t|doesn'?t|never|wasn'?t|isn'?t|won'?t|missing|no longer|invalid|expired|rejected)\b|"
        r"\bprices? (?:wasn'?t|weren'?t|not|didn'?t) (?:applied|taken off|come off|scan\w*)|"
        r"\b(?:sign|label|shelf|ticket|offer)\b[^.!?\n]{0,30}\bsa(?:id|ys)\b[^.!?\n]{0,60}\b(?:charged|rang up|scanned|till)\b|"
        r"\b(?:didn'?t|did not|never|not|doesn'?t|won'?t) (?:get|got|receive|received|apply|applied|taken off|take off|"
        r"come off|work)\b[^.!?\n]{0,40}?\b(?:promo\w*|offers?|deals?|discounts?|coupons?|vouchers?|codes?|cashback)\b",
        re.IGNORECASE),
    # "worst service ever", "not gonna use it any more", "pathetic customer service": the service as a whole
    "service_complaint": re.compile(
        r"\b(?:worst|terrible|awful|appall\w*|pathetic|useless|rubbish|disgrace\w*|shocking|fed up|sick of|never again|"
        r"not (?:gona|gonna|going to) (?:use|shop|buy)|done with|rip-?off|cheat\w*|harass\w*|incompeten\w*|headache|"
        r"(?:poor|bad|stupid|awful|no) (?:customer )?service|no help|not impressed|getting worse|(?:is|are) a joke|shambles|"
        r"daylight robbery|(?:again )?for the (?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth) time)\b",
        re.IGNORECASE),
}
