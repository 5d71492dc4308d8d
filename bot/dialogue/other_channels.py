"""What the customer sent us somewhere else: a DM, an email, a contact form, a voicemail, a post on another page (round 26).

"Check your DMs pls", "I emailed support on Monday, did you get it?", "posted on your Facebook page, can someone here
answer that?", "can someone DM me? it's private". The matter is in that other message, and the chat can't open it: the
honest answer says so and asks for it here (the order number if it's about an order; never card details or passwords),
after an apology when they say they've been waiting (complaint.sent_elsewhere_waiting). Round 25 handed most of these
to a colleague unsure ("I'd rather a person read it", which asks nothing of them) or said "sorry you had to wait so
long" to someone who had only asked us to look at a DM.

    sent_elsewhere     a DM, email, form, voicemail, comment or post sent to us, or asked for ("DM me"), and no
                       matter told beside it

A message that also tells its matter ("I emailed about my refund for order 48213, where is it?") is answered on that
matter (with the chase's apology: bot/dialogue/chasing.py), and one beside a supervisor asked for is handed over as
asked: `unless` leaves the fact out (facts.UNLESS).
"""
from __future__ import annotations

import re

from bot.dialogue import chasing
from bot.dialogue.languages import WORD

# The places a message can be sent to us that this chat can't see
_PLACE = (r"(?:dms?|pms?|direct messages?|private messages?|inbox|e-?mails?|mail ?box|voice ?mails?|(?:contact |online |"
          r"web ?site |website |web )?forms?|help ?cent(?:er|re)|facebook|fb|messenger|instagram|insta|ig|twitter|tiktok|"
          r"whats ?app|google|linkedin|youtube|pinterest|snapchat|reddit|comments?|posts?|reviews?|wall|story|stories|"
          r"tickets?|groups?)")
_SENT = re.compile("|".join([
    # "I DMed you", "dm'd you", "pm'd you", "slid into your dms", "sent u a dm", "sent a direct message to your account"
    r"\b(?:dm|pm)(?:'?e?d|'d|ing) (?:you|u|y'?all|your|ur)\b|\bslid into (?:your|ur) dms\b",
    # (not "do you send an email when it ships?": ours to send)
    r"\b(?:(?:sent|dropped|left) (?:you |u |y'?all )?|send(?:ing)? (?:you|u|y'?all) )(?:guys |all )?(?:a |an |the |another |"
    r"two |three |\d+ )?"
    r"(?:dms?|pms?|direct messages?|private messages?|e-?mails?|voice ?mails?|messages? (?:on|via|through|to|with|in)|"
    r"(?:contact |online |web ?site )?forms?|reviews?)\b",
    r"\b(?:dm|pm) sent\b|\bmessaged (?:you )?(?:privately|in private|directly|on \w+)\b",
    # "check your DMs", "pls check private messages", "check ur inbox", "pls check ur email", "please see there"
    r"\bcheck (?:your |ur |the |my |our )?(?:dms?|pms?|private messages|direct messages|inbox|e-?mails?|messages|"
    r"facebook|fb|instagram|insta|ig|twitter|comments?)\b",
    # "replied to your DM", "answered the question you asked me in DMs", "responded to the email from your agent"
    r"\b(?:replied|responded|answered|wrote back) (?:to )?(?:your|ur|the|you in|in) (?:\w+ )?(?:dms?|e-?mails?|e-?mail "
    r"thread|messages?|thread)\b|\bin (?:the )?dms\b|\banswered (?:you )?back\b|\bprivate chat\b",
    # "pls look at my dm", "did my email go to spam?", "reached out on your TikTok comments"
    r"\b(?:look at|read|open|see) (?:my|the|our) (?:dms?|pms?|e-?mails?|messages?|comments?)\b|"
    r"\b(?:my|the) (?:e-?mail|dm|message|form) (?:go|went|gone|get|got) (?:to spam|into spam|lost)\b|"
    r"\breached out (?:to (?:you|u) )?(?:on|via|through|in)\b",
    # "emailed your support team", "emailed you guys", "wrote to you through the help center", "filled out the form"
    r"\b(?:e-?mailed|wrote to|written to|messaged|contacted) (?:you|u|y'?all|your|ur|support|customer (?:service|"
    r"care)|the team)\b",
    r"\b(?:filled(?: in| out)?|submitted|used|completed) (?:the |your |ur |a |an )?(?:'?contact us'? |contact |online |"
    r"web ?site |website |web |feedback )?(?:form|page)\b|\bsubmitted (?:a |the )?(?:message|request|ticket)\b",
    # "followed up on my DM", "did you get my email?", "voicemail left 2x", "got an automatic reply to my email"
    r"\b(?:on|about|to|up on|get|got|receive|see|read) my (?:dms?|pms?|e-?mails?|voice ?mails?|(?:contact |online )?form|"
    r"comments?)\b|\bvoice ?mails? left\b|\bauto(?:matic|mated)?[- ]?(?:reply|response)\b|\btagged (?:you|u)\b",
    # "posted on your Facebook page", "commented on your latest Instagram post", "wrote on ur FB wall", "tagged you in
    # a story", "left you a review on Google", "left a voicemail", "messaged you on Instagram", "wrote to your TikTok"
    rf"\b(?:posted|commented|wrote|written|messaged|asked|replied|tagged (?:you|u))\b[^.!?\n]{{0,25}}?\b(?:on|in|"
    rf"to|via|through) (?:your|ur|the) (?:other |latest |last )?(?:{_PLACE}|(?:\w+ )?(?:account|page|group))\b",
    # (not "I'd like to leave a review for the lamp": one to write)
    r"\bleft (?:you |u )?(?:a |an |two |\d+ )?(?:voice ?mail|message|comment|review)\b|"
    r"\bleave (?:you |u )?(?:a )?(?:voice ?mail|message)\b",
    # "can u DM me?", "DM me please!!", "could someone from your team please DM me" (not "email me when it's back in
    # stock": a stock alert)
    r"\b(?:dm|pm|inbox|private message|direct message) (?:me|us)\b|\b(?:can|could|would|will) (?:you|u|someone|"
    r"somebody|anyone|one of you)(?: from \w+(?: \w+)?)? (?:please |pls )?(?:dm|pm|message) (?:me|us)\b",
]), re.IGNORECASE)

