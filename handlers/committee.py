"""Committee answers: meetings (the document's and those staff schedule), the public comment,
members, and the 運営要綱's articles. Meetings are read live on every question."""

from __future__ import annotations

import datetime as dt
import re

from handlers.context import Context, clip, sentences
from handlers.numbers import date_ja
from handlers.reply import Reply
from nlp.normalize import compact, normalize
from nlp.scope_cues import ASKS_TIME
from strategy_data.meetings import MeetingInfo, last_meeting, list_meetings, next_meeting

MEETINGS_SOURCE = "参考資料 > 第2期総合戦略の策定過程 > (1) 策定経過"


def _meeting_lines(m: MeetingInfo) -> list[str]:
    lines = [f"{m.title}", f"日時：{m.when_ja()}", f"場所：{m.place}"]
    if m.agenda:
        lines.append("議事：" + "／".join(f"({i}){a}" for i, a in enumerate(m.agenda, 1)))
    if m.correction:
        first = sentences(m.correction)[0]
        lines.append(f"※{first}")
    return lines


def _meeting_data(m: MeetingInfo) -> dict:
    return {
        "meeting": {
            "key": m.key,
            "number": m.number,
            "date": m.date.isoformat(),
            "start_time": m.start_time.strftime("%H:%M") if m.start_time else None,
            "place": m.place,
            "agenda": list(m.agenda),
            "tentative": m.tentative,
        }
    }


def meeting(ctx: Context, number: int) -> Reply:
    found = [m for m in list_meetings(ctx.db) if m.number == number]
    if not found:
        known = [f"第{m.number}回の会議は？" for m in list_meetings(ctx.db) if m.number]
        return Reply(
            kind="out_of_scope",
            answered=False,
            text="お尋ねの回の検証委員会は、この戦略の資料には記録がありません。記録がある会議は次のとおりです。",
            source=MEETINGS_SOURCE,
            suggestions=[*known[:4], "検証委員会の開催経過"],
        )
    m = found[-1]
    if m.start_time is None and ASKS_TIME.search(ctx.analyzed.normalized + ctx.query.text.casefold()):
        return Reply(
            kind="out_of_scope",
            answered=False,
            text="お尋ねの会議の開始時刻は、資料に書かれていません。日付と場所、議事はお答えできます。",
            source=m.source or MEETINGS_SOURCE,
            suggestions=[f"第{number}回の会議は？", "検証委員会の開催経過"],
        )
    return Reply(
        kind="committee",
        answered=True,
        text=clip("\n".join(_meeting_lines(m)), 600),
        source=m.source or MEETINGS_SOURCE,
        suggestions=["次回の会議はいつ？", "検証委員会の開催経過", "委員は誰？"],
        data=_meeting_data(m),
    )


def next_one(ctx: Context) -> Reply:
    now = ctx.query.now
    upcoming = next_meeting(ctx.db, now)
    if upcoming is not None:
        lines = ["次回の検証委員会は次のとおりです。", *_meeting_lines(upcoming)]
        return Reply(
            kind="committee",
            answered=True,
            text=clip("\n".join(lines), 600),
            source=upcoming.source or MEETINGS_SOURCE,
            suggestions=["検証委員会の開催経過", "委員は誰？", "会議は傍聴できる？"],
            data=_meeting_data(upcoming),
        )
    last = last_meeting(ctx.db, now)
    lines = ["現在、次回の検証委員会の予定は登録されていません。"]
    data: dict = {}
    if last is not None:
        lines.append("直近に開かれた会議は次のとおりです。")
        lines += _meeting_lines(last)
        data = _meeting_data(last)
    lines.append(f"日程は{ctx.contact}にお問い合わせください。")
    return Reply(
        kind="committee",
        answered=True,
        text=clip("\n".join(lines), 600),
        source=(last.source if last else None) or MEETINGS_SOURCE,
        suggestions=["検証委員会の開催経過", "委員は誰？", "会議は傍聴できる？"],
        data=data,
    )


