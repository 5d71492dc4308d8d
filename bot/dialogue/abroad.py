"""Money, a carrier or a place of another country: a shop abroad, not ours (round 25).

Our store sells and delivers in its "store_countries" only (the US and Canada), yet real first messages to shop
support accounts come from everywhere: a yearly delivery pass paid in pounds, coins a till refused, a price in rupees
that jumped, a charge for carrier bags in pence. Round 24's raters marked our answers to them down (pounds: "likely
another shop, answered as if ours", 2-3), while a store visit with pounds (store_abroad, round 24) that was told our
stores are all in the US and Canada rated 5. The fact `paid_abroad` reads the signs no customer of ours writes: an
amount in pounds, pence, euros, rupees or Australian dollars, a carrier that delivers only elsewhere (Royal Mail,
Evri), or a place abroad where the store, the parcel or the customer is (PLACES). It lifts the off-topic topic; its
answer (off_topic.abroad) names the sign ({abroad_sign}, filled by `sign_of`), says where we sell, and still asks for
the order number in case it is ours after all. Not when the message names us or a place of ours, asks whether we
ship there or take that money (the shipping and payment answers say), or another not-ours fact already says whose it
is (their answers name the company or the kind of thing). A store there has answers of its own (facts.py, the tracker):
off_topic.store_abroad for a question, complaint.in_store_abroad for a visit gone wrong.
"""
from __future__ import annotations

import re

# the sign -> its words. A price ("£80", "5p", "€35", "Rs. 250", "650 rupees"); not "5 pounds", a weight in the US.
SIGNS = {
    # ("5p bags", "for 10p", "a tenner", not "size 8P", "480p" or a pickup at "4p-6p")
    "an amount in pounds": r"£ ?\d|\d ?£|\b\d+(?:\.\d\d)? ?(?:quid|pence|gbp)\b|\bgbp ?\d|"
                           r"\b(?:for|costs?|charged?|pay|paid|from|to|only|just|extra) \d{1,2}p\b(?![-–])|"
                           r"\b\d{1,2}p (?:coins?|bags?|each|charge|per|a (?:bag|go|piece))\b|\b(?:tenner|fiver)s?\b",
    "an amount in euros": r"€ ?\d|\d ?€|\b\d+(?:[.,]\d\d)? ?(?:euros?|eur)\b|\beur ?\d",
    "an amount in rupees": r"₹ ?\d|\b\d[\d,]* ?(?:rupees?|rs|inr)\b|\b(?:rs\.?|inr) ?\d",
    "an amount in Australian dollars": r"\ba\$ ?\d|\baud ?\$? ?\d|\d ?aud\b",
    "an Australia Post delivery": r"\baustralia post\b",
    "a Royal Mail delivery": r"royal ?mail(?! (?:\w+ )?(?:hoodie|tee|t-shirt|shirt|graphic|print|jumper|sweatshirt|mug))|parcelforce",
    "an Evri (Hermes) delivery": r"\bevri\b|\bhermes (?:driver|courier|parcel|depot|delivery|tracking|have|has|lost|left|said|says)",
    "a Yodel delivery": r"\byodel\b",
    "an Indian courier": r"\b(?:delhivery|blue ?dart|ekart|dtdc|xpressbees|ecom express)\b",
    "a DPD delivery": r"\bdpd\b",
    "an An Post delivery": r"\ban post\b",
}
# Places abroad, by country: cities, towns, counties and regions whose names no large US or Canadian place shares and
# that name no product ("London", "Cambridge", "Windsor", "Perth", "Bath", "Oxford", "Derby" and the like are left
# out: Ontario, Massachusetts, bath towels, oxford shirts, derby shoes)
PLACES = {
    "the UK": (
        "uk|u\\.k\\.|united kingdom|great britain|britain|england|scotland|wales|northern ireland|"
        "glasgow|edinburgh|cardiff|belfast|leeds|liverpool|newcastle upon tyne|nottingham|leicester|coventry|sunderland|"
        "wolverhampton|southampton|swindon|ipswich|milton keynes|huddersfield|doncaster|rotherham|barnsley|middlesbrough|"
        "blackburn|burnley|blackpool|preston|salford|warrington|stockport|wigan|oldham|rochdale|telford|shrewsbury|"
        "grimsby|harrogate|walsall|solihull|bournemouth|cheltenham|basingstoke|maidstone|southend|basildon|stevenage|"
        "luton|slough|croydon|guildford|woking|crawley|dundee|inverness|swansea|wrexham|newcastle|"
        "sheffield(?! steel)|"
        "brixton|hackney|islington|peckham|lewisham|walthamstow|wembley|shoreditch|romford|ilford|wimbledon|"
        "clapham|lancashire|yorkshire|merseyside|lincolnshire|hertfordshire|buckinghamshire|oxfordshire|"
        "gloucestershire|wiltshire|cumbria|northumberland|derbyshire|nottinghamshire|leicestershire|staffordshire|"
        "shropshire|warwickshire|worcestershire|teesside|tyneside|west midlands|east midlands"),
    "Ireland": "republic of ireland|cork|galway|limerick|kilkenny",
    "India": ("india|mumbai|new delhi|delhi|bangalore|bengaluru|chennai|kolkata|hyderabad|pune|ahmedabad|jaipur|"
              "lucknow|noida|gurgaon|gurugram|kochi|chandigarh|indore|bhopal|patna|nagpur"),
    "Australia": ("australia|sydney|melbourne|brisbane|adelaide|canberra|hobart|geelong|gold coast|queensland|"
                  "new south wales|nsw|tasmania"),
    "New Zealand": "new zealand|auckland|christchurch|tauranga",
    # countries and big cities ("Paris", "Berlin", "Vienna", "Athens", "Naples", "Milan" and "Holland" are American
    # places or names too)
    "Europe": ("belgium|netherlands|germany|france|spain|italy|portugal|poland|sweden|denmark|norway|finland|austria|"
               "switzerland|greece|czech republic|hungary|romania|the eu|amsterdam|rotterdam|utrecht|the hague|"
               "eindhoven|brussels|antwerp|ghent|bruges|lyon|marseille|bordeaux|toulouse|lille|nantes|strasbourg|"
               "munich|hamburg|cologne|stuttgart|d[uü]sseldorf|leipzig|zurich|z[uü]rich|basel|madrid|barcelona|"
               "seville|porto|lisbon|turin|copenhagen|aarhus|stockholm|gothenburg|oslo|helsinki|krak[oó]w|prague|"
               "budapest|bucharest"),
}
# a place is where the shop, the parcel or the customer is: "in Preston", "the Leeds branch", "still at the
# Preston depot"
# (not "from" or "to" alone: "my cousin from Leeds loved it", "moving to Australia, can I change my address?")
_WHERE = (r"(?:in|at|near|outside|left|leaving|leave|reached|arrived (?:in|at)|stuck in|sat in|here in|over here in|"
          r"based in|live in|living in|(?:i'?m|i am|we'?re|we are) from)")
