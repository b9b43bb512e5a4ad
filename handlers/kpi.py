"""KPI answers: one indicator's baseline, target, latest actual, progress and status.

Also first-term-only indicators (観光客入込数 …), answered from the 検証委員会資料 history.
"""

from __future__ import annotations

import re

from handlers import kpi_review
from handlers.context import Context, clip, quote
from handlers.kpi_status import kpi_facts
from handlers.numbers import number, with_unit, year_label
from handlers.reply import KpiFacts, Reply

_STATUS_NOTE = {
    "達成": "目標を達成しています。",
    "順調": "基準値から目標値へ向かう計画の線に届いており、順調です。",
    "遅れ": "基準値から目標値へ向かう計画の線より遅れています。",
    "基準値のみ": "基準値より新しい実績はまだありません（状況：基準値のみ）。",
}


def _where(ctx: Context, kpi: dict) -> str:
    goal = ctx.corpus.by_id[kpi["goal_id"]]
    measure = ctx.corpus.by_id.get(kpi["measure_id"] or "")
    if measure:
        return f"基本目標{goal['number']}の施策({measure['number']}){quote(measure['title'])}のKPI"
    return f"基本目標{goal['number']}の数値目標"


def describe(ctx: Context, f: KpiFacts, kpi: dict) -> str:
    lines = [f"{quote(f.name)}（{_where(ctx, kpi)}、単位：{f.unit}）"]
    lines.append(f"・基準値：{with_unit(f.baseline_value, f.unit)}（{f.baseline_label}）")
    lines += figure_notes(ctx, kpi["id"], f.baseline_year)
    target = f"・目標値：{with_unit(f.target_value, f.unit, f.comparator)}（{f.target_label}）"
    if f.direction == "down" and f.comparator == "point":
        target += "　※基準値より下げる目標です"
    lines.append(target)
    if f.latest_value is not None and f.latest_year is not None:
        origin = "職員による登録" if f.latest_origin == "staff" else "第1期の検証資料"
        lines.append(
            f"・最新の実績：{with_unit(f.latest_value, f.unit)}（{year_label(f.latest_year)}、{origin}）"
        )
        if f.progress is not None:
            lines.append(f"・進み具合：基準値から目標値までの{round(f.progress * 100)}%")
        lines.append(f"・状況：{f.status}。{_STATUS_NOTE[f.status]}")
    else:
        lines.append(f"・{_STATUS_NOTE['基準値のみ']}")
    if ctx.intent.first_term:
        lines += first_term_lines(ctx, kpi["id"], f.unit)
    if ctx.intent.asks_now:
        lines.append(term_over(f))
    return "\n".join(lines)


def term_over(f: KpiFacts) -> str:
    """What a question about now gets: the newest figure the data holds, that the plan period has
    ended, and where newer figures come from. No figure is added that the data does not hold."""
    newest = year_label(f.latest_year) if f.latest_year is not None else year_label(f.baseline_year)
    what = "実績" if f.latest_year is not None else "基準値"
    return (
        f"※この戦略の計画期間（令和2〜5年度）は終了しています。データにある最も新しい値は{newest}の{what}です。"
        "それより新しい実績は、市の担当職員が登録（/kpi set または一括取込）すると、ここでお答えします。"
    )


def first_term_lines(ctx: Context, kpi_id: str, unit: str) -> list[str]:
    """The first term's printed figures for the same indicator (検証委員会資料): its actuals, and its
    baseline and targets when those are asked for (「第1期の目標は何人だった？」)."""
    text = ctx.query.text.casefold()
    wanted = [("actual", "実績")]
    if any(w in text for w in _TARGET_WORD):
        wanted.insert(0, ("target", "目標値"))
    # a trend starts from the baseline (「第１期の待機児童数の推移」: 397 in H27, then the actuals), and
    # so does the time the first term began (「第1期が始まったころは何人？」)
    if any(w in text for w in _FROM_THE_START):
        wanted.insert(0, ("baseline", "基準値"))
    out = []
    for h in ctx.corpus.history_for_kpi(kpi_id):
        for series, name in wanted:
            values = ctx.corpus.history_values_of(h["id"], series)
            if values:
                line = "→".join(f"{number(v['value'], unit)}（{v['label']}）" for v in values)
                out.append(f"・第1期の{name}（{unit}）：{line}")
    return out


