"""Posting text as JobSpy gives it (markdown with escaped punctuation) made plain."""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\+([\\`*_{}\[\]()#+\-.!&|>~])")
_BULLET = re.compile(r"^[ \t]*[*\-+][ \t]+", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_EMPHASIS = re.compile(r"\*{1,3}|_{2,3}|^#{1,6}\s*|^[=\-]{3,}\s*$", re.MULTILINE)
_BLANKS = re.compile(r"[ \t\u00a0]+")
_MANY_NEWLINES = re.compile(r"\n\s*\n(?:\s*\n)+")
URL = re.compile(r"https?://[^\s)>\]]+|www\.[^\s)>\]]+", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def plain_text(markdown: str) -> str:
    text = _ESCAPED.sub(r"\1", markdown)
    text = _LINK.sub(r"\1 \2", text)
    text = _BULLET.sub("• ", text)
    text = _EMPHASIS.sub("", text)
    text = _BLANKS.sub(" ", text)
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def without_contacts(text: str) -> str:
    """Text with addresses removed, so "hr@firm.com" or a URL path never reads as a skill."""
    return EMAIL.sub(" ", URL.sub(" ", text))


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"
