"""The channel-neutral core types: a ``Query`` comes in, a ``Reply`` goes out.

Channel adapters (LINE, Slack, the CLI, the reminder scheduler) translate to and from these and
nothing else; ``nlp`` and ``handlers`` never import ``bot``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nlp.normalize import without_lone_surrogates
from strategy_data.clock import JST, now_jst

Channel = Literal["line", "slack", "web", "cli", "scheduler", "test"]

ReplyKind = Literal[
    "glossary",  # a definition
    "kpi",  # one KPI's figures and status
    "kpi_list",  # several KPIs: a goal's, the ones behind target, all
    "policy",  # a goal / 施策 / item / leading project
    "overview",  # 基本的考え方, 推進・検証体制
    "committee",  # meetings, members, rules, public comment
    "help",  # what the bot can answer
    "greeting",
    "fallback",  # the bot does not know: suggestions and where to ask a person
    "out_of_scope",  # asked about something the strategy does not cover
    "clarify",  # a follow-up with nothing to follow: which one is meant?
    "staff",  # result of a staff command
    "error",  # a clear, polite error
]

KpiStatus = Literal["達成", "順調", "遅れ", "基準値のみ"]

MAX_TEXT = 1000
MAX_SUGGESTIONS = 13


class Query(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    channel: Channel = "cli"
    now: dt.datetime = Field(default_factory=now_jst)
    user_hash: str | None = None  # keyed hash of the platform user id; never the raw id
    is_staff: bool = False
    # the conversation this turn belongs to (``store.conversations.conversation_key``: channel, keyed
    # user hash, group or thread); follow-ups (「その目標は？」) are resolved against its topic
    conversation: str | None = None

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        return without_lone_surrogates(v)  # every channel's questions can be logged and stored

    @field_validator("now")
    @classmethod
    def _aware(cls, v: dt.datetime) -> dt.datetime:
        return v.replace(tzinfo=JST) if v.tzinfo is None else v.astimezone(JST)


class KpiFacts(BaseModel):
    """Structured figures of one KPI, for channels that render rich messages."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    short_name: str | None = None
    unit: str
    goal_id: str
    baseline_value: float
    baseline_year: int
    baseline_label: str
    target_value: float
    target_year: int
    target_label: str
    comparator: Literal["point", "at_least", "at_most"]
    direction: Literal["up", "down"]
    latest_value: float | None = None
    latest_year: int | None = None
    latest_origin: Literal["first_term", "staff"] | None = None
    progress: float | None = None  # share of the way from baseline to target (1.0 = reached)
    status: KpiStatus
    source: str


class Reply(BaseModel):
    kind: ReplyKind
    answered: bool  # true only when the reply states facts from the strategy data
    text: str = Field(max_length=MAX_TEXT)
    source: str | None = None  # heading path in the strategy
    suggestions: list[str] = Field(default_factory=list, max_length=MAX_SUGGESTIONS)
    kpis: list[KpiFacts] = Field(default_factory=list)  # one for a KPI answer, several for lists
    data: dict[str, Any] = Field(default_factory=dict)  # other structured facts (meetings, terms…)
    confidence: float | None = None

    def as_json(self) -> dict[str, Any]:
        """The ``strategy-bot ask --json`` contract."""
        return {
            "answered": self.answered,
            "kind": self.kind,
            "text": self.text,
            "source": self.source,
            "suggestions": list(self.suggestions),
        }
