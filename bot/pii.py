"""PII: the one place that finds personal data in text, and masks it before anything is stored.

`find_pii(text)` returns the spans it found, each with a kind; `mask_pii(text)` replaces each with `[kind]`:

    email     jane.doe@gmail.com, jane (at) gmail.com
    card      13-19 digits, bare or grouped 4-4-4-4 / 4-6-5 by any separator (spaces, dashes, dots, slashes);
              masked whether or not it passes the Luhn check (a mistyped card is still a card)
    iban      DE89 3704 0044 0532 0130 00, GB29NWBK60161331926819 (a real IBAN country code up front)
    id        SSN-like 123-45-6789, SIN / passport / licence numbers after their name, UK NI numbers
    secret    the value in "my cvv is 123", "pin 4821", "password: hunter2", "expiry 12/27" (the words stay)
    phone     +44 20 7946 0958, (415) 555-0199, 020 7946 0958, 555-0199, and bare digits after "call me" etc.
    address   123 Main Street, Apt 4B, 221B Baker St, Springfield, IL 62704
    postcode  K1A 0B1, SW1A 1AA; a US ZIP only after "zip" / "postcode" (alone it reads like an order number)

What must survive, because the conversation needs it: order numbers (5 digits here; any number after
"order", "purchase", "reference", "invoice", "case"), tracking numbers (1Z..., JD..., 20-22 digit USPS, and
any code after "tracking" or a carrier's name), dates, times, prices, quantities and product model numbers.
Those spans are found first and nothing that overlaps them is masked; except that a Luhn-valid 13-19 digit
number stays a card even after "order", and a kept value must not run on into more digits ("item 4242 4242
4242 4242" is a card). Numbers with no context are judged by shape: 10-11 digits or 3-4 grouped (555-0199)
read as phones; other lengths only after "call", "phone", "my number" and the like.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_EMAIL_SPELLED = re.compile(r"\b[\w.+-]+\s*[(\[]\s*at\s*[)\]]\s*[\w-]+(?:\s*(?:\.|[(\[]\s*dot\s*[)\]])\s*[\w-]+)+",
                            re.IGNORECASE)

# -- what survives -----------------------------------------------------------------------------------
_TRACKING_SHAPE = re.compile(r"\b1Z[0-9A-Z]{16}\b|\bJD\d{16,18}\b|(?<![\w])9[1-5]\d{18,20}(?!\w)")
_TRACKING_AFTER = re.compile(
    r"(?i:\b(?:tracking|track|trk|waybill|consignment|shipment|parcel|fedex|ups|usps|dhl|purolator|canada\s+post)\b)"
    r"(?:\s*(?i:number|no\.?|nr\.?|num|id|code|ref|is|was|for|it's|:|#|-|,))*\s*#?\s*"
    r"([A-Z0-9]{8,34}|\d{4}(?:[ -]\d{2,4}){2,5})(?![\w])"
)
# Order, return, invoice and case references: "order 10023", "purchase with the number 00004587345".
_ORDER_AFTER = re.compile(r"(?i:\b(?:order|purchase|ord|reference|ref|confirmation|invoice|receipt|case|ticket|rma)\b)"
                          r"(?:\s*(?i:number|no\.?|nr\.?|num|id|code|is|was|with\s+the\s+(?:number|code)|:|#|,))*"
                          r"\s*#?\s*(\d{4,20})(?![\d-])(?![ .\-_/]\d)")
_MODEL_AFTER = re.compile(r"(?i:\b(?:model|sku|item|part|style|article|product|serial|version)\b)(?:\s*(?i:number|no\.?|nr\.?|"
                          r"code|id|is|:|#))*\s*#?\s*((?=[\w-]*[A-Za-z-]|\d{3,9}(?!\w))[A-Za-z0-9][A-Za-z0-9-]{2,24})(?![\w])(?![ .\-_/]\d)")
_DATE = re.compile(r"(?<![\d.\-/])(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))(?![\d.\-/]?\d)")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_MONEY = re.compile(r"[$€£]\s?\d[\d,]*(?:\.\d{1,2})?|(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.])"
                    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:dollars|usd|eur|euros|cad|gbp)\b", re.IGNORECASE)
# A keyword-led value followed by more digits ("item 4242 4242 4242 4242") is part of a longer number: not kept.
_KEEP = (_TRACKING_SHAPE, _TRACKING_AFTER, _ORDER_AFTER, _MODEL_AFTER, _DATE, _TIME, _MONEY)

# -- what is masked ----------------------------------------------------------------------------------
_DIGIT_SECRET = re.compile(
    r"(?i:\b(?:pin(?:\s*(?:code|number|no\.?))?|cvv2?|cvc2?|csc|security\s+code|verification\s+code|passcode|"
    r"one[-\s]time\s+(?:code|password|pin)|otp|2fa\s+code|login\s+code|sms\s+code)\b)"
    r"[^.!?\n\d]{0,20}?(\d{3,8})(?!\d)"
)
_EXPIRY = re.compile(r"(?i:\b(?:exp(?:iry|iration)?(?:\s+date)?|valid\s+(?:thru|through|until)|expires?)\b)"
                     r"[^.!?\n\d]{0,10}?(\d{1,2}\s?/\s?\d{2,4})(?![\d/])")
_PASSWORD = re.compile(
    r"(?i:\b(?:password|passwd|pwd|pass\s+word|pass\s?phrase)\b)"
    r"(?:(?:(?i:\s+(?:is|was|would\s+be|should\s+be|will\s+be)\b)\s*:?|\s*[:=]|\s+-|'s)\s*"
    r"(\"[^\"\n]{1,64}\"|'[^'\n]{1,64}'|[^\s\"']{1,64})"  # "password is X", "password: X"
    r"|\s+((?=[^\s\"']*[\d@#$%^&*!])[^\s\"']{4,64}))"  # "password hunter2": no link word, so it must look like one
)
# Words that follow "password" in ordinary sentences ("my password is not working"): not a password.
_NOT_A_PASSWORD = set(
    "not wrong incorrect correct right too being still the my a an your our working expired invalid reset changed "
    "forgotten forgot lost no longer fine ok okay weak short case and but so it that this same different new old now "
    "also missing blank empty required rejected locked broken and/or or to for on in at is was will won't doesn't "
    "isn't keeps link please help again anymore any every sent set shown hidden valid case-sensitive "
    "there here what which when where why how".split()
)
_IBAN_COUNTRIES = ("AD AE AL AT AZ BA BE BG BH BR BY CH CR CY CZ DE DK DO EE EG ES FI FO FR GB GE GI GL GR GT HR HU "
                   "IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV MC MD ME MK MR MT MU NL NO PK PL PS PT QA RO RS SA SC "
                   "SE SI SK SM ST SV TL TN TR UA VA VG XK").split()
_IBAN = re.compile(rf"(?<![\w])(?:{'|'.join(_IBAN_COUNTRIES)})\d{{2}}(?:[ -]?[A-Z0-9]{{4}}){{2,7}}(?:[ -]?[A-Z0-9]{{1,3}})?(?![\w])")
_SEP = r"(?:\s*[.\-_/·]\s*|\s+)"
_CARD = re.compile(
    rf"(?<![\w.\-/+])(?<!\d[ .\-_/])(?:\d{{13,19}}|\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{1,4}}(?:{_SEP}\d{{1,3}})?"
    rf"|\d{{4}}{_SEP}\d{{6}}{_SEP}\d{{4,5}})(?![\w])(?![ .\-_/]\d)"
)
_SSN = re.compile(r"(?<![\w\-/.])\d{3}([- ])\d{2}\1\d{4}(?![\w\-/]|[.]\d)")
_ID_AFTER = re.compile(
    r"(?i:\b(?:ssn|social\s+security(?:\s+number)?|sin|social\s+insurance(?:\s+number)?|passport(?:\s+number)?|"
    r"driver'?s?\s+licen[cs]e(?:\s+number)?|licen[cs]e\s+number|national\s+id(?:\s+number)?|id\s+number|"
    r"tax\s+id|tin|nino|national\s+insurance(?:\s+number)?)\b)(?:\s*(?i:no\.?|number|#|is|:|-))*\s*"
    r"([A-Z]{0,2}\d[\dA-Z -]{4,14}[\dA-Z])(?![\w])"
)
_NINO = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
_PHONE_RUN = re.compile(r"(?<![\w+/.\-])(?<!\d[ .\-])(?:(\+|\b00)\s?)?\(?\d{1,15}\)?(?:[ .\-]{1,3}\(?\d{1,12}\)?){0,6}(?![\w])(?![ .\-]\d)")
_PHONE_WORDS = re.compile(r"(?i)\b(?:call|phone|mobile|cell|tel|telephone|whatsapp|sms|text\s+me|reach\s+me|contact\s+me|"
                          r"fax|landline|ring\s+me|(?:my|your|contact|home|work|daytime)\s+(?:number|no\.?|#))\b")
_STREET = (r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Crescent|"
           r"Cres|Close|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Square|Sq|Trail|Trl|Row|Alley|Route|Rte|Grove|Gardens|Mews")
_UNIT = r"(?:Apt|Apartment|Unit|Suite|Ste|Flat|Fl|Floor|#)\.?\s*#?\s*[A-Za-z0-9-]{1,6}"
_ZIP_OR_POSTAL = r"(?:\d{5}(?:-\d{4})?|[A-Za-z]\d[A-Za-z]\s?\d[A-Za-z]\d)"
_ADDRESS = re.compile(
    rf"(?<![\w.,\-])(?:{_UNIT},?\s+)?\d{{1,6}}[A-Za-z]?(?:-\d{{1,5}})?,?\s+"
    rf"(?P<name>(?:[A-Za-z0-9][\w'.-]*\s+){{1,4}}?)(?P<suffix>(?i:{_STREET}))\b\.?"
    rf"(?:,?\s*{_UNIT})?"
    rf"(?:,\s*[A-Z][A-Za-z.'-]*(?:\s[A-Z][A-Za-z.'-]*){{0,2}},?\s*(?:[A-Z]{{2}}(?:,?\s*{_ZIP_OR_POSTAL})?|{_ZIP_OR_POSTAL})(?![\w]))?"
)
# A street name is written with capitals ("12 Oak Lane"); lower case counts only before a spelled-out
# street word, and never when it is an ordinary word ("order 10023 is on the way").
_FULL_STREET_WORD = {"street", "avenue", "road", "boulevard", "lane", "drive", "terrace", "crescent", "highway", "parkway"}
_COMMON_WORDS = set("a an the is are was were be been on of in to at for by from my your our their his her its this that "
                    "and or it i we you they me us them with all no not per each every more less than way item items "
                    "pair pairs box boxes days day hours hour minutes weeks times x".split())
_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d\b|"
                       r"\b[a-ceghj-nprstvxy]\d[a-ceghj-nprstv-z]\s?\d[a-ceghj-nprstv-z]\d\b|"
                       r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")
_ZIP_AFTER = re.compile(r"(?i:\b(?:zip|zip\s*code|postcode|post\s*code|postal\s*code)\b)(?:\s*(?i:is|:|-))*\s*"
                        r"(\d{5}(?:-\d{4})?)(?![\w-])")
# Patterns led by a keyword: only their value (group 1) is masked or kept, the words around it stay.
_VALUE_PATTERNS = {_DIGIT_SECRET, _EXPIRY, _PASSWORD, _ID_AFTER, _ZIP_AFTER, _TRACKING_AFTER, _ORDER_AFTER, _MODEL_AFTER}
_TRAILING = ".,!?;:)]}"  # punctuation after a typed password belongs to the sentence


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str

    def text(self, source: str) -> str:
        return source[self.start:self.end]


def _luhn_ok(digits: str) -> bool:
    total, double = 0, False
    for ch in reversed(digits):
        d = int(ch)
        if double:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
        double = not double
    return total % 10 == 0


def _kept_spans(text: str, public: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Spans nothing may mask: tracking and order numbers, model numbers, dates, times, prices, and `public` (the
    store's own published phone and email: no customer's data)."""
    keep = [m.span() for value in public if value for m in re.finditer(re.escape(value), text)]
    for pattern in _KEEP:
        for m in pattern.finditer(text):
            value = m.group(1) if pattern in _VALUE_PATTERNS else m.group()
            if pattern is _ORDER_AFTER and 13 <= len(value) <= 19 and _luhn_ok(value):
                continue  # "order 4242424242424242" is a card number wherever it is typed
            keep.append(m.span(1 if pattern in _VALUE_PATTERNS else 0))
    return keep


