"""Who may act on Aremu from Slack: anyone acting in the recruiters' channel, or a member of
the recruiters' user group anywhere else.

Group membership costs a `usergroups.users.list` call, so it is cached per container for a
short time: a recruiter removed from the group loses access within `ttl_seconds`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from aremu.channels.slack.web_api import SlackCallFailed
from aremu.observability import logger

DEFAULT_TTL_SECONDS = 60.0


class GroupDirectory(Protocol):
    def user_group_members(self, user_group: str) -> frozenset[str]: ...


class RecruiterPolicy:
    def __init__(
        self,
        directory: GroupDirectory,
        *,
        channel: str,
        user_group: str,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._directory = directory
        self._channel = channel
        self._user_group = user_group
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._members: frozenset[str] = frozenset()
        self._fetched_at: float | None = None

    def may_act(self, user_id: str, channel_id: str | None) -> bool:
        if self._channel and channel_id == self._channel:
            return True
        return bool(self._user_group) and user_id in self._group_members()

    def _group_members(self) -> frozenset[str]:
        with self._lock:
            now = self._monotonic()
            if self._fetched_at is not None and now - self._fetched_at < self._ttl:
                return self._members
            try:
                self._members = self._directory.user_group_members(self._user_group)
            except SlackCallFailed as error:
                # Refusing is the safe side: a recruiter can retry, a stranger must not pass.
                logger.warning("recruiter group unavailable", extra={"error": error.error})
                return self._members if self._fetched_at is not None else frozenset()
            self._fetched_at = now
            return self._members
