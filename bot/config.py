"""Settings from environment variables (documented in .env.example). Secrets are never logged."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from strategy_data.database import default_db_path

DEFAULT_CONTACT = "熊本市 政策局総合政策部政策企画課"


def _split(value: str | None) -> list[str]:
    if not value:
        return []
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    db_path: Path = Field(default_factory=default_db_path)
    # the store of run-time state: PostgreSQL when set (postgresql://…), else SQLite in db_path
    database_url: SecretStr | None = None
    contact_text: str = DEFAULT_CONTACT
    conversation_ttl_minutes: float = Field(default=30.0, gt=0)  # how long a chat keeps its topic
    user_hash_key: SecretStr | None = None  # key for hashing user ids in logs and tables
    public_base_url: str | None = None  # https address of this server: chart images in LINE and Slack

    # LINE
    line_channel_secret: SecretStr | None = None
    line_channel_access_token: SecretStr | None = None
    line_api_base_url: str = "https://api.line.me"
    line_api_data_base_url: str = "https://api-data.line.me"  # blob uploads (the rich menu image)
    line_group_triggers: list[str] = Field(default_factory=lambda: ["熊本市bot", "戦略bot", "@戦略bot"])
    max_body_bytes: int = 256 * 1024
    line_worker_threads: int = 8  # inbox workers inside `serve`; 0: `strategy-bot worker` answers

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_staff_user_ids: list[str] = Field(default_factory=list)
    slack_staff_usergroup: str | None = None
    slack_reminder_channel: str | None = None

    # reminders
    reminder_offsets: list[str] = Field(default_factory=lambda: ["7d", "1d", "2h"])
    scheduler_enabled: bool = True

    @property
    def line_enabled(self) -> bool:
        return self.line_channel_secret is not None and self.line_channel_access_token is not None

    @property
    def slack_http_enabled(self) -> bool:
        return self.slack_signing_secret is not None and self.slack_bot_token is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = e.get(name, "").strip()
            return value or None

        values: dict[str, object] = {}
        simple = {
            "STRATEGY_BOT_DB": "db_path",
            "DATABASE_URL": "database_url",
            "LINE_WORKER_THREADS": "line_worker_threads",
            "STRATEGY_BOT_CONTACT": "contact_text",
            "CONVERSATION_TTL_MINUTES": "conversation_ttl_minutes",
            "USER_HASH_KEY": "user_hash_key",
            "LINE_CHANNEL_SECRET": "line_channel_secret",
            "LINE_CHANNEL_ACCESS_TOKEN": "line_channel_access_token",
            "LINE_API_BASE_URL": "line_api_base_url",
            "LINE_API_DATA_BASE_URL": "line_api_data_base_url",
            "PUBLIC_BASE_URL": "public_base_url",
            "SLACK_BOT_TOKEN": "slack_bot_token",
            "SLACK_APP_TOKEN": "slack_app_token",
            "SLACK_SIGNING_SECRET": "slack_signing_secret",
            "SLACK_API_URL": "slack_api_url",
            "SLACK_STAFF_USERGROUP": "slack_staff_usergroup",
            "SLACK_REMINDER_CHANNEL": "slack_reminder_channel",
            "MAX_BODY_BYTES": "max_body_bytes",
        }
        for env_name, field_name in simple.items():
            if (v := get(env_name)) is not None:
                values[field_name] = v
        lists = {
            "LINE_GROUP_TRIGGERS": "line_group_triggers",
            "SLACK_STAFF_USER_IDS": "slack_staff_user_ids",
            "REMINDER_OFFSETS": "reminder_offsets",
        }
        for env_name, field_name in lists.items():
            if (v := get(env_name)) is not None:
                values[field_name] = _split(v)
        if (v := get("SCHEDULER_ENABLED")) is not None:
            values["scheduler_enabled"] = v.lower() not in {"0", "false", "no", "off"}
        return cls.model_validate(values)