_FROM_THE_START = (
    *("基準", "baseline", "最初", "はじめ", "初め", "推移", "経過", "trend", "start"),
    *("始ま", "当初", "スタート", "開始", "began", "begin"),
)
_BASELINE_WORD = ("基準", "baseline", "starting", "base value", "base year", "at the start")
_TARGET_WORD = ("目標", "目指", "ゴール", "までに", "予定", "target", "goal", "aim", "want", "hope")
PLANNED_FROM = 2020  # the strategy was written in 2020: a later year has targets only
_ACTUAL_WORD = (
    "実績",
    "実際",
    "結果",
    "達成",
    "超え",
    "上回",
    "下回",
    "届",
    "actual",
    "result",
    "achiev",
    "reach",
    "exceed",
)
# past tense means an actual, unless a target is named (「目標はいくらだった？」)
_PAST_WORD = ("結局", "なった", "だった", "did ")
# a target asked beside the year's figure, not instead of it
_AND_TARGET = re.compile(
    r"\b(and|vs\.?|versus|compared (with|to)|against) (the |its |that )?([a-z-]+ )?(target|goal)"
    r"|[と、,](その年の|その)?目標(値)?(は|も|と|を|が)|目標(値)?と(比べ|くらべ)"
)


def _sign_note(ctx: Context, indicator_id: str, value: float) -> str:
    """「-1,394人」 of 年転入超過数 means more moved out: 「（転出超過）」."""
    name = (ctx.corpus.by_id.get(indicator_id) or {}).get("name", "")
    return "（転出超過）" if value < 0 and "転入超過" in name else ""


def year_figures(
    ctx: Context, indicator_ids: list[str], unit: str, extra: list[tuple[str, int, str, str]] = ()
) -> tuple[list[str], list[int]]:
    """Lines for the years the question names (「平成29年は？」), and the years nothing is printed for.

    Figures come from the first-term tables (actuals, or targets when a target is asked) and from
    ``extra``: (series name, year, label, figure with unit) rows: the 2nd-term baseline and target."""
    text = ctx.query.text.casefold()
    targets = any(w in text for w in _TARGET_WORD)
    named_actual = any(w in text for w in _ACTUAL_WORD) or (
        not targets and any(w in text for w in _PAST_WORD)
    )
    # 「2017 was how much? and the target for that year?」「2018年の数と、その年の目標」: both
    both = bool(_AND_TARGET.search(text))
    actuals = named_actual or not targets or both
    baseline = any(w in text for w in _BASELINE_WORD)
    wanted = [s for s, on in (("actual", actuals), ("target", targets)) if on]  # 「目標と実績は？」: both
    implicit = not targets and not named_actual
    lines: list[str] = []
    missing: list[int] = []
    for year in ctx.intent.years:
        found = []
        # 「2023年の観光消費額は？」 names no series: a year the strategy plans for means its target
        series_asked = [*wanted, "target"] if implicit and year >= PLANNED_FROM else wanted
        if wanted == ["actual"] and year < PLANNED_FROM:
            series_asked = ["actual", "target"]  # a first-term year's actual, beside that year's target
        actual_printed = any(
            v["year"] == year for ind in indicator_ids for v in ctx.corpus.history_values_of(ind, "actual")
        )
        if baseline or (year < PLANNED_FROM and not actual_printed):
            # 「第1期の基準値（H27）は？」, and 「平成27年は何人？」: the first term's baseline is that
            # year's figure (its tables print no other for the year)
            series_asked = ["baseline", *series_asked]
        for series in series_asked:
            name = {"target": "目標値", "baseline": "第1期の基準値"}.get(series, "実績")
            for ind in indicator_ids:
                for v in ctx.corpus.history_values_of(ind, series):
                    # by the figure's own year, never its column's: 出生数's column H27 prints the
                    # H26 value, and 公共交通's column H30 the H29 one (「平成30年は？」 is not printed)
                    if v["year"] == year:
                        figure = f"{number(v['value'], unit)}{unit}" + _sign_note(ctx, ind, v["value"])
                        found.append(
                            f"・{year_label(year)}の{name}：{figure}（{v['label']}、第1期の検証資料）"
                        )
            for kind, y, lab, figure in extra:
                if y == year and (kind == "target") == (series == "target"):
                    what = "目標値" if kind == "target" else "基準値"
                    found.append(f"・{year_label(year)}の{what}：{figure}（{lab}）")
            # (「now, and the target for 2023?」: the target is asked too, and printed)
            target_too = both and not named_actual and year >= PLANNED_FROM
            if series == "actual" and not found and (not implicit or year < PLANNED_FROM) and not target_too:
                break  # the actual asked for is not printed: that decides it
        notes = year_notes(ctx, indicator_ids, year)
        if found:
            lines.extend(dict.fromkeys([*found, *notes]))
        else:
            missing.append(year)
    return lines, missing


