"""Facts about the shop's own matters beyond one order's trouble (round 17): what real traffic asks a shop that the
intents' examples don't cover, each with an answer of its own in the knowledge base ("needs": ["said:<fact>"]).

    stock_alert          "never got the back-in-stock email" (stock_alert_missed), "how do I get told when it's back?"
    competition          a competition, giveaway or prize draw we ran: winners and prizes, or how to enter (asks_to_enter)
    store_online_price   a store's price and the website's differ
    returned_to_sender   their parcel is undeliverable or on its way back to us (not a return they sent)
    tracking_stuck       tracking that hasn't moved for days, stuck at a depot, "label created" for a week
    split_delivery       an order that came in several parcels, one of them not (yet) here
    business_request     donations and raffle prizes, sponsorship, collaborations, wholesale: the partnerships team's
    safety_concern       a worry about a product's safety (a label, a choking hazard, flammable), not an injury
    store_hours          a store's opening or holiday hours (not a visit that found it shut: complaint.in_store)
    careers              jobs, applications, interviews
    sale_dates           when a sale starts or ends, whether something will be reduced
    gift_wrap            gift wrap and gift messages, sending an order as a present
    loyalty_points       points or a loyalty card (we have none)
    product_compatibility  what a product works with or fits, answered by kind: about_cookware, about_lamp,
                         about_bedding, or a part on its own (asks_for_part)
    paid_service         (round 21) an extra they paid for and didn't get: carried to the room, two-person delivery,
                         assembly, taking the old one away, gift wrap, personalisation
    return_cost          (round 21) what sending it back costs: the label, money off the refund, a restocking fee
    store_facilities     (round 21) a store's parking, toilets, fitting rooms, trolleys, lifts, tills and queues
    collect_trouble      (round 22) an order to collect at a store that wasn't there or ready, or wasn't handed over
    store_abroad         (round 24) a store visit with money or words of the UK (£, pence): not one of our stores
    applied_already      (round 24) a job matter after applying: an interview, an offer, a start date, a check

The first eight were found in round 16's blind ratings of real_dev (messages about them were handed over or answered
as something else), the last five among hunt 13's ordinary messages that were handed over; each was written from what
shops are asked in general. Helper writers' hunts checked them (docs/reply-quality.md, "Round 17"): hunts 13 and 16
were run on the first version and mended on, hunts 14, 15 and 17 were each held out until the rules before them were
written, run once, then mended on. bot/dialogue/facts.py merges these into its FACTS, and told_topics.py names their
topics.
"""
from __future__ import annotations

import re

# A store of ours, not "the online store", "the app store" or "store credit"
_A_STORE = (r"(?:\bin-?store\b|\binstore\b|(?<!online )(?<!web )(?<!app )\b(?:stores?|shops?|branch(?:es)?)\b(?! credit)|"
            r"\b(?:at the till|the till|tills|cashiers?|on the shelf|shelf (?:price|label|tag)|price tag)\b)")
# Where a parcel waits: a depot, a hub, customs, or a status that is no movement
_WAITING_PLACE = (r"(?:depot|hub|warehouse|facility|fulfil?ment|sort\w*|distribution|customs|clearance|processing|label created|"
                  r"information received|info received|awaiting (?:collection|pickup|pick-up))")

