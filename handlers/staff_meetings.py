"""Staff meeting commands (``/meeting list|add|cancel``): parsed into models, answered as Replies.

Dates and times are Asia/Tokyo. ``/meeting add`` accepts what staff naturally type:
「2024-05-20 14:00」「2024/5/20 14時」「令和6年5月20日 午後2時」「5/20 14:30」 (the next 5/20).
Other modules may add sub-commands with :func:`register` (one line), e.g. ``invite``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Literal

import sqlite_utils
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from handlers.reply import Reply
from handlers.staff_kpi import error, split_args, staff
from strategy_data.clock import JST
from strategy_data.meetings import (
    MeetingInfo,
    MeetingNotFound,
    NewMeeting,
    add_meeting,
    cancel_meeting,
    get_meeting,
    list_meetings,
)

HELP_TEXT = (
    "検証委員会の会議を管理するコマンドです（時刻は日本時間）。\n"
    "・/meeting list … これからの会議（all で過去や取り消し済みも）\n"
    "・/meeting add <日付> <時刻> <場所> <議題> … 会議を登録（議題は ; で区切って複数）\n"
    "・/meeting add … 入力フォームを開く\n"
    "・/meeting cancel <ID> … 登録した会議を取り消す\n"
    "・/meeting invite <委員名> … 委員が LINE でリマインドを受け取るための招待コードを発行\n"
    "例: /meeting add 2024-05-20 14:00 市役所本庁舎14階会議室 KPIの進捗確認; 次期戦略について"
)

MAX_DAYS_AHEAD = 3 * 366


class MeetingList(BaseModel):
    model_config = ConfigDict(frozen=True)
    op: Literal["list"] = "list"
    everything: bool = False


class MeetingAdd(BaseModel):
    model_config = ConfigDict(frozen=True)
    op: Literal["add"] = "add"
    date: str
    time: str
    place: str
    agenda: str = ""


class MeetingAddForm(BaseModel):
    """``/meeting add`` with nothing after it: the channel opens a form."""

    model_config = ConfigDict(frozen=True)
    op: Literal["add_form"] = "add_form"


class MeetingCancel(BaseModel):
    model_config = ConfigDict(frozen=True)
    op: Literal["cancel"] = "cancel"
    id: int = Field(ge=1)


class MeetingOther(BaseModel):
    """A sub-command contributed by another module (see :func:`register`)."""

    model_config = ConfigDict(frozen=True)
    op: str
    args: list[str] = []


MeetingCommand = MeetingList | MeetingAdd | MeetingAddForm | MeetingCancel | MeetingOther

# name -> handler(db, args, by=..., now=...) -> Reply
SubcommandHandler = Callable[..., Reply]
_EXTRA: dict[str, SubcommandHandler] = {}


def register(name: str, handler: SubcommandHandler) -> None:
    """Add a ``/meeting <name> ...`` sub-command; ``handler(db, args, by=, now=) -> Reply``."""
    _EXTRA[name] = handler


_OPS = {
    "list": "list",
    "一覧": "list",
    "ls": "list",
    "add": "add",
    "追加": "add",
    "登録": "add",
    "cancel": "cancel",
    "取消": "cancel",
    "取り消し": "cancel",
    "中止": "cancel",
}


def parse_meeting_command(text: str) -> MeetingCommand | Reply:
    args = split_args(text)
    if not args or args[0].lower() in {"help", "ヘルプ", "?"}:
        return staff(HELP_TEXT)
    name = args[0].lower()
    rest = args[1:]
    if name in _EXTRA:
        return MeetingOther(op=name, args=rest)
    op = _OPS.get(name)
    if op is None:
        return error(f"「{args[0][:30]}」というコマンドはありません。\n{HELP_TEXT}")
    if op == "list":
        return MeetingList(everything=bool(rest) and rest[0].lower() in {"all", "全部", "すべて"})
    if op == "cancel":
        ident = re.sub(r"^(?:staff:|#|no\.?)", "", rest[0].lower()) if rest else ""
        if not ident.isdigit() or int(ident) < 1:
            return error(
                "取り消す会議のIDを数字で指定してください（/meeting list で確かめられます）。"
                "例: /meeting cancel 3"
            )
        return MeetingCancel(id=int(ident))
    if not rest:
        return MeetingAddForm()
    if len(rest) < 3:
        return error(
            "日付・時刻・場所が必要です。/meeting add <日付> <時刻> <場所> <議題> の順に入力してください。\n"
            "例: /meeting add 2024-05-20 14:00 市役所本庁舎14階会議室 KPIの進捗確認"
        )
    return MeetingAdd(date=rest[0], time=rest[1], place=rest[2], agenda=" ".join(rest[3:]))


# --- dates and times -----------------------------------------------------------------------------

_WEEKDAY = re.compile(r"[(（][月火水木金土日](?:曜日?)?[)）]$")


def parse_date(text: str, today: dt.date) -> dt.date:
    t = _WEEKDAY.sub("", unicodedata.normalize("NFKC", text).strip())
    year: int | None
    if m := re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", t):
        year, month, day = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"(?:令和|[Rr])\.?(\d{1,2}|元)[年.](\d{1,2})[月.](\d{1,2})日?", t):
        year = 2018 + (1 if m.group(1) == "元" else int(m.group(1)))
        month, day = int(m.group(2)), int(m.group(3))
    elif m := re.fullmatch(r"(\d{1,2})[/月](\d{1,2})日?", t):
        year, month, day = None, int(m.group(1)), int(m.group(2))
    else:
        raise ValueError(f"日付「{text[:20]}」が読めません（例: 2024-05-20、2024年5月20日、5/20）")
    try:
        if year is None:
            date = dt.date(today.year, month, day)
            return date if date >= today else dt.date(today.year + 1, month, day)
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"日付「{text[:20]}」はありません（月日を確かめてください）") from None


def parse_time(text: str) -> dt.time:
    t = unicodedata.normalize("NFKC", text).strip().removesuffix("から").removesuffix("〜").removesuffix("~")
    pm = t.startswith("午後")
    t = t.removeprefix("午後").removeprefix("午前")
    if m := re.fullmatch(r"(\d{1,2}):(\d{2})", t):
        hour, minute = int(m.group(1)), int(m.group(2))
    elif m := re.fullmatch(r"(\d{1,2})時(?:(\d{1,2})分|(半))?", t):
        hour = int(m.group(1))
        minute = 30 if m.group(3) else int(m.group(2) or 0)
    else:
        raise ValueError(f"時刻「{text[:20]}」が読めません（例: 14:00、14時30分、午後2時）")
    if pm and hour < 12:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"時刻「{text[:20]}」はありません")
    return dt.time(hour, minute)


def split_agenda(text: str) -> list[str]:
    return [a.strip() for a in re.split(r"[;；\n|｜]", text or "") if a.strip()]


class MeetingDraftError(ValueError):
    """Problems per field (``date``, ``time``, ``place``, ``agenda``), in Japanese."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


