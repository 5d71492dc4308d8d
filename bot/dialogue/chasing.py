"""A chase that names its matter: "third email about my refund and still nothing", "rang twice about the cracked
vase, nobody called back". The matter is what to answer; the chase is why the customer is cross (round 23).

The intent model reads the whole message, and the chase's words (emailed, twice, nobody replies) pull its
probability below the bar for answering, so such messages were handed over unsure although the matter alone reads
clearly ("my parcel that's a week late": a late delivery at 0.67, against 0.45 with the chase around it). The tracker
reads the message again without the chase (`the_matter`) and keeps that reading when it is surer of one of the
store's matters. The answer then opens with an apology for the wait (`add_apology`).

A chase that names no matter ("DMed you 3 days ago, still nothing") leaves nothing to read here: the tracker
answers the wait itself (complaint.slow_reply; bot/dialogue/tracker.py).
"""
from __future__ import annotations

import re

from bot.candidate import Candidate
from bot.dialogue import case_report
from bot.dialogue.languages import WORD
from bot.dialogue.state import DialogueState

# What a chase tells of our silence, not of its matter: "no email, no money", "no update since", "I DMed you", "check
# your DMs"
CHASE_FACTS = frozenset({"emails_not_arriving", "tracking_stuck", "scam_channel_told", "sent_elsewhere"})
# The intents a chase's matter cannot be: the wait itself, a person, a hello, another company's matter.
NOT_A_MATTER = ("complaint", "human_agent", "greeting", "goodbye_thanks", "feedback", "praise", "off_topic")
# (its own words: many answers go on "I'm sorry ...", for the matter)
APOLOGY = "Apologies that nobody got back to you sooner, and thank you for your patience."
MATTER_WORDS = 3  # "on Monday" (left of "sent the form on Monday, anyone there?") is no matter
_ANSWER_SOURCES = ("retrieval", "generative", "remote")
_LOOSE_ENDS = re.compile(r"^(?:(?:and|but|so|still|yet|ago)\b[\s,]*)+|(?:[\s,]*\b(?:and|but|so|still|yet|ago))+$",
                         re.IGNORECASE)
_TIMES = r"(?:\d+|two|three|four|five|six|several|many|multiple|numerous|so many|a few|few|a couple of|countless)"

# (not passive: "said the receipt would be emailed")
_CONTACTED_BY = (r"(?<!be )(?<!been )(?<!being )(?:dm'?e?d|dm'd|pm'?e?d|messag(?:ed|ing)|e-?mail(?:ed|ing)|rang|"
                 r"ringing|phoned|phoning|called|calling|"
                 r"contacted|contacting|tweeted|wrote to|written to|writing to|chatted (?:to|with)|spoke to|spoken to|"
                 r"reached out to|reported (?:it|this)|raised (?:it|this))"
                 # a chase of us, not of a seller, a marketplace or a bank ("contacted the seller twice, ignored")
                 r"(?! (?:the |a |my |their )?(?:seller|sellers|ebay|amazon|courier|driver|bank|paypal|manufacturer|"
                 r"maker|brand|vendor|landlord|airline))")
_CHANNEL = (r"\b(?:on|via|through|over|by|in|using) (?:the |your |a )?(?:insta(?:gram)?|facebook|fb|twitter|x|whatsapp|"
            r"live ?chat|chat|web ?chat|phone|email|e-mail|dms?|messenger|(?:contact )?form|helpline|app)\b")
# "nothing back", "no reply", "nobody called back", "left on read": the contact went unanswered
_UNANSWERED = "|".join([
    r"\b(?:and )?(?:still )?(?:no|not a|zero|without (?:a|an|any)|haven'?t (?:had|got|received) (?:a|an|any)) "
    r"(?:reply|replies|response|responses|answer|answers|word|call ?backs?|update|updates|joy|luck|acknowledge?ment)\b",
    r"\b(?:no ?(?:one|body)|no-one|nobody|never|noone) (?:has |have |ever |even )*(?:replied|replies|reply|responded|"
    r"responds|answered|answers|got back|gets back|get back|called back|rang back|calls back|picks up|picked up|"
    r"came back|bothered|contacted me|called me|rang me|did)(?: (?:to )?(?:me|us|my (?:e-?mails?|messages?|calls?|"
    r"dms?)))?"
    r"(?: back)?\b",
    r"\b(?:heard|got|had) nothing(?: back)?\b|\b(?:not|haven'?t|have not|never) heard (?:anything|back|"
    r"a thing)(?: back)?\b",
    r"\bleft on (?:read|seen)\b|\bgone unanswered\b|\bunanswered\b|\bignor\w*(?: (?:me|us|my \w+|our \w+))?\b",
    r"\b(?:is )?any(?:one|body) (?:there|reading|home|out there|alive)\b|\bcrickets\b",
    r"\b(?:still )?waiting (?:for|on) (?:a |an |your |any )?(?:reply|response|answer|call ?back)\b|"
    r"\b(?:waiting|yet) to hear (?:back|from (?:you|anyone|someone))\b",
    r"\b(?:nothing|silence)(?: back| since| yet| at all)?(?=\s*(?:[.!?,]|$))",
])
# "was told someone would call me back", "they said they'd sort it": a promise made when they got through, not kept
_PROMISED = (r"\b(?:was|were|been|got) (?:told|promised|assured)\b|\bsaid (?:they|you|he|she|it)(?:'d| would)\b|"
             r"\bpromised\b")