# Round 21 (hunts 26-28; real_dev's training half handed over a paid room-of-choice delivery, return postage paid for
# a faulty light, a store's parent-and-child bays): an extra that was paid for and not done, what a return costs, a
# store's facilities. Each pattern is its alternatives, one kind per line, joined.
_PAID_EXTRA = "(?:" + "|".join([
    r"room of (?:\w+ )?choice|room-of-choice|(?:two|2)[- ]?(?:person|man|men)\b|upstairs|carry (?:it|them) (?:up|in)",
    r"assembl(?:y|e|ed|ing)|install\w*|put (?:it|them) together|set ?up service|white[- ]glove",
    # the old one taken away ("taking old stock off the shelves" is no removal)
    r"(?:take|taking|took|remove|removing|removed) (?:away (?:the |my |our )?|the |my |our )old",
    r"old (?:one|sofa|bed|mattress|chair|table|rug|item)s? (?:taken|removed|away|collected)|removal",
    r"(?:collection|removal|recycling) of (?:the |my |our )?old|old (?:\w+ ){0,2}(?:collection|removal|recycling)",
    r"premium (?:packaging|wrapping)|gift[- ]?wrap\w*|gift (?:box|message|note)",  # not a gift card
    r"personali[sz]\w+|monogram\w*|engrav\w+|embroider\w+|initials",
    # a day or an hour chosen and paid for, that came at another (one not here yet is the late express parcel's, and
    # a moved date has its own answer: facts.UNLESS)
    r"time ?slot|(?:morning|evening|afternoon|timed) (?:delivery|slot)|nominated[- ]day|named[- ]day",
    r"(?:saturday|sunday|weekend) delivery|(?:delivery|next[- ]day|express) upgrade",
    r"\d{1,2} ?(?:am|pm)? ?- ?\d{1,2} ?(?:am|pm)|by \d{1,2} ?(?:am|pm|noon)",
]) + ")"
_PAID = "(?:" + "|".join([
    r"\bpaid\b|\bpay(?:ing)?\b|\bcharged\b|\bextra\b|\bfee\b|\bpremium\b|\bcost me\b",
    r"[£$€]\s?\d|\b\d+(?:\.\d\d)? ?(?:quid|dollars|pounds)\b",
]) + ")"
_NOT_DONE = r"\b(?:" + "|".join([
    r"didn'?t|did not|never|wouldn'?t|would not|won'?t|don'?t|do not|refused|wasn'?t|weren'?t|not|no|nobody|no[- ]one",
    r"without|forgot|missing|instead|blank|dumped|dropped|left|only (?:one|two|half|\d|drop)",
    r"(?:the |my |that )?(?:fee|charge|money) back|refund (?:the|my) (?:[\w-]+ )?(?:fee|charge)|(?:fee|charge) refunded",
    # one man for a two-man delivery, the goods left outside or still in the way
    r"one (?:bloke|guy|man|person|driver|lad) (?:turned up|came|showed)|(?:asked|made|expected) me to (?:help|carry|lift)",
    r"on the (?:doorstep|pavement|drive|porch)|still (?:in|has|have|got|piled|there|here|sitting|lying|on)",
    # a time missed: a card through the door, another day
    r"card through the door|missed (?:you|me|us)|went back to the depot|took \d+ days",
    r"(?:came|arrived|turned up) (?:on )?(?:a )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"the wrong day|a day late)",
    # personalisation done badly; wrapping not done
    r"wonky|crooked|misspel\w*|spelt wrong|spelled wrong|wrong (?:name|letters?|initials)|expected better",
    r"(?:came|arrived|turned up) (?:at|in (?:a |an )?(?:plain|crushed|battered|normal|ordinary|brown))",
    r"plain (?:brown )?(?:box|packaging|paper|bag)|full[- ]price receipt|(?:showing|with) the (?:price|invoice)",
]) + r")\b"
# Within one sentence, where "£4.99" is no sentence's end
_SAME_SENTENCE = r"(?:[^.!?\n]|(?<=\d)\.(?=\d))"
_RETURN_COST = r"\b(?:" + "|".join([
    # the return's postage or label and what it cost ("return postage quoted at £28")
    r"return (?:postage|shipping|label|delivery|courier)s?\b" + _SAME_SENTENCE +
    r"{0,40}?(?:\b(?:cost|charg|pa(?:y|id)|free|deduct|took|taken|fee|quoted)|[£$€]\d)",
    r"returns? (?:fee|charge)s?\b|(?:pay|paid|paying|charg\w*) (?:for )?(?:the )?return (?:postage|shipping|label|fee)",
    # paying or charged to send it back
    r"(?:pay|paid|paying|charg\w*|cost\w*|fee)\b" + _SAME_SENTENCE + r"{0,40}?\b(?:for|to|on) (?:the )?(?:return(?:s|ing)?|"
    r"send(?:ing)? (?:it |them |this |these |stuff |things |items? |the \w+ )?back|post(?:ing)? (?:it |them |this )?back|"
    r"return (?:postage|shipping|label))",
    r"(?:cost|charge|pay)\b[^.!?\n]{0,20}?\bto (?:return|send (?:it|them|this|these) back)",
    r"cost of (?:the )?(?:return(?:ing)?|sending|posting)|(?:at|on) (?:my|our) own (?:cost|expense)",
    r"who pays (?:for |to )?(?:the )?(?:return|send|post)|(?:pay|paying) (?:for )?(?:the )?postage (?:myself|back)",
    r"(?:claim|get|have) (?:that |the |my )?postage (?:back|refunded)",
    # money kept back from the refund
    r"restocking (?:fee|charge)s?|(?:handling|processing|admin(?:istration)?)['’\"]? (?:charge|fee)",
    r"(?:took|taken|take|taking|deducted|knocked|kept|charged) (?:[£$€]?[\d.]+ )?(?:off|from|out of) (?:my|the) refund",
    r"refund (?:was|is|came (?:through|back)) (?:short|less|minus|[£$€]?\d)|(?:it'?s|is|was) [£$€]?[\d.]+ short",
    # whether returns are free
    r"(?:is|are) (?:it |the |your )?returns? (?:free|paid)|free returns?|returning (?:\w+ ){0,3}free",
    r"returns? (?:was|were|are|is|used to be) free|returns? (?:aren'?t|are not|isn'?t|is not|no longer) free",
    r"returns? (?:for|of|on) [\w ]{0,20}?[£$€]\d",
]) + ")"
_FACILITIES = r"\b(?:" + "|".join([
    r"car ?parks?|parking|parent(?:s)?[- ](?:and|&|n)[- ](?:child|toddler|baby)|parent[- ]child",
    r"(?:disabled|accessible|blue badge) (?:bays?|spaces?|parking|toilets?|loos?|access)",
    r"toilets?|loos?|restrooms?|bathrooms?|baby chang\w+|changing (?:rooms?|facilities|tables?)|fitting rooms?|"
    r"dressing rooms?",
    r"trolleys?|baskets?|lifts?|elevators?|escalators?|wheelchairs?|step[- ]free|ramps?",
    r"queues?|self[- ]?(?:checkouts?|service (?:tills?|checkouts?))|(?:only|just) (?:one|1|two|2) (?:tills?|checkouts?|"
    r"cashiers?)|tills? open",
    r"allow(?:ed)? dogs|dogs? (?:allowed|friendly|welcome)|bring (?:my|a|the|our) dog|(?:the|your) music|air ?con\w*|"
    r"too (?:hot|cold) in",
]) + r")\b"
_A_STORE_VISIT = (r"(?:\bin[- ]?store\b|(?<!online )(?<!web )(?<!app )\b(?:stores?|shops?|branch(?:es)?|outlets?)\b"
                  r"(?! credit)(?!'?s? (?:website|site|app))|\btills?\b|\b(?:your|the) (?-i:[A-Z])\w+ (?:location|centre|"
                  r"center)\b)")
