"""Minimum pay in the ways people write it: "300k", "₦300,000", "$2k/month", "2.5m p.a".

Rules, in order:
- a number is pay when it carries a currency, a multiplier (k, m, million) or is large
  (10,000 and up, or 1,000 and up written with a comma or next to a pay word);
- "200k-300k", "between 200k and 300k", "200 to 300k": the lower end, with the unit of
  the upper end when the lower one has none;
- a period next to the amount ("a month", "/yr", "p.a", "monthly salary of") wins;
  without one, pay is monthly, except amounts too large to be a month's pay;
- without a currency, pay is in naira;
- an amount said to be current pay ("I earn 150k now but want 250k") gives way to the
  others; among the rest, the last one wins, so corrections ("300k, sorry 350k") stick.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from aremu.domain.preferences import Currency, Money, Period

_CURRENCIES: dict[str, Currency] = {
    "₦": "NGN", "n": "NGN", "ngn": "NGN", "naira": "NGN",
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "kes": "KES", "ksh": "KES", "kshs": "KES", "shilling": "KES", "shillings": "KES",
    "ghs": "GHS", "gh₵": "GHS", "ghc": "GHS", "₵": "GHS", "cedi": "GHS", "cedis": "GHS",
    "r": "ZAR", "zar": "ZAR", "rand": "ZAR",
    "aed": "AED", "dirham": "AED", "dirhams": "AED",
    "cad": "CAD", "c$": "CAD",
}  # fmt: skip
_MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal(1_000), "thousand": Decimal(1_000), "grand": Decimal(1_000),
    "m": Decimal(1_000_000), "mil": Decimal(1_000_000), "mill": Decimal(1_000_000),
    "million": Decimal(1_000_000), "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}  # fmt: skip
# Above this, an amount with no period is a year's pay, not a month's.
_YEARLY_FROM: dict[str, Decimal] = {"NGN": Decimal(5_000_000), "KES": Decimal(1_500_000)}
_YEARLY_FROM_DEFAULT = Decimal(20_000)

_PREFIX = (
    r"(?P<pre>ngn|naira|₦|us\$|usd|\$|gbp|£|eur|€|kshs|ksh|kes|ghs|gh₵|ghc|₵|zar|aed|cad|c\$"
    r"|(?<![a-z0-9])n(?=\s?\d)|(?<![a-z0-9])r(?=\s?\d))"
)
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?=\D|$)|\d+(?:\.\d+)?)"
_MULTIPLIER = (
    r"(?:\s*(?P<multw>million|mill|mil|thousand|grand|billion|bn)(?![a-z])"
    r"|(?P<mult>[km])(?![a-z]))"
)
_SUFFIX = (
    r"(?:\s*(?P<suf>naira|ngn|dollars?|usd|pounds?|gbp|euros?|eur|cedis?|ghs|shillings?|kes"
    r"|ksh|rand|zar|dirhams?|aed|cad)(?![a-z]))"
)
_AMOUNT = re.compile(rf"(?<![\w.,])(?:{_PREFIX}\s?)?{_NUMBER}{_MULTIPLIER}?{_SUFFIX}?(?![\w])")
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|and|/|or|~)\s*")
_NOT_PAY_AFTER = re.compile(
    r"\s*\+?\s*(?:%|percent|years?|yrs?|yr|months?|mths?|weeks?|days?|hours?|hrs?|old|people"
    r"|staff|followers|students|pupils|units)\b"
)
_PAY_WORDS = re.compile(
    r"\b(?:salary|pay|paid|earn|earning|want|expect|expecting|expectation|minimum|min|at least"
    r"|budget|from|rate|offer|take home|package|remuneration|income|amount)\b"
)
_PERIOD_WORDS = (
    r"(?P<p>monthly|months?|mnths?|mths?|mth|mo|annum|annually|yearly|years?|yr|p\.?\s?a\.?|pa"
    r"|p\.?\s?m\.?|p/m|pm|weekly|weeks?|wk|daily|days?|hourly|hours?|hr)"
)
_PERIOD_AFTER = re.compile(
    r"\s*(?:(?:net|gross|take[- ]home|minimum|min|or more|and above|upwards?|\+|naira|salary"
    r"|pay)\s*)*(?:(?:/|per|a|an|every|each|in a)\s*)?" + _PERIOD_WORDS + r"(?![a-z])"
)
_PERIOD_BEFORE = re.compile(
    r"(?<!\d)(?<!\d\s)\b(?P<p>monthly|month|annual|annually|yearly|year|annum|weekly|daily|hourly|hour)"
    r"\s*(?:salary|pay|income|budget|rate|earnings?|take[- ]home|expectation)?\s*"
    r"(?:of|is|:|=|-|around|about|at least|minimum|from)?\s*$"
)
_PERIODS: dict[str, Period] = {
    "monthly": "month", "month": "month", "months": "month", "mnth": "month", "mnths": "month",
    "mth": "month", "mths": "month", "mo": "month", "pm": "month", "p/m": "month",
    "annum": "year", "annually": "year", "annual": "year", "yearly": "year", "year": "year",
    "years": "year", "yr": "year", "pa": "year",
    "weekly": "week", "week": "week", "weeks": "week", "wk": "week",
    "daily": "day", "day": "day", "days": "day",
    "hourly": "hour", "hour": "hour", "hours": "hour", "hr": "hour",
}  # fmt: skip
_CURRENT = re.compile(
    r"\b(?:current(?:ly)?|present(?:ly)?|i earn|i'?m earning|earning|i make|i get paid|last"
    r"|previous|former|was (?:earning|paid|getting|on))\b"
)
_WANTED = re.compile(r"\b(?:want|expect\w*|looking for|need|minimum|at least|asking)\b")
_CURRENT_AFTER = re.compile(r"\s*(?:currently|at the moment|presently)\b")


@dataclass(frozen=True)
class _Amount:
    value: Decimal
    currency: Currency | None
    period: Period | None
    has_unit: bool  # a multiplier was written, so a range's other end can borrow it
    unit: Decimal
    is_pay: bool
    start: int
    end: int


def find_min_pay(text: str) -> Money | None:
    """The minimum pay a lowercase, digits-for-words message asks for, if any."""
    amounts = _amounts(text)
    if not amounts:
        return None
    wanted = [amount for amount, current in amounts if not current] or [a for a, _ in amounts]
    chosen = wanted[-1]
    currency: Currency = chosen.currency or "NGN"
    period = chosen.period or _default_period(chosen.value, currency)
    try:
        whole = chosen.value == chosen.value.to_integral_value()
        amount = chosen.value.quantize(Decimal(1) if whole else Decimal("0.01"))
        return Money(amount=amount, currency=currency, period=period)
    except (ValueError, InvalidOperation):
        return None


def _amounts(text: str) -> list[tuple[_Amount, bool]]:
    found: list[tuple[_Amount, bool]] = []
    position = 0
    while (match := _AMOUNT.search(text, position)) is not None:
        position = match.end()
        amount = _read(match, text)
        if amount is None:
            continue
        upper = _range_end(text, amount)
        if upper is not None and upper.is_pay:
            amount = _join_range(amount, upper)
            position = upper.end
        elif not amount.is_pay:
            continue
        found.append((amount, _is_current(text, amount)))
    return found


def _read(match: re.Match[str], text: str) -> _Amount | None:
    raw = match.group("num").replace(",", "").replace(" ", "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    marker = match.group("pre") or match.group("suf")
    unit_word = match.group("mult") or match.group("multw")
    unit = _MULTIPLIERS[unit_word] if unit_word else Decimal(1)
    period = _period_after(text, match.end()) or _period_before(text, match.start())
    return _Amount(
        value=number * unit,
        currency=_CURRENCIES.get(marker.strip()) if marker else None,
        period=period,
        has_unit=unit_word is not None,
        unit=unit,
        is_pay=bool(marker or unit_word) or _plain_number_is_pay(match, text, number),
        start=match.start(),
        end=match.end(),
    )


def _plain_number_is_pay(match: re.Match[str], text: str, number: Decimal) -> bool:
    digits = match.group("num")
    if _NOT_PAY_AFTER.match(text, match.end()):
        return False
    if len(digits.replace(",", "")) >= 10 or digits.startswith("0"):
        return False  # phone numbers, ids
    if number >= 10_000:
        return True
    if number < 1_000 or ("," not in digits and 1950 <= number < 2040):
        return False  # small counts, and years such as "called to bar 2019"
    pay_word_before = _PAY_WORDS.search(text[max(0, match.start() - 30) : match.start()])
    return "," in digits or pay_word_before is not None


def _range_end(text: str, lower: _Amount) -> _Amount | None:
    join = _RANGE_JOIN.match(text, lower.end)
    if join is None:
        return None
    match = _AMOUNT.match(text, join.end())
    return _read(match, text) if match else None


def _join_range(lower: _Amount, upper: _Amount) -> _Amount:
    value = lower.value
    if not lower.has_unit and upper.has_unit and lower.value * upper.unit <= upper.value:
        value = lower.value * upper.unit
    return _Amount(
        value=min(value, upper.value),
        currency=lower.currency or upper.currency,
        period=lower.period or upper.period,
        has_unit=True,
        unit=upper.unit,
        is_pay=True,
        start=lower.start,
        end=upper.end,
    )


def _period_after(text: str, end: int) -> Period | None:
    match = _PERIOD_AFTER.match(text, end)
    if match is None:
        return None
    word = re.sub(r"[\s.]", "", match.group("p"))
    return _PERIODS.get(word)


def _period_before(text: str, start: int) -> Period | None:
    match = _PERIOD_BEFORE.search(text[max(0, start - 40) : start])
    return _PERIODS.get(match.group("p")) if match else None


def _is_current(text: str, amount: _Amount) -> bool:
    if _CURRENT_AFTER.match(text, amount.end):
        return True
    before = text[max(0, amount.start - 40) : amount.start]
    cues = [(m.end(), True) for m in _CURRENT.finditer(before)]
    cues += [(m.end(), False) for m in _WANTED.finditer(before)]
    return max(cues)[1] if cues else False


def _default_period(value: Decimal, currency: Currency) -> Period:
    return "year" if value >= _YEARLY_FROM.get(currency, _YEARLY_FROM_DEFAULT) else "month"