def draft_meeting(cmd: MeetingAdd, now: dt.datetime) -> NewMeeting:
    """Validate the typed fields into a :class:`NewMeeting`; raise :class:`MeetingDraftError`."""
    problems: dict[str, str] = {}
    date = time = None
    try:
        date = parse_date(cmd.date, now.astimezone(JST).date())
    except ValueError as exc:
        problems["date"] = str(exc)
    try:
        time = parse_time(cmd.time)
    except ValueError as exc:
        problems["time"] = str(exc)
    place = " ".join(cmd.place.split())
    if not place:
        problems["place"] = "場所を入力してください"
    elif len(place) > 200:
        problems["place"] = "場所は200文字以内で入力してください"
    agenda = split_agenda(cmd.agenda)
    if len(agenda) > 20:
        problems["agenda"] = "議題は20件までです"
    elif any(len(a) > 200 for a in agenda):
        problems["agenda"] = "議題は1件200文字以内で入力してください"
    if date and time:
        starts = dt.datetime.combine(date, time, tzinfo=JST)
        if starts <= now:
            problems["date"] = f"{_when(starts)}はもう過ぎています。これからの日時を入力してください"
        elif (starts - now).days > MAX_DAYS_AHEAD:
            problems["date"] = "3年より先の会議は登録できません。日付を確かめてください"
    if problems:
        raise MeetingDraftError(problems)
    assert date is not None and time is not None
    try:
        return NewMeeting(starts_at=dt.datetime.combine(date, time, tzinfo=JST), place=place, agenda=agenda)
    except ValidationError as exc:  # pragma: no cover - the checks above cover NewMeeting's rules
        raise MeetingDraftError({"place": exc.errors()[0]["msg"]}) from None


def _when(starts: dt.datetime) -> str:
    d = starts.astimezone(JST)
    return f"{d.year}年{d.month}月{d.day}日（{'月火水木金土日'[d.weekday()]}）{d.hour}:{d.minute:02d}"