# what a figure counts, or how firm it is (「いつからの累計？」「確定した数字？」「内定者も含む？」)
_ABOUT_FIGURE = re.compile(
    r"累計|いつから|含む|含ま|含め|確定|概算|推計|速報|定義|数え方|どうやって(数え|計算|調べ)"
    r"|\bcumulative\b|\bsince when\b|\binclud|\bprovisional\b|\bestimate"
)


def figure_notes(ctx: Context, kpi_id: str, baseline_year: int) -> list[str]:
    """The first-term tables' notes on the same indicator: those about the baseline's year (「※H30の出生数
    は、概算値」) always, and all of them when what the figure counts is asked."""
    printed = _table_notes(ctx, [h["id"] for h in ctx.corpus.history_for_kpi(kpi_id)])
    notes = _notes_of_year(printed, baseline_year)
    if _ABOUT_FIGURE.search(ctx.query.text.casefold()):
        notes += printed
    return [f"・{n}（第1期の検証資料の注記）" for n in dict.fromkeys(notes)]


def _table_notes(ctx: Context, indicator_ids: list[str]) -> list[str]:
    """The ※ notes printed under the first-term tables of these indicators."""
    rows = [ctx.corpus.by_id.get(i) or {} for i in indicator_ids]
    return [n for row in rows for n in row.get("notes") or [] if n.startswith("※")]


def _notes_of_year(notes: list[str], year: int) -> list[str]:
    if year > 2019:
        return []
    marks = (f"H{year - 1988}", f"Ｈ{year - 1988}", f"平成{year - 1988}")
    return [n for n in notes if any(m in n for m in marks)]


def year_notes(ctx: Context, indicator_ids: list[str], year: int) -> list[str]:
    """The tables' notes about one year (「※H30の出生数は、概算値」「※H28年度は地震によりアンケート
    未実施」), as printed."""
    return [f"・{n}" for n in _notes_of_year(_table_notes(ctx, indicator_ids), year)]


QUICK_REPLY = 20


def nearest_questions(ctx: Context, indicator_ids: list[str], short: str, missing: list[int]) -> list[str]:
    """Questions for the printed years nearest to the ones asked for."""
    years = sorted({v["year"] for ind in indicator_ids for v in ctx.corpus.history_values_of(ind, "actual")})
    if not years or not missing:
        return []
    near = sorted(years, key=lambda y: min(abs(y - m) for m in missing))[:2]
    asks = [f"の平成{y - 1988}年の実績は？" for y in sorted(near) if y <= 2019]
    return [short[: QUICK_REPLY - len(a)] + a for a in asks]  # a quick reply holds 20 characters


def label(kpi: dict, limit: int = 14) -> str:
    """The KPI's name for a follow-up question: its short name, or the longest alias that is part of
    its printed name and fits in ``limit`` characters; never a name cut in the middle of a word."""
    short = kpi["short_name"] or kpi["name"]
    if len(short) <= limit:
        return short
    fitting = [a for a in kpi["aliases"] if len(a) <= limit and (a in kpi["name"] or a in short)]
    return max(fitting, key=len) if fitting else short


