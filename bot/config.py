"""Settings from environment variables and ``.env`` (documented in .env.example). Secrets are never
logged.

:meth:`Settings.from_env` reads the variables with pydantic-settings: the process environment first,
then ``.env`` in the current directory (or the file named by ``STRATEGY_BOT_ENV_FILE``; empty for
none). Empty values count as unset. A malformed value raises :class:`ConfigError`, which names the
variable and never shows the value; the command line turns it into one line and exit code 2.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, create_model, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from strategy_data.database import default_db_path

DEFAULT_CONTACT = "熊本市 政策局総合政策部政策企画課"
ENV_FILE_VARIABLE = "STRATEGY_BOT_ENV_FILE"

# environment variable -> Settings field
ENV_VARIABLES: dict[str, str] = {
    "STRATEGY_BOT_DB": "db_path",
    "DATABASE_URL": "database_url",
    "STRATEGY_BOT_CONTACT": "contact_text",
    "CONVERSATION_TTL_MINUTES": "conversation_ttl_minutes",
    "USER_HASH_KEY": "user_hash_key",
    "PUBLIC_BASE_URL": "public_base_url",
    "MAX_BODY_BYTES": "max_body_bytes",
    "LINE_CHANNEL_SECRET": "line_channel_secret",
    "LINE_CHANNEL_ACCESS_TOKEN": "line_channel_access_token",
    "LINE_API_BASE_URL": "line_api_base_url",
    "LINE_API_DATA_BASE_URL": "line_api_data_base_url",
    "LINE_WORKER_THREADS": "line_worker_threads",
    "LINE_GROUP_TRIGGERS": "line_group_triggers",
    "SLACK_BOT_TOKEN": "slack_bot_token",
    "SLACK_APP_TOKEN": "slack_app_token",
    "SLACK_SIGNING_SECRET": "slack_signing_secret",
    "SLACK_API_URL": "slack_api_url",
    "SLACK_STAFF_USER_IDS": "slack_staff_user_ids",
    "SLACK_STAFF_USERGROUP": "slack_staff_usergroup",
    "SLACK_REMINDER_CHANNEL": "slack_reminder_channel",
    "REMINDER_OFFSETS": "reminder_offsets",
    "SCHEDULER_ENABLED": "scheduler_enabled",
}
_FIELD_TO_VARIABLE = {field: name for name, field in ENV_VARIABLES.items()}
_LISTS = {"line_group_triggers", "slack_staff_user_ids", "reminder_offsets"}


class ConfigError(ValueError):
    """A malformed setting: ``variable`` names it; the message never contains its value."""

    def __init__(self, variable: str, problem: str):
        self.variable = variable
        self.problem = problem
        super().__init__(f"{variable}: {problem}")


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
    max_body_bytes: int = Field(256 * 1024, gt=0)
    line_worker_threads: int = Field(
        8, ge=0
    )  # inbox workers inside `serve`; 0: `strategy-bot worker` answers

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

    @field_validator("line_api_base_url", "line_api_data_base_url", "slack_api_url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return v

    @property
    def line_enabled(self) -> bool:
        return self.line_channel_secret is not None and self.line_channel_access_token is not None

    @property
    def slack_http_enabled(self) -> bool:
        return self.slack_signing_secret is not None and self.slack_bot_token is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """From ``env`` if given (nothing else is read), else from the environment and ``.env``."""
        raw = _raw_from(env) if env is not None else _raw_from_environment()
        values: dict[str, Any] = {}
        for name, field in ENV_VARIABLES.items():
            value = (raw.get(name) or "").strip()
            if value:
                values[field] = _split(value) if field in _LISTS else value
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = str(error["loc"][0]) if error["loc"] else ""
            variable = _FIELD_TO_VARIABLE.get(field, field)
            raise ConfigError(variable, error["msg"]) from None


def _raw_from(env: Mapping[str, str]) -> dict[str, str]:
    upper = {k.upper(): v for k, v in env.items()}
    return {name: upper[name] for name in ENV_VARIABLES if name in upper}


def _env_file() -> str | None:
    value = os.environ.get(ENV_FILE_VARIABLE)
    if value is None:
        return ".env"
    return value.strip() or None


class _Environment(BaseSettings):
    """The raw strings of our variables, from the environment, then the ``.env`` file."""

    model_config = SettingsConfigDict(
        extra="ignore", case_sensitive=False, env_ignore_empty=True, env_file_encoding="utf-8"
    )


# one plain ``str | None`` field per variable: every value reaches Settings as the string it was
_Raw = create_model(
    "_Raw", __base__=_Environment, **{name.lower(): (str | None, None) for name in ENV_VARIABLES}
)


def _raw_from_environment() -> dict[str, str]:
    raw = _Raw(_env_file=_env_file())  # type: ignore[call-arg]
    return {name: v for name in ENV_VARIABLES if (v := getattr(raw, name.lower())) is not None}


def apply_env_file() -> None:
    """Put the ``.env`` file's values into the process environment where a variable is not set yet,
    so that everything the command line starts (and ``STRATEGY_BOT_DB`` for every command) sees them."""
    for name, value in _raw_from_environment().items():
        os.environ.setdefault(name, value)