def _is_phone(text: str, match: re.Match) -> bool:
    run = match.group()
    digits = re.sub(r"\D", "", run)
    groups = re.findall(r"\d+", run)
    n = len(digits)
    if match.group(1):  # +44 ..., 0044 ...
        return 8 <= n - (2 if match.group(1) == "00" else 0) <= 15
    if n < 7 or n > 15:
        return False
    if n in (10, 11):
        return True
    if n == 7 and [len(g) for g in groups] == [3, 4] and groups[0][0] in "23456789":
        return True  # 555-0199
    return bool(_PHONE_WORDS.search(text[max(0, match.start() - 30):match.start()]))


def _address_ok(match: re.Match) -> bool:
    words, suffix = match.group("name").split(), match.group("suffix").lower()
    if any(w.lower() in _COMMON_WORDS for w in words):
        return False
    if any(w.endswith(".") and len(w) > 4 for w in words):
        return False  # "... more 4G base stations. Chayuan Road": a sentence ended in between
    capitalised = all(w[0].isupper() or w[0].isdigit() for w in words)
    if not capitalised and suffix not in _FULL_STREET_WORD:
        return False
    return bool(words)


def _value_spans(pattern: re.Pattern, text: str, kind: str, check=None) -> list[Span]:
    """Matches as spans: the value group only for patterns led by a keyword ("pin 4821" -> "4821"). A match the
    check rejects is retried one character on ("10012 goes to 9 Birch Crescent" -> "9 Birch Crescent")."""
    group = 1 if pattern in _VALUE_PATTERNS else 0
    spans, pos = [], 0
    while (m := pattern.search(text, pos)) is not None:
        if check is None or check(m):
            spans.append(Span(*m.span(group), kind))
            pos = max(m.end(), m.start() + 1)
        else:
            pos = m.start() + 1
    return spans