_A_STORE_OR_DEPOT = (r"(?:stores?|branch(?:es)?|shops?|superstores?|depot|hub|sorting (?:office|centre)|delivery office|"
                     r"warehouse|express|extra|metro|local|city centre|high street|retail park|shopping centre)")
_A_COUNTRY = re.compile(r"uk|u\.k\.|united kingdom|great britain|britain|england|scotland|wales|northern ireland|"
                        r"republic of ireland|india|australia|new zealand", re.IGNORECASE)
_THE_UK = re.compile(r"uk|u\.k\.|united kingdom|great britain|britain", re.IGNORECASE)
# ("made in Portugal", "woven in Scotland": where our goods come from, not where the customer is; nor where someone
# else is)
_NOT_MADE = "".join(f"(?<!{word} )" for word in ("made", "designed", "manufactured", "produced", "printed", "sourced",
                                                  "woven", "knitted", "knit", "crafted", "built", "assembled", "grown",
                                                  "sewn", "spun", "dyed", "finished", "tested",
                                                  # ("a new login from a device in Romania": where someone else is)
                                                  "device", "login", "someone", "somebody", "hacker", "scammer", "ip"))
# a carrier of a country ("UPS Belgium", "DHL Germany"): its delivery is there
_CARRIER = r"(?:ups|dhl|fedex|tnt|gls|dpd)"
PLACE_WORDS = {country: rf"{_NOT_MADE}\b{_WHERE} (?:the )?(?:{names})\b(?!['’]s)|\b(?:{names}) {_A_STORE_OR_DEPOT}\b|"
                        rf"\b{_CARRIER} (?:{names})\b"
               for country, names in PLACES.items()}
