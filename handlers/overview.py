"""Answers about 「１ 基本的考え方」 (1)–(8) and 「４ 戦略の推進・検証体制」 (1)–(4)."""

from __future__ import annotations

from handlers.context import Context, clip, fit, sentences
from handlers.reply import Reply
from nlp.normalize import normalize
from nlp.years import find_years


def overview(ctx: Context, section: dict) -> Reply:
    facts = section["facts"] or sentences(section["text"])
    pool = facts
    if ctx.intent.asks_when or ctx.intent.founded:  # 「いつ策定された」: the sentences that give a date
        dated = [f for f in facts[1:] if find_years(normalize(f))]
        pool = [facts[0], *dated] if dated else facts
    chosen = fit(pool, ctx.focus_lemmas(), budget=330, keep_first=True)
    text = f"【{section['title']}】\n" + "\n".join(chosen)
    others = [s for s in ctx.corpus.overview if s["id"] != section["id"]]
    return Reply(
        kind="overview",
        answered=True,
        text=clip(text, 600),
        source=section["source"],
        suggestions=[f"{s['title'].split('～')[0].strip()[:12]}は？" for s in others[:4]],
        data={"record": section["id"], "clipped": len(chosen) < len(pool)},  # 「ほかには？」: the rest
    )


def promotion(ctx: Context, section: dict) -> Reply:
    said = sentences(section["text"])
    chosen = fit(said, ctx.focus_lemmas(), budget=360, keep_first=True)
    text = f"【戦略の推進・検証体制：{section['title']}】\n" + "".join(chosen)
    others = [s for s in ctx.corpus.promotion if s["id"] != section["id"]]
    return Reply(
        kind="overview",
        answered=True,
        text=clip(text, 600),
        source=section["source"],
        suggestions=[f"{s['title']}は？" for s in others] + ["検証委員会とは？"],
        data={"record": section["id"], "clipped": len(chosen) < len(said)},
    )
