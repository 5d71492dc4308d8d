"""Grounding: is every checkable fact in a generated reply backed by a source?

A claim is a fact a reply states by value. Each is reduced to a key of its kind:

    amount    $1,234.50, 75 dollars, EUR 20                  -> ("amount", 1234.5)
    duration  30 days, 30-day, two weeks, 24 hours           -> ("duration", 30, "day")
              3-5 business days, 1 to 2 weeks                -> ("duration", (3, 5), "day")  (or both ends)
    percent   10%, 10 percent                                -> ("percent", 10.0)
    date      2026-03-12, March 12(th)(, 2026), 12 March 2026, 3/12/2026 -> ("date", 3, 12, 2026)
    time      8am, 6:30 pm                                   -> ("time", 18, 30)
    id        order #10001, any 5+ digit number, a tracking code of letters and digits -> ("id", "10001")
    email     support@northwind-threads.example              -> ("email", "support@...")

Words are not facts: "a few days", "a couple of weeks", "soon", "a day" are no claims. Business, working and
calendar days are all days; no unit is converted into another (24 hours does not ground "1 day").

Sources: the store (its settings dict and its knowledge base's reviewed texts, precomputed once), the order this
customer proved, the catalogue product in view, and the customer's own messages in this conversation (and the
slots read from them). A claim is grounded when some source states the same key: an amount only by an amount,
a day count only by the same count of days, a date only by the same date. Structured records are read by field:
`return_window_days: 30` is ("duration", 30, "day"), `total: "74.95"` is ("amount", 74.95), never both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from bot.pii import EMAIL

Key = tuple


@dataclass(frozen=True)
class Claim:
    kind: str  # amount, duration, percent, date, time, id, email
    text: str  # as written in the reply
    options: tuple[tuple[Key, ...], ...]  # grounded if every key of any one option is in the sources

    def grounded(self, *sources: set) -> bool:
        """Some option has every key in one of the source sets (kept apart: no union per reply)."""
        return any(all(any(key in keys for keys in sources) for key in option) for option in self.options)


# -- numbers written as words ---------------------------------------------------------------------------
_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
         "seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORDS = {w: i + 1 for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_WORD = (r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_UNITS[:9]) + r"))?|"
         + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")")
_NUM = r"(\d+(?:\.\d+)?|" + _WORD + r")"


def _value(word: str) -> float:
    word = word.lower()
    if word[0].isdigit():
        return _clean(float(word))
    tens, _, unit = word.replace(" ", "-").partition("-")
    return WORDS[tens] + (WORDS[unit] if unit else 0)


def _clean(x: float):
    """2.0 -> 2, 2.5 -> 2.5: one spelling per value."""
    x = round(x, 2)
    return int(x) if x == int(x) else x


# -- patterns, in the order they claim their span -------------------------------------------------------
_MONTHS = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(\d{4}))?"
_UNIT = r"(minute|min|hour|hr|day|week|month|year|yr)s?"
_UNIT_NAMES = {"minute": "minute", "min": "minute", "hour": "hour", "hr": "hour", "day": "day", "week": "week",
               "month": "month", "year": "year", "yr": "year"}
_KIND = r"(?:business\s+|working\s+|calendar\s+|more\s+|extra\s+|additional\s+|full\s+)?"
_CURRENCY = r"(?:[$€£]|\b(?:usd|eur|gbp|us\$|cad|c\$)\s?)"

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\b" + _YEAR, re.IGNORECASE)
_DAY_MONTH = re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b" + _YEAR, re.IGNORECASE)
_SLASH = re.compile(r"\b(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})\b")  # a year is required: "24/7" is no date
_AMOUNT = re.compile(_CURRENCY + r"\s?(\d[\d,]*(?:\.\d+)?)|\b(\d[\d,]*(?:\.\d+)?)\s?"
                     r"(?:dollars?|usd|eur|euros?|gbp|bucks)\b", re.IGNORECASE)
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s?(am|pm|a\.m\.|p\.m\.)(?!\w)", re.IGNORECASE)
_RANGE = re.compile(r"\b" + _NUM + r"(?:(?<=\d)\s*[-–]\s*|\s+(?:to|or)\s+)" + _NUM + r"[\s-]+" + _KIND + _UNIT + r"\b", re.IGNORECASE)
_DURATION = re.compile(r"\b" + _NUM + r"[\s-]+" + _KIND + _UNIT + r"\b", re.IGNORECASE)
_ORDER_REF = re.compile(r"\b(?:order|tracking|reference|ref|case|ticket|invoice)\b(?:\s+(?:number|no\.?|id|code))?"
                        r"\s*(?:is\s+)?[:#]?\s*#?\s*([A-Z0-9]*\d[A-Z0-9-]{2,})\b", re.IGNORECASE)
_HASH_ID = re.compile(r"#\s?([A-Z0-9]*\d[A-Z0-9-]{2,})\b", re.IGNORECASE)
_CODE = re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,}\b")  # tracking codes: JD1214..., 1Z999...
_LONG_NUMBER = re.compile(r"(?<![\d.,])\d{5,}(?![\d])")
_BARE_DECIMAL = re.compile(r"(?<![\d.,$€£])\d+\.\d{2}(?![\d])")  # sources only: "charged 42.10" is an amount


def _number(text: str):
    return _clean(float(text.replace(",", "")))


def _id(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _date_keys(month: int, day: int, year: int | None) -> tuple[tuple[Key, ...], ...] | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is None:
        return ((("date", month, day, None),),)
    return ((("date", month, day, year),), (("date", month, day, "any year"),))


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _dates(m: re.Match, pattern: re.Pattern):
    if pattern is _ISO:
        return _date_keys(int(m.group(2)), int(m.group(3)), int(m.group(1)))
    if pattern is _MONTH_DAY:
        return _date_keys(_MONTHS[m.group(1)[:3].lower()], int(m.group(2)), _year(m.group(3)))
    if pattern is _DAY_MONTH:
        return _date_keys(_MONTHS[m.group(2)[:3].lower()], int(m.group(1)), _year(m.group(3)))
    a, b, year = int(m.group(1)), int(m.group(3)), _year(m.group(4))  # US order first, then day/month
    options = (_date_keys(a, b, year) or ()) + ((_date_keys(b, a, year) or ()) if a != b else ())
    return options or None


def _claim(kind: str, m: re.Match, pattern: re.Pattern):
    """The ways this match can be grounded, or None if it is no claim after all (a 13th month)."""
    if kind == "date":
        return _dates(m, pattern)
    if kind == "amount":
        return ((("amount", _number(m.group(1) or m.group(2))),),)
    if kind == "percent":
        return ((("percent", _number(m.group(1))),),)
    if kind == "time":
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not (1 <= hour <= 12 and minute < 60):
            return None
        hour = hour % 12 + (12 if m.group(3).lower().startswith("p") else 0)
        return ((("time", hour, minute),),)
    if kind == "range":
        lo, hi, unit = _value(m.group(1)), _value(m.group(2)), _UNIT_NAMES[m.group(3).lower()]
        return ((("duration", (lo, hi), unit),), (("duration", lo, unit), ("duration", hi, unit)))
    if kind == "duration":
        return ((("duration", _value(m.group(1)), _UNIT_NAMES[m.group(2).lower()]),),)
    if kind == "email":
        return ((("email", m.group(0).lower()),),)
    if kind == "id":
        return ((("id", _id(m.group(m.lastindex or 0))),),)
    raise ValueError(kind)


_PATTERNS = (("email", EMAIL), ("date", _ISO), ("date", _MONTH_DAY), ("date", _DAY_MONTH), ("date", _SLASH),
             ("amount", _AMOUNT), ("percent", _PERCENT), ("time", _TIME), ("range", _RANGE),
             ("duration", _DURATION), ("id", _ORDER_REF), ("id", _HASH_ID), ("id", _CODE), ("id", _LONG_NUMBER))


def claims(text: str) -> list[Claim]:
    """Every checkable fact the text states, in the order of the patterns above; a span is claimed once."""
    found, taken = [], []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(s < end and start < e for s, e in taken):
                continue
            options = _claim(kind, m, pattern)
            if options is None:
                continue
            taken.append((start, end))
            found.append(Claim("duration" if kind == "range" else kind, m.group(0), options))
    return found


def facts(text: str) -> set:
    """What a source text grounds: its claims' keys, both ends of its ranges, its digit runs and codes as ids,
    and (sources only) a bare "42.10" as an amount."""
    keys: set = set()
    for claim in claims(text):
        for option in claim.options:
            for key in option:
                if key[0] != "date":
                    keys.add(key)
                elif key[3] == "any year":  # a dated source also grounds the same day said without a year
                    keys.add(key[:3] + (None,))
                elif key[3] is None:  # a day named without a year grounds it in any year
                    keys.update({key, key[:3] + ("any year",)})
                else:
                    keys.add(key)
    keys.update(("id", run) for run in re.findall(r"\d{3,}", text))
    keys.update(("id", _id(code)) for code in re.findall(r"\b[A-Za-z0-9-]*\d[A-Za-z0-9-]*\b", text) if len(code) >= 3)
    keys.update(("amount", _number(d)) for d in _BARE_DECIMAL.findall(text))
    return keys


_NAME_UNIT = re.compile(r"_(minute|hour|day|week|month|year)s?$")
_NAME_MONEY = re.compile(r"total|price|amount|fee|cost|threshold|refund|subtotal|balance|charge")


def record_facts(record: dict | None) -> set:
    """What a structured record grounds (store settings, an order, a product), read field by field: a number's
    kind comes from its field's name (`*_days`: a day count; `total`, `price`, `*_fee`: an amount)."""
    keys: set = set()
    for name, value in (record or {}).items():
        if value is None or value == "" or isinstance(value, bool):
            continue
        text = str(value).strip()
        keys |= facts(text)
        keys.add(("id", _id(text)))
        keys.add(("email", text.lower()))
        try:
            number = _number(text.lstrip("$€£"))
        except ValueError:
            continue
        unit = _NAME_UNIT.search(str(name))
        if unit:
            keys.add(("duration", number, unit.group(1)))
        elif _NAME_MONEY.search(str(name)):
            keys.add(("amount", number))
    return keys


def text_facts(texts: Iterable[str]) -> set:
    keys: set = set()
    for text in texts:
        keys |= facts(text)
    return keys


def conversation_facts(state) -> set:
    """What this conversation grounds: the proven order, the product in view, the customer's own messages and the
    slots read from them. Memoised in the turn's cache (the tracker clears it for each new message)."""
    if state is None:
        return set()
    signature = (len(state.history), id(state.order), id(state.product), repr(sorted(state.slots.items(), key=str)))
    cached = state.cache.get("grounding_facts")
    if cached is not None and cached[0] == signature:
        return cached[1]
    keys = record_facts(state.order) | record_facts(state.product)
    keys |= text_facts(text for role, text in state.history if role == "customer")
    keys |= text_facts(str(v) for k, v in state.slots.items() if k != "said")
    state.cache["grounding_facts"] = (signature, keys)
    return keys


def ungrounded(text: str, *sources: set) -> list[Claim]:
    """The claims in `text` that no source states."""
    return [claim for claim in claims(text) if not claim.grounded(*sources)]
