"""Glossary answers: the term, its definition (the footnote, verbatim) and where it appears."""

from __future__ import annotations

import re

from handlers.context import Context, clip, sentences
from handlers.reply import Reply
from nlp.normalize import compact, normalize, to_katakana


def answer(ctx: Context, term: dict) -> Reply:
    name = term["term"]
    reading = term["reading"]
    head = f"「{name}」"
    if reading and to_katakana(reading) != to_katakana(name):
        head = f"「{name}」（{reading}）"
    text = f"{head}とは：{term['definition']}\n（戦略の「{term['appears_in']}」に出てくる用語です。）"
    if _USE_ASKED.search(
        ctx.analyzed.normalized
    ):  # 「連携するDMOはどこ？」: where the strategy puts it to work
        used = used_in(ctx, term)
        if used:
            text += f"\n戦略では：{used}"
    suggestions = [f"{label(term)}の施策は？", "用語の一覧", "ほかに何が聞ける？"]
    return Reply(
        kind="glossary",
        answered=True,
        text=clip(text, 600),
        source=term["source"],
        suggestions=suggestions,
        data={"term": name, "reading": reading, "definition": term["definition"], "id": term["id"]},
    )


# which one, with whom, where: asked of a term, the sentence of the strategy that uses it says
_USE_ASKED = re.compile(
    r"どこ|どの|どんな(団体|組織|会社|ところ)|誰と|連携|組ん|一緒"
    r"|\bwhich\b|\bwho\b|\bwork(s|ing)? with\b|\bpartners?\b"
)


def used_in(ctx: Context, term: dict) -> str | None:
    """The sentence of the record the term's footnote is attached to that uses the term (DMO →
    「…熊本国際観光コンベンション協会（くまもとＤＭＣ）…と連携し」), or None."""
    key = compact(normalize(short(term["term"])))
    for doc in ctx.index.docs:
        if doc.kind == "glossary" or doc.source != term["appears_in"]:
            continue
        found = [s for s in sentences(doc.body) if key in compact(normalize(s))]
        if found:
            return min(found, key=len)
    return None


def label(term: dict) -> str:
    """The term as a follow-up button can hold it: the printed term, else its shortest alias."""
    name = short(term["term"])
    if len(name) <= 14:
        return name
    aliases = sorted((a for a in term.get("aliases", []) if 2 <= len(a) <= 14), key=len, reverse=True)
    return aliases[0] if aliases else name


def short(name: str) -> str:
    """A term short enough for a follow-up button: the part before any bracket or slash."""
    for sep in ("（", "(", "／", "/"):
        name = name.split(sep, 1)[0]
    return name.strip()


def list_terms(ctx: Context) -> Reply:
    terms = [short(t["term"]) for t in ctx.corpus.glossary]
    text = (
        "戦略の脚注で説明されている用語は次のとおりです。\n"
        + "、".join(terms)
        + "\n知りたい用語を「○○とは？」と聞いてください。"
    )
    return Reply(
        kind="glossary",
        answered=True,
        text=clip(text, 600),
        source="脚注",
        suggestions=[f"{t}とは？" for t in terms[:6]],
        data={"items": [t["id"] for t in ctx.corpus.glossary]},  # 「2番目の」 picks one of them
    )


def compared(ctx: Context, first: dict, second: dict) -> Reply:
    """「スクールカウンセラーとスクールソーシャルワーカーってどう違う？」: both definitions, one after
    the other, as the strategy gives them."""
    lines = [f"「{t['term']}」とは：{t['definition']}" for t in (first, second)]
    return Reply(
        kind="glossary",
        answered=True,
        text=clip("\n".join(lines), 900),
        source=first["source"],
        suggestions=[f"{label(first)}の施策は？", f"{label(second)}の施策は？", "用語の一覧"],
        data={"term": first["term"], "id": first["id"], "compared": second["id"]},
    )