# A message of ours that went missing ("just making sure it didn't get lost") is no matter either
_DID_IT_ARRIVE = re.compile(r"\b(?:didn'?t|did not|hasn'?t|has not) (?:get|go|got) (?:lost|through|thru)\b", re.IGNORECASE)
# The words of such a message that tell no matter: who, when, where it was sent, how urgent, please look. What's left
# after the chase, the pointer elsewhere, an order alone and these tells a matter when it names one (an order's trouble,
# a refund, a return: chasing.names_a_matter) or has MATTER_WORDS words or more ("the blue linen jacket fits too
# tightly");
# "on Tuesday, just making sure it didn't get lost" has none
_NO_MATTER_WORDS = frozenset("""
i me my we our you u your ur y'all y all guys the a an to of in on at for from with by about and or but so it its s t d ve
ll m re this that these those them they their there here is are was were be been am do did does done doing have has had
can could would will please pls plz thanks thank thx ty hi hey hello yo hiya good morning afternoon evening just already
also still yet now today tonight yesterday earlier again back twice lol idc sure make making want wanted know let see saw
seen look looking check checks checked confirm get got received receive receipt read answer answered reply replied
respond responded response update updates any anyone someone somebody anybody one team support customer service care
agent staff account page site website web form contact us help center centre chat message messages email emails mail dm
dms pm pms private privately publicly public post posted comment commented wrote written sent send left tagged story
details detail info information everything address number same thing urgent asap chance when if what next whats went
go gone through thru lost pick up find pass week weeks day days last over weekend monday tuesday wednesday thursday friday
saturday sunday hours h x first not didn wasnt bc sorry automatic auto crashed need needs into ago via as where issue
problem question asked ask query case matter mailbox line phone called voicemail facebook fb instagram insta ig twitter
tiktok whatsapp messenger google review reviews who else other latest direct inbox share put rather say saying someone's
northwind threads northwindthreads
""".split())
MATTER_WORDS = 5

# A person asked for ("still no reply to my email, I want to speak to a supervisor"): handed over as asked (handover.py)
_ASKS_FOR_A_PERSON = re.compile(r"\b(?:speak|talk|chat) (?:to|with) (?:a |an |the |your |someone |somebody )?(?:supervisor|"
                                r"manager|human|real person|person|agent|senior)\b|\bsupervisor\b|\bmanager\b|\ba human\b",
                                re.IGNORECASE)

FACTS = {"sent_elsewhere": _SENT}


def unless(message: str) -> bool:
    """Not read as sent elsewhere: its matter is told here, or a person is asked for (facts.UNLESS)."""
    return not names_nothing_else(message) or bool(_ASKS_FOR_A_PERSON.search(message))


def names_nothing_else(message: str) -> bool:
    """True when, less the chase's words (chasing.py), the pointer elsewhere and an order named alone, no matter is
    left: "I emailed support on Monday, can someone confirm?" names nothing else; "emailed about my refund, order
    48213, where is it?" names its matter."""
    rest = _DID_IT_ARRIVE.sub(" ", chasing.without_an_order_alone(_SENT.sub(" ", chasing.without_the_chase(message))))
    told = [word for word in WORD.findall(rest) if word.lower() not in _NO_MATTER_WORDS]
    return not chasing.names_a_matter(rest) and len(told) < MATTER_WORDS
