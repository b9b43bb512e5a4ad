"""Replies to questions asked in English.

The structured parts are said in English: a KPI's figures, unit, years and status, a meeting's date,
a term's name and expansion, list headings. Text of the strategy itself (policies, definitions,
places, agendas) is quoted in Japanese under an English heading, with a note that the source is
Japanese. English names of records are our translations (``name_en`` in the data), and say so.
"""

from __future__ import annotations

import datetime as dt

from handlers.corpus import Corpus
from handlers.numbers import number, with_unit
from handlers.reply import MAX_TEXT, KpiFacts, Reply

SOURCE_NOTE = "(The strategy is published in Japanese; English names are our translation.)"
QUOTED = "From the strategy (in Japanese):"

UNITS = {
    "人": "people",
    "千人": "thousand people",
    "万件": "ten thousand visits",
    "万円": "ten thousand yen",
    "億円": "hundred million yen",
    "十億円": "billion yen",
    "件": "cases",
    "倍": "times",
    "％": "%",
    "%": "%",
    "人/ha": "people per hectare",
    "人／ha": "people per hectare",
}
STATUS = {"達成": "achieved", "順調": "on track", "遅れ": "behind schedule", "基準値のみ": "baseline only"}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def unit_en(unit: str) -> str:
    return UNITS.get(unit, unit)


def year_en(year: int, label: str | None = None) -> str:
    return f"FY{year}" + (f" ({label})" if label else "")


def date_en(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year} ({d.strftime('%a')})"


def figure(value: float, unit: str, comparator: str = "point") -> str:
    text = f"{number(value, unit)} {unit_en(unit)}"
    return text + {"at_least": " or more", "at_most": " or less"}.get(comparator, "")


def kpi_lines(f: KpiFacts, name_en: str | None) -> list[str]:
    lines = [f"{name_en or f.name} ({f.name}); unit: {unit_en(f.unit)} ({f.unit})"]
    # each figure also as the strategy prints it (「7,000人以上」), for a reader comparing with the document
    base = f"{figure(f.baseline_value, f.unit)} ({with_unit(f.baseline_value, f.unit)})"
    target = (
        f"{figure(f.target_value, f.unit, f.comparator)} ({with_unit(f.target_value, f.unit, f.comparator)})"
    )
    lines.append(f"• Baseline: {base}, {year_en(f.baseline_year, f.baseline_label)}")
    lines.append(f"• Target: {target}, {year_en(f.target_year, f.target_label)}")
    if f.latest_value is not None and f.latest_year is not None:
        lines.append(f"• Latest actual: {figure(f.latest_value, f.unit)}, {year_en(f.latest_year)}")
        lines.append(f"• Status: {STATUS[f.status]}")
    else:
        lines.append("• No actual newer than the baseline has been recorded yet (status: baseline only).")
    return lines


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def in_english(reply: Reply, corpus: Corpus) -> Reply:
    """``reply`` (already answered in Japanese) with its structured parts said in English."""
    record = str(reply.data.get("record") or "")
    name_en = corpus.english.get(record)
    if reply.kind == "kpi" and reply.kpis:
        f = reply.kpis[0]
        lines = kpi_lines(f, corpus.english.get(f.id))
        if reply.data.get("year_lines"):  # the year asked, as the first-term table prints it
            lines[1:1] = ["• The year asked (from the strategy, in Japanese):", *reply.data["year_lines"]]
        else:  # the first term's figures, when they were asked (「…in the first strategy?」)
            first_term = [line for line in reply.text.splitlines() if line.startswith("・第1期の")]
            if first_term:
                lines[3:3] = ["• First term (from the strategy, in Japanese):", *first_term]
        lines.append("Plan period FY2020–FY2023; newer actuals appear here when city staff record them.")
        text = "\n".join([*lines, SOURCE_NOTE])
    elif reply.kind == "kpi_list" and reply.kpis:
        years = {(f.target_year, f.target_label) for f in reply.kpis}
        when = f" (all targets for {year_en(*years.pop())})" if len(years) == 1 else ""
        lines = [f"KPIs ({len(reply.kpis)}): baseline → target [status]{when}"]
        for f in reply.kpis:
            base = figure(f.baseline_value, f.unit)
            target = figure(f.target_value, f.unit, f.comparator)
            lines.append(f"• {corpus.english.get(f.id) or f.name}: {base} → {target} [{STATUS[f.status]}]")
        text = "\n".join([*lines, SOURCE_NOTE])
    elif "meeting" in reply.data:
        m = reply.data["meeting"]
        day = dt.date.fromisoformat(m["date"])
        when = date_en(day) + f" ({day.year}年{day.month}月{day.day}日)"  # as staff at a counter read it
        when += f", from {m['start_time']}" if m["start_time"] else ""
        lines = []
        if "予定は登録されていません" in reply.text:
            lines.append("No next meeting of the verification committee is scheduled yet. The last one was:")
        lines.append(
            f"Verification committee meeting no. {m['number']}" if m.get("number") else "Committee meeting"
        )
        lines += [
            f"• Date: {when}" + (" (planned)" if m.get("tentative") else ""),
            f"• Place (in Japanese): {m['place']}",
        ]
        if m["agenda"]:
            lines.append("• Agenda (in Japanese): " + " / ".join(m["agenda"]))
        text = "\n".join(lines)
    elif "public_comment" in reply.data:
        pc = reply.data["public_comment"]
        start, end = dt.date.fromisoformat(pc["start"]), dt.date.fromisoformat(pc["end"])
        text = (
            "Public comment on the draft strategy (市民意見聴取（パブリックコメント）): "
            f"from {date_en(start)} to {date_en(end)} ({pc['printed']})"
        )
    else:
        heading = {
            "glossary": "Term",
            "policy": "Policy",
            "overview": "About the strategy",
            "committee": "Verification committee",
        }.get(reply.kind, "Answer")
        title = f"{heading}: {name_en}" if name_en else heading
        text = "\n".join([title, QUOTED, reply.text, SOURCE_NOTE])
    return reply.model_copy(update={"text": _clip(text), "suggestions": suggestions_en(reply)})


def suggestions_en(reply: Reply) -> list[str]:
    """Questions in English a reader can tap next, each answerable on its own (at most 20 characters,
    as LINE quick replies hold)."""
    base = ["Next meeting?", "Target for births?", "What does MICE mean?", "Committee members?"]
    return base[1:] if reply.kind == "committee" else base[:3]