def answer(ctx: Context, kpi: dict) -> Reply:
    card = _card(ctx, kpi)
    # 「目標に届かなかった理由は？」「第1期は目標達成できた？」: its figures, and what the review says
    if ctx.intent.reason or (ctx.intent.achieved and ctx.intent.first_term_named):
        indicators = [h["id"] for h in ctx.corpus.history_for_kpi(kpi["id"])]
        return kpi_review.reasons(ctx, kpi["name"], kpi["goal_id"], indicators, card) or card
    return card


def _card(ctx: Context, kpi: dict) -> Reply:
    f = kpi_facts(ctx.db, kpi["id"], ctx.query.now.date())
    text = describe(ctx, f, kpi)
    if ctx.intent.years:
        indicators = [h["id"] for h in ctx.corpus.history_for_kpi(kpi["id"])]
        extra = [
            ("baseline", f.baseline_year, f.baseline_label, with_unit(f.baseline_value, f.unit)),
            ("target", f.target_year, f.target_label, with_unit(f.target_value, f.unit, f.comparator)),
        ]
        lines, missing = year_figures(ctx, indicators, f.unit, extra)
        asks_baseline = any(w in ctx.query.text.casefold() for w in _BASELINE_WORD)
        if missing and not lines and not asks_baseline:
            return _year_not_printed(ctx, kpi["source"], label(kpi), indicators, missing)
        # (「基準年はH30？」 of a baseline of another year: the card, which says the baseline's year)
        text = "\n".join([f"{quote(f.name)}（単位：{f.unit}）", *lines, text.split("\n", 1)[1]])
        year_lines = lines
    else:
        year_lines = []
    goal_no = ctx.corpus.by_id[kpi["goal_id"]]["number"]
    measure = ctx.corpus.by_id.get(kpi["measure_id"] or "")
    policy = f"基本目標{goal_no}の施策({measure['number']})は？" if measure else f"基本目標{goal_no}は？"
    suggestions = [f"基本目標{goal_no}のKPI一覧", policy, "遅れているKPIは？"]
    if kpi["measure_id"]:
        siblings = [k for k in ctx.corpus.kpis_of_measure(kpi["measure_id"]) if k["id"] != kpi["id"]]
        suggestions[1:1] = [f"{label(k)}の目標は？" for k in siblings[:2]]
    return Reply(
        kind="kpi",
        answered=True,
        text=clip(text, 600),
        source=kpi["source"],
        suggestions=suggestions,
        kpis=[f],
        data={"year_lines": year_lines} if year_lines else {},
    )


def _year_not_printed(
    ctx: Context, source: str, short: str, indicators: list[str], missing: list[int]
) -> Reply:
    notes = [n for year in missing for n in year_notes(ctx, indicators, year)]
    if notes:  # 「H28の数字はないの？」: the table says why
        return Reply(
            kind="kpi",
            answered=True,
            text="\n".join([f"お尋ねの年の{quote(short)}の値は、表に数値がありません。表の注記：", *notes]),
            source=source,
            suggestions=[*nearest_questions(ctx, indicators, short, missing), f"{short}の目標は？"],
        )
    return Reply(
        kind="out_of_scope",
        answered=False,
        text=(
            f"お尋ねの年の{quote(short)}の値は、この戦略には書かれていません。"
            "書かれている年の値は、下の質問からご覧いただけます。"
        ),
        source=source,
        suggestions=[*nearest_questions(ctx, indicators, short, missing), f"{short}の目標は？"],
    )


def answer_history(ctx: Context, indicator: dict) -> Reply:
    """A first-term indicator that the 2nd term does not carry on."""
    card = _history_card(ctx, indicator)
    if (ctx.intent.reason or ctx.intent.achieved) and card.answered:
        return (
            kpi_review.reasons(ctx, indicator["name"], indicator["goal_id"], [indicator["id"]], card) or card
        )
    return card


def _measured_instead(ctx: Context, indicator: dict) -> list[str]:
    """What the 2nd term measures in the same 施策 (the one of the same title in the same goal):
    「第2期でも入込数がKPIなの？」 is answered with what took its place."""
    m, names = _successors(ctx, indicator)
    return [f"・第2期の同じ施策({m['number']})「{m['title']}」のKPI：{names}"] if m and names else []