def _password_ok(m: re.Match) -> bool:
    value = m.group(1) or m.group(2)
    if value[0] in "\"'":
        return len(value) > 2
    bare = value.rstrip(_TRAILING)
    if len(bare) < 4 or bare.lower() in _NOT_A_PASSWORD:
        return False
    # "the password is modified / expiring / easily guessed": an ordinary word, not a password
    return not (bare.isalpha() and bare.islower() and bare.endswith(("ed", "ing", "ly")))


def find_pii(text: str, public: tuple[str, ...] = ()) -> list[Span]:
    """Every piece of personal data in `text`, as non-overlapping spans in text order (`public`: strings that are
    no one's personal data, such as the store's support phone and email, never found)."""
    keep = _kept_spans(text, public)
    found: list[Span] = []

    def take(spans: list[Span]) -> None:
        for span in spans:
            if span.end <= span.start:
                continue
            if any(span.start < e and s < span.end for s, e in keep):
                continue
            if any(span.start < other.end and other.start < span.end for other in found):
                continue
            found.append(span)

    take(_value_spans(EMAIL, text, "email"))
    if re.search(r"[(\[]\s*at\s*[)\]]", text, re.IGNORECASE):  # cheap test first: the full pattern is slow on long runs
        take(_value_spans(_EMAIL_SPELLED, text, "email"))
    take(_value_spans(_DIGIT_SECRET, text, "secret"))
    take(_value_spans(_EXPIRY, text, "secret"))
    take(_password_spans(text))
    take(_value_spans(_IBAN, text, "iban", lambda m: 15 <= len(re.sub(r"[ -]", "", m.group())) <= 34))
    take(_value_spans(_CARD, text, "card"))
    take(_value_spans(_ID_AFTER, text, "id"))
    take(_value_spans(_SSN, text, "id"))
    take(_value_spans(_NINO, text, "id"))
    take(_value_spans(_ADDRESS, text, "address", _address_ok))
    take(_value_spans(_PHONE_RUN, text, "phone", lambda m: _is_phone(text, m)))
    take(_value_spans(_POSTCODE, text, "postcode"))
    take(_value_spans(_ZIP_AFTER, text, "postcode"))
    return sorted(found, key=lambda s: s.start)


def _password_spans(text: str) -> list[Span]:
    out = []
    for m in _PASSWORD.finditer(text):
        if not _password_ok(m):
            continue
        group = 1 if m.group(1) is not None else 2
        start, end = m.span(group)
        value = m.group(group)
        if not value.startswith(("\"", "'")):
            end -= len(value) - len(value.rstrip(_TRAILING))  # "my password is hunter2." keeps the full stop
        out.append(Span(start, end, "secret"))
    return out


def mask_pii(text: str, public: tuple[str, ...] = ()) -> str:
    """Replace every piece of personal data with its kind in brackets: '[email]', '[card]', '[phone]', ...
    Strings in `public` (the store's own published contact details) stay as they are."""
    if not text:
        return text
    out, last = [], 0
    for span in find_pii(text, public):
        out.append(text[last:span.start])
        out.append(f"[{span.kind}]")
        last = span.end
    out.append(text[last:])
    return "".join(out)