# Round 22 (hunts 29-30; real_dev's training half handed over an order "ready" by email that a store made them wait
# for): an order to collect at a store that wasn't there, ready, or handed over. Collecting, and the trouble.
_COLLECTING = "(?:" + "|".join([
    r"click (?:and|&|n|\+) collect|\bc ?& ?c\b|(?:in[- ]store|store) (?:pick ?up|pickup|collection)",
    r"pick ?up in[- ]store",
    r"(?:collection|collect|pick[- ]?up) (?:desk|point|counter|code|order|email|text)|for (?:my |the |an )?collection",
    r"ready (?:to|for) (?:collect\w*|pick ?up|pickup)|'?ready'? (?:email|text|message)",
    r"(?:email|text|message) (?:to say|said|says?|saying) (?:my |the |it |it'?s |that )?(?:\w+ ){0,4}"
    r"(?:is |was )?ready",
    # the customer collecting (not a courier that was to collect a return)
    r"(?:went|tried|came|went in|drove|got there|trip) to (?:collect|pick (?:it |them |my \w+ )?up)",
    r"collect(?:ed|ing)? (?:my|the|an|our) (?:\w+ )?(?:order|parcel|package)",
    r"pick(?:ed|ing)? up (?:my|the|an|our) (?:\w+ )?(?:order|parcel|package)",
]) + ")"
_COLLECT_WENT_WRONG = r"\b(?:" + "|".join([
    # (not ready when they came for it; "still not ready" from home is a question of where it is)
    r"(?:wasn'?t|weren'?t|isn'?t|not|never) (?:there|in|in store|on (?:the|their) system)|(?:wasn'?t|weren'?t) ready",
    r"hadn'?t (?:arrived|come)|(?:hasn'?t|haven'?t|not|never) (?:arrived|received|come in|turned up)",
    r"(?:couldn'?t|can'?t|could not|cannot|unable to) (?:find|locate|access|see)|nothing on",
    r"come back|go away|(?:told|asked) to (?:wait|leave)|(?:can'?t|couldn'?t|could not) have it|"
    r"(?:sent|turned|waved) (?:me |us |him |her )?away|empty[- ]handed|wasted|for nothing",
    r"(?:wouldn'?t|won'?t|would not|refused to) (?:give|hand|release|let)|asked (?:me |him |her )?for (?:photo )?id",
    # (an order the store cancelled keeps the cancellation's answer, cancel_order.by_us)
    r"sent (?:my |the |it |them )?(?:[\w&]+ ){0,3}back|returned (?:to|before|early)|closed|shut|queue\w*|no one|nobody|"
    r"staff shortage|(?:doesn'?t|don'?t|didn'?t) have (?:one|it|a code)|no code",
    r"round in circles|only (?:half|part|some)|someone else'?s|wrong (?:bag|order|parcel)|missing",
    r"(?:don'?t|doesn'?t|do not|does not) do (?:click|collection)|which is it|why (?:send|did)",
    r"no,? it (?:isn'?t|wasn'?t)|(?:second|third|fourth|\d+(?:st|nd|rd|th)) (?:trip|time)|each time|every time",
    r"try (?:again )?tomorrow|system'?s? (?:is )?down",
]) + r")\b"

# Asked, not told (store_facilities)
_ASKED = (r"(?:\?|\b(?:can|could|would|will) (?:you|u|y'?all|they|i|we)\b|\b(?:any chance|please|pls|plz|why|how come)\b|"
          r"^\W*(?:(?:hi|hello|hey|hiya)\W+)?(?:do|does|is|are|what|whats|what's|how|where|any)\b)")