# --- answering ------------------------------------------------------------------------------------

FIELD_NAMES = {"date": "日付", "time": "時刻", "place": "場所", "agenda": "議題"}


def describe(m: MeetingInfo) -> str:
    ident = f"［ID: {m.staff_id}］" if m.staff_id is not None else "［資料］"
    cancelled = "（取り消し）" if m.status == "cancelled" else ""
    agenda = "、".join(m.agenda) if m.agenda else "未定"
    return f"{m.title}{cancelled} {m.when_ja()} {m.place} 議題: {agenda} {ident}"


def meeting_data(m: MeetingInfo) -> dict[str, object]:
    return {
        "key": m.key,
        "id": m.staff_id,
        "title": m.title,
        "when": m.when_ja(),
        "starts_at": m.starts_at.isoformat(),
        "place": m.place,
        "agenda": list(m.agenda),
        "status": m.status,
        "origin": m.origin,
    }


def handle_list(db: sqlite_utils.Database, cmd: MeetingList, now: dt.datetime) -> Reply:
    meetings = list_meetings(db, include_cancelled=cmd.everything)
    upcoming = [m for m in meetings if m.starts_at > now]
    past = [m for m in meetings if m.starts_at <= now]
    shown = meetings if cmd.everything else upcoming
    lines = ["これからの会議:" if not cmd.everything else "すべての会議:"]
    if shown:
        lines += [f"・{describe(m)}" for m in shown]
    else:
        lines.append("・予定されている会議はありません（/meeting add で登録できます）")
    if not cmd.everything and past:
        lines.append(f"直近の会議: {describe(past[-1])}")
    return Reply(
        kind="staff",
        answered=True,
        text=_fit(lines),
        data={"meetings": [meeting_data(m) for m in (shown or past[-1:])]},
    )


def _fit(lines: list[str]) -> str:
    text = "\n".join(lines)
    while len(text) > 1000 and len(lines) > 2:
        lines = [*lines[:-2], "…", lines[-1]] if lines[-2] != "…" else [*lines[:-3], "…", lines[-1]]
        text = "\n".join(lines)
    return text[:1000]


def handle_add(db: sqlite_utils.Database, cmd: MeetingAdd, *, by: str, now: dt.datetime) -> Reply:
    try:
        new = draft_meeting(cmd, now)
    except MeetingDraftError as exc:
        reasons = "\n".join(f"・{FIELD_NAMES.get(k, k)}: {v}" for k, v in exc.problems.items())
        return error(f"会議を登録できませんでした。\n{reasons}")
    return added(add_meeting(db, new, by=by, now=now))


def added(m: MeetingInfo) -> Reply:
    return staff(
        f"会議を登録しました。\n{describe(m)}\n取り消すときは /meeting cancel {m.staff_id}",
        data={"meeting": meeting_data(m)},
    )


def handle_cancel(db: sqlite_utils.Database, cmd: MeetingCancel, *, by: str, now: dt.datetime) -> Reply:
    try:
        current = get_meeting(db, cmd.id)
    except MeetingNotFound:
        return error(
            f"ID {cmd.id} の会議は見つかりません。/meeting list でIDを確かめてください"
            "（戦略の資料に載っている会議は取り消せません）。"
        )
    if current.status == "cancelled":
        return error(f"ID {cmd.id} の会議はすでに取り消されています。")
    if current.starts_at <= now:
        return error(f"ID {cmd.id} の会議はもう始まっているか終わっているため、取り消せません。")
    m = cancel_meeting(db, cmd.id, by=by, now=now)
    return staff(f"会議を取り消しました。\n{describe(m)}", data={"meeting": meeting_data(m)})


def handle_meeting_command(
    db: sqlite_utils.Database, cmd: MeetingCommand, *, by: str, now: dt.datetime
) -> Reply:
    if isinstance(cmd, MeetingList):
        return handle_list(db, cmd, now)
    if isinstance(cmd, MeetingAdd):
        return handle_add(db, cmd, by=by, now=now)
    if isinstance(cmd, MeetingCancel):
        return handle_cancel(db, cmd, by=by, now=now)
    if isinstance(cmd, MeetingOther) and cmd.op in _EXTRA:
        return _EXTRA[cmd.op](db, cmd.args, by=by, now=now)
    return staff(HELP_TEXT)  # MeetingAddForm on a channel without forms