def history(ctx: Context) -> Reply:
    lines = ["検証委員会の開催経過（第2期総合戦略の策定過程）："]
    pc = ctx.corpus.public_comment
    entries: list[tuple[dt.date, str]] = []
    for m in list_meetings(ctx.db):
        where = f"、{m.place}" if m.place else ""
        entries.append((m.date, f"・{m.title}：{m.when_ja()}{where}"))
    if pc:
        start, end = dt.date.fromisoformat(pc["start"]), dt.date.fromisoformat(pc["end"])
        entries.append((start, f"・パブリックコメント：{date_ja(start)}〜{date_ja(end)}"))
    lines += [text for _, text in sorted(entries, key=lambda e: e[0])]
    return Reply(
        kind="committee",
        answered=True,
        text=clip("\n".join(lines), 800),
        source=MEETINGS_SOURCE,
        suggestions=[f"第{m['number']}回の議事は？" for m in ctx.corpus.meetings] + ["次回の会議はいつ？"],
    )


def public_comment(ctx: Context, pc: dict) -> Reply:
    start, end = dt.date.fromisoformat(pc["start"]), dt.date.fromisoformat(pc["end"])
    text = f"{pc['title']}の実施期間は、{pc['printed']}でした（{date_ja(start)}から{date_ja(end)}まで）。"
    return Reply(
        kind="committee",
        answered=True,
        text=text,
        source=pc["source"],
        suggestions=["第5回の検証委員会は？", "検証委員会の開催経過"],
        data={"public_comment": {k: pc[k] for k in ("start", "end", "printed")}},
    )


def _term(m: dict) -> str:
    """A member's term as the roster prints it: 「2018.7.13〜2021.3.31」."""
    start, end = dt.date.fromisoformat(m["term_start"]), dt.date.fromisoformat(m["term_end"])
    return f"{_dotted(start)}〜{_dotted(end)}"


def _dotted(d: dt.date) -> str:
    return f"{d.year}.{d.month}.{d.day}"


def members(ctx: Context) -> Reply:
    c = ctx.corpus.committee
    ms = ctx.corpus.members
    note = c.get("roster_note", "").replace(" ", "・")
    lines = [f"{c.get('name', '検証委員会')}の委員（{note}）："]
    terms = {(m["term_start"], m["term_end"]) for m in ms}
    common = (
        max(terms, key=lambda t: sum(1 for m in ms if (m["term_start"], m["term_end"]) == t))
        if terms
        else None
    )
    for m in ms:
        extra = ""
        if (m["term_start"], m["term_end"]) != common:
            extra = f"、委嘱期間 {_term(m)}"
        lines.append(f"・{m['name']}（{m['affiliation']}{extra}）")
    if common:
        start, end = dt.date.fromisoformat(common[0]), dt.date.fromisoformat(common[1])
        lines.append(f"委嘱期間：{_dotted(start)}〜{_dotted(end)}")
    return Reply(
        kind="committee",
        answered=True,
        text=clip("\n".join(lines), 800),
        source=ms[0]["source"] if ms else c.get("source"),
        suggestions=["委員の任期は？", "会議の定足数は？", "次回の会議はいつ？"],
        data={"members": [m["id"] for m in ms]},
    )


def members_like(ctx: Context, rows: list[dict]) -> Reply:
    """The members a description fits (「肥後銀行の委員は？」「大学の先生の委員は？」), in roster order."""
    if len(rows) == 1:
        return member(ctx, rows[0])
    ids = {r["id"] for r in rows}
    lines = ["お尋ねに当てはまる委員は次のとおりです。"]
    listed = [m for m in ctx.corpus.members if m["id"] in ids]
    for m in listed:
        lines.append(f"・{m['name']}（{m['affiliation']}、委嘱期間 {_term(m)}）")
    return Reply(
        kind="committee",
        answered=True,
        text=clip("\n".join(lines), 800),
        source=rows[0]["source"],
        suggestions=["委員は誰？", "委員の任期は？"],
        data={"members": sorted(ids), "items": [m["id"] for m in listed]},  # 「2番目の人は？」
    )


_ORGANIZATION = re.compile(r"^.+?(大学|銀行|会議所|新聞社|連合会)")


def organization(member: dict) -> str | None:
    """The organization a member comes from, as the roster begins it (熊本大学, 肥後銀行)."""
    m = _ORGANIZATION.match(compact(normalize(member.get("affiliation") or "")))
    return m.group(0) if m else None


