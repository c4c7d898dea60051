"""Reading preferences out of free text: one interface, an offline and an AI implementation."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aremu.domain.preferences import PreferenceUpdate


@runtime_checkable
class PreferenceExtractor(Protocol):
    def extract(self, text: str) -> PreferenceUpdate:
        """What `text` says about the candidate's preferences; never raises."""
        ...


__all__ = ["PreferenceExtractor"]