FACTS = {
    "stock_alert": re.compile(
        r"\b(?:back[- ]in[- ]stock|restock(?:ed|ing)?|stock|availability|in[- ]stock) (?:notifications?|alerts?|e-?mails?|"
        r"notices?|reminders?)\b|\bnotify me\b|\bit'?s back!?'? (?:e-?mails?|alerts?|notifications?)\b|\b(?:wait ?lists?|waiting lists?)\b|"
        r"\b(?:add|put) me (?:on|to) (?:the|a|your) (?:list|wait ?list|waiting list)\b|"
        r"\b(?:notif(?:y|ied|ication)|alert(?:ed|s)?|e-?mail(?:ed)?|tell|told|let (?:me|us) know|message[ds]?|texts?)\b"
        r"[^.!?\n]{0,40}?\b(?:back in stock|comes? back|(?:is|are|was|were) back|restock(?:ed|s)?|in stock again|"
        r"available again|when (?:it'?s|they'?re) back)\b",
        re.IGNORECASE),
    # "signed up for the restock email and never got it", "my back in stock alerts have stopped": an alert that failed
    "stock_alert_missed": re.compile(
        r"^(?=.*\b(?:signed up|sign(?:ed)? me up|subscribed|registered|put my (?:e-?mail|name) (?:in|down)|clicked|set (?:it )?up|"
        r"alerts?|notifications?|on (?:the|your) (?:list|wait ?list|waiting list)|notify me|(?:restock|back in stock) e-?mails?)\b)"
        r"(?=.*\b(?:never (?:got|received|came|had)|no confirmation|(?:didn'?t|never|not) come through|didn'?t (?:get|receive|come)|did not (?:get|"
        r"receive)|no (?:e-?mails?|alerts?|notifications?)|got nothing|nothing came|not once|without a peep|stopped "
        r"(?:coming|working|arriving)|not (?:received|getting|coming))\b)",
        re.IGNORECASE | re.DOTALL),
    # "how do I enter?", "is it open to Canada?", "what's the prize?", "can I enter twice?": the rules, not the winners
    "asks_to_enter": re.compile(
        r"\b(?:how (?:do|can|would) (?:i|we|you) enter|can (?:i|we) enter|enter (?:more than|twice|again)|open to|eligib\w*|"
        r"(?:what'?s|what is|what are) the prizes?|t ?& ?cs|terms and conditions|rules|fine print|(?:have|need) to (?:buy|purchase)|"
        r"purchase (?:necessary|required|needed))\b",
        re.IGNORECASE),
    # a giveaway or prize draw named is one; "competition", "contest" or "quiz" only beside winning words ("your
    # competition is cheaper" is a rival)
    "competition": re.compile(
        r"\b(?:giveaways?|give-aways?|prize ?draws?|sweepstakes?|#\w*(?:giveaway|competition|contest|win)\w*)|"
        r"\bdid (?:i|we) win\b|\bwinners? (?:were|was|are|is|been|be|will be|get) (?:announced|picked|chosen|drawn|"
        r"dm'?e?d|messaged|contacted|notified|told)\b|"
        r"^(?=.*\b(?:competitions?|comps?|contests?|raffles?|quiz(?:zes)?)\b)"
        r"(?=.*\b(?:win|won|winners?|winning|prizes?|enter|entered|entries|entry|announced?|draw|drawn|results?|picked|"
        r"chosen|selected|claim|open to|eligib\w*)\b)",
        re.IGNORECASE | re.DOTALL),
    "store_online_price": re.compile(
        r"^(?=.*" + _A_STORE + r")"
        r"(?=.*\b(?:online|website|web ?site|site|app|internet)\b)"
        r"(?=.*(?:\b(?:prices?d?|pricing|cheaper|dearer|more expensive|costs?|double|twice|half|deal|offer|charg\w* (?:more|less)|"
        r"rip ?off)\b|[£$]\d))",
        re.IGNORECASE | re.DOTALL),
    "returned_to_sender": re.compile(
        r"\b(?:return(?:ed|ing)? to (?:the )?(?:sender|shipper|origin)|undeliverable|undelivered and returned|bounced back|"
        r"(?:on its way|going|being sent|been sent|was sent|got sent|heading|en route|going) back to (?:you|u|your "
        r"(?:warehouse|depot)|the (?:sender|warehouse|shop|store|seller|depot))|rts)\b|"
        # sent back, beside why a delivery failed ("my order got sent back because the buzzer wasn't working")
        r"^(?=.*\b(?:sent back|being returned|was returned|been returned|got returned)\b)(?=.*\b(?:refused|buzzer|no ?one "
        r"(?:was )?(?:home|in)|nobody (?:was )?(?:home|in)|wasn'?t (?:even )?home|couldn'?t (?:be )?deliver\w*|failed "
        r"(?:to )?deliver\w*|delivery attempts?|attempted|address|customs)\b)",
        re.IGNORECASE | re.DOTALL),
    "tracking_stuck": re.compile(
        r"\btracking\b[^.!?\n]{0,40}?\b(?:hasn'?t|has not|hasnt|not|never|didn'?t|won'?t|doesn'?t|isn'?t)\b "
        r"(?:been )?(?:moved|updated|update|changed|change|budged|move|moving)\b|\b(?:tracking|it)(?:'s| is) frozen\b|"
        r"\b(?:stuck|sat|sitting|held|been)\b[^.!?\n]{0,40}?\b(?:" + _WAITING_PLACE + r"|in transit)|"
        r"\blabel created\b|\b(?:hasn'?t|has not|not|never) (?:moved|budged|updated)\b|\bnothing since\b|"
        r"\bno (?:tracking )?(?:updates?|movement|scans?)\b[^.!?\n]{0,20}?\b(?:for|in|since)\b|"
        r"\b(?:information|info) received\b|\bpre-?transit\b|\bsame\b[^.!?\n]{0,50}?\b(?:scan|status|update)\b|\bawaiting (?:carrier |courier )?(?:collection|pickup|pick-up)\b",
        re.IGNORECASE),
    # "2 parcels out of 3", "came in two boxes and the second hasn't come", "the rest is shipped separately"
    "split_delivery": re.compile(
        r"\b(?:split (?:in|into) (?:two|2|three|3|parts)|"
        # "was expecting 3 parcels today but only 1 arrived" (round 18)
        r"(?:expected|expecting|ordered|waiting (?:for|on))\s+(?:\d+|two|three|four|five|six)\s+(?:packages|parcels|boxes|"
        r"deliveries)\b[^.!?\n]{0,40}?\bonly\s+(?:\d+|one|two|three|four)\b|ship(?:ped|ping|s)? (?:in|as) (?:\d|two|three|several|multiple|"
        r"separate) (?:parcels|packages|boxes|shipments|deliveries)|(?:shipped|sent|coming|arriv\w+|delivered) separately|"
        r"separate (?:parcels?|packages?|boxes|shipments?|deliver(?:y|ies))|(?:\d|one|two|three) (?:parcels?|packages?|boxes) "
        r"(?:out )?of (?:\d|two|three|four|five)|(?:only )?half (?:of )?(?:my|the) (?:order|parcels?|packages?|stuff)|"
        r"the other (?:half|parcels?|packages?|box(?:es)?)|(?:the )?rest (?:of (?:my|the) order|is on its way|on its way)|"
        r"(?:arrived|came|delivered) in (?:\d|two|three|four|several) (?:boxes|parcels|packages)|"
        r"in (?:multiple|several|separate|\d|two|three) (?:boxes|parcels|packages)|(?:\d|one|two|three) (?:out )?of (?:my |the )?"
        r"(?:\d|two|three|four|five) (?:parcels|packages|boxes)|(?:parcel|package|box) (?:\d|one|two) of (?:\d|two|three)|"
        r"(?:a |the )?second (?:package|parcel|box|shipment)|remaining items|items? to follow)\b",
        re.IGNORECASE),
    "business_request": re.compile(
        r"\b(?:raffle prizes?|tombola|sponsor(?:ship|ing|ed)?s?|fund ?rais(?:er|ing)|collab(?:oration|orate)?s?|"
        r"influencers?|brand ambassadors?|partnership|partner with (?:you|u)|wholesale|stockists?|suppliers?|"
        r"supply (?:you|u|your)|buying team|buyers|b2b|press (?:enquiry|inquiry)|media (?:enquiry|inquiry)|"
        r"affiliate program(?:me)?|portfolio|lookbook shoot|(?:pitch|propose) (?:a|an|our|my)\b|charity (?:requests?|partners?|"
        r"appeals?)|procurement|sell to (?:independent |other |small )?(?:retailers|shops|stores|boutiques|businesses)|"
        r"(?:carry|carrying|stock|stocking) your (?:\w+ )?(?:line|range|brand|products)|supplying (?:you|your)|pr (?:contact|team|"
        r"department|agency)|in exchange for (?:free )?(?:products?|items)|in bulk|bulk (?:orders?|buys?|discounts?|pricing)|"
        r"trade (?:accounts?|pricing|discounts?)|corporate (?:orders?|gifting|gifts))\b|"
        r"^(?=.*\b(?:donat(?:e|ion|ions|ing)|contribut\w+|spare|on ?board|get (?:you )?involved|support (?:us|our))\b)(?=.*\b(?:charity|charities|school|pta|fundraiser|"
        r"fundraising|in aid of|raffle|auction|event|hospice|appeal|church|club|team|drive|families|in need|shelter)\b)",
        re.IGNORECASE | re.DOTALL),
    "safety_concern": re.compile(
        r"\b(?:choking (?:hazard|risk)|(?:could|might|can) (?:choke|swallow)|swallow(?:ed)? (?:them|it|one)|strangulation|"
        r"suffocat\w+|flammab\w*|(?:went|go|goes) up in flames|fire (?:risk|hazard)|"
        r"dangerous (?:for|to) (?:babies|kids|children|toddlers|infants|little ones)|(?:is|are) (?:this|it|they|these|those) "
        r"(?:even |actually |really )?safe\b|flame[- ](?:resistant|retardant)|lead[- ]free|(?:isn'?t|is) (?:that|this|it) "
        r"(?:banned|illegal|allowed)|safety (?:risk|hazard|concern|issue|warning|standard|label|"
        r"recall|marking|mark)s?|unsafe|(?:not|n'?t|isn'?t|aren'?t) (?:\w+ )?safe (?:for|to|with)\b|hazard(?:ous)?|toxic|"
        r"lead paint|contains? lead|glazes? (?:contain|with) lead|food[- ]safe|recall(?:ed)?|allergens?|small parts|"
        r"mislabell?ed|wrong(?:ly)? label(?:l?ed)?|no (?:safety |warning |fire )?(?:warnings?|labels?)|missing (?:a |the )?"
        r"(?:warning|safety|fire) labels?|age restrict\w*|not suitable for (?:under|children|kids|babies|infants)|"
        r"fire retardant|(?:ul|csa|ce|ukca) (?:mark\w*|listed|certif\w*)|certified for)\b",
        re.IGNORECASE),
    # round 17, second batch: a store's hours, jobs, sale dates, gift wrap, points, what a product works with
    # round 23: a store named by its place ("the Westfield store", "Stamford Hill branch", "your store in Leeds"): its
    # complaint is passed on as told (complaint.in_store_named), not asked again which store (round 23's raters)
    "store_named": re.compile(
        r"\b(?!(?:the|your|ur|this|that|a|an|one|local|same|whole|online|app|our|my|in|at|every|other|big|main|nearest|"
        r"closest|new|grocery|department|retail|physical|entire|nearby|flagship|express|which|what|any|each|coffee|"
        r"charity|thrift|corner|web|phone|play|apple|google|another|different|actual|real|stupid|damn|bloody)\b)"
        r"[a-z][a-z'-]+ (?:store|branch|shop|caf[eé])\b(?! (?:credit|card|app|website|online))|"
        r"\b(?:store|branch|shop) (?:in|at|on) (?-i:[A-Z][a-z]+)",
        re.IGNORECASE),
    # round 24: a store visit with money or words of the UK ("£1 coins", "5p bags", "the high street", "the car park";
    # not "trolleys", which round 25 found hunt writers giving to Canadian stores too):
    # our stores are in the US and Canada (the store's "store_countries"), so that store is another shop's (real_dev's
    # raters: "this is a UK supermarket, not ours"). Not "branch": Canadians say it of a store too.
    "store_abroad": re.compile(
        r"^(?=.*" + _A_STORE_VISIT + r")(?=.*(?:£|\b\d{1,2}p\b|\bpence\b|\bquid\b|\bhigh street\b|\bcar ?park\b))",
        re.IGNORECASE | re.DOTALL),
    "store_hours": re.compile(
        r"\b(?:opening (?:hours|times)|(?:store|shop|holiday|sunday|weekend|christmas|trading) (?:hours|opening times)|"
        r"(?:your|the|store'?s?|shop'?s?) hours (?:on|for|at|over|this|today|tomorrow)|hours on (?:christmas|new years?|"
        r"boxing|thanksgiving|sunday|the)|"
        r"what time (?:do|does|is|are|will) (?:you|u|the|your|it|they)\b[^.!?\n]{0,40}?\b(?:open|close|shut)|"
        r"(?:when|what time) (?:do|does|will|is) (?:you|u|it|they|the [\w ]{1,30}?(?:store|shop|branch)|your [\w ]{1,30}?"
        r"(?:store|shop|branch)) (?:open|close|shut)|(?:is|are) (?:the|your|you) (?:[\w']+ ){0,3}(?:stores?|shops?|"
        r"branch(?:es)?)? ?open (?:on|this|today|tomorrow|tonight|late|now|christmas|boxing|new years?|thanksgiving|sunday|"
        r"easter|on the)|clos(?:e|es|ing) early|open late|opens? early|(?:be|stay) open|open or closed|closed for the holiday|"
        r"(?:is|are|r) (?:the|your|ur|you|u|it|they)\b[^.!?\n]{0,40}?\bopen (?:on |this )?(?:sundays?|saturdays?|weekends?|"
        r"holidays?|[\w]+ day|today|tomorrow|tonight))\b|^\W*open (?:today|tomorrow|now|tonight)\b",
        re.IGNORECASE),
    "careers": re.compile(
        r"\b(?:are (?:you|u|y'?all) hiring|(?:is|are) [\w ]{0,30}?hiring|hiring for|jobs? (?:at|with|in) (?:your|the|northwind)|"
        r"vacanc(?:y|ies)|(?:any|job) openings|apply (?:for|to) (?:a |the )?(?:job|position|role|work)|job applications?|"
        r"applied (?:for|to) (?:a |the )?(?:[\w-]+ ){0,3}(?:job|position|role|work)|seasonal (?:work|jobs?|staff|positions?|"
        r"roles?)|part[- ]time (?:jobs?|work|positions?|roles?)|careers? (?:page|site|opportunit\w+)|internships?|"
        r"apprenticeships?|graduate (?:schemes?|programs?|programmes?)|(?:my|an|the) interview (?:for|at|with)|work (?:for|at) "
        r"(?:you|u|your|northwind)|interviewed (?:for|at|with)|my (?:job )?application|my (?:cv|resume|résumé)|"
        # (not "why do you hire people who hate customers": a complaint about the staff, round 22)
        r"(?<!why )do (?:you|u) hire|hire (?:warehouse|staff|people|students)(?! (?:who|that)\b)|"
        r"looking for (?:part[- ]time|seasonal|staff|sales "
        r"associates?|workers|people)|jobs? (?:going|available|openings?)|any [\w /]{0,30}?jobs\b|"
        # after applying (round 24; the rest of it is applied_already's, joined to this below): an interview, a first
        # day, a start date, a role named, the careers portal
        r"an interviews?\b(?! (?:with|of) (?:a |the )?(?:customer|press))|first (?:day|shift) (?:at work|on the job)|"
        r"my first (?:day|shift)\b(?! (?:of|in) (?:the )?(?:sale|sales))|start date for (?:the|my) (?:job|role)|"
        r"(?:stockroom|warehouse|sales associate|cashier|seasonal|store) (?:job|role|position)s?|"
        r"(?:hiring|recruiting|application|careers?) portal)\b",
        re.IGNORECASE),
    # round 24: already in the hiring process (an interview, an offer, a start date, a background check, an application
    # waiting): the hiring team's to answer, not "apply at the careers page" (ab1-r24's raters rated that 2)
    "applied_already": re.compile(
        r"\b(?:job fairs?|(?:hiring|recruitment|career) (?:event|day|fair)s?|(?:job )?offer letter|job offers?|"
        r"(?:an? |the |two |2 )?(?:different )?offers? (?:for|from|at) (?:the |a |your )?(?:[\w-]+ ){0,2}?(?:store|role|position|"
        r"job|location|branch)|"
        r"(?:my|the|group|our) interviews?|interviewed|background checks?|my start date|start date (?:is|was|clashes)|"
        r"my first (?:day|shift)\b(?! of)|got the job|only applied (?:for|to)|recruiters?|onboarding|(?:applied|application)\b[^.!?\n]{0,60}?\b(?:status|"
        r"review|heard|hear back|reply|response|weeks?|months?|ago|since|still|yet)|"
        r"(?:still|yet to) hear\w* (?:back )?(?:about|from|on) (?:my|the) (?:application|interview|role|job))\b",
        re.IGNORECASE),
    # when a sale starts or ends, whether something will be reduced; not "these shouldn't be on sale"
    "sale_dates": re.compile(
        r"\b(?:when (?:does|do|is|will|are) (?:the |your |ur |you )?(?:[\w-]+ ){0,3}(?:sales?|clearance) (?:start|begin|end|"
        r"finish|be|happen|on)|(?:sale|clearance|black friday|cyber monday|boxing day) (?:start|starts|begin|begins|end|ends|"
        r"date|dates|last|lasts|run|runs|happening|coming|again)|how long (?:does|is|will) (?:the |your )?(?:[\w-]+ ){0,3}(?:sale|clearance)|next (?:[\w-]+ )?sale|"
        r"will there be (?:a |any )?(?:[\w-]+ ){0,2}(?:sales?|deals?|discounts?)|(?:is|are) there (?:a |any )?(?:[\w-]+ ){0,2}"
        r"sales? (?:coming|soon|this|next)|(?:gets?|be|go|goes) "
        r"(?:discounted|reduced|marked down)|"
        r"(?:will|when|does|do|is|are|ever|if)\b[^.!?\n]{0,50}?\b(?:go|goes|be|come|comes|going) on sale|when (?:is|does) "
        r"(?:black friday|cyber monday|boxing day)|(?:black friday|cyber monday|boxing day) (?:deals|sales?|this year|"
        r"discounts?)|(?:do|will) (?:you|u) (?:do|have|be doing|be having) (?:a |any )?(?:[\w-]+ )?(?:black friday|cyber monday|"
        r"boxing day|sales?|clearance))\b|"
        r"^(?=.*(?:\b(?:sales?|clearance)\b|\d+ ?% off))(?!.*\bcodes?\b)(?=.*\b(?:finish\w*|ending|ends?|still on|on all)\b"
        r"[^.!?\n]{0,20}\b(?:this|next|today|tomorrow|tonight|weekend|week|month|soon)\b)",
        re.IGNORECASE | re.DOTALL),
    # gift wrap and gift messages, sending an order as a present; not a wrap dress, bubble wrap, nor a message that
    # didn't come (UNLESS)
    "gift_wrap": re.compile(
        r"\bgift[- ]?wrap\w*|\bgift (?:box(?:es)?|bags?|messages?|notes?|options?|tags?)\b|(?<!bubble )(?<!shrink )(?<!plastic )"
        r"\bwrap(?:s|ped|ping)?\b(?! (?:dress|dresses|top|tops|skirt|cardigan|coat|jumpsuit|blouse|around|round|bracelet))|"
        r"\b(?:send|ship|deliver) (?:it|this|them|my order|an order|the order|a present|a gift|something) (?:straight |directly )?"
        r"(?:as a gift|to (?:my|a|her|his) [\w ]{0,20}?as a (?:gift|present)|straight|directly)\b|"
        r"\bsend (?:a gift|a present) to\b|\ba (?:card|note) (?:in )?with (?:a note|a message|it)|\ba note from me\b",
        re.IGNORECASE),
    "loyalty_points": re.compile(
        r"\b(?:loyalty (?:points?|cards?|schemes?|program(?:me)?s?|rewards?|app)|rewards? (?:points?|cards?|programs?|"
        r"programmes?|schemes?|account|tiers?|members?|membership)|(?:silver|gold|platinum) (?:tier|level|status)|"
        r"(?:signed up for|joined|join) (?:the |your )?rewards|points (?:card|balance|scheme|program(?:me)?|tiers?)|my points|"
        r"(?:earn|collect|redeem|spend|use|get|got|missing|add|added|claim) (?:my |the |any |reward |loyalty |bonus )?points|"
        r"points (?:for|on|from) (?:my|the|this|last|that) (?:order|purchase|shop|shopping)|(?:\d+|double|bonus) points|"
        r"(?<!pickup )(?<!pick up )(?<!pick-up )(?<!collection )(?<!drop-off )(?<!drop off )(?<!access )"  # not a parcel's points
        r"points? (?:expire|expiring|expiry|off|back|didn'?t (?:show|appear|go)|do (?:i|you|we)|per)|the points)\b",
        re.IGNORECASE),
    "product_compatibility": re.compile(
        r"\b(?:induction|compatible|compatibility|oven[- ]?(?:safe|proof)|work(?:s)? (?:with|on) (?:a |an |my |our )?"
        r"(?:induction|gas|electric|ceramic|glass|aga|hob|stove|cooktop|bulbs?|dimmer|smart)|bulb (?:type|fitting|size|base)|"
        r"what (?:bulbs?|size bulb|kind of bulbs?|type of bulbs?|wattage)|(?:fit|fits) (?:a |an |my |our )?(?:[\w-]+ ){0,3}"
        r"(?:duvet|mattress|bed|pillows?|inserts?|window|rail|pole|lamp|lamp base|table)|fits? (?:a |an |my )?\d+ ?"
        r"(?:x|by|cm|in\b|inch|\")|(?:go on|fit on|fit over) (?:a |an |my )?[\d.]+ ?(?:cm|in\b|inch|\")|go in the (?:oven|"
        r"dishwasher|microwave)|replacement (?:parts?|shades?|lids?|handles?|bulbs?|glass|knobs?)|spare (?:parts?|lids?|"
        r"shades?|handles?)|(?:sell|buy|get) (?:a |the )?(?:lids?|shades?|handles?) (?:separately|on (?:its|their) own)|"
        r"(?:lids?|shades?|parts?|handles?|covers?|inserts?)\b[^.!?\n]{0,30}\bsold separately)\b",
        re.IGNORECASE),
    # round 21: an extra paid for and not done, what a return costs, a store's facilities
    "paid_service": re.compile(r"^(?=.*" + _PAID_EXTRA + r")(?=.*" + _PAID + r")(?=.*" + _NOT_DONE + r")",
                               re.IGNORECASE | re.DOTALL),
    "return_cost": re.compile(_RETURN_COST, re.IGNORECASE),
    # (store_facilities) asked, not told: its answer is the stores' policies, which a complaint ("no trolleys again, carrying it all in my
    # arms") doesn't want (ab2-r21: told 2.50 against 2.62 before, asked 3.24 against 2.76); and a complaint about the
    # visit that also asks ("the toilets were filthy, why?") stays one (tracker.py)
    "store_facilities": re.compile(r"^(?=.*" + _ASKED + r")(?=.*" + _FACILITIES + r")(?=.*" + _A_STORE_VISIT + r")",
                                   re.IGNORECASE | re.DOTALL),
    # "got the ready email, went in and it hadn't arrived", "the collection desk was shut", "they wouldn't give it to my
    # husband": an order to collect at a store, gone wrong there
    "collect_trouble": re.compile(r"^(?=.*" + _COLLECTING + r")(?=.*" + _COLLECT_WENT_WRONG + r")",
                                  re.IGNORECASE | re.DOTALL),
    # which product_compatibility answer: cookware, a lamp, bedding, or a part on its own
    "about_cookware": re.compile(r"\b(?:induction|hobs?|stoves?|cooktops?|ovens?|broilers?|grills?|pans?|saucepans?|pots?|"
                                 r"casseroles?|skillets?|baking dish(?:es)?|bakeware|dutch ovens?)\b", re.IGNORECASE),
    "about_lamp": re.compile(r"\b(?:bulbs?|lamps?|dimmers?|wattage|e26|e27|e12|e14|b22)\b", re.IGNORECASE),
    "about_bedding": re.compile(r"\b(?:duvets?|duvet covers?|comforters?|sheets?|shams?|pillows?|pillowcases?|mattress(?:es)?|"
                                r"inserts?)\b", re.IGNORECASE),
    "asks_for_part": re.compile(r"\b(?:replacement|spare|sold separately|separately|on (?:its|their) own)\b", re.IGNORECASE),
}
# A return the customer sent ("my return is on its way back to you") is no parcel of theirs sent back; a driver's
# driving or a delivery left in danger is the courier's (delivery_complaint), not a product's safety.
_OWN_RETURN = re.compile(r"\b(?:my|the|our) returns?\b|\bi (?:returned|sent (?:it|them) back|posted (?:it|them) back)\b",
                         re.IGNORECASE)
