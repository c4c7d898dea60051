"""Find known phrases in free text by whole words, longest first, with light typo tolerance.

Matching is on word tokens rather than one big regex alternation: a dictionary lookup per
word and phrase length keeps a 4,000-character message well under a millisecond per
vocabulary, where a regex of several hundred alternatives would try each at every offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_WORD = re.compile(r"[^\W_]+")
# Typo tolerance starts at this length: short words have too many real neighbours. A word
# alone must be longer still; inside a phrase, the phrase's other words confirm it
# ("customer sevice"), where alone "banking" would become "baking".
_FUZZY_MIN_LENGTH = 6
_FUZZY_MIN_LENGTH_ALONE = 8
_FUZZY_MAX_LENGTH = 30
# Edits in a word's first two and last two letters are not forgiven: real words differ
# there ("looking"/"cooking", "printing"/"painting", "developed"/"developer").
_FUZZY_PROTECTED_HEAD = 2
_FUZZY_PROTECTED_TAIL = 2


@dataclass(frozen=True, slots=True)
class Token:
    raw: str
    norm: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[T]):
    value: T
    first: int  # index of the first token
    last: int  # index one past the last token
    start: int  # character offsets in the text
    end: int


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.group(), m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text)
    ]


def phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(token.norm for token in tokenize(phrase))


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es" if not word.endswith("s") else word
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


class PhraseIndex(Generic[T]):
    """Leftmost-longest matching of phrases; a value of None blocks a phrase from matching.

    `exact_case` phrases match only as written ("IT", "HR"), because their lowercase
    spellings are everyday words ("it") or units ("/hr").
    """

    def __init__(
        self,
        phrases: Iterable[tuple[str, T | None]],
        exact_case: Iterable[tuple[str, T]] = (),
    ) -> None:
        self._by_key: dict[tuple[str, ...], T | None] = {}
        for phrase, value in phrases:
            key = phrase_key(phrase)
            if key:
                self._by_key.setdefault(key, value)
        self._exact: dict[tuple[str, ...], T] = {}
        for phrase, value in exact_case:
            self._exact.setdefault(tuple(token.raw for token in tokenize(phrase)), value)
        keys = list(self._by_key) + list(self._exact)
        self._longest = max((len(key) for key in keys), default=0)
        self._first_words = frozenset(key[0] for key in keys)
        self._words = frozenset(word for key in self._by_key for word in key)
        self._deletions: dict[str, str | None] = {}
        for word in self._words:
            if len(word) >= _FUZZY_MIN_LENGTH and word.isalpha():
                for variant in _deletions(word):
                    # Two words one edit apart from the same variant: ambiguous, never guess.
                    seen = self._deletions.get(variant, word)
                    self._deletions[variant] = word if seen == word else None
        self._corrections: dict[str, str] = {}

    def find(self, tokens: Sequence[Token]) -> list[PhraseMatch[T]]:
        norms = [token.norm for token in tokens]
        corrected = [self._correct(norm) for norm in norms]
        raws = [token.raw for token in tokens]
        matches: list[PhraseMatch[T]] = []
        index = 0
        while index < len(tokens):
            length, value = self._longest_at(norms, corrected, raws, index)
            if length == 0:
                index += 1
                continue
            if value is not None:
                end = index + length
                matches.append(
                    PhraseMatch(value, index, end, tokens[index].start, tokens[end - 1].end)
                )
            index += length
        return matches

    def values(self, text: str) -> list[T]:
        """Distinct values found in `text`, in order of first mention."""
        found: list[T] = []
        for match in self.find(tokenize(text)):
            if match.value not in found:
                found.append(match.value)
        return found

    def _longest_at(
        self, norms: list[str], corrected: list[str], raws: list[str], index: int
    ) -> tuple[int, T | None]:
        first = self._first_words
        if norms[index] not in first and corrected[index] not in first and raws[index] not in first:
            return 0, None
        for length in range(min(self._longest, len(norms) - index), 0, -1):
            end = index + length
            key = tuple(norms[index:end])
            if key in self._by_key:
                return length, self._by_key[key]
            exact = self._exact.get(tuple(raws[index:end]))
            if exact is not None:
                return length, exact
            fixed = tuple(corrected[index:end])
            if fixed != key and fixed in self._by_key and self._fix_allowed(key, fixed):
                return length, self._by_key[fixed]
        return 0, None

    @staticmethod
    def _fix_allowed(typed: tuple[str, ...], fixed: tuple[str, ...]) -> bool:
        if len(typed) == 1:
            return len(typed[0]) >= _FUZZY_MIN_LENGTH_ALONE
        return any(a == b for a, b in zip(typed, fixed, strict=True))

    def _correct(self, word: str) -> str:
        too_long = len(word) > _FUZZY_MAX_LENGTH
        if word in self._words or len(word) < _FUZZY_MIN_LENGTH or too_long or not word.isalpha():
            return word
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        candidates: set[str] = set()
        direct = self._deletions.get(word)  # a letter missing from the word
        if direct:
            candidates.add(direct)
        for variant in _deletions(word):
            if variant in self._words:  # an extra letter in the word
                candidates.add(variant)
            swapped = self._deletions.get(variant)  # a letter replaced or two swapped
            if swapped:
                candidates.add(swapped)
        corrected = candidates.pop() if len(candidates) == 1 else word
        if len(self._corrections) < 10_000:
            self._corrections[word] = corrected
        return corrected


def _deletions(word: str) -> list[str]:
    limit = len(word) - _FUZZY_PROTECTED_TAIL
    return [word[:i] + word[i + 1 :] for i in range(_FUZZY_PROTECTED_HEAD, limit)]