# "chasing my email", "third message about it", "following up on my call", "writing again" (not "third time it came
# broken" or "who do I chase?": a problem that came back, or someone else to chase)
_CHASING = (r"\bchasing (?:up |this |it |you |my |our |the )|\bchase (?:this|it|you) up\b|\bfollow(?:ing)? up\b|"
            r"\b(?:writing|asking|messaging|contacting|emailing) (?:you )?again\b|"
            # "my third email", "3rd message about my refund" (not "the third email this week giving me a new date")
            r"\b(?:my|this is (?:my|the)) (?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th) (?:e-?mail|message|dm|"
            r"call|chat)\b|"
            r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th) (?:e-?mail|message|dm|call|chat) (?:about|re\b|"
            r"regarding|asking|to you|(?:i'?ve|i have) (?:sent|written))|"
            r"\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th) time (?:asking|messaging|contacting|emailing|"
            r"writing|calling|chasing)\b")
# a problem or a contact again: its words are no matter either ("third time now", "another attempt")
_REPEATED = (r"\b(?:this is )?(?:my |the |a )?(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th|another) "
             r"(?:time|e-?mail|message|dm|call|attempt|chat)\b")
# The chase's own words, one alternative a line; what is left of the message is its matter.
_CHASE = re.compile("|".join([
    # "I've emailed you guys 3 times", "DMed your team", "rang the store twice", "sent you a message"
    rf"\b(?:i'?ve |i have |i |we'?ve |we )?(?:already |also )?{_CONTACTED_BY}\b"  # (not "rang" of "home range")
    r"(?: (?:you|u|y'?all|your (?:team|store|shop|staff|support|customer service|helpline|customer (?:line|services?))|"
    r"the (?:store|shop|team)|customer services?)\b)?(?: (?:guys|lot|people)\b)?",
    r"\bsent (?:you |u )?(?:a |an |the |your |another |two |three |\d+ )?(?:dms?|e-?mails?|messages?|"
    r"(?:contact )?forms?)",
    r"\b(?:filled in|filled out|submitted|used) (?:your |the |a )?(?:contact )?form\b|\bgot (?:the|an) auto-?reply\b",
    _CHANNEL, _UNANSWERED, _CHASING, _REPEATED,
    rf"\b(?:a |{_TIMES} |\d+ )?(?:days?|weeks?|hours?) ago\b|\bsince (?:last )?\w+day\b|\blast \w+day\b",
    rf"\b{_TIMES} (?:times|e-?mails|messages|dms|calls)(?: now)?\b|\btwice\b|\bthrice\b|\bagain\b",
    r"\bhel+o+\b|\b(?:can|could) (?:some|any)(?:one|body) (?:please )?(?:help|look into (?:it|this))\b",
    r"\b(?:get|getting|got) back to (?:me|us)\b|\b(?:call|ring)(?:ed)? (?:me|us) back\b|"
    r"\b(?:was |were )?promised (?:a |to )?call ?back\b|\bnever happened\b",
    # the rest of a chase's talk: "sorry to bother you again", "no answer to my email from last week", "please advise"
    r"\b(?:sorry )?to bother(?: you)?\b|\ba while (?:back|ago)\b|"
    r"\b(?:to|about) (?:my|the|your|our) (?:first |last |previous )?(?:e-?mails?|messages?|calls?|dms?|forms?)(?: from (?:last \w+|\w+day|the \w+))?\b|\bplease advise\b|"
    r"\bwhat'?s going on\b|\bwhats going on\b|\bdo your job\b|\bthis time\b|\b(?:received |got )?(?:an |the )?"
    r"auto(?:mated)?[- ]?(?:reply|response)(?: only)?\b|\bcontact(?: us)? page\b|\bcontact (?:you )?online\b|"
    r"\bon (?:the )?\w+day\b|\bx+$",
    r"\bon hold(?: for \w+ \w+)?\b|\b(?:can'?t|cannot|couldn'?t) get through\b|\bcheck (?:your|ur) (?:dms?|messages|"
    r"inbox)\b",
]), re.IGNORECASE)
_WAS_CONTACTED = re.compile(rf"\b{_CONTACTED_BY}\b|\bsen[dt] (?:you |u )?(?:a |an |the )?(?:dm|e-?mail|message|form)|"
                            r"\b(?:my|our) (?:e-?mails?|messages?|dms?|calls?|tweets?)\b|\bwrite again\b|" + _CHANNEL,
                            re.IGNORECASE)
