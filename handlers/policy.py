"""Policy answers: which goal / 施策 / project it is, a faithful short summary, the key items.

Summaries are sentences of the strategy itself, chosen for the question (the bullet about
耐震診断 when asked about old houses and earthquakes), never rewritten figures.
"""

from __future__ import annotations

import re

from handlers import kpi
from handlers.context import Context, clip, fit, overlap, pick, quote, sentences
from handlers.corpus import Corpus, project_name
from handlers.kpi_status import kpi_facts
from handlers.numbers import with_unit
from handlers.reply import KpiFacts, Reply
from nlp.analyze import analyze

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


_STRUCTURE = "overview-8"  # １(8) 構成


def _reply(text: str, source: str, suggestions: list[str], record: str) -> Reply:
    """A policy answer: at most 600 characters, citing ``source``."""
    return Reply(
        kind="policy",
        answered=True,
        text=clip(text, 600),
        source=source,
        suggestions=suggestions,
        data={"record": record},
    )


def _c(n: int) -> str:
    return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else f"({n})"


def _goal_head(goal: dict) -> str:
    return f"基本目標{goal['number']}「{goal['slogan']}～{goal['subtitle']}～」"


def goal(ctx: Context, g: dict) -> Reply:
    measures = ctx.corpus.measures_of(g["id"])
    lines = [_goal_head(g)]
    if any(w in ctx.analyzed.normalized for w in ("検証", "第1期", "振り返", "評価")):
        lines.append("【第1期戦略の検証】" + "".join(sentences(g["verification"])[:2]))
    else:
        focus = ctx.focus_lemmas()
        related = [s for s in sentences(g["direction"]) if overlap(s, focus) > 0]
        if related:  # the 基本的方向 sentence about what was asked, if any
            lines.append("".join(pick(related, focus, k=1)))
    lines.append("施策：" + "／".join(f"({m['number']}){m['title']}" for m in measures))
    numeric = _numeric_targets(ctx, g)
    if numeric:  # with its figures (「子ども産み育てるほうの目標ってある？」 wants 7,000人)
        lines.append(numeric)
    suggestions = [
        f"基本目標{g['number']}のKPI",
        *[f"基本目標{g['number']}の施策({m['number']})は？" for m in measures],
    ]
    return _reply("\n".join(lines), g["source"], suggestions, g["id"])


def _numeric_targets(ctx: Context, g: dict) -> str | None:
    """「数値目標：出生数（基準値6,766人→目標値7,000人以上）」, or None for a goal without one."""
    numeric = ctx.corpus.numeric_targets_of(g["id"])
    if not numeric:
        return None
    now = ctx.query.now.date()
    return "数値目標：" + "、".join(_figures(kpi_facts(ctx.db, k["id"], now)) for k in numeric)


def _figures(f: KpiFacts) -> str:
    """「出生数（基準値6,766人→目標値7,000人以上）」"""
    target = with_unit(f.target_value, f.unit, f.comparator)
    return f"{f.short_name or f.name}（基準値{with_unit(f.baseline_value, f.unit)}→目標値{target}）"


# the goals' figures asked with them (「基本目標とそれぞれの数値目標」「the goals and their targets」)
_TARGETS_TOO = re.compile(r"数値目標|目標値|数字|\btargets?\b|\bnumeric\b|\bfigures?\b|\bnumbers?\b")


def goals(ctx: Context) -> Reply:
    lines = ["基本戦略は、3つの基本目標で構成されています。"]
    figures = bool(_TARGETS_TOO.search(ctx.query.text.casefold()))
    for g in ctx.corpus.goals:
        lines.append(_goal_head(g))
        numeric = _numeric_targets(ctx, g) if figures else None
        if numeric:
            lines.append("　" + numeric)
    return _reply(
        "\n".join(lines),
        "２ 基本戦略",
        [f"基本目標{g['number']}の施策は？" for g in ctx.corpus.goals] + ["リーディングプロジェクトは？"],
        "goals",
    )


