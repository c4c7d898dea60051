"""Numbers written in words ("three years", "fifty thousand naira") rewritten as digits."""

from __future__ import annotations

import re

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_WORDS = "|".join(sorted([*_SMALL, *_SCALES], key=len, reverse=True))
_RUN = re.compile(
    rf"(?<![\w.])(?:\d+(?:\.\d+)?|{_WORDS})(?:(?:\s+|-)(?:and\s+)?(?:{_WORDS}))*(?!\w)"
)
_A_SCALE = re.compile(r"\ba (hundred|thousand|million)\b")
_HALF_MILLION = re.compile(r"\bhalf (?:a )?million\b")
_IDIOMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:a|one) decade\b"), "10 years"),
    (re.compile(r"\b(\d+) decades?\b"), r"\g<1>0 years"),
    (re.compile(r"\b(?:a|one) year and (?:a )?half\b"), "1.5 years"),
    (re.compile(r"\bhalf (?:a )?year\b"), "0.5 years"),
    (re.compile(r"\b(\d+)\s+and\s+(?:a\s+)?half\b"), r"\1.5"),
    (
        re.compile(r"\ba (year|month)\b(?=\s+(?:of\s+)?(?:experience|exp|working|work|in)\b)"),
        r"1 \1",
    ),
    (
        re.compile(
            r"\b(?:i have|i've|ive|got|with|for|about|just|only|over|almost) a (year|month)\b"
        ),
        r"1 \1",
    ),
)


def words_to_digits(text: str) -> str:
    """`text` (lowercase) with spelled-out numbers as digits; everything else kept."""
    text = _HALF_MILLION.sub("500000", text)
    text = _A_SCALE.sub(r"1 \1", text)
    text = _RUN.sub(_replace_run, text)
    for pattern, replacement in _IDIOMS:
        text = pattern.sub(replacement, text)
    return text


def _replace_run(match: re.Match[str]) -> str:
    words = [word for word in re.split(r"[\s-]+", match.group()) if word and word != "and"]
    if all(word[0].isdigit() for word in words) or words[0] in _SCALES:
        return match.group()
    total = 0.0
    current = 0.0
    for word in words:
        if word[0].isdigit():
            current += float(word)
        elif word in _SMALL:
            current += _SMALL[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _SCALES[word]
            current = 0
    value = total + current
    return f"{value:g}" if value != int(value) else str(int(value))