_WENT_UNANSWERED = re.compile(_UNANSWERED + "|" + _PROMISED, re.IGNORECASE)
_IS_CHASING = re.compile(_CHASING, re.IGNORECASE)


# What a chase can be about ("emailed twice about the zip that came broken", "asked you to cancel it"): that matter's
# answer, not the apology for the wait (rounds 22-23); a chase that names none ("is this account even monitored?
# messaged you a week ago") is the wait's own answer, however the rest of it reads
_NAMES_A_MATTER = re.compile(case_report.ORDER_TROUBLE.pattern + r"|\b(?:cancel\w*|dispatch\w*|shipped|rip|ripped|torn|"
                             r"faulty|broke|switch on|doesn'?t work|not working|shipping|refund\w*|return\w*|missing|"
                             r"stopped (?:working|heating|charging)|died|dented|wrong|sparking|"
                             r"where(?:'s| is| are)? (?:my|our))\b",
                             re.IGNORECASE)


def names_a_matter(message: str) -> bool:
    return bool(_NAMES_A_MATTER.search(message))


# An order named without its trouble ("DMed you about my order", "the agent said there's no note of my order"): no
# matter of its own, beside a message sent elsewhere or a complaint about our staff (round 26); "my order is late" is one
_AN_ORDER_ALONE = re.compile(
    r"\b(?:about|re|regarding|with|for|on) (?:my|an|the|our|a|this|that) (?:order|purchase)(?: number)?\b|"
    r"\b(?:my|the|an|our|same|this|that) (?:same )?order(?: number)?\b(?! (?:is|was|has|hasn'?t|still|never|came|"
    r"arrived|got|went))|\border (?:number|no\.?|#)\b|#?\b\d{4,}\b", re.IGNORECASE)


def without_an_order_alone(message: str) -> str:
    return _AN_ORDER_ALONE.sub(" ", message)


def is_a_chase(message: str) -> bool:
    """The customer contacted us before and got no answer, or a promise not kept, and says so: "emailed twice, nothing
    back", "chasing my email from last week", "third time asking", "rang on Monday, was told it'd be sorted"."""
    if _IS_CHASING.search(message):
        return True
    unanswered = _WENT_UNANSWERED.search(message)  # (its own "contacted" is no contact: "nobody contacted me")
    return bool(unanswered) and bool(_WAS_CONTACTED.search(_WENT_UNANSWERED.sub(" ", message)))


def without_the_chase(message: str) -> str:
    """The message with the chase's own words taken out ("emailed twice, nothing back")."""
    return re.sub(r"\s+", " ", _CHASE.sub(" ", message))


def the_matter(message: str) -> str | None:
    """The message less its chase, when at least MATTER_WORDS words are left to read; None otherwise."""
    rest = without_the_chase(message)
    rest = re.sub(r"(?:\s*[,;:.!?-]+\s*)+(?=[,;:.!?]|$)", "", rest).strip(" ,;:.!?-")
    rest = _LOOSE_ENDS.sub("", rest).strip(" ,;:.!?-")  # "about my refund and still" -> "about my refund"
    return rest if len(WORD.findall(rest)) >= MATTER_WORDS and rest != message.strip() else None


def add_apology(state: DialogueState, candidates: list[Candidate]) -> list[Candidate]:
    """Every answer to a chase that named its matter opens with the apology for the wait (its matter was answered)."""
    if not state.cache.get("chase_matter"):
        return candidates
    for c in candidates:
        if c.source in _ANSWER_SOURCES:
            c.text = f"{APOLOGY} {c.text.lstrip()}"
    return candidates
