"""Finding vocabulary phrases in long posting text by word n-grams.

A dictionary lookup per word (leftmost, longest phrase first) is several times faster than
a regex alternation of hundreds of phrases, which Python's engine tries at every offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Generic, TypeVar

V = TypeVar("V")

# Words, keeping the punctuation that belongs inside names ("c++", "c#", ".net", "node.js",
# "driver's"); "/" and "&" are tokens of their own, so "Word/Excel" holds "excel" while
# "ui/ux" and "oil & gas" still match as phrases. Hyphens separate words.
_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*[+#]*|[/&]|(?<![a-z0-9])\.[a-z]+")


def tokens(text: str) -> list[tuple[str, int]]:
    folded = text.lower().replace("’", "'")
    return [(match.group(0), match.start()) for match in _TOKEN.finditer(folded)]


class PhraseFinder(Generic[V]):
    """Every occurrence of known phrases; a one-word phrase ending in "*" is a prefix."""

    def __init__(self, phrases: Iterable[tuple[str, V]]) -> None:
        self._phrases: dict[tuple[str, ...], V] = {}
        prefixes: dict[str, V] = {}
        for phrase, value in phrases:
            if phrase.endswith("*") and " " not in phrase:
                prefixes.setdefault(phrase[:-1].lower(), value)
                continue
            words = tuple(word for word, _ in tokens(phrase))
            if words:
                self._phrases.setdefault(words, value)
        self._prefixes = prefixes
        self._prefix_tuple = tuple(sorted(prefixes, key=len, reverse=True))
        self._first_words = {words[0] for words in self._phrases}
        self._longest = max((len(words) for words in self._phrases), default=1)

    def find_all(self, text: str) -> list[tuple[V, int]]:
        found: list[tuple[V, int]] = []
        words = tokens(text)
        plain = [word for word, _ in words]
        index = 0
        while index < len(plain):
            word = plain[index]
            matched = 0
            if word in self._first_words:
                for length in range(min(self._longest, len(plain) - index), 0, -1):
                    value = self._phrases.get(tuple(plain[index : index + length]))
                    if value is not None:
                        found.append((value, words[index][1]))
                        matched = length
                        break
            if not matched and self._prefix_tuple and word.startswith(self._prefix_tuple):
                prefix = next(p for p in self._prefix_tuple if word.startswith(p))
                found.append((self._prefixes[prefix], words[index][1]))
            index += matched or 1
        return found