def _handover(ctx: Context, m: dict) -> str | None:
    """The member of the same organization whose term follows this one's or ends the day before it
    starts (肥後銀行: 荒川 浩二 until 2020.1.23, then 田邉 元): the roster's change, said plainly."""
    org = organization(m)
    if not org:
        return None
    start, end = dt.date.fromisoformat(m["term_start"]), dt.date.fromisoformat(m["term_end"])
    for other in ctx.corpus.members:
        if other["id"] == m["id"] or organization(other) != org:
            continue
        o_start, o_end = dt.date.fromisoformat(other["term_start"]), dt.date.fromisoformat(other["term_end"])
        if o_start == end + dt.timedelta(days=1):
            return f"後任は、同じ{org}の{other['name']}委員です（{_dotted(o_start)}〜）。"
        if o_end + dt.timedelta(days=1) == start:
            return f"前任は、同じ{org}の{other['name']}委員です（〜{_dotted(o_end)}）。"
    return None


def member(ctx: Context, m: dict) -> Reply:
    text = f"{m['name']}（{m['reading']}）委員は、{m['affiliation']}です。\n委嘱期間：{_term(m)}"
    handover = _handover(ctx, m)
    if handover:
        text += "\n" + handover
    return Reply(
        kind="committee",
        answered=True,
        text=text,
        source=m["source"],
        suggestions=["委員は誰？", "委員の任期は？"],
        data={"member": m["id"]},
    )


def committee(ctx: Context) -> Reply:
    c = ctx.corpus.committee
    text = f"{c['name']}について\n" + "\n".join(sentences(c["purpose"])[:3])
    if ctx.corpus.members:
        text += f"\n委員は{c['members_at_a_time']}名です。"
    return Reply(
        kind="committee",
        answered=True,
        text=clip(text, 600),
        source="４ 戦略の推進・検証体制 > (1) 推進・検証体制／参考資料 > 検証委員会運営要綱 第2条",
        suggestions=["委員は誰？", "次回の会議はいつ？", "会議の定足数は？", "委員の任期は？"],
    )


def rules(ctx: Context) -> Reply:
    c = ctx.corpus.committee
    lines = [f"{c['rules_title']}", f"制定：{c['rules_enacted']}"]
    if c.get("rules_amended"):
        lines.append(f"改正：{c['rules_amended']}")
    lines.append("条文：" + "／".join(f"第{r['number']}条（{r['title']}）" for r in ctx.corpus.rules))
    return Reply(
        kind="committee",
        answered=True,
        text=clip("\n".join(lines), 600),
        source="参考資料 > 検証委員会運営要綱",
        suggestions=["委員の任期は？", "会議の定足数は？", "会議は公開？", "委員会の庶務は？"],
    )


def rule(ctx: Context, r: dict) -> Reply:
    c = ctx.corpus.committee
    text = f"運営要綱 第{r['number']}条（{r['title']}）\n{r['text']}"
    return Reply(
        kind="committee",
        answered=True,
        text=clip(text, 600),
        source=r["source"],
        suggestions=[f"第{x['number']}条（{x['title']}）" for x in ctx.corpus.rules if x["id"] != r["id"]][
            :5
        ],
        data={"rule": r["id"], "rules_title": c.get("rules_title")},
    )


_SEASONS = {"春": (3, 4, 5), "夏": (6, 7, 8), "秋": (9, 10, 11), "冬": (12, 1, 2)}


def months_asked(normalized: str) -> tuple[int, ...]:
    """The months a question names: 「秋」 (9–11), 「10月」; () when it names none."""
    for word, months in _SEASONS.items():
        if word + "に" in normalized or word + "の" in normalized or word + "ごろ" in normalized:
            return months
    found = [int(m) for m in re.findall(r"(?<![0-9])(1[0-2]|[1-9])\s*月", normalized)]
    return tuple(found)


def meetings_in(ctx: Context, years: list[int], months: tuple[int, ...]) -> Reply | None:
    """「令和元年の秋にも開かれとった？」: the meetings held in the years (and months) asked; one is
    answered with its card, several are listed; None when none was held then."""
    held = [
        m
        for m in list_meetings(ctx.db)
        if m.date.year in years and (not months or m.date.month in months) and m.number
    ]
    if not held:
        return None
    if len(held) == 1:
        return meeting(ctx, held[0].number)
    lines = [f"{'・'.join(str(y) for y in years)}年に開かれた検証委員会は次のとおりです。"]
    lines += [f"・{m.title}：{m.when_ja()}、{m.place}" for m in held]
    return Reply(
        kind="committee",
        answered=True,
        text="\n".join(lines),
        source=MEETINGS_SOURCE,
        suggestions=[f"第{m.number}回の会議の議題は？" for m in held[:3]],
        data={"record": "committee-meetings", "items": [f"meeting-{m.number}" for m in held]},
    )