def measure(ctx: Context, m: dict) -> Reply:
    g = ctx.corpus.goal_of_measure(m)
    items = ctx.corpus.items_of(m["id"])
    lines = [f"基本目標{g['number']}の施策({m['number']}){quote(m['title'])}では、次のことに取り組みます。"]
    lines += [f"{_c(it['number'])} {it['title']}" for it in items]
    kpis = ctx.corpus.kpis_of_measure(m["id"])
    if kpis:
        lines.append("KPI：" + "、".join(k["short_name"] or k["name"] for k in kpis))
    suggestions = [f"{kpi.label(k)}の目標は？" for k in kpis[:3]]
    suggestions.append(f"基本目標{g['number']}は？")
    return _reply("\n".join(lines), m["source"], suggestions, m["id"])


def heading(corpus: Corpus, kind: str, row: dict) -> str | None:
    """Where a 施策's item or a project's part sits, as a reply heads it:
    基本目標1・施策(2)「農水産業の振興」の①「…」; None for other records."""
    if kind == "item":
        m = corpus.measure_of(row)
        g = corpus.goal_of_measure(m)
        measure = f"基本目標{g['number']}・施策({m['number']}){quote(m['title'])}"
        return f"{measure}の{_c(row['number'])}{quote(row['title'])}"
    if kind == "project_subitem":
        it = corpus.by_id[row["item_id"]]
        p = corpus.by_id[it["project_id"]]
        return (
            f"リーディングプロジェクト{p['numeral']}「{project_name(p['title'])}」"
            f"の({it['number']}){_c(row['number'])}{quote(row['title'])}"
        )
    return None


ITEM_BUDGET = 340  # characters of an item's bullets in one reply


def item(ctx: Context, it: dict) -> Reply:
    m = ctx.corpus.measure_of(it)
    g = ctx.corpus.goal_of_measure(m)
    focus = ctx.focus_lemmas()
    # as many of its bullets as a chat message holds, the most related first: 「具体的に何をするの？」
    # wants them all, and an item's bullets are short
    bullets = fit(it["bullets"], focus, budget=ITEM_BUDGET)
    lines = [heading(ctx.corpus, "item", it) or ""]
    lines += [f"・{b}" for b in bullets]
    suggestions = [f"基本目標{g['number']}の施策({m['number']})は？", f"基本目標{g['number']}のKPI"]
    reply = _reply("\n".join(lines), it["source"], suggestions, it["id"])
    reply.data["clipped"] = len(bullets) < len(it["bullets"])  # 「ほかには？」: the bullets not shown
    return reply


PROJECT_BUDGET = 580  # characters of a project's card (of 600) before its items' parts are left out
_AIM = re.compile(r"目指します|実現を図ります|^具体的には")  # what it aims at, and what it does
_FIGURE = re.compile(r"[0-9０-９]")


def _project_summary(ctx: Context, p: dict) -> str:
    """The overview's opening, the sentences saying what the project aims at, and the sentence
    most about the question's own words when it names more than the project."""
    texts = sentences(p["overview"])
    chosen = {0} | {i for i, t in enumerate(texts) if _AIM.search(t)}
    focus = ctx.focus_lemmas()
    # the question's own words (for an English one, the strategy's Japanese for them: 貿易協定),
    # not those naming the project itself (「農水産業のプロジェクトの概要」 asks nothing beyond it)
    said = set(ctx.analyzed.lemmas).union(*focus.own) - set(analyze(p["title"]).lemmas)
    own = {lemma: w for lemma, w in focus.items() if lemma in said}
    rest = [i for i in range(len(texts)) if i not in chosen]
    best = max(rest, key=lambda i: (overlap(texts[i], own), -i), default=None)
    if best is not None and overlap(texts[best], own) > 0:
        chosen.add(best)
    else:  # nothing asked beyond the project: the sentence that gives its key figure
        chosen |= set([i for i in rest if _FIGURE.search(texts[i])][:1])
    return "".join(texts[i] for i in sorted(chosen))


def project(ctx: Context, p: dict) -> Reply:
    summary = _project_summary(ctx, p)
    items = ctx.corpus.project_items_of(p["id"])
    lines = [f"リーディングプロジェクト{p['numeral']}「{project_name(p['title'])}」", summary]
    # each item with its parts' titles (「プロジェクトの柱は？」), while the card has room for them
    titled = [f"({i['number']}){i['title']}" for i in items]
    parts = [
        "、".join(f"{_c(s['number'])}{s['title']}" for s in ctx.corpus.subitems_of(i["id"])) for i in items
    ]
    detailed = [t + (f"（{ps}）" if ps else "") for t, ps in zip(titled, parts, strict=True)]
    fits = sum(map(len, [*lines, *detailed])) <= PROJECT_BUDGET
    lines += ["取り組み：", *detailed] if fits else ["取り組み：" + "／".join(titled)]
    suggestions = [i["title"][:20] for i in items[:4]] + ["リーディングプロジェクトは？"]
    return _reply("\n".join(lines), p["source"], suggestions, p["id"])