def _successors(ctx: Context, indicator: dict) -> tuple[dict | None, str]:
    """The 2nd-term 施策 carrying on a first-term indicator's, and its KPIs' names (「観光消費額」)."""
    m = ctx.corpus.carried_on(indicator)
    kpis = ctx.corpus.kpis_of_measure(m["id"]) if m else []
    return m, "、".join(quote(k["name"]) for k in kpis)


def _short_name(indicator: dict) -> str:
    return re.sub("[「」『』]", "", indicator["name"])[:10]


# the 2nd term named (「第2期ではその目標は？」「今の戦略では」「in the current strategy」)
_SECOND_TERM = re.compile(
    r"第\s*2\s*期|第二期|2期目|今の(戦略|計画)|新しい(戦略|計画)"
    r"|\b(2nd|second|current) (term|period|strategy|plan)\b"
)


def _not_in_second_term(ctx: Context, indicator: dict) -> Reply | None:
    """「第2期ではその目標はいくつ？」 of a first-term indicator: the 2nd term sets none; why it was
    dropped (「なんで第2期ではやめたと？」) is not written either. What took its place, without figures."""
    text = ctx.query.text.casefold()
    asks = ctx.intent.asks_amount or ctx.intent.reason or any(w in text for w in _TARGET_WORD)
    if not (_SECOND_TERM.search(text) and asks and not ctx.intent.first_term_named):
        return None
    lines = [
        f"{quote(indicator['name'])}は前の戦略（第一期）の指標で、今の戦略の数値目標・KPIには含まれていない"
        "ため、今の戦略での目標値や、指標から外した理由はこの戦略には書かれていません。"
    ]
    m, names = _successors(ctx, indicator)
    if m and names:  # (no figures in a decline: the 施策 by its title)
        lines.append(f"今の戦略では、同じ施策「{m['title']}」のKPIは{names}です。")
    short = _short_name(indicator)
    return Reply(
        kind="out_of_scope",
        answered=False,
        text="\n".join(lines),
        source=indicator["source"],
        suggestions=[f"{short}の第1期の実績は？", "KPI一覧"],
        data={"history_indicator": indicator["id"]},
    )


def _history_card(ctx: Context, indicator: dict) -> Reply:
    unit = indicator["unit"]
    declined = _not_in_second_term(ctx, indicator)
    if declined is not None:
        return declined
    if ctx.intent.years:
        lines, missing = year_figures(ctx, [indicator["id"]], unit)
        if missing and not lines:
            short = _short_name(indicator)
            return _year_not_printed(ctx, indicator["source"], short, [indicator["id"]], missing)
    actuals = ctx.corpus.history_values_of(indicator["id"], "actual")
    targets = ctx.corpus.history_values_of(indicator["id"], "target")
    lines = [
        f"{quote(indicator['name'])}は第1期戦略（H27〜H31）の指標で、第2期の数値目標・KPIには含まれていません。",
    ]
    if ctx.intent.years:
        lines[1:1] = year_figures(ctx, [indicator["id"]], unit)[0]
    if actuals:
        series = "、".join(f"{number(v['value'], unit)}{unit}（{v['label']}）" for v in actuals)
        last = actuals[-1]
        lines.append(f"・第1期の実績：{series}")
        lines.append(f"・最新の実績：{number(last['value'], unit)}{unit}（{last['label']}）")
    if targets:
        t = targets[-1]
        suffix = {"at_least": "以上", "at_most": "以下"}.get(t["comparator"], "")
        lines.append(f"・第1期の目標値：{number(t['value'], unit)}{unit}{suffix}（{t['label']}）")
    lines += _measured_instead(ctx, indicator)
    return Reply(
        kind="kpi",
        answered=True,
        text=clip("\n".join(lines), 600),
        source=indicator["source"],
        suggestions=[
            f"基本目標{ctx.corpus.goal_number(indicator['goal_id'])}のKPI一覧",
            "KPI一覧",
            "遅れているKPIは？",
        ],
        data={"history_indicator": indicator["id"]},
    )