# Our countries' places: a message that names one is ours whatever British word it uses ("does the Calgary store have a
# car park?", "London, Ontario"): its states and provinces, and its biggest cities
_OUR_PLACES = re.compile(
    r"\b(?:ontario|quebec|qu[eé]bec|alberta|british columbia|manitoba|saskatchewan|nova scotia|new brunswick|"
    r"newfoundland|prince edward island|yukon|toronto|montreal|montr[eé]al|vancouver|calgary|edmonton|ottawa|winnipeg|"
    r"mississauga|brampton|hamilton|surrey|laval|halifax|saskatoon|regina|victoria,? bc|kitchener|vaughan|markham|"
    r"usa|u\.s\.a?\.?|united states|america|new york|los angeles|chicago|houston|phoenix|philadelphia|san antonio|"
    r"san diego|dallas|san jose|austin|jacksonville|seattle|denver|boston|nashville|portland|las vegas|atlanta|miami|"
    r"minneapolis|detroit|california|texas|florida|ohio|illinois|pennsylvania|georgia|michigan|washington|arizona|"
    r"massachusetts|colorado|oregon|new jersey|virginia|tennessee|indiana|missouri|maryland|wisconsin|minnesota|"
    r"north carolina|south carolina|alabama|louisiana|kentucky|connecticut|iowa|utah|nevada|kansas|oklahoma|idaho|"
    r"nebraska|new mexico|new hampshire|maine|vermont|montana|wyoming|alaska|hawaii|delaware|rhode island|"
    r"west virginia|north dakota|south dakota|arkansas|mississippi)\b", re.IGNORECASE)


def names_our_place(message: str) -> bool:
    """ "the Calgary store", "I'm in Ohio": a place of ours named, so no sign abroad counts."""
    return bool(_OUR_PLACES.search(message))


# a store there ("stores in Edinburgh", "the Leeds shop"): a store abroad (facts.py), its own answer
_ALL_PLACES = "|".join(PLACES.values())
_A_STORE_THERE = re.compile(rf"\b(?:stores?|shops?|branch(?:es)?|superstores?) (?:in|at) (?:the )?(?:{_ALL_PLACES})\b|"
                            rf"\b(?:{_ALL_PLACES}) (?:stores?|shops?|branch(?:es)?|superstores?)\b", re.IGNORECASE)
_ANY_SIGN = re.compile("|".join(f"(?:{words})" for words in (*SIGNS.values(), *PLACE_WORDS.values())), re.IGNORECASE)
# "@NorthwindThreads you took £25 for the rug removal": they say it's us, so it is
_NAMES_US = re.compile(r"northwind", re.IGNORECASE)  # "Northwind", "@NorthwindThreads"
# "do you ship to Ireland?", "can I pay in euros?", "will it come by Royal Mail?": a question about what we do, which
# the shipping and payment answers take
_ASKS_WHAT_WE_DO = re.compile(
    r"\b(?:do|does|can|could|will|would) (?:you|u|ya|y'?all|i|we)\b[^.!?\n]{0,40}?\b(?:ship|deliver|send|post)\w*\b"
    r"[^.!?\n]{0,30}?\b(?:to|in|by)\b[^.!?\n]{0,60}\?|"
    r"\b(?:ship|deliver|send|post)\w* (?:internationally|abroad|overseas|worldwide)\b|"
    r"\b(?:international|overseas|worldwide) (?:shipping|delivery)\b|"
    r"\b(?:pay|paying|accept|take|prices?|charge)\b[^.!?\n]{0,20}?\b(?:in|with) (?:pounds|euros|rupees|sterling|gbp|eur)\b|"
    r"\bwhich (?:courier|carrier)\b", re.IGNORECASE)

FACTS = {"paid_abroad": _ANY_SIGN}
# the facts that say a shop abroad's (store_abroad, a visit there, is bot/dialogue/shop_matters.py's)
FACTS_OF_A_SHOP_ABROAD = {"paid_abroad", "store_abroad"}


def unless(text: str, other_facts: set[str]) -> bool:
    """The sign is no reason to answer "not ours": it names us, asks what we do, or another fact says whose it is."""
    return bool(_NAMES_US.search(text) or _ASKS_WHAT_WE_DO.search(text) or names_our_place(text)) or bool(other_facts)


def names_a_store_there(message: str) -> bool:
    """ "none of the shops in Leeds had it", "does the Glasgow shop open Sundays?": a store abroad, not a parcel."""
    return bool(_A_STORE_THERE.search(message))


def sign_of(message: str) -> str:
    """What in the message says it is from abroad, for the answer: "an amount in pounds", "a Royal Mail delivery"."""
    for sign, words in SIGNS.items():
        if re.search(words, message, re.IGNORECASE):
            return sign
    for country, names in PLACES.items():  # "Preston (in the UK)"
        where = re.search(PLACE_WORDS[country], message, re.IGNORECASE)
        if where:
            place = re.search(rf"\b(?:{names})\b", where.group(0), re.IGNORECASE).group(0)
            if _A_COUNTRY.fullmatch(place) or country == "Europe":  # "I'm in the UK", "in Scotland": the country itself
                if country == "the UK" and _THE_UK.fullmatch(place) or place.lower() == "the eu":
                    return "the UK" if country == "the UK" else "the EU"
                return place.title()
            return f"{place.title()} (in {country})"
    return "that"