def projects(ctx: Context) -> Reply:
    lines = ["リーディングプロジェクトは、基本戦略の取組をけん引する4つのプロジェクトです。"]
    # what the four build on, as the strategy's structure section says it (「どんな強みに着目したの」)
    structure = ctx.corpus.by_id.get(_STRUCTURE) or {}
    facts = structure.get("facts") or []
    lines += [f for f in facts if f.startswith("リーディングプロジェクトは") and "着目" in f]
    lines += [f"{p['numeral']}「{project_name(p['title'])}」" for p in ctx.corpus.projects]
    return _reply(
        "\n".join(lines),
        "３ リーディングプロジェクト",
        [f"プロジェクト{p['numeral']}の概要" for p in ctx.corpus.projects],
        "projects",
    )


def project_item(ctx: Context, it: dict) -> Reply:
    p = ctx.corpus.by_id[it["project_id"]]
    name = project_name(p["title"])
    head = f"リーディングプロジェクト{p['numeral']}「{name}」の({it['number']}){quote(it['title'])}"
    subs = ctx.corpus.subitems_of(it["id"])
    lines = [head]
    if it["text"]:
        lines.append("".join(pick(sentences(it["text"]), ctx.focus_lemmas(), k=3, keep_first=True)))
    lines += _subitems_said(subs, ITEM_BUDGET)
    return _reply(
        "\n".join(lines),
        it["source"],
        [s["title"][:20] for s in subs[:4]] + [f"プロジェクト{p['numeral']}の概要"],
        it["id"],
    )


def _subitems_said(subs: list[dict], budget: int) -> list[str]:
    """Each sub-item's title and, while ``budget`` characters last, what it does (its first
    sentence): 「ヘルスケア産業の振興では何を？」 is answered by what, not only by the titles."""
    firsts = [(sentences(s["text"]) or [""])[0] if s.get("text") else "" for s in subs]
    said = sum(len(f) for f in firsts) <= budget
    return [
        f"{_c(s['number'])} {s['title']}" + (f"：{first}" if said and first else "")
        for s, first in zip(subs, firsts, strict=True)
    ]


def project_subitem(ctx: Context, s: dict) -> Reply:
    it = ctx.corpus.by_id[s["item_id"]]
    p = ctx.corpus.by_id[it["project_id"]]
    head = heading(ctx.corpus, "project_subitem", s) or ""
    body = "".join(pick(sentences(s["text"]), ctx.focus_lemmas(), k=3, keep_first=True))
    return _reply(
        head + "\n" + body, s["source"], [it["title"][:20], f"プロジェクト{p['numeral']}の概要"], s["id"]
    )


_DIRECTION_WORDS = ("方向性", "方針", "事業", "取り組", "取組", "予定", "direction")


def review(ctx: Context, r: dict) -> Reply:
    """A first-term 施策's review (検証委員会資料, 令和元年8月7日): the 課題・検証 bullets about what
    was asked, and its 方向性 when that is asked (「第1期の方向性に出てくる事業名は？」)."""
    focus = ctx.focus_lemmas()
    wants_direction = any(w in ctx.analyzed.normalized for w in _DIRECTION_WORDS)
    blocks = [("方向性", r["direction"]), ("課題・検証", r["review"])]
    if not wants_direction:
        blocks.reverse()
    lines = [f"第1期戦略の基本目標{ctx.corpus.goal_number(r['goal_id'])}・施策{r['number']}「{r['title']}」"]
    for heading, bullets in blocks:
        chosen = fit(bullets, focus, budget=260)
        if chosen:
            lines.append(f"【{heading}】" + "".join(f"\n・{b}" for b in chosen))
    this_term = f"基本目標{ctx.corpus.goal_number(r['goal_id'])}の施策は？"  # the same goal in this term
    return _reply("\n".join(lines), r["source"], ["第1期の実績は？", this_term], r["id"])