_COURIER = re.compile(r"\b(?:driver|courier|driving|drove|van|left (?:it|the parcel|the package|my parcel) (?:in|on|by))\b",
                      re.IGNORECASE)
# An order in three boxes that all came is no parcel missing.
_ALL_HERE = re.compile(r"\b(?:everything(?:'s| is)? (?:here|arrived|came|turned up)|all (?:arrived|here|came|there|turned up)|"
                       r"got (?:everything|it all)|nothing(?:'s| is) missing)\b", re.IGNORECASE)
# A visit that found a store shut is a complaint about that visit (complaint.in_store), not a question of hours.
_FOUND_IT_SHUT = re.compile(r"\b(?:turned up|went|arrived|got (?:there|to)|showed up|drove|walked)\b[^.!?\n]{0,60}\b(?:closed|"
                            r"closing|locked|shut|turned away)\b|\b(?:was|were|got) turned away\b", re.IGNORECASE)
_ASKS_THE_HOURS = re.compile(r"\bwhat (?:are|r) (?:the|your) (?:actual |real |correct |proper )?(?:opening )?hours\b",
                             re.IGNORECASE)
# "the gift message I wrote wasn't in the box": an order's trouble, not a question about gift wrap
_GIFT_NOTE_MISSING = re.compile(r"\bgift (?:message|note|wrap\w*|box)\b[^.!?\n]{0,30}\b(?:wasn'?t|weren'?t|not|missing|never|"
                                r"didn'?t)\b|\b(?:no|missing|forgot\w*|without (?:the|a|my)) gift (?:message|note|wrap\w*)\b",
                                re.IGNORECASE)
# a job matter after applying is a job matter too
FACTS["careers"] = re.compile(FACTS["careers"].pattern + "|" + FACTS["applied_already"].pattern, re.IGNORECASE)

UNLESS = {"returned_to_sender": lambda text: bool(_OWN_RETURN.search(text)),
          "store_hours": lambda text: bool(_FOUND_IT_SHUT.search(text)) and not _ASKS_THE_HOURS.search(text),
          "gift_wrap": lambda text: bool(_GIFT_NOTE_MISSING.search(text)),
          "split_delivery": lambda text: bool(_ALL_HERE.search(text)),
          "safety_concern": lambda text: bool(_COURIER.search(text))}
