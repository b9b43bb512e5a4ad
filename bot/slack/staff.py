"""Who counts as city staff on Slack: configured user ids, or members of a configured user group.

``SLACK_STAFF_USER_IDS`` lists user ids; ``SLACK_STAFF_USERGROUP`` names a user group by id
(``S…``) or by handle (``strategy-staff``). Group members are fetched with
``usergroups.users.list`` and cached for a minute. When Slack cannot be asked, only the listed ids
count (fail closed).
"""

from __future__ import annotations

import logging
import re
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("strategy_bot.slack.staff")

CACHE_SECONDS = 60.0
RETRY_SECONDS = 10.0


class StaffDirectory:
    def __init__(self, user_ids: list[str], usergroup: str | None, client: WebClient | None):
        self.user_ids = frozenset(user_ids)
        self.usergroup = usergroup.strip().lstrip("@") if usergroup else None
        self.client = client
        self._lock = threading.Lock()
        self._members: frozenset[str] = frozenset()
        self._fetched_at: float | None = None
        self._group_id: str | None = None

    def is_staff(self, user_id: str | None) -> bool:
        if not user_id:
            return False
        if user_id in self.user_ids:
            return True
        if not self.usergroup or self.client is None:
            return False
        return user_id in self._group_members()

    def _group_members(self) -> frozenset[str]:
        with self._lock:
            fresh = self._fetched_at is not None and time.monotonic() - self._fetched_at < CACHE_SECONDS
            if fresh:
                return self._members
            try:
                group_id = self._resolve_group()
                if group_id is None:
                    log.warning("the staff user group %r does not exist", self.usergroup)
                    members: frozenset[str] = frozenset()
                else:
                    assert self.client is not None
                    resp = self.client.usergroups_users_list(usergroup=group_id)
                    members = frozenset(resp.get("users") or [])
            except (SlackApiError, SlackClientError, OSError) as exc:
                log.warning(
                    "could not read the staff user group (%s); only listed staff ids count",
                    type(exc).__name__,
                )
                # keep the last known members and ask again in a few seconds rather than on every check
                self._fetched_at = time.monotonic() - CACHE_SECONDS + RETRY_SECONDS
                return self._members
            self._members = members
            self._fetched_at = time.monotonic()
            return members

    def _resolve_group(self) -> str | None:
        if self._group_id is not None:
            return self._group_id
        assert self.usergroup is not None and self.client is not None
        if re.fullmatch(r"S[A-Z0-9]{4,}", self.usergroup):
            self._group_id = self.usergroup
            return self._group_id
        resp = self.client.usergroups_list()
        for group in resp.get("usergroups") or []:
            if self.usergroup in {group.get("handle"), group.get("name")}:
                self._group_id = group.get("id")
                return self._group_id
        return None
